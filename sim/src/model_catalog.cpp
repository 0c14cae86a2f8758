#include "model_catalog.hpp"

#include <algorithm>
#include <cctype>

namespace vep::sim {
namespace {

constexpr int kCreated = 1727966436;

ModelInfo e2ee_model(std::string id, std::string name, bool tools, bool reasoning, int ctx) {
    ModelInfo m;
    m.tool_format = tool_format_for(id);
    m.id = std::move(id);
    m.type = "text";
    m.name = std::move(name);
    m.e2ee = true;
    m.tee = true;
    m.function_calling = tools;
    m.reasoning = reasoning;
    m.context_tokens = ctx;
    return m;
}

json::Value text_capabilities(const ModelInfo &m) {
    json::Value caps = json::Value::object();
    caps.set("optimizedForCode", false);
    caps.set("quantization", "fp8");
    caps.set("supportsAudioInput", false);
    caps.set("supportsE2EE", m.e2ee);
    caps.set("supportsFunctionCalling", m.function_calling);
    caps.set("supportsLogProbs", false);
    caps.set("supportsMultipleImages", false);
    caps.set("supportsReasoning", m.reasoning);
    caps.set("supportsReasoningEffort", m.reasoning_effort);
    caps.set("supportsResponseSchema", false);
    caps.set("supportsTeeAttestation", m.tee);
    caps.set("supportsVideoInput", false);
    caps.set("supportsVision", m.vision);
    caps.set("supportsWebSearch", false);
    caps.set("supportsXSearch", false);
    return caps;
}

json::Value model_json(const ModelInfo &m) {
    json::Value spec = json::Value::object();
    spec.set("name", m.name);
    spec.set("privacy", m.e2ee ? "private" : "anonymized");
    if (m.type == "text") {
        spec.set("availableContextTokens", m.context_tokens);
        spec.set("capabilities", text_capabilities(m));
    } else {
        json::Value constraints = json::Value::object();
        constraints.set("widthHeightDivisor", 16);
        spec.set("constraints", std::move(constraints));
    }
    spec.set("traits", json::Value::array());
    json::Value v = json::Value::object();
    v.set("id", m.id);
    v.set("type", m.type);
    v.set("object", "model");
    v.set("created", kCreated);
    v.set("owned_by", "venice.ai");
    v.set("model_spec", std::move(spec));
    return v;
}

}  // namespace

ToolFormat tool_format_for(std::string_view model_id) {
    std::string lower(model_id);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.find("glm") != std::string::npos) return ToolFormat::Glm;
    if (lower.find("qwen") != std::string::npos) return ToolFormat::Qwen;
    return ToolFormat::Hermes;
}

const char *tool_format_name(ToolFormat format) {
    switch (format) {
    case ToolFormat::Hermes: return "hermes";
    case ToolFormat::Qwen: return "qwen";
    case ToolFormat::Glm: return "glm";
    }
    return "hermes";
}

ModelCatalog::ModelCatalog() {
    models_.push_back(e2ee_model("e2ee-hermes-3-llama-3.1-405b-p", "Hermes 3 Llama 3.1 405B (E2EE)", true, false, 128000));
    ModelInfo qwen = e2ee_model("e2ee-qwen3-235b-a22b-p", "Qwen3 235B A22B (E2EE)", true, true, 131072);
    qwen.reasoning_effort = true;
    models_.push_back(std::move(qwen));
    models_.push_back(e2ee_model("e2ee-glm-4-7-flash-p", "GLM 4.7 Flash (E2EE)", true, true, 200000));
    models_.push_back(e2ee_model("e2ee-gemma-3-27b-p", "Gemma 3 27B (E2EE)", false, false, 40000));

    ModelInfo plain;
    plain.id = "venice-uncensored";
    plain.type = "text";
    plain.name = "Venice Uncensored";
    plain.context_tokens = 32768;
    models_.push_back(std::move(plain));

    ModelInfo image;
    image.id = "venice-sd35";
    image.type = "image";
    image.name = "Venice SD35";
    models_.push_back(std::move(image));
}

const ModelInfo *ModelCatalog::find(std::string_view id) const {
    for (const auto &m : models_)
        if (m.id == id) return &m;
    return nullptr;
}

json::Value ModelCatalog::models_json(std::string_view type) const {
    const std::string_view wanted = type.empty() ? std::string_view("text") : type;
    json::Value data = json::Value::array();
    for (const auto &m : models_)
        if (wanted == "all" || wanted == m.type) data.push_back(model_json(m));
    json::Value body = json::Value::object();
    body.set("data", std::move(data));
    body.set("object", "list");
    body.set("type", std::string(wanted));
    return body;
}

}  // namespace vep::sim
