// libcurl setup and the translation of its failures into what a user can act on. Only http:// is
// enabled, proxies from the environment are ignored (a local socket is never behind one), and
// each body is capped so a runaway peer cannot exhaust memory. All requests go through one
// curl multi handle: its connection pool gives keep-alive across calls, and it runs get_all()'s
// requests side by side without threads.
#include "docker/http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <mutex>

#include "docker/docker_error.h"

namespace pathwhy {

namespace {

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string seconds_text(std::chrono::milliseconds ms) {
    return fmt::format("{:g} s", static_cast<double>(ms.count()) / 1000.0);
}

std::string size_text(std::size_t bytes) {
    constexpr std::size_t kMiB = std::size_t{1} << 20;
    return bytes % kMiB == 0 ? fmt::format("{} MiB", bytes / kMiB) : fmt::format("{} bytes", bytes);
}

struct ConnectProblem {
    std::string reason;
    std::string hint;
};

ConnectProblem connect_problem(int os_errno, const EngineEndpoint& endpoint,
                               const std::string& curl_message) {
    bool unix_socket = endpoint.transport == EngineEndpoint::Transport::unix_socket;
    switch (os_errno) {
        case ENOENT:
            return {"no such socket",
                    "is Docker installed and running? see systemctl status docker"};
        case EACCES:
        case EPERM:
            return {"permission denied", "run as root or add yourself to the docker group"};
        case ECONNREFUSED:
            return {"connection refused", unix_socket ? "dockerd is not running; the socket file "
                                                        "is left over from an earlier run"
                                                      : "is dockerd listening on that port?"};
        case 0:
            return {curl_message, ""};
        default:
            return {errno_text(os_errno), ""};
    }
}

}  // namespace

// One easy handle and what its current request has produced so far.
struct HttpClient::Transfer {
    CURL* curl = nullptr;
    std::size_t max_body = 0;
    std::size_t index = 0;  // into get_all()'s paths
    std::string path;
    std::chrono::milliseconds timeout{0};
    std::string body;
    bool body_too_large = false;
    bool connected = false;  // got a connection (new or reused) before anything failed
    std::array<char, CURL_ERROR_SIZE> message{};

    ~Transfer() { curl_easy_cleanup(curl); }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
        auto* transfer = static_cast<Transfer*>(self);
        std::size_t bytes = size * count;
        if (transfer->body.size() + bytes > transfer->max_body) {
            transfer->body_too_large = true;
            return 0;  // makes curl stop with CURLE_WRITE_ERROR
        }
        transfer->body.append(data, bytes);
        return bytes;
    }

    // CURLOPT_PREREQFUNCTION runs once a connection is up, before the request goes out: the one
    // reliable way to tell a connect timeout from a server that accepts and never answers.
    static int on_connected(void* self, char*, char*, int, int) {
        static_cast<Transfer*>(self)->connected = true;
        return CURL_PREREQFUNC_OK;
    }
};

HttpClient::HttpClient(EngineEndpoint endpoint, HttpLimits limits)
    : endpoint_(std::move(endpoint)),
      limits_(limits),
      deadline_(std::chrono::steady_clock::now() + limits.total_budget),
      // Over a unix socket the host part only fills the Host header.
      base_url_(endpoint_.transport == EngineEndpoint::Transport::unix_socket
                    ? std::string("http://localhost")
                    : "http://" + endpoint_.url().substr(std::string_view("tcp://").size())) {
    init_curl_once();
    multi_ = curl_multi_init();
    if (!multi_)
        throw DockerError(DockerStatus::error, "talk to Docker at " + endpoint_.url(),
                          "libcurl could not start");
}

HttpClient::~HttpClient() {
    transfers_.clear();  // easy handles first: they are no longer attached, but belong to it
    curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

HttpResponse HttpClient::get(const std::string& path) { return std::move(get_all({path}).front()); }

std::vector<HttpResponse> HttpClient::get_all(const std::vector<std::string>& paths) {
    using namespace std::chrono;
    CURLM* multi = static_cast<CURLM*>(multi_);
    std::size_t parallel = std::clamp<std::size_t>(limits_.max_parallel, 1, 64);
    while (transfers_.size() < std::min(parallel, paths.size())) {
        auto transfer = std::make_unique<Transfer>();
        transfer->curl = curl_easy_init();
        if (!transfer->curl)
            throw DockerError(DockerStatus::error, "talk to Docker at " + endpoint_.url(),
                              "libcurl could not start");
        transfer->max_body = limits_.max_body_bytes;
        CURL* c = transfer->curl;
        if (endpoint_.transport == EngineEndpoint::Transport::unix_socket)
            curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, endpoint_.socket_path.c_str());
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
        curl_easy_setopt(c, CURLOPT_PROXY, "");
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we may be a thread
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(limits_.connect_timeout.count()));
        curl_easy_setopt(c, CURLOPT_USERAGENT, "pathwhy");
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, transfer->message.data());
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, transfer.get());
        curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, &Transfer::on_connected);
        curl_easy_setopt(c, CURLOPT_PREREQDATA, transfer.get());
        curl_easy_setopt(c, CURLOPT_PRIVATE, transfer.get());
        transfers_.push_back(std::move(transfer));
    }

    std::vector<HttpResponse> responses(paths.size());
    std::vector<Transfer*> idle;
    for (auto& transfer : transfers_) idle.push_back(transfer.get());
    std::vector<Transfer*> running;
    // Whatever happens, no easy handle stays attached to the multi handle.
    auto detach_all = [&] {
        for (Transfer* t : running) curl_multi_remove_handle(multi, t->curl);
        running.clear();
    };

    std::size_t next = 0;
    try {
        while (next < paths.size() || !running.empty()) {
            while (!idle.empty() && next < paths.size()) {
                auto remaining = duration_cast<milliseconds>(deadline_ - steady_clock::now());
                if (remaining <= milliseconds::zero())
                    throw DockerError(DockerStatus::error, "query Docker at " + endpoint_.url(),
                                      out_of_budget(), "dockerd may be hung or overloaded");
                Transfer* t = idle.back();
                idle.pop_back();
                t->index = next;
                t->path = paths[next++];
                t->timeout = std::min(limits_.request_timeout, remaining);
                t->body.clear();
                t->body_too_large = false;
                t->connected = false;
                t->message[0] = '\0';
                std::string url = base_url_ + t->path;
                curl_easy_setopt(t->curl, CURLOPT_URL, url.c_str());
                curl_easy_setopt(t->curl, CURLOPT_TIMEOUT_MS,
                                 static_cast<long>(t->timeout.count()));
                curl_multi_add_handle(multi, t->curl);
                running.push_back(t);
            }

            int still_running = 0;
            curl_multi_perform(multi, &still_running);
            int queued = 0;
            while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
                if (message->msg != CURLMSG_DONE) continue;
                Transfer* t = nullptr;
                curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
                CURLcode code = message->data.result;  // read before the handle is detached
                curl_multi_remove_handle(multi, t->curl);
                std::erase(running, t);
                idle.push_back(t);
                if (code != CURLE_OK) fail(*t, code);
                curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &responses[t->index].status);
                responses[t->index].body = std::move(t->body);
            }
            if (still_running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
        }
    } catch (...) {
        detach_all();
        throw;
    }
    return responses;
}

std::string HttpClient::out_of_budget() const {
    return "it did not finish answering within " + seconds_text(limits_.total_budget) + " in all";
}

void HttpClient::fail(const Transfer& transfer, int curl_code) const {
    const std::string where = endpoint_.url();
    const std::string query = "query Docker at " + where;
    const std::string request = "GET " + transfer.path;
    std::string curl_text = transfer.message[0]
                                ? transfer.message.data()
                                : curl_easy_strerror(static_cast<CURLcode>(curl_code));
    switch (curl_code) {
        case CURLE_COULDNT_CONNECT: {
            long os_errno = 0;
            curl_easy_getinfo(transfer.curl, CURLINFO_OS_ERRNO, &os_errno);
            auto problem = connect_problem(static_cast<int>(os_errno), endpoint_, curl_text);
            throw DockerError(DockerStatus::unreachable, "connect to Docker at " + where,
                              problem.reason, problem.hint);
        }
        case CURLE_COULDNT_RESOLVE_HOST:
            throw DockerError(DockerStatus::unreachable, "connect to Docker at " + where,
                              "cannot resolve " + endpoint_.host);
        case CURLE_OPERATION_TIMEDOUT:
            if (!transfer.connected)
                throw DockerError(
                    DockerStatus::unreachable, "connect to Docker at " + where,
                    "no connection within " +
                        seconds_text(std::min(limits_.connect_timeout, transfer.timeout)));
            if (transfer.timeout < limits_.request_timeout)  // cut short by the total budget
                throw DockerError(DockerStatus::error, query,
                                  out_of_budget() + " (waiting for " + request + ")",
                                  "dockerd may be hung or overloaded");
            throw DockerError(
                DockerStatus::error, query,
                "it did not answer " + request + " within " + seconds_text(transfer.timeout),
                "dockerd may be hung or overloaded");
        case CURLE_WRITE_ERROR:
            if (transfer.body_too_large)
                throw DockerError(DockerStatus::error, query,
                                  "its answer to " + request + " is larger than " +
                                      size_text(limits_.max_body_bytes));
            break;
        case CURLE_UNSUPPORTED_PROTOCOL:  // curl 7.x: "Received HTTP/0.9 when not allowed"
        case CURLE_WEIRD_SERVER_REPLY:
            throw DockerError(DockerStatus::error, query,
                              "it answered " + request + " with something that is not HTTP",
                              "is " + where + " really a Docker endpoint?");
        case CURLE_GOT_NOTHING:
            throw DockerError(DockerStatus::error, query,
                              "it closed the connection without answering " + request);
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE:
            throw DockerError(
                DockerStatus::error, query,
                "the connection broke off during " + request + " (" + curl_text + ")");
        default:
            break;
    }
    throw DockerError(DockerStatus::error, query, request + " failed: " + curl_text);
}

}  // namespace pathwhy
