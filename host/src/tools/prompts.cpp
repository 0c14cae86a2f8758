// Format prompts: see prompts.hpp.
#include "tools/prompts.hpp"

namespace vep::host::tools {

std::string controller_prompt(const client::ToolFormatClient &format, const ToolContext &context) {
    return format.controller_prompt(context.exposed_tools_json(), context.require_tool_call());
}

std::string correction_prompt(const client::ToolFormatClient &format, const ToolContext &context,
                              std::string_view error_text, std::string_view invalid_output) {
    return format.correction_prompt(context.exposed_tools_json(), context.require_tool_call(), error_text,
                                    cut_invalid_output(invalid_output));
}

std::string cut_invalid_output(std::string_view output) {
    if (output.size() <= kCorrectionOutputMaxBytes) return std::string(output);
    size_t end = kCorrectionOutputMaxBytes;
    while (end > 0 && (static_cast<unsigned char>(output[end]) & 0xC0) == 0x80) --end;
    std::string cut(output.substr(0, end));
    cut += " [output truncated]";
    return cut;
}

}  // namespace vep::host::tools
