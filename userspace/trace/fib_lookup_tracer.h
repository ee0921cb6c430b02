// Watches the kernel's IPv4 FIB lookups (tp_btf/fib_table_lookup) in one network namespace and
// hands each lookup to the caller: the kernel's own record of which tables it consulted and
// which nexthop it chose.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "model/ipv4.h"

namespace pathwhy {

struct FibLookup {
    std::uint64_t timestamp_ns = 0;
    std::uint32_t netns_inode = 0;
    std::uint32_t table = 0;
    int error = 0;  // 0 when this table answered; negative errno otherwise
    Ipv4Address source;
    Ipv4Address destination;
    std::optional<Ipv4Address> gateway;
    int input_ifindex = 0;
    int requested_oif = 0;
    int nexthop_ifindex = 0;
    std::uint32_t mark = 0;
    std::uint8_t protocol = 0;
    std::uint8_t tos = 0;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
};

struct FibLookupFilter {
    std::uint32_t netns_inode = 0;  // 0: every namespace
    std::optional<Ipv4Address> destination;
};

class FibLookupTracer {
public:
    // Opens, loads and attaches the program; throws Error (with a privileges hint) on failure.
    explicit FibLookupTracer(const FibLookupFilter& filter);
    ~FibLookupTracer();
    FibLookupTracer(const FibLookupTracer&) = delete;
    FibLookupTracer& operator=(const FibLookupTracer&) = delete;

    using Handler = std::function<void(const FibLookup&)>;
    // Delivers what the ring buffer holds, waiting up to `timeout` for the first event.
    int poll(std::chrono::milliseconds timeout, const Handler& handler);
    // Events the kernel could not queue because the ring buffer was full.
    std::uint64_t lost_events() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace pathwhy
