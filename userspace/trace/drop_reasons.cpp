#include "trace/drop_reasons.h"

#include <bpf/btf.h>

#include <memory>
#include <string_view>

namespace pathwhy {

namespace {

std::map<std::uint32_t, std::string> read_kernel_enum() {
    std::map<std::uint32_t, std::string> names;
    std::unique_ptr<btf, decltype(&btf__free)> vmlinux(btf__load_vmlinux_btf(), btf__free);
    if (!vmlinux) return names;
    int id = btf__find_by_name_kind(vmlinux.get(), "skb_drop_reason", BTF_KIND_ENUM);
    if (id <= 0) return names;  // kernels before 5.17
    const btf_type* type = btf__type_by_id(vmlinux.get(), id);
    const struct btf_enum* values = btf_enum(type);
    for (int i = 0; i < btf_vlen(type); ++i)
        names[static_cast<std::uint32_t>(values[i].val)] =
            drop_reason_short_name(btf__name_by_offset(vmlinux.get(), values[i].name_off));
    return names;
}

}  // namespace

std::string drop_reason_short_name(const std::string& enumerator) {
    for (std::string_view prefix : {"SKB_DROP_REASON_", "SKB_"})
        if (enumerator.rfind(prefix, 0) == 0) return enumerator.substr(prefix.size());
    return enumerator;
}

std::string DropReasons::name(std::uint32_t reason) {
    if (!names_) names_ = read_kernel_enum();
    auto it = names_->find(reason);
    return it != names_->end() ? it->second : "reason " + std::to_string(reason);
}

}  // namespace pathwhy
