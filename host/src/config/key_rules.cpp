// See key_rules.hpp.
#include "config/key_rules.hpp"

#include <set>
#include <string_view>

#include "config/config_error.hpp"
#include "config/log_filter.hpp"
#include "config/model_modes.hpp"
#include "config/validation.hpp"
#include "config/whitespace.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

bool starts_with_http_scheme(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

}  // namespace

void Check::require_for(const std::string &field, bool ok, const std::string &message,
                        std::initializer_list<std::string> located_at) const {
    if (ok) return;
    std::string location = config_.path;
    std::vector<std::string> candidates(located_at);
    candidates.push_back(field);
    for (const std::string &candidate : candidates) {
        const auto found = config_.sources.find(candidate);
        if (found != config_.sources.end()) {
            location = found->second.text;
            break;
        }
    }
    throw ConfigError(location + ": invalid config value for " + field + ": " + message);
}

Rule<uint64_t> in_range(uint64_t low, uint64_t high, std::string note) {
    std::string message = "must be in " + std::to_string(low) + ".." + std::to_string(high);
    if (!note.empty()) message += " (" + note + ")";
    return [low, high, message](const uint64_t &value, const Check &check) {
        check.require(value >= low && value <= high, message);
    };
}

Rule<Duration> at_most(std::chrono::hours limit) {
    return [limit](const Duration &value, const Check &check) {
        check.require(value <= limit, "must be at most " + std::to_string(limit.count()) + "h");
    };
}

Rule<std::string> not_blank() {
    return [](const std::string &value, const Check &check) { check.require(!blank(value), "must not be empty"); };
}

Rule<std::string> http_url() {
    return [](const std::string &value, const Check &check) {
        check.require(starts_with_http_scheme(trim(value)), "must start with http:// or https://");
    };
}

Rule<std::string> optional_http_url() {
    return [](const std::string &value, const Check &check) {
        const std::string_view url = trim(value);
        check.require(url.empty() || starts_with_http_scheme(url), "must be empty or start with http:// or https://");
    };
}

Rule<std::string> optional_path() {
    return [](const std::string &value, const Check &check) {
        check.require(value.empty() || !blank(value), "must be empty or a path, not whitespace");
    };
}

Rule<std::string> log_filter() {
    return [](const std::string &value, const Check &check) {
        try {
            parse_log_filter(value);
        } catch (const ConfigError &e) {
            check.require(false, e.what());
        }
    };
}

Rule<std::string> http_header_name() {
    return [](const std::string &value, const Check &check) {
        check.require(!value.empty(), "must not be empty");
        check.require(is_http_header_name(value), "must be a valid HTTP header name");
    };
}

Rule<std::vector<std::string>> name_list(bool at_least_one) {
    return [at_least_one](const std::vector<std::string> &names, const Check &check) {
        check.require(!at_least_one || !names.empty(), "must list at least one name");
        std::set<std::string> seen;
        for (size_t i = 0; i < names.size(); ++i) {
            const std::string element = check.key() + "[" + std::to_string(i) + "]";
            check.require(!blank(names[i]), "element " + std::to_string(i) + " must not be empty", {element});
            check.require(seen.insert(names[i]).second, "\"" + names[i] + "\" is listed twice", {element});
        }
    };
}

Rule<std::vector<ToolFormatRule>> complete_tool_formats() {
    return [](const std::vector<ToolFormatRule> &rules, const Check &check) {
        for (size_t i = 0; i < rules.size(); ++i) {
            const std::string rule = check.key() + "[" + std::to_string(i) + "]";
            check.require_for(rule + ".match", !blank(rules[i].match), "must not be empty");
            check.require_for(rule + ".format", !blank(rules[i].format), "must not be empty");
        }
    };
}

Rule<std::map<std::string, std::string>> model_aliases() {
    return [](const std::map<std::string, std::string> &aliases, const Check &check) {
        for (const auto &[name, model] : aliases) {
            check.require(!blank(name), "an alias must not be empty", {check.key() + "." + name});
            check.require_for(check.key() + "." + name, !blank(model), "must name a model");
        }
    };
}

Rule<std::map<std::string, std::string>> named_plugin_tables() {
    return [](const std::map<std::string, std::string> &tables, const Check &check) {
        for (const auto &entry : tables)
            check.require(!blank(entry.first), "a plugin name must not be empty", {check.key() + "." + entry.first});
    };
}

Rule<std::map<std::string, std::string>> model_tables() {
    return [](const std::map<std::string, std::string> &tables, const Check &check) {
        for (const auto &[glob, text] : tables) {
            const std::string table = check.key() + "." + glob;
            check.require_for(table, !blank(glob), "a model glob must not be empty");
            const json::Value settings = json::parse(text);
            for (const auto &member : settings.as_object())
                check.require_for(table + "." + member.first, member.first == "mode",
                                  "unknown key; a [models] table takes only mode");
            const json::Value *mode = settings.find("mode");
            check.require_for(table, mode != nullptr, "missing key \"mode\"");
            const bool known = mode->is_string() && (mode->as_string() == kModeE2ee || mode->as_string() == kModeTeeOnly);
            check.require_for(table + ".mode", known, "must be \"e2ee\" or \"tee-only\"");
            check.require_for(table + ".mode", mode->as_string() != kModeTeeOnly || !check.config().e2ee.require_e2ee,
                              "\"tee-only\" sends this model's messages to Venice without E2EE and is refused while "
                              "e2ee.require_e2ee = true (set e2ee.require_e2ee = false to allow it)",
                              {table + ".mode", "e2ee.require_e2ee"});
        }
    };
}

}  // namespace vep::host
