// A report as a small document — headings, paragraphs, lists, commands, tables and a timeline —
// so that its wording is written once (incident_document.h) and each format only lays it out:
// plain text for a terminal, Markdown for a ticket, one self-contained HTML file for a browser.
// Every string in a document is data: renderers escape it for their format, whatever it holds
// (network and container names come from whoever ran `docker network create`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pathwhy {

struct DocTimelineItem {
    std::int64_t time_ns = 0;
    std::string text;
    std::string tone;   // "ok", "cause", "bad", "info"
};

struct DocBlock {
    // commands: shell lines to run ("$ " before each, "#" lines are comments); code: lines to
    // copy as they are (configuration).
    enum class Kind { heading, paragraph, list, commands, code, table, timeline };

    Kind kind = Kind::paragraph;
    int level = 1;     // heading: 1 the title, 2 a section, 3 a subsection
    std::string tone;  // heading/paragraph: "ok", "bad", "" — for colour where a format has it
    std::string text;  // heading, paragraph
    std::vector<std::string> items;  // list items, commands, code lines
    std::vector<std::string> header;                 // table
    std::vector<std::vector<std::string>> rows;      // table
    std::vector<DocTimelineItem> timeline;           // timeline
};

struct Document {
    std::vector<DocBlock> blocks;

    void heading(int level, std::string text, std::string tone = {});
    void paragraph(std::string text, std::string tone = {});
    void list(std::vector<std::string> items);
    void commands(std::vector<std::string> lines);
    void code(std::vector<std::string> lines);
    void table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows);
    void timeline(std::vector<DocTimelineItem> items);

  private:
    void lines(DocBlock::Kind kind, std::vector<std::string> items);
};

struct TextLayout {
    bool color = false;
};

std::string render_document_text(const Document& document, const TextLayout& layout);
std::string render_document_markdown(const Document& document);
// `title` goes into <title>; the page needs nothing from the network.
std::string render_document_html(const Document& document, const std::string& title);

}  // namespace pathwhy
