// See loader.hpp (render_effective_config): the effective Config as TOML text, key order as in
// config/default.toml, the API key redacted.
#include <vep/json.hpp>

#include "config/loader.hpp"
#include "config/toml_text.hpp"

namespace vep::host {
namespace {

const char *name_of(ClientKeyScope scope) { return scope == ClientKeyScope::Session ? "session" : "process"; }

const char *name_of(FallbackScope scope) {
    switch (scope) {
    case FallbackScope::Agent: return "agent";
    case FallbackScope::Disabled: return "disabled";
    case FallbackScope::Request: break;
    }
    return "request";
}

const char *name_of(RequireNvidia policy) {
    switch (policy) {
    case RequireNvidia::Required: return "required";
    case RequireNvidia::WhenPresent: return "when_present";
    case RequireNvidia::Never: break;
    }
    return "never";
}

const char *name_of(EphemeralKeyPer scope) { return scope == EphemeralKeyPer::Request ? "request" : "field"; }

// A JSON value (from a plugin_config table) as a TOML value; objects become inline tables.
std::string toml_value(const json::Value &value) {
    switch (value.kind()) {
    case json::Kind::Bool: return value.as_bool() ? "true" : "false";
    case json::Kind::Number: return value.as_number().text;
    case json::Kind::String: return toml_string_literal(value.as_string());
    case json::Kind::Array: {
        std::string out = "[";
        for (const auto &element : value.as_array()) out += (out.size() > 1 ? ", " : "") + toml_value(element);
        return out + "]";
    }
    case json::Kind::Object: {
        std::string out = "{";
        for (const auto &[key, member] : value.as_object())
            out += (out.size() > 1 ? ", " : " ") + toml_key(key) + " = " + toml_value(member);
        return out + (out.size() > 1 ? " }" : "}");
    }
    case json::Kind::Null: break;
    }
    return "\"\"";
}

// Accumulates "key = value" lines under table headers.
class TomlWriter {
  public:
    void table(std::string_view header) {
        if (!out_.empty()) out_ += '\n';
        out_ += "[" + std::string(header) + "]\n";
    }
    void raw(std::string_view key, const std::string &value) { out_ += toml_key(key) + " = " + value + "\n"; }
    void string(std::string_view key, std::string_view value) { raw(key, toml_string_literal(value)); }
    void boolean(std::string_view key, bool value) { raw(key, value ? "true" : "false"); }
    void number(std::string_view key, uint64_t value) { raw(key, std::to_string(value)); }
    void duration(std::string_view key, Duration value) { string(key, format_duration(value)); }
    void strings(std::string_view key, const std::vector<std::string> &values) {
        std::string list = "[";
        for (const std::string &value : values) list += (list.size() > 1 ? ", " : "") + toml_string_literal(value);
        raw(key, list + "]");
    }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
};

}  // namespace

std::string render_effective_config(const Config &c) {
    TomlWriter w;
    w.table("server");
    w.string("host", c.server.host);
    w.number("port", c.server.port);
    w.number("max_threads", c.server.max_threads);
    w.number("max_queued", c.server.max_queued);
    w.number("relay_threads", c.server.relay_threads);
    w.number("max_concurrent_streams", c.server.max_concurrent_streams);
    w.duration("receive_timeout", c.server.receive_timeout);
    w.duration("send_timeout", c.server.send_timeout);
    w.duration("keep_alive_timeout", c.server.keep_alive_timeout);
    w.duration("shutdown_grace", c.server.shutdown_grace);
    w.number("max_body_bytes", c.server.max_body_bytes);

    w.table("logging");
    w.string("level", c.logging.level);
    w.string("audit_log", c.logging.audit_log);

    w.table("venice");
    w.string("base_url", c.venice.base_url);
    w.string("api_key", c.venice.api_key.blank() ? "" : Secret::redacted());
    w.duration("request_timeout", c.venice.request_timeout);
    w.string("ca_file", c.venice.ca_file);
    w.duration("models_cache_ttl", c.venice.models_cache_ttl);

    w.table("keys");
    w.boolean("generate_proxy_instance_key_on_startup", c.keys.generate_proxy_instance_key_on_startup);
    w.string("client_key_scope", name_of(c.keys.client_key_scope));

    w.table("session");
    w.duration("idle_ttl", c.session.idle_ttl);
    w.duration("max_ttl", c.session.max_ttl);
    w.number("max_requests", c.session.max_requests);
    w.string("fallback_scope", name_of(c.session.fallback_scope));
    w.number("max_sessions", c.session.max_sessions);
    w.table("session.headers");
    w.string("incoming_session_id", c.session.incoming_session_id_header);

    w.table("attestation");
    w.string("mode", c.attestation.mode);
    w.boolean("require_tdx", c.attestation.require_tdx);
    w.string("require_nvidia", name_of(c.attestation.require_nvidia));
    w.boolean("allow_debug", c.attestation.allow_debug);
    w.string("pccs_url", c.attestation.pccs_url);
    w.strings("verifiers", c.attestation.verifiers);

    w.table("e2ee");
    w.string("hkdf_info", c.e2ee.hkdf_info);
    w.boolean("require_encrypted_response_content", c.e2ee.require_encrypted_response_content);
    w.string("backend", c.e2ee.backend);
    w.string("ephemeral_key_per", name_of(c.e2ee.ephemeral_key_per));

    w.table("tools");
    w.boolean("enabled", c.tools.enabled);
    w.string("mode", c.tools.mode);
    w.number("max_retries", c.tools.max_retries);
    w.number("tool_call_max_bytes", c.tools.tool_call_max_bytes);
    w.duration("tool_call_marker_timeout", c.tools.tool_call_marker_timeout);
    w.boolean("validate_json_schema", c.tools.validate_json_schema);
    std::string formats = "[";
    for (const ToolFormatRule &rule : c.tools.formats)
        formats += std::string(formats.size() > 1 ? ", " : "") + "{ match = " + toml_string_literal(rule.match) +
                   ", format = " + toml_string_literal(rule.format) + " }";
    w.raw("formats", formats + "]");
    w.string("default_format", c.tools.default_format);

    w.table("plugins");
    w.strings("directories", c.plugins.directories);
    w.strings("load", c.plugins.load);

    w.table("chain");
    w.strings("stages", c.chain.stages);

    for (const auto &[name, text] : c.plugin_config) {
        w.table("plugin_config." + toml_key(name));
        const json::Value settings = json::parse(text);
        for (const auto &[key, value] : settings.as_object()) w.raw(key, toml_value(value));
    }
    return w.take();
}

}  // namespace vep::host
