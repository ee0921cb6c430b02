// A record's body as JSON, whichever of the RecordBody alternatives it holds: the one place that
// knows which JSON shape belongs to which RecordType.
#pragma once

#include <nlohmann/json.hpp>

#include "record/records.h"

namespace pathwhy::record_json {

nlohmann::json body_to_json(const RecordBody& body);
// Throws RecordDecodeError (json_fields.h) for an unknown type or a body of the wrong shape.
RecordBody body_from_json(RecordType type, const nlohmann::json& j);

nlohmann::json snapshot_to_json(const Snapshot& snapshot);
Snapshot snapshot_from_json(const nlohmann::json& j);

}  // namespace pathwhy::record_json
