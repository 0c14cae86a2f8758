// The "glm-xml" tool_format: GLM-4.7 XML tool calls (<tool_call>NAME, <arg_key>/<arg_value>
// pairs, </tool_call>) for model ids containing "glm".
//
// Owns: the GLM controller and correction prompts and parsing with the GLM XML parser wrapped
// in the lenient-Hermes fallback (GLM models often answer in Hermes JSON; rule in
// vep/tools/hermes_fallback.hpp), then the named repair rules for blocks both reject
// (vep/tools/repairing_parse.hpp). Loaded by the host as tools-glm-xml.so.
#pragma once

#include "vep/sdk.hpp"

namespace vep::tools {

class GlmXmlFormat : public ToolFormat {
  public:
    explicit GlmXmlFormat(const json::Value &config);
    std::string_view start_marker() const override;
    std::string controller_prompt(const ToolPromptInput &in) override;
    std::string correction_prompt(const ToolPromptInput &in) override;
    ParsedOutput parse(std::string_view output, const json::Value &tools) override;
};

}  // namespace vep::tools
