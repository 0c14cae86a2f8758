#include "openai/model_list.hpp"

#include <array>
#include <optional>

#include "errors/proxy_error.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

[[noreturn]] void malformed(const std::string &detail) {
    throw ProxyError::of("upstream_malformed_response", "Venice model list response is malformed: " + detail);
}

const json::Value &required(const json::Value &object, std::string_view key, const std::string &path) {
    const json::Value *value = object.find(key);
    if (value == nullptr) malformed("missing field " + path + "." + std::string(key));
    return *value;
}

bool required_bool(const json::Value &object, std::string_view key, const std::string &path) {
    const json::Value &value = required(object, key, path);
    if (!value.is_bool()) malformed(path + "." + std::string(key) + " must be a boolean");
    return value.as_bool();
}

const std::string &required_string(const json::Value &object, std::string_view key, const std::string &path) {
    const json::Value &value = required(object, key, path);
    if (!value.is_string()) malformed(path + "." + std::string(key) + " must be a string");
    return value.as_string();
}

// Absent or null => nullopt; any other non-boolean is malformed.
std::optional<bool> optional_bool(const json::Value &object, std::string_view key, const std::string &path) {
    const json::Value *value = object.find(key);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_bool()) malformed(path + "." + std::string(key) + " must be a boolean or null");
    return value->as_bool();
}

struct Capabilities {
    bool e2ee = false, tee = false;
    bool function_calling = false, builtin_tools = false, web_search = false, code_interpreter = false;
    bool vision = false, reasoning = false, reasoning_effort = false;
};

struct ModelEntry {
    const std::string *id = nullptr;
    const std::string *type = nullptr;
    int64_t created = 0;
    std::string owned_by = "venice.ai";
    Capabilities caps;
};

ModelEntry read_entry(const json::Value &entry, const std::string &path) {
    if (!entry.is_object()) malformed(path + " must be an object");
    ModelEntry out;
    out.id = &required_string(entry, "id", path);
    out.type = &required_string(entry, "type", path);
    if (const json::Value *created = entry.find("created"); created && !created->is_null()) {
        if (!created->get_i64(out.created)) malformed(path + ".created must be an integer");
    }
    if (const json::Value *owner = entry.find("owned_by"); owner && !owner->is_null()) {
        if (!owner->is_string()) malformed(path + ".owned_by must be a string");
        out.owned_by = owner->as_string();
    }
    const json::Value &spec = required(entry, "model_spec", path);
    if (!spec.is_object()) malformed(path + ".model_spec must be an object");
    const std::string caps_path = path + ".model_spec.capabilities";
    const json::Value &caps = required(spec, "capabilities", path + ".model_spec");
    if (!caps.is_object()) malformed(caps_path + " must be an object");
    Capabilities &c = out.caps;
    c.e2ee = required_bool(caps, "supportsE2EE", caps_path);
    c.tee = required_bool(caps, "supportsTeeAttestation", caps_path);
    c.function_calling = optional_bool(caps, "supportsFunctionCalling", caps_path).value_or(false);
    c.web_search = optional_bool(caps, "supportsWebSearch", caps_path).value_or(false);
    c.code_interpreter = optional_bool(caps, "supportsCodeInterpreter", caps_path).value_or(false);
    c.builtin_tools =
        optional_bool(caps, "supportsBuiltinTools", caps_path).value_or(c.web_search || c.code_interpreter);
    c.vision = optional_bool(caps, "supportsVision", caps_path).value_or(false);
    c.reasoning = optional_bool(caps, "supportsReasoning", caps_path).value_or(false);
    c.reasoning_effort = optional_bool(caps, "supportsReasoningEffort", caps_path).value_or(false);
    return out;
}

void append_bool(std::string &out, std::string_view key, bool value, bool first = false) {
    if (!first) out += ',';
    out += '"';
    out += key;
    out += "\":";
    out += value ? "true" : "false";
}

void append_model(std::string &out, const ModelEntry &m) {
    out += "{\"id\":";
    json::write_string(out, *m.id);
    out += ",\"object\":\"model\",\"created\":";
    out += std::to_string(m.created);
    out += ",\"owned_by\":";
    json::write_string(out, m.owned_by);
    out += ",\"name\":";
    json::write_string(out, *m.id);
    out += ",\"info\":{\"meta\":{\"capabilities\":{";
    append_bool(out, "function_calling", m.caps.function_calling, true);
    append_bool(out, "builtin_tools", m.caps.builtin_tools);
    append_bool(out, "web_search", m.caps.web_search);
    append_bool(out, "code_interpreter", m.caps.code_interpreter);
    append_bool(out, "vision", m.caps.vision);
    append_bool(out, "reasoning", m.caps.reasoning);
    append_bool(out, "reasoning_effort", m.caps.reasoning_effort);
    out += "}}},\"venice\":{\"id\":";
    json::write_string(out, *m.id);
    append_bool(out, "supportsE2EE", m.caps.e2ee);
    append_bool(out, "supportsTeeAttestation", m.caps.tee);
    append_bool(out, "supportsReasoning", m.caps.reasoning);
    append_bool(out, "supportsReasoningEffort", m.caps.reasoning_effort);
    out += "}}";
}

}  // namespace

std::string map_models_response(std::string_view upstream_body) {
    json::Value document;
    try {
        document = json::parse(upstream_body);
    } catch (const json::ParseError &e) {
        malformed(std::string("not valid JSON: ") + e.what());
    }
    if (!document.is_object()) malformed("expected a JSON object");
    const json::Value &data = required(document, "data", "response");
    if (!data.is_array()) malformed("response.data must be an array");

    std::vector<ModelEntry> entries;
    entries.reserve(data.as_array().size());
    for (size_t i = 0; i < data.as_array().size(); ++i)
        entries.push_back(read_entry(data.as_array()[i], "data[" + std::to_string(i) + "]"));

    std::string out = "{\"object\":\"list\",\"data\":[";
    bool first = true;
    for (const auto &m : entries) {
        if (*m.type != "text" || !m.caps.e2ee || !m.caps.tee) continue;
        if (!first) out += ',';
        first = false;
        append_model(out, m);
    }
    out += "]}";
    return out;
}

std::string add_model_aliases(std::string_view models_body, const std::map<std::string, std::string> &aliases) {
    if (aliases.empty()) return std::string(models_body);
    json::Value list = json::parse(models_body);
    json::Value *data = list.find("data");
    if (!data || !data->is_array()) return std::string(models_body);
    json::Value added = json::Value::array();
    for (const auto &[alias, model] : aliases) {
        for (const auto &entry : data->as_array()) {
            const json::Value *id = entry.find("id");
            if (!id || !id->is_string() || id->as_string() != model) continue;
            json::Value copy = entry;
            copy.set("id", alias);
            copy.set("name", alias);
            added.push_back(std::move(copy));
        }
    }
    for (auto &entry : added.as_array()) data->push_back(std::move(entry));
    return json::dump(list);
}

std::string filter_models(std::string_view models_body, const std::function<bool(std::string_view)> &keep) {
    json::Value list = json::parse(models_body);
    json::Value *data = list.find("data");
    if (!data || !data->is_array()) return std::string(models_body);
    json::Value kept = json::Value::array();
    for (const auto &entry : data->as_array()) {
        const json::Value *id = entry.find("id");
        if (id && id->is_string() && keep(id->as_string())) kept.push_back(entry);
    }
    *data = std::move(kept);
    return json::dump(list);
}

std::string apply_failed_attestations(std::string_view models_body,
                                      const std::function<std::optional<FailedAttestation>(std::string_view)> &failed,
                                      bool leave_out) {
    json::Value list = json::parse(models_body);
    json::Value *data = list.find("data");
    if (!data || !data->is_array()) return std::string(models_body);
    bool changed = false;
    json::Value kept = json::Value::array();
    for (auto &entry : data->as_array()) {
        const json::Value *id = entry.find("id");
        const auto failure = id && id->is_string() ? failed(id->as_string()) : std::nullopt;
        if (failure) {
            changed = true;
            if (leave_out) continue;
            json::Value mark = json::Value::object();
            mark.set("status", "failed");
            mark.set("code", failure->code);
            mark.set("time", failure->time);
            if (failure->last_verified > 0) mark.set("last_verified", failure->last_verified);
            entry.set("attestation", std::move(mark));
        }
        kept.push_back(std::move(entry));
    }
    if (!changed) return std::string(models_body);
    *data = std::move(kept);
    return json::dump(list);
}

}  // namespace vep::host
