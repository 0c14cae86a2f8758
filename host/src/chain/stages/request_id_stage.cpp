// Stage "request-id": gives every request an id (a sane incoming X-Request-Id, else a new UUID),
// echoed as X-Request-Id and used in log lines instead of any request content.
#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"
#include "ids/random_uuid.hpp"

namespace vep::host {
namespace {

bool acceptable(const std::string &id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

class RequestIdStage final : public Stage {
  public:
    explicit RequestIdStage(NoDeps) {}
    StageStatus on_request(Exchange &ex) override {
        const std::string incoming = ex.request_headers.get("X-Request-Id", "");
        ex.request_id = acceptable(incoming) ? incoming : random_uuid();
        ex.set_response_header("X-Request-Id", ex.request_id);
        return StageStatus::Continue;
    }
};

}  // namespace

void register_request_id_stage(StageRegistry &registry) {
    registry.add("request-id", stage_builder<RequestIdStage>([](const StageServices &) { return NoDeps{}; }));
}

}  // namespace vep::host
