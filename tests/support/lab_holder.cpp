// A process that holds a lab until it is SIGKILLed, for the test of reaping labs of killed runs
// (lab_test.cpp, ReapsLabsOfKilledProcesses): it builds a lab with a running container, writes
// the lab's pids to $PATHWHY_LAB_READY_FILE and waits, bounded, to be killed.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "lab/compose_labels.h"
#include "lab/lab.h"

int main() {
    using namespace pathwhy::lab;
    const char* ready_file = std::getenv("PATHWHY_LAB_READY_FILE");
    if (!ready_file) {
        std::fprintf(stderr, "lab_holder: started by lab_test only (PATHWHY_LAB_READY_FILE)\n");
        return 2;
    }
    try {
        Lab lab;
        lab.create_compose_network("held");
        lab.run_container("held-app-1", "held_default", compose_container_labels("held", "app", 1));
        {
            std::ofstream out(std::string(ready_file) + ".tmp");
            for (pid_t pid : lab.footprint().pids) out << pid << "\n";
        }
        std::filesystem::rename(std::string(ready_file) + ".tmp", ready_file);
        std::this_thread::sleep_for(std::chrono::minutes(2));  // the test kills us well before
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lab_holder: %s\n", e.what());
        return 1;
    }
    return 0;
}
