// One change the kernel announced on its rtnetlink multicast groups: a link, an IPv4 address,
// route, policy rule or neighbour that appeared, changed or went away. Filled by kernel/
// (rtnl_monitor), stored by record/, read by the incident report ("the route change").
#pragma once

#include <string>
#include <variant>

#include "model/kernel_state.h"

namespace pathwhy {

struct KernelChange {
    // RTM_NEW* announces both additions and changes (a neighbour's state, a link going down);
    // RTM_DEL* removals.
    enum class Action { updated, removed };

    Action action = Action::updated;
    std::variant<Link, Address, Route, Rule, Neighbour> object;

    // "route", "address", "link", "rule", "neighbour".
    std::string object_name() const;
};

std::string kernel_change_action_name(KernelChange::Action action);  // "updated", "removed"

}  // namespace pathwhy
