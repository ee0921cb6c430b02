#include "explain/neighbor_unreachable.h"

#include <fmt/format.h>

#include "explain/docker_bridges.h"
#include "explain/event_names.h"

namespace pathwhy {
namespace {

using Kind = ObservedEvent::Kind;

std::string seconds(std::uint64_t ns) { return fmt::format("{:.2f} s", ns / 1e9); }

bool neighbour_failure(const ObservedEvent& e) {
    return e.kind == Kind::drop && e.drop_reason_name.starts_with("NEIGH_");
}

bool host_unreachable(const ObservedEvent& e) {
    return e.kind == Kind::icmp_error && e.icmp_type == kIcmpDestUnreachable &&
           e.icmp_code == kIcmpHostUnreachable;
}

}  // namespace

std::optional<Finding> neighbor_unreachable_finding(const Snapshot& snapshot,
                                                    const ObservedPath& path,
                                                    Ipv4Address destination) {
    const ObservedStep* failed = nullptr;  // the neighbour's change to FAILED
    const ObservedStep* incomplete = nullptr;
    const ObservedStep* icmp = nullptr;
    int icmp_count = 0, dropped = 0;
    std::string drop_reason;
    for (const auto& step : path.steps) {
        const ObservedEvent& e = step.event;
        if (e.kind == Kind::neighbour && e.new_state == kNudFailed && !failed) failed = &step;
        if (e.kind == Kind::neighbour && e.new_state == kNudIncomplete && !incomplete)
            incomplete = &step;
        if (host_unreachable(e)) {
            if (!icmp) icmp = &step;
            ++icmp_count;
        }
        if (neighbour_failure(e)) {
            ++dropped;
            drop_reason = e.drop_reason_name;
        }
    }
    if (!failed && !icmp) return std::nullopt;

    const Ipv4Address neighbour = failed ? failed->event.neighbour : icmp->event.packet.destination;
    const std::string dev = failed ? failed->out_dev : icmp->out_dev;
    Finding finding;
    finding.kind = "neighbor-unreachable";
    finding.severity = Severity::critical;
    std::optional<BridgeOwner> owner;
    if (const Link* link = snapshot.kernel.link_by_name(dev))
        owner = docker_bridge_owner(snapshot, link->ifindex);
    const std::string on = dev.empty() ? std::string{} : " on " + dev;
    finding.summary = fmt::format(
        "ARP for {}{} failed: nothing there answers, so the kernel replied ICMP host unreachable "
        "(\"No route to host\")",
        neighbour.str(), on);
    if (owner && owner->network && neighbour == destination)
        finding.summary += fmt::format(" — {} is not on Docker network {}", destination.str(),
                                       owner->network->name);

    auto& evidence = finding.evidence;
    if (failed) {
        const std::string from =
            incomplete ? fmt::format("INCOMPLETE at +{} → ", seconds(incomplete->offset_ns))
                       : nud_state_name(failed->event.old_state) + " → ";
        evidence.push_back(fmt::format("observed: neighbour {}{}: {}FAILED at +{}", neighbour.str(),
                                       on, from, seconds(failed->offset_ns)));
    }
    if (icmp)
        evidence.push_back(
            fmt::format("observed: ICMP type 3 code 1 (host unreachable) sent about {}{}",
                        describe_flow(icmp->event.packet),
                        icmp_count > 1 ? fmt::format(", {} times", icmp_count) : ""));
    if (dropped)
        evidence.push_back(fmt::format("observed: {} packet{} waiting for the address dropped ({})",
                                       dropped, dropped > 1 ? "s" : "", drop_reason));
    if (owner)
        evidence.push_back(fmt::format(
            "{} is a Docker bridge: only its containers answer ARP there{}", owner->bridge,
            owner->network ? fmt::format(" (network {})", owner->network->name) : ""));
    if (owner && owner->network) finding.docker_network = network_ref(snapshot, *owner->network);
    return finding;
}

}  // namespace pathwhy
