// SPDX-License-Identifier: GPL-2.0
/* Route lookups: one event per IPv4 FIB table lookup of a watched flow in the watched namespace.
 * tp_btf gives typed access to the tracepoint arguments (tb_id, flowi4, fib_nh_common, err); the
 * raw_tp twin serves kernels whose tracepoints have no BTF. Userspace loads exactly one. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "trace.bpf.h"

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
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	return BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
}

static __always_inline int observe_lookup(u32 tb_id, const struct flowi4 *flp,
					  const struct fib_nh_common *nhc, int err,
					  const enum pw_access access)
{
	__u32 saddr = PW_READ(access, flp, saddr);
	__u32 daddr = PW_READ(access, flp, daddr);
	__u32 netns;

	if (!pw_flow_watched(saddr, daddr))
		return 0;
	netns = lookup_netns(nhc);
	if (netns != watched_netns)
		return 0;

	struct pw_fib_lookup_event *e = pw_reserve(sizeof(*e), PW_EVENT_FIB_LOOKUP, netns);
	if (!e)
		return 0;
	e->table_id = tb_id;
	e->error = err;
	e->saddr = saddr;
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
		if (BPF_CORE_READ(nhc, nhc_gw_family) == PW_AF_INET)
			e->gateway = BPF_CORE_READ(nhc, nhc_gw.ipv4);
		struct net_device *dev = BPF_CORE_READ(nhc, nhc_dev);
		if (dev)
			e->nexthop_oif = BPF_CORE_READ(dev, ifindex);
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/fib_table_lookup")
int BPF_PROG(pw_fib_btf, u32 tb_id, const struct flowi4 *flp, const struct fib_nh_common *nhc,
	     int err)
{
	return observe_lookup(tb_id, flp, nhc, err, PW_BTF_LOADS);
}

SEC("raw_tp/fib_table_lookup")
int BPF_PROG(pw_fib_raw, u32 tb_id, const struct flowi4 *flp, const struct fib_nh_common *nhc,
	     int err)
{
	return observe_lookup(tb_id, flp, nhc, err, PW_PROBE_READS);
}
