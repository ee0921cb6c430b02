#include "model/observed_event.h"

namespace pathwhy {

std::string netfilter_hook_name(NetfilterHook hook) {
    switch (hook) {
        case NetfilterHook::prerouting: return "PREROUTING";
        case NetfilterHook::local_in: return "INPUT";
        case NetfilterHook::forward: return "FORWARD";
        case NetfilterHook::local_out: return "OUTPUT";
        case NetfilterHook::postrouting: return "POSTROUTING";
    }
    return "?";
}

}  // namespace pathwhy
