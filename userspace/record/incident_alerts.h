// What the recorder does the moment an incident opens or closes: one line on stderr (the journal,
// under systemd), and --on-incident's command with the incident as JSON on its stdin. Commands
// run one at a time on a thread of their own, each bounded in time (then killed with its process
// group), and a backlog beyond a few is dropped with a line saying so: a slow or hanging hook
// never holds up recording.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "explain/incident_tracker.h"

namespace pathwhy {

// The incident as --on-incident's stdin and the recording's incident marks carry it:
// {"event": "opened"|"resolved", "time", "watched", "destination", "headline", "opened",
//  "resolved", "finding": {as in `pathwhy --json`}, "host", "recording"}.
nlohmann::json incident_json(const IncidentChange& change, const std::string& host,
                             const std::string& recording);

// The stderr line: "INCIDENT 172.31.0.0/16 route-into-docker-bridge: <summary>" or
// "RESOLVED 172.31.0.0/16 route-into-docker-bridge after 3 min 2 s: <summary>".
std::string incident_line(const IncidentChange& change);

class IncidentAlerts {
  public:
    using Print = std::function<void(const std::string& line)>;

    // `command` runs with `sh -c`; empty: no command. `print` puts a line on stderr.
    IncidentAlerts(std::string command, std::chrono::seconds time_limit, Print print);
    // Lets a running command finish (within its limit); queued ones are dropped.
    ~IncidentAlerts();
    IncidentAlerts(const IncidentAlerts&) = delete;
    IncidentAlerts& operator=(const IncidentAlerts&) = delete;

    // Prints the line and hands `json` to the command. Never blocks on the command.
    void raise(const IncidentChange& change, const nlohmann::json& json);

  private:
    void run(std::stop_token stop);

    std::string command_;
    std::chrono::seconds time_limit_;
    Print print_;
    std::mutex mutex_;
    std::condition_variable_any queued_;
    std::deque<std::string> inputs_;
    std::jthread thread_;
};

}  // namespace pathwhy
