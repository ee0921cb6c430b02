#include "report/document.h"

namespace pathwhy {

void Document::heading(int level, std::string text, std::string tone) {
    DocBlock block;
    block.kind = DocBlock::Kind::heading;
    block.level = level;
    block.text = std::move(text);
    block.tone = std::move(tone);
    blocks.push_back(std::move(block));
}

void Document::paragraph(std::string text, std::string tone) {
    DocBlock block;
    block.text = std::move(text);
    block.tone = std::move(tone);
    blocks.push_back(std::move(block));
}

void Document::list(std::vector<std::string> items) {
    lines(DocBlock::Kind::list, std::move(items));
}

void Document::commands(std::vector<std::string> lines_to_run) {
    lines(DocBlock::Kind::commands, std::move(lines_to_run));
}

void Document::code(std::vector<std::string> lines_as_they_are) {
    lines(DocBlock::Kind::code, std::move(lines_as_they_are));
}

void Document::lines(DocBlock::Kind kind, std::vector<std::string> items) {
    if (items.empty()) return;
    DocBlock block;
    block.kind = kind;
    block.items = std::move(items);
    blocks.push_back(std::move(block));
}

void Document::table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
    DocBlock block;
    block.kind = DocBlock::Kind::table;
    block.header = std::move(header);
    block.rows = std::move(rows);
    blocks.push_back(std::move(block));
}

void Document::timeline(std::vector<DocTimelineItem> items) {
    if (items.empty()) return;
    DocBlock block;
    block.kind = DocBlock::Kind::timeline;
    block.timeline = std::move(items);
    blocks.push_back(std::move(block));
}

}  // namespace pathwhy
