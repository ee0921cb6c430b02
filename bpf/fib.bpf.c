// SPDX-License-Identifier: GPL-2.0
/* Route lookups: one event per IPv4 FIB table lookup in the watched network namespace.
 * tp_btf gives typed access to the tracepoint arguments (tb_id, flowi4, fib_nh_common, err). */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "events.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace between open and load. 0 means "any". */
const volatile __u32 watched_netns = 0;
const volatile __u32 watched_daddr = 0; /* network byte order */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_events SEC(".maps");

/* Kernels up to 6.13 (and Debian 12's 6.1) name the TOS byte flowic_tos; later ones hold the same
 * byte as flowic_dscp (dscp_t, already shifted into TOS position). */
struct flowi_common___with_tos {
	__u8 flowic_tos;
} __attribute__((preserve_access_index));

static __always_inline __u8 flow_tos(const struct flowi4 *flp)
{
	const struct flowi_common *common = &flp->__fl_common;

	if (bpf_core_field_exists(struct flowi_common___with_tos, flowic_tos))
		return BPF_CORE_READ((struct flowi_common___with_tos *)common, flowic_tos);
	return BPF_CORE_READ(common, flowic_dscp);
}

/* The namespace of the lookup: the nexthop device's when there is one; otherwise (failed lookups)
 * the current task's, which is right for locally generated traffic, the case without a device. */
static __always_inline __u32 lookup_netns(const struct fib_nh_common *nhc)
{
	struct net_device *dev = nhc ? BPF_CORE_READ(nhc, nhc_dev) : NULL;

	if (dev)
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	return BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
}

SEC("tp_btf/fib_table_lookup")
int BPF_PROG(on_fib_table_lookup, u32 tb_id, const struct flowi4 *flp,
	     const struct fib_nh_common *nhc, int err)
{
	__u32 daddr = BPF_CORE_READ(flp, daddr);
	if (watched_daddr && daddr != watched_daddr)
		return 0;
	__u32 netns = lookup_netns(nhc);
	if (watched_netns && netns != watched_netns)
		return 0;

	struct pw_fib_lookup_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__u32 zero = 0;
		__u64 *lost = bpf_map_lookup_elem(&lost_events, &zero);
		if (lost)
			*lost += 1;
		return 0;
	}
	e->header.timestamp_ns = bpf_ktime_get_ns();
	e->header.kind = PW_EVENT_FIB_LOOKUP;
	e->header.netns_inode = netns;
	e->table_id = tb_id;
	e->error = err;
	e->saddr = BPF_CORE_READ(flp, saddr);
	e->daddr = daddr;
	e->iif = BPF_CORE_READ(flp, __fl_common.flowic_iif);
	e->oif = BPF_CORE_READ(flp, __fl_common.flowic_oif);
	e->mark = BPF_CORE_READ(flp, __fl_common.flowic_mark);
	e->protocol = BPF_CORE_READ(flp, __fl_common.flowic_proto);
	e->tos = flow_tos(flp);
	e->scope = BPF_CORE_READ(flp, __fl_common.flowic_scope);
	e->sport = bpf_ntohs(BPF_CORE_READ(flp, uli.ports.sport));
	e->dport = bpf_ntohs(BPF_CORE_READ(flp, uli.ports.dport));
	e->gateway = 0;
	e->nexthop_oif = 0;
	e->pad = 0;
	if (nhc) {
		if (BPF_CORE_READ(nhc, nhc_gw_family) == 2 /* AF_INET */)
			e->gateway = BPF_CORE_READ(nhc, nhc_gw.ipv4);
		struct net_device *dev = BPF_CORE_READ(nhc, nhc_dev);
		if (dev)
			e->nexthop_oif = BPF_CORE_READ(dev, ifindex);
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}
