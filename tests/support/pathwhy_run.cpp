#include "support/pathwhy_run.h"

#include <gtest/gtest.h>

#include "common/process.h"

namespace pathwhy::test {

nlohmann::json PathwhyRun::json() const {
    auto parsed = nlohmann::json::parse(out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "stdout is not JSON:\n" << out << "\nstderr:\n" << err;
    return parsed;
}

PathwhyRun run_pathwhy(const std::vector<std::string>& args,
                       const std::vector<std::pair<std::string, std::string>>& env,
                       std::chrono::seconds timeout) {
    std::vector<std::string> argv{PATHWHY_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.timeout = timeout;
    options.env = env;
    options.env.emplace_back("NO_COLOR", "1");
    auto started = std::chrono::steady_clock::now();
    ProcessResult result = run_command(argv, options);
    PathwhyRun run;
    run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    EXPECT_FALSE(result.timed_out)
        << display_command(argv) << " did not finish in " << timeout.count() << " s";
    run.exit_code = result.exit_code;
    run.out = result.out;
    run.err = result.err;
    return run;
}

}  // namespace pathwhy::test
