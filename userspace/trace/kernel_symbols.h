// Kernel text addresses to "function+0xoffset", from /proc/kallsyms: for the location a drop
// event carries. Read lazily on the first address asked (it is a few MB) and answers are cached:
// drops come from a handful of places.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace pathwhy {

class KernelSymbols {
  public:
    // Reads /proc/kallsyms on first use.
    KernelSymbols() = default;
    // Reads this kallsyms text now (tests).
    explicit KernelSymbols(std::istream& kallsyms);

    // "nf_hook_slow+0x9b"; "0xffffffff81a2b3c4" when no symbol covers it (or kallsyms hides
    // addresses from this process).
    std::string describe(std::uint64_t address);

  private:
    struct Symbol {
        std::uint64_t address;
        std::string name;
    };
    void load(std::istream& kallsyms);

    bool loaded_ = false;
    std::vector<Symbol> symbols_;  // text symbols, by address
    std::map<std::uint64_t, std::string> described_;
};

}  // namespace pathwhy
