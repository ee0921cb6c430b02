// PATHWHY_TEST_REFUSE's value: mechanisms, whole kinds of tracepoint or single tracepoints,
// and a one-line error naming anything else.
#include <gtest/gtest.h>

#include "common/error.h"
#include "trace/test_refusals.h"

namespace pathwhy {
namespace {

TEST(TraceTestRefusals, ListsMechanismsAndCoversTracepointsByKind) {
    auto refused = parse_test_refusals("netfilter_link,fentry,tp_btf,raw_tp/kfree_skb");
    EXPECT_EQ(refused.size(), 4u);
    EXPECT_TRUE(covers(refused, "netfilter_link"));
    EXPECT_TRUE(covers(refused, "fentry"));
    EXPECT_FALSE(covers(refused, "kprobes"));
    EXPECT_TRUE(covers(refused, "tp_btf/fib_table_lookup"));
    EXPECT_TRUE(covers(refused, "raw_tp/kfree_skb"));
    EXPECT_FALSE(covers(refused, "raw_tp/fib_table_lookup"));
    EXPECT_FALSE(covers(refused, "ring_buffer"));
}

TEST(TraceTestRefusals, EmptyRefusesNothing) {
    EXPECT_TRUE(parse_test_refusals("").empty());
    EXPECT_TRUE(parse_test_refusals(",").empty());
}

TEST(TraceTestRefusals, AnUnknownNameIsAnError) {
    try {
        parse_test_refusals("fentry,kprobe");
        FAIL() << "accepted 'kprobe'";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "cannot read PATHWHY_TEST_REFUSE: 'kprobe' is not a mechanism");
        EXPECT_NE(e.hint().find("kprobes"), std::string::npos);
    }
    EXPECT_THROW(parse_test_refusals("tp_btf/no_such_tracepoint"), Error);
}

}  // namespace
}  // namespace pathwhy
