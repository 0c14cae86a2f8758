// UpstreamDecoder: the body of one upstream chat attempt, fed as it arrives, turned into
// classified, decrypted events. Owns the SSE parser and uses the client key to decrypt `content`
// and `reasoning_content` of every choice chunk — fail closed: plaintext, wrong-key or corrupted
// fields raise e2ee_response_decryption_failed; native tool_calls deltas are dropped. Decoding
// stops at [DONE]; a body that ends before it is malformed. Used by the pipeline (ChatExchange)
// for streaming and buffered answers; plaintext() is the decoder of a tee-only exchange, which
// passes the fields and native tool_calls through as sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "sse/sse_parser.hpp"
#include "sse/upstream_event.hpp"
#include "vep/client.hpp"

namespace vep::host {

// A choice chunk whose delta fields are plaintext.
struct DecryptedChoice {
    UpstreamIdentity identity;
    uint64_t index = 0;
    std::optional<std::string> finish_reason;
    std::optional<std::string> content;
    std::optional<std::string> reasoning_content;
    std::optional<json::Value> tool_calls;  // native tool-call deltas (tee-only exchanges only)
};

using DecryptedEvent = std::variant<upstream_event::Done, upstream_event::UsageOnly, DecryptedChoice>;

class UpstreamDecoder {
  public:
    UpstreamDecoder(const vep::client::CipherClient &cipher, const vep::client::CipherClient::Key &client_key)
        : cipher_(&cipher), key_(&client_key) {}
    // The decoder of a tee-only exchange: nothing is decrypted.
    static UpstreamDecoder plaintext() { return UpstreamDecoder(); }

    // Body bytes of the attempt (HTTP framing already removed). Drain next() before feeding again.
    void feed(std::string_view body_bytes) { parser_.feed(body_bytes); }
    // The next event, or nullopt when more bytes are needed; Done once at the end. Throws
    // ProxyError (stream error event, malformed, decryption).
    std::optional<DecryptedEvent> next();
    // The body ended: throws ProxyError upstream_malformed_response unless [DONE] was seen.
    void end_of_body() const;
    bool done() const { return done_; }

  private:
    UpstreamDecoder() = default;
    std::string decrypt(std::string text) const;

    const vep::client::CipherClient *cipher_ = nullptr;  // null: plaintext
    const vep::client::CipherClient::Key *key_ = nullptr;
    SseParser parser_;
    bool done_ = false;
};

}  // namespace vep::host
