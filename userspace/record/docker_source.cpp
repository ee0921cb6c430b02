#include "record/docker_source.h"

#include "common/error.h"
#include "record/time_text.h"

namespace pathwhy {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{500};
constexpr std::chrono::milliseconds kLongestBackoff{30'000};

// The client lives as long as one connection: requests keep their own timeouts, but the budget
// for all of them together, meant for one diagnosis, must not run out.
HttpLimits long_lived() {
    HttpLimits limits;
    limits.total_budget = std::chrono::hours(24 * 365);
    return limits;
}

}  // namespace

DockerSource::DockerSource(EngineEndpoint endpoint, RecordQueue& queue)
    : endpoint_(std::move(endpoint)), queue_(queue) {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

DockerSource::~DockerSource() {
    thread_.request_stop();
    {
        std::lock_guard lock(mutex_);
        if (stream_) stream_->wake();
    }
    backoff_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DockerSource::note(const std::string& kind, const std::string& text) {
    queue_.push({unix_now_ns(), RecordingNote{kind, text}});
}

void DockerSource::run(std::stop_token stop) {
    bool outage_noted = false;  // one note per outage, however many attempts it takes
    auto backoff = kFirstBackoff;
    while (!stop.stop_requested()) {
        try {
            const std::string ended = follow(stop, outage_noted);
            if (stop.stop_requested()) return;
            note("docker-disconnected", "Docker's event stream ended: " + ended);
            outage_noted = true;
            backoff = kFirstBackoff;
        } catch (const Error& e) {
            if (!outage_noted)
                note("docker-unreachable", std::string(e.what()) + "; retrying in the background");
            outage_noted = true;
        }
        std::unique_lock lock(mutex_);
        backoff_.wait_for(lock, stop, backoff, [] { return false; });
        backoff = std::min(backoff * 2, kLongestBackoff);
    }
}

std::string DockerSource::follow(std::stop_token stop, bool announce) {
    EngineClient client(endpoint_, long_lived());
    for (auto& network : client.networks()) networks_[network.id] = std::move(network);
    const std::optional<std::int64_t> since =
        last_event_ns_ ? std::optional(*last_event_ns_ + 1) : std::nullopt;
    DockerEventStream stream(endpoint_, client.api_version(), since);
    {
        std::lock_guard lock(mutex_);
        stream_ = &stream;
    }
    if (announce)
        note("docker-reconnected", "Docker at " + endpoint_.url() + " answers again (" +
                                       client.server().version + ")");
    while (!stop.stop_requested() &&
           stream.poll(std::chrono::seconds(1),
                       [&](DockerEvent&& event) { deliver(client, std::move(event)); })) {
    }
    std::lock_guard lock(mutex_);
    stream_ = nullptr;
    return stream.end_reason();
}

void DockerSource::deliver(EngineClient& client, DockerEvent&& event) {
    if (event.time_unix_ns == 0) event.time_unix_ns = unix_now_ns();
    last_event_ns_ = event.time_unix_ns;
    if (event.type == "network" && !event.actor_id.empty()) {
        if (event.action == "destroy") {
            if (auto known = networks_.find(event.actor_id); known != networks_.end()) {
                event.network = std::move(known->second);
                networks_.erase(known);
            }
        } else {
            std::optional<DockerNetwork> inspected;
            try {
                inspected = client.network(event.actor_id);
            } catch (const Error&) {
                // Gone again already, or Docker is going away: keep what we knew.
            }
            if (inspected) networks_[event.actor_id] = *inspected;
            if (auto known = networks_.find(event.actor_id); known != networks_.end())
                event.network = known->second;
        }
    }
    queue_.push({event.time_unix_ns, std::move(event)});
}

}  // namespace pathwhy
