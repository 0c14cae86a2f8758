// The built-in chain stages, each in its own file, and the helper that turns a stage class built
// from its own small dependency struct into a registered builder.
#pragma once

#include <memory>

#include "chain/stage.hpp"
#include "chain/stage_registry.hpp"

namespace vep::host {

// A factory for stages of type S, each built from the same `Deps` (taken from the generation's
// services once, when the chain is built).
template <typename S, typename Deps>
class DepsStageFactory final : public StageFactory {
  public:
    explicit DepsStageFactory(Deps deps) : deps_(std::move(deps)) {}
    std::unique_ptr<Stage> create() const override { return std::make_unique<S>(deps_); }

  private:
    Deps deps_;
};

// The builder of stage S: `pick` takes what S uses out of the services.
template <typename S, typename Pick>
StageBuilder stage_builder(Pick pick) {
    return [pick](const StageServices &services) {
        using Deps = decltype(pick(services));
        return std::make_shared<DepsStageFactory<S, Deps>>(pick(services));
    };
}

// For stages that need nothing.
struct NoDeps {};

void register_request_id_stage(StageRegistry &registry);
void register_limits_stage(StageRegistry &registry);
void register_parse_stage(StageRegistry &registry);
void register_tools_stage(StageRegistry &registry);
void register_session_stage(StageRegistry &registry);
void register_attest_stage(StageRegistry &registry);
void register_encrypt_stage(StageRegistry &registry);

}  // namespace vep::host
