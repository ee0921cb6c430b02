// SPDX-License-Identifier: GPL-2.0
/* Neighbours: an IPv4 neighbour (ARP entry) for a watched address changing state in the watched
 * namespace — e.g. INCOMPLETE -> FAILED when nobody answers ARP on a bridge.
 *
 * The tracepoints that follow a change report the neighbour as it is afterwards:
 * neigh_event_send_done (resolution starts: NONE/STALE -> INCOMPLETE/DELAY), neigh_timer_handler
 * (timeouts: INCOMPLETE -> FAILED, REACHABLE -> STALE, ...) and neigh_update_done (ARP replies,
 * `ip neigh` changes). The state before is the one last seen here, kept in a small LRU map; a
 * neighbour not seen before starts from NUD_NONE, its state when created. An event is emitted
 * only when the state changed. tp_btf and raw_tp twins of each, one of each loaded. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "trace.bpf.h"

struct neighbour_key {
	__u32 netns;
	__s32 ifindex;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct neighbour_key);
	__type(value, __u8);
} neighbour_states SEC(".maps");

static __always_inline int observe_neighbour(const struct neighbour *n)
{
	struct neighbour_key key = {};
	__u8 new_state, old_state = PW_NUD_NONE;

	if (BPF_CORE_READ(n, tbl, family) != PW_AF_INET)
		return 0;
	if (bpf_core_read(&key.addr, sizeof(key.addr), &n->primary_key) ||
	    !pw_address_watched(key.addr))
		return 0;
	struct net_device *dev = BPF_CORE_READ(n, dev);
	key.netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	if (key.netns != watched_netns)
		return 0;
	key.ifindex = BPF_CORE_READ(dev, ifindex);

	new_state = BPF_CORE_READ(n, nud_state);
	__u8 *last = bpf_map_lookup_elem(&neighbour_states, &key);
	if (last)
		old_state = *last;
	if (old_state == new_state)
		return 0;
	bpf_map_update_elem(&neighbour_states, &key, &new_state, BPF_ANY);

	struct pw_neighbour_event *e = pw_reserve(sizeof(*e), PW_EVENT_NEIGHBOUR, key.netns);
	if (!e)
		return 0;
	e->addr = key.addr;
	e->ifindex = key.ifindex;
	e->old_state = old_state;
	e->new_state = new_state;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/neigh_event_send_done")
int BPF_PROG(pw_neigh_send_btf, struct neighbour *n, int err)
{
	return observe_neighbour(n);
}

SEC("raw_tp/neigh_event_send_done")
int BPF_PROG(pw_neigh_send_raw, struct neighbour *n, int err)
{
	return observe_neighbour(n);
}

SEC("tp_btf/neigh_timer_handler")
int BPF_PROG(pw_neigh_timer_btf, struct neighbour *n, int err)
{
	return observe_neighbour(n);
}

SEC("raw_tp/neigh_timer_handler")
int BPF_PROG(pw_neigh_timer_raw, struct neighbour *n, int err)
{
	return observe_neighbour(n);
}

SEC("tp_btf/neigh_update_done")
int BPF_PROG(pw_neigh_update_btf, struct neighbour *n, int err)
{
	return observe_neighbour(n);
}

SEC("raw_tp/neigh_update_done")
int BPF_PROG(pw_neigh_update_raw, struct neighbour *n, int err)
{
	return observe_neighbour(n);
}
