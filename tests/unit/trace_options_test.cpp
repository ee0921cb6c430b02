// --probe, --from and --watch: what is accepted, and the one-line errors for the rest.
#include "cli/trace_options.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace pathwhy {
namespace {

std::string error_of(const TraceOptions& options) {
    try {
        validate_trace_options(options);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(TraceOptions, ProbeSpecs) {
    EXPECT_EQ(parse_probe_spec("tcp:443").protocol, ProbeSpec::Protocol::tcp);
    EXPECT_EQ(parse_probe_spec("tcp:443").port, 443);
    EXPECT_EQ(parse_probe_spec("udp:53").protocol, ProbeSpec::Protocol::udp);
    EXPECT_EQ(parse_probe_spec("udp:65535").port, 65535);
    EXPECT_EQ(parse_probe_spec("icmp").protocol, ProbeSpec::Protocol::icmp);
    EXPECT_EQ(parse_probe_spec("tcp:443").text(), "tcp:443");
    EXPECT_EQ(parse_probe_spec("icmp").text(), "icmp");
}

TEST(TraceOptions, BadProbeSpecs) {
    for (const char* bad : {"tcp", "tcp:", "tcp:0", "tcp:65536", "tcp:-1", "tcp:44x", "udp:1:2",
                            "sctp:9", "icmp:1", "", "TCP:80"})
        EXPECT_THROW(parse_probe_spec(bad), Error) << bad;
    try {
        parse_probe_spec("tcp:70000");
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "cannot probe 'tcp:70000': port 70000 is out of range (1-65535)");
        EXPECT_NE(e.hint().find("--probe tcp:443"), std::string::npos);
    }
}

TEST(TraceOptions, Origins) {
    EXPECT_EQ(parse_probe_origin("container:web"), "web");
    EXPECT_THROW(parse_probe_origin("web"), Error);
    EXPECT_THROW(parse_probe_origin("container:"), Error);
}

TEST(TraceOptions, Combinations) {
    TraceOptions probe;
    probe.probe = "icmp";
    probe.from = "container:web";
    TraceSettings plan = validate_trace_options(probe);
    ASSERT_TRUE(plan.probe);
    EXPECT_EQ(plan.container, "web");

    TraceOptions watch;
    watch.watch_seconds = 10;
    plan = validate_trace_options(watch);
    EXPECT_FALSE(plan.probe);
    EXPECT_EQ(plan.watch_seconds, 10);

    TraceOptions from_alone;
    from_alone.from = "container:web";
    EXPECT_NE(error_of(from_alone).find("cannot use --from"), std::string::npos);

    TraceOptions both = probe;
    both.watch_seconds = 5;
    EXPECT_NE(error_of(both).find("cannot probe and watch at once"), std::string::npos);

    for (int seconds : {0, -3, kMaxWatchSeconds + 1}) {
        TraceOptions bad;
        bad.watch_seconds = seconds;
        EXPECT_NE(error_of(bad).find("--watch takes 1 to 3600 seconds"), std::string::npos)
            << seconds;
    }
    TraceOptions longest;
    longest.watch_seconds = kMaxWatchSeconds;
    EXPECT_EQ(error_of(longest), "");
}

}  // namespace
}  // namespace pathwhy
