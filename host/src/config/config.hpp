// The proxy's configuration as plain values.
//
// Owns: every setting with its default (the reference proxy's keys and defaults, plus this
// project's new sections). Each setting is described once in the key table (key_table.cpp), which
// the loader (API in loader.hpp) walks to fill it from a TOML file and
// VENICE_E2EE_PROXY__SECTION__KEY environment overrides and to validate it. Then shared read-only
// by every part of the host for the lifetime of one configuration generation.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vep::host {

using Duration = std::chrono::milliseconds;

// The Venice API key: never printed, logged or serialised; see redacted(). Its storage is zeroised
// when it is destroyed or overwritten (config/secret.cpp).
class Secret {
  public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(const Secret &) = default;
    Secret &operator=(const Secret &other);
    ~Secret();
    const std::string &expose() const { return value_; }
    bool blank() const;
    static constexpr const char *redacted() { return "[REDACTED]"; }

  private:
    std::string value_;
};

struct ServerConfig {
    std::string host = "0.0.0.0";
    uint16_t port = 8080;
    // New: the thread pool handles requests up to the first upstream answer (one connection per
    // thread); the answers are then relayed by the relay threads.
    uint32_t max_threads = 256;
    uint32_t max_queued = 64;
    // New: event-loop threads relaying chat answers (streams share them); 0 = one per CPU core.
    uint32_t relay_threads = 0;
    // Chat requests answered at once; above it a request gets 503 `server_overloaded`. 0 = derived
    // from the open-file limit (two sockets per relayed answer).
    uint32_t max_concurrent_streams = 0;
    Duration receive_timeout{std::chrono::seconds(60)};
    Duration send_timeout{std::chrono::seconds(30)};
    Duration keep_alive_timeout{std::chrono::seconds(5)};
    Duration shutdown_grace{std::chrono::seconds(10)};
    uint64_t max_body_bytes = 2 * 1024 * 1024;
    // New: the whole request (head and body) must arrive within it, else the connection is
    // answered 408 and closed.
    Duration request_read_timeout{std::chrono::seconds(30)};
    // New: connections open at once from one client IP address; more get an immediate 503
    // `server_overloaded`. 0 = unlimited.
    uint32_t max_connections_per_client = 64;
    // New: web page origins allowed to call the proxy from a browser (CORS); others get 403 on a
    // loopback listener without client keys.
    std::vector<std::string> cors_origins;
    // New: serve a non-loopback address without client keys, on purpose (start-up error otherwise).
    bool allow_unauthenticated = false;
    // New: PEM certificate (chain) and private key of a TLS listener ("" = plain HTTP); re-read on
    // SIGHUP, while turning TLS on or off needs a restart.
    std::string tls_cert;
    std::string tls_key;
    // New: PEM CA certificates; when set, a TLS client must present a certificate they issued
    // (mutual TLS, an alternative to client keys).
    std::string tls_client_ca;

    bool tls() const { return !tls_cert.empty(); }
};

// New: bounds on what the proxy holds for one request.
struct LimitsConfig {
    // Largest non-streamed answer the proxy assembles; past it the request fails with 502
    // `upstream_response_too_large`.
    uint64_t max_buffered_answer_bytes = 16 * 1024 * 1024;
};

// New: client authentication.
struct AuthConfig {
    // The client keys file ("" = no client keys: every client is served).
    std::string keys_file;
};

enum class LogFormat { Text, Json };

struct LoggingConfig {
    std::string level = "info";
    // New: JSON-lines audit log of attestation verdicts; "" = off, "-" = standard output.
    std::string audit_log;
    // New: "text" lines or "json" (one JSON object a line, for log shippers).
    LogFormat format = LogFormat::Text;
};

// New: the admin listener (/metrics, /healthz, POST /admin/reload), off the client port.
struct AdminConfig {
    bool enabled = false;
    std::string host = "127.0.0.1";
    uint16_t port = 9464;
    // File holding the admin token (required when host is not a loopback address); "" = none.
    std::string token_file;
};

struct VeniceConfig {
    std::string base_url = "https://api.venice.ai/api/v1";
    Secret api_key;
    Duration request_timeout{std::chrono::seconds(30)};
    // New: PEM CA bundle for the upstream; "" = the system store.
    std::string ca_file;
    // New: how long a /v1/models answer is reused.
    Duration models_cache_ttl{std::chrono::seconds(10)};
    // New: idle keep-alive connections kept for the next request (0 = a new connection each time),
    // and how long one may stay idle.
    uint32_t pool_max_idle = 64;
    Duration pool_idle_timeout{std::chrono::seconds(20)};
};

enum class ClientKeyScope { Process, Session };

struct KeysConfig {
    bool generate_proxy_instance_key_on_startup = true;
    ClientKeyScope client_key_scope = ClientKeyScope::Process;
};

enum class FallbackScope { Agent, Request, Disabled };

struct SessionConfig {
    Duration idle_ttl{std::chrono::minutes(10)};
    Duration max_ttl{std::chrono::minutes(30)};
    uint64_t max_requests = 100;
    FallbackScope fallback_scope = FallbackScope::Request;
    std::string incoming_session_id_header = "X-Venice-Proxy-Session-Id";  // [session.headers]
    // New: bound on the session table; the least recently used session is evicted beyond it.
    uint64_t max_sessions = 10000;
};

enum class RequireNvidia { Required, WhenPresent, Never };

// New: per-request verification of Venice's signed response record (GET /tee/signature).
enum class ReceiptMode { Off, Audit, Require };

struct AttestationConfig {
    std::string mode = "independent";
    bool require_tdx = false;
    RequireNvidia require_nvidia = RequireNvidia::Never;
    bool allow_debug = false;
    std::string pccs_url;
    // New: attestation plugins run in order; every one must pass.
    std::vector<std::string> verifiers = {"envelope"};
    // New: a session's attestation older than this is renewed before its next request; 0 = kept
    // for the session's life.
    Duration max_age{std::chrono::minutes(30)};
    // New: every this often a background probe attests each model GET /v1/models lists (a fresh
    // nonce, the same verifiers and gates); 0 = no probe.
    Duration probe_interval{0};
    // New: off, audit (checked after the answer, recorded) or require (a buffered answer is
    // released only once its receipt verified; streaming requests are refused).
    ReceiptMode receipts = ReceiptMode::Off;
};

enum class EphemeralKeyPer { Field, Request };

struct E2eeConfig {
    std::string hkdf_info = "ecdsa_encryption";
    bool require_encrypted_response_content = true;
    // New: the cipher plugin by name.
    std::string backend = "secp256k1";
    EphemeralKeyPer ephemeral_key_per = EphemeralKeyPer::Field;
    // New: refuse every [models."<glob>"] mode = "tee-only" at load (plaintext to Venice's API).
    bool require_e2ee = true;
};

// New: model id substring (case-insensitive) -> tool_format plugin name; first match wins.
struct ToolFormatRule {
    std::string match;
    std::string format;
};

struct ToolsConfig {
    bool enabled = true;
    std::string mode = "emulated";  // "emulated" | "none"
    uint32_t max_retries = 2;
    uint64_t tool_call_max_bytes = 65536;
    Duration tool_call_marker_timeout{std::chrono::seconds(30)};
    bool validate_json_schema = true;
    std::vector<ToolFormatRule> formats = {{"glm", "glm-xml"}, {"qwen", "qwen-xml"}};
    std::string default_format = "hermes";
};

struct PluginsConfig {
    // Searched in order; "$ORIGIN" is the directory of the running executable; relative paths are
    // relative to the config file's directory.
    std::vector<std::string> directories = {"$ORIGIN/../lib/venice-e2ee-proxy/plugins"};
    // Plugin files (without ".so") or absolute paths, loaded at start-up.
    std::vector<std::string> load = {"e2ee-secp256k1",       "e2ee-openssl",
                                     "attestation-envelope", "attestation-tdx-dcap",
                                     "attestation-nvidia-evidence", "tools-hermes",
                                     "tools-qwen-xml",       "tools-glm-xml"};
};

// New: the [models] keys besides the per-model glob tables.
struct ModelListConfig {
    // GET /v1/models leaves out a model whose latest attestation under the serving configuration
    // failed (until it attests again).
    bool list_only_attested = false;
};

struct ChainConfig {
    // Ordered stages of the chat request path; built-in names or filter plugin names.
    std::vector<std::string> stages = {"request-id", "limits", "parse", "tools", "session", "attest", "encrypt"};
};

// Where a key was set, for error messages: "file:line:col" or "env VAR".
struct SourceLocation {
    std::string text;
};

struct Config {
    ServerConfig server;
    LimitsConfig limits;
    AuthConfig auth;
    LoggingConfig logging;
    AdminConfig admin;
    VeniceConfig venice;
    KeysConfig keys;
    SessionConfig session;
    AttestationConfig attestation;
    E2eeConfig e2ee;
    ToolsConfig tools;
    PluginsConfig plugins;
    ChainConfig chain;
    // New: [models."<glob>"] tables (glob -> JSON object text holding `mode`); read through
    // config/model_modes.hpp.
    std::map<std::string, std::string> models;
    ModelListConfig model_list;
    // [plugin_config.<plugin name>] tables, as JSON object text.
    std::map<std::string, std::string> plugin_config;
    // [aliases]: a model name clients send -> the Venice model it stands for.
    std::map<std::string, std::string> aliases;
    // Key path ("server.port") -> where it was set; only keys that were set.
    std::map<std::string, SourceLocation> sources;
    // The config file as given and its directory (for relative plugin paths).
    std::string path;
    std::string directory;
};

}  // namespace vep::host
