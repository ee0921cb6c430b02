// Turns one ring-buffer sample (a struct from bpf/events.h) into an ObservedEvent. Pure: names
// it cannot know by itself (the kernel's drop reasons, symbols of drop locations) are asked of
// the caller, so decoding is unit-tested without a kernel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "model/observed_event.h"

namespace pathwhy {

struct EventNames {
    std::function<std::string(std::uint32_t)> drop_reason;    // 12 -> "NETFILTER_DROP"
    std::function<std::string(std::uint64_t)> kernel_symbol;  // -> "nft_do_chain+0x4a2"
};

// nullopt for a sample whose size does not match its kind (a build mismatch: never
// reinterpreted), an unknown kind or a netfilter hook number out of range.
std::optional<ObservedEvent> decode_event(const void* data, std::size_t size,
                                          const EventNames& names);

}  // namespace pathwhy
