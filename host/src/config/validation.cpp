// See validation.hpp.
#include "config/validation.hpp"

#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/log_filter.hpp"

namespace vep::host {
namespace {

using std::chrono::hours;

constexpr uint32_t kMaxThreads = 4096;
constexpr uint32_t kMaxQueued = 65536;
constexpr uint32_t kMaxRelayThreads = 256;
constexpr uint32_t kMaxConcurrentStreams = 1000000;
constexpr Duration kMaxTimeout = hours(24);
constexpr Duration kMaxShutdownGrace = hours(1);
constexpr uint64_t kMaxBodyBytes = 1024ull * 1024 * 1024;
constexpr uint64_t kMaxSessions = 10000000;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool blank(std::string_view s) { return trim(s).empty(); }

bool starts_with_http_scheme(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

// Reports failures of one Config with the location of the offending setting.
class Validator {
  public:
    explicit Validator(const Config &config) : config_(config) {}

    // Throws for `field` unless `ok`; the location is where the first of `located_at` was set,
    // else where `field` was set, else the config path.
    void require(bool ok, const std::string &field, const std::string &message,
                 std::initializer_list<std::string> located_at = {}) const {
        if (ok) return;
        std::string location = config_.path;
        std::vector<std::string> candidates(located_at);
        candidates.push_back(field);
        for (const std::string &candidate : candidates) {
            const auto found = config_.sources.find(candidate);
            if (found != config_.sources.end()) {
                location = found->second.text;
                break;
            }
        }
        throw ConfigError(location + ": invalid config value for " + field + ": " + message);
    }

    void not_blank(std::string_view value, const std::string &field) const {
        require(!blank(value), field, "must not be empty");
    }

    void positive(Duration value, const std::string &field) const {
        require(value.count() > 0, field, "must be greater than zero");
    }

    void bounded_timeout(Duration value, const std::string &field) const {
        positive(value, field);
        require(value <= kMaxTimeout, field, "must be at most 24h");
    }

    // A file path setting where "" means "not set": a non-empty value must not be whitespace.
    void optional_path(std::string_view value, const std::string &field) const {
        require(value.empty() || !blank(value), field, "must be empty or a path, not whitespace");
    }

    // A list of names: each non-blank and listed once; `required` also forbids an empty list.
    void name_list(const std::vector<std::string> &names, const std::string &field, bool required) const {
        require(!required || !names.empty(), field, "must list at least one name");
        std::set<std::string> seen;
        for (size_t i = 0; i < names.size(); ++i) {
            const std::string element = field + "[" + std::to_string(i) + "]";
            require(!blank(names[i]), field, "element " + std::to_string(i) + " must not be empty", {element});
            require(seen.insert(names[i]).second, field, "\"" + names[i] + "\" is listed twice", {element});
        }
    }

  private:
    const Config &config_;
};

void validate_reference_rules(const Config &c, const Validator &v) {
    v.not_blank(c.server.host, "server.host");
    v.not_blank(c.logging.level, "logging.level");
    try {
        parse_log_filter(c.logging.level);
    } catch (const ConfigError &e) {
        v.require(false, "logging.level", e.what());
    }
    v.not_blank(c.venice.base_url, "venice.base_url");
    v.require(starts_with_http_scheme(trim(c.venice.base_url)), "venice.base_url",
              "must start with http:// or https://");
    v.positive(c.venice.request_timeout, "venice.request_timeout");
    v.positive(c.session.idle_ttl, "session.idle_ttl");
    v.positive(c.session.max_ttl, "session.max_ttl");
    v.require(c.session.idle_ttl <= c.session.max_ttl, "session.idle_ttl",
              "must be less than or equal to session.max_ttl", {"session.idle_ttl", "session.max_ttl"});
    v.require(c.session.max_requests > 0, "session.max_requests", "must be greater than zero");
    const std::string &header = c.session.incoming_session_id_header;
    v.require(!header.empty(), "session.headers.incoming_session_id", "must not be empty");
    v.require(is_http_header_name(header), "session.headers.incoming_session_id",
              "must be a valid HTTP header name");
    const std::string_view pccs = trim(c.attestation.pccs_url);
    v.require(pccs.empty() || starts_with_http_scheme(pccs), "attestation.pccs_url",
              "must be empty or start with http:// or https://");
    v.not_blank(c.e2ee.hkdf_info, "e2ee.hkdf_info");
    v.require(c.tools.tool_call_max_bytes > 0, "tools.tool_call_max_bytes", "must be greater than zero");
    v.positive(c.tools.tool_call_marker_timeout, "tools.tool_call_marker_timeout");
}

void validate_new_rules(const Config &c, const Validator &v) {
    const ServerConfig &s = c.server;
    v.require(s.max_threads >= 1 && s.max_threads <= kMaxThreads, "server.max_threads", "must be in 1..4096");
    v.require(s.max_queued >= 1 && s.max_queued <= kMaxQueued, "server.max_queued", "must be in 1..65536");
    v.require(s.relay_threads <= kMaxRelayThreads, "server.relay_threads",
              "must be in 0..256 (0 means one per CPU core)");
    v.require(s.max_concurrent_streams <= kMaxConcurrentStreams, "server.max_concurrent_streams",
              "must be in 0..1000000 (0 means derived from the open-file limit)");
    v.bounded_timeout(s.receive_timeout, "server.receive_timeout");
    v.bounded_timeout(s.send_timeout, "server.send_timeout");
    v.bounded_timeout(s.keep_alive_timeout, "server.keep_alive_timeout");
    v.require(s.shutdown_grace <= kMaxShutdownGrace, "server.shutdown_grace", "must be at most 1h");
    v.require(s.max_body_bytes >= 1 && s.max_body_bytes <= kMaxBodyBytes, "server.max_body_bytes",
              "must be in 1..1073741824 (1 GiB)");
    v.optional_path(c.logging.audit_log, "logging.audit_log");
    v.optional_path(c.venice.ca_file, "venice.ca_file");
    v.require(c.venice.models_cache_ttl <= kMaxTimeout, "venice.models_cache_ttl", "must be at most 24h");
    v.require(c.session.max_sessions >= 1 && c.session.max_sessions <= kMaxSessions, "session.max_sessions",
              "must be in 1..10000000");
    v.name_list(c.attestation.verifiers, "attestation.verifiers", true);
    v.not_blank(c.e2ee.backend, "e2ee.backend");
    for (size_t i = 0; i < c.tools.formats.size(); ++i) {
        const std::string rule = "tools.formats[" + std::to_string(i) + "]";
        v.require(!blank(c.tools.formats[i].match), rule + ".match", "must not be empty");
        v.require(!blank(c.tools.formats[i].format), rule + ".format", "must not be empty");
    }
    v.not_blank(c.tools.default_format, "tools.default_format");
    v.name_list(c.plugins.directories, "plugins.directories", false);
    v.name_list(c.plugins.load, "plugins.load", false);
    v.name_list(c.chain.stages, "chain.stages", true);
    for (const auto &entry : c.plugin_config)
        v.require(!blank(entry.first), "plugin_config", "a plugin name must not be empty",
                  {"plugin_config." + entry.first});
}

}  // namespace

bool is_http_header_name(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
    }
    return true;
}

void validate_config(const Config &config) {
    const Validator validator(config);
    validate_reference_rules(config, validator);
    validate_new_rules(config, validator);
}

}  // namespace vep::host
