// JSON Schema subset: see schema_validation.hpp.
#include "tools/schema_validation.hpp"

#include <array>
#include <string>

namespace vep::host::tools {
namespace {

constexpr size_t kMaxSchemaDepth = 64;
constexpr std::array<std::string_view, 7> kTypeNames = {"object", "array", "string", "integer",
                                                        "number", "boolean", "null"};

std::string quoted(std::string_view text) {
    std::string out;
    json::write_string(out, text);
    return out;
}

std::optional<std::string> type_name_error(std::string_view name, const std::string &path) {
    for (std::string_view known : kTypeNames)
        if (name == known) return std::nullopt;
    return path + " contains unsupported JSON schema type " + quoted(name);
}

std::optional<std::string> type_shape_error(const json::Value &type, const std::string &path) {
    if (type.is_string()) return type_name_error(type.as_string(), path);
    if (type.is_array()) {
        if (type.as_array().empty()) return path + " must not be an empty array";
        for (const auto &name : type.as_array()) {
            if (!name.is_string()) return path + " array must contain only strings";
            if (auto error = type_name_error(name.as_string(), path)) return error;
        }
        return std::nullopt;
    }
    return path + " must be a string or array of strings";
}

std::optional<std::string> shape_error(const json::Value &schema, const std::string &path, size_t depth) {
    if (depth > kMaxSchemaDepth) return path + " is nested too deeply";
    if (const json::Value *type = schema.find("type"))
        if (auto error = type_shape_error(*type, path + ".type")) return error;
    if (const json::Value *required = schema.find("required")) {
        if (!required->is_array()) return path + ".required must be an array";
        for (const auto &name : required->as_array())
            if (!name.is_string()) return path + ".required must contain only strings";
    }
    if (const json::Value *properties = schema.find("properties")) {
        if (!properties->is_object()) return path + ".properties must be an object";
        for (const auto &[name, property] : properties->as_object()) {
            const std::string property_path = path + ".properties." + name;
            if (!property.is_object()) return property_path + " must be an object";
            if (auto error = shape_error(property, property_path, depth + 1)) return error;
        }
    }
    if (const json::Value *items = schema.find("items")) {
        if (!items->is_object()) return path + ".items must be an object";
        if (auto error = shape_error(*items, path + ".items", depth + 1)) return error;
    }
    if (const json::Value *additional = schema.find("additionalProperties")) {
        if (additional->is_object()) {
            if (auto error = shape_error(*additional, path + ".additionalProperties", depth + 1)) return error;
        } else if (!additional->is_bool()) {
            return path + ".additionalProperties must be a boolean or object";
        }
    }
    if (const json::Value *values = schema.find("enum"); values && !values->is_array())
        return path + ".enum must be an array";
    return std::nullopt;
}

bool matches_type_name(const json::Value &value, std::string_view name) {
    if (name == "object") return value.is_object();
    if (name == "array") return value.is_array();
    if (name == "string") return value.is_string();
    if (name == "integer") {
        int64_t i;
        uint64_t u;
        return value.get_i64(i) || value.get_u64(u);
    }
    if (name == "number") return value.is_number();
    if (name == "boolean") return value.is_bool();
    if (name == "null") return value.is_null();
    return true;
}

bool matches_type(const json::Value &value, const json::Value &type) {
    if (type.is_string()) return matches_type_name(value, type.as_string());
    if (type.is_array()) {
        for (const auto &name : type.as_array())
            if (name.is_string() && matches_type_name(value, name.as_string())) return true;
        return false;
    }
    return true;
}

bool type_includes(const json::Value &type, std::string_view expected) {
    if (type.is_string()) return type.as_string() == expected;
    if (type.is_array())
        for (const auto &name : type.as_array())
            if (name.is_string() && name.as_string() == expected) return true;
    return false;
}

std::string type_description(const json::Value &type) {
    if (type.is_string()) return type.as_string();
    if (!type.is_array()) return "unknown";
    std::string out;
    for (const auto &name : type.as_array()) {
        if (!name.is_string()) continue;
        if (!out.empty()) out += " or ";
        out += name.as_string();
    }
    return out;
}

// The known type name (other than `container`) under which `type` explicitly accepts `value`;
// such a value is exempt from the object/array rules of a nullable or union schema.
bool accepted_as_other_type(const json::Value &value, const json::Value *type, std::string_view container) {
    if (!type) return false;
    for (std::string_view name : kTypeNames) {
        if (name == container || !type_includes(*type, name)) continue;
        if (matches_type_name(value, name)) return true;
    }
    return false;
}

std::string kind_of(const json::Value &value) { return json::kind_name(value.kind()); }

std::optional<std::string> violation(const json::Value &value, const json::Value &schema, const std::string &path,
                                     size_t depth);

std::optional<std::string> nested_violation(const json::Value &value, const json::Value &schema,
                                            const std::string &path, size_t depth) {
    if (!schema.is_object()) return path + " schema must be an object";
    return violation(value, schema, path, depth + 1);
}

std::optional<std::string> object_violation(const json::Value &value, const json::Value &schema,
                                            const std::string &path, size_t depth) {
    if (!value.is_object()) return path + " expected object, got " + kind_of(value);
    if (const json::Value *required = schema.find("required"); required && required->is_array())
        for (const auto &name : required->as_array())
            if (name.is_string() && !value.find(name.as_string())) return path + "." + name.as_string() + " is required";
    const json::Value *properties = schema.find("properties");
    if (properties && !properties->is_object()) properties = nullptr;
    if (properties) {
        for (const auto &[name, property_schema] : properties->as_object()) {
            if (const json::Value *member = value.find(name))
                if (auto error = nested_violation(*member, property_schema, path + "." + name, depth)) return error;
        }
    }
    const json::Value *additional = schema.find("additionalProperties");
    if (!additional) return std::nullopt;
    for (const auto &[name, member] : value.as_object()) {
        if (properties && properties->find(name)) continue;
        if (additional->is_bool() && !additional->as_bool()) return path + "." + name + " is not allowed by schema";
        if (additional->is_object())
            if (auto error = violation(member, *additional, path + "." + name, depth + 1)) return error;
    }
    return std::nullopt;
}

std::optional<std::string> array_violation(const json::Value &value, const json::Value &schema,
                                           const std::string &path, size_t depth) {
    if (!value.is_array()) return path + " expected array, got " + kind_of(value);
    const json::Value *items = schema.find("items");
    if (!items) return std::nullopt;
    const auto &elements = value.as_array();
    for (size_t i = 0; i < elements.size(); ++i)
        if (auto error = nested_violation(elements[i], *items, path + "[" + std::to_string(i) + "]", depth)) return error;
    return std::nullopt;
}

std::optional<std::string> violation(const json::Value &value, const json::Value &schema, const std::string &path,
                                     size_t depth) {
    if (depth > kMaxSchemaDepth) return path + " schema is nested too deeply";
    if (const json::Value *values = schema.find("enum"); values && values->is_array()) {
        bool found = false;
        for (const auto &allowed : values->as_array()) found = found || allowed == value;
        if (!found) return path + " is not one of the allowed enum values";
    }
    const json::Value *type = schema.find("type");
    if (type && !matches_type(value, *type))
        return path + " expected type " + type_description(*type) + ", got " + kind_of(value);

    const bool implies_object = (type && type_includes(*type, "object")) || schema.find("properties") ||
                                schema.find("required") || schema.find("additionalProperties");
    if (implies_object && !accepted_as_other_type(value, type, "object"))
        if (auto error = object_violation(value, schema, path, depth)) return error;

    const bool implies_array = (type && type_includes(*type, "array")) || schema.find("items");
    if (implies_array && !accepted_as_other_type(value, type, "array"))
        if (auto error = array_violation(value, schema, path, depth)) return error;
    return std::nullopt;
}

}  // namespace

std::optional<std::string> schema_shape_error(const json::Value &schema) {
    if (!schema.is_object()) return std::string("schema must be an object");
    return shape_error(schema, "schema", 0);
}

std::optional<std::string> schema_violation(const json::Value &value, const json::Value &schema,
                                            std::string_view path) {
    if (!schema.is_object()) return std::string(path) + " schema must be an object";
    return violation(value, schema, std::string(path), 0);
}

}  // namespace vep::host::tools
