// Reading libbpf 1.1's warnings after a failed load: the program it stopped at and the reason in
// one line — the verifier's last word, a CO-RE relocation libbpf could not resolve, a BTF
// target missing — and nothing at all when no program is named (the object's own failure).
#include <gtest/gtest.h>

#include "trace/load_failure.h"

namespace pathwhy {
namespace {

TEST(TraceLoadFailure, VerifierRejectionNamesTheProgramAndTheVerifiersLastLine) {
    const std::vector<std::string> warnings{
        "libbpf: prog 'pw_kfree_skb_btf': BPF program load failed: Permission denied\n",
        "libbpf: prog 'pw_kfree_skb_btf': -- BEGIN PROG LOAD LOG --\n"
        "reg type unsupported for arg#0 function pw_kfree_skb_btf#12\n"
        "0: R1=ctx(off=0,imm=0) R10=fp0\n"
        "; int BPF_PROG(pw_kfree_skb_btf, struct sk_buff *skb, void *location, enum x r)\n"
        "0: (79) r3 = *(u64 *)(r1 +16)\n"
        "func 'kfree_skb' arg2 type ENUM is not a struct\n"
        "invalid bpf_context access off=16 size=8\n"
        "processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0\n"
        "-- END PROG LOAD LOG --\n",
        "libbpf: prog 'pw_kfree_skb_btf': failed to load: -13\n",
        "libbpf: failed to load object 'packet_trace'\n",
        "libbpf: failed to load BPF skeleton 'packet_trace': -13\n"};
    // As libbpf hands them to its print callback, its name first.
    auto failure = find_load_failure(warnings);
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->program, "pw_kfree_skb_btf");
    EXPECT_EQ(failure->reason,
              "Permission denied (verifier: invalid bpf_context access off=16 size=8)");
}

TEST(TraceLoadFailure, AnUnresolvedCoreRelocationIsTheCauseNotTheVerifiersComplaint) {
    auto failure = find_load_failure(
        {"prog 'pw_fib_raw': BPF program load failed: Invalid argument\n",
         "prog 'pw_fib_raw': -- BEGIN PROG LOAD LOG --\n"
         "0: R1=ctx(off=0,imm=0) R10=fp0\n"
         "21: <invalid CO-RE relocation>\n"
         "failed to resolve CO-RE relocation <byte_off> [77] struct flowi_common.flowic_dscp (0:6 "
         "@ "
         "offset 6)\n"
         "processed 22 insns (limit 1000000) max_states_per_insn 0 total_states 1\n"
         "-- END PROG LOAD LOG --\n",
         "prog 'pw_fib_raw': failed to load: -22\n"});
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->program, "pw_fib_raw");
    EXPECT_EQ(failure->reason,
              "Invalid argument (verifier: failed to resolve CO-RE relocation <byte_off> [77] "
              "struct flowi_common.flowic_dscp (0:6 @ offset 6))");
}

TEST(TraceLoadFailure, AMissingAttachTargetIsLibbpfsReason) {
    auto failure = find_load_failure(
        {"prog 'pw_icmp_send_btf': failed to find kernel BTF type ID of 'icmp_send': -3\n",
         "prog 'pw_icmp_send_btf': failed to prepare load attributes: -3\n",
         "prog 'pw_icmp_send_btf': failed to load: -3\n",
         "failed to load object 'packet_trace'\n"});
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->program, "pw_icmp_send_btf");
    EXPECT_EQ(failure->reason, "failed to find kernel BTF type ID of 'icmp_send': -3");
}

TEST(TraceLoadFailure, ARefusalWithoutALogIsTheErrno) {
    auto failure = find_load_failure(
        {"prog 'pw_hook_slow_entry': BPF program load failed: Operation not permitted\n",
         "permission error while running as root; try raising 'ulimit -l'? current value: 8192\n",
         "prog 'pw_hook_slow_entry': failed to load: -1\n"});
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->program, "pw_hook_slow_entry");
    EXPECT_EQ(failure->reason, "Operation not permitted");
}

TEST(TraceLoadFailure, TheLastProgramNamedIsTheOneThatFailed) {
    auto failure =
        find_load_failure({"prog 'pw_fib_btf': unrecognized ELF section name 'x'\n",
                           "prog 'pw_neigh_send_btf': BPF program load failed: Invalid argument\n",
                           "prog 'pw_neigh_send_btf': failed to load: -22\n"});
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->program, "pw_neigh_send_btf");
    EXPECT_EQ(failure->reason, "Invalid argument");
}

TEST(TraceLoadFailure, AnObjectFailureNamesNoProgram) {
    EXPECT_FALSE(find_load_failure({"map 'events': failed to create: Operation not permitted(-1)\n",
                                    "failed to load object 'packet_trace'\n"}));
    EXPECT_FALSE(find_load_failure({}));
}

}  // namespace
}  // namespace pathwhy
