// Building and importing the busybox image.
#include "lab/busybox_image.h"

#include <filesystem>

#include "common/error.h"

namespace pathwhy::lab {
namespace {

namespace fs = std::filesystem;

// busybox-static: no shared libraries to copy, so the root filesystem is one file and links.
constexpr const char* kBusybox = "/bin/busybox";
// What lab containers and scenarios call: a shell, the network tools and `sleep` to stay up.
constexpr const char* kApplets[] = {"sh",     "ip",  "ping", "nc", "sleep",
                                    "udhcpc", "cat", "echo", "ls"};

}  // namespace

void import_busybox_image(const LabDockerd& dockerd) {
    const fs::path rootfs = fs::path(dockerd.dir()) / "rootfs";
    try {
        fs::create_directories(rootfs / "bin");
        fs::copy_file(kBusybox, rootfs / "bin" / "busybox", fs::copy_options::overwrite_existing);
        for (const char* applet : kApplets) {
            fs::remove(rootfs / "bin" / applet);
            fs::create_symlink("busybox", rootfs / "bin" / applet);
        }
    } catch (const fs::filesystem_error& e) {
        throw Error("build the busybox root filesystem in " + rootfs.string(), e.what(),
                    "install busybox-static");
    }
    // tar's output goes to `docker import -` on stdin (about 2 MB).
    RunOptions import;
    import.stdin_data = run_checked({"tar", "-C", rootfs.string(), "-c", "."}).out;
    dockerd.docker({"import", "-", std::string(kBusyboxImage)}, std::move(import));
}

}  // namespace pathwhy::lab
