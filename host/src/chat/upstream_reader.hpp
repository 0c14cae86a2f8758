// UpstreamReader: one upstream chat attempt as a sequence of classified, decrypted events. Owns
// the ChatStream, the SSE parser and the client key used to decrypt `content` and
// `reasoning_content` of every choice chunk — fail closed: plaintext, wrong-key or corrupted
// fields raise e2ee_response_decryption_failed. Reading stops at [DONE]; a body that ends before
// it is malformed. Used by the chat responder for streaming and buffered answers.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "sse/sse_parser.hpp"
#include "sse/upstream_event.hpp"
#include "upstream/venice_client.hpp"
#include "vep/client.hpp"

namespace vep::host {

// A choice chunk whose delta fields are plaintext.
struct DecryptedChoice {
    UpstreamIdentity identity;
    uint64_t index = 0;
    std::optional<std::string> finish_reason;
    std::optional<std::string> content;
    std::optional<std::string> reasoning_content;
};

using DecryptedEvent = std::variant<upstream_event::Done, upstream_event::UsageOnly, DecryptedChoice>;

class UpstreamReader {
  public:
    UpstreamReader(std::unique_ptr<ChatStream> stream, const vep::client::CipherClient &cipher,
                   const vep::client::CipherClient::Key &client_key, std::function<bool()> keep_going);

    // The next event; Done once at the end. Throws ProxyError (stream, malformed, decryption)
    // or ClientGone.
    DecryptedEvent next();
    void abort() { stream_->abort(); }

  private:
    std::string decrypt(const std::string &hex) const;

    std::unique_ptr<ChatStream> stream_;
    const vep::client::CipherClient &cipher_;
    const vep::client::CipherClient::Key &key_;
    std::function<bool()> keep_going_;
    SseParser parser_;
    std::string chunk_;
    bool done_ = false;
};

}  // namespace vep::host
