// Finding and removing stale labs.
#include "lab/stale_labs.h"

#include <filesystem>

#include "lab/dockerd.h"
#include "lab/lab_dir.h"
#include "lab/naming.h"
#include "lab/netns.h"

namespace pathwhy::lab {
namespace {

bool stale(const std::optional<LabId>& id) { return id && owner_gone(*id); }

}  // namespace

ReapReport reap_stale_labs() {
    ReapReport report;
    // Dirs first: stopping a dead lab's dockerd releases the namespace it runs in.
    std::vector<std::string> stale_dirs;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(kLabDirParent, ec))
        if (stale(parse_lab_dir_name(entry.path().filename().string())))
            stale_dirs.push_back(entry.path());
    for (const auto& dir : stale_dirs) {
        try {
            // Gracefully first, so that containerd's shims clean up after themselves; the sweep
            // then kills whatever is left.
            auto problems = stop_orphaned_dockerd(dir);
            const auto swept = remove_lab_dir(dir);
            problems.insert(problems.end(), swept.begin(), swept.end());
            if (problems.empty()) report.dirs.push_back(dir);
            report.problems.insert(report.problems.end(), problems.begin(), problems.end());
        } catch (const std::exception& e) {
            report.problems.push_back(e.what());
        }
    }
    for (const auto& name : list_namespaces()) {
        if (!stale(parse_namespace_name(name))) continue;
        try {
            const ProcessResult result = delete_namespace(name);
            if (result.ok()) {
                report.namespaces.push_back(name);
            } else if (std::filesystem::exists(std::string(kNetnsDir) + "/" + name)) {
                // A concurrent run may have reaped it first: only one still there is a problem.
                report.problems.push_back("cannot delete namespace " + name + ": " +
                                          result.failure());
            }
        } catch (const std::exception& e) {
            report.problems.push_back(e.what());
        }
    }
    return report;
}

}  // namespace pathwhy::lab
