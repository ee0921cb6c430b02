#include "trace/kernel_symbols.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace pathwhy {

KernelSymbols::KernelSymbols(std::istream& kallsyms) { load(kallsyms); }

// Lines are "ffffffff81000000 T _stext" or "... t name [module]"; only text symbols can be
// where a packet was freed.
void KernelSymbols::load(std::istream& kallsyms) {
    loaded_ = true;
    std::string line;
    while (std::getline(kallsyms, line)) {
        std::istringstream fields(line);
        std::string address, type, name;
        if (!(fields >> address >> type >> name) || type.size() != 1) continue;
        if (type[0] != 't' && type[0] != 'T') continue;
        std::uint64_t value = std::strtoull(address.c_str(), nullptr, 16);
        if (value == 0) continue;  // hidden by kptr_restrict
        symbols_.push_back({value, std::move(name)});
    }
    std::sort(symbols_.begin(), symbols_.end(),
              [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
}

std::string KernelSymbols::describe(std::uint64_t address) {
    if (!loaded_) {
        std::ifstream kallsyms("/proc/kallsyms");
        load(kallsyms);
    }
    auto cached = described_.find(address);
    if (cached != described_.end()) return cached->second;
    auto after = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                                  [](std::uint64_t a, const Symbol& s) { return a < s.address; });
    std::string text = after == symbols_.begin() ? fmt::format("{:#x}", address)
                                                 : fmt::format("{}+{:#x}", std::prev(after)->name,
                                                               address - std::prev(after)->address);
    described_.emplace(address, text);
    return text;
}

}  // namespace pathwhy
