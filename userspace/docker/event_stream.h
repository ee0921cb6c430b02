// Docker's event stream: one long-lived GET /events (chunked JSON lines) filtered to the network
// and container events that change what a path looks like. It delivers each event as it arrives
// and tells when the stream ends — the daemon stopped or restarted — so the caller can reconnect.
// poll() waits on the socket, not on a timer, and wake() cuts a wait short from another thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "docker/api_version.h"
#include "docker/docker_endpoint.h"
#include "model/docker_event.h"

namespace pathwhy {

class DockerEventStream {
  public:
    // Starts the request under /v<api>/; `since_unix_ns` asks Docker to replay what it still
    // holds from that time on (events missed while reconnecting). Connection problems surface
    // from poll(), as the end of the stream.
    DockerEventStream(const EngineEndpoint& endpoint, ApiVersion api,
                      std::optional<std::int64_t> since_unix_ns = std::nullopt);
    ~DockerEventStream();
    DockerEventStream(const DockerEventStream&) = delete;
    DockerEventStream& operator=(const DockerEventStream&) = delete;

    // Waits up to `timeout` for data and hands over every complete event line. Returns false once
    // the stream has ended; end_reason() then says why. Lines that are not events are skipped.
    bool poll(std::chrono::milliseconds timeout, const std::function<void(DockerEvent&&)>& on_event);
    // Makes a poll() waiting in another thread return now. Thread-safe.
    void wake();
    const std::string& end_reason() const { return end_reason_; }

  private:
    struct Transfer;
    std::unique_ptr<Transfer> transfer_;
    std::string end_reason_;
};

}  // namespace pathwhy
