// Documents as one self-contained HTML page: inline CSS, an inline SVG timeline, nothing fetched.
// Every string is escaped where it is written (text and attributes alike), and a Content Security
// Policy forbidding scripts backs that up: a network named <script>alert(1)</script> is shown,
// never run.
#include "report/document.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "record/time_text.h"

namespace pathwhy {
namespace {

std::string escaped(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string tone_class(const std::string& tone) {
    return tone.empty() ? "" : " class=\"" + escaped(tone) + "\"";
}

std::string tone_colour(const std::string& tone) {
    if (tone == "bad") return "#c62828";
    if (tone == "ok") return "#2e7d32";
    if (tone == "cause") return "#ef6c00";
    return "#546e7a";
}

constexpr const char* kStyle = R"(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#1d2327}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}h3{font-size:1.1em;margin-top:1.5em}
.bad{color:#c62828}.ok{color:#2e7d32}.cause{color:#ef6c00}
pre{background:#f5f5f5;padding:.6em 1em;overflow-x:auto}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
ol.timeline{list-style:none;padding-left:0}ol.timeline li{margin:.2em 0}
ol.timeline time{font-family:ui-monospace,monospace;color:#546e7a;margin-right:1em}
svg{max-width:100%;height:auto}
)";

// A time axis with one mark per item at its place in time, coloured by tone, and the span of the
// trouble (from the first "cause" or "bad" item to the last "bad" or the next "ok") shaded. The
// items' words are in the list under it: marks close in time would overlap any label.
std::string svg_timeline(const std::vector<DocTimelineItem>& items) {
    constexpr double kWidth = 900, kLeft = 20, kRight = 880, kAxis = 40;
    const auto [first, last] = std::minmax_element(
        items.begin(), items.end(),
        [](const DocTimelineItem& a, const DocTimelineItem& b) { return a.time_ns < b.time_ns; });
    const double span = std::max<double>(1, static_cast<double>(last->time_ns - first->time_ns));
    const auto x = [&](std::int64_t t) {
        return kLeft + (kRight - kLeft) * static_cast<double>(t - first->time_ns) / span;
    };
    std::string svg = fmt::format(
        R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 80" role="img" aria-label="timeline">)",
        kWidth);
    std::optional<std::int64_t> trouble_from, trouble_to;
    for (const auto& item : items) {
        if ((item.tone == "cause" || item.tone == "bad") && !trouble_from) trouble_from = item.time_ns;
        if (item.tone == "bad") trouble_to = item.time_ns;
        if (item.tone == "ok" && trouble_from && item.time_ns >= *trouble_from && !trouble_to)
            trouble_to = item.time_ns;
    }
    if (trouble_from && trouble_to)
        svg += fmt::format(R"(<rect x="{:.1f}" y="{}" width="{:.1f}" height="16" fill="#ffcdd2"/>)",
                           x(*trouble_from), kAxis - 8,
                           std::max(2.0, x(*trouble_to) - x(*trouble_from)));
    svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#90a4ae" stroke-width="2"/>)",
                       kLeft, kAxis, kRight, kAxis);
    for (std::size_t i = 0; i < items.size(); ++i)
        svg += fmt::format(
            R"(<circle cx="{:.1f}" cy="{}" r="6" fill="{}"><title>{} {}</title></circle>)",
            x(items[i].time_ns), kAxis, tone_colour(items[i].tone), clock_time(items[i].time_ns),
            escaped(items[i].text));
    svg += fmt::format(R"(<text x="{}" y="70" font-size="12" fill="#546e7a">{}</text>)", kLeft,
                       clock_time(first->time_ns));
    svg += fmt::format(
        R"(<text x="{}" y="70" font-size="12" fill="#546e7a" text-anchor="end">{}</text>)", kRight,
        clock_time(last->time_ns));
    return svg + "</svg>\n";
}

}  // namespace

std::string render_document_html(const Document& document, const std::string& title) {
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
        escaped(title) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n";
    for (const DocBlock& block : document.blocks) {
        switch (block.kind) {
            case DocBlock::Kind::heading: {
                const int level = std::clamp(block.level, 1, 6);
                out += fmt::format("<h{0}{1}>{2}</h{0}>\n", level, tone_class(block.tone),
                                   escaped(block.text));
                break;
            }
            case DocBlock::Kind::paragraph:
                out += "<p" + tone_class(block.tone) + ">" + escaped(block.text) + "</p>\n";
                break;
            case DocBlock::Kind::list:
                out += "<ul>\n";
                for (const auto& item : block.items) out += "<li>" + escaped(item) + "</li>\n";
                out += "</ul>\n";
                break;
            case DocBlock::Kind::commands:
            case DocBlock::Kind::code:
                out += "<pre><code>";
                for (const auto& line : block.items)
                    out += (line.starts_with("#") || block.kind == DocBlock::Kind::code ? "" : "$ ") +
                           escaped(line) + "\n";
                out += "</code></pre>\n";
                break;
            case DocBlock::Kind::table:
                out += "<table>\n<tr>";
                for (const auto& cell : block.header) out += "<th>" + escaped(cell) + "</th>";
                out += "</tr>\n";
                for (const auto& row : block.rows) {
                    out += "<tr>";
                    for (const auto& cell : row) out += "<td>" + escaped(cell) + "</td>";
                    out += "</tr>\n";
                }
                out += "</table>\n";
                break;
            case DocBlock::Kind::timeline:
                out += svg_timeline(block.timeline);
                out += "<ol class=\"timeline\">\n";
                for (const auto& item : block.timeline)
                    out += fmt::format("<li{}><time datetime=\"{}\">{}</time>{}</li>\n",
                                       tone_class(item.tone), iso_time(item.time_ns),
                                       clock_time(item.time_ns), escaped(item.text));
                out += "</ol>\n";
                break;
        }
    }
    return out + "</body></html>\n";
}

}  // namespace pathwhy
