// Per-model delivery mode: see model_modes.hpp.
#include "config/model_modes.hpp"

#include "vep/json.hpp"
#include "vep/text.hpp"

namespace vep::host {
namespace {

// The `mode` of one [models] table ("" when absent or unreadable; validation rejects those).
std::string table_mode(const std::string &table_json) {
    try {
        const json::Value table = json::parse(table_json);
        const json::Value *mode = table.find("mode");
        return mode && mode->is_string() ? mode->as_string() : std::string();
    } catch (const json::ParseError &) {
        return {};
    }
}

}  // namespace

ModelMode model_mode(const Config &config, std::string_view model) {
    if (config.e2ee.require_e2ee) return ModelMode::E2ee;
    bool tee_only = false;
    for (const auto &[glob, table] : config.models) {
        if (!glob_match(glob, model, GlobCase::AsciiInsensitive)) continue;
        const std::string mode = table_mode(table);
        if (mode != kModeTeeOnly) return ModelMode::E2ee;  // "e2ee" (or anything else) wins
        tee_only = true;
    }
    return tee_only ? ModelMode::TeeOnly : ModelMode::E2ee;
}

}  // namespace vep::host
