// The GLM/Qwen fallback rule: see hermes_fallback.hpp.
#include "vep/tools/hermes_fallback.hpp"

#include <exception>
#include <optional>

#include "vep/tools/marker_json_parser.hpp"

namespace vep::tools {

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
    if (primary_result && all_calls_usable(*primary_result, tools) && (!primary_result->calls.empty() || !marker_present))
        return std::move(*primary_result);

    try {
        ParsedOutput fallback = parse_marker_wrapped_json(output, kLenientHermes);
        if (!fallback.calls.empty() && all_calls_usable(fallback, tools)) return fallback;
    } catch (const Failure &) {
        // The fallback did not help; the primary outcome stands.
    }
    if (primary_error) std::rethrow_exception(primary_error);
    return std::move(*primary_result);
}

}  // namespace vep::tools
