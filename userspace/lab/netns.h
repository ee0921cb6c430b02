// Lab network namespaces (`ip netns add/del`, so they show in `ip netns list` and are findable
// after a crash) and the veth pairs between them. Interfaces are created directly inside lab
// namespaces: nothing ever appears, even briefly, in the machine's own namespace.
#pragma once

#include <string>
#include <vector>

#include "common/process.h"

namespace pathwhy::lab {

inline constexpr std::string_view kNetnsDir = "/run/netns";

class LabNamespace {
  public:
    // `ip netns add NAME`, then loopback up. Throws Error if the name is taken.
    explicit LabNamespace(std::string name);
    // `ip netns del NAME`; never throws (a failure is printed: it leaves something behind).
    ~LabNamespace();
    LabNamespace(const LabNamespace&) = delete;
    LabNamespace& operator=(const LabNamespace&) = delete;

    const std::string& name() const { return name_; }
    std::string path() const;  // /run/netns/NAME, for nsenter --net= and setns()

    // `ip -n NAME ARGS...`; returns stdout, throws Error on failure.
    std::string ip(const std::vector<std::string>& args) const;
    // argv wrapped to run inside this namespace: `nsenter --net=PATH argv...`. nsenter, not
    // `ip netns exec`, because the latter remounts /sys and dockerd then fails with "Devices
    // cgroup isn't mounted".
    std::vector<std::string> exec_argv(const std::vector<std::string>& argv) const;
    ProcessResult exec(const std::vector<std::string>& argv, const RunOptions& options = {}) const;

  private:
    std::string name_;
};

// A veth pair with one end in each namespace, both ends up.
void connect_veth(const LabNamespace& a, const std::string& a_interface, const LabNamespace& b,
                  const std::string& b_interface);

// Names in /run/netns (what `ip netns list` shows).
std::vector<std::string> list_namespaces();
// `ip netns del NAME`, for namespaces no LabNamespace owns (the stale-lab reaper).
ProcessResult delete_namespace(const std::string& name);

}  // namespace pathwhy::lab
