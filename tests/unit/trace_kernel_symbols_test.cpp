// Naming what the kernel reports by number: drop locations from kallsyms text, and drop reason
// enumerators shortened the way users read them.
#include <gtest/gtest.h>

#include <sstream>

#include "trace/drop_reasons.h"
#include "trace/kernel_symbols.h"

namespace pathwhy {
namespace {

TEST(TraceKernelSymbols, NamesAnAddressBySymbolAndOffset) {
    std::istringstream kallsyms(
        "ffffffff81c00000 T nf_hook_slow\n"
        "ffffffff81c00200 t nf_queue\n"
        "ffffffff81d00000 D some_data\n"
        "ffffffffc0001000 t nft_do_chain\t[nf_tables]\n");
    KernelSymbols symbols(kallsyms);
    EXPECT_EQ(symbols.describe(0xffffffff81c0009b), "nf_hook_slow+0x9b");
    EXPECT_EQ(symbols.describe(0xffffffff81c00200), "nf_queue+0x0");
    EXPECT_EQ(symbols.describe(0xffffffffc0001010), "nft_do_chain+0x10");
    EXPECT_EQ(symbols.describe(0xffffffff80000000), "0xffffffff80000000") << "before any symbol";
}

TEST(TraceKernelSymbols, HiddenAddressesAreNotGuessed) {
    std::istringstream kallsyms("0000000000000000 T nf_hook_slow\n0000000000000000 t nf_queue\n");
    KernelSymbols symbols(kallsyms);
    EXPECT_EQ(symbols.describe(0xffffffff81c0009b), "0xffffffff81c0009b");
}

TEST(TraceDropReasons, ShortNames) {
    EXPECT_EQ(drop_reason_short_name("SKB_DROP_REASON_NETFILTER_DROP"), "NETFILTER_DROP");
    EXPECT_EQ(drop_reason_short_name("SKB_DROP_REASON_NEIGH_FAILED"), "NEIGH_FAILED");
    EXPECT_EQ(drop_reason_short_name("SKB_CONSUMED"), "CONSUMED");
    EXPECT_EQ(drop_reason_short_name("SOMETHING_ELSE"), "SOMETHING_ELSE");
}

}  // namespace
}  // namespace pathwhy
