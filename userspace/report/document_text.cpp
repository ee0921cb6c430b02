// Documents for a terminal. Strings are data: control characters (an escape sequence hidden in a
// network name) are shown as '?', never sent to the terminal.
#include "report/document.h"

#include <algorithm>

#include "record/time_text.h"
#include "report/painter.h"

namespace pathwhy {
namespace {

std::string printable(const std::string& text) {
    std::string out = text;
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return out;
}

// Columns as a terminal shows them: UTF-8 continuation bytes take no column.
std::size_t width(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
    }));
}

std::string padded(const std::string& text, std::size_t columns) {
    return text + std::string(columns > width(text) ? columns - width(text) : 0, ' ');
}

std::string toned(const Painter& paint, const std::string& tone, const std::string& text) {
    if (tone == "bad") return paint.red(text);
    if (tone == "ok") return paint.green(text);
    if (tone == "cause") return paint.yellow(text);
    return text;
}

}  // namespace

std::string render_document_text(const Document& document, const TextLayout& layout) {
    const Painter paint(layout.color);
    std::string out;
    for (const DocBlock& block : document.blocks) {
        switch (block.kind) {
            case DocBlock::Kind::heading:
                if (!out.empty()) out += "\n";
                out += toned(paint, block.tone,
                             paint.bold((block.level == 3 ? "● " : "") + printable(block.text))) +
                       "\n";
                break;
            case DocBlock::Kind::paragraph:
                out += "  " + toned(paint, block.tone, printable(block.text)) + "\n";
                break;
            case DocBlock::Kind::list:
                for (const auto& item : block.items) out += "    - " + printable(item) + "\n";
                break;
            case DocBlock::Kind::commands:
            case DocBlock::Kind::code: {
                const std::string prompt = block.kind == DocBlock::Kind::commands ? "$ " : "  ";
                for (const auto& line : block.items)
                    out += line.starts_with("#") ? "    " + paint.dim(printable(line)) + "\n"
                                                 : "    " + prompt + printable(line) + "\n";
                break;
            }
            case DocBlock::Kind::table: {
                std::vector<std::size_t> widths(block.header.size());
                for (std::size_t i = 0; i < block.header.size(); ++i) {
                    widths[i] = width(block.header[i]);
                    for (const auto& row : block.rows)
                        if (i < row.size()) widths[i] = std::max(widths[i], width(printable(row[i])));
                }
                std::string header;
                for (std::size_t i = 0; i < block.header.size(); ++i)
                    header += padded(block.header[i], widths[i] + 2);
                out += "    " + paint.dim(header) + "\n";
                for (const auto& row : block.rows) {
                    std::string line;
                    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
                        line += padded(printable(row[i]), widths[i] + 2);
                    while (!line.empty() && line.back() == ' ') line.pop_back();
                    out += "    " + line + "\n";
                }
                break;
            }
            case DocBlock::Kind::timeline:
                for (const auto& item : block.timeline)
                    out += "    " + paint.dim(clock_time(item.time_ns)) + "  " +
                           toned(paint, item.tone, printable(item.text)) + "\n";
                break;
        }
    }
    return out;
}

}  // namespace pathwhy
