// Every attachment is an fd-owned link: `bpftool prog list` and `bpftool link list` show
// nothing of a tracer once its process is gone — after a normal exit, after Ctrl-C (SIGINT) and
// after SIGKILL, when the kernel closes the fds itself — with each netfilter mechanism (links,
// fentry/fexit, kprobe/kretprobe, the latter forced with PATHWHY_TEST_REFUSE, which the holder
// inherits). The tracer runs in trace_holder, which reports the kernel ids of what it attached.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "common/process.h"
#include "support/privileges.h"
#include "support/trace_lab.h"
#include "trace/kernel_features.h"

namespace pathwhy {
namespace {

using Clock = std::chrono::steady_clock;

struct Attached {
    std::size_t attachments = 0;  // as the tracer reports them
    std::set<std::uint32_t> programs;
    std::set<std::uint32_t> links;
    // Before Linux 5.15 a kprobe is attached through a perf event, which has no BPF link id:
    // its program vanishing is what shows it gone.
    std::size_t without_link_id = 0;
};

// Ids in `bpftool -j prog list` or `bpftool -j link list`.
std::set<std::uint32_t> listed(const std::string& kind) {
    auto result = run_checked({"bpftool", "-j", kind, "list"});
    std::set<std::uint32_t> ids;
    for (const auto& entry : nlohmann::json::parse(result.out))
        ids.insert(entry.at("id").get<std::uint32_t>());
    return ids;
}

std::vector<std::string> still_listed(const Attached& attached) {
    std::vector<std::string> left;
    auto programs = listed("prog");
    auto links = listed("link");
    for (auto id : attached.programs)
        if (programs.count(id)) left.push_back("prog " + std::to_string(id));
    for (auto id : attached.links)
        if (links.count(id)) left.push_back("link " + std::to_string(id));
    return left;
}

// The kernel frees programs after an RCU grace period: poll, bounded.
std::vector<std::string> left_after_exit(const Attached& attached) {
    const auto until = Clock::now() + std::chrono::seconds(10);
    std::vector<std::string> left = still_listed(attached);
    while (!left.empty() && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        left = still_listed(attached);
    }
    return left;
}

class TraceHolder {
  public:
    explicit TraceHolder(const lab::LabNamespace& ns)
        : ready_(fmt::format("/tmp/pathwhy-trace-holder-{}-{}", getpid(), ns.name())),
          process_({PATHWHY_TRACE_HOLDER, ns.name(), ready_}, ready_ + ".log") {
        const auto until = Clock::now() + std::chrono::seconds(30);
        while (!std::filesystem::exists(ready_) && !process_.exited() && Clock::now() < until)
            process_.wait_exit(std::chrono::milliseconds(50));
        if (!std::filesystem::exists(ready_))
            throw std::runtime_error("trace_holder never got ready: " + log());
        std::ifstream in(ready_);
        std::string kind;
        std::uint32_t id;
        while (in >> kind >> id) {
            if (kind == "attachments")
                attached_.attachments = id;
            else if (kind == "link" && id == 0)
                ++attached_.without_link_id;
            else
                (kind == "prog" ? attached_.programs : attached_.links).insert(id);
        }
    }
    ~TraceHolder() {
        process_.terminate();
        std::filesystem::remove(ready_);
        std::filesystem::remove(ready_ + ".log");
    }

    const Attached& attached() const { return attached_; }
    void release() { std::filesystem::remove(ready_); }
    void signal(int number) { kill(process_.pid(), number); }
    bool exited_within(std::chrono::seconds timeout) { return process_.wait_exit(timeout); }
    std::string exit_description() const { return process_.exit_description(); }
    std::string log() const {
        std::ifstream in(ready_ + ".log");
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

  private:
    std::string ready_;
    ChildProcess process_;
    Attached attached_;
};

class TraceCleanup : public test::ForcedMechanism {
  protected:
    void expect_attached_then_gone(const std::string& tag,
                                   const std::function<void(TraceHolder&)>& end,
                                   const std::string& expected_exit) {
        lab::LabNamespace ns(test::trace_namespace_name(tag));
        Attached attached;
        {
            TraceHolder holder(ns);
            attached = holder.attached();
            // Each attachment is its own link (ten netfilter links, or one fentry or kprobe
            // per edge) over fewer programs.
            ASSERT_GT(attached.attachments, 0u) << holder.log();
            EXPECT_EQ(attached.links.size() + attached.without_link_id, attached.attachments);
            if (GetParam().attach != Attach::kprobe) {
                EXPECT_EQ(attached.without_link_id, 0u) << "a link without a kernel id";
            }
            EXPECT_EQ(attached.programs.count(0), 0u) << "a program without a kernel id";
            EXPECT_TRUE(still_listed(attached).size() ==
                        attached.programs.size() + attached.links.size())
                << "bpftool does not list what the holder attached";
            end(holder);
            ASSERT_TRUE(holder.exited_within(std::chrono::seconds(10)));
            EXPECT_EQ(holder.exit_description(), expected_exit) << holder.log();
        }
        std::vector<std::string> left = left_after_exit(attached);
        EXPECT_TRUE(left.empty()) << "still attached: " << ::testing::PrintToString(left);
    }
};

TEST_P(TraceCleanup, NothingLeftAfterANormalExit) {
    expect_attached_then_gone(
        "ca", [](TraceHolder& holder) { holder.release(); }, "exited with 0");
}

TEST_P(TraceCleanup, NothingLeftAfterCtrlC) {
    expect_attached_then_gone(
        "cb", [](TraceHolder& holder) { holder.signal(SIGINT); }, "exited with 0");
}

TEST_P(TraceCleanup, NothingLeftAfterSigkill) {
    expect_attached_then_gone(
        "cc", [](TraceHolder& holder) { holder.signal(SIGKILL); }, "killed by SIGKILL");
}

INSTANTIATE_TEST_SUITE_P(Mechanisms, TraceCleanup,
                         ::testing::ValuesIn(test::netfilter_mechanisms()), test::mechanism_name);

}  // namespace
}  // namespace pathwhy
