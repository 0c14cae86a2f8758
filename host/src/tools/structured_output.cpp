// Structured output: see structured_output.hpp.
#include "tools/structured_output.hpp"

#include "openai/unicode_trim.hpp"
#include "tools/prompts.hpp"
#include "tools/schema_validation.hpp"

namespace vep::host::tools {
namespace {

// "```json\n{...}\n```" -> "{...}"; anything else unchanged.
std::string_view unfence(std::string_view text) {
    constexpr std::string_view kFence = "```";
    if (text.size() < 2 * kFence.size() || text.substr(0, kFence.size()) != kFence ||
        text.substr(text.size() - kFence.size()) != kFence)
        return text;
    std::string_view inner = text.substr(kFence.size(), text.size() - 2 * kFence.size());
    const size_t line_end = inner.find('\n');
    if (line_end == std::string_view::npos) return text;
    const std::string_view info = unicode_trim(inner.substr(0, line_end));
    if (!info.empty() && info != "json" && info != "JSON") return text;
    return unicode_trim(inner.substr(line_end + 1));
}

}  // namespace

std::string structured_output_prompt(const StructuredOutput &format) {
    std::string prompt =
        "Answer with exactly one JSON object and nothing else: no prose before or after it, no Markdown code "
        "fence, no comments.";
    if (format.kind == StructuredOutput::Kind::JsonSchema) {
        prompt += " The object must satisfy this JSON Schema (named \"" + format.name + "\"):\n";
        prompt += format.schema ? json::dump(*format.schema) : std::string("{\"type\":\"object\"}");
    }
    return prompt;
}

std::string structured_correction_prompt(std::string_view error_text, std::string_view invalid_output) {
    std::string prompt = "Your previous answer was rejected. Validation error: ";
    prompt += error_text;
    prompt += "\nYour previous answer was:\n";
    prompt += cut_invalid_output(invalid_output);
    prompt += "\nAnswer again with only the corrected JSON object.";
    return prompt;
}

std::variant<StructuredAnswer, StructuredViolation> check_structured_answer(std::string_view answer,
                                                                            const StructuredOutput &format) {
    const std::string_view text = unfence(unicode_trim(answer));
    json::Value value;
    try {
        value = json::parse(text);
    } catch (const json::ParseError &e) {
        return StructuredViolation{std::string("the answer is not JSON: ") + e.what()};
    }
    if (!value.is_object())
        return StructuredViolation{std::string("the answer must be a JSON object, got ") + json::kind_name(value.kind())};
    if (format.schema)
        if (auto violation = schema_violation(value, *format.schema, "answer")) return StructuredViolation{*violation};
    return StructuredAnswer{std::string(text)};
}

}  // namespace vep::host::tools
