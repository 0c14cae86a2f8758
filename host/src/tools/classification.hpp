// Classification of one assistant output under tool emulation.
//
// Owns: the size bound on tool-call blocks, the call to the format plugin's parser, per-call
// validation against the exposed tools (name, JSON object arguments, schema), canonical
// arguments, and fresh call ids. Called by the buffered tool responder with the whole answer and by
// ToolStreamDetector with the buffered tool-call block. Pure apart from the plugin call and the
// random ids; never logs (the output and the arguments are the user's plaintext).
//
// Outcome: ToolCalls when the parser found at least one call and every call is valid (text
// outside the calls is dropped); NormalText when it found none; InvalidToolCall otherwise, and
// also for "no call" when the context requires one. Error texts (fed to the correction prompt
// and reported in the retry-exhaustion error): "tool call parsing failed: <parser detail>",
// "tool call name must not be empty", "unknown tool name \"x\"", "tool call arguments JSON is
// invalid: ...", "tool call arguments must be a JSON object", "tool call arguments do not
// satisfy schema: ...", "expected the assistant response to include a tool call",
// "assistant output exceeded the tool call max size of N bytes".
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tools/tool_context.hpp"
#include "vep/client.hpp"
#include "vep/json.hpp"
#include "vep/sdk.hpp"

namespace vep::host::tools {

// One validated call: id "call_" + 32 lowercase hex (a random UUIDv4 without hyphens),
// the exposed tool's name, and the arguments as compact JSON with sorted keys.
struct ValidatedToolCall {
    std::string id;
    std::string name;
    std::string arguments;
    // {"id":...,"type":"function","function":{"name":...,"arguments":...}}
    json::Value to_openai() const;
};

struct ToolCalls {
    std::vector<ValidatedToolCall> calls;
};
struct NormalText {};
struct InvalidToolCall {
    std::string error;
};
using Classification = std::variant<ToolCalls, NormalText, InvalidToolCall>;

// Classifies `output`. With `enforce_max_bytes`, the part of the output from the first start
// marker on must fit tool_call_max_bytes (plain text without a marker is never bounded here;
// the reference proxy bounded it, a bug). The streaming detector bounds its buffer itself and passes false.
Classification classify(const client::ToolFormatClient &format, std::string_view output, const ToolContext &context,
                        bool enforce_max_bytes);

// Validates one parsed call: a ValidatedToolCall, or the InvalidToolCall saying why not.
std::variant<ValidatedToolCall, InvalidToolCall> validate_tool_call(const ParsedToolCall &call,
                                                                    const ToolContext &context);

// "call_" + 32 lowercase hex digits of a fresh random UUIDv4.
std::string new_tool_call_id();

}  // namespace vep::host::tools
