#include "record/record_json.h"

#include "record/docker_json.h"
#include "record/event_json.h"
#include "record/json_fields.h"
#include "record/kernel_json.h"
#include "record/ruleset_json.h"

namespace pathwhy::record_json {
namespace {

json view_to_json(const ViewStatus& view) {
    json j = {{"view", kernel_view_id(view.view)}, {"active", view.active}};
    put(j, "mechanism", view.mechanism);
    put(j, "reason", view.reason);
    put(j, "loss", view.loss);
    return j;
}

ViewStatus view_from_json(const json& j) {
    ViewStatus view;
    view.view = named(j, "view",
                      {KernelView::route_lookups, KernelView::netfilter_verdicts, KernelView::nat,
                       KernelView::conntrack, KernelView::drops, KernelView::icmp,
                       KernelView::neighbours},
                      kernel_view_id);
    view.active = boolean(j, "active");
    view.mechanism = text(j, "mechanism");
    view.reason = text(j, "reason");
    view.loss = text(j, "loss");
    return view;
}

json source_to_json(const SourceStatus& source) {
    json j = {{"name", source.name}, {"active", source.active}};
    put(j, "detail", source.detail);
    return j;
}

SourceStatus source_from_json(const json& j) {
    return {text(j, "name"), boolean(j, "active"), text(j, "detail")};
}

json session_to_json(const SessionInfo& session) {
    json watched = json::array();
    for (const auto& prefix : session.watched) watched.push_back(prefix.str());
    json j = {{"pathwhy", session.pathwhy_version},
              {"watched", watched},
              {"started_ns", session.started_unix_ns},
              {"monotonic_to_unix_ns", session.monotonic_to_unix_ns}};
    put(j, "hostname", session.hostname);
    put(j, "netns", session.netns);
    put(j, "docker_endpoint", session.docker_endpoint);
    put(j, "file_index", session.file_index);
    put_array(j, "views", session.views, view_to_json);
    put_array(j, "sources", session.sources, source_to_json);
    return j;
}

SessionInfo session_from_json(const json& j) {
    SessionInfo session;
    session.pathwhy_version = text(j, "pathwhy");
    session.hostname = text(j, "hostname");
    session.netns = text(j, "netns");
    session.docker_endpoint = text(j, "docker_endpoint");
    session.watched = array(j, "watched", [](const json& prefix) {
        auto parsed = prefix.is_string() ? Ipv4Cidr::parse(prefix.get<std::string>()) : std::nullopt;
        if (!parsed) bad_field("watched", "a list of IPv4 prefixes");
        return *parsed;
    });
    session.started_unix_ns = integer<std::int64_t>(j, "started_ns");
    session.monotonic_to_unix_ns = integer<std::int64_t>(j, "monotonic_to_unix_ns");
    session.file_index = integer<std::uint32_t>(j, "file_index");
    session.views = array(j, "views", view_from_json);
    session.sources = array(j, "sources", source_from_json);
    return session;
}

json incident_to_json(const IncidentMark& mark) {
    return {{"opened", mark.opened},        {"watched", mark.watched.str()},
            {"destination", mark.destination.str()}, {"kind", mark.kind},
            {"summary", mark.summary},      {"finding", mark.finding_json}};
}

IncidentMark incident_from_json(const json& j) {
    IncidentMark mark;
    mark.opened = boolean(j, "opened");
    mark.watched = cidr(j, "watched").value_or(Ipv4Cidr{});
    mark.destination = address(j, "destination").value_or(Ipv4Address{});
    mark.kind = text(j, "kind");
    mark.summary = text(j, "summary");
    mark.finding_json = text(j, "finding");
    return mark;
}

}  // namespace

json snapshot_to_json(const Snapshot& snapshot) {
    json answers = json::array();
    for (const auto& [destination, answer] : snapshot.kernel_answers) {
        json entry = route_answer_to_json(answer);
        entry["destination"] = destination.str();
        answers.push_back(std::move(entry));
    }
    json j = {{"taken_at", snapshot.taken_at_unix},
              {"kernel", kernel_state_to_json(snapshot.kernel)},
              {"docker", docker_state_to_json(snapshot.docker)}};
    put(j, "netns", snapshot.netns);
    if (!answers.empty()) j["kernel_answers"] = std::move(answers);
    if (snapshot.ruleset) j["ruleset"] = ruleset_to_json(*snapshot.ruleset);
    if (snapshot.conntrack) {
        json conntrack = {{"error", snapshot.conntrack->error}};
        put_array(conntrack, "entries", snapshot.conntrack->entries, conntrack_entry_to_json);
        j["conntrack"] = std::move(conntrack);
    }
    return j;
}

Snapshot snapshot_from_json(const json& j) {
    Snapshot snapshot;
    snapshot.taken_at_unix = integer<std::int64_t>(j, "taken_at");
    snapshot.netns = text(j, "netns");
    if (const json* kernel = field(j, "kernel")) snapshot.kernel = kernel_state_from_json(*kernel);
    if (const json* docker = field(j, "docker")) snapshot.docker = docker_state_from_json(*docker);
    for (const json& entry : array(j, "kernel_answers", [](const json& e) { return e; })) {
        auto destination = address(entry, "destination");
        if (!destination) bad_field("destination", "present");
        snapshot.kernel_answers[*destination] = route_answer_from_json(entry);
    }
    if (const json* ruleset = field(j, "ruleset")) snapshot.ruleset = ruleset_from_json(*ruleset);
    if (const json* conntrack = field(j, "conntrack"))
        snapshot.conntrack = ConntrackTable{text(*conntrack, "error"),
                                            array(*conntrack, "entries", conntrack_entry_from_json)};
    return snapshot;
}

json body_to_json(const RecordBody& body) {
    return std::visit(
        [](const auto& value) -> json {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, SessionInfo>) return session_to_json(value);
            if constexpr (std::is_same_v<T, Snapshot>) return snapshot_to_json(value);
            if constexpr (std::is_same_v<T, ObservedEvent>) return observed_event_to_json(value);
            if constexpr (std::is_same_v<T, DockerEvent>) return docker_event_to_json(value);
            if constexpr (std::is_same_v<T, KernelChange>) return kernel_change_to_json(value);
            if constexpr (std::is_same_v<T, ConntrackEvent>) return conntrack_event_to_json(value);
            if constexpr (std::is_same_v<T, IncidentMark>) return incident_to_json(value);
            if constexpr (std::is_same_v<T, RecordingNote>) {
                json j = {{"kind", value.kind}, {"text", value.text}};
                put(j, "count", value.count);
                return j;
            }
        },
        body);
}

RecordBody body_from_json(RecordType type, const json& j) {
    switch (type) {
        case RecordType::session: return session_from_json(j);
        case RecordType::snapshot: return snapshot_from_json(j);
        case RecordType::observed: return observed_event_from_json(j);
        case RecordType::docker_event: return docker_event_from_json(j);
        case RecordType::kernel_change: return kernel_change_from_json(j);
        case RecordType::conntrack: return conntrack_event_from_json(j);
        case RecordType::incident: return incident_from_json(j);
        case RecordType::note:
            return RecordingNote{text(j, "kind"), text(j, "text"), integer<std::uint64_t>(j, "count")};
    }
    throw RecordDecodeError("unknown record type " +
                            std::to_string(static_cast<unsigned>(type)));
}

}  // namespace pathwhy::record_json
