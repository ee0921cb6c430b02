// The human view of a diagnosis: the verdict in the first line, then the route, then each finding
// with its evidence, the commands to fix it now and how to keep it from coming back.
#pragma once

#include <string>

#include "explain/diagnosis.h"

namespace pathwhy {

struct TextStyle {
    bool color = false;  // ANSI colours: only on a terminal, and never with NO_COLOR set
};

std::string render_text(const Diagnosis& diagnosis, const TextStyle& style);

// The findings block (same-kind findings grouped; a summary equal to `headline` is not
// repeated) and the notes, for every report that lists findings: the diagnosis, `pathwhy scan`.
std::string render_findings(const std::vector<Finding>& findings,
                            const std::vector<std::string>& notes, const std::string& headline,
                            const TextStyle& style);

}  // namespace pathwhy
