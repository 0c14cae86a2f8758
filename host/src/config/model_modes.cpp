// Per-model delivery mode: see model_modes.hpp.
#include "config/model_modes.hpp"

#include "vep/json.hpp"

namespace vep::host {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

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

bool glob_matches(std::string_view glob, std::string_view text) {
    // Iterative wildcard matching with one backtrack point (the last '*'): linear in practice,
    // never recursive.
    size_t g = 0, t = 0, star = std::string_view::npos, resume = 0;
    while (t < text.size()) {
        if (g < glob.size() && (glob[g] == '?' || (glob[g] != '*' && lower(glob[g]) == lower(text[t])))) {
            ++g;
            ++t;
        } else if (g < glob.size() && glob[g] == '*') {
            star = g++;
            resume = t;
        } else if (star != std::string_view::npos) {
            g = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*') ++g;
    return g == glob.size();
}

ModelMode model_mode(const Config &config, std::string_view model) {
    if (config.e2ee.require_e2ee) return ModelMode::E2ee;
    bool tee_only = false;
    for (const auto &[glob, table] : config.models) {
        if (!glob_matches(glob, model)) continue;
        const std::string mode = table_mode(table);
        if (mode != kModeTeeOnly) return ModelMode::E2ee;  // "e2ee" (or anything else) wins
        tee_only = true;
    }
    return tee_only ? ModelMode::TeeOnly : ModelMode::E2ee;
}

}  // namespace vep::host
