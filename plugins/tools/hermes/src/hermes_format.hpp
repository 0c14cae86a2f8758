// The "hermes" tool_format: Hermes-style JSON inside <tool_call> markers. The default format for
// models without a family-specific rule (Gemma, GPT-OSS, Venice uncensored, unknown models).
//
// Owns: the Hermes controller and correction prompts and parsing with the lenient Hermes dialect
// of the shared marker-wrapped JSON parser, then the named repair rules for blocks it rejects
// (vep/tools/repairing_parse.hpp). Loaded by the host as tools-hermes.so; history
// rendering uses the SDK defaults (the reference's text forms).
#pragma once

#include "vep/sdk.hpp"

namespace vep::tools {

class HermesFormat : public ToolFormat {
  public:
    explicit HermesFormat(const json::Value &config);
    std::string_view start_marker() const override;
    std::string controller_prompt(const ToolPromptInput &in) override;
    std::string correction_prompt(const ToolPromptInput &in) override;
    ParsedOutput parse(std::string_view output, const json::Value &tools) override;
};

}  // namespace vep::tools
