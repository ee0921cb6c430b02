// A seed incident as a lab scenario: what it is (id, one line), the daemon it happened on, the
// steps that reproduce it in a Lab (up, break) and undo it (heal), a bounded probe that shows its
// symptom, and what pathwhy must answer. One definition per seed serves the privileged tests,
// `pathwhy demo <id>` and the Vagrant VM alike: catalog.h lists them, scenario_lab.h runs one.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lab/lab.h"

namespace pathwhy::scenario {

// What a scenario's probe saw: whether the incident's path works, and what to show a reader
// (the command as run and its output, or a count of what arrived).
struct ProbeResult {
    bool works = false;
    std::vector<std::string> shown;
};

// The host's uplink address (172.18.2.172): where the peer's connections arrive.
Ipv4Address lab_host_address();

// busybox ping's arguments for one echo, waiting two seconds at most for the reply, from
// `source` when given (the peer's office, VPC or bastion address, whose replies are what the
// incident loses).
std::vector<std::string> ping_argv(Ipv4Address destination, std::optional<Ipv4Address> source);
// Runs that ping inside FROM (bounded), showing the command exactly as run and its output.
ProbeResult ping(const lab::LabNamespace& from, Ipv4Address destination,
                 std::optional<Ipv4Address> source = std::nullopt);

// The steps that change a lab, as an object per run so that a scenario remembers between steps
// what it created. Each step throws Error when the lab does not behave as the incident needs
// (e.g. Docker picked another subnet), so a test fails on the lab, not on pathwhy.
class Incident {
  public:
    virtual ~Incident() = default;
    // What the scenario adds to the base lab before the incident: addresses, routes, projects
    // that were running all along.
    virtual void up(lab::Lab& lab) = 0;
    // Reproduces the incident. Returns what pathwhy's finding must mention (the network, its
    // bridge and compose project; or the container and its address), known only once Docker
    // has picked ids and addresses.
    virtual std::vector<std::string> break_incident(lab::Lab& lab) = 0;
    // Why the lab's engine prevents the incident (one line), known once break_incident() ran:
    // then the probe must work and pathwhy find the path healthy. nullopt: it happened.
    virtual std::optional<std::string> prevented() const { return std::nullopt; }
    // Applies the fix pathwhy recommends; afterwards pathwhy must find the path healthy.
    virtual void heal(lab::Lab& lab) = 0;
    // Shows the symptom, bounded and inside the lab: the path fails while the incident is on
    // and works once it is healed (and before it broke).
    virtual ProbeResult probe(const lab::Lab& lab) const = 0;
};

struct Scenario {
    std::string id;               // the seed's number: "000"
    std::string title;            // one line, for `pathwhy demo --list`
    std::string destination;      // what pathwhy is asked about (its DESTINATION argument)
    std::string finding_kind;     // the finding pathwhy must report once the incident is on
    std::string breaks;           // what break does, one line, for the demo's narration
    std::string heals;            // what heal does, one line
    std::string symptom;          // what the probe checks, one line
    lab::DockerdOptions dockerd;  // the daemon the incident happened on
    std::function<std::unique_ptr<Incident>()> make;
};

}  // namespace pathwhy::scenario
