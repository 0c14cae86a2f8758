// The "qwen-xml" tool_format: Qwen's XML-wrapped JSON (a newline right after <tool_call>, one
// JSON object, a newline, </tool_call>) for model ids containing "qwen".
//
// Owns: the Qwen controller and correction prompts, the strict Qwen parse (the shared parser's
// strict dialect with the newline rule), the lenient-Hermes fallback around it (rule in
// vep/tools/hermes_fallback.hpp) and the named repair rules for blocks both reject
// (vep/tools/repairing_parse.hpp). Loaded by the host as tools-qwen-xml.so.
#pragma once

#include "vep/sdk.hpp"

namespace vep::tools {

class QwenXmlFormat : public ToolFormat {
  public:
    explicit QwenXmlFormat(const json::Value &config);
    std::string_view start_marker() const override;
    std::string controller_prompt(const ToolPromptInput &in) override;
    std::string correction_prompt(const ToolPromptInput &in) override;
    ParsedOutput parse(std::string_view output, const json::Value &tools) override;
};

}  // namespace vep::tools
