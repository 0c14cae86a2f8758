// ConfigError: the one exception type of configuration loading and validation. Its message names
// where the offending value was set ("file:line:col" or "env VAR") and the key path, and never
// contains the API key. Thrown by loader.hpp, duration.hpp, log_filter.hpp and validation.hpp;
// caught by the CLI, which prints what() and exits non-zero.
#pragma once

#include <stdexcept>

namespace vep::host {

class ConfigError : public std::runtime_error {
  public:
    using runtime_error::runtime_error;
};

}  // namespace vep::host
