#include "cli/report_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/terminal.h"
#include "common/error.h"
#include "report/incident_document.h"
#include "report/incident_json.h"
#include "report/incident_report.h"

namespace pathwhy {
namespace {

struct ReportArguments {
    std::vector<std::string> files;
    std::string format;  // "" = from -o's extension, else text
    std::string output;
};

std::string format_of(const ReportArguments& arguments) {
    if (!arguments.format.empty()) return arguments.format;
    for (const auto& [extension, format] :
         {std::pair{".html", "html"}, {".htm", "html"}, {".md", "md"}, {".json", "json"}})
        if (arguments.output.ends_with(extension)) return format;
    return "text";
}

std::string render(const IncidentReport& report, const std::string& format, bool color) {
    if (format == "json") return incident_report_to_json(report).dump(2) + "\n";
    const Document document = incident_document(report);
    if (format == "md") return render_document_markdown(document);
    if (format == "html") return render_document_html(document, incident_report_title(report));
    return render_document_text(document, TextLayout{color});
}

// Like the recording it comes from, a report describes the host's network: 0600.
void write_file(const std::string& path, const std::string& text) {
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw Error("write the report to " + path, errno_text(errno));
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            close(fd);
            throw Error("write the report to " + path, errno_text(err));
        }
        done += static_cast<std::size_t>(n);
    }
    if (close(fd) != 0) throw Error("write the report to " + path, errno_text(errno));
}

int run_report(const ReportArguments& arguments) {
    const IncidentReport report = build_incident_report(arguments.files);
    const std::string format = format_of(arguments);
    if (arguments.output.empty()) {
        std::fputs(render(report, format, format == "text" && use_color(stdout)).c_str(), stdout);
        std::fflush(stdout);
    } else {
        write_file(arguments.output, render(report, format, false));
    }
    if (!report.complete)
        std::fprintf(stderr,
                     "pathwhy report: the recording is damaged; the report covers what could be "
                     "read (see \"About this recording\")\n");
    return report.incidents.empty() ? kExitHealthy : kExitProblem;
}

}  // namespace

Command add_report_command(CLI::App& app) {
    auto arguments = std::make_shared<ReportArguments>();
    CLI::App* command = app.add_subcommand(
        "report",
        "turn a recording (pathwhy record) into an incident report: timeline, root cause, "
        "impact, fix and prevention");
    command->add_option("file", arguments->files,
                        "the recording; give rotated files oldest first (FILE.1 FILE) to cover them all")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--format", arguments->format,
                        "text, md (Markdown), html (one self-contained file) or json; default: "
                        "from -o's extension, else text")
        ->check(CLI::IsMember({"text", "md", "html", "json"}));
    command->add_option("-o,--output", arguments->output, "write the report here (mode 0600)")
        ->type_name("OUT");
    command->footer(R"(
Examples:
  pathwhy report vpc.rec                         text on the terminal
  pathwhy report vpc.rec -o incident.html        one self-contained HTML file
  pathwhy report vpc.rec.1 vpc.rec --format md   rotated files, oldest first

Exit status: 0 no incident in the recording, 1 incidents found, 2 the file is not a recording.)");
    return {command, [arguments] { return run_report(*arguments); }};
}

}  // namespace pathwhy
