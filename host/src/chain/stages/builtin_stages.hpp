// The built-in chain stages, each in its own file, and the helper that turns a stage class
// constructed from (const Generation &) into a registered factory.
#pragma once

#include <memory>

#include "chain/stage.hpp"
#include "chain/stage_registry.hpp"

namespace vep::host {

// A factory for stages of type S, which are built from the generation on every request.
template <typename S>
class GenerationStageFactory final : public StageFactory {
  public:
    explicit GenerationStageFactory(const Generation &generation) : generation_(generation) {}
    std::unique_ptr<Stage> create() const override { return std::make_unique<S>(generation_); }

  private:
    const Generation &generation_;
};

template <typename S>
StageBuilder stage_builder() {
    return [](const Generation &g) { return std::make_shared<GenerationStageFactory<S>>(g); };
}

void register_request_id_stage(StageRegistry &registry);
void register_limits_stage(StageRegistry &registry);
void register_parse_stage(StageRegistry &registry);
void register_tools_stage(StageRegistry &registry);
void register_session_stage(StageRegistry &registry);
void register_attest_stage(StageRegistry &registry);
void register_encrypt_stage(StageRegistry &registry);

}  // namespace vep::host
