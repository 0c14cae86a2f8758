// Stage "encrypt": builds the encrypted upstream body of the first attempt
// (chat/request_encryptor). Nothing unencrypted leaves the proxy after this stage.
#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "chat/request_encryptor.hpp"

namespace vep::host {
namespace {

class EncryptStage final : public Stage {
  public:
    explicit EncryptStage(const Generation &) {}
    StageStatus on_request(Exchange &ex) override {
        ex.upstream_body = build_encrypted_request(ex, {});
        return StageStatus::Continue;
    }
};

}  // namespace

void register_encrypt_stage(StageRegistry &registry) { registry.add("encrypt", stage_builder<EncryptStage>()); }

}  // namespace vep::host
