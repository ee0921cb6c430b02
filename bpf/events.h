/* The one event format shared by the BPF programs and the C++ reader.
 * Fixed-width types and explicit padding only: C++ static_asserts the sizes, so a field added
 * on one side without the other fails the build instead of corrupting the ring buffer.
 * Addresses are in network byte order, as the kernel holds them. */
#ifndef PATHWHY_BPF_EVENTS_H
#define PATHWHY_BPF_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum pw_event_kind {
	PW_EVENT_FIB_LOOKUP = 1,
};

struct pw_event_header {
	__u64 timestamp_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 kind;         /* enum pw_event_kind */
	__u32 netns_inode;  /* namespace the event belongs to */
};

/* One IPv4 FIB table lookup (tracepoint fib:fib_table_lookup). A policy-routed lookup fires once
 * per table tried, so a sequence of these shows which tables were consulted and which answered. */
struct pw_fib_lookup_event {
	struct pw_event_header header;
	__u32 table_id;
	__s32 error;        /* 0, or -ENETUNREACH etc. when no route matched in this table */
	__u32 saddr;
	__u32 daddr;
	__u32 gateway;      /* chosen nexthop's IPv4 gateway, 0 if on-link or none */
	__s32 iif;          /* flowi4_iif: input interface, LOOPBACK_IFINDEX for local output */
	__s32 oif;          /* flowi4_oif requested by the caller, 0 if any */
	__s32 nexthop_oif;  /* device of the chosen nexthop, 0 if none */
	__u32 mark;
	__u16 sport;
	__u16 dport;
	__u8 protocol;
	__u8 tos;
	__u8 scope;
	__u8 pad;
};

#endif
