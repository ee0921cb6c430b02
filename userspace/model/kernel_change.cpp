#include "model/kernel_change.h"

namespace pathwhy {

std::string KernelChange::object_name() const {
    static constexpr const char* kNames[] = {"link", "address", "route", "rule", "neighbour"};
    static_assert(std::size(kNames) == std::variant_size_v<decltype(object)>);
    return kNames[object.index()];
}

std::string kernel_change_action_name(KernelChange::Action action) {
    return action == KernelChange::Action::removed ? "removed" : "updated";
}

}  // namespace pathwhy
