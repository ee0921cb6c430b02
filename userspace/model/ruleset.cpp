#include "model/ruleset.h"

namespace pathwhy {

const FirewallChain* FirewallTable::chain(const std::string& name) const {
    for (const auto& chain : chains)
        if (chain.name == name) return &chain;
    return nullptr;
}

const FirewallTable* Ruleset::table(const std::string& name) const {
    for (const auto& table : tables)
        if (table.name == name) return &table;
    return nullptr;
}

}  // namespace pathwhy
