#include "scenario/scenario_lab.h"

#include <fmt/format.h>

#include "common/error.h"

namespace pathwhy::scenario {

ScenarioLab::ScenarioLab(const Scenario& scenario, StepReporter on_step, std::string engine)
    : scenario_(scenario), on_step_(std::move(on_step)), incident_(scenario.make()) {
    lab::LabOptions options;
    options.dockerd = scenario.dockerd;
    options.dockerd.engine = std::move(engine);
    options.on_step = on_step_;
    lab_.emplace(options);
    incident_->up(*lab_);
}

void ScenarioLab::report(std::string_view step) const {
    if (on_step_) on_step_(step);
}

lab::Lab& ScenarioLab::live_lab(std::string_view step) {
    if (!lab_)
        throw Error(fmt::format("{} scenario {}", step, scenario_.id), "its lab is down already");
    return *lab_;
}

Expected ScenarioLab::break_incident() {
    lab::Lab& lab = live_lab("break");
    report("break: " + scenario_.breaks);
    Expected expected{scenario_.finding_kind, incident_->break_incident(lab)};
    if (auto why = incident_->prevented()) expected = Expected{.prevented_because = *why};
    broken_ = true;
    return expected;
}

void ScenarioLab::heal() {
    lab::Lab& lab = live_lab("heal");
    if (!broken_)
        throw Error("heal scenario " + scenario_.id, "its incident has not been broken yet");
    report("heal: " + scenario_.heals);
    incident_->heal(lab);
    broken_ = false;
}

// The incident first: it may hold processes inside the lab (seed 003's UDP stream).
void ScenarioLab::down() {
    incident_.reset();
    lab_.reset();
}

const lab::Lab& ScenarioLab::lab() const {
    if (!lab_) throw Error("use the lab of scenario " + scenario_.id, "it is down already");
    return *lab_;
}

ProbeResult ScenarioLab::probe() const { return incident_->probe(lab()); }

DiagnoseTarget ScenarioLab::target() const { return diagnose_target(lab(), scenario_.destination); }

}  // namespace pathwhy::scenario
