// See loader.hpp (render_effective_config): the effective Config as TOML text, walking the key
// table (key_table.hpp), so tables and keys come in config/default.toml order; the API key is
// redacted.
#include <algorithm>
#include <type_traits>
#include <variant>

#include <vep/json.hpp>

#include "config/key_table.hpp"
#include "config/loader.hpp"
#include "config/toml_text.hpp"

namespace vep::host {
namespace {

// A JSON value (from a plugin_config table) as a TOML value; objects become inline tables.
std::string toml_value(const json::Value &value) {
    switch (value.kind()) {
    case json::Kind::Bool: return value.as_bool() ? "true" : "false";
    case json::Kind::Number: return value.as_number().text;
    case json::Kind::String: return toml_string_literal(value.as_string());
    case json::Kind::Array: {
        std::string out = "[";
        for (const auto &element : value.as_array()) out += (out.size() > 1 ? ", " : "") + toml_value(element);
        return out + "]";
    }
    case json::Kind::Object: {
        std::string out = "{";
        for (const auto &[key, member] : value.as_object())
            out += (out.size() > 1 ? ", " : " ") + toml_key(key) + " = " + toml_value(member);
        return out + (out.size() > 1 ? " }" : "}");
    }
    case json::Kind::Null: break;
    }
    return "\"\"";
}

// Accumulates "key = value" lines under table headers.
class TomlWriter {
  public:
    void table(std::string_view header) {
        if (!out_.empty()) out_ += '\n';
        out_ += '[';
        out_ += header;
        out_ += "]\n";
    }
    void raw(std::string_view key, const std::string &value) { out_ += toml_key(key) + " = " + value + "\n"; }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
};

std::string string_list(const std::vector<std::string> &values) {
    std::string list = "[";
    for (const std::string &value : values) list += (list.size() > 1 ? ", " : "") + toml_string_literal(value);
    return list + "]";
}

std::string tool_format_list(const std::vector<ToolFormatRule> &rules) {
    std::string list = "[";
    for (const ToolFormatRule &rule : rules)
        list += std::string(list.size() > 1 ? ", " : "") + "{ match = " + toml_string_literal(rule.match) +
                ", format = " + toml_string_literal(rule.format) + " }";
    return list + "]";
}

// Writes one key of `c` by its kind.
void render_key(const Key &key, const Config &c, TomlWriter &w) {
    const std::string_view name = key.name();
    std::visit(
        [&](const auto &kind) {
            using Kind = std::decay_t<decltype(kind)>;
            const auto value = kind.access.get(c);
            if constexpr (std::is_same_v<Kind, StringValue>) {
                w.raw(name, toml_string_literal(value));
            } else if constexpr (std::is_same_v<Kind, SecretValue>) {
                w.raw(name, toml_string_literal(value.blank() ? "" : Secret::redacted()));
            } else if constexpr (std::is_same_v<Kind, BoolValue>) {
                w.raw(name, value ? "true" : "false");
            } else if constexpr (std::is_same_v<Kind, UnsignedValue>) {
                w.raw(name, std::to_string(value));
            } else if constexpr (std::is_same_v<Kind, DurationValue>) {
                w.raw(name, toml_string_literal(format_duration(value)));
            } else if constexpr (std::is_same_v<Kind, EnumValue>) {
                w.raw(name, toml_string_literal(kind.names[value]));
            } else if constexpr (std::is_same_v<Kind, StringListValue>) {
                w.raw(name, string_list(value));
            } else if constexpr (std::is_same_v<Kind, ToolFormatsValue>) {
                w.raw(name, tool_format_list(value));
            } else {
                static_assert(std::is_same_v<Kind, PluginTablesValue>);
                for (const auto &[plugin, text] : value) {
                    w.table(key.path + "." + toml_key(plugin));
                    const json::Value settings = json::parse(text);
                    for (const auto &[setting, member] : settings.as_object()) w.raw(setting, toml_value(member));
                }
            }
        },
        key.value);
}

}  // namespace

std::string render_effective_config(const Config &c) {
    // Tables in the order their first key appears; the top level ("") holds only plugin tables.
    std::vector<std::string_view> tables;
    for (const Key &key : config_keys())
        if (std::find(tables.begin(), tables.end(), key.table()) == tables.end()) tables.push_back(key.table());
    TomlWriter w;
    for (const std::string_view table : tables) {
        if (!table.empty()) w.table(table);
        for (const Key &key : config_keys())
            if (key.table() == table) render_key(key, c, w);
    }
    return w.take();
}

}  // namespace vep::host
