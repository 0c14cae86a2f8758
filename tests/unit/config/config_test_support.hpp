// Helpers shared by the unit_config tests: test data paths and capturing a ConfigError message.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>

#include "config/loader.hpp"

namespace vep::host::testing {

inline std::string config_data(const std::string &name) {
    return std::string(VEP_SOURCE_DIR) + "/tests/data/config/" + name;
}

inline std::string default_toml_path() { return std::string(VEP_SOURCE_DIR) + "/config/default.toml"; }

// The message of the ConfigError `action` throws; a test failure (and "") if it throws none.
inline std::string config_error_of(const std::function<void()> &action) {
    try {
        action();
    } catch (const ConfigError &e) {
        return e.what();
    }
    ADD_FAILURE() << "expected a ConfigError";
    return {};
}

inline std::string text_error(std::string_view toml, const Environment &env = {}) {
    return config_error_of([&] { load_config_text(toml, "t.toml", env); });
}

inline Environment env_of(std::initializer_list<std::pair<const std::string, std::string>> vars) {
    Environment env;
    env.vars = vars;
    return env;
}

}  // namespace vep::host::testing
