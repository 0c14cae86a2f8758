// The tools a parse call may produce, read from the `tools_json` the host passes to parse().
//
// Owns: name lookup, the parameters schema of each tool and its declared properties. Built per
// parse() call by the format plugins: the GLM parser types argument values by schema, the Hermes
// fallback judges whether a fallback result is usable, and the repair rules resolve tool and
// argument names. Accepts the OpenAI shape the host sends
// ([{"type":"function","function":{"name":...,"parameters":{...}}}]); entries without a string
// name are skipped.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "vep/json.hpp"
#include "vep/sdk.hpp"

namespace vep::tools {

class ToolCatalog {
  public:
    explicit ToolCatalog(const json::Value &tools);

    bool empty() const { return tools_.empty(); }
    bool contains(std::string_view name) const { return find(name) != nullptr; }
    // The tool's `parameters` schema object; nullptr when the tool is unknown or has none.
    const json::Value *parameters(std::string_view name) const;
    // The schema of `tool`'s declared property `key`; nullptr when either is not declared.
    const json::Value *property(std::string_view tool, std::string_view key) const;
    // The catalog's own copy of `name` (valid as long as the catalog's JSON); nullopt when unknown.
    std::optional<std::string_view> declared_name(std::string_view name) const;
    // Every tool name, in the order given.
    std::vector<std::string_view> names() const;

  private:
    struct Tool {
        std::string_view name;
        const json::Value *parameters;
    };
    const Tool *find(std::string_view name) const;
    std::vector<Tool> tools_;  // views into the json::Value given to the constructor
};

// True when every call of `parsed` is usable: its arguments text is a JSON object and, if the
// catalog is not empty, its name is one of the tools.
bool all_calls_usable(const ParsedOutput &parsed, const ToolCatalog &tools);

}  // namespace vep::tools
