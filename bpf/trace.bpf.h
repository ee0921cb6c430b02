/* What every pathwhy program shares, declared here and defined once in shared.bpf.c (the files
 * are linked into one object with `bpftool gen object`): the ring buffer, the per-CPU count of
 * events it had no room for, the LPM trie of watched prefixes and the watched namespace. Also
 * the filter and the reserve step, so that every program filters first and reserves only what
 * it will submit. */
#ifndef PATHWHY_TRACE_BPF_H
#define PATHWHY_TRACE_BPF_H

#include <bpf/bpf_core_read.h>

#include "events.h"

/* UAPI macros that vmlinux.h (types only) cannot carry. */
#define PW_AF_INET 2
#define PW_ETH_P_IP 0x0800
#define PW_NF_ACCEPT 1
#define PW_NFPROTO_IPV4 2
#define PW_NUD_NONE 0x00

#define PW_RING_BYTES (1024 * 1024)

struct pw_ring_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PW_RING_BYTES);
};

struct pw_lost_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

struct pw_watched_map {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, PW_MAX_WATCHED_PREFIXES);
	__type(key, struct pw_watched_prefix);
	__type(value, __u8);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* LPM tries require it */
};

extern struct pw_ring_map events SEC(".maps");
extern struct pw_lost_map lost_events SEC(".maps");
extern struct pw_watched_map watched_prefixes SEC(".maps");

/* Set between open and load. watched_netns: inode of the diagnosed network namespace (the
 * tracepoints are global). watched_net/watched_mask: the smallest prefix covering every watched
 * one (network byte order), so that an address outside it is turned away with one AND instead
 * of an LPM trie walk; the trie still decides for addresses inside it. */
extern const volatile __u32 watched_netns;
extern const volatile __u32 watched_net;
extern const volatile __u32 watched_mask;

/* How a program may read kernel memory, fixed per program and passed as a constant to the
 * always_inline handlers, so that each program is compiled with one way only (the verifier
 * would refuse a plain load in a raw_tp program). Probe reads cost some 25 ns each on a VM:
 * on the path of a packet that is not watched they would be most of its cost. */
enum pw_access {
	PW_PROBE_READS,  /* raw_tp, kprobe: arguments are plain addresses */
	PW_BTF_LOADS,    /* tp_btf, fentry: BTF pointers, plain loads of their fields */
	PW_BTF_CAST,     /* netfilter links: also packet bytes through bpf_rdonly_cast (6.2+) */
};

#define PW_READ(access, ptr, field)                                                          \
	((access) != PW_PROBE_READS ? (ptr)->field : BPF_CORE_READ(ptr, field))

static __always_inline bool pw_address_watched(__u32 addr)
{
	struct pw_watched_prefix key = { .prefixlen = 32, .addr = addr };

	if ((addr & watched_mask) != watched_net)
		return false;
	return bpf_map_lookup_elem(&watched_prefixes, &key) != NULL;
}

static __always_inline bool pw_flow_watched(__u32 saddr, __u32 daddr)
{
	return pw_address_watched(daddr) || pw_address_watched(saddr);
}

/* Room for one event, or NULL after counting it as lost: the reader shows the count. */
static __always_inline void *pw_reserve(__u64 size, __u32 kind, __u32 netns)
{
	struct pw_event_header *header = bpf_ringbuf_reserve(&events, size, 0);

	if (!header) {
		__u32 zero = 0;
		__u64 *lost = bpf_map_lookup_elem(&lost_events, &zero);

		if (lost)
			*lost += 1;
		return NULL;
	}
	header->timestamp_ns = bpf_ktime_get_ns();
	header->kind = kind;
	header->netns_inode = netns;
	return header;
}

#endif
