// StageRegistry: chain stage names -> builders. Built-in stages are registered when the built-in
// registry is first used (register_builtin_stages in chain/stages/); filter plugins are
// registered under their descriptor name in the generation's own registry. Chain::build resolves
// chain.stages through them, so a built-in and a plugin stage are configured identically.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "chain/stage.hpp"
#include "chain/stage_services.hpp"

namespace vep::host {

// Builds a stage factory for one generation from the services it offers.
using StageBuilder = std::function<std::shared_ptr<StageFactory>(const StageServices &)>;

class StageRegistry {
  public:
    // The process-wide registry of built-in stages.
    static StageRegistry &builtin();

    // Throws std::logic_error when `name` is taken.
    void add(const std::string &name, StageBuilder builder);
    const StageBuilder *find(const std::string &name) const;
    std::vector<std::string> names() const;

  private:
    std::map<std::string, StageBuilder> builders_;
};

// Adds every built-in stage (request-id, limits, parse, tools, session, attest, encrypt).
void register_builtin_stages(StageRegistry &registry);

}  // namespace vep::host
