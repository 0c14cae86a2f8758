// The tools a parse call may produce, read from the `tools_json` the host passes to parse().
//
// Owns: name lookup and the parameters schema of each tool. Built per parse() call by the GLM
// parser (to type argument values by schema) and by the Hermes fallback (to judge whether a
// fallback result is usable). Accepts the OpenAI shape the host sends
// ([{"type":"function","function":{"name":...,"parameters":{...}}}]); entries without a string
// name are skipped.
#pragma once

#include <string_view>
#include <vector>

#include "vep/json.hpp"

namespace vep::tools {

class ToolCatalog {
  public:
    explicit ToolCatalog(const json::Value &tools);

    bool empty() const { return tools_.empty(); }
    bool contains(std::string_view name) const { return find(name) != nullptr; }
    // The tool's `parameters` schema object; nullptr when the tool is unknown or has none.
    const json::Value *parameters(std::string_view name) const;

  private:
    struct Tool {
        std::string_view name;
        const json::Value *parameters;
    };
    const Tool *find(std::string_view name) const;
    std::vector<Tool> tools_;  // views into the json::Value given to the constructor
};

}  // namespace vep::tools
