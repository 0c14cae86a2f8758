// StreamingTransformer: decrypted upstream events -> OpenAI streaming chunks for a plain (non-tool)
// answer: role on the first emitted delta only, content and reasoning deltas, native tool-call
// deltas as sent (tee-only answers),
// finish chunks, usage chunks when the client asked for them, a synthesized finish before [DONE],
// and — fixing a reference-proxy bug — fail-closed when a stream carried no encrypted content at all (with
// e2ee.require_encrypted_response_content). Pure: no I/O; the plain streaming responder queues its output.
#pragma once

#include <string>
#include <vector>

#include "chat/response_identity.hpp"
#include "chat/upstream_decoder.hpp"

namespace vep::host {

class StreamingTransformer {
  public:
    StreamingTransformer(std::string request_model, bool include_usage, bool require_content);

    // Each returns the chunk JSON texts to send, in order.
    std::vector<std::string> on_choice(const DecryptedChoice &choice);
    std::vector<std::string> on_usage(const upstream_event::UsageOnly &usage) const;
    // Before [DONE]; throws ProxyError e2ee_response_decryption_failed when content was required
    // and none arrived.
    std::vector<std::string> on_done();

  private:
    FallbackIdentity fallback_;
    bool include_usage_;
    bool require_content_;
    bool role_sent_ = false;
    bool finish_sent_ = false;
    bool any_content_ = false;
};

}  // namespace vep::host
