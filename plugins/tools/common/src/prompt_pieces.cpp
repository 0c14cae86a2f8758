// Shared prompt text: see prompt_pieces.hpp.
#include "vep/tools/prompt_pieces.hpp"

namespace vep::tools {

std::string_view requirement_sentence(bool require_tool_call) {
    if (require_tool_call)
        return "You must call at least one tool. Do not answer the user directly. Output each tool call in the "
               "format below and nothing else:";
    return "If a tool is needed, do not answer the user directly. Output each tool call in the format below "
           "and nothing else:";
}

std::string_view auto_only_rule(bool require_tool_call) {
    if (require_tool_call) return {};
    return "\n- If no tool is needed, answer normally and do not use <tool_call>.";
}

std::string cut_invalid_output(std::string_view output) {
    if (output.size() <= kCorrectionOutputMaxBytes) return std::string(output);
    if (output.size() <= kCorrectionOutputMaxBytes + kTruncatedSuffix.size() &&
        output.substr(output.size() - kTruncatedSuffix.size()) == kTruncatedSuffix)
        return std::string(output);
    size_t end = kCorrectionOutputMaxBytes;
    while (end > 0 && (static_cast<unsigned char>(output[end]) & 0xC0) == 0x80) --end;
    std::string cut(output.substr(0, end));
    cut += kTruncatedSuffix;
    return cut;
}

std::string correction_opening(std::string_view error_text, std::string_view invalid_output) {
    std::string out = "Your previous response attempted a tool call, but it was invalid.\n\nValidation error:\n";
    out += error_text;
    out += "\n\nInvalid output:\n";
    out += cut_invalid_output(invalid_output);
    out += "\n\nYou must now return only valid tool calls and nothing else.\n\n";
    return out;
}

std::string available_tools(std::string_view tools_json) {
    std::string out = "\n\nAvailable tools:\n";
    out += tools_json;
    return out;
}

}  // namespace vep::tools
