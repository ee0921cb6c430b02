// NetnsScope: open the target namespace file, make sure it is a network namespace, setns(2) into
// it, and setns back on the way out. /proc/thread-self (not /proc/self) is used throughout because
// setns moves one thread, and /proc/self names the thread-group leader's namespace.
#include "kernel/netns.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "common/error.h"

namespace pathwhy {
namespace {

constexpr const char* kThreadNetns = "/proc/thread-self/ns/net";
constexpr const char* kEnterAction = "enter network namespace";
constexpr const char* kPrivilegeHint = "run as root or grant CAP_SYS_ADMIN";

// Where a user's "--netns" points: a name iproute2 manages under /run/netns, or a file path.
struct NamespaceTarget {
    std::string path;
    std::string name;  // empty when given as a path

    static NamespaceTarget of(const std::string& name_or_path) {
        if (name_or_path.find('/') != std::string::npos) return {name_or_path, ""};
        return {"/run/netns/" + name_or_path, name_or_path};
    }
};

class FileDescriptor {
  public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

[[noreturn]] void fail_to_open(const NamespaceTarget& target, int err) {
    if (err == ENOENT && !target.name.empty())
        throw Error(kEnterAction, fmt::format("no network namespace named '{}'", target.name),
                    "see `ip netns list`");
    if (err == ENOENT) throw Error(kEnterAction, fmt::format("{} does not exist", target.path));
    bool denied = err == EACCES || err == EPERM;
    throw Error(kEnterAction, fmt::format("{}: {}", target.path, errno_text(err)),
                denied ? kPrivilegeHint : "");
}

// NS_GET_NSTYPE (Linux 4.11) answers only for namespace files, and tells a network namespace
// from a mount or PID one, which fstatfs(NSFS_MAGIC) could not.
void require_network_namespace(const NamespaceTarget& target, int fd) {
    if (ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET) return;
    std::string hint =
        target.name.empty()
            ? "give a name from `ip netns list` or a path like /proc/PID/ns/net"
            : fmt::format("a leftover of a deleted namespace? `ip netns delete {}`", target.name);
    throw Error(kEnterAction, fmt::format("{} is not a network namespace", target.path), hint);
}

}  // namespace

NetnsScope::NetnsScope(const std::string& name_or_path) {
    NamespaceTarget target = NamespaceTarget::of(name_or_path);
    FileDescriptor wanted(open(target.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (wanted.get() < 0) fail_to_open(target, errno);
    require_network_namespace(target, wanted.get());

    FileDescriptor original(open(kThreadNetns, O_RDONLY | O_CLOEXEC));
    if (original.get() < 0)
        throw Error("remember the current network namespace", errno_text(errno));
    if (setns(wanted.get(), CLONE_NEWNET) < 0) {
        int err = errno;
        throw Error(kEnterAction, fmt::format("{}: {}", target.path, errno_text(err)),
                    err == EPERM ? kPrivilegeHint : "");
    }
    original_fd_ = original.release();
}

NetnsScope::~NetnsScope() {
    // Going back cannot fail for lack of privilege (we had enough to leave), but if it ever did,
    // every later read would silently describe the wrong namespace: stop rather than mislead.
    if (setns(original_fd_, CLONE_NEWNET) < 0) {
        std::fprintf(stderr, "pathwhy: cannot return to the original network namespace: %s\n",
                     errno_text(errno).c_str());
        std::abort();
    }
    close(original_fd_);
}

std::uint64_t current_netns_inode() {
    struct stat status {};
    if (stat(kThreadNetns, &status) < 0)
        throw Error("identify the current network namespace", errno_text(errno));
    return status.st_ino;
}

}  // namespace pathwhy
