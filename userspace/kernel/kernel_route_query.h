// The kernel's own answer for one destination, asked the way `ip route get` and
// `ip route get fibmatch` ask it, in the calling thread's current network namespace. The
// explainer trusts this over its own resolver when both are available.
#pragma once

#include "model/kernel_state.h"
#include "model/route_flow.h"

namespace pathwhy {

// A locally generated packet to `destination`: no source, no mark, no input interface.
KernelRouteAnswer ask_kernel_route(Ipv4Address destination);

// Any flow. A non-"lo" iif asks for an input (forwarding) lookup, which the kernel answers with
// EHOSTUNREACH when forwarding is off in the namespace. A lookup that fails is an answer, not an
// exception: KernelRouteAnswer::error holds the errno (ENETUNREACH no route or an `unreachable`
// rule, EHOSTUNREACH unreachable route, EACCES prohibit, EINVAL blackhole) and type names the
// route type that error stands for (other for ENETUNREACH and the rest). Throws pathwhy::Error
// when the kernel cannot be asked at all, or when iif/oif name no interface.
KernelRouteAnswer ask_kernel_route(const RouteFlow& flow);

}  // namespace pathwhy
