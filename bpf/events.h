/* The one event format shared by the BPF programs and the C++ reader, and the key of the watched
 * prefixes map that C++ fills. Fixed-width types and explicit padding only: C++ static_asserts the
 * sizes, so a field added on one side without the other fails the build instead of corrupting the
 * ring buffer. Addresses are in network byte order, as the kernel holds them; ports are in host
 * byte order (the programs convert them). */
#ifndef PATHWHY_BPF_EVENTS_H
#define PATHWHY_BPF_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* The LPM trie of watched prefixes: a packet is traced when its source or destination matches. */
#define PW_MAX_WATCHED_PREFIXES 64

struct pw_watched_prefix {
	__u32 prefixlen;    /* LPM trie keys start with the prefix length */
	__u32 addr;
};

enum pw_event_kind {
	PW_EVENT_FIB_LOOKUP = 1,
	PW_EVENT_NETFILTER = 2,
	PW_EVENT_DROP = 3,
	PW_EVENT_ICMP_SEND = 4,
	PW_EVENT_NEIGHBOUR = 5,
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

/* An IPv4 flow as a packet or a conntrack tuple holds it. For ICMP echo the id is in dport. */
struct pw_flow {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 protocol;      /* IPPROTO_* */
	__u8 pad[3];
};

/* What every skb-based event says about its packet. */
struct pw_packet {
	__u64 skb;          /* the skb's address: follows one packet across hooks, never dereferenced */
	struct pw_flow flow;
	__s32 in_ifindex;   /* netfilter: state->in; drop/ICMP: skb->skb_iif (0 when sent locally) */
	__s32 out_ifindex;  /* netfilter: state->out; drop/ICMP: skb->dev when the event fired */
	__u32 mark;         /* skb->mark */
	__u32 pad;
};

/* skb->_nfct at a netfilter hook: the conntrack entry the packet belongs to, if any yet. */
struct pw_conntrack {
	struct pw_flow original;
	struct pw_flow reply;
	__u32 status;       /* IPS_* bits */
	__u32 mark;
	__u8 present;       /* 0: no entry attached (yet), the rest is zero */
	__u8 ctinfo;        /* enum ip_conntrack_info */
	__u8 pad[6];
};

/* Where the netfilter programs sit. The kernel refuses INT_MIN and INT_MAX for BPF netfilter links
 * (checked on 6.18); the next ones still come before and after every iptables/nftables priority.
 * The fentry/kprobe fallback sees a whole hook and reports INT_MIN and INT_MAX. */
#define PW_HOOK_ENTRY_PRIORITY (-2147483647)
#define PW_HOOK_EXIT_PRIORITY 2147483646
#define PW_WHOLE_HOOK_ENTRY_PRIORITY (-2147483647 - 1)
#define PW_WHOLE_HOOK_EXIT_PRIORITY 2147483647

enum pw_hook_edge {
	PW_EDGE_ENTRY = 0,  /* first priority of the hook: before any rule */
	PW_EDGE_EXIT = 1,   /* last priority: the packet survived every rule */
};

/* A packet passing one edge of a netfilter hook (NF_INET_PRE_ROUTING .. NF_INET_POST_ROUTING). */
struct pw_netfilter_event {
	struct pw_event_header header;
	struct pw_packet packet;
	struct pw_conntrack conntrack;
	__s32 priority;     /* where the program sat: INT_MIN+1, INT_MAX-1, or the whole hook */
	__u8 hook;          /* NF_INET_* */
	__u8 edge;          /* enum pw_hook_edge */
	__u8 pad[2];
};

/* A packet freed as dropped (skb:kfree_skb), with the kernel's reason. */
struct pw_drop_event {
	struct pw_event_header header;
	struct pw_packet packet;
	__u64 location;     /* return address in the freeing function, for /proc/kallsyms */
	__u32 reason;       /* enum skb_drop_reason of the running kernel */
	__u32 pad;
};

/* An ICMP error the kernel is about to send (icmp:icmp_send) about `packet`, the offending one. */
struct pw_icmp_event {
	struct pw_event_header header;
	struct pw_packet packet;
	__u8 type;
	__u8 code;
	__u8 pad[6];
};

/* A neighbour (ARP entry) changing state. */
struct pw_neighbour_event {
	struct pw_event_header header;
	__u32 addr;
	__s32 ifindex;      /* the device the neighbour is on */
	__u16 old_state;    /* NUD_*: the last state pathwhy saw, NUD_NONE when first seen */
	__u16 new_state;    /* NUD_* */
	__u32 pad;
};

#endif
