#include "record/incident_alerts.h"

#include <fmt/format.h>

#include "common/process.h"
#include "record/time_text.h"
#include "report/json_report.h"

namespace pathwhy {
namespace {

constexpr std::size_t kBacklog = 8;

}  // namespace

nlohmann::json incident_json(const IncidentChange& change, const std::string& host,
                             const std::string& recording) {
    const WatchedIncident& incident = change.incident;
    const auto time = change.opened ? incident.opened_ns : incident.closed_ns.value_or(0);
    return {
        {"event", change.opened ? "opened" : "resolved"},
        {"time", iso_time(time)},
        {"watched", incident.watched.str()},
        {"destination", incident.destination.str()},
        {"headline", incident.headline},
        {"opened", iso_time(incident.opened_ns)},
        {"resolved", incident.closed_ns ? nlohmann::json(iso_time(*incident.closed_ns))
                                        : nlohmann::json(nullptr)},
        {"finding", findings_to_json({incident.finding}).at(0)},
        {"host", host},
        {"recording", recording},
    };
}

std::string incident_line(const IncidentChange& change) {
    const WatchedIncident& incident = change.incident;
    if (change.opened)
        return fmt::format("INCIDENT {} {}: {}", incident.watched.str(), incident.finding.kind,
                           incident.finding.summary);
    return fmt::format("RESOLVED {} {} after {}: {}", incident.watched.str(),
                       incident.finding.kind,
                       duration_text(incident.closed_ns.value_or(incident.opened_ns) -
                                     incident.opened_ns),
                       incident.finding.summary);
}

IncidentAlerts::IncidentAlerts(std::string command, std::chrono::seconds time_limit, Print print)
    : command_(std::move(command)), time_limit_(time_limit), print_(std::move(print)) {
    if (!command_.empty()) thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

IncidentAlerts::~IncidentAlerts() {
    thread_.request_stop();
    queued_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void IncidentAlerts::raise(const IncidentChange& change, const nlohmann::json& json) {
    print_(incident_line(change));
    if (command_.empty()) return;
    {
        std::lock_guard lock(mutex_);
        if (inputs_.size() >= kBacklog) {
            print_("--on-incident: " + std::to_string(inputs_.size()) +
                   " commands still waiting; this incident's is skipped");
            return;
        }
        inputs_.push_back(json.dump() + "\n");
    }
    queued_.notify_one();
}

void IncidentAlerts::run(std::stop_token stop) {
    for (;;) {
        std::string input;
        {
            std::unique_lock lock(mutex_);
            if (!queued_.wait(lock, stop, [&] { return !inputs_.empty(); })) return;
            input = std::move(inputs_.front());
            inputs_.pop_front();
        }
        RunOptions options = uninterruptible(time_limit_);
        options.stdin_data = std::move(input);
        try {
            const auto result = run_command({"/bin/sh", "-c", command_}, options);
            if (result.timed_out)
                print_(fmt::format("--on-incident: the command did not finish within {} s and "
                                   "was killed",
                                   time_limit_.count()));
            else if (!result.ok())
                print_("--on-incident: the command " + result.failure());
        } catch (const std::exception& e) {
            print_(std::string("--on-incident: ") + e.what());
        }
    }
}

}  // namespace pathwhy
