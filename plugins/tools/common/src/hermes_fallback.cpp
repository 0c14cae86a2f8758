// The GLM/Qwen fallback rule: see hermes_fallback.hpp.
#include "vep/tools/hermes_fallback.hpp"

#include <exception>
#include <optional>

#include "vep/tools/marker_json_parser.hpp"

namespace vep::tools {
namespace {

bool usable(const ParsedToolCall &call, const ToolCatalog &tools) {
    if (!tools.empty() && !tools.contains(call.name)) return false;
    try {
        return json::parse(call.arguments).is_object();
    } catch (const json::ParseError &) {
        return false;
    }
}

bool all_usable(const ParsedOutput &parsed, const ToolCatalog &tools) {
    for (const auto &call : parsed.calls)
        if (!usable(call, tools)) return false;
    return true;
}

}  // namespace

ParsedOutput parse_with_hermes_fallback(std::string_view output, const ToolCatalog &tools,
                                        const std::function<ParsedOutput(std::string_view)> &primary) {
    std::optional<ParsedOutput> primary_result;
    std::exception_ptr primary_error;
    try {
        primary_result = primary(output);
    } catch (const Failure &) {
        primary_error = std::current_exception();
    }
    const bool marker_present = output.find(kStartMarker) != std::string_view::npos;
    if (primary_result && all_usable(*primary_result, tools) && (!primary_result->calls.empty() || !marker_present))
        return std::move(*primary_result);

    try {
        ParsedOutput fallback = parse_marker_wrapped_json(output, kLenientHermes);
        if (!fallback.calls.empty() && all_usable(fallback, tools)) return fallback;
    } catch (const Failure &) {
        // The fallback did not help; the primary outcome stands.
    }
    if (primary_error) std::rethrow_exception(primary_error);
    return std::move(*primary_result);
}

}  // namespace vep::tools
