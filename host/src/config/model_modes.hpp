// The per-model delivery mode the operator configured in [models."<glob>"] tables.
//
// Owns: matching a model id against the tables' globs and the rule deciding a model's mode. A
// model is tee-only when e2ee.require_e2ee is false, at least one matching table says
// mode = "tee-only" and none says mode = "e2ee"; every other model is E2EE. Never chosen by a
// client: only the configuration decides. Called per request by the tools stage (which path
// the request takes), by ChatExchange's upstream check (which path it may take) and by the
// [models] validation rule.
#pragma once

#include <string_view>

#include "config/config.hpp"

namespace vep::host {

enum class ModelMode { E2ee, TeeOnly };

// The mode names of the `mode` key: "e2ee", "tee-only".
inline constexpr std::string_view kModeE2ee = "e2ee";
inline constexpr std::string_view kModeTeeOnly = "tee-only";

ModelMode model_mode(const Config &config, std::string_view model);

}  // namespace vep::host
