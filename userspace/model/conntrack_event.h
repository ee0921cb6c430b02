// One conntrack event (NFNLGRP_CONNTRACK_NEW/UPDATE/DESTROY): a flow the kernel started, moved
// to another state, or forgot. A TCP flow that reached ESTABLISHED got its replies through; one
// destroyed without ever getting there did not. Filled by kernel/ (conntrack_monitor), stored by
// record/, read by the incident report for "last healthy traffic" and the flows affected.
#pragma once

#include <cstdint>
#include <string>

#include "model/conntrack_entry.h"

namespace pathwhy {

struct ConntrackEvent {
    enum class Type { created, updated, destroyed };

    Type type = Type::created;
    ConntrackEntry entry;  // entry.id follows one flow across its events

    bool established() const;  // TCP: ESTABLISHED or later; others: a reply was seen
};

std::string conntrack_event_type_name(ConntrackEvent::Type type);  // "new", "update", "destroy"

}  // namespace pathwhy
