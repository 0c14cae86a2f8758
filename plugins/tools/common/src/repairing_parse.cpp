// The repair step: see repairing_parse.hpp.
#include "vep/tools/repairing_parse.hpp"

#include <exception>
#include <optional>
#include <string>

#include "vep/tools/call_repairs.hpp"
#include "vep/tools/marker_json_parser.hpp"

namespace vep::tools {
namespace {

bool blank(std::string_view text) {
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    return true;
}

// The calls of one block read by the format itself, when it reads them cleanly.
std::optional<std::vector<ParsedToolCall>> format_reads(std::string_view block, const ToolCatalog &tools,
                                                        const std::function<ParsedOutput(std::string_view)> &parse_format) {
    try {
        ParsedOutput parsed = parse_format(block);
        if (!parsed.calls.empty() && blank(parsed.text) && all_calls_usable(parsed, tools)) return std::move(parsed.calls);
    } catch (const Failure &) {
        // Not the format's grammar: the repair rules get the block.
    }
    return std::nullopt;
}

}  // namespace

ParsedOutput parse_with_repairs(std::string_view output, const ToolCatalog &tools,
                                const std::function<ParsedOutput(std::string_view)> &parse_format) {
    std::optional<ParsedOutput> whole;
    std::exception_ptr whole_error;
    try {
        whole = parse_format(output);
    } catch (const Failure &) {
        whole_error = std::current_exception();
    }
    const size_t first_marker = output.find(kStartMarker);
    if (whole && all_calls_usable(*whole, tools) && (!whole->calls.empty() || first_marker == std::string_view::npos))
        return std::move(*whole);
    if (first_marker == std::string_view::npos) {
        if (whole_error) std::rethrow_exception(whole_error);
        return std::move(*whole);
    }

    ParsedOutput repaired;
    size_t pos = 0;
    while (pos < output.size()) {
        const size_t marker = output.find(kStartMarker, pos);
        if (marker == std::string_view::npos) {
            repaired.text.append(output.substr(pos));
            break;
        }
        repaired.text.append(output.substr(pos, marker - pos));
        const ToolCallBlock block = block_at(output, marker);
        pos = block.resume;
        std::optional<std::vector<ParsedToolCall>> calls =
            format_reads(output.substr(marker, pos - marker), tools, parse_format);
        if (!calls) calls = repair_block(block.body, tools);
        if (!calls) {
            if (whole_error) std::rethrow_exception(whole_error);
            return std::move(*whole);
        }
        for (auto &call : *calls) repaired.calls.push_back(std::move(call));
    }
    return repaired;
}

}  // namespace vep::tools
