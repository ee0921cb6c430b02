#include "explain/event_names.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace pathwhy {

std::string nud_state_name(std::uint16_t state) {
    switch (state) {
        case 0x00:
            return "NONE";
        case 0x01:
            return "INCOMPLETE";
        case 0x02:
            return "REACHABLE";
        case 0x04:
            return "STALE";
        case 0x08:
            return "DELAY";
        case 0x10:
            return "PROBE";
        case 0x20:
            return "FAILED";
        case 0x40:
            return "NOARP";
        case 0x80:
            return "PERMANENT";
    }
    return fmt::format("0x{:x}", state);
}

// IP_CT_ESTABLISHED 0, IP_CT_RELATED 1, IP_CT_NEW 2, IP_CT_IS_REPLY 3 (added to the first two),
// IP_CT_UNTRACKED 7.
std::string ctinfo_state_name(std::uint8_t ctinfo) {
    switch (ctinfo) {
        case 0:
        case 3:
            return "ESTABLISHED";
        case 1:
        case 4:
            return "RELATED";
        case 2:
            return "NEW";
        case 7:
            return "UNTRACKED";
    }
    return std::to_string(ctinfo);
}

bool ctinfo_is_reply(std::uint8_t ctinfo) { return ctinfo == 3 || ctinfo == 4; }

std::string icmp_meaning(std::uint8_t type, std::uint8_t code) {
    if (type == kIcmpDestUnreachable) {
        switch (code) {
            case 0:
                return "network unreachable";
            case 1:
                return "host unreachable";
            case 2:
                return "protocol unreachable";
            case 3:
                return "port unreachable";
            case 4:
                return "fragmentation needed";
            case 9:
            case 10:
            case 13:
                return "administratively prohibited";
        }
    }
    if (type == 11) return "time exceeded";
    if (type == 5) return "redirect";
    return fmt::format("type {} code {}", type, code);
}

std::string icmp_socket_error(std::uint8_t type, std::uint8_t code) {
    if (type != kIcmpDestUnreachable) return "";
    switch (code) {
        case 0:
            return std::strerror(ENETUNREACH);
        case 1:
            return std::strerror(EHOSTUNREACH);
        case 3:
            return std::strerror(ECONNREFUSED);
        case 9:
        case 10:
        case 13:
            return std::strerror(EHOSTUNREACH);
    }
    return "";
}

// fib_table_lookup's errors are the route types' (fib_props): a table without a match answers
// EAGAIN, and the rules go on to the next table.
std::string lookup_error_name(int error) {
    switch (error < 0 ? -error : error) {
        case EAGAIN:
            return "no match in this table (EAGAIN)";
        case ENETUNREACH:
            return "network unreachable (ENETUNREACH)";
        case EHOSTUNREACH:
            return "unreachable route (EHOSTUNREACH)";
        case EACCES:
            return "prohibit route (EACCES)";
        case EINVAL:
            return "blackhole route (EINVAL)";
    }
    return std::strerror(error < 0 ? -error : error);
}

}  // namespace pathwhy
