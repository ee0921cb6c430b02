// SPDX-License-Identifier: GPL-2.0
/* ICMP errors: icmp:icmp_send (Linux 6.13+) fires when the kernel is about to send an ICMP error
 * about a packet — e.g. host unreachable after ARP for its next hop failed, which a local
 * connect() reports as "No route to host". The event carries type, code and the offending
 * packet, filtered like every other. tp_btf and raw_tp twins, one loaded. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "packet.bpf.h"

static __always_inline int observe_icmp_send(const struct sk_buff *skb, int type, int code,
					     const enum pw_access access)
{
	struct pw_ipv4 ip;
	__u32 netns;

	netns = pw_skb_netns(skb, access);
	if (netns != watched_netns || !pw_watched_ipv4(skb, access, &ip))
		return 0;

	struct pw_icmp_event *e = pw_reserve(sizeof(*e), PW_EVENT_ICMP_SEND, netns);
	if (!e)
		return 0;
	pw_fill_packet(skb, &ip, &e->packet);
	e->type = type;
	e->code = code;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/icmp_send")
int BPF_PROG(pw_icmp_send_btf, const struct sk_buff *skb, int type, int code)
{
	return observe_icmp_send(skb, type, code, PW_BTF_LOADS);
}

SEC("raw_tp/icmp_send")
int BPF_PROG(pw_icmp_send_raw, const struct sk_buff *skb, int type, int code)
{
	return observe_icmp_send(skb, type, code, PW_PROBE_READS);
}
