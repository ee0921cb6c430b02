#include "model/kernel_views.h"

namespace pathwhy {

std::string kernel_view_name(KernelView view) {
    switch (view) {
        case KernelView::route_lookups: return "route lookups";
        case KernelView::netfilter_verdicts: return "netfilter verdicts";
        case KernelView::nat: return "NAT";
        case KernelView::conntrack: return "conntrack";
        case KernelView::drops: return "drops";
        case KernelView::icmp: return "ICMP errors";
        case KernelView::neighbours: return "neighbours";
    }
    return "?";
}

std::string kernel_view_id(KernelView view) {
    switch (view) {
        case KernelView::route_lookups: return "route_lookups";
        case KernelView::netfilter_verdicts: return "netfilter_verdicts";
        case KernelView::nat: return "nat";
        case KernelView::conntrack: return "conntrack";
        case KernelView::drops: return "drops";
        case KernelView::icmp: return "icmp";
        case KernelView::neighbours: return "neighbours";
    }
    return "?";
}

}  // namespace pathwhy
