// Reading and interpreting daemon.json. IPv6 pools are skipped like IPv6 IPAM entries; entries
// that are wrong in a way dockerd would reject are reported, keeping whatever else was readable.
#include "docker/daemon_config.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "docker/ipv4_text.h"

namespace pathwhy {

namespace {

using nlohmann::json;

// daemon.json is a few hundred bytes; the cap only guards against a path naming a device.
constexpr std::size_t kMaxDaemonJson = 1 << 20;

struct FileText {
    int error = 0;  // errno, 0 when read
    std::string text;
};

FileText read_file(const std::string& path) {
    FileText out;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {errno, {}};
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            out.error = errno;
            break;
        }
        if (n == 0) break;
        out.text.append(buffer, static_cast<std::size_t>(n));
        if (out.text.size() > kMaxDaemonJson) {
            out.error = EFBIG;
            break;
        }
    }
    ::close(fd);
    return out;
}

bool is_ipv6(const std::string& text) { return text.find(':') != std::string::npos; }

}  // namespace

DaemonConfig read_daemon_config(const std::string& path) {
    FileText file = read_file(path);
    if (file.error == 0) return parse_daemon_config(file.text, path);
    DaemonConfig config;
    config.path = path;
    config.present = file.error != ENOENT;
    if (config.present) config.error = "cannot read " + path + ": " + errno_text(file.error);
    return config;
}

DaemonConfig parse_daemon_config(std::string_view text, const std::string& path) {
    DaemonConfig config;
    config.path = path;
    config.present = true;
    auto problem = [&](const std::string& what) {
        config.error += (config.error.empty() ? "" : "; ") + what;
    };

    // dockerd accepts an empty daemon.json as "no settings".
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return config;
    json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_object()) {
        problem(path + " is not a JSON object");
        return config;
    }

    if (auto bip = document.find("bip"); bip != document.end()) {
        std::string value = bip->is_string() ? bip->get<std::string>() : bip->dump();
        if (auto cidr = parse_docker_cidr(value))
            config.bip = cidr;
        else
            problem("\"bip\" in " + path + " is not an IPv4 address with a prefix: " + value);
    }

    if (auto proxy = document.find("userland-proxy"); proxy != document.end()) {
        if (proxy->is_boolean()) {
            config.userland_proxy = proxy->get<bool>();
            config.userland_proxy_set = true;
        } else
            problem("\"userland-proxy\" in " + path + " is not true or false: " + proxy->dump());
    }

    if (auto pools = document.find("default-address-pools"); pools != document.end()) {
        if (!pools->is_array()) {
            problem("\"default-address-pools\" in " + path + " is not a list");
            return config;
        }
        for (const auto& entry : *pools) {
            const json base = entry.is_object() ? entry.value("base", json()) : json();
            const json size = entry.is_object() ? entry.value("size", json()) : json();
            if (base.is_string() && is_ipv6(base.get<std::string>())) continue;
            auto cidr =
                base.is_string() ? parse_docker_cidr(base.get<std::string>()) : std::nullopt;
            bool size_ok = size.is_number_integer() && cidr && size.get<int>() >= cidr->length &&
                           size.get<int>() <= 32;
            if (!cidr || !size_ok) {
                problem("pool " + entry.dump() + " in " + path +
                        " needs an IPv4 \"base\" and a \"size\" between its prefix and 32");
                continue;
            }
            config.default_address_pools.push_back(AddressPool{*cidr, size.get<int>()});
        }
    }
    return config;
}

}  // namespace pathwhy
