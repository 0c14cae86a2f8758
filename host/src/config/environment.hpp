// Environment: the process environment variables the configuration loader may read. Owns a copy
// of the VENICE_E2EE_PROXY__* variables only; tests build one by hand, main() calls
// from_process().
#pragma once

#include <map>
#include <string>

namespace vep::host {

// Prefix of configuration overrides, matched case-insensitively; "__" separates nested keys.
inline constexpr const char *kEnvPrefix = "VENICE_E2EE_PROXY__";

struct Environment {
    std::map<std::string, std::string> vars;
    // The VENICE_E2EE_PROXY__* variables of the running process (other variables are not copied).
    static Environment from_process();
};

}  // namespace vep::host
