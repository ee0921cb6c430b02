// SPDX-License-Identifier: GPL-2.0
/* Drops: a watched IPv4 packet freed by skb:kfree_skb, with the kernel's reason and where it was
 * freed. Frees without a reason (NOT_SPECIFIED) and consumed packets are not drops worth telling;
 * they are left out before anything else is read. tp_btf and raw_tp twins, one loaded. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "packet.bpf.h"

/* Reason values differ between kernels: 5.17 started the enum at NOT_SPECIFIED = 0, later ones
 * put SKB_NOT_DROPPED_YET and (6.3) SKB_CONSUMED before it. So the values are relocated against
 * the running kernel's enum. */
static __always_inline bool uninteresting(enum skb_drop_reason reason)
{
	if (reason == bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_NOT_SPECIFIED))
		return true;
	return bpf_core_enum_value_exists(enum skb_drop_reason, SKB_CONSUMED) &&
	       reason == bpf_core_enum_value(enum skb_drop_reason, SKB_CONSUMED);
}

static __always_inline int observe_drop(struct sk_buff *skb, void *location,
					enum skb_drop_reason reason, const enum pw_access access)
{
	struct pw_ipv4 ip;
	__u32 netns;

	if (uninteresting(reason))
		return 0;
	netns = pw_skb_netns(skb, access);
	if (netns != watched_netns || !pw_watched_ipv4(skb, access, &ip))
		return 0;

	struct pw_drop_event *e = pw_reserve(sizeof(*e), PW_EVENT_DROP, netns);
	if (!e)
		return 0;
	pw_fill_packet(skb, &ip, &e->packet);
	e->location = (__u64)location;
	e->reason = reason;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* kfree_skb gained the reason in Linux 5.17 and rx_sk in 6.11; only the first three are read. */
SEC("tp_btf/kfree_skb")
int BPF_PROG(pw_kfree_skb_btf, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	return observe_drop(skb, location, reason, PW_BTF_LOADS);
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(pw_kfree_skb_raw, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	return observe_drop(skb, location, reason, PW_PROBE_READS);
}
