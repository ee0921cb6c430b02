// Seed 003 in a lab: a container publishes UDP 8888 and receives a steady stream from the peer
// (other hosts on the VLAN in the seed); the service is redeployed onto a new compose network
// with a new address while the stream goes on, and the stream keeps following a conntrack entry
// that no longer matches Docker's NAT. Two forms:
//   redeploy()                  Docker 20.10 as it is: the stream's packets in the gap between
//                               the old container's removal and the new one's start make an entry
//                               without NAT, which the stream keeps alive (docker-proxy gets the
//                               datagrams with the userland proxy on; nothing reads them without).
//   redeploy_holding_old_nat()  the seed's own form, as Docker before 23.0 could leave it: the
//                               old entry, DNAT to the old container's address, is put back with
//                               `conntrack -I` before the stream resumes, and the stream keeps it.
// Whether the userland proxy is on is the lab's dockerd option (LabOptions::dockerd). An engine
// that flushes UDP entries by host port when a container publishing it starts (Docker 23.0+)
// removes the gap entry: redeploy(GapEntry::flushed) checks that it does.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "lab/lab.h"
#include "lab/udp_stream.h"

namespace pathwhy::lab {

inline constexpr std::uint16_t kSeed003Port = 8888;         // published, host = container port
inline constexpr std::uint16_t kSeed003SenderPort = 40000;  // the stream's fixed source port

// What the redeploy's gap entry becomes once the new container is up: kept by the stream (Docker
// before 23.0), or flushed, the stream then reaching the new container.
enum class GapEntry { kept, flushed };

struct Seed003Deployment {
    LabContainer app;          // "seed003-app-1", the same name in every deployment, as compose
    std::string network;       // "bridge" (docker0) first, then "seed003_default"
    std::string receiver_dir;  // holds the receiver's log, on the host
};

class Seed003 {
  public:
    explicit Seed003(Lab& lab);
    ~Seed003();  // stops the stream; containers and networks go with the lab
    Seed003(const Seed003&) = delete;
    Seed003& operator=(const Seed003&) = delete;

    // The first deployment: the app on Docker's default bridge (172.17.0.2), -p 8888:8888/udp,
    // its receiver logging every datagram; then the peer's stream: 20 datagrams/s from
    // 172.18.2.129:40000 to the host's uplink 172.18.2.172:8888, 1200 at most (60 s). Also turns
    // on conntrack timestamps and counters in the lab's host namespace, so entries show their
    // age and packets. Returns once the receiver has datagrams from the peer.
    void up();
    // The redeploy while the stream goes on (see above). Returns once the stream follows an entry
    // without NAT (kept), or once the new container receives it (flushed). Throws Error if the
    // lab did not behave that way.
    void redeploy(GapEntry expected = GapEntry::kept);
    // The held-NAT form (see above); returns once the resumed stream follows the old entry.
    void redeploy_holding_old_nat();
    // The users' workaround, by hand: `conntrack -D -p udp --orig-port-dst 8888` in the host
    // namespace; returns once the new container receives from the peer. (The tests heal with
    // `pathwhy --fix` instead.)
    void heal();

    const Seed003Deployment& old_deployment() const { return *old_; }
    const Seed003Deployment& current() const { return current_ ? *current_ : *old_; }
    Ipv4Address host_address() const;  // where the peer sends: the uplink's address
    Ipv4Address sender() const;        // the peer's address the stream comes from

    // Datagrams the current deployment's receiver logged from the sender's own address (not
    // relayed by docker-proxy, which sends from the bridge's gateway).
    std::size_t received_from_sender() const;
    // Polls until received_from_sender() exceeds `count`; false when the timeout passes first.
    bool wait_for_sender_datagrams(std::size_t count, std::chrono::milliseconds timeout) const;

  private:
    Seed003Deployment deploy(const std::string& network, int number);
    void start_stream();
    // The reply source of the stream's conntrack entry (where it sends the flow), if there is
    // one: the host's own address when it is not DNATed.
    std::optional<Ipv4Address> stream_nat_target() const;
    void wait_for_stream_nat(Ipv4Address target, const std::string& what) const;

    Lab& lab_;
    std::optional<Seed003Deployment> old_;
    std::optional<Seed003Deployment> current_;
    std::unique_ptr<UdpSender> sender_;
    int streams_ = 0;
};

}  // namespace pathwhy::lab
