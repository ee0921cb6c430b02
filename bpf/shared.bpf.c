// SPDX-License-Identifier: GPL-2.0
/* The one definition of the state every program shares (see trace.bpf.h): linked with the
 * per-hook-family objects into a single BPF object, so all programs write to one ring buffer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "trace.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct pw_ring_map events SEC(".maps");
struct pw_lost_map lost_events SEC(".maps");
struct pw_watched_map watched_prefixes SEC(".maps");

const volatile __u32 watched_netns = 0;
/* Until userspace says otherwise, nothing is watched: 0.0.0.0 under an all-ones mask matches
 * only 0.0.0.0, which the LPM trie (empty) then turns away. */
const volatile __u32 watched_net = 0;
const volatile __u32 watched_mask = 0xffffffff;
