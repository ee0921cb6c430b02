#include "report/text_report.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "report/observed_text.h"
#include "report/painter.h"

namespace pathwhy {

namespace {

std::string verdict_banner(Verdict verdict, const Painter& paint) {
    switch (verdict) {
        case Verdict::ok: return paint.green("OK");
        case Verdict::misrouted: return paint.red("MISROUTED");
        case Verdict::unreachable: return paint.red("UNREACHABLE");
        case Verdict::dropped: return paint.red("DROPPED");
    }
    return "";
}

void append_lines(std::string& out, const std::string& title, const std::vector<std::string>& lines,
                  const std::string& bullet, const Painter& paint) {
    if (lines.empty()) return;
    out += "  " + paint.bold(title) + "\n";
    for (const auto& line : lines) {
        bool comment = !line.empty() && line[0] == '#';
        out += "    " + (comment ? paint.dim(line) : bullet + line) + "\n";
    }
}

std::string describe_network(const NetworkRef& network) {
    std::string text = fmt::format("{} ({}), subnet {}, bridge {}", network.name,
                                   network.id.substr(0, 12), network.subnet, network.bridge);
    if (!network.compose_project.empty()) text += ", compose project " + network.compose_project;
    return text;
}

std::vector<std::string> merged(const std::vector<const Finding*>& group,
                                std::vector<std::string> Finding::*member) {
    std::vector<std::string> lines;
    for (const Finding* finding : group)
        for (const auto& line : finding->*member)
            if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
    return lines;
}

// The summary is skipped when it is the headline already printed on the first line.
void append_single(std::string& out, const Finding& finding, const std::string& headline,
                   const Painter& paint) {
    out += fmt::format("{} {}  {}{}\n", paint.severity(finding.severity, "●"),
                       paint.severity(finding.severity, severity_name(finding.severity)),
                       paint.bold(finding.kind),
                       finding.direction.empty() ? "" : "  (" + finding.direction + ")");
    if (finding.summary != headline) out += "  " + finding.summary + "\n";
    if (finding.docker_network)
        out += "  " + paint.bold("docker network") + "  " + describe_network(*finding.docker_network) +
               "\n";
    append_lines(out, "evidence", finding.evidence, "- ", paint);
    append_lines(out, "fix now", finding.fix, "$ ", paint);
    append_lines(out, "prevent", finding.prevent, "", paint);
}

// Twelve leaked networks are one problem with twelve names: one block, one merged fix list of
// commands (the per-finding alternatives, comment lines, would repeat twelve times).
void append_group(std::string& out, const std::vector<const Finding*>& group, const Painter& paint) {
    const Finding& first = *group.front();
    out += fmt::format("{} {}  {} ×{}\n", paint.severity(first.severity, "●"),
                       paint.severity(first.severity, severity_name(first.severity)),
                       paint.bold(first.kind), group.size());
    for (const Finding* finding : group) out += "  - " + finding->summary + "\n";
    std::vector<std::string> commands = merged(group, &Finding::fix);
    std::erase_if(commands, [](const std::string& line) { return line.rfind('#', 0) == 0; });
    append_lines(out, "fix now", commands, "$ ", paint);
    append_lines(out, "prevent", merged(group, &Finding::prevent), "", paint);
}

}  // namespace

std::string render_text(const Diagnosis& diagnosis, const TextStyle& style) {
    Painter paint(style.color);
    std::string out = fmt::format("{}  {}\n", verdict_banner(diagnosis.verdict, paint),
                                  diagnosis.headline);
    if (diagnosis.route) out += "\n  " + paint.bold("route ") + "  " + diagnosis.route->describe() + "\n";
    if (diagnosis.kernel_route)
        out += "  " + paint.bold("kernel") + "  " + diagnosis.kernel_route->describe() +
               paint.dim("  (the kernel's own answer differs)") + "\n";
    if (diagnosis.port) out += "  " + paint.bold("port  ") + "  " + diagnosis.port->describe() + "\n";
    out += render_observed_path(diagnosis, paint);
    return out + render_findings(diagnosis.findings, diagnosis.notes, diagnosis.headline, style);
}

std::string render_findings(const std::vector<Finding>& findings,
                            const std::vector<std::string>& notes, const std::string& headline,
                            const TextStyle& style) {
    Painter paint(style.color);
    std::string out;
    // Findings keep the explainer's order (most severe first); same-kind findings are grouped.
    std::vector<std::string> kinds;
    std::map<std::string, std::vector<const Finding*>> by_kind;
    for (const auto& finding : findings) {
        if (!by_kind.count(finding.kind)) kinds.push_back(finding.kind);
        by_kind[finding.kind].push_back(&finding);
    }
    for (const auto& kind : kinds) {
        out += "\n";
        const auto& group = by_kind[kind];
        if (group.size() == 1) {
            append_single(out, *group.front(), headline, paint);
        } else {
            append_group(out, group, paint);
        }
    }
    if (!notes.empty()) {
        out += "\n";
        for (const auto& note : notes) out += paint.dim("note: " + note) + "\n";
    }
    return out;
}

}  // namespace pathwhy
