/* Reading an IPv4 packet out of an skb, for every program that is handed one (netfilter hooks,
 * kfree_skb, icmp_send), in two steps: the addresses alone, as cheaply as the program type
 * allows (enum pw_access), for the filter; then, for watched packets only, the whole header,
 * ports and metadata through probe reads, which serve every program type. */
#ifndef PATHWHY_PACKET_BPF_H
#define PATHWHY_PACKET_BPF_H

#include "trace.bpf.h"

#define PW_IPPROTO_ICMP 1
#define PW_IPPROTO_TCP 6
#define PW_IPPROTO_UDP 17
#define PW_IP_OFFSET_MASK 0x1fff
#define PW_ICMP_ECHOREPLY 0
#define PW_ICMP_ECHO 8

/* Linux 6.2+: a BTF-typed, read-only view of kernel memory, loaded from with plain (fault-safe)
 * loads. Weak, so that objects load on older kernels as long as no loaded program calls it —
 * only the netfilter-link programs do, and those need 6.4 anyway. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

struct pw_addresses {
	const unsigned char *nh;        /* the IPv4 header */
	__u32 saddr;
	__u32 daddr;
};

/* Where the network header is (skb->head + network_header, for ETH_P_IP only), and the
 * addresses in it: with a probe read, except for PW_BTF_CAST. False when the skb carries no
 * IPv4 header (yet). */
static __always_inline bool pw_skb_addresses(const struct sk_buff *skb, const enum pw_access access,
					     struct pw_addresses *out)
{
	struct { __u32 saddr; __u32 daddr; } pair;

	if (PW_READ(access, skb, protocol) != bpf_htons(PW_ETH_P_IP))
		return false;
	__u16 network_header = PW_READ(access, skb, network_header);
	if (network_header == (__u16)~0U) /* unset */
		return false;
	out->nh = PW_READ(access, skb, head) + network_header;
	if (access == PW_BTF_CAST) {
		const struct iphdr *iph = bpf_rdonly_cast(out->nh, bpf_core_type_id_kernel(struct iphdr));

		out->saddr = iph->saddr;
		out->daddr = iph->daddr;
		return true;
	}
	if (bpf_probe_read_kernel(&pair, sizeof(pair), out->nh + offsetof(struct iphdr, saddr)))
		return false;
	out->saddr = pair.saddr;
	out->daddr = pair.daddr;
	return true;
}

/* The network header of a watched IPv4 packet: where layer 4 starts, and what it is. */
struct pw_ipv4 {
	const unsigned char *l4;
	__u32 saddr;
	__u32 daddr;
	__u8 protocol;
	bool first_fragment;    /* layer 4 header present */
};

/* One probe read of the whole header; false for anything that is not a sane IPv4 header. */
static __always_inline bool pw_read_ipv4(const struct pw_addresses *at, struct pw_ipv4 *ip)
{
	struct iphdr iph;

	if (bpf_probe_read_kernel(&iph, sizeof(iph), at->nh) || iph.version != 4 || iph.ihl < 5)
		return false;
	ip->l4 = at->nh + iph.ihl * 4;
	ip->saddr = iph.saddr;
	ip->daddr = iph.daddr;
	ip->protocol = iph.protocol;
	ip->first_fragment = (bpf_ntohs(iph.frag_off) & PW_IP_OFFSET_MASK) == 0;
	return true;
}

/* The filter every skb program starts with: addresses, watched?, then the header. */
static __always_inline bool pw_watched_ipv4(const struct sk_buff *skb, const enum pw_access access,
					    struct pw_ipv4 *ip)
{
	struct pw_addresses at;

	return pw_skb_addresses(skb, access, &at) && pw_flow_watched(at.saddr, at.daddr) &&
	       pw_read_ipv4(&at, ip);
}

/* Ports for TCP and UDP; for ICMP echo the id goes in dport, as conntrack keys it. */
static __always_inline void pw_fill_flow(const struct pw_ipv4 *ip, struct pw_flow *flow)
{
	__u16 ports[2] = {};
	struct { __u8 type; __u8 code; __u16 checksum; __u16 id; } icmp = {};

	__builtin_memset(flow, 0, sizeof(*flow));
	flow->saddr = ip->saddr;
	flow->daddr = ip->daddr;
	flow->protocol = ip->protocol;
	if (!ip->first_fragment)
		return;
	if (ip->protocol == PW_IPPROTO_TCP || ip->protocol == PW_IPPROTO_UDP) {
		if (bpf_probe_read_kernel(ports, sizeof(ports), ip->l4))
			return;
		flow->sport = bpf_ntohs(ports[0]);
		flow->dport = bpf_ntohs(ports[1]);
	} else if (ip->protocol == PW_IPPROTO_ICMP) {
		if (bpf_probe_read_kernel(&icmp, sizeof(icmp), ip->l4))
			return;
		if (icmp.type == PW_ICMP_ECHO || icmp.type == PW_ICMP_ECHOREPLY)
			flow->dport = bpf_ntohs(icmp.id);
	}
}

static __always_inline __s32 pw_ifindex(const struct net_device *dev)
{
	return dev ? BPF_CORE_READ(dev, ifindex) : 0;
}

/* The namespace an skb travels in, outside netfilter (whose state names it): its device's, else
 * its socket's (locally sent packets before a device is set), else 0 (unknown, never watched).
 * Tracepoints fire for every namespace, so this is their first check: with BTF pointers it is a
 * few plain loads. */
static __always_inline __u32 pw_skb_netns(const struct sk_buff *skb, const enum pw_access access)
{
	struct net_device *dev = PW_READ(access, skb, dev);
	struct sock *sk;

	if (access != PW_PROBE_READS) {
		if (dev)
			return dev->nd_net.net->ns.inum;
		sk = skb->sk;
		return sk ? sk->__sk_common.skc_net.net->ns.inum : 0;
	}
	if (dev)
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	sk = BPF_CORE_READ(skb, sk);
	return sk ? BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) : 0;
}

/* The packet part of drop and ICMP events, where no netfilter state gives the devices. */
static __always_inline void pw_fill_packet(const struct sk_buff *skb, const struct pw_ipv4 *ip,
					   struct pw_packet *packet)
{
	packet->skb = (__u64)skb;
	pw_fill_flow(ip, &packet->flow);
	packet->in_ifindex = BPF_CORE_READ(skb, skb_iif);
	packet->out_ifindex = pw_ifindex(BPF_CORE_READ(skb, dev));
	packet->mark = BPF_CORE_READ(skb, mark);
	packet->pad = 0;
}

#endif
