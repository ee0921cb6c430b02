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

int iptables_table_priority(std::string_view table, NetfilterHook hook) {
    if (table == "raw") return -300;
    if (table == "mangle") return -150;
    if (table == "nat")
        return hook == NetfilterHook::prerouting || hook == NetfilterHook::local_out ? -100 : 100;
    if (table == "security") return 50;
    return 0;  // filter
}

}  // namespace pathwhy
