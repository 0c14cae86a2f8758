// The simulator's model catalogue: a fixed set of Venice-like models (E2EE text models of the three
// tool-call families, a plain text model, an image model) and their /models JSON. Read by the
// models, attestation and chat handlers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vep/json.hpp"

namespace vep::sim {

// Which prompt-emulated tool-call syntax a model family writes.
enum class ToolFormat { Hermes, Qwen, Glm };

struct ModelInfo {
    std::string id;
    std::string type;  // "text" or "image"
    std::string name;
    bool e2ee = false;
    bool tee = false;
    bool function_calling = false;
    bool reasoning = false;
    bool reasoning_effort = false;
    bool vision = false;
    int context_tokens = 0;
    ToolFormat tool_format = ToolFormat::Hermes;
};

class ModelCatalog {
  public:
    ModelCatalog();
    const std::vector<ModelInfo> &models() const { return models_; }
    // nullptr when unknown.
    const ModelInfo *find(std::string_view id) const;
    // GET /models body; `type` filters like Venice ("text" when empty, "image", "all").
    json::Value models_json(std::string_view type) const;

  private:
    std::vector<ModelInfo> models_;
};

// Lowercase id contains "glm" -> GLM, else "qwen" -> Qwen, else Hermes (the proxy's rule).
ToolFormat tool_format_for(std::string_view model_id);
const char *tool_format_name(ToolFormat format);

}  // namespace vep::sim
