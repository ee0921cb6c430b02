#include "explain/diagnosis.h"

#include <fmt/format.h>

namespace pathwhy {

std::string verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::ok: return "ok";
        case Verdict::misrouted: return "misrouted";
        case Verdict::unreachable: return "unreachable";
        case Verdict::dropped: return "dropped";
    }
    return "ok";
}

std::string severity_name(Severity severity) {
    switch (severity) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::critical: return "critical";
    }
    return "info";
}

std::string unfinished_cause_id(UnfinishedPacket::Cause cause) {
    switch (cause) {
        case UnfinishedPacket::Cause::tracer_stopped:
            return "tracer_stopped";
        case UnfinishedPacket::Cause::not_seen_yet:
            return "not_seen_yet";
        case UnfinishedPacket::Cause::events_lost:
            return "events_lost";
        case UnfinishedPacket::Cause::not_freed:
            return "not_freed";
    }
    return "not_freed";
}

std::string table_name(std::uint32_t table) {
    switch (table) {
        case kTableLocal: return "local";
        case kTableMain: return "main";
        case kTableDefault: return "default";
        default: return std::to_string(table);
    }
}

std::string RouteChoice::describe() const {
    std::string text = prefix.length == 0 ? "default" : prefix.str();
    if (type != RouteType::unicast) text = route_type_name(type) + " " + text;
    if (gateway) text += " via " + gateway->str();
    if (!dev.empty()) text += " dev " + dev;
    if (src) text += " src " + src->str();
    if (metric) text += fmt::format(" metric {}", metric);
    return text + " (table " + table + ")";
}

}  // namespace pathwhy
