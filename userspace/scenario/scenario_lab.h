// Running one scenario: the constructor is its `up` (the base lab with the scenario's dockerd,
// then the scenario's own additions), break_incident() and heal() change the lab, and down() or
// the destructor takes everything away again — also after a step that threw, and after Ctrl-C
// under an InterruptGuard (common/interrupt.h).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "lab/lab.h"
#include "scenario/diagnose_target.h"
#include "scenario/expectation.h"
#include "scenario/scenario.h"

namespace pathwhy::scenario {

class ScenarioLab {
  public:
    // Told each step as it starts ("starting dockerd", "break: ..."), e.g. for progress lines.
    using StepReporter = std::function<void(std::string_view step)>;

    // ENGINE: the Docker engine to run the scenario's dockerd on (lab/docker_engine.h).
    explicit ScenarioLab(const Scenario& scenario, StepReporter on_step = {},
                         std::string engine = lab::default_engine());
    ScenarioLab(const ScenarioLab&) = delete;
    ScenarioLab& operator=(const ScenarioLab&) = delete;

    // Reproduces the incident; returns what pathwhy must now report.
    Expected break_incident();
    // Applies the fix; pathwhy must then find the path healthy. Only after break_incident().
    void heal();
    // Tears the lab down now rather than at destruction; the other steps are gone afterwards.
    void down();

    // The incident's probe (Incident::probe): bounded, inside the lab.
    ProbeResult probe() const;
    DiagnoseTarget target() const;
    const Scenario& scenario() const { return scenario_; }
    const lab::Lab& lab() const;

  private:
    lab::Lab& live_lab(std::string_view step);
    void report(std::string_view step) const;

    const Scenario& scenario_;
    StepReporter on_step_;
    std::optional<lab::Lab> lab_;
    std::unique_ptr<Incident> incident_;
    bool broken_ = false;
};

}  // namespace pathwhy::scenario
