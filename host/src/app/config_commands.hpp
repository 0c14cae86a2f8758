// `check-config FILE`: loads and validates the configuration, loads and instantiates every
// configured plugin and the chain exactly as start-up would (without contacting Venice), then
// prints the effective configuration with the API key redacted. Exit 0 when valid, 1 otherwise.
#pragma once

#include <string>
#include <vector>

namespace vep::host {

int run_check_config(const std::vector<std::string> &args);

}  // namespace vep::host
