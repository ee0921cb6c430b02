// The kernel path in the text output: how packets were provoked or watched, then each packet hop
// by hop — route lookups, netfilter hooks with their devices, verdict and the addresses after
// NAT, drops, ICMP errors — and the events that belong to no packet (neighbour changes). Long
// watches are cut after a screenful of packets; --json has them all.
#pragma once

#include <string>

#include "explain/diagnosis.h"
#include "report/painter.h"

namespace pathwhy {

// "" when nothing was traced.
std::string render_observed_path(const Diagnosis& diagnosis, const Painter& paint);

}  // namespace pathwhy
