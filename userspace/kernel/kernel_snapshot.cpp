// read_kernel_state: one rtnetlink socket, five dumps, and the namespace's inode to tie the
// snapshot to tracepoint events.
#include "kernel/kernel_snapshot.h"

#include "kernel/netns.h"
#include "kernel/rtnl_readers.h"

namespace pathwhy {

KernelState read_kernel_state() {
    NetlinkSocket socket;
    KernelState state;
    state.netns_inode = current_netns_inode();
    state.links = read_links(socket);
    state.addresses = read_addresses(socket);
    state.routes = read_routes(socket);
    state.rules = read_rules(socket);
    state.neighbours = read_neighbours(socket);
    return state;
}

}  // namespace pathwhy
