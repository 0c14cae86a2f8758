// The exact served bytes of one member of a JSON object (see json_member_span.hpp).
#include "json_member_span.hpp"

#include <stdexcept>
#include <string>

#include "vep/json.hpp"

namespace vep::tdx_dcap {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t skip_ws(std::string_view text, size_t i) {
    while (i < text.size() && is_ws(text[i])) ++i;
    return i;
}

[[noreturn]] void malformed(size_t at) {
    throw json::ParseError("JSON object member list is malformed at offset " + std::to_string(at), at);
}

}  // namespace

std::optional<std::string_view> json_member_text(std::string_view object_text, std::string_view key) {
    if (!json::parse(object_text).is_object()) throw json::ParseError("JSON text is not an object", 0);
    // The document is valid, so only the member boundaries need finding: key, ':', value, ',' or '}'.
    std::optional<std::string_view> found;
    size_t i = skip_ws(object_text, 0) + 1;  // past '{'
    i = skip_ws(object_text, i);
    if (object_text[i] == '}') return found;
    while (true) {
        size_t end = 0;
        const json::Value name = json::parse_prefix(object_text.substr(i), end);
        i = skip_ws(object_text, i + end);
        if (object_text[i] != ':') malformed(i);
        const size_t value_start = skip_ws(object_text, i + 1);
        json::parse_prefix(object_text.substr(value_start), end);
        const size_t value_end = value_start + end;
        if (name.as_string() == key) {
            if (found) throw std::invalid_argument("JSON member \"" + std::string(key) + "\" occurs twice");
            found = object_text.substr(value_start, value_end - value_start);
        }
        i = skip_ws(object_text, value_end);
        if (object_text[i] == '}') return found;
        if (object_text[i] != ',') malformed(i);
        i = skip_ws(object_text, i + 1);
    }
}

}  // namespace vep::tdx_dcap
