#include "cli/doctor_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/options.h"
#include "cli/terminal.h"
#include "report/observed_json.h"
#include "report/painter.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {

namespace {

// The probes themselves, for a reader who wants to know why a view was chosen.
// `refusals`: why each refused mechanism was, from the probes and from the trial attach.
nlohmann::json features_to_json(const FeatureAnswers& answers,
                                const std::map<std::string, std::string>& refusals) {
    return {{"ring_buffer", answers.ring_buffer},
            {"tp_btf", answers.tp_btf},
            {"raw_tp", answers.raw_tracepoint},
            {"netfilter_link", answers.netfilter_link},
            {"fentry", answers.fentry},
            {"kprobes", answers.kprobes},
            {"drop_reasons", answers.drop_reasons},
            {"refusals", refusals}};
}

std::string yes_no(bool value) { return value ? "yes" : "no"; }

std::string features_line(const FeatureAnswers& answers) {
    auto count = [](const std::map<std::string, bool>& probes) {
        return std::count_if(probes.begin(), probes.end(), [](const auto& p) { return p.second; });
    };
    return fmt::format(
        "probes: ring buffer {}, tp_btf {}/{} tracepoints, raw_tp {}/{}, netfilter links {}, "
        "fentry {}, kprobes {}",
        yes_no(answers.ring_buffer), count(answers.tp_btf), answers.tp_btf.size(),
        count(answers.raw_tracepoint), answers.raw_tracepoint.size(),
        yes_no(answers.netfilter_link), yes_no(answers.fentry), yes_no(answers.kprobes));
}

void print_text(const std::string& kernel, const DoctorOptions& options,
                const FeatureAnswers& answers, const std::map<std::string, std::string>& refusals,
                const KernelViews& views) {
    const Painter paint(use_color(stdout));
    std::string where =
        options.netns.empty() ? "this network namespace" : "network namespace " + options.netns;
    std::cout << paint.bold(fmt::format("pathwhy doctor: kernel {}, {}", kernel, where)) << "\n\n";
    constexpr int kNameWidth = 20;
    const std::string indent(2 + kNameWidth + 9, ' ');
    for (const auto& status : views) {
        std::string state = status.active ? paint.green("active ") : paint.red("MISSING");
        std::cout << fmt::format("  {:<{}}{}  {}\n", kernel_view_name(status.view), kNameWidth,
                                 state, status.active ? status.mechanism : status.reason);
        if (status.active && !status.reason.empty())
            std::cout << indent << paint.dim("note: " + status.reason) << "\n";
        if (!status.loss.empty())
            std::cout << indent
                      << paint.dim((status.active ? "limit: " : "without it: ") + status.loss)
                      << "\n";
    }
    const auto missing =
        std::count_if(views.begin(), views.end(), [](const ViewStatus& s) { return !s.active; });
    std::cout << "\n" << features_line(answers) << "\n";
    for (const auto& [mechanism, why] : refusals)
        std::cout << paint.dim(fmt::format("  refused: {}: {}", mechanism, why)) << "\n";
    std::cout << (missing == 0 ? "every view is active\n"
                               : fmt::format("{} of {} views missing: diagnoses name them\n",
                                             missing, views.size()));
}

}  // namespace

int run_doctor(const DoctorOptions& options) {
    KernelFeatures features;
    const FeatureAnswers answers = features.answers();
    KernelViews views = plan_trace(answers).views;
    std::map<std::string, std::string> refusals = answers.refusals;
    // The probes say what the kernel has; loading and attaching say what its verifier, this
    // namespace and these privileges allow (netfilter links are made inside it). Watching
    // nothing, it emits nothing.
    if (std::any_of(views.begin(), views.end(), [](const ViewStatus& s) { return s.active; })) {
        PacketTracer trial(features, {options.netns, {}});
        views = trial.views();
        refusals = trial.refusals();
    }
    const bool all_active =
        std::all_of(views.begin(), views.end(), [](const ViewStatus& s) { return s.active; });

    if (options.json) {
        nlohmann::json out{{"kernel", answers.kernel_release},
                           {"netns", options.netns.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(options.netns)},
                           {"all_active", all_active},
                           {"views", views_to_json(views)},
                           {"features", features_to_json(answers, refusals)}};
        std::cout << out.dump(2) << "\n";
    } else {
        print_text(answers.kernel_release, options, answers, refusals, views);
    }
    return all_active ? kExitHealthy : kExitProblem;
}

Command add_doctor_command(CLI::App& app) {
    auto options = std::make_shared<DoctorOptions>();
    CLI::App* doctor = app.add_subcommand(
        "doctor",
        "show which views of the packet path this kernel gives pathwhy (route lookups, netfilter "
        "verdicts, NAT, conntrack, drops, ICMP errors, neighbours), how, and what is lost "
        "without the missing ones; exit 0 when all are active, 1 when some are missing");
    doctor->add_option("--netns", options->netns,
                       "check inside this network namespace (netfilter links are per namespace): "
                       "a name from `ip netns list` or a path such as /proc/PID/ns/net");
    doctor->add_flag("--json", options->json, "print the views and probes as JSON");
    return {doctor, [options] { return run_doctor(*options); }};
}

}  // namespace pathwhy
