// vep SDK — the C++ classes a plugin author implements, one per plugin kind.
//
// Owns: the plugin-side interfaces (Cipher, AttestationVerifier, ToolFormat, Filter), the
// Failure exception plugin code throws, the Host handle a plugin uses to log, and the tool-history
// text forms behind ToolFormat's defaults (also the host's default renderer). The trampolines
// in plugin.hpp turn these into the C ABI of abi.h; nothing here crosses a library boundary.
// Plugin authors include <vep/plugin.hpp>, derive from one class below and use VEP_PLUGIN once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vep/abi.h"
#include "vep/json.hpp"
#include "vep/text.hpp"

namespace vep {

// A typed failure: `code` is a stable machine-readable code, the what() text a human message.
// Plugin code throws it; the trampoline turns it into a vep_error. Never put secrets in it.
class Failure : public std::runtime_error {
  public:
    Failure(std::string code, const std::string &message)
        : std::runtime_error(message), code_(std::move(code)) {}
    const std::string &code() const { return code_; }

  private:
    std::string code_;
};

inline std::string_view view(vep_str s) { return {s.data ? s.data : "", s.len}; }
inline vep_str str(std::string_view s) { return vep_str{s.data(), s.size()}; }

// The host services as seen from inside a plugin (logging, clock). Set once by the entry point.
class Host {
  public:
    static Host &instance() {
        static Host host;
        return host;
    }
    void attach(const vep_host_api *api, std::string_view plugin_name) {
        api_ = api;
        name_ = std::string(plugin_name);
    }
    // Logs a line. Never pass prompts, answers, tool payloads or key material.
    void log(vep_log_level level, std::string_view message) const {
        if (api_ && api_->log) api_->log(api_->host_ctx, level, str(name_), str(message));
    }
    int64_t now_unix() const { return api_ && api_->now_unix ? api_->now_unix(api_->host_ctx) : 0; }

  private:
    const vep_host_api *api_ = nullptr;
    std::string name_;
};

// ---- cipher ---------------------------------------------------------------------------------

// The Venice E2EE field codec. Implementations: plugins/e2ee/secp256k1, plugins/e2ee/openssl.
class Cipher {
  public:
    // A key pair held by the plugin; its destructor must zeroise the private key.
    class KeyPair {
      public:
        virtual ~KeyPair() = default;
    };
    virtual ~Cipher() = default;
    virtual std::unique_ptr<KeyPair> generate_keypair() = 0;
    virtual std::unique_ptr<KeyPair> import_keypair(std::string_view private_key) = 0;
    virtual std::string public_hex(const KeyPair &keypair) = 0;
    virtual std::string normalize_public_key(std::string_view key) = 0;
    // Appends the packed hex payload to `out`. `ephemeral` / `nonce` are optional (see abi.h).
    virtual void encrypt(std::string_view peer_public_hex, std::string_view plaintext,
                         const KeyPair *ephemeral, const uint8_t *nonce, std::string &out) = 0;
    // Appends the plaintext to `out`.
    virtual void decrypt(const KeyPair &keypair, std::string_view payload_hex, std::string &out) = 0;
};

// ---- attestation ----------------------------------------------------------------------------

// Inputs of one verification (views valid during the call).
struct AttestationInput {
    std::string_view evidence_json;
    std::string_view nonce_hex;
    std::string_view model;
    const json::Value *prior;  // merged reports of verifiers that ran before (an object)
    int64_t now_unix;
};

// One verifier of the attestation policy (envelope, tdx-dcap, nvidia-evidence, ...).
class AttestationVerifier {
  public:
    virtual ~AttestationVerifier() = default;
    // Returns the report object; throws Failure (code "attestation_*") when evidence is rejected.
    // `report` receives checks done so far even when it throws.
    virtual void verify(const AttestationInput &input, json::Value &report) = 0;
};

// ---- tool_format ----------------------------------------------------------------------------

struct ToolPromptInput {
    std::string_view tools_json;
    bool require_tool_call;
    std::string_view error_text;
    std::string_view invalid_output;
};

// One parsed call: name and the raw argument JSON text (validated later by the host). `repair`
// names the repair rule(s) (comma-separated) a format applied to read the call; empty when the
// call was written in the format's own grammar.
struct ParsedToolCall {
    std::string name;
    std::string arguments;
    std::string repair{};
};

struct ParsedOutput {
    std::vector<ParsedToolCall> calls;
    std::string text;
};

// Prompt-emulated tool calls for one model family (plugins/tools/hermes, qwen-xml, glm-xml).
class ToolFormat {
  public:
    virtual ~ToolFormat() = default;
    virtual std::string_view start_marker() const = 0;
    virtual std::string controller_prompt(const ToolPromptInput &in) = 0;
    virtual std::string correction_prompt(const ToolPromptInput &in) = 0;
    // Throws Failure("tool_parse_error", detail) on a malformed call.
    virtual ParsedOutput parse(std::string_view output, const json::Value &tools) = 0;
    // History rendering; the defaults are the reference proxy's text forms.
    virtual std::string render_tool_calls(const json::Value &tool_calls);
    virtual std::string render_tool_result(std::string_view tool_call_id, std::string_view content);
};

// The reference proxy's history text forms, the one copy behind ToolFormat's defaults and the
// host's default history renderer (host/src/openai/history_rendering.cpp). Attribute values are
// escaped; the canonical (sorted, compact) arguments and the content are not.
//   <previous_tool_call id="ID" name="NAME">\nARGUMENTS\n</previous_tool_call>
inline std::string previous_tool_call_text(std::string_view id, std::string_view name,
                                           std::string_view canonical_arguments) {
    std::string out = "<previous_tool_call id=\"";
    out += escape_attribute(id);
    out += "\" name=\"";
    out += escape_attribute(name);
    out += "\">\n";
    out += canonical_arguments;
    out += "\n</previous_tool_call>";
    return out;
}

//   <tool_result id="ID">\nCONTENT\n</tool_result>\n\nUse the tool result above to continue the answer.
inline std::string tool_result_text(std::string_view tool_call_id, std::string_view content) {
    std::string out = "<tool_result id=\"";
    out += escape_attribute(tool_call_id);
    out += "\">\n";
    out += content;
    out += "\n</tool_result>\n\nUse the tool result above to continue the answer.";
    return out;
}

inline std::string ToolFormat::render_tool_calls(const json::Value &tool_calls) {
    std::string out;
    for (const auto &call : tool_calls.as_array()) {
        const json::Value *fn = call.find("function");
        const json::Value *id = call.find("id");
        if (!fn || !id || !id->is_string()) throw Failure("invalid_tool_call_history", "tool call needs id and function");
        const json::Value *name = fn->find("name");
        const json::Value *args = fn->find("arguments");
        if (!name || !name->is_string() || !args || !args->is_string())
            throw Failure("invalid_tool_call_history", "tool call function needs name and arguments strings");
        std::string canonical;
        try {
            canonical = json::dump_sorted(json::parse(args->as_string()));
        } catch (const json::ParseError &e) {
            throw Failure("invalid_tool_call_history", std::string("arguments are not valid JSON: ") + e.what());
        }
        if (!out.empty()) out += '\n';
        out += previous_tool_call_text(id->as_string(), name->as_string(), canonical);
    }
    return out;
}

inline std::string ToolFormat::render_tool_result(std::string_view tool_call_id, std::string_view content) {
    return tool_result_text(tool_call_id, content);
}

// ---- filter ---------------------------------------------------------------------------------

enum class FilterStatus {
    Continue = VEP_FILTER_CONTINUE,
    Stop = VEP_FILTER_STOP,
    LocalReply = VEP_FILTER_LOCAL_REPLY,
    Error = VEP_FILTER_ERROR
};

// What a filter may ask of the host for the current stream (wraps vep_stream_callbacks).
class StreamCallbacks {
  public:
    explicit StreamCallbacks(vep_stream_callbacks *cb) : cb_(cb) {}
    std::optional<std::string> request_header(std::string_view name) const {
        std::string value;
        vep_sink sink{sizeof(vep_sink), &value, [](void *ctx, const char *d, size_t n) {
                          static_cast<std::string *>(ctx)->append(d, n);
                      }};
        if (cb_->request_header(cb_->ctx, str(name), &sink) != VEP_OK) return std::nullopt;
        return value;
    }
    std::string_view request_path() const { return view(cb_->request_path(cb_->ctx)); }
    std::string_view request_body() const { return view(cb_->request_body(cb_->ctx)); }
    void set_response_header(std::string_view name, std::string_view value) const {
        cb_->set_response_header(cb_->ctx, str(name), str(value));
    }
    void replace_event_data(std::string_view data) const { cb_->replace_event_data(cb_->ctx, str(data)); }
    void send_local_reply(uint32_t status, std::string_view type, std::string_view code,
                          std::string_view message) const {
        cb_->send_local_reply(cb_->ctx, status, str(type), str(code), str(message));
    }

  private:
    vep_stream_callbacks *cb_;
};

// Per-request state of a filter. Created by Filter::create_stream for every request.
class FilterStream {
  public:
    virtual ~FilterStream() = default;
    virtual FilterStatus on_request(StreamCallbacks &) { return FilterStatus::Continue; }
    virtual FilterStatus on_response_event(std::string_view, StreamCallbacks &) { return FilterStatus::Continue; }
    virtual void on_stream_complete(bool /*succeeded*/) {}
    // Before each upstream attempt: 0 for the first, then one per tool-call correction (ABI 1.1).
    virtual void on_upstream_attempt(uint32_t /*attempt*/, StreamCallbacks &) {}
};

// A chain stage from a plugin: configuration built once, streams built per request.
class Filter {
  public:
    virtual ~Filter() = default;
    virtual std::unique_ptr<FilterStream> create_stream() = 0;
};

}  // namespace vep
