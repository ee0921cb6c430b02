// Documents as Markdown, for a ticket or a chat. Text is escaped so that a hostile name can
// neither format the page nor inject HTML (which many Markdown viewers pass through); commands go
// in a fence longer than any run of backticks they contain.
#include "report/document.h"

#include <algorithm>

#include "record/time_text.h"

namespace pathwhy {
namespace {

std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '\n':
            case '\r': out += ' '; break;
            case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#':
            case '!': case '~':
                out += '\\';
                out += c;
                break;
            default: out += c;
        }
    }
    return out;
}

std::string fence_for(const std::vector<std::string>& lines) {
    std::size_t longest = 0;
    for (const auto& line : lines) {
        std::size_t run = 0;
        for (char c : line) {
            run = c == '`' ? run + 1 : 0;
            longest = std::max(longest, run);
        }
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string row(const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& cell : cells) out += " " + escaped(cell) + " |";
    return out + "\n";
}

}  // namespace

std::string render_document_markdown(const Document& document) {
    std::string out;
    for (const DocBlock& block : document.blocks) {
        switch (block.kind) {
            case DocBlock::Kind::heading:
                out += std::string(static_cast<std::size_t>(std::clamp(block.level, 1, 6)), '#') +
                       " " + escaped(block.text) + "\n\n";
                break;
            case DocBlock::Kind::paragraph:
                out += (block.tone == "bad" ? "**" + escaped(block.text) + "**" : escaped(block.text)) +
                       "\n\n";
                break;
            case DocBlock::Kind::list:
                for (const auto& item : block.items) out += "- " + escaped(item) + "\n";
                out += "\n";
                break;
            case DocBlock::Kind::commands:
            case DocBlock::Kind::code: {
                const std::string fence = fence_for(block.items);
                out += fence + (block.kind == DocBlock::Kind::commands ? "sh\n" : "\n");
                for (const auto& line : block.items) {
                    std::string safe = line;
                    std::replace(safe.begin(), safe.end(), '\n', ' ');
                    out += safe + "\n";
                }
                out += fence + "\n\n";
                break;
            }
            case DocBlock::Kind::table:
                out += row(block.header);
                out += "|";
                for (std::size_t i = 0; i < block.header.size(); ++i) out += " --- |";
                out += "\n";
                for (const auto& cells : block.rows) out += row(cells);
                out += "\n";
                break;
            case DocBlock::Kind::timeline:
                out += "| time (UTC) | what happened |\n| --- | --- |\n";
                for (const auto& item : block.timeline) {
                    const std::string text =
                        item.tone == "bad" ? "**" + escaped(item.text) + "**" : escaped(item.text);
                    out += "| " + clock_time(item.time_ns) + " | " + text + " |\n";
                }
                out += "\n";
                break;
        }
    }
    return out;
}

}  // namespace pathwhy
