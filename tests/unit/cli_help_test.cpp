// --help teaches: the main help ends with examples and the exit statuses, and each subcommand's
// help carries its own examples and exit statuses, not the main ones. Runs the built binary;
// --help touches neither kernel state nor Docker.
#include <gtest/gtest.h>

#include "support/pathwhy_run.h"

namespace pathwhy {
namespace {

TEST(CliHelp, MainHelpEndsWithExamplesAndExitStatus) {
    const auto run = test::run_pathwhy({"--help"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    for (const char* text : {"Examples:", "pathwhy :8888/udp --watch 5", "pathwhy scan --peer",
                             "pathwhy record --watch", "Exit status: 0 the path is healthy"})
        EXPECT_NE(run.out.find(text), std::string::npos) << text << " not in:\n" << run.out;
}

struct SubcommandHelp {
    const char* subcommand;
    const char* own_text;
};

class SubcommandHelps : public ::testing::TestWithParam<SubcommandHelp> {};

TEST_P(SubcommandHelps, CarryTheirOwnExamplesNotTheMainOnes) {
    const auto run = test::run_pathwhy({GetParam().subcommand, "--help"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find(GetParam().own_text), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("Exit status: 0 the path is healthy"), std::string::npos) << run.out;
}

INSTANTIATE_TEST_SUITE_P(
    Cli, SubcommandHelps,
    ::testing::Values(SubcommandHelp{"record", "Exit status: 0 stopped by Ctrl-C"},
                      SubcommandHelp{"report", "Exit status: 0 no incident"},
                      SubcommandHelp{"scan", "Exit status: 0 nothing found"},
                      SubcommandHelp{"doctor", "exit 0 when all are active"},
                      SubcommandHelp{"demo", "--heal"}),
    [](const ::testing::TestParamInfo<SubcommandHelp>& info) {
        return std::string(info.param.subcommand);
    });

}  // namespace
}  // namespace pathwhy
