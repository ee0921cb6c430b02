// vagrant/Vagrantfile is a valid Vagrant configuration: `vagrant validate --ignore-provider`, the
// check LAB.md records as working where no VM provider runs (CI machines). Vagrant's home and
// per-project state go to a temporary dir and its update check is off, so the test starts nothing,
// writes nothing into the checkout and reaches no network.
#include <gtest/gtest.h>

#include "common/process.h"
#include "support/privileges.h"
#include "support/temp_dir.h"

namespace pathwhy {
namespace {

bool vagrant_installed() { return run_command({"sh", "-c", "command -v vagrant"}).ok(); }

TEST(Vagrantfile, Validates) {
    if (!vagrant_installed()) {
        if (test::running_in_ci()) FAIL() << "scripts/install-deps.sh installs vagrant";
        GTEST_SKIP() << "vagrant is not installed (apt-get install vagrant)";
    }
    test::TempDir state;
    RunOptions options;
    options.timeout = std::chrono::seconds(120);
    options.env = {{"VAGRANT_CWD", PATHWHY_FIXTURES_DIR "/../../vagrant"},
                   {"VAGRANT_HOME", state.file("home")},
                   {"VAGRANT_DOTFILE_PATH", state.file("dot")},
                   {"VAGRANT_CHECKPOINT_DISABLE", "1"}};
    const ProcessResult result = run_command({"vagrant", "validate", "--ignore-provider"}, options);
    EXPECT_TRUE(result.ok()) << result.failure() << "\n" << result.out << result.err;
    EXPECT_NE(result.out.find("Vagrantfile validated successfully"), std::string::npos)
        << result.out;
}

}  // namespace
}  // namespace pathwhy
