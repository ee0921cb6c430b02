// /etc/docker/daemon.json, as far as it decides which subnets Docker picks — "bip" (docker0's
// address) and "default-address-pools" (which replace the built-in pools) — and where packets to
// published ports go without NAT ("userland-proxy"). Problems are recorded
// in DaemonConfig::error, never thrown: a broken daemon.json is a finding, not a reason to stop.
#pragma once

#include <string>
#include <string_view>

#include "model/docker_state.h"

namespace pathwhy {

// An absent file gives present = false (Docker then uses its built-in pools).
DaemonConfig read_daemon_config(const std::string& path = kDefaultDaemonJson);

// The file's text, already read; `path` only names it in messages.
DaemonConfig parse_daemon_config(std::string_view text, const std::string& path);

}  // namespace pathwhy
