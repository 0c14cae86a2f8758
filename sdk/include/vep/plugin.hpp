// vep SDK — the registration macro and the C trampolines behind it.
//
// Owns: the translation from the C ABI (abi.h) into the C++ classes of sdk.hpp, for all four
// plugin kinds; the ABI version check on the plugin side; the rule that no exception crosses.
// A plugin's .cpp includes this header and writes VEP_PLUGIN(Class, "name", "version", "what")
// exactly once; the class is picked up as a cipher, attestation, tool_format or filter plugin by
// the SDK base class it derives from, and is constructed from its config (a vep::json::Value).
#pragma once

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

#include "vep/abi.h"
#include "vep/sdk.hpp"

namespace vep::detail {

inline void fill_error(vep_error *err, std::string_view code, std::string_view message) {
    if (!err || err->struct_size < sizeof(vep_error)) return;
    std::snprintf(err->code, sizeof err->code, "%.*s", static_cast<int>(code.size()), code.data());
    std::snprintf(err->message, sizeof err->message, "%.*s", static_cast<int>(message.size()), message.data());
}

inline void append(vep_sink *sink, std::string_view data) {
    if (sink && sink->append) sink->append(sink->ctx, data.data(), data.size());
}

// Runs `fn`, converting every exception into `err`. Returns VEP_OK / VEP_FAIL.
template <typename Fn>
vep_result guarded(vep_error *err, Fn &&fn) {
    try {
        fn();
        return VEP_OK;
    } catch (const Failure &f) {
        fill_error(err, f.code(), f.what());
    } catch (const json::ParseError &e) {
        fill_error(err, "invalid_json", e.what());
    } catch (const std::exception &e) {
        fill_error(err, "plugin_error", e.what());
    } catch (...) {
        fill_error(err, "plugin_error", "unknown exception in plugin");
    }
    return VEP_FAIL;
}

inline json::Value parse_config(vep_str config_json) {
    const std::string_view text = view(config_json);
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::Value::object();
    json::Value v = json::parse(text);
    if (!v.is_object()) throw Failure("invalid_config", "plugin config must be a JSON object");
    return v;
}

template <typename Class>
void *create_instance(vep_str config_json, vep_error *err) {
    Class *made = nullptr;
    guarded(err, [&] { made = new Class(parse_config(config_json)); });
    return made;
}

// ---- per-kind trampolines ------------------------------------------------------------------

template <typename Class>
struct CipherAdapter {
    static Cipher &self(void *p) { return *static_cast<Class *>(p); }
    static const Cipher::KeyPair *key(const void *p) { return static_cast<const Cipher::KeyPair *>(p); }
    static const vep_cipher_vtable *vtable() {
        static const vep_cipher_vtable vt = {
            sizeof(vep_cipher_vtable),
            &create_instance<Class>,
            [](void *p) { delete static_cast<Class *>(p); },
            [](void *p, vep_error *err) -> void * {
                Cipher::KeyPair *out = nullptr;
                guarded(err, [&] { out = self(p).generate_keypair().release(); });
                return out;
            },
            [](void *p, const uint8_t *priv, size_t len, vep_error *err) -> void * {
                Cipher::KeyPair *out = nullptr;
                guarded(err, [&] {
                    out = self(p).import_keypair({reinterpret_cast<const char *>(priv), len}).release();
                });
                return out;
            },
            [](void *, void *kp) { delete static_cast<Cipher::KeyPair *>(kp); },
            [](void *p, const void *kp, vep_sink *out, vep_error *err) {
                return guarded(err, [&] { append(out, self(p).public_hex(*key(kp))); });
            },
            [](void *p, vep_str k, vep_sink *out, vep_error *err) {
                return guarded(err, [&] { append(out, self(p).normalize_public_key(view(k))); });
            },
            [](void *p, vep_str peer, vep_str plain, const void *eph, const uint8_t *nonce, vep_sink *out,
               vep_error *err) {
                return guarded(err, [&] {
                    std::string hex;
                    self(p).encrypt(view(peer), view(plain), key(eph), nonce, hex);
                    append(out, hex);
                });
            },
            [](void *p, const void *kp, vep_str payload, vep_sink *out, vep_error *err) {
                return guarded(err, [&] {
                    std::string plain;
                    self(p).decrypt(*key(kp), view(payload), plain);
                    append(out, plain);
                });
            },
        };
        return &vt;
    }
    static constexpr vep_plugin_kind kind = VEP_KIND_CIPHER;
};

template <typename Class>
struct AttestationAdapter {
    static const vep_attestation_vtable *vtable() {
        static const vep_attestation_vtable vt = {
            sizeof(vep_attestation_vtable),
            &create_instance<Class>,
            [](void *p) { delete static_cast<Class *>(p); },
            [](void *p, const vep_attestation_input *in, vep_sink *report, vep_error *err) {
                json::Value out = json::Value::object();
                const vep_result r = guarded(err, [&] {
                    if (!in || in->struct_size < sizeof(vep_attestation_input))
                        throw Failure("plugin_error", "attestation input struct too small");
                    json::Value prior = in->prior_json.len ? json::parse(view(in->prior_json)) : json::Value::object();
                    AttestationInput input{view(in->evidence_json), view(in->nonce_hex), view(in->model), &prior,
                                           in->now_unix};
                    static_cast<Class *>(p)->verify(input, out);
                });
                append(report, json::dump(out));
                return r;
            },
        };
        return &vt;
    }
    static constexpr vep_plugin_kind kind = VEP_KIND_ATTESTATION;
};

template <typename Class>
struct ToolFormatAdapter {
    static ToolFormat &self(void *p) { return *static_cast<Class *>(p); }
    static ToolPromptInput input(const vep_tool_prompt_input *in) {
        if (!in || in->struct_size < sizeof(vep_tool_prompt_input))
            throw Failure("plugin_error", "tool prompt input struct too small");
        return ToolPromptInput{view(in->tools_json), in->require_tool_call != 0, view(in->error_text),
                               view(in->invalid_output)};
    }
    static const vep_tool_format_vtable *vtable() {
        static const vep_tool_format_vtable vt = {
            sizeof(vep_tool_format_vtable),
            &create_instance<Class>,
            [](void *p) { delete static_cast<Class *>(p); },
            [](void *p) { return str(self(p).start_marker()); },
            [](void *p, const vep_tool_prompt_input *in, vep_sink *out, vep_error *err) {
                return guarded(err, [&] { append(out, self(p).controller_prompt(input(in))); });
            },
            [](void *p, const vep_tool_prompt_input *in, vep_sink *out, vep_error *err) {
                return guarded(err, [&] { append(out, self(p).correction_prompt(input(in))); });
            },
            [](void *p, vep_str output, vep_str tools_json, vep_sink *out, vep_error *err) {
                return guarded(err, [&] {
                    const json::Value tools = tools_json.len ? json::parse(view(tools_json)) : json::Value::array();
                    ParsedOutput parsed = self(p).parse(view(output), tools);
                    json::Value calls = json::Value::array();
                    for (auto &c : parsed.calls) {
                        json::Value call = json::Value::object();
                        call.set("name", std::move(c.name));
                        call.set("arguments", std::move(c.arguments));
                        if (!c.repair.empty()) call.set("repair", std::move(c.repair));
                        calls.push_back(std::move(call));
                    }
                    json::Value result = json::Value::object();
                    result.set("calls", std::move(calls));
                    result.set("text", std::move(parsed.text));
                    append(out, json::dump(result));
                });
            },
            [](void *p, vep_str calls, vep_sink *out, vep_error *err) {
                return guarded(err, [&] { append(out, self(p).render_tool_calls(json::parse(view(calls)))); });
            },
            [](void *p, vep_str id, vep_str content, vep_sink *out, vep_error *err) {
                return guarded(err, [&] { append(out, self(p).render_tool_result(view(id), view(content))); });
            },
        };
        return &vt;
    }
    static constexpr vep_plugin_kind kind = VEP_KIND_TOOL_FORMAT;
};

template <typename Class>
struct FilterAdapter {
    static vep_filter_status status(FilterStatus s) { return static_cast<vep_filter_status>(s); }
    template <typename Fn>
    static vep_filter_status guarded_status(Fn &&fn) {
        try {
            return status(fn());
        } catch (const std::exception &e) {
            Host::instance().log(VEP_LOG_ERROR, std::string("filter failed: ") + e.what());
        } catch (...) {
            Host::instance().log(VEP_LOG_ERROR, "filter failed with an unknown exception");
        }
        return VEP_FILTER_ERROR;
    }
    static FilterStream &stream(void *s) { return *static_cast<FilterStream *>(s); }
    static const vep_filter_vtable *vtable() {
        static const vep_filter_vtable vt = {
            sizeof(vep_filter_vtable),
            &create_instance<Class>,
            [](void *p) { delete static_cast<Class *>(p); },
            [](void *p) -> void * {
                try {
                    return static_cast<Class *>(p)->create_stream().release();
                } catch (...) {
                    return nullptr;
                }
            },
            [](void *, void *s) { delete static_cast<FilterStream *>(s); },
            [](void *, void *s, vep_stream_callbacks *cb) {
                return guarded_status([&] {
                    StreamCallbacks callbacks(cb);
                    return stream(s).on_request(callbacks);
                });
            },
            [](void *, void *s, vep_str data, vep_stream_callbacks *cb) {
                return guarded_status([&] {
                    StreamCallbacks callbacks(cb);
                    return stream(s).on_response_event(view(data), callbacks);
                });
            },
            [](void *, void *s, int32_t ok) {
                try {
                    stream(s).on_stream_complete(ok != 0);
                } catch (...) {
                }
            },
            [](void *, void *s, uint32_t attempt, vep_stream_callbacks *cb) {
                try {
                    StreamCallbacks callbacks(cb);
                    stream(s).on_upstream_attempt(attempt, callbacks);
                } catch (...) {
                }
            },
        };
        return &vt;
    }
    static constexpr vep_plugin_kind kind = VEP_KIND_FILTER;
};

template <typename Class>
using AdapterFor = std::conditional_t<
    std::is_base_of_v<Cipher, Class>, CipherAdapter<Class>,
    std::conditional_t<std::is_base_of_v<AttestationVerifier, Class>, AttestationAdapter<Class>,
                       std::conditional_t<std::is_base_of_v<ToolFormat, Class>, ToolFormatAdapter<Class>,
                                          FilterAdapter<Class>>>>;

// The body of the exported entry point: checks the host's ABI, then returns the descriptor.
template <typename Class>
const vep_plugin_descriptor *plugin_entry(const vep_host_api *host, char *err, size_t err_len, const char *name,
                                          const char *version, const char *description) {
    static_assert(std::is_base_of_v<Cipher, Class> || std::is_base_of_v<AttestationVerifier, Class> ||
                      std::is_base_of_v<ToolFormat, Class> || std::is_base_of_v<Filter, Class>,
                  "a plugin class derives from vep::Cipher, AttestationVerifier, ToolFormat or Filter");
    auto refuse = [&](const std::string &why) -> const vep_plugin_descriptor * {
        if (err && err_len) std::snprintf(err, err_len, "%s", why.c_str());
        return nullptr;
    };
    if (!host || host->struct_size < offsetof(vep_host_api, abi_minor) + sizeof(host->abi_minor))
        return refuse("host API struct missing or too small");
    if (host->abi_major != VEP_ABI_MAJOR)
        return refuse("host ABI major " + std::to_string(host->abi_major) + ", plugin built for " +
                      std::to_string(VEP_ABI_MAJOR));
    if (host->abi_minor < VEP_ABI_MINOR)
        return refuse("host ABI " + std::to_string(host->abi_major) + "." + std::to_string(host->abi_minor) +
                      " is older than the plugin's " + std::to_string(VEP_ABI_MAJOR) + "." +
                      std::to_string(VEP_ABI_MINOR));
    Host::instance().attach(host, name);
    using Adapter = AdapterFor<Class>;
    static const vep_plugin_descriptor descriptor = {
        sizeof(vep_plugin_descriptor), VEP_ABI_MAJOR, VEP_ABI_MINOR, Adapter::kind,
        vep_str{name, std::strlen(name)},  vep_str{version, std::strlen(version)},
        vep_str{description, std::strlen(description)}, Adapter::vtable(),
    };
    return &descriptor;
}

}  // namespace vep::detail

// Declares the plugin's one exported entry point. Use exactly once per plugin library.
#define VEP_PLUGIN(Class, NAME, VERSION, DESCRIPTION)                                                  \
    extern "C" VEP_EXPORT const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *host,      \
                                                                        char *err, size_t err_len) {   \
        return ::vep::detail::plugin_entry<Class>(host, err, err_len, NAME, VERSION, DESCRIPTION);     \
    }
