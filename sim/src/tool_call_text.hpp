// Writes what a model emits for prompt-emulated tool calls, in the Hermes, Qwen and GLM syntaxes,
// well-formed or deliberately broken (see ToolVariant). Called by answer_plan for scenario=tool.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model_catalog.hpp"
#include "scenario.hpp"
#include "vep/json.hpp"

namespace vep::sim {

// One tool as announced in the controller prompt's "Available tools:" JSON.
struct AnnouncedTool {
    std::string name;
    json::Value parameters = json::Value::object();  // JSON schema (may be empty)
};

// Tools parsed from the first "Available tools:" JSON array in `system_text` (empty if none or
// unparsable).
std::vector<AnnouncedTool> announced_tools(std::string_view system_text);

struct ToolCallRequest {
    ToolFormat format = ToolFormat::Hermes;
    ToolVariant variant = ToolVariant::WellFormed;  // fail_then_succeed already resolved by caller
    std::vector<AnnouncedTool> tools;               // may be empty
    std::string tool_override;                      // scenario "tool"
    std::optional<json::Value> args_override;       // scenario "args"
};

// Name used when neither the scenario nor the system prompt names a tool.
inline constexpr const char *kFallbackToolName = "lookup";
// Text a text_before call starts with (contains a multi-byte character on purpose).
inline constexpr const char *kTextBeforeCall = "Let me check that for you \xe2\x98\x95\n";

// Arguments satisfying `schema`: each required property (or the first property when none is
// required) gets a sample of its type: string "example" (or the first enum value), integer 1,
// number 1.5, boolean true, array [], object {}.
json::Value sample_arguments(const json::Value &schema);

std::string tool_call_text(const ToolCallRequest &request);

}  // namespace vep::sim
