// Stage "encrypt" (core): on every attempt, encrypts each message content to the attested model
// key (one ephemeral key per field, or per request with e2ee.ephemeral_key_per = "request") and
// builds the upstream chat body from them; the plaintext messages are dropped. The pipeline sends
// nothing upstream that this stage did not encrypt — except for a model the operator configured
// tee-only (Exchange::tee_only, checked again by the pipeline against the configuration), whose
// attested request goes as the client sent it, tools included, with enable_e2ee false.
#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "openai/upstream_chat_body.hpp"

namespace vep::host {
namespace {

struct EncryptDeps {
    const vep::client::CipherClient *cipher;
    EphemeralKeyPer ephemeral_key_per;
};

class EncryptStage final : public Stage {
  public:
    explicit EncryptStage(EncryptDeps deps) : cipher_(*deps.cipher), per_(deps.ephemeral_key_per) {}

    void on_attempt(Exchange &ex, AttemptRequest &attempt) override {
        if (!ex.chat || !ex.attested)
            throw ProxyError::of("internal_error", "the encrypt stage needs the parse and attest stages before it");
        if (ex.tee_only) {
            attempt.body = build_tee_only_upstream_body(*ex.chat);
            attempt.encrypted = false;
            return;
        }
        std::shared_ptr<const vep::client::CipherClient::Key> ephemeral;
        if (per_ == EphemeralKeyPer::Request) ephemeral = cipher_.generate();
        std::vector<UpstreamMessage> encrypted = std::move(attempt.messages);
        attempt.messages.clear();
        try {
            for (auto &m : encrypted) {
                std::string hex;
                hex.reserve(186 + m.content.size() * 2);
                cipher_.encrypt(ex.attested->model_public_key, m.content, hex, ephemeral.get());
                m.content = std::move(hex);
            }
        } catch (const vep::Failure &f) {
            throw ProxyError::of("e2ee_request_encryption_failed",
                                 std::string("failed to encrypt the request for Venice E2EE: ") + f.what());
        }
        attempt.body = build_upstream_body(*ex.chat, encrypted);
        attempt.encrypted = true;
    }

  private:
    const vep::client::CipherClient &cipher_;
    EphemeralKeyPer per_;
};

}  // namespace

void register_encrypt_stage(StageRegistry &registry) {
    registry.add("encrypt", stage_builder<EncryptStage>([](const StageServices &s) {
                     return EncryptDeps{&s.cipher, s.config.e2ee.ephemeral_key_per};
                 }));
}

}  // namespace vep::host
