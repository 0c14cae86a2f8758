#include "tool_call_text.hpp"

#include <utility>

namespace vep::sim {
namespace {

constexpr const char *kWrongToolName = "no_such_tool";

json::Value sample_for(const json::Value &schema) {
    if (const json::Value *e = schema.find("enum"); e && e->is_array() && !e->as_array().empty())
        return e->as_array().front();
    std::string type;
    if (const json::Value *t = schema.find("type")) {
        if (t->is_string()) type = t->as_string();
        else if (t->is_array() && !t->as_array().empty() && t->as_array().front().is_string())
            type = t->as_array().front().as_string();
    }
    if (type == "integer") return json::Value(1);
    if (type == "number") return json::Value::number("1.5");
    if (type == "boolean") return json::Value(true);
    if (type == "array") return json::Value::array();
    if (type == "object") return json::Value::object();
    if (type == "null") return json::Value(nullptr);
    return json::Value("example");
}

// A value of a different JSON type than the schema asks for.
json::Value wrong_type_for(const json::Value &schema) {
    const json::Value sample = sample_for(schema);
    if (sample.is_string()) return json::Value(12345);
    return json::Value("not-a-valid-value");
}

std::vector<std::string> property_names(const json::Value &schema, bool required_only) {
    std::vector<std::string> names;
    if (required_only) {
        if (const json::Value *req = schema.find("required"); req && req->is_array())
            for (const auto &r : req->as_array())
                if (r.is_string()) names.push_back(r.as_string());
        return names;
    }
    if (const json::Value *props = schema.find("properties"); props && props->is_object())
        for (const auto &m : props->as_object()) names.push_back(m.first);
    return names;
}

json::Value property_schema(const json::Value &schema, const std::string &name) {
    if (const json::Value *props = schema.find("properties"))
        if (const json::Value *p = props->find(name); p && p->is_object()) return *p;
    return json::Value::object();
}

// Arguments that break the schema: required properties are left out and the others get values of
// the wrong type; a schema without properties gets a non-object.
json::Value invalid_arguments(const json::Value &schema) {
    const std::vector<std::string> required = property_names(schema, true);
    const std::vector<std::string> all = property_names(schema, false);
    if (required.empty() && all.empty()) return json::Value("not-an-object");
    json::Value args = json::Value::object();
    for (const auto &name : all) {
        bool is_required = false;
        for (const auto &r : required) is_required = is_required || r == name;
        if (!is_required) args.set(name, wrong_type_for(property_schema(schema, name)));
    }
    if (args.as_object().empty() && required.empty()) args.set(all.front(), wrong_type_for(property_schema(schema, all.front())));
    return args;
}

void pretty(std::string &out, const json::Value &v, int indent) {
    const std::string pad(static_cast<size_t>(indent) * 2, ' ');
    const std::string inner(static_cast<size_t>(indent + 1) * 2, ' ');
    if (v.is_object() && !v.as_object().empty()) {
        out += "{\n";
        bool first = true;
        for (const auto &m : v.as_object()) {
            if (!first) out += ",\n";
            first = false;
            out += inner;
            json::write_string(out, m.first);
            out += ": ";
            pretty(out, m.second, indent + 1);
        }
        out += "\n" + pad + "}";
    } else if (v.is_array() && !v.as_array().empty()) {
        out += "[\n";
        bool first = true;
        for (const auto &e : v.as_array()) {
            if (!first) out += ",\n";
            first = false;
            out += inner;
            pretty(out, e, indent + 1);
        }
        out += "\n" + pad + "]";
    } else {
        json::write(out, v);
    }
}

struct Call {
    std::string name;
    json::Value args;
};

std::string json_call(const Call &call, ToolVariant variant) {
    if (variant == ToolVariant::Pretty) {
        json::Value obj = json::Value::object();
        obj.set("name", call.name);
        obj.set("arguments", call.args);
        std::string out;
        pretty(out, obj, 0);
        return out;
    }
    std::string out = "{\"name\": ";
    json::write_string(out, call.name);
    out += ", \"arguments\": ";
    json::write(out, call.args);
    out += "}";
    return out;
}

std::string glm_value(const json::Value &v) { return v.is_string() ? v.as_string() : json::dump(v); }

std::string glm_call(const Call &call, ToolVariant variant, bool close) {
    const bool spaced = variant == ToolVariant::Pretty;
    std::string out = spaced ? "<tool_call>\n  " + call.name + "\n" : "<tool_call>" + call.name + "\n";
    if (call.args.is_object()) {
        for (const auto &m : call.args.as_object()) {
            out += spaced ? "  <arg_key>" : "<arg_key>";
            out += m.first + "</arg_key>\n";
            out += spaced ? "  <arg_value>" : "<arg_value>";
            out += glm_value(m.second) + "</arg_value>\n";
        }
    } else {
        out += "<arg_key>arguments</arg_key>\n<arg_value>" + glm_value(call.args) + "</arg_value>\n";
    }
    if (close) out += "</tool_call>";
    return out;
}

std::string block(ToolFormat format, const Call &call, ToolVariant variant, bool close) {
    if (format == ToolFormat::Glm) return glm_call(call, variant, close);
    std::string out = "<tool_call>\n" + json_call(call, variant) + "\n";
    if (close) out += "</tool_call>";
    return out;
}

// Hermes/Qwen: function-call syntax without its closing parenthesis inside the markers; GLM: an
// <arg_value> that is never closed. Neither can be read without guessing where the call ends, so
// no repair rule of the proxy reads them.
std::string malformed_block(ToolFormat format, const Call &call) {
    if (format == ToolFormat::Glm) {
        const bool has_arg = call.args.is_object() && !call.args.as_object().empty();
        const std::string key = has_arg ? call.args.as_object().front().first : std::string("arguments");
        const std::string value = has_arg ? glm_value(call.args.as_object().front().second) : std::string("{}");
        return "<tool_call>" + call.name + "\n<arg_key>" + key + "</arg_key>\n<arg_value>" + value + "\n</tool_call>";
    }
    return "<tool_call>\n" + call.name + "(" + json::dump(call.args) + "\n</tool_call>";
}

Call primary_call(const ToolCallRequest &r, size_t index) {
    Call call;
    const AnnouncedTool *tool = index < r.tools.size() ? &r.tools[index] : (r.tools.empty() ? nullptr : &r.tools[0]);
    if (!r.tool_override.empty()) call.name = r.tool_override;
    else if (tool) call.name = tool->name;
    else call.name = kFallbackToolName;
    const json::Value schema = tool ? tool->parameters : json::Value::object();
    if (r.args_override) call.args = *r.args_override;
    else call.args = sample_arguments(schema);
    if (r.variant == ToolVariant::InvalidArgs) call.args = invalid_arguments(schema);
    if (r.variant == ToolVariant::WrongName) call.name = kWrongToolName;
    return call;
}

}  // namespace

std::vector<AnnouncedTool> announced_tools(std::string_view system_text) {
    static constexpr std::string_view kMarker = "Available tools:";
    std::vector<AnnouncedTool> tools;
    const size_t at = system_text.find(kMarker);
    if (at == std::string_view::npos) return tools;
    json::Value list;
    try {
        size_t end = 0;
        list = json::parse_prefix(system_text.substr(at + kMarker.size()), end);
    } catch (const json::ParseError &) {
        return tools;
    }
    if (!list.is_array()) return tools;
    for (const auto &entry : list.as_array()) {
        const json::Value *fn = entry.find("function");
        const json::Value *name = fn ? fn->find("name") : nullptr;
        if (!name || !name->is_string()) continue;
        AnnouncedTool t;
        t.name = name->as_string();
        if (const json::Value *params = fn->find("parameters"); params && params->is_object()) t.parameters = *params;
        tools.push_back(std::move(t));
    }
    return tools;
}

json::Value sample_arguments(const json::Value &schema) {
    json::Value args = json::Value::object();
    std::vector<std::string> names = property_names(schema, true);
    if (names.empty()) {
        const std::vector<std::string> all = property_names(schema, false);
        if (!all.empty()) names.push_back(all.front());
    }
    for (const auto &name : names) args.set(name, sample_for(property_schema(schema, name)));
    return args;
}

std::string tool_call_text(const ToolCallRequest &r) {
    const Call first = primary_call(r, 0);
    switch (r.variant) {
    case ToolVariant::Malformed:
    case ToolVariant::AlwaysMalformed:
    case ToolVariant::FailThenSucceed:
        return malformed_block(r.format, first);
    case ToolVariant::MissingClose:
        return block(r.format, first, r.variant, false);
    case ToolVariant::Multiple:
        return block(r.format, first, r.variant, true) + "\n" + block(r.format, primary_call(r, 1), r.variant, true);
    case ToolVariant::TextBefore:
        return std::string(kTextBeforeCall) + block(r.format, first, r.variant, true);
    case ToolVariant::WellFormed:
    case ToolVariant::Pretty:
    case ToolVariant::WrongName:
    case ToolVariant::InvalidArgs:
        return block(r.format, first, r.variant, true);
    }
    return block(r.format, first, r.variant, true);
}

}  // namespace vep::sim
