// libcurl's multi interface drives the one transfer: curl_multi_poll() sleeps on the socket and
// curl_multi_wakeup() interrupts it. Lines are split out of the chunked body as they come; a line
// longer than kMaxLine (no real event is) is dropped rather than buffered without end.
#include "docker/event_stream.h"

#include <curl/curl.h>

#include <array>
#include <mutex>

#include "docker/engine_json.h"

namespace pathwhy {
namespace {

constexpr std::size_t kMaxLine = 1 << 20;

// Only what changes a packet's path: networks appearing, going, gaining or losing containers;
// containers starting and stopping. Health checks and exec events would be noise.
constexpr const char* kFilters =
    R"({"type":["network","container"],"event":["create","destroy","connect","disconnect","start","die"]})";

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

struct DockerEventStream::Transfer {
    CURLM* multi = nullptr;
    CURL* easy = nullptr;
    std::string pending;  // bytes after the last complete line
    bool skipping_long_line = false;
    std::string error_body;  // an HTTP error's body, for the reason
    std::array<char, CURL_ERROR_SIZE> message{};

    ~Transfer() {
        if (multi && easy) curl_multi_remove_handle(multi, easy);
        curl_easy_cleanup(easy);
        curl_multi_cleanup(multi);
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
        auto* transfer = static_cast<Transfer*>(self);
        long status = 0;
        curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
        const std::size_t bytes = size * count;
        if (status >= 300) {
            if (transfer->error_body.size() < 4096) transfer->error_body.append(data, bytes);
            return bytes;
        }
        transfer->pending.append(data, bytes);
        return bytes;
    }
};

DockerEventStream::DockerEventStream(const EngineEndpoint& endpoint, ApiVersion api,
                                     std::optional<std::int64_t> since_unix_ns)
    : transfer_(std::make_unique<Transfer>()) {
    init_curl_once();
    Transfer& t = *transfer_;
    t.multi = curl_multi_init();
    t.easy = curl_easy_init();
    if (!t.multi || !t.easy) {
        end_reason_ = "libcurl could not start";
        return;
    }
    const bool unix_socket = endpoint.transport == EngineEndpoint::Transport::unix_socket;
    char* filters = curl_easy_escape(t.easy, kFilters, 0);
    std::string url = (unix_socket ? std::string("http://localhost")
                                   : "http://" + endpoint.url().substr(sizeof("tcp://") - 1)) +
                      "/v" + api.str() + "/events?filters=" + filters;
    curl_free(filters);
    // Docker takes "seconds.nanoseconds" for since.
    if (since_unix_ns)
        url += "&since=" + std::to_string(*since_unix_ns / 1'000'000'000) + "." +
               std::to_string(*since_unix_ns % 1'000'000'000);
    if (unix_socket) curl_easy_setopt(t.easy, CURLOPT_UNIX_SOCKET_PATH, endpoint.socket_path.c_str());
    curl_easy_setopt(t.easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(t.easy, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(t.easy, CURLOPT_PROXY, "");
    curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t.easy, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    curl_easy_setopt(t.easy, CURLOPT_USERAGENT, "pathwhy");
    curl_easy_setopt(t.easy, CURLOPT_ERRORBUFFER, t.message.data());
    curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
    curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t);
    curl_multi_add_handle(t.multi, t.easy);
}

DockerEventStream::~DockerEventStream() = default;

void DockerEventStream::wake() {
    if (transfer_->multi) curl_multi_wakeup(transfer_->multi);
}

bool DockerEventStream::poll(std::chrono::milliseconds timeout,
                             const std::function<void(DockerEvent&&)>& on_event) {
    if (!end_reason_.empty()) return false;
    Transfer& t = *transfer_;
    curl_multi_poll(t.multi, nullptr, 0, static_cast<int>(timeout.count()), nullptr);
    int running = 0;
    curl_multi_perform(t.multi, &running);

    for (std::size_t newline; (newline = t.pending.find('\n')) != std::string::npos;) {
        const std::string line = t.pending.substr(0, newline);
        t.pending.erase(0, newline + 1);
        if (t.skipping_long_line) {
            t.skipping_long_line = false;
            continue;
        }
        try {
            if (!line.empty()) on_event(parse_event_json(line));
        } catch (const EngineJsonError&) {
            // Not an event (a newer daemon's extra message type): nothing to record.
        }
    }
    if (t.pending.size() > kMaxLine) {
        t.pending.clear();
        t.skipping_long_line = true;
    }

    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(t.multi, &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        long status = 0;
        curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
        if (message->data.result != CURLE_OK)
            end_reason_ = t.message[0] ? t.message.data() : curl_easy_strerror(message->data.result);
        else if (status >= 300)
            end_reason_ = "HTTP " + std::to_string(status) + ": " + t.error_body;
        else
            end_reason_ = "the daemon closed the event stream";
    }
    return end_reason_.empty();
}

}  // namespace pathwhy
