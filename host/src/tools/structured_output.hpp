// Structured output (response_format json_object / json_schema) emulated over a model that only
// writes text.
//
// Owns: the system-prompt instruction that asks for JSON only (with the schema), the correction
// instruction for a second attempt, and the local check of an answer: one JSON object (an
// answer wrapped in one Markdown code fence is unwrapped), for json_schema satisfying the schema
// through schema_violation() (the validator's subset; other keywords are ignored). Called by the
// tools stage (prompts, schema shape) and by the structured responder (the check). Messages
// never echo answer values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "openai/chat_request.hpp"

namespace vep::host::tools {

// The instruction added to the system message of every attempt.
std::string structured_output_prompt(const StructuredOutput &format);

// The instruction added on the correction attempt: what was wrong and the rejected answer (cut
// like a tool-call correction's).
std::string structured_correction_prompt(std::string_view error_text, std::string_view invalid_output);

// The answer as it goes to the client: the JSON text (fence removed, surrounding whitespace trimmed).
struct StructuredAnswer {
    std::string json;
};
// Why an answer does not satisfy the format, e.g. "the answer is not JSON: ..." or
// "answer.city is required".
struct StructuredViolation {
    std::string error;
};

std::variant<StructuredAnswer, StructuredViolation> check_structured_answer(std::string_view answer,
                                                                            const StructuredOutput &format);

}  // namespace vep::host::tools
