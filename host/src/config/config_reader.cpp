// See config_reader.hpp.
#include "config/config_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include <vep/json.hpp>

#include "config/config_error.hpp"
#include "config/duration.hpp"
#include "config/key_table.hpp"
#include "config/toml_text.hpp"
#include "config/wipe.hpp"

namespace vep::host {
namespace {

const char *type_name(const toml::node &node) {
    switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

std::string child_path(const std::string &parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

const toml::source_region &region_of(const toml::key &key, const toml::node &node) {
    return node.source().path ? node.source() : key.source();
}

// The names a table at `path` may hold: the next segment of every key below it, in table order.
std::vector<std::string> members_of(const std::string &path) {
    const std::string prefix = path.empty() ? "" : path + ".";
    std::vector<std::string> members;
    for (const Key &key : config_keys()) {
        if (!key.path.starts_with(prefix)) continue;
        const std::string rest = key.path.substr(prefix.size());
        std::string member = rest.substr(0, rest.find('.'));
        if (std::find(members.begin(), members.end(), member) == members.end()) members.push_back(std::move(member));
    }
    return members;
}

const Key *key_at(const std::string &path) {
    for (const Key &key : config_keys())
        if (key.path == path) return &key;
    return nullptr;
}

std::string joined(const std::vector<std::string> &names) {
    std::string out;
    for (const std::string &name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

// One reading of a TOML tree into a Config.
class ConfigReader {
  public:
    ConfigReader(Config &config, const OverrideTexts &texts, LoadProblems &problems)
        : config_(config), texts_(texts), problems_(problems) {}

    // Reads the table at `path` (a section, a nested table, or the document at "").
    void read_table(toml::node &node, const std::string &path) {
        toml::table *table = node.as_table();
        if (table == nullptr) {
            type_error(node, path, "a table");
            return;
        }
        const std::vector<std::string> members = members_of(path);
        for (auto &&[key, value] : *table) {
            if (std::find(members.begin(), members.end(), key.str()) == members.end()) {
                unknown_key(key, value, path, joined(members));
                continue;
            }
            const std::string full = child_path(path, key.str());
            record(full, region_of(key, value));
            if (const Key *leaf = key_at(full))
                read_value(*leaf, value, full);
            else
                read_table(value, full);
        }
    }

  private:
    void record(const std::string &path, const toml::source_region &where) {
        config_.sources[path] = SourceLocation{location_text(where, config_.path)};
    }

    void type_error(const toml::node &node, const std::string &path, const std::string &expected) {
        std::string message = path + ": expected " + expected + ", got " + type_name(node);
        if (from_env(node.source()) && expected.find("array") != std::string::npos)
            message += " (an override of an array is a TOML array such as [\"a\", \"b\"])";
        problems_.add(node.source(), message);
    }

    void unknown_key(const toml::key &key, const toml::node &value, const std::string &path, const std::string &known) {
        problems_.add(key.source().path ? key.source() : value.source(),
                      (path.empty() ? "" : path + ": ") + "unknown key " + toml_key(key.str()) +
                          " (expected one of: " + known + ")");
    }

    void read_value(const Key &key, toml::node &node, const std::string &path) {
        std::visit(
            [&](const auto &kind) {
                using Kind = std::decay_t<decltype(kind)>;
                if constexpr (std::is_same_v<Kind, SecretValue>) {
                    read_secret(kind, node, path);
                } else if (auto value = read(kind, node, path)) {
                    kind.access.set(config_, std::move(*value));
                }
            },
            key.value);
    }

    std::optional<std::string> read(const StringValue &, toml::node &node, const std::string &path) {
        return read_string(node, path);
    }

    std::optional<std::string> read_string(toml::node &node, const std::string &path) {
        if (const auto *text = node.as_string()) return text->get();
        if (const std::string *raw = texts_.find(node)) return *raw;
        type_error(node, path, "a string");
        return std::nullopt;
    }

    void read_secret(const SecretValue &kind, toml::node &node, const std::string &path) {
        std::optional<std::string> value = read_string(node, path);
        if (value) {
            kind.access.set(config_, Secret(*value));
            wipe_string(*value);
        }
        if (auto *text = node.as_string()) wipe_string(text->get());
    }

    std::optional<bool> read(const BoolValue &, toml::node &node, const std::string &path) {
        if (const auto *flag = node.as_boolean()) return flag->get();
        type_error(node, path, "a boolean");
        return std::nullopt;
    }

    std::optional<uint64_t> read(const UnsignedValue &kind, toml::node &node, const std::string &path) {
        const std::string expected = "an integer in 0.." + std::to_string(kind.max);
        const auto *number = node.as_integer();
        if (number == nullptr) {
            type_error(node, path, expected);
            return std::nullopt;
        }
        const int64_t value = number->get();
        if (value < 0 || static_cast<uint64_t>(value) > kind.max) {
            problems_.add(node.source(), path + ": expected " + expected + ", got " + std::to_string(value));
            return std::nullopt;
        }
        return static_cast<uint64_t>(value);
    }

    std::optional<Duration> read(const DurationValue &, toml::node &node, const std::string &path) {
        const auto *text = node.as_string();
        if (text == nullptr) {
            std::string message = path + ": expected a duration string such as \"30s\", got " + type_name(node);
            if (node.is_integer()) message += " (a bare number has no unit)";
            problems_.add(node.source(), message);
            return std::nullopt;
        }
        try {
            return parse_duration(text->get());
        } catch (const ConfigError &e) {
            problems_.add(node.source(), path + ": " + e.what());
            return std::nullopt;
        }
    }

    std::optional<size_t> read(const EnumValue &kind, toml::node &node, const std::string &path) {
        std::string names;
        for (const std::string &name : kind.names) names += (names.empty() ? "\"" : ", \"") + name + "\"";
        const auto *text = node.as_string();
        if (text == nullptr) {
            type_error(node, path, "one of " + names);
            return std::nullopt;
        }
        const auto found = std::find(kind.names.begin(), kind.names.end(), text->get());
        if (found != kind.names.end()) return static_cast<size_t>(found - kind.names.begin());
        problems_.add(node.source(), path + ": expected one of " + names + ", got " + toml_string_literal(text->get()));
        return std::nullopt;
    }

    std::optional<std::vector<std::string>> read(const StringListValue &, toml::node &node, const std::string &path) {
        auto *array = node.as_array();
        if (array == nullptr) {
            type_error(node, path, "an array of strings");
            return std::nullopt;
        }
        std::vector<std::string> values;
        for (size_t i = 0; i < array->size(); ++i) {
            toml::node &element = *array->get(i);
            const std::string element_path = path + "[" + std::to_string(i) + "]";
            record(element_path, element.source());
            if (const auto *text = element.as_string())
                values.push_back(text->get());
            else
                type_error(element, element_path, "a string");
        }
        return values;
    }

    std::optional<std::vector<ToolFormatRule>> read(const ToolFormatsValue &, toml::node &node,
                                                    const std::string &path) {
        auto *array = node.as_array();
        if (array == nullptr) {
            type_error(node, path, "an array of tables {match, format}");
            return std::nullopt;
        }
        std::vector<ToolFormatRule> rules;
        for (size_t i = 0; i < array->size(); ++i) {
            toml::node &element = *array->get(i);
            const std::string element_path = path + "[" + std::to_string(i) + "]";
            record(element_path, element.source());
            rules.push_back(read_tool_format(element, element_path));
        }
        return rules;
    }

    ToolFormatRule read_tool_format(toml::node &node, const std::string &path) {
        ToolFormatRule rule;
        toml::table *table = node.as_table();
        if (table == nullptr) {
            type_error(node, path, "a table");
            return rule;
        }
        for (auto &&[key, value] : *table) {
            std::string *field = key.str() == "match" ? &rule.match : key.str() == "format" ? &rule.format : nullptr;
            if (field == nullptr) {
                unknown_key(key, value, path, "match, format");
                continue;
            }
            const std::string full = child_path(path, key.str());
            record(full, region_of(key, value));
            if (auto text = read_string(value, full)) *field = std::move(*text);
        }
        for (const char *required : {"match", "format"})
            if (!table->contains(required))
                problems_.add(node.source(), path + ": missing key \"" + required + "\"");
        return rule;
    }

    std::optional<std::map<std::string, std::string>> read(const PluginTablesValue &, toml::node &node,
                                                           const std::string &path) {
        auto *table = node.as_table();
        if (table == nullptr) {
            type_error(node, path, "a table of plugin tables");
            return std::nullopt;
        }
        std::map<std::string, std::string> plugins;
        for (auto &&[key, value] : *table) {
            const std::string plugin_path = path + "." + std::string(key.str());
            record(plugin_path, region_of(key, value));
            if (const Key *leaf = key_at(plugin_path)) {  // a key of its own beside the tables
                read_value(*leaf, value, plugin_path);
                continue;
            }
            if (!value.is_table()) {
                type_error(value, plugin_path, "a table");
                continue;
            }
            plugins[std::string(key.str())] = json::dump(to_json(value, plugin_path));
        }
        return plugins;
    }

    std::optional<std::map<std::string, std::string>> read(const StringMapValue &, toml::node &node,
                                                           const std::string &path) {
        auto *table = node.as_table();
        if (table == nullptr) {
            type_error(node, path, "a table of strings");
            return std::nullopt;
        }
        std::map<std::string, std::string> values;
        for (auto &&[key, value] : *table) {
            const std::string entry_path = path + "." + std::string(key.str());
            record(entry_path, region_of(key, value));
            if (auto text = read_string(value, entry_path)) values[std::string(key.str())] = std::move(*text);
        }
        return values;
    }

    // A TOML value of a plugin table as JSON; records the location of every nested key and array
    // element.
    json::Value to_json(toml::node &node, const std::string &path) {
        if (auto *table = node.as_table()) {
            std::vector<std::pair<const toml::key *, toml::node *>> members;
            for (auto &&[key, value] : *table) members.emplace_back(&key, &value);
            // File order first, then keys set by environment variables.
            std::stable_sort(members.begin(), members.end(), [](const auto &a, const auto &b) {
                const toml::source_region &x = a.first->source();
                const toml::source_region &y = b.first->source();
                return std::make_tuple(from_env(x), x.begin.line, x.begin.column) <
                       std::make_tuple(from_env(y), y.begin.line, y.begin.column);
            });
            json::Value object = json::Value::object();
            for (const auto &[key, value] : members) {
                const std::string member_path = path + "." + std::string(key->str());
                record(member_path, region_of(*key, *value));
                object.set(key->str(), to_json(*value, member_path));
            }
            return object;
        }
        if (auto *array = node.as_array()) {
            json::Value list = json::Value::array();
            for (size_t i = 0; i < array->size(); ++i) {
                const std::string element_path = path + "[" + std::to_string(i) + "]";
                record(element_path, array->get(i)->source());
                list.push_back(to_json(*array->get(i), element_path));
            }
            return list;
        }
        if (const auto *text = node.as_string()) return json::Value(text->get());
        if (const auto *number = node.as_integer()) return json::Value::number(std::to_string(number->get()));
        if (const auto *flag = node.as_boolean()) return json::Value(flag->get());
        if (const auto *real = node.as_floating_point()) {
            const double value = real->get();
            if (!std::isfinite(value)) {
                problems_.add(node.source(),
                              path + ": inf and nan cannot be passed to a plugin (JSON has no such number)");
                return json::Value();
            }
            char buffer[64];
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
            std::string text(buffer, result.ptr);
            if (text.find_first_of(".eE") == std::string::npos) text += ".0";
            return json::Value::number(text);
        }
        std::ostringstream printed;
        if (const auto *date = node.as_date()) printed << *date;
        if (const auto *time = node.as_time()) printed << *time;
        if (const auto *date_time = node.as_date_time()) printed << *date_time;
        return json::Value(printed.str());
    }

    Config &config_;
    const OverrideTexts &texts_;
    LoadProblems &problems_;
};

}  // namespace

void read_config(toml::table &root, const OverrideTexts &texts, LoadProblems &problems, Config &config) {
    ConfigReader(config, texts, problems).read_table(root, "");
}

}  // namespace vep::host
