// SPDX-License-Identifier: GPL-2.0
/* Netfilter hooks: a watched IPv4 packet entering and leaving each hook of the diagnosed
 * namespace, with its conntrack entry. A packet seen at entry but not at exit was dropped (or
 * stolen) by a rule in between; addresses that differ between entry and exit are NAT.
 *
 * Linux 6.4+: BPF netfilter links (SEC("netfilter"), registered by userspace for libbpf 1.1)
 * at the first and the last priority of each hook, made inside the namespace, so no namespace
 * check is needed. Older kernels: fentry/fexit on nf_hook_slow, the function that runs a hook's
 * rules, or where trampolines are missing kprobe/kretprobe on it; these see every namespace and
 * every family, and see a whole hook rather than its first and last priority. Userspace loads
 * exactly one of the three. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "packet.bpf.h"

#define PW_NFCT_INFOMASK 7UL

static __always_inline void read_tuple(const struct nf_conntrack_tuple *tuple,
				       struct pw_flow *flow)
{
	flow->saddr = BPF_CORE_READ(tuple, src.u3.ip);
	flow->daddr = BPF_CORE_READ(tuple, dst.u3.ip);
	flow->protocol = BPF_CORE_READ(tuple, dst.protonum);
	if (flow->protocol == PW_IPPROTO_ICMP) {
		flow->dport = bpf_ntohs(BPF_CORE_READ(tuple, src.u.icmp.id));
	} else {
		flow->sport = bpf_ntohs(BPF_CORE_READ(tuple, src.u.all));
		flow->dport = bpf_ntohs(BPF_CORE_READ(tuple, dst.u.all));
	}
}

/* skb->_nfct is the nf_conn pointer with ctinfo in its low 3 bits. Before conntrack's own hook
 * (PREROUTING/OUTPUT priority -200) a new packet has none yet. */
static __always_inline void read_conntrack(const struct sk_buff *skb, struct pw_conntrack *out)
{
	unsigned long nfct = BPF_CORE_READ(skb, _nfct);
	struct nf_conn *ct = (struct nf_conn *)(nfct & ~PW_NFCT_INFOMASK);

	__builtin_memset(out, 0, sizeof(*out));
	if (!ct)
		return;
	out->present = 1;
	out->ctinfo = nfct & PW_NFCT_INFOMASK;
	read_tuple(&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple, &out->original);
	read_tuple(&ct->tuplehash[IP_CT_DIR_REPLY].tuple, &out->reply);
	out->status = BPF_CORE_READ(ct, status);
	/* ct->mark exists only with CONFIG_NF_CONNTRACK_MARK. */
	if (bpf_core_field_exists(ct->mark))
		out->mark = BPF_CORE_READ(ct, mark);
}

static __always_inline void observe_hook(struct sk_buff *skb, const struct nf_hook_state *state,
					 __u8 edge, __s32 priority, const enum pw_access access)
{
	struct pw_ipv4 ip;

	if (!pw_watched_ipv4(skb, access, &ip))
		return;
	struct pw_netfilter_event *e = pw_reserve(sizeof(*e), PW_EVENT_NETFILTER,
						  BPF_CORE_READ(state, net, ns.inum));
	if (!e)
		return;
	e->packet.skb = (__u64)skb;
	pw_fill_flow(&ip, &e->packet.flow);
	e->packet.in_ifindex = pw_ifindex(BPF_CORE_READ(state, in));
	e->packet.out_ifindex = pw_ifindex(BPF_CORE_READ(state, out));
	e->packet.mark = BPF_CORE_READ(skb, mark);
	e->packet.pad = 0;
	read_conntrack(skb, &e->conntrack);
	e->priority = priority;
	e->hook = BPF_CORE_READ(state, hook);
	e->edge = edge;
	e->pad[0] = 0;
	e->pad[1] = 0;
	bpf_ringbuf_submit(e, 0);
}

SEC("netfilter")
int pw_hook_entry(struct bpf_nf_ctx *ctx)
{
	observe_hook(ctx->skb, ctx->state, PW_EDGE_ENTRY, PW_HOOK_ENTRY_PRIORITY, PW_BTF_CAST);
	return PW_NF_ACCEPT; /* observe only */
}

SEC("netfilter")
int pw_hook_exit(struct bpf_nf_ctx *ctx)
{
	observe_hook(ctx->skb, ctx->state, PW_EDGE_EXIT, PW_HOOK_EXIT_PRIORITY, PW_BTF_CAST);
	return PW_NF_ACCEPT;
}

/* The fallbacks run for every namespace and protocol family: those checks come first. */
static __always_inline bool diagnosed_ipv4_hook(const struct nf_hook_state *state,
						const enum pw_access access)
{
	if (PW_READ(access, state, pf) != PW_NFPROTO_IPV4)
		return false;
	if (access != PW_PROBE_READS)
		return state->net->ns.inum == watched_netns;
	return BPF_CORE_READ(state, net, ns.inum) == watched_netns;
}

/* nf_hook_slow returns 1 when every rule accepted; after a drop it has already freed the skb,
 * so exits are reported for accepted packets only, as the links do. */
SEC("fentry/nf_hook_slow")
int BPF_PROG(pw_hook_slow_entry, struct sk_buff *skb, struct nf_hook_state *state)
{
	if (diagnosed_ipv4_hook(state, PW_BTF_LOADS))
		observe_hook(skb, state, PW_EDGE_ENTRY, PW_WHOLE_HOOK_ENTRY_PRIORITY, PW_BTF_LOADS);
	return 0;
}

SEC("fexit/nf_hook_slow")
int BPF_PROG(pw_hook_slow_exit, struct sk_buff *skb, struct nf_hook_state *state,
	     const struct nf_hook_entries *entries, unsigned int index, int ret)
{
	if (ret == 1 && diagnosed_ipv4_hook(state, PW_BTF_LOADS))
		observe_hook(skb, state, PW_EDGE_EXIT, PW_WHOLE_HOOK_EXIT_PRIORITY, PW_BTF_LOADS);
	return 0;
}

/* kretprobe has no arguments: the kprobe leaves them on a per-CPU stack that the kretprobe pops.
 * nf_hook_slow calls on one CPU nest strictly (a softirq finishes before the code it interrupted
 * resumes), so a stack matches returns to calls. Calls nested deeper than it holds are counted
 * but not reported. */
#define PW_HOOK_STACK_DEPTH 8

struct hook_call {
	struct sk_buff *skb;
	struct nf_hook_state *state;
};

struct hook_stack {
	__u32 depth;
	__u32 pad;
	struct hook_call calls[PW_HOOK_STACK_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hook_stack);
} hook_stacks SEC(".maps");

SEC("kprobe/nf_hook_slow")
int BPF_KPROBE(pw_hook_slow_kprobe, struct sk_buff *skb, struct nf_hook_state *state)
{
	__u32 zero = 0;
	struct hook_stack *stack = bpf_map_lookup_elem(&hook_stacks, &zero);

	if (!stack)
		return 0;
	__u32 depth = stack->depth++;
	if (depth >= PW_HOOK_STACK_DEPTH)
		return 0;
	/* Only the diagnosed namespace's calls are remembered: the kretprobe skips the others. */
	stack->calls[depth].skb = diagnosed_ipv4_hook(state, PW_PROBE_READS) ? skb : NULL;
	stack->calls[depth].state = state;
	if (stack->calls[depth].skb)
		observe_hook(skb, state, PW_EDGE_ENTRY, PW_WHOLE_HOOK_ENTRY_PRIORITY, PW_PROBE_READS);
	return 0;
}

SEC("kretprobe/nf_hook_slow")
int BPF_KRETPROBE(pw_hook_slow_kretprobe, int ret)
{
	__u32 zero = 0;
	struct hook_stack *stack = bpf_map_lookup_elem(&hook_stacks, &zero);

	if (!stack || stack->depth == 0)
		return 0;
	__u32 depth = --stack->depth;
	if (depth >= PW_HOOK_STACK_DEPTH)
		return 0;
	struct hook_call call = stack->calls[depth];
	if (ret == 1 && call.skb)
		observe_hook(call.skb, call.state, PW_EDGE_EXIT, PW_WHOLE_HOOK_EXIT_PRIORITY, PW_PROBE_READS);
	return 0;
}
