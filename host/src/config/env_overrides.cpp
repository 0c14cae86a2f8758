// See env_overrides.hpp.
#include "config/env_overrides.hpp"

#include <algorithm>
#include <vector>

#include "config/config_error.hpp"
#include "config/loader.hpp"
#include "config/toml_text.hpp"
#include "config/wipe.hpp"
#include "vep/text.hpp"

namespace vep::host {
namespace {


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
        segments.push_back(vep::to_lower_ascii(key.substr(start, separator == std::string_view::npos ? key.npos : separator - start)));
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

// The override value as a one-key TOML document "v = ...": inferred like the reference (integer,
// boolean, float, array, inline table, quoted string), else the raw text as a string.
toml::table parse_env_value(const EnvOverride &override, bool &inferred) {
    const std::string origin = *env_region(override.variable).path;
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

// The overrides of `env` by key path; malformed variables and clashes become problems.
std::map<std::string, EnvOverride> overrides_by_path(const Environment &env, LoadProblems &problems) {
    const std::string prefix = vep::to_lower_ascii(kEnvPrefix);
    std::map<std::string, EnvOverride> by_path;
    for (const auto &[variable, value] : env.vars) {
        if (vep::to_lower_ascii(variable).rfind(prefix, 0) != 0) continue;
        EnvOverride override{variable, split_key(std::string_view(variable).substr(prefix.size())), value};
        const auto empty = std::find(override.segments.begin(), override.segments.end(), std::string());
        if (empty != override.segments.end()) {
            problems.add(env_region(variable), "does not name a configuration key (empty segment between \"__\")");
            continue;
        }
        if (value.size() > kMaxEnvValueBytes) {
            problems.add(env_region(variable),
                         "the value is longer than " + std::to_string(kMaxEnvValueBytes) + " bytes");
            continue;
        }
        const std::string path = join(override.segments);
        const auto [slot, inserted] = by_path.emplace(path, override);
        if (!inserted)
            problems.add(env_region(variable), "sets " + path + ", which " + slot->second.variable + " also sets");
    }
    return by_path;
}

// The table that holds the override's last segment, created where missing; null (and a problem)
// when a segment on the way is not a table.
toml::table *parent_table(toml::table &root, const std::string &path, const EnvOverride &override,
                          LoadProblems &problems) {
    toml::table *table = &root;
    std::string walked;
    for (size_t i = 0; i + 1 < override.segments.size(); ++i) {
        const std::string &segment = override.segments[i];
        walked += (walked.empty() ? "" : ".") + segment;
        toml::node *next = table->get(segment);
        if (next == nullptr)
            next = &table->insert(toml::key(segment, env_region(override.variable)), toml::table{}).first->second;
        if (!next->is_table()) {
            problems.add(env_region(override.variable), path + ": " + walked + " is not a table");
            return nullptr;
        }
        table = next->as_table();
    }
    return table;
}

}  // namespace

OverrideTexts::~OverrideTexts() {
    for (auto &entry : texts_) wipe_string(entry.second);
}

void OverrideTexts::remember(const toml::node &node, std::string text) { texts_[&node] = std::move(text); }

const std::string *OverrideTexts::find(const toml::node &node) const {
    const auto found = texts_.find(&node);
    return found == texts_.end() ? nullptr : &found->second;
}

void apply_environment(toml::table &root, const Environment &env, LoadProblems &problems, OverrideTexts &texts) {
    for (const auto &[path, override] : overrides_by_path(env, problems)) {
        toml::table *table = parent_table(root, path, override, problems);
        if (table == nullptr) continue;
        bool inferred = false;
        toml::table parsed;
        try {
            parsed = parse_env_value(override, inferred);
        } catch (const ConfigError &e) {
            problems.add(env_region(override.variable), e.what());
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
        if (inferred) texts.remember(placed, override.value);
    }
}

std::string api_key_override(const Environment &env) {
    const std::string name = vep::to_lower_ascii(std::string(kEnvPrefix) + "VENICE__API_KEY");
    std::string key;
    for (const auto &[variable, value] : env.vars)
        if (vep::to_lower_ascii(variable) == name) key = value;
    return key;
}

}  // namespace vep::host
