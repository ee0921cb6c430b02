// Packet-level evidence in a recording's JSON: the packet tracer's ObservedEvents, conntrack's
// entries and events. These are the bulk of a busy recording, so default-valued fields are left out.
#pragma once

#include <nlohmann/json.hpp>

#include "model/conntrack_event.h"
#include "model/observed_event.h"

namespace pathwhy::record_json {

nlohmann::json observed_event_to_json(const ObservedEvent& event);
ObservedEvent observed_event_from_json(const nlohmann::json& j);

nlohmann::json conntrack_entry_to_json(const ConntrackEntry& entry);
ConntrackEntry conntrack_entry_from_json(const nlohmann::json& j);

nlohmann::json conntrack_event_to_json(const ConntrackEvent& event);
ConntrackEvent conntrack_event_from_json(const nlohmann::json& j);

}  // namespace pathwhy::record_json
