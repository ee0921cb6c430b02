// A process that holds a PacketTracer attached in a lab namespace, for the tracer's cleanup
// tests (trace_cleanup_test.cpp): `trace_holder NETNS READY_FILE` writes how many attachments
// the tracer reports ("attachments N") and the kernel ids of each ("prog ID", "link ID" lines)
// to READY_FILE, then keeps polling until READY_FILE is
// removed or SIGINT arrives — both end it normally, through the destructors — or it is
// SIGKILLed. It gives up by itself after two minutes.
#include <signal.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace {

volatile std::sig_atomic_t interrupted = 0;

void on_sigint(int) { interrupted = 1; }

}  // namespace

int main(int argc, char** argv) {
    using namespace pathwhy;
    if (argc != 3) {
        std::fprintf(stderr,
                     "trace_holder: started by trace_cleanup_test only (NETNS READY_FILE)\n");
        return 2;
    }
    const std::string ready_file = argv[2];
    struct sigaction action {};
    action.sa_handler = on_sigint;  // no SA_RESTART: the poll returns at once
    sigaction(SIGINT, &action, nullptr);
    try {
        KernelFeatures features;
        PacketTracer tracer(features, {argv[1], {*Ipv4Cidr::parse("10.0.0.0/8")}});
        {
            std::ofstream out(ready_file + ".tmp");
            out << "attachments " << tracer.attachments().size() << "\n";
            for (const auto& attachment : tracer.attachments())
                out << "prog " << attachment.program_id << "\nlink " << attachment.link_id << "\n";
        }
        std::filesystem::rename(ready_file + ".tmp", ready_file);
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
        while (!interrupted && std::filesystem::exists(ready_file) &&
               std::chrono::steady_clock::now() < give_up)
            tracer.poll(std::chrono::milliseconds(50), [](const ObservedEvent&) {});
    } catch (const std::exception& e) {
        std::fprintf(stderr, "trace_holder: %s\n", e.what());
        return 1;
    }
    return 0;
}
