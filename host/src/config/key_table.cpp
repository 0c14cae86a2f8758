// See key_table.hpp: the entries, one per key. Adding a key is adding its entry here and its
// field in config.hpp (then its line in config/default.toml). A bound's message is made from the
// bound itself (key_rules.hpp).
#include "config/key_table.hpp"

#include "config/key_builder.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;
using enum Origin;
using enum Reload;

constexpr std::chrono::hours kDay{24};
constexpr uint64_t kGiB = 1024ull * 1024 * 1024;

// A TLS listener needs both its certificate and its key.
void tls_key_with_cert(const std::string &key, const Check &check) {
    const bool cert = !check.config().server.tls_cert.empty();
    check.require_for("server.tls_key", cert == !key.empty(),
                      cert ? "must be set when server.tls_cert is set" : "must be empty unless server.tls_cert is set",
                      {"server.tls_key", "server.tls_cert"});
}

// Client certificates are asked for on a TLS listener only.
void tls_client_ca_with_cert(const std::string &client_ca, const Check &check) {
    check.require_for("server.tls_client_ca", client_ca.empty() || !check.config().server.tls_cert.empty(),
                      "needs server.tls_cert and server.tls_key (client certificates are asked for over TLS)",
                      {"server.tls_client_ca"});
}

void add_server_section(std::vector<Key> &keys) {
    using S = ServerConfig;
    const SectionKeys<S> s("server", &Config::server);
    keys.push_back(s.text("host", &S::host, Reference, Restart, {not_blank()}));
    keys.push_back(s.count("port", &S::port, Reference, Restart));
    keys.push_back(s.count("max_threads", &S::max_threads, New, Restart, {in_range(1, 4096)}));
    keys.push_back(s.count("max_queued", &S::max_queued, New, Restart, {in_range(1, 65536)}));
    keys.push_back(
        s.count("relay_threads", &S::relay_threads, New, Restart, {in_range(0, 256, "0 means one per CPU core")}));
    keys.push_back(s.count("max_concurrent_streams", &S::max_concurrent_streams, New, Live,
                           {in_range(0, 1000000, "0 means derived from the open-file limit")}));
    keys.push_back(
        s.duration("receive_timeout", &S::receive_timeout, New, Restart, {greater_than_zero(), at_most(kDay)}));
    keys.push_back(s.duration("send_timeout", &S::send_timeout, New, Live, {greater_than_zero(), at_most(kDay)}));
    keys.push_back(
        s.duration("keep_alive_timeout", &S::keep_alive_timeout, New, Restart, {greater_than_zero(), at_most(kDay)}));
    keys.push_back(s.duration("shutdown_grace", &S::shutdown_grace, New, Live, {at_most(1h)}));
    keys.push_back(s.count("max_body_bytes", &S::max_body_bytes, New, Live, {in_range(1, kGiB, "1 GiB")}));
    keys.push_back(s.duration("request_read_timeout", &S::request_read_timeout, New, Restart,
                              {greater_than_zero(), at_most(kDay)}));
    keys.push_back(s.count("max_connections_per_client", &S::max_connections_per_client, New, Restart,
                           {in_range(0, 1000000, "0 means unlimited")}));
    keys.push_back(s.names("cors_origins", &S::cors_origins, New, Live, {name_list(false)}));
    keys.push_back(s.flag("allow_unauthenticated", &S::allow_unauthenticated, New, Live));
    keys.push_back(s.text("tls_cert", &S::tls_cert, New, Live, {optional_path()}));
    keys.push_back(s.text("tls_key", &S::tls_key, New, Live, {optional_path(), tls_key_with_cert}));
    keys.push_back(s.text("tls_client_ca", &S::tls_client_ca, New, Live, {optional_path(), tls_client_ca_with_cert}));
}

void add_limits_section(std::vector<Key> &keys) {
    using S = LimitsConfig;
    const SectionKeys<S> s("limits", &Config::limits);
    keys.push_back(
        s.count("max_buffered_answer_bytes", &S::max_buffered_answer_bytes, New, Live, {in_range(1, kGiB, "1 GiB")}));
}

void add_auth_section(std::vector<Key> &keys) {
    using S = AuthConfig;
    const SectionKeys<S> s("auth", &Config::auth);
    keys.push_back(s.text("keys_file", &S::keys_file, New, Live, {optional_path()}));
}

void add_logging_section(std::vector<Key> &keys) {
    using S = LoggingConfig;
    const SectionKeys<S> s("logging", &Config::logging);
    keys.push_back(s.text("level", &S::level, Reference, Live, {not_blank(), log_filter()}));
    keys.push_back(s.text("audit_log", &S::audit_log, New, Live, {optional_path()}));
    keys.push_back(s.choice("format", &S::format, {{"text", LogFormat::Text}, {"json", LogFormat::Json}}, New, Live));
}

void add_admin_section(std::vector<Key> &keys) {
    using S = AdminConfig;
    const SectionKeys<S> s("admin", &Config::admin);
    keys.push_back(s.flag("enabled", &S::enabled, New, Restart));
    keys.push_back(s.text("host", &S::host, New, Restart, {not_blank()}));
    keys.push_back(s.count("port", &S::port, New, Restart));
    keys.push_back(s.text("token_file", &S::token_file, New, Restart, {optional_path()}));
}

void add_venice_section(std::vector<Key> &keys) {
    using S = VeniceConfig;
    const SectionKeys<S> s("venice", &Config::venice);
    keys.push_back(s.text("base_url", &S::base_url, Reference, Live, {not_blank(), http_url()}));
    keys.push_back(s.secret("api_key", &S::api_key, Reference, Live));
    keys.push_back(s.duration("request_timeout", &S::request_timeout, Reference, Live, {greater_than_zero()}));
    keys.push_back(s.text("ca_file", &S::ca_file, New, Live, {optional_path()}));
    keys.push_back(s.duration("models_cache_ttl", &S::models_cache_ttl, New, Live, {at_most(kDay)}));
    keys.push_back(s.count("pool_max_idle", &S::pool_max_idle, New, Live, {in_range(0, 4096, "0 means no reuse")}));
    keys.push_back(
        s.duration("pool_idle_timeout", &S::pool_idle_timeout, New, Live, {greater_than_zero(), at_most(1h)}));
}

void add_keys_section(std::vector<Key> &keys) {
    using S = KeysConfig;
    const SectionKeys<S> s("keys", &Config::keys);
    keys.push_back(s.flag("generate_proxy_instance_key_on_startup", &S::generate_proxy_instance_key_on_startup,
                          Reference, Live));
    keys.push_back(s.choice("client_key_scope", &S::client_key_scope,
                            {{"process", ClientKeyScope::Process}, {"session", ClientKeyScope::Session}}, New, Live));
}

// The TTLs are compared once each was checked on its own (after max_ttl's own rule).
void idle_ttl_within_max_ttl(const Duration &max_ttl, const Check &check) {
    check.require_for("session.idle_ttl", check.config().session.idle_ttl <= max_ttl,
                      "must be less than or equal to session.max_ttl", {"session.idle_ttl", "session.max_ttl"});
}

void add_session_section(std::vector<Key> &keys) {
    using S = SessionConfig;
    const SectionKeys<S> s("session", &Config::session);
    keys.push_back(s.duration("idle_ttl", &S::idle_ttl, Reference, Live, {greater_than_zero()}));
    keys.push_back(s.duration("max_ttl", &S::max_ttl, Reference, Live, {greater_than_zero(), idle_ttl_within_max_ttl}));
    keys.push_back(s.count("max_requests", &S::max_requests, Reference, Live, {greater_than_zero()}));
    keys.push_back(s.choice("fallback_scope", &S::fallback_scope,
                            {{"agent", FallbackScope::Agent},
                             {"request", FallbackScope::Request},
                             {"disabled", FallbackScope::Disabled}},
                            Reference, Live));
    keys.push_back(s.text("headers.incoming_session_id", &S::incoming_session_id_header, Reference, Live,
                          {http_header_name()}));
    keys.push_back(s.count("max_sessions", &S::max_sessions, New, Live, {in_range(1, 10000000)}));
}

void add_attestation_section(std::vector<Key> &keys) {
    using S = AttestationConfig;
    const SectionKeys<S> s("attestation", &Config::attestation);
    keys.push_back(s.choice<std::string>("mode", &S::mode, {{"independent", "independent"}}, Reference, Live));
    keys.push_back(s.flag("require_tdx", &S::require_tdx, Reference, Live));
    keys.push_back(s.choice("require_nvidia", &S::require_nvidia,
                            {{"required", RequireNvidia::Required},
                             {"when_present", RequireNvidia::WhenPresent},
                             {"never", RequireNvidia::Never}},
                            Reference, Live));
    keys.push_back(s.flag("allow_debug", &S::allow_debug, Reference, Live));
    keys.push_back(s.text("pccs_url", &S::pccs_url, Reference, Live, {optional_http_url()}));
    keys.push_back(s.names("verifiers", &S::verifiers, New, Live, {name_list(true)}));
    keys.push_back(s.duration("max_age", &S::max_age, New, Live, {at_most(kDay)}));
    keys.push_back(s.duration("probe_interval", &S::probe_interval, New, Live, {at_most(kDay)}));
    keys.push_back(s.choice("receipts", &S::receipts,
                            {{"off", ReceiptMode::Off}, {"audit", ReceiptMode::Audit}, {"require", ReceiptMode::Require}},
                            New, Live));
}

void add_e2ee_section(std::vector<Key> &keys) {
    using S = E2eeConfig;
    const SectionKeys<S> s("e2ee", &Config::e2ee);
    keys.push_back(s.text("hkdf_info", &S::hkdf_info, Reference, Live, {not_blank()}));
    keys.push_back(
        s.flag("require_encrypted_response_content", &S::require_encrypted_response_content, Reference, Live));
    keys.push_back(s.text("backend", &S::backend, New, Live, {not_blank()}));
    keys.push_back(s.choice("ephemeral_key_per", &S::ephemeral_key_per,
                            {{"field", EphemeralKeyPer::Field}, {"request", EphemeralKeyPer::Request}}, New, Live));
    keys.push_back(s.flag("require_e2ee", &S::require_e2ee, New, Live));
}

void add_tools_section(std::vector<Key> &keys) {
    using S = ToolsConfig;
    const SectionKeys<S> s("tools", &Config::tools);
    keys.push_back(s.flag("enabled", &S::enabled, Reference, Live));
    keys.push_back(
        s.choice<std::string>("mode", &S::mode, {{"emulated", "emulated"}, {"none", "none"}}, Reference, Live));
    keys.push_back(s.count("max_retries", &S::max_retries, Reference, Live));
    keys.push_back(s.count("tool_call_max_bytes", &S::tool_call_max_bytes, Reference, Live, {greater_than_zero()}));
    keys.push_back(
        s.duration("tool_call_marker_timeout", &S::tool_call_marker_timeout, Reference, Live, {greater_than_zero()}));
    keys.push_back(s.flag("validate_json_schema", &S::validate_json_schema, Reference, Live));
    keys.push_back(s.tool_formats("formats", &S::formats, New, Live, {complete_tool_formats()}));
    keys.push_back(s.text("default_format", &S::default_format, New, Live, {not_blank()}));
}

void add_plugins_section(std::vector<Key> &keys) {
    using S = PluginsConfig;
    const SectionKeys<S> s("plugins", &Config::plugins);
    keys.push_back(s.names("directories", &S::directories, New, Live, {name_list(false)}));
    keys.push_back(s.names("load", &S::load, New, Live, {name_list(false)}));
}

// `models.list_only_attested` sits in the [models] table beside the glob tables.
void add_model_list_keys(std::vector<Key> &keys) {
    using S = ModelListConfig;
    const SectionKeys<S> s("models", &Config::model_list);
    keys.push_back(s.flag("list_only_attested", &S::list_only_attested, New, Live));
}

void add_chain_section(std::vector<Key> &keys) {
    using S = ChainConfig;
    const SectionKeys<S> s("chain", &Config::chain);
    keys.push_back(s.names("stages", &S::stages, New, Live, {name_list(true)}));
}

std::vector<Key> build_keys() {
    std::vector<Key> keys;
    add_server_section(keys);
    add_limits_section(keys);
    add_auth_section(keys);
    add_logging_section(keys);
    add_admin_section(keys);
    add_venice_section(keys);
    add_keys_section(keys);
    add_session_section(keys);
    add_attestation_section(keys);
    add_e2ee_section(keys);
    add_tools_section(keys);
    add_plugins_section(keys);
    add_chain_section(keys);
    add_model_list_keys(keys);
    keys.push_back(plugin_tables("models", &Config::models, New, Live, {model_tables()}));
    keys.push_back(plugin_tables("plugin_config", &Config::plugin_config, New, Live, {named_plugin_tables()}));
    keys.push_back(string_map("aliases", &Config::aliases, New, Live, {model_aliases()}));
    return keys;
}

}  // namespace

std::string_view Key::table() const {
    const size_t dot = path.rfind('.');
    return dot == std::string::npos ? std::string_view() : std::string_view(path).substr(0, dot);
}

std::string_view Key::name() const {
    const size_t dot = path.rfind('.');
    return dot == std::string::npos ? std::string_view(path) : std::string_view(path).substr(dot + 1);
}

const std::vector<Key> &config_keys() {
    static const std::vector<Key> keys = build_keys();
    return keys;
}

}  // namespace vep::host
