// What `pathwhy TARGET` accepts — an address, HOST:PORT/udp|tcp, :PORT/udp|tcp, container:NAME —
// and the one line (exit 2) for everything else; also --fix's refusal to delete without asking
// when there is no terminal. The binary runs here only where it stops before touching the system.
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <algorithm>

#include "cli/target.h"
#include "common/error.h"
#include "support/pathwhy_run.h"

namespace pathwhy {
namespace {

std::string rejection(const std::string& text) {
    try {
        parse_target(text);
    } catch (const Error& e) {
        return std::string(e.what()) + (e.hint().empty() ? "" : " (" + e.hint() + ")");
    }
    return "accepted";
}

TEST(Target, Forms) {
    Target address = parse_target("172.31.151.55");
    EXPECT_EQ(address.kind, Target::Kind::address);
    EXPECT_EQ(address.address, *Ipv4Address::parse("172.31.151.55"));

    Target remote = parse_target("10.1.2.3:443/tcp");
    EXPECT_EQ(remote.kind, Target::Kind::address_port);
    EXPECT_EQ(remote.address, *Ipv4Address::parse("10.1.2.3"));
    EXPECT_EQ(remote.port, 443);
    EXPECT_EQ(remote.protocol, IPPROTO_TCP);

    Target local = parse_target(":8888/udp");
    EXPECT_EQ(local.kind, Target::Kind::local_port);
    EXPECT_EQ(local.port, 8888);
    EXPECT_EQ(local.protocol, IPPROTO_UDP);
    EXPECT_EQ(parse_target(":65535/tcp").port, 65535);
    EXPECT_EQ(parse_target(":1/udp").port, 1);

    Target container = parse_target("container:shop-web-1");
    EXPECT_EQ(container.kind, Target::Kind::container);
    EXPECT_EQ(container.container, "shop-web-1");
    EXPECT_EQ(container.text, "container:shop-web-1");
}

TEST(Target, EachMistakeGetsItsOwnReason) {
    EXPECT_EQ(rejection(":99999/udp"),
              "cannot diagnose ':99999/udp': port '99999' is not a port number (1-65535) (e.g. "
              "pathwhy :8888/udp)");
    EXPECT_NE(rejection(":0/udp").find("port '0' is not a port number"), std::string::npos);
    EXPECT_NE(rejection(":-1/udp").find("port '-1'"), std::string::npos);
    EXPECT_NE(rejection(":8x/udp").find("port '8x'"), std::string::npos);
    EXPECT_NE(rejection(":/udp").find("port ''"), std::string::npos);
    EXPECT_EQ(rejection("container:"),
              "cannot diagnose 'container:': no container name after 'container:' (e.g. pathwhy "
              "container:web)");
    EXPECT_NE(rejection("1.2.3.4:80/sctp").find("protocol 'sctp' is not supported"),
              std::string::npos);
    EXPECT_NE(rejection(":8888").find("no protocol after the port (write :8888/udp or :8888/tcp)"),
              std::string::npos);
    EXPECT_NE(rejection(":8888/").find("no protocol after the port"), std::string::npos);
    EXPECT_NE(rejection("1.2.3.4:80").find("no protocol"), std::string::npos);
    EXPECT_NE(rejection("db.internal:5432/tcp").find("not an IPv4 address"), std::string::npos);
    EXPECT_NE(rejection("[::1]:80/udp").find("IPv6"), std::string::npos);
    EXPECT_NE(rejection("::1").find("IPv6"), std::string::npos);
    EXPECT_NE(rejection("10.0.0.0/8").find("that is a prefix"), std::string::npos);
}

TEST(TargetCommandLine, BadTargetsAreOneLineAndExitTwo) {
    for (const std::string target : {":99999/udp", ":0/udp", "container:", "1.2.3.4:80/sctp"}) {
        test::PathwhyRun run = test::run_pathwhy({target});
        EXPECT_EQ(run.exit_code, 2) << target;
        EXPECT_TRUE(run.out.empty()) << run.out;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
        EXPECT_EQ(run.err.rfind("pathwhy: cannot diagnose '" + target + "'", 0), 0u) << run.err;
    }
}

TEST(TargetCommandLine, FixWithoutATerminalOrYesRefusesBeforeDoingAnything) {
    test::PathwhyRun run = test::run_pathwhy({":8888/udp", "--fix", "--netns", "no-such-ns"});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.err,
              "pathwhy: cannot fix ':8888/udp': there is no terminal to ask on before deleting "
              "conntrack entries (add --yes to delete them without asking)\n");

    test::PathwhyRun yes_alone = test::run_pathwhy({":8888/udp", "--yes"});
    EXPECT_EQ(yes_alone.exit_code, 2);
    EXPECT_NE(yes_alone.err.find("--yes requires --fix"), std::string::npos) << yes_alone.err;
}

}  // namespace
}  // namespace pathwhy
