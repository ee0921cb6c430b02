// LabNamespace, veths and /run/netns listing, all through iproute2.
#include "lab/netns.h"

#include <fmt/format.h>

#include <filesystem>

#include "common/error.h"
#include "lab/teardown.h"

namespace pathwhy::lab {
LabNamespace::LabNamespace(std::string name) : name_(std::move(name)) {
    // Uninterruptible: an `ip netns add` killed halfway could leave a namespace nobody owns.
    run_checked({"ip", "netns", "add", name_}, uninterruptible());
    try {
        ip({"link", "set", "lo", "up"});
    } catch (...) {
        delete_namespace(name_);
        throw;
    }
}

LabNamespace::~LabNamespace() {
    try {
        const ProcessResult result = delete_namespace(name_);
        if (!result.ok())
            report_teardown_problem(
                fmt::format("cannot delete namespace {}: {}", name_, result.failure()));
    } catch (const std::exception& e) {
        report_teardown_problem(e.what());
    }
}

std::string LabNamespace::path() const { return fmt::format("{}/{}", kNetnsDir, name_); }

std::string LabNamespace::ip(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"ip", "-n", name_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_checked(argv).out;
}

std::vector<std::string> LabNamespace::exec_argv(const std::vector<std::string>& argv) const {
    std::vector<std::string> wrapped{"nsenter", "--net=" + path(), "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return wrapped;
}

ProcessResult LabNamespace::exec(const std::vector<std::string>& argv,
                                 const RunOptions& options) const {
    return run_command(exec_argv(argv), options);
}

void connect_veth(const LabNamespace& a, const std::string& a_interface, const LabNamespace& b,
                  const std::string& b_interface) {
    a.ip({"link", "add", a_interface, "type", "veth", "peer", "name", b_interface, "netns",
          b.name()});
    a.ip({"link", "set", a_interface, "up"});
    b.ip({"link", "set", b_interface, "up"});
}

std::vector<std::string> list_namespaces() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(kNetnsDir, ec))
        names.push_back(entry.path().filename());
    return names;
}

ProcessResult delete_namespace(const std::string& name) {
    return run_command({"ip", "netns", "del", name}, uninterruptible());
}

}  // namespace pathwhy::lab
