// packaging/systemd/pathwhy-record.service is a unit systemd accepts without a single warning
// (`systemd-analyze verify` exits 0 even for unknown keys, so its output must be empty too), and
// what it runs is this build's `pathwhy record`. The unit is verified from a copy whose ExecStart
// points at the built binary; nothing is installed or started.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "common/process.h"
#include "support/privileges.h"
#include "support/temp_dir.h"

namespace pathwhy {
namespace {

constexpr const char* kUnit = PATHWHY_FIXTURES_DIR "/../../packaging/systemd/pathwhy-record.service";
constexpr const char* kInstalledBinary = "/usr/local/bin/pathwhy";

std::string read_unit() {
    std::ifstream in(kUnit);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool systemd_analyze_installed() {
    return run_command({"sh", "-c", "command -v systemd-analyze"}).ok();
}

TEST(SystemdUnit, VerifiesWithoutWarnings) {
    if (!systemd_analyze_installed()) {
        if (test::running_in_ci()) FAIL() << "systemd-analyze comes with Debian's systemd package";
        GTEST_SKIP() << "systemd-analyze is not installed";
    }
    std::string unit = read_unit();
    ASSERT_NE(unit.find(kInstalledBinary), std::string::npos) << "ExecStart moved?";
    unit = std::regex_replace(unit, std::regex(kInstalledBinary), PATHWHY_BINARY);
    test::TempDir dir;
    const std::string copy = dir.file("pathwhy-record.service");
    std::ofstream(copy) << unit;

    RunOptions options;
    options.timeout = std::chrono::seconds(60);
    const ProcessResult result = run_command({"systemd-analyze", "verify", copy}, options);
    EXPECT_TRUE(result.ok()) << result.failure() << "\n" << result.err;
    EXPECT_EQ(result.out + result.err, "");
}

}  // namespace
}  // namespace pathwhy
