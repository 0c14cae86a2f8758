// vep SDK — C++ handles over a plugin's C vtables, for whoever *calls* a plugin.
//
// Owns: instance lifetime (create/destroy), key-pair handles, sinks and error boxes, and the
// conversion of VEP_FAIL + vep_error back into vep::Failure. Used by the host's registries and by
// the test fakes (testing/fake_host.hpp), so a plugin is exercised through exactly the same ABI
// path in unit tests as in production. `owner` keeps the plugin's library loaded for as long as
// any handle created from it lives.
#pragma once

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vep/abi.h"
#include "vep/json.hpp"
#include "vep/sdk.hpp"

namespace vep::client {

// A vep_sink that appends into a std::string it owns or borrows.
class StringSink {
  public:
    explicit StringSink(std::string &target) : target_(&target) { sink_.ctx = target_; }
    StringSink() : target_(&own_) { sink_.ctx = target_; }
    StringSink(const StringSink &) = delete;
    StringSink &operator=(const StringSink &) = delete;
    vep_sink *sink() { return &sink_; }
    std::string &value() { return *target_; }

  private:
    static void append(void *ctx, const char *data, size_t len) { static_cast<std::string *>(ctx)->append(data, len); }
    std::string own_;
    std::string *target_;
    vep_sink sink_{sizeof(vep_sink), nullptr, &StringSink::append};
};

// Caller-owned vep_error storage.
struct ErrorBox {
    vep_error error{};
    ErrorBox() {
        error.struct_size = sizeof(vep_error);
        error.code[0] = '\0';
        error.message[0] = '\0';
    }
    vep_error *get() { return &error; }
    [[noreturn]] void raise(std::string_view fallback_code) const {
        throw Failure(error.code[0] ? error.code : std::string(fallback_code),
                      error.message[0] ? error.message : "plugin call failed without a message");
    }
};

// Checks that a descriptor's vtable is of the expected kind and at least `minimum` bytes (the
// size the oldest supported minor version of the ABI defined); returns it.
template <typename VTable>
const VTable *checked_vtable(const vep_plugin_descriptor *d, vep_plugin_kind kind, size_t minimum = sizeof(VTable)) {
    if (!d || d->kind != kind || !d->vtable)
        throw Failure("plugin_kind_mismatch", "plugin is not of the expected kind");
    const auto *vt = static_cast<const VTable *>(d->vtable);
    if (vt->struct_size < minimum)
        throw Failure("plugin_abi_mismatch", "plugin vtable is smaller than this host requires (" +
                                                 std::to_string(vt->struct_size) + " < " + std::to_string(minimum) +
                                                 " bytes)");
    return vt;
}

// ---- cipher ---------------------------------------------------------------------------------

class CipherClient : public std::enable_shared_from_this<CipherClient> {
  public:
    // A key pair living inside the plugin; destroyed (and zeroised) by the plugin. Immutable after
    // construction (the public key is read once, here), so one Key may be shared between threads.
    class Key {
      public:
        // Takes ownership of `handle`; throws vep::Failure (after destroying it) when the plugin
        // cannot report its public key.
        Key(std::shared_ptr<const CipherClient> cipher, void *handle) : cipher_(std::move(cipher)), handle_(handle) {
            StringSink out(public_hex_);
            ErrorBox err;
            if (cipher_->vt_->keypair_public_hex(cipher_->self_, handle_, out.sink(), err.get()) != VEP_OK) {
                cipher_->vt_->keypair_destroy(cipher_->self_, handle_);
                err.raise("e2ee_key_error");
            }
        }
        ~Key() { cipher_->vt_->keypair_destroy(cipher_->self_, handle_); }
        Key(const Key &) = delete;
        Key &operator=(const Key &) = delete;
        const void *handle() const { return handle_; }
        // 130 lowercase hex chars.
        const std::string &public_hex() const { return public_hex_; }

      private:
        std::shared_ptr<const CipherClient> cipher_;
        void *handle_;
        std::string public_hex_;
    };

    static std::shared_ptr<CipherClient> create(const vep_plugin_descriptor *d, std::string_view config_json,
                                                std::shared_ptr<const void> owner) {
        return std::shared_ptr<CipherClient>(new CipherClient(d, config_json, std::move(owner)));
    }
    ~CipherClient() { vt_->destroy(self_); }

    std::shared_ptr<Key> generate() const {
        ErrorBox err;
        void *h = vt_->keypair_generate(self_, err.get());
        if (!h) err.raise("e2ee_key_error");
        return std::make_shared<Key>(shared_from_this(), h);
    }
    std::shared_ptr<Key> import(const uint8_t *private_key, size_t len) const {
        ErrorBox err;
        void *h = vt_->keypair_import(self_, private_key, len, err.get());
        if (!h) err.raise("e2ee_key_error");
        return std::make_shared<Key>(shared_from_this(), h);
    }
    std::string normalize_public_key(std::string_view key) const {
        StringSink out;
        ErrorBox err;
        if (vt_->normalize_public_key(self_, str(key), out.sink(), err.get()) != VEP_OK) err.raise("e2ee_invalid_public_key");
        return std::move(out.value());
    }
    // Appends the hex payload to `out`.
    void encrypt(std::string_view peer_public_hex, std::string_view plaintext, std::string &out,
                 const Key *ephemeral = nullptr, const uint8_t *nonce = nullptr) const {
        StringSink sink(out);
        ErrorBox err;
        if (vt_->encrypt(self_, str(peer_public_hex), str(plaintext), ephemeral ? ephemeral->handle() : nullptr, nonce,
                         sink.sink(), err.get()) != VEP_OK)
            err.raise("e2ee_request_encryption_failed");
    }
    // Appends the plaintext to `out`.
    void decrypt(const Key &key, std::string_view payload_hex, std::string &out) const {
        StringSink sink(out);
        ErrorBox err;
        if (vt_->decrypt(self_, key.handle(), str(payload_hex), sink.sink(), err.get()) != VEP_OK)
            err.raise("e2ee_response_decryption_failed");
    }

  private:
    CipherClient(const vep_plugin_descriptor *d, std::string_view config_json, std::shared_ptr<const void> owner)
        : owner_(std::move(owner)), vt_(checked_vtable<vep_cipher_vtable>(d, VEP_KIND_CIPHER)) {
        ErrorBox err;
        self_ = vt_->create(str(config_json), err.get());
        if (!self_) err.raise("invalid_config");
    }
    std::shared_ptr<const void> owner_;
    const vep_cipher_vtable *vt_;
    void *self_ = nullptr;
};

// ---- attestation ----------------------------------------------------------------------------

// The result of one verifier: `report` always holds what it wrote (checks so far).
struct AttestationOutcome {
    bool ok = false;
    json::Value report = json::Value::object();
    std::string code;
    std::string message;
};

class AttestationClient {
  public:
    AttestationClient(const vep_plugin_descriptor *d, std::string_view config_json, std::shared_ptr<const void> owner)
        : owner_(std::move(owner)), vt_(checked_vtable<vep_attestation_vtable>(d, VEP_KIND_ATTESTATION)) {
        ErrorBox err;
        self_ = vt_->create(str(config_json), err.get());
        if (!self_) err.raise("invalid_config");
    }
    ~AttestationClient() { vt_->destroy(self_); }
    AttestationClient(const AttestationClient &) = delete;
    AttestationClient &operator=(const AttestationClient &) = delete;

    AttestationOutcome verify(std::string_view evidence_json, std::string_view nonce_hex, std::string_view model,
                              const json::Value &prior, int64_t now_unix) const {
        const std::string prior_text = json::dump(prior);
        vep_attestation_input in{sizeof(vep_attestation_input), str(evidence_json), str(nonce_hex), str(model),
                                 str(prior_text), now_unix};
        StringSink out;
        ErrorBox err;
        AttestationOutcome outcome;
        outcome.ok = vt_->verify(self_, &in, out.sink(), err.get()) == VEP_OK;
        if (!out.value().empty()) {
            try {
                outcome.report = json::parse(out.value());
            } catch (const json::ParseError &) {
                outcome.ok = false;
                outcome.code = "attestation_plugin_error";
                outcome.message = "attestation plugin wrote an invalid report";
                return outcome;
            }
        }
        if (!outcome.ok) {
            outcome.code = err.error.code[0] ? err.error.code : "attestation_failed";
            outcome.message = err.error.message;
        }
        return outcome;
    }

  private:
    std::shared_ptr<const void> owner_;
    const vep_attestation_vtable *vt_;
    void *self_ = nullptr;
};

// ---- tool_format ----------------------------------------------------------------------------

class ToolFormatClient {
  public:
    ToolFormatClient(const vep_plugin_descriptor *d, std::string_view config_json, std::shared_ptr<const void> owner)
        : owner_(std::move(owner)), vt_(checked_vtable<vep_tool_format_vtable>(d, VEP_KIND_TOOL_FORMAT)) {
        ErrorBox err;
        self_ = vt_->create(str(config_json), err.get());
        if (!self_) err.raise("invalid_config");
        marker_ = std::string(view(vt_->start_marker(self_)));
    }
    ~ToolFormatClient() { vt_->destroy(self_); }
    ToolFormatClient(const ToolFormatClient &) = delete;
    ToolFormatClient &operator=(const ToolFormatClient &) = delete;

    const std::string &start_marker() const { return marker_; }

    std::string controller_prompt(std::string_view tools_json, bool require_tool_call) const {
        vep_tool_prompt_input in{sizeof(vep_tool_prompt_input), str(tools_json), require_tool_call ? 1 : 0, {}, {}};
        return call_prompt(vt_->controller_prompt, in);
    }
    std::string correction_prompt(std::string_view tools_json, bool require_tool_call, std::string_view error_text,
                                  std::string_view invalid_output) const {
        vep_tool_prompt_input in{sizeof(vep_tool_prompt_input), str(tools_json), require_tool_call ? 1 : 0,
                                 str(error_text), str(invalid_output)};
        return call_prompt(vt_->correction_prompt, in);
    }
    // Throws Failure("tool_parse_error", ...) for malformed calls.
    ParsedOutput parse(std::string_view output, std::string_view tools_json) const {
        StringSink out;
        ErrorBox err;
        if (vt_->parse(self_, str(output), str(tools_json), out.sink(), err.get()) != VEP_OK)
            err.raise("tool_parse_error");
        const json::Value result = json::parse(out.value());
        ParsedOutput parsed;
        if (const json::Value *calls = result.find("calls"); calls && calls->is_array()) {
            for (const auto &c : calls->as_array()) {
                const json::Value *name = c.find("name");
                const json::Value *args = c.find("arguments");
                if (!name || !name->is_string() || !args || !args->is_string())
                    throw Failure("tool_parse_error", "tool format plugin returned a malformed call");
                const json::Value *repair = c.find("repair");
                parsed.calls.push_back({name->as_string(), args->as_string(),
                                        repair && repair->is_string() ? repair->as_string() : std::string()});
            }
        }
        if (const json::Value *text = result.find("text"); text && text->is_string()) parsed.text = text->as_string();
        return parsed;
    }
    std::string render_tool_calls(std::string_view tool_calls_json) const {
        StringSink out;
        ErrorBox err;
        if (vt_->render_tool_calls(self_, str(tool_calls_json), out.sink(), err.get()) != VEP_OK)
            err.raise("invalid_tool_call_history");
        return std::move(out.value());
    }
    std::string render_tool_result(std::string_view id, std::string_view content) const {
        StringSink out;
        ErrorBox err;
        if (vt_->render_tool_result(self_, str(id), str(content), out.sink(), err.get()) != VEP_OK)
            err.raise("invalid_request");
        return std::move(out.value());
    }

  private:
    template <typename Fn>
    std::string call_prompt(Fn fn, const vep_tool_prompt_input &in) const {
        StringSink out;
        ErrorBox err;
        if (fn(self_, &in, out.sink(), err.get()) != VEP_OK) err.raise("tool_prompt_error");
        return std::move(out.value());
    }
    std::shared_ptr<const void> owner_;
    const vep_tool_format_vtable *vt_;
    void *self_ = nullptr;
    std::string marker_;
};

// ---- filter ---------------------------------------------------------------------------------

class FilterClient : public std::enable_shared_from_this<FilterClient> {
  public:
    // One request's filter state.
    class Stream {
      public:
        Stream(std::shared_ptr<const FilterClient> filter, void *handle) : filter_(std::move(filter)), handle_(handle) {}
        ~Stream() { filter_->vt_->stream_destroy(filter_->self_, handle_); }
        Stream(const Stream &) = delete;
        Stream &operator=(const Stream &) = delete;
        FilterStatus on_request(vep_stream_callbacks *cb) {
            return static_cast<FilterStatus>(filter_->vt_->on_request(filter_->self_, handle_, cb));
        }
        FilterStatus on_response_event(std::string_view data, vep_stream_callbacks *cb) {
            return static_cast<FilterStatus>(filter_->vt_->on_response_event(filter_->self_, handle_, str(data), cb));
        }
        void on_stream_complete(bool ok) { filter_->vt_->on_stream_complete(filter_->self_, handle_, ok ? 1 : 0); }
        // Skipped for a filter built for ABI 1.0, whose vtable ends before the member.
        void on_upstream_attempt(uint32_t attempt, vep_stream_callbacks *cb) {
            const vep_filter_vtable &vt = *filter_->vt_;
            if (vt.struct_size >= offsetof(vep_filter_vtable, on_upstream_attempt) + sizeof(vt.on_upstream_attempt) &&
                vt.on_upstream_attempt)
                vt.on_upstream_attempt(filter_->self_, handle_, attempt, cb);
        }

      private:
        std::shared_ptr<const FilterClient> filter_;
        void *handle_;
    };

    static std::shared_ptr<FilterClient> create(const vep_plugin_descriptor *d, std::string_view config_json,
                                                std::shared_ptr<const void> owner) {
        return std::shared_ptr<FilterClient>(new FilterClient(d, config_json, std::move(owner)));
    }
    ~FilterClient() { vt_->destroy(self_); }

    std::unique_ptr<Stream> create_stream() const {
        void *h = vt_->stream_create(self_);
        if (!h) throw Failure("filter_error", "filter plugin could not create a stream");
        return std::make_unique<Stream>(shared_from_this(), h);
    }

  private:
    FilterClient(const vep_plugin_descriptor *d, std::string_view config_json, std::shared_ptr<const void> owner)
        : owner_(std::move(owner)), vt_(checked_vtable<vep_filter_vtable>(d, VEP_KIND_FILTER, VEP_FILTER_VTABLE_SIZE_1_0)) {
        ErrorBox err;
        self_ = vt_->create(str(config_json), err.get());
        if (!self_) err.raise("invalid_config");
    }
    std::shared_ptr<const void> owner_;
    const vep_filter_vtable *vt_;
    void *self_ = nullptr;
};

}  // namespace vep::client
