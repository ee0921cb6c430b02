// The error every Docker-side failure becomes: a pathwhy::Error that also says which DockerStatus
// it means, so read_docker_state() can tell "cannot connect" (unreachable) from "connected, but
// the answer was wrong" (error) without parsing messages.
#pragma once

#include <string>

#include "common/error.h"
#include "model/docker_state.h"

namespace pathwhy {

class DockerError : public Error {
  public:
    DockerError(DockerStatus status, const std::string& action, const std::string& reason,
                std::string hint = {})
        : Error(action, reason, std::move(hint)), status_(status) {}

    DockerStatus status() const { return status_; }

    // "cannot <action>: <reason> (<hint>)": the one line DockerState::error holds.
    std::string line() const { return hint().empty() ? what() : what() + (" (" + hint() + ")"); }

  private:
    DockerStatus status_;
};

}  // namespace pathwhy
