/*
 * venice-e2ee-proxy plugin ABI — the only definitions that cross a shared-library boundary.
 *
 * Pure C, no dependency beyond the C standard headers. Owned by the SDK; read by the host's plugin
 * loader (host/src/plugin/) and by the C++ wrappers in sdk.hpp / plugin.hpp.
 *
 * Rules (see docs/plugin-author-guide.md):
 *  - One exported symbol per plugin: `vep_plugin_entry` (VEP_ENTRY_SYMBOL).
 *  - ABI version `major.minor` is checked both ways: the host passes its version in vep_host_api;
 *    the plugin refuses a host with another major or an older minor than it needs and returns its
 *    own version in the descriptor; the host refuses a plugin with another major.
 *  - Every struct that crosses starts with `uint32_t struct_size`; fields are only appended.
 *    A reader must check `offsetof(field) + sizeof(field) <= struct_size` before reading a field
 *    that was added after minor 0 (VEP_HAS_FIELD).
 *  - Strings are `vep_str` {pointer, length} views, borrowed for the duration of one call.
 *  - Output of variable size is written into host-owned `vep_sink`s. Opaque instance pointers
 *    (`void *self`, key handles, streams) are plugin-owned and released by the plugin's own
 *    destroy function. No free() ever crosses the boundary.
 *  - No exception crosses: functions return VEP_OK or VEP_FAIL and describe failures in a
 *    caller-owned `vep_error`.
 *
 * Any edit to this file changes its SHA-256, which tests/conformance/abi_hash_test pins together
 * with VEP_ABI_MAJOR/MINOR: bump the version and the recorded hash together.
 */
#ifndef VEP_ABI_H
#define VEP_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VEP_ABI_MAJOR 1u
#define VEP_ABI_MINOR 1u
#define VEP_ENTRY_SYMBOL "vep_plugin_entry"

#if defined(_WIN32)
#define VEP_EXPORT __declspec(dllexport)
#else
#define VEP_EXPORT __attribute__((visibility("default")))
#endif

/* True when a struct of the given (reported) size contains `field`. */
#define VEP_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/* Result of every fallible ABI call. */
typedef enum vep_result { VEP_OK = 0, VEP_FAIL = 1 } vep_result;

/* A borrowed byte string. OWNERSHIP: the caller; valid only during the call it is passed to. */
typedef struct vep_str {
    const char *data;
    size_t len;
} vep_str;

/* A host-owned output buffer the plugin appends bytes to. OWNERSHIP: host. */
typedef struct vep_sink {
    uint32_t struct_size;
    void *ctx;
    void (*append)(void *ctx, const char *data, size_t len);
} vep_sink;

/*
 * A failure description written by the plugin into caller-owned storage. `code` is a stable
 * machine-readable error code (e.g. "attestation_nonce_mismatch"), `message` a human sentence.
 * Both are NUL-terminated and truncated to fit. Never put secrets or plaintext payloads here.
 */
typedef struct vep_error {
    uint32_t struct_size;
    char code[64];
    char message[512];
} vep_error;

/* Log levels understood by vep_host_api.log. */
typedef enum vep_log_level {
    VEP_LOG_TRACE = 0,
    VEP_LOG_DEBUG = 1,
    VEP_LOG_INFO = 2,
    VEP_LOG_WARN = 3,
    VEP_LOG_ERROR = 4
} vep_log_level;

/*
 * Services the host offers every plugin. OWNERSHIP: host; valid until the plugin is unloaded.
 * Passed to the entry function; plugins keep the pointer.
 */
typedef struct vep_host_api {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    void *host_ctx;
    /* Log one line under the plugin's name. Never pass prompts, answers, tool payloads or keys. */
    void (*log)(void *host_ctx, vep_log_level level, vep_str plugin_name, vep_str message);
    /* Seconds since the Unix epoch as the host sees them (tests may pin the clock). */
    int64_t (*now_unix)(void *host_ctx);
} vep_host_api;

/* The four plugin kinds. */
typedef enum vep_plugin_kind {
    VEP_KIND_CIPHER = 1,
    VEP_KIND_ATTESTATION = 2,
    VEP_KIND_TOOL_FORMAT = 3,
    VEP_KIND_FILTER = 4
} vep_plugin_kind;

/* ---------------------------------------------------------------------------------------------
 * cipher: the Venice E2EE field codec (secp256k1 ECDH -> HKDF-SHA256 -> AES-256-GCM).
 * Public keys cross as 130 lowercase hex chars (uncompressed SEC1); private keys never cross
 * except through keypair_import (tests, fixtures).
 * ------------------------------------------------------------------------------------------- */
typedef struct vep_cipher_vtable {
    uint32_t struct_size;
    /* Build an instance from the plugin's config (JSON object text, e.g. {"hkdf_info":"..."}). */
    void *(*create)(vep_str config_json, vep_error *err);
    void (*destroy)(void *self);
    /* A fresh random key pair. Returns an opaque handle, NULL on failure. */
    void *(*keypair_generate)(void *self, vep_error *err);
    /* A key pair from a 32-byte private scalar. */
    void *(*keypair_import)(void *self, const uint8_t *private_key, size_t len, vep_error *err);
    /* Zeroise and free a key pair. */
    void (*keypair_destroy)(void *self, void *keypair);
    /* Write the 130-char lowercase hex public key of `keypair` into `out`. */
    vep_result (*keypair_public_hex)(void *self, const void *keypair, vep_sink *out, vep_error *err);
    /*
     * Normalise a peer public key (130 hex with 04, 128 hex without, 66 hex compressed, optional
     * 0x, either case) to 130 lowercase hex, checking it is on the curve.
     */
    vep_result (*normalize_public_key)(void *self, vep_str key, vep_sink *out, vep_error *err);
    /*
     * Encrypt `plaintext` to `peer_public_hex` and write the packed payload as lowercase hex.
     * `ephemeral` may be NULL (fresh ephemeral key per call) or a keypair handle to reuse.
     * `nonce` may be NULL (fresh random nonce) or 12 bytes (known-answer tests only).
     */
    vep_result (*encrypt)(void *self, vep_str peer_public_hex, vep_str plaintext,
                          const void *ephemeral, const uint8_t *nonce, vep_sink *out_hex,
                          vep_error *err);
    /* Decrypt a packed hex payload addressed to `keypair`; writes UTF-8-checked plaintext. */
    vep_result (*decrypt)(void *self, const void *keypair, vep_str payload_hex, vep_sink *out,
                          vep_error *err);
} vep_cipher_vtable;

/* ---------------------------------------------------------------------------------------------
 * attestation: one verifier in the attestation policy.
 * ------------------------------------------------------------------------------------------- */
typedef struct vep_attestation_input {
    uint32_t struct_size;
    vep_str evidence_json;   /* the upstream attestation response body, raw bytes */
    vep_str nonce_hex;       /* the 64-hex nonce the host sent */
    vep_str model;           /* the model id the host asked for */
    vep_str prior_json;      /* JSON object: merged reports of the verifiers that ran before */
    int64_t now_unix;        /* verification time */
} vep_attestation_input;

typedef struct vep_attestation_vtable {
    uint32_t struct_size;
    void *(*create)(vep_str config_json, vep_error *err);
    void (*destroy)(void *self);
    /*
     * Verify. On success write a JSON object report (fields documented in
     * docs/plugin-author-guide.md, e.g. model_public_key, tee_provider, tdx, nvidia, checks[]).
     * On failure fill `err` (code such as "attestation_nonce_mismatch") and return VEP_FAIL; the
     * report sink may still hold the checks that ran.
     */
    vep_result (*verify)(void *self, const vep_attestation_input *in, vep_sink *report_json,
                         vep_error *err);
} vep_attestation_vtable;

/* ---------------------------------------------------------------------------------------------
 * tool_format: prompt-emulated tool calls for one model family.
 * ------------------------------------------------------------------------------------------- */
typedef struct vep_tool_prompt_input {
    uint32_t struct_size;
    vep_str tools_json;          /* compact JSON array of the exposed OpenAI function tools */
    int32_t require_tool_call;   /* 1 for tool_choice required / named, 0 for auto */
    vep_str error_text;          /* correction prompt only: the validation error */
    vep_str invalid_output;      /* correction prompt only: the rejected output (already cut) */
} vep_tool_prompt_input;

typedef struct vep_tool_format_vtable {
    uint32_t struct_size;
    void *(*create)(vep_str config_json, vep_error *err);
    void (*destroy)(void *self);
    /* The marker that starts a tool-call block in model output (e.g. "<tool_call>"). */
    vep_str (*start_marker)(void *self);
    vep_result (*controller_prompt)(void *self, const vep_tool_prompt_input *in, vep_sink *out,
                                    vep_error *err);
    vep_result (*correction_prompt)(void *self, const vep_tool_prompt_input *in, vep_sink *out,
                                    vep_error *err);
    /*
     * Parse one assistant output. Writes {"calls":[{"name":..., "arguments":"<json text>"}],
     * "text":"<text outside calls>"}; a parse failure fills `err` (code "tool_parse_error").
     * `tools_json` lets formats type argument values by schema.
     */
    vep_result (*parse)(void *self, vep_str output, vep_str tools_json, vep_sink *result_json,
                        vep_error *err);
    /* Render an assistant tool_calls history entry (JSON array of OpenAI calls) as prompt text. */
    vep_result (*render_tool_calls)(void *self, vep_str tool_calls_json, vep_sink *out,
                                    vep_error *err);
    /* Render a tool result message as prompt text. */
    vep_result (*render_tool_result)(void *self, vep_str tool_call_id, vep_str content,
                                     vep_sink *out, vep_error *err);
} vep_tool_format_vtable;

/* ---------------------------------------------------------------------------------------------
 * filter: a handler-chain stage (Envoy filter contract).
 * ------------------------------------------------------------------------------------------- */
typedef enum vep_filter_status {
    VEP_FILTER_CONTINUE = 0,     /* pass to the next stage */
    VEP_FILTER_STOP = 1,         /* consume this event: later stages do not see it */
    VEP_FILTER_LOCAL_REPLY = 2,  /* answer the client now (send_local_reply was called) */
    VEP_FILTER_ERROR = 3         /* fail the request (500, or an error event mid-stream) */
} vep_filter_status;

/* Host callbacks for one stream. OWNERSHIP: host; valid during the filter call only. */
typedef struct vep_stream_callbacks {
    uint32_t struct_size;
    void *ctx;
    /* Writes the first value of a request header; VEP_FAIL when absent. */
    vep_result (*request_header)(void *ctx, vep_str name, vep_sink *out);
    vep_str (*request_path)(void *ctx);
    vep_str (*request_body)(void *ctx);
    /* Adds or replaces a response header (only before the response has started). */
    void (*set_response_header)(void *ctx, vep_str name, vep_str value);
    /* Replaces the data of the event being processed (response side only). */
    void (*replace_event_data)(void *ctx, vep_str data);
    /* Ends the request with an OpenAI-style JSON error; return VEP_FILTER_LOCAL_REPLY after it. */
    void (*send_local_reply)(void *ctx, uint32_t http_status, vep_str type, vep_str code,
                             vep_str message);
} vep_stream_callbacks;

typedef struct vep_filter_vtable {
    uint32_t struct_size;
    void *(*create)(vep_str config_json, vep_error *err);
    void (*destroy)(void *self);
    void *(*stream_create)(void *self);
    void (*stream_destroy)(void *self, void *stream);
    /* Once per request, after the body was read. */
    vep_filter_status (*on_request)(void *self, void *stream, vep_stream_callbacks *cb);
    /* Once per outgoing SSE event (`data` is the event's JSON text) or buffered body. */
    vep_filter_status (*on_response_event)(void *self, void *stream, vep_str data,
                                           vep_stream_callbacks *cb);
    /* Once when the stream ends, however it ends. */
    void (*on_stream_complete)(void *self, void *stream, int32_t succeeded);
    /* ABI 1.1: once per upstream attempt, before it is sent: `attempt` 0 for the first, then one
     * per tool-call correction. Absent (struct_size ends before it) in filters built for 1.0. */
    void (*on_upstream_attempt)(void *self, void *stream, uint32_t attempt, vep_stream_callbacks *cb);
} vep_filter_vtable;

/* The size of a filter vtable built for ABI 1.0; hosts accept it and skip on_upstream_attempt. */
#define VEP_FILTER_VTABLE_SIZE_1_0 offsetof(vep_filter_vtable, on_upstream_attempt)

/* ---------------------------------------------------------------------------------------------
 * The descriptor a plugin returns from its entry point. OWNERSHIP: plugin (static storage).
 * ------------------------------------------------------------------------------------------- */
typedef struct vep_plugin_descriptor {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    vep_plugin_kind kind;
    vep_str name;         /* e.g. "secp256k1" */
    vep_str version;      /* the plugin's own version */
    vep_str description;
    /* Points to the vtable for `kind` (vep_cipher_vtable, ...). Starts with struct_size. */
    const void *vtable;
} vep_plugin_descriptor;

/*
 * The one exported symbol. Returns the descriptor, or NULL after writing a NUL-terminated reason
 * into `err` (at most err_len bytes) when the host is incompatible.
 */
typedef const vep_plugin_descriptor *(*vep_plugin_entry_fn)(const vep_host_api *host, char *err,
                                                            size_t err_len);

#ifdef __cplusplus
}
#endif

#endif /* VEP_ABI_H */
