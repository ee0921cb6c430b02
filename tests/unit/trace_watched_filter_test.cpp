// The watched prefixes as the kernel gets them: LPM trie keys in network byte order with host
// bits cleared, and the covering prefix the programs check before walking the trie.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "trace/watched_filter.h"

namespace pathwhy {
namespace {

std::vector<Ipv4Cidr> cidrs(std::initializer_list<const char*> texts) {
    std::vector<Ipv4Cidr> out;
    for (const char* text : texts) out.push_back(*Ipv4Cidr::parse(text));
    return out;
}

std::string covering(const WatchedFilter& filter) {
    in_addr net{filter.net};
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &net, text, sizeof text);
    return std::string(text) + "/" + std::to_string(__builtin_popcount(filter.mask));
}

TEST(TraceWatchedFilter, OneAddressIsItsOwnCover) {
    WatchedFilter filter = watched_filter(cidrs({"172.31.151.55"}));
    ASSERT_EQ(filter.keys.size(), 1u);
    EXPECT_EQ(filter.keys[0].prefixlen, 32u);
    EXPECT_EQ(filter.keys[0].addr, Ipv4Address::parse("172.31.151.55")->network_order());
    EXPECT_EQ(covering(filter), "172.31.151.55/32");
}

TEST(TraceWatchedFilter, CoverKeepsTheSharedLeadingBits) {
    WatchedFilter filter = watched_filter(cidrs({"172.31.151.55", "172.18.2.128/26"}));
    EXPECT_EQ(covering(filter), "172.16.0.0/12");
    EXPECT_EQ(filter.keys[1].prefixlen, 26u);
    EXPECT_EQ(filter.keys[1].addr, Ipv4Address::parse("172.18.2.128")->network_order());
}

TEST(TraceWatchedFilter, HostBitsAreCleared) {
    WatchedFilter filter = watched_filter(cidrs({"10.71.2.9/24"}));
    EXPECT_EQ(filter.keys[0].addr, Ipv4Address::parse("10.71.2.0")->network_order());
    EXPECT_EQ(covering(filter), "10.71.2.0/24");
}

TEST(TraceWatchedFilter, DefaultCoversEverythingAndNothingCoversNothing) {
    EXPECT_EQ(covering(watched_filter(cidrs({"10.0.0.1", "default"}))), "0.0.0.0/0");
    WatchedFilter none = watched_filter({});
    EXPECT_TRUE(none.keys.empty());
    EXPECT_EQ(covering(none), "0.0.0.0/32") << "matches 0.0.0.0 only, which the empty trie refuses";
}

TEST(TraceWatchedFilter, AtMostSixtyFour) {
    std::vector<Ipv4Cidr> many(PW_MAX_WATCHED_PREFIXES + 1, *Ipv4Cidr::parse("10.0.0.1"));
    EXPECT_THROW(watched_filter(many), Error);
}

}  // namespace
}  // namespace pathwhy
