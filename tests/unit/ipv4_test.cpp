#include <gtest/gtest.h>

#include "model/ipv4.h"

namespace pathwhy {
namespace {

TEST(Ipv4Address, ParsesAndFormats) {
    auto a = Ipv4Address::parse("172.31.151.55");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->value, 0xac1f9737u);
    EXPECT_EQ(a->str(), "172.31.151.55");
}

TEST(Ipv4Address, RejectsTyposAndJunk) {
    for (const char* bad : {"", "172.31", "172.31.151.256", "172.31.151.55 ", "a.b.c.d",
                            "172.31.151.55/32", "1.2.3.4.5", "::1"})
        EXPECT_FALSE(Ipv4Address::parse(bad)) << bad;
}

TEST(Ipv4Cidr, DefaultAndSlashZeroContainEverything) {
    auto any = Ipv4Cidr::parse("default");
    ASSERT_TRUE(any);
    EXPECT_EQ(any->length, 0);
    EXPECT_EQ(*any, *Ipv4Cidr::parse("0.0.0.0/0"));
    EXPECT_TRUE(any->contains(*Ipv4Address::parse("255.255.255.255")));
    EXPECT_TRUE(any->contains(*Ipv4Address::parse("0.0.0.0")));
    EXPECT_EQ(any->mask(), 0u);
}

TEST(Ipv4Cidr, SlashThirtyTwoContainsOnlyItself) {
    auto host = *Ipv4Cidr::parse("10.0.0.7/32");
    EXPECT_TRUE(host.contains(*Ipv4Address::parse("10.0.0.7")));
    EXPECT_FALSE(host.contains(*Ipv4Address::parse("10.0.0.6")));
    EXPECT_EQ(host.first(), host.last());
    EXPECT_EQ(*Ipv4Cidr::parse("10.0.0.7"), host);
}

TEST(Ipv4Cidr, HostBitsAreKeptButNetworkDropsThem) {
    auto c = *Ipv4Cidr::parse("172.18.0.2/16");
    EXPECT_TRUE(c.has_host_bits());
    EXPECT_EQ(c.network().str(), "172.18.0.0/16");
    EXPECT_FALSE(c.network().has_host_bits());
    EXPECT_EQ(c.last().str(), "172.18.255.255");
    EXPECT_TRUE(c.contains(*Ipv4Address::parse("172.18.200.1")));
}

TEST(Ipv4Cidr, OverlapIsSymmetricAndContainmentIsNot) {
    auto big = *Ipv4Cidr::parse("172.16.0.0/12");
    auto small = *Ipv4Cidr::parse("172.31.0.0/16");
    auto other = *Ipv4Cidr::parse("192.168.0.0/20");
    EXPECT_TRUE(big.contains(small));
    EXPECT_FALSE(small.contains(big));
    EXPECT_TRUE(big.overlaps(small));
    EXPECT_TRUE(small.overlaps(big));
    EXPECT_FALSE(small.overlaps(other));
}

TEST(Ipv4Cidr, RejectsBadLengths) {
    for (const char* bad : {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8x", "/8",
                            "10.0.0.0/08/1"})
        EXPECT_FALSE(Ipv4Cidr::parse(bad)) << bad;
}

}  // namespace
}  // namespace pathwhy
