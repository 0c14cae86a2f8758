// DirectE2eeClient: what an E2EE client does against venice-sim without the proxy — the baseline
// of bench_load. Loads the cipher plugin through the host's real PluginLoader, fetches the model's
// attestation with a fresh nonce (nonce echo and key shape checked; the quote is the proxy's job,
// not the baseline's), encrypts every message to the attested key, sends the TEE headers, and
// decrypts every streamed delta with its own key.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "chat_requests.hpp"
#include "stream_driver.hpp"
#include "vep/client.hpp"

namespace vep::bench {

class DirectE2eeClient {
  public:
    // Throws std::runtime_error when the plugin does not load or the attestation is unusable.
    DirectE2eeClient(const std::string &plugin_dir, uint16_t sim_port, const std::string &model);

    // The chat body with every message encrypted to the model key.
    std::string encrypted_body(const ConversationShape &shape) const;
    // Authorization and the three X-Venice-TEE-* headers.
    std::map<std::string, std::string> headers() const;
    // Judges venice-sim answers: every delta.content must decrypt with the client key to the
    // expected `long` chunk.
    EventJudge judge(int chunk_bytes) const;

  private:
    std::shared_ptr<const void> plugin_;
    std::shared_ptr<vep::client::CipherClient> cipher_;
    std::shared_ptr<vep::client::CipherClient::Key> key_;
    std::string model_key_;
};

}  // namespace vep::bench
