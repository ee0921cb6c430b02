#include "report/observed_text.h"

#include <fmt/format.h>

#include <map>

#include "explain/event_names.h"

namespace pathwhy {
namespace {

using Kind = ObservedEvent::Kind;

constexpr std::size_t kMaxPackets = 12;

std::string offset(std::uint64_t ns) {
    if (ns < 1'000'000'000) return fmt::format("+{:.3f} ms", ns / 1e6);
    return fmt::format("+{:.2f} s", ns / 1e9);
}

std::string devices(const std::string& in, const std::string& out) {
    std::string text;
    if (!in.empty()) text += "in " + in;
    if (!out.empty()) text += (text.empty() ? "out " : "  out ") + out;
    return text;
}

std::string endpoint(Ipv4Address address, std::uint16_t port, std::uint8_t protocol) {
    const bool ports = protocol == 6 || protocol == 17 || protocol == 132;
    return ports ? fmt::format("{}:{}", address.str(), port) : address.str();
}

// "DNAT → 172.18.0.2:80", "SNAT → 172.18.2.172:40312": the addresses after NAT.
std::string rewrite_text(const AddressRewrite& rewrite) {
    const FlowTuple& after = rewrite.after;
    std::string text;
    if (rewrite.destination_changed())
        text += "DNAT → " + endpoint(after.destination, after.destination_port, after.protocol);
    if (rewrite.source_changed())
        text += (text.empty() ? "" : "  ") + std::string("SNAT → ") +
                endpoint(after.source, after.source_port, after.protocol);
    return text;
}

std::string line(const ObservedStep& step, const std::string& what, const std::string& detail) {
    return fmt::format("      {:>11}  {:<13}{}\n", offset(step.offset_ns), what, detail);
}

// The hop's own line, preceded by a rewrite that happened before it, between two hooks.
std::string hop_lines(const ObservedPath& path, const PacketPath& packet, std::size_t h,
                      const Painter& paint) {
    const Hop& hop = packet.hops[h];
    const ObservedStep& step = path.steps[hop.entry_step ? *hop.entry_step : *hop.exit_step];
    std::string before, detail = fmt::format("{:<36}  ", devices(hop.in_dev, hop.out_dev));
    switch (hop.verdict) {
        case HopVerdict::accepted:
            detail += "accepted";
            break;
        case HopVerdict::dropped:
            detail += paint.red("DROPPED");
            break;
        case HopVerdict::unfinished:
            detail += "not seen leaving";
            break;
    }
    for (const auto& rewrite : packet.rewrites) {
        if (rewrite.hop != h) continue;
        if (rewrite.where == netfilter_hook_name(hop.hook)) {
            detail += "  " + rewrite_text(rewrite);
        } else {
            before += line(step, "rewritten", rewrite_text(rewrite) + " (" + rewrite.where + ")");
        }
    }
    return before + line(step, netfilter_hook_name(hop.hook), detail);
}

std::string step_line(const ObservedStep& step) {
    const ObservedEvent& e = step.event;
    switch (e.kind) {
        case Kind::route_lookup: {
            std::string detail = "table " + table_name(e.table) + " → ";
            if (e.lookup_error)
                return line(step, "route lookup", detail + lookup_error_name(e.lookup_error));
            if (e.gateway) detail += "via " + e.gateway->str() + " ";
            detail += step.nexthop_dev.empty() ? "(local)" : "dev " + step.nexthop_dev;
            if (is_address_check(e)) {
                detail += "  (an address-type check)";
            } else if (!step.in_dev.empty() && step.in_dev != "lo") {
                detail += "  (arrived on " + step.in_dev + ")";
            }
            return line(step, "route lookup", detail);
        }
        case Kind::drop:
            return line(
                step, "dropped",
                (e.drop_reason_name.empty() ? std::to_string(e.drop_reason) : e.drop_reason_name) +
                    (e.drop_location.empty() ? "" : " in " + e.drop_location));
        case Kind::icmp_error: {
            std::string detail =
                fmt::format("{} (type {} code {})", icmp_meaning(e.icmp_type, e.icmp_code),
                            e.icmp_type, e.icmp_code);
            if (std::string said = icmp_socket_error(e.icmp_type, e.icmp_code); !said.empty())
                detail += ": the sender sees \"" + said + "\"";
            return line(step, "ICMP sent", detail);
        }
        case Kind::neighbour:
            return line(step, "neighbour",
                        fmt::format("{}{}  {} → {}", e.neighbour.str(),
                                    step.out_dev.empty() ? "" : " on " + step.out_dev,
                                    nud_state_name(e.old_state), nud_state_name(e.new_state)));
        case Kind::netfilter:
            break;  // shown as hops
    }
    return {};
}

// Lines of one section, where a route lookup repeated at once (connect() asks twice, Docker's
// addrtype rules once per hook) is one line with a count.
class Section {
  public:
    void add(const ObservedStep& step, std::string text) {
        std::string key = step.event.kind == Kind::route_lookup ? repeat_key(step) : "";
        if (!key.empty() && key == last_key_) {
            ++repeats_;
            return;
        }
        flush();
        last_key_ = std::move(key);
        pending_ = std::move(text);
    }
    void add(std::string text) {
        flush();
        last_key_.clear();
        pending_ = std::move(text);
    }
    std::string take() {
        flush();
        return std::move(out_);
    }

  private:
    static std::string repeat_key(const ObservedStep& step) {
        const ObservedEvent& e = step.event;
        return fmt::format("{}/{}/{}/{}/{}", e.table, e.lookup_error, step.nexthop_dev,
                           e.gateway ? e.gateway->str() : "", step.in_dev);
    }
    void flush() {
        if (pending_.empty()) return;
        if (repeats_) pending_.insert(pending_.size() - 1, fmt::format("  ×{}", repeats_ + 1));
        out_ += pending_;
        pending_.clear();
        repeats_ = 0;
    }

    std::string out_, pending_, last_key_;
    int repeats_ = 0;
};

std::string header(const TraceInfo& trace) {
    std::string text;
    if (trace.mode == Observation::Mode::probe) {
        text = "probe " + trace.probe + (trace.from.empty() ? "" : " from " + trace.from);
        if (!trace.outcome.empty())
            text +=
                fmt::format(" → {} after {:.2f} s", trace.outcome, trace.outcome_after_ms / 1e3);
    } else {
        text = fmt::format("watched {} s{}", trace.watch_seconds,
                           trace.interrupted ? " (ended early by Ctrl-C)" : "");
    }
    text += fmt::format(" · {} events", trace.events);
    if (trace.lost_events) text += fmt::format(", {} lost", trace.lost_events);
    return text;
}

// A packet's lines: its hops, and its route lookups, drops and ICMP errors, in time order.
std::string packet_body(const ObservedPath& path, const PacketPath& packet, const Painter& paint) {
    std::map<std::size_t, std::size_t> hop_at;  // step -> the hop shown there
    for (std::size_t h = 0; h < packet.hops.size(); ++h) {
        const Hop& hop = packet.hops[h];
        hop_at[hop.entry_step ? *hop.entry_step : *hop.exit_step] = h;
    }
    Section section;
    for (std::size_t index : packet.steps) {
        if (auto hop = hop_at.find(index); hop != hop_at.end()) {
            section.add(hop_lines(path, packet, hop->second, paint));
        } else if (path.steps[index].event.kind != Kind::netfilter) {
            section.add(path.steps[index], step_line(path.steps[index]));
        }
    }
    return section.take();
}

// The lines without their time column (line() puts it first, at a fixed width): two packets
// that read the same apart from when are the same path.
std::string without_offsets(const std::string& body) {
    constexpr std::size_t kTimeColumn = 19;
    std::string shape;
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        if (end - start > kTimeColumn)
            shape.append(body, start + kTimeColumn, end - start - kTimeColumn);
        shape += '\n';
        start = end + 1;
    }
    return shape;
}

std::uint64_t first_offset(const ObservedPath& path, const PacketPath& packet) {
    return packet.steps.empty() ? 0 : path.steps[packet.steps.front()].offset_ns;
}

}  // namespace

std::string render_observed_path(const Diagnosis& diagnosis, const Painter& paint) {
    if (!diagnosis.trace) return {};
    const ObservedPath& path = diagnosis.observed;
    std::string out = "\n  " + paint.bold("kernel path") + "  " + header(*diagnosis.trace) + "\n";
    std::size_t p = 0;
    // Each packet's lines are made once: the packet that ends a run of one path starts the next.
    std::string next_body;
    for (std::size_t shown = 0; p < path.packets.size() && shown < kMaxPackets; ++shown) {
        const std::string body =
            next_body.empty() ? packet_body(path, path.packets[p], paint) : std::move(next_body);
        next_body.clear();
        // A stream repeats one path packet after packet: shown once, with the count.
        const std::string path_shape = without_offsets(body);
        std::size_t end = p + 1;
        for (; end < path.packets.size(); ++end) {
            next_body = packet_body(path, path.packets[end], paint);
            if (without_offsets(next_body) != path_shape) break;
            next_body.clear();
        }
        const std::string numbers =
            end - p == 1 ? fmt::format("packet {}", p + 1) : fmt::format("packets {}–{}", p + 1, end);
        out += fmt::format("    {}  {}\n", paint.bold(numbers),
                           describe_flow(path.packets[p].first_seen));
        out += body;
        if (end - p > 1) {
            const std::uint64_t span = first_offset(path, path.packets[end - 1]) -
                                       first_offset(path, path.packets[p]);
            out += paint.dim(fmt::format("      the same path for all {}, one every {:.1f} ms on "
                                         "average (times above: packet {})",
                                         end - p, span / 1e6 / static_cast<double>(end - p - 1),
                                         p + 1)) +
                   "\n";
        }
        p = end;
    }
    if (p < path.packets.size())
        out += paint.dim(fmt::format("    … and {} more packets (all of them: --json)",
                                     path.packets.size() - p)) +
               "\n";
    Section unattached;
    for (const auto& step : path.steps)
        if (step.packet < 0) unattached.add(step, step_line(step));
    const std::string others = unattached.take();
    if (!others.empty()) out += "    " + paint.bold("not tied to one packet") + "\n" + others;
    return out;
}

}  // namespace pathwhy
