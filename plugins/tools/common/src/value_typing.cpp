// Raw value typing: see value_typing.hpp.
#include "vep/tools/value_typing.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>

#include "vep/text.hpp"

namespace vep::tools {
namespace {

constexpr int kMaxSchemaDepth = 16;

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names)
        if (name == n) return true;
    return false;
}

std::optional<json::Value> as_integer(std::string_view raw) {
    const std::string text(raw);
    if (text.empty() || text.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
    errno = 0;
    char *end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
    return json::Value(static_cast<int64_t>(value));
}

std::optional<json::Value> as_number(std::string_view raw) {
    if (auto integer = as_integer(raw)) return integer;
    try {
        json::Value parsed = json::parse(raw);
        if (parsed.is_number() && std::isfinite(parsed.get_double())) return parsed;
    } catch (const json::ParseError &) {
    }
    return std::nullopt;
}

std::optional<json::Value> as_boolean(std::string_view raw) {
    const std::string text = to_lower_ascii(raw);
    if (text == "true" || text == "1") return json::Value(true);
    if (text == "false" || text == "0") return json::Value(false);
    return std::nullopt;
}

std::optional<json::Value> as_json(std::string_view raw, json::Value empty) {
    if (raw.empty()) return empty;
    try {
        return json::parse(raw);
    } catch (const json::ParseError &) {
        return std::nullopt;
    }
}

std::optional<json::Value> convert_by_type_name(std::string_view raw, std::string_view type_name) {
    const std::string t = to_lower_ascii(type_name);
    if (one_of(t, {"string", "str", "text", "varchar", "char", "enum"})) return json::Value(raw);
    if (one_of(t, {"integer", "int"}) || starts_with(t, "int") || starts_with(t, "uint") || starts_with(t, "long") ||
        starts_with(t, "short") || starts_with(t, "unsigned"))
        return as_integer(raw);
    if (one_of(t, {"number", "float", "double"}) || starts_with(t, "num") || starts_with(t, "float"))
        return as_number(raw);
    if (one_of(t, {"boolean", "bool", "binary"})) return as_boolean(raw);
    if (one_of(t, {"object", "dict", "map"})) return as_json(raw, json::Value::object());
    if (one_of(t, {"array", "list", "tuple", "set"})) return as_json(raw, json::Value::array());
    return std::nullopt;
}

std::optional<json::Value> convert_by_schema(std::string_view raw, const json::Value &schema, int depth) {
    if (depth > kMaxSchemaDepth || !schema.is_object()) return std::nullopt;
    if (const json::Value *type = schema.find("type")) {
        if (type->is_string()) return convert_by_type_name(raw, type->as_string());
        if (type->is_array()) {
            for (const auto &name : type->as_array())
                if (name.is_string())
                    if (auto value = convert_by_type_name(raw, name.as_string())) return value;
            return std::nullopt;
        }
    }
    for (std::string_view key : {"anyOf", "oneOf"}) {
        const json::Value *alternatives = schema.find(key);
        if (!alternatives || !alternatives->is_array()) continue;
        for (const auto &alternative : alternatives->as_array())
            if (auto value = convert_by_schema(raw, alternative, depth + 1)) return value;
    }
    if (schema.find("enum")) return json::Value(raw);
    return std::nullopt;
}

}  // namespace

json::Value type_raw_value(std::string_view raw, const json::Value *property_schema) {
    if (to_lower_ascii(raw) == "null") return json::Value(nullptr);
    if (!property_schema) return json::Value(raw);
    if (auto value = convert_by_schema(raw, *property_schema, 0)) return std::move(*value);
    return json::Value(raw);
}

}  // namespace vep::tools
