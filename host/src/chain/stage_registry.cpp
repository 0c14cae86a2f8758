// See stage_registry.hpp.
#include "chain/stage_registry.hpp"

#include <stdexcept>

namespace vep::host {

StageRegistry &StageRegistry::builtin() {
    static StageRegistry registry = [] {
        StageRegistry r;
        register_builtin_stages(r);
        return r;
    }();
    return registry;
}

void StageRegistry::add(const std::string &name, StageBuilder builder) {
    if (!builders_.emplace(name, std::move(builder)).second)
        throw std::logic_error("chain stage \"" + name + "\" is registered twice");
}

const StageBuilder *StageRegistry::find(const std::string &name) const {
    auto it = builders_.find(name);
    return it == builders_.end() ? nullptr : &it->second;
}

std::vector<std::string> StageRegistry::names() const {
    std::vector<std::string> out;
    for (const auto &b : builders_) out.push_back(b.first);
    return out;
}

}  // namespace vep::host
