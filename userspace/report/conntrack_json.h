// The --json form of a diagnosis's published-port parts: "port" (the port asked about and who
// publishes it now) and a stale-conntrack finding's "conntrack" (the entries with both tuples,
// and where they send the flow instead). Part of the documented JSON contract (README, "JSON
// output"): fields keep their names and types.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "explain/port_refs.h"

namespace pathwhy {

nlohmann::json published_port_to_json(const std::optional<PublishedPortRef>& port);
nlohmann::json conntrack_to_json(const std::optional<ConntrackRef>& conntrack);
// One entry as `conntrack -L -o extended` shows it, as JSON (also used by `--fix`'s report).
nlohmann::json conntrack_entry_to_json(const ConntrackEntry& entry);

}  // namespace pathwhy
