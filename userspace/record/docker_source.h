// The recorder's view of Docker: the Engine API's event stream, with each network event carrying
// the network itself (inspected at create, connect and disconnect; remembered for destroy, when
// it can no longer be inspected). When the daemon goes away — restarted, upgraded, crashed — the
// source notes it and reconnects with a bounded backoff, asking Docker to replay what it still
// holds since the last event; the recorder takes a fresh snapshot on reconnection.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "docker/docker_endpoint.h"
#include "docker/engine_client.h"
#include "docker/event_stream.h"
#include "record/record_queue.h"

namespace pathwhy {

class DockerSource {
  public:
    // Starts at once; connection problems become notes, never exceptions.
    DockerSource(EngineEndpoint endpoint, RecordQueue& queue);
    ~DockerSource();
    DockerSource(const DockerSource&) = delete;
    DockerSource& operator=(const DockerSource&) = delete;

  private:
    void run(std::stop_token stop);
    // Connects (noting it when `announce`: after an outage), follows the stream until it ends;
    // returns why it ended. Throws pathwhy::Error when no connection could be made.
    std::string follow(std::stop_token stop, bool announce);
    void deliver(EngineClient& client, DockerEvent&& event);
    void note(const std::string& kind, const std::string& text);

    EngineEndpoint endpoint_;
    RecordQueue& queue_;
    std::map<std::string, DockerNetwork> networks_;  // by id: what destroy events refer to
    std::optional<std::int64_t> last_event_ns_;
    std::mutex mutex_;  // guards stream_ and the backoff wait
    std::condition_variable_any backoff_;
    DockerEventStream* stream_ = nullptr;
    std::jthread thread_;
};

}  // namespace pathwhy
