// Stage "limits" (core): takes a slot of the process-wide ConcurrencyGate for the request's
// lifetime; above server.max_concurrent_streams the request is answered at once with 503
// server_overloaded while open streams continue undisturbed. Chain::build refuses a chain without
// it, so overload protection cannot be configured away by accident.
#include "chain/exchange.hpp"
#include "chain/stages/builtin_stages.hpp"

namespace vep::host {
namespace {

class LimitsStage final : public Stage {
  public:
    explicit LimitsStage(ConcurrencyGate *gate) : gate_(*gate) {}
    StageStatus on_request(Exchange &ex) override {
        if (!gate_.try_acquire()) {
            ex.reply = ProxyError::of("server_overloaded", "the proxy is at its concurrency limit of " +
                                                               std::to_string(gate_.limit()) +
                                                               " requests; retry shortly");
            return StageStatus::LocalReply;
        }
        holding_ = true;
        return StageStatus::Continue;
    }
    void on_complete(Exchange &, bool) override { release(); }
    ~LimitsStage() override { release(); }

  private:
    void release() {
        if (holding_) gate_.release();
        holding_ = false;
    }
    ConcurrencyGate &gate_;
    bool holding_ = false;
};

}  // namespace

void register_limits_stage(StageRegistry &registry) {
    registry.add("limits", stage_builder<LimitsStage>([](const StageServices &s) { return &s.gate; }));
}

}  // namespace vep::host
