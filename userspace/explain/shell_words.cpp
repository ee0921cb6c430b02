#include "explain/shell_words.h"

#include <algorithm>
#include <cctype>

namespace pathwhy {

std::string shell_quote(const std::string& word) {
    auto safe = [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == ':' ||
               c == '@' || c == '=' || c == ',';
    };
    if (!word.empty() && std::all_of(word.begin(), word.end(), safe)) return word;
    std::string quoted = "'";
    for (char c : word) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

}  // namespace pathwhy
