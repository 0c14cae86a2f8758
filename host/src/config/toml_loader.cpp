// See loader.hpp. The only translation unit that includes toml++: it parses the file, applies the
// environment overrides to the parsed tree, then reads every key into a Config.
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include <vep/json.hpp>

#include "config/loader.hpp"
#include "config/toml_text.hpp"
#include "config/validation.hpp"
#include "config/wipe.hpp"

namespace vep::host {
namespace {

constexpr std::string_view kEnvOrigin = "env ";
constexpr size_t kMaxReportedProblems = 50;

std::string lower(std::string_view text) {
    std::string out(text);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Replaces every occurrence of a non-trivial secret in `text` by the redaction marker.
std::string scrub(std::string text, const std::string &secret) {
    std::string_view trimmed = secret;
    while (!trimmed.empty() && is_space(trimmed.front())) trimmed.remove_prefix(1);
    while (!trimmed.empty() && is_space(trimmed.back())) trimmed.remove_suffix(1);
    if (trimmed.size() < 4) return text;
    for (size_t at = text.find(trimmed); at != std::string::npos; at = text.find(trimmed, at))
        text.replace(at, trimmed.size(), Secret::redacted());
    return text;
}

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

bool from_env(const toml::source_region &region) {
    return region.path && std::string_view(*region.path).starts_with(kEnvOrigin);
}

// One type error or unknown key, ordered as in the file, then environment variables by name.
struct Problem {
    bool env = false;
    uint32_t line = 0;
    uint32_t column = 0;
    std::string text;
};

// Reads a parsed (and environment-merged) TOML tree into a Config, collecting every problem.
class ConfigReader {
  public:
    ConfigReader(Config &config, std::string source_name) : config_(config), source_name_(std::move(source_name)) {}
    ConfigReader(const ConfigReader &) = delete;
    ConfigReader &operator=(const ConfigReader &) = delete;
    ~ConfigReader() {
        for (auto &entry : env_text_) wipe_string(entry.second);
    }

    // Remembers the raw environment text behind an override node, for string keys (an override
    // "8080" of a string key means the string "8080", not the integer).
    void remember_env_text(const toml::node *node, std::string text) { env_text_[node] = std::move(text); }

    void add_problem(const toml::source_region &where, const std::string &message) {
        Problem problem;
        problem.env = from_env(where) || !where.path;
        problem.line = where.begin.line;
        problem.column = where.begin.column;
        problem.text = location(where) + ": " + message;
        problems_.push_back(std::move(problem));
    }

    // Throws one ConfigError listing every problem, if there is any.
    void throw_problems() {
        if (problems_.empty()) return;
        std::stable_sort(problems_.begin(), problems_.end(), [](const Problem &a, const Problem &b) {
            if (a.env != b.env) return !a.env;
            if (a.env) return a.text < b.text;
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        std::string message;
        for (size_t i = 0; i < problems_.size() && i < kMaxReportedProblems; ++i) {
            if (i > 0) message += '\n';
            message += problems_[i].text;
        }
        if (problems_.size() > kMaxReportedProblems)
            message += "\n(" + std::to_string(problems_.size() - kMaxReportedProblems) + " more problems)";
        throw ConfigError(message);
    }

    void read_root(toml::table &root) {
        read_table(root, "",
                   {
                       {"server", [this](toml::node &n, const std::string &p) { read_server(n, p); }},
                       {"logging", [this](toml::node &n, const std::string &p) { read_logging(n, p); }},
                       {"venice", [this](toml::node &n, const std::string &p) { read_venice(n, p); }},
                       {"keys", [this](toml::node &n, const std::string &p) { read_keys(n, p); }},
                       {"session", [this](toml::node &n, const std::string &p) { read_session(n, p); }},
                       {"attestation", [this](toml::node &n, const std::string &p) { read_attestation(n, p); }},
                       {"e2ee", [this](toml::node &n, const std::string &p) { read_e2ee(n, p); }},
                       {"tools", [this](toml::node &n, const std::string &p) { read_tools(n, p); }},
                       {"plugins", [this](toml::node &n, const std::string &p) { read_plugins(n, p); }},
                       {"chain", [this](toml::node &n, const std::string &p) { read_chain(n, p); }},
                       {"plugin_config", [this](toml::node &n, const std::string &p) { read_plugin_configs(n, p); }},
                   });
    }

  private:
    using Reader = std::function<void(toml::node &, const std::string &)>;
    struct Field {
        std::string_view name;
        Reader read;
    };

    std::string location(const toml::source_region &where) const {
        if (!where.path) return source_name_;
        if (from_env(where)) return *where.path;
        return *where.path + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
    }

    const toml::source_region &region_of(const toml::key &key, const toml::node &node) const {
        return node.source().path ? node.source() : key.source();
    }

    void record(const std::string &path, const toml::source_region &where) {
        config_.sources[path] = SourceLocation{location(where)};
    }

    void type_error(const toml::node &node, const std::string &path, const std::string &expected) {
        std::string message = path + ": expected " + expected + ", got " + type_name(node);
        if (from_env(node.source()) && expected.find("array") != std::string::npos)
            message += " (an override of an array is a TOML array such as [\"a\", \"b\"])";
        add_problem(node.source(), message);
    }

    static std::string child_path(const std::string &parent, std::string_view key) {
        return parent.empty() ? std::string(key) : parent + "." + std::string(key);
    }

    void read_table(toml::node &node, const std::string &path, const std::vector<Field> &fields) {
        toml::table *table = node.as_table();
        if (table == nullptr) {
            type_error(node, path, "a table");
            return;
        }
        for (auto &&[key, value] : *table) {
            const std::string full = child_path(path, key.str());
            const auto field = std::find_if(fields.begin(), fields.end(),
                                            [&key = key](const Field &f) { return f.name == key.str(); });
            if (field == fields.end()) {
                std::string known;
                for (const Field &f : fields) known += (known.empty() ? "" : ", ") + std::string(f.name);
                add_problem(key.source().path ? key.source() : value.source(),
                            (path.empty() ? "" : path + ": ") + "unknown key " + toml_key(key.str()) +
                                " (expected one of: " + known + ")");
                continue;
            }
            record(full, region_of(key, value));
            field->read(value, full);
        }
    }

    void read_string(toml::node &node, const std::string &path, std::string &out) {
        if (const auto *text = node.as_string()) {
            out = text->get();
            return;
        }
        if (const auto raw = env_text_.find(&node); raw != env_text_.end()) {
            out = raw->second;
            return;
        }
        type_error(node, path, "a string");
    }

    Reader string_into(std::string &out) {
        return [this, &out](toml::node &n, const std::string &p) { read_string(n, p, out); };
    }

    Reader secret_into(Secret &out) {
        return [this, &out](toml::node &n, const std::string &p) {
            std::string value;
            read_string(n, p, value);
            out = Secret(value);
            wipe_string(value);
            if (auto *text = n.as_string()) wipe_string(text->get());
        };
    }

    Reader bool_into(bool &out) {
        return [this, &out](toml::node &n, const std::string &p) {
            if (const auto *flag = n.as_boolean())
                out = flag->get();
            else
                type_error(n, p, "a boolean");
        };
    }

    template <typename T>
    Reader unsigned_into(T &out) {
        return [this, &out](toml::node &n, const std::string &p) {
            constexpr uint64_t kMax = std::numeric_limits<T>::max();
            const std::string expected = "an integer in 0.." + std::to_string(kMax);
            const auto *number = n.as_integer();
            if (number == nullptr) {
                type_error(n, p, expected);
                return;
            }
            const int64_t value = number->get();
            if (value < 0 || static_cast<uint64_t>(value) > kMax) {
                add_problem(n.source(), p + ": expected " + expected + ", got " + std::to_string(value));
                return;
            }
            out = static_cast<T>(value);
        };
    }

    Reader duration_into(Duration &out) {
        return [this, &out](toml::node &n, const std::string &p) {
            const auto *text = n.as_string();
            if (text == nullptr) {
                std::string message = p + ": expected a duration string such as \"30s\", got " + type_name(n);
                if (n.is_integer()) message += " (a bare number has no unit)";
                add_problem(n.source(), message);
                return;
            }
            try {
                out = parse_duration(text->get());
            } catch (const ConfigError &e) {
                add_problem(n.source(), p + ": " + e.what());
            }
        };
    }

    template <typename E>
    Reader enum_into(E &out, std::vector<std::pair<std::string_view, E>> choices) {
        return [this, &out, choices = std::move(choices)](toml::node &n, const std::string &p) {
            std::string names;
            for (const auto &choice : choices) names += (names.empty() ? "\"" : ", \"") + std::string(choice.first) + "\"";
            const auto *text = n.as_string();
            if (text == nullptr) {
                type_error(n, p, "one of " + names);
                return;
            }
            for (const auto &[name, value] : choices) {
                if (text->get() == name) {
                    out = value;
                    return;
                }
            }
            add_problem(n.source(), p + ": expected one of " + names + ", got " + toml_string_literal(text->get()));
        };
    }

    Reader string_list_into(std::vector<std::string> &out) {
        return [this, &out](toml::node &n, const std::string &p) {
            auto *array = n.as_array();
            if (array == nullptr) {
                type_error(n, p, "an array of strings");
                return;
            }
            std::vector<std::string> values;
            for (size_t i = 0; i < array->size(); ++i) {
                toml::node &element = *array->get(i);
                const std::string element_path = p + "[" + std::to_string(i) + "]";
                record(element_path, element.source());
                if (const auto *text = element.as_string())
                    values.push_back(text->get());
                else
                    type_error(element, element_path, "a string");
            }
            out = std::move(values);
        };
    }

    void read_server(toml::node &node, const std::string &path) {
        ServerConfig &s = config_.server;
        read_table(node, path,
                   {
                       {"host", string_into(s.host)},
                       {"port", unsigned_into(s.port)},
                       {"max_threads", unsigned_into(s.max_threads)},
                       {"max_queued", unsigned_into(s.max_queued)},
                       {"relay_threads", unsigned_into(s.relay_threads)},
                       {"max_concurrent_streams", unsigned_into(s.max_concurrent_streams)},
                       {"receive_timeout", duration_into(s.receive_timeout)},
                       {"send_timeout", duration_into(s.send_timeout)},
                       {"keep_alive_timeout", duration_into(s.keep_alive_timeout)},
                       {"shutdown_grace", duration_into(s.shutdown_grace)},
                       {"max_body_bytes", unsigned_into(s.max_body_bytes)},
                   });
    }

    void read_logging(toml::node &node, const std::string &path) {
        LoggingConfig &l = config_.logging;
        read_table(node, path, {{"level", string_into(l.level)}, {"audit_log", string_into(l.audit_log)}});
    }

    void read_venice(toml::node &node, const std::string &path) {
        VeniceConfig &v = config_.venice;
        read_table(node, path,
                   {
                       {"base_url", string_into(v.base_url)},
                       {"api_key", secret_into(v.api_key)},
                       {"request_timeout", duration_into(v.request_timeout)},
                       {"ca_file", string_into(v.ca_file)},
                       {"models_cache_ttl", duration_into(v.models_cache_ttl)},
                   });
    }

    void read_keys(toml::node &node, const std::string &path) {
        KeysConfig &k = config_.keys;
        read_table(node, path,
                   {
                       {"generate_proxy_instance_key_on_startup", bool_into(k.generate_proxy_instance_key_on_startup)},
                       {"client_key_scope", enum_into(k.client_key_scope, {{"process", ClientKeyScope::Process},
                                                                           {"session", ClientKeyScope::Session}})},
                   });
    }

    void read_session(toml::node &node, const std::string &path) {
        SessionConfig &s = config_.session;
        read_table(node, path,
                   {
                       {"idle_ttl", duration_into(s.idle_ttl)},
                       {"max_ttl", duration_into(s.max_ttl)},
                       {"max_requests", unsigned_into(s.max_requests)},
                       {"fallback_scope", enum_into(s.fallback_scope, {{"agent", FallbackScope::Agent},
                                                                       {"request", FallbackScope::Request},
                                                                       {"disabled", FallbackScope::Disabled}})},
                       {"headers",
                        [this, &s](toml::node &n, const std::string &p) {
                            read_table(n, p, {{"incoming_session_id", string_into(s.incoming_session_id_header)}});
                        }},
                       {"max_sessions", unsigned_into(s.max_sessions)},
                   });
    }

    void read_attestation(toml::node &node, const std::string &path) {
        AttestationConfig &a = config_.attestation;
        read_table(node, path,
                   {
                       {"mode", enum_into(a.mode, {{"independent", std::string("independent")}})},
                       {"require_tdx", bool_into(a.require_tdx)},
                       {"require_nvidia", enum_into(a.require_nvidia, {{"required", RequireNvidia::Required},
                                                                       {"when_present", RequireNvidia::WhenPresent},
                                                                       {"never", RequireNvidia::Never}})},
                       {"allow_debug", bool_into(a.allow_debug)},
                       {"pccs_url", string_into(a.pccs_url)},
                       {"verifiers", string_list_into(a.verifiers)},
                   });
    }

    void read_e2ee(toml::node &node, const std::string &path) {
        E2eeConfig &e = config_.e2ee;
        read_table(node, path,
                   {
                       {"hkdf_info", string_into(e.hkdf_info)},
                       {"require_encrypted_response_content", bool_into(e.require_encrypted_response_content)},
                       {"backend", string_into(e.backend)},
                       {"ephemeral_key_per", enum_into(e.ephemeral_key_per, {{"field", EphemeralKeyPer::Field},
                                                                             {"request", EphemeralKeyPer::Request}})},
                   });
    }

    void read_tool_formats(toml::node &node, const std::string &path) {
        auto *array = node.as_array();
        if (array == nullptr) {
            type_error(node, path, "an array of tables {match, format}");
            return;
        }
        std::vector<ToolFormatRule> rules(array->size());
        for (size_t i = 0; i < array->size(); ++i) {
            toml::node &element = *array->get(i);
            const std::string element_path = path + "[" + std::to_string(i) + "]";
            record(element_path, element.source());
            read_table(element, element_path,
                       {{"match", string_into(rules[i].match)}, {"format", string_into(rules[i].format)}});
            if (element.is_table()) {
                if (!element.as_table()->contains("match"))
                    add_problem(element.source(), element_path + ": missing key \"match\"");
                if (!element.as_table()->contains("format"))
                    add_problem(element.source(), element_path + ": missing key \"format\"");
            }
        }
        config_.tools.formats = std::move(rules);
    }

    void read_tools(toml::node &node, const std::string &path) {
        ToolsConfig &t = config_.tools;
        read_table(node, path,
                   {
                       {"enabled", bool_into(t.enabled)},
                       {"mode", enum_into(t.mode, {{"emulated", std::string("emulated")}, {"none", std::string("none")}})},
                       {"max_retries", unsigned_into(t.max_retries)},
                       {"tool_call_max_bytes", unsigned_into(t.tool_call_max_bytes)},
                       {"tool_call_marker_timeout", duration_into(t.tool_call_marker_timeout)},
                       {"validate_json_schema", bool_into(t.validate_json_schema)},
                       {"formats", [this](toml::node &n, const std::string &p) { read_tool_formats(n, p); }},
                       {"default_format", string_into(t.default_format)},
                   });
    }

    void read_plugins(toml::node &node, const std::string &path) {
        PluginsConfig &p = config_.plugins;
        read_table(node, path,
                   {{"directories", string_list_into(p.directories)}, {"load", string_list_into(p.load)}});
    }

    void read_chain(toml::node &node, const std::string &path) {
        read_table(node, path, {{"stages", string_list_into(config_.chain.stages)}});
    }

    // A TOML value as JSON; records the location of every nested key and array element.
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
                add_problem(node.source(), path + ": inf and nan cannot be passed to a plugin (JSON has no such number)");
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

    void read_plugin_configs(toml::node &node, const std::string &path) {
        auto *table = node.as_table();
        if (table == nullptr) {
            type_error(node, path, "a table of plugin tables");
            return;
        }
        for (auto &&[key, value] : *table) {
            const std::string plugin_path = path + "." + std::string(key.str());
            record(plugin_path, region_of(key, value));
            if (!value.is_table()) {
                type_error(value, plugin_path, "a table");
                continue;
            }
            config_.plugin_config[std::string(key.str())] = json::dump(to_json(value, plugin_path));
        }
    }

    Config &config_;
    std::string source_name_;
    std::map<const toml::node *, std::string> env_text_;
    std::vector<Problem> problems_;
};

// One VENICE_E2EE_PROXY__* variable, resolved to a lower-case key path.
struct EnvOverride {
    std::string variable;
    std::vector<std::string> segments;
    std::string value;
};

std::vector<std::string> split_key(std::string_view key) {
    std::vector<std::string> segments;
    size_t start = 0;
    while (true) {
        const size_t separator = key.find("__", start);
        segments.push_back(lower(key.substr(start, separator == std::string_view::npos ? key.npos : separator - start)));
        if (separator == std::string_view::npos) break;
        start = separator + 2;
    }
    return segments;
}

std::string join(const std::vector<std::string> &segments) {
    std::string out;
    for (const std::string &segment : segments) out += (out.empty() ? "" : ".") + segment;
    return out;
}

toml::source_region env_region(const std::string &variable) {
    toml::source_region region{};
    region.path = std::make_shared<const std::string>(std::string(kEnvOrigin) + variable);
    return region;
}

// The override value as a one-key TOML document "v = ...": inferred like the reference (integer,
// boolean, float, array, inline table, quoted string), else the raw text as a string.
toml::table parse_env_value(const EnvOverride &override, bool &inferred) {
    const std::string origin = std::string(kEnvOrigin) + override.variable;
    std::string document = "v = " + override.value + "\n";
    inferred = false;
    try {
        toml::table parsed = toml::parse(std::string_view(document), std::string_view(origin));
        wipe_string(document);
        const toml::node *value = parsed.get("v");
        if (parsed.size() == 1 && value != nullptr && !value->is_date() && !value->is_time() &&
            !value->is_date_time()) {
            inferred = true;
            return parsed;
        }
    } catch (const toml::parse_error &) {
        wipe_string(document);
    }
    document = "v = " + toml_string_literal(override.value) + "\n";
    try {
        toml::table parsed = toml::parse(std::string_view(document), std::string_view(origin));
        wipe_string(document);
        return parsed;
    } catch (const toml::parse_error &) {
        wipe_string(document);
        throw ConfigError("the value is not valid UTF-8");
    }
}

// Puts `value` under `key` in `table`, zeroising a string it replaces (it may be the API key).
toml::node &replace_entry(toml::table &table, toml::key key, toml::node &&value) {
    if (auto *previous = table.get_as<std::string>(key.str())) wipe_string(previous->get());
    table.erase(key.str());
    return table.insert(std::move(key), std::move(value)).first->second;
}

// Copies `source` into `target` key by key, descending into tables both sides have.
void merge_tables(toml::table &target, toml::table &source) {
    for (auto &&[key, value] : source) {
        toml::node *existing = target.get(key.str());
        if (existing != nullptr && existing->is_table() && value.is_table()) {
            merge_tables(*existing->as_table(), *value.as_table());
            continue;
        }
        replace_entry(target, toml::key(key.str(), key.source()), std::move(value));
    }
}

void apply_environment(toml::table &root, const Environment &env, ConfigReader &reader) {
    const std::string prefix = lower(kEnvPrefix);
    std::map<std::string, EnvOverride> by_path;
    for (const auto &[variable, value] : env.vars) {
        if (lower(variable).rfind(prefix, 0) != 0) continue;
        EnvOverride override{variable, split_key(std::string_view(variable).substr(prefix.size())), value};
        const auto empty = std::find(override.segments.begin(), override.segments.end(), std::string());
        if (empty != override.segments.end()) {
            reader.add_problem(env_region(variable), "does not name a configuration key (empty segment between \"__\")");
            continue;
        }
        if (value.size() > kMaxEnvValueBytes) {
            reader.add_problem(env_region(variable),
                               "the value is longer than " + std::to_string(kMaxEnvValueBytes) + " bytes");
            continue;
        }
        const std::string path = join(override.segments);
        const auto [slot, inserted] = by_path.emplace(path, override);
        if (!inserted)
            reader.add_problem(env_region(variable), "sets " + path + ", which " + slot->second.variable + " also sets");
    }
    for (const auto &[path, override] : by_path) {
        toml::table *table = &root;
        std::string walked;
        bool reachable = true;
        for (size_t i = 0; i + 1 < override.segments.size() && reachable; ++i) {
            const std::string &segment = override.segments[i];
            walked += (walked.empty() ? "" : ".") + segment;
            toml::node *next = table->get(segment);
            if (next == nullptr)
                next = &table->insert(toml::key(segment, env_region(override.variable)), toml::table{}).first->second;
            if (!next->is_table()) {
                reader.add_problem(env_region(override.variable), path + ": " + walked + " is not a table");
                reachable = false;
                continue;
            }
            table = next->as_table();
        }
        if (!reachable) continue;
        bool inferred = false;
        toml::table parsed;
        try {
            parsed = parse_env_value(override, inferred);
        } catch (const ConfigError &e) {
            reader.add_problem(env_region(override.variable), e.what());
            continue;
        }
        toml::node &value = *parsed.get("v");
        const std::string &last = override.segments.back();
        toml::node *existing = table->get(last);
        if (existing != nullptr && existing->is_table() && value.is_table()) {
            merge_tables(*existing->as_table(), *value.as_table());
            continue;
        }
        toml::node &placed = replace_entry(*table, toml::key(last, env_region(override.variable)), std::move(value));
        if (inferred) reader.remember_env_text(&placed, override.value);
    }
}

// The API key as written in the file (empty if absent), to scrub it from error messages.
std::string find_api_key(const toml::table &root) {
    if (const auto *venice = root.get_as<toml::table>("venice"))
        if (const auto *key = venice->get_as<std::string>("api_key")) return key->get();
    return {};
}

// Zeroises a string that held the API key when the scope ends, however it ends.
struct WipeOnExit {
    std::string &text;
    ~WipeOnExit() { wipe_string(text); }
};

std::string absolute_directory_of(const std::string &path) {
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::absolute(path, error);
    if (error) absolute = path;
    return absolute.lexically_normal().parent_path().string();
}

}  // namespace

Config load_config_text(std::string_view toml_text, const std::string &source_name, const Environment &env) {
    std::string env_api_key;
    std::string file_api_key;
    const WipeOnExit wipe_env_api_key{env_api_key};
    const WipeOnExit wipe_file_api_key{file_api_key};
    for (const auto &[variable, value] : env.vars)
        if (lower(variable) == lower(std::string(kEnvPrefix) + "VENICE__API_KEY")) env_api_key = value;
    try {
        Config config;
        config.path = source_name;
        config.directory = absolute_directory_of(source_name);
        toml::table root;
        try {
            root = toml::parse(toml_text, std::string_view(source_name));
        } catch (const toml::parse_error &e) {
            const auto &where = e.source().begin;
            throw ConfigError(source_name + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                              ": invalid TOML: " + std::string(e.description()));
        }
        file_api_key = find_api_key(root);
        ConfigReader reader(config, source_name);
        apply_environment(root, env, reader);
        reader.read_root(root);
        reader.throw_problems();
        validate_config(config);
        return config;
    } catch (const ConfigError &e) {
        throw ConfigError(scrub(scrub(e.what(), env_api_key), file_api_key));
    }
}

Config load_config_file(const std::string &path, const Environment &env) {
    if (path.empty()) throw ConfigError("no config file given");
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status)) throw ConfigError(path + ": config file not found");
    if (std::filesystem::is_directory(status)) throw ConfigError(path + ": is a directory, not a config file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path + ": cannot read config file: " + std::strerror(errno));
    std::string text;
    const WipeOnExit wipe_text{text};
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<size_t>(in.gcount()));
        if (text.size() > kMaxConfigFileBytes)
            throw ConfigError(path + ": config file is larger than " + std::to_string(kMaxConfigFileBytes) + " bytes");
    }
    if (in.bad()) throw ConfigError(path + ": cannot read config file: " + std::strerror(errno));
    return load_config_text(text, path, env);
}

}  // namespace vep::host
