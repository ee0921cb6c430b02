#include "record/records.h"

namespace pathwhy {

std::string record_type_name(RecordType type) {
    switch (type) {
        case RecordType::session: return "session";
        case RecordType::snapshot: return "snapshot";
        case RecordType::observed: return "observed";
        case RecordType::docker_event: return "docker-event";
        case RecordType::kernel_change: return "kernel-change";
        case RecordType::conntrack: return "conntrack";
        case RecordType::incident: return "incident";
        case RecordType::note: return "note";
    }
    return "unknown";
}

}  // namespace pathwhy
