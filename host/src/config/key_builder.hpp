// Building the entries of the key table (key_table.cpp) from member pointers: SectionKeys<S>
// makes the keys of one Config section, the value kind following from the member's type.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/key_table.hpp"

namespace vep::host {

// Binds each rule to the value `access` reads.
template <typename T>
std::vector<KeyRule> bind_rules(const Access<T> &access, std::vector<Rule<T>> rules) {
    std::vector<KeyRule> bound;
    for (Rule<T> &rule : rules)
        bound.push_back(
            [get = access.get, rule = std::move(rule)](const Check &check) { rule(get(check.config()), check); });
    return bound;
}

// The [plugin_config.<name>] tables at `path`, held in `field` of Config.
inline Key plugin_tables(std::string path, std::map<std::string, std::string> Config::*field, Origin origin,
                         Reload reload, std::vector<Rule<std::map<std::string, std::string>>> rules) {
    const Access<std::map<std::string, std::string>> access{
        [field](const Config &c) { return c.*field; },
        [field](Config &c, std::map<std::string, std::string> value) { c.*field = std::move(value); }};
    return Key{std::move(path), PluginTablesValue{access}, origin, reload, bind_rules(access, std::move(rules))};
}

// The [path] table of names and string values, held in `field` of Config.
inline Key string_map(std::string path, std::map<std::string, std::string> Config::*field, Origin origin,
                      Reload reload, std::vector<Rule<std::map<std::string, std::string>>> rules) {
    const Access<std::map<std::string, std::string>> access{
        [field](const Config &c) { return c.*field; },
        [field](Config &c, std::map<std::string, std::string> value) { c.*field = std::move(value); }};
    return Key{std::move(path), StringMapValue{access}, origin, reload, bind_rules(access, std::move(rules))};
}

// The keys of the section `table` ("server"), a struct S that Config holds in `section`.
template <typename S>
class SectionKeys {
  public:
    SectionKeys(std::string table, S Config::*section) : table_(std::move(table)), section_(section) {}

    Key text(std::string_view name, std::string S::*field, Origin origin, Reload reload,
             std::vector<Rule<std::string>> rules = {}) const {
        return make<StringValue>(name, field, origin, reload, std::move(rules));
    }

    Key secret(std::string_view name, Secret S::*field, Origin origin, Reload reload) const {
        return make<SecretValue, Secret>(name, field, origin, reload, {});
    }

    Key flag(std::string_view name, bool S::*field, Origin origin, Reload reload) const {
        return make<BoolValue, bool>(name, field, origin, reload, {});
    }

    template <typename N>
    Key count(std::string_view name, N S::*field, Origin origin, Reload reload,
              std::vector<Rule<uint64_t>> rules = {}) const {
        return make<UnsignedValue>(name, field, origin, reload, std::move(rules),
                                   static_cast<uint64_t>(std::numeric_limits<N>::max()));
    }

    Key duration(std::string_view name, Duration S::*field, Origin origin, Reload reload,
                 std::vector<Rule<Duration>> rules = {}) const {
        return make<DurationValue>(name, field, origin, reload, std::move(rules));
    }

    // One of `choices` (name and value), written as its name.
    template <typename E>
    Key choice(std::string_view name, E S::*field, std::vector<std::pair<std::string, E>> choices, Origin origin,
               Reload reload) const {
        std::vector<std::string> names;
        for (const auto &choice : choices) names.push_back(choice.first);
        const Access<size_t> access{[section = section_, field, choices](const Config &c) {
                                        size_t index = 0;
                                        while (index + 1 < choices.size() && choices[index].second != c.*section.*field)
                                            ++index;
                                        return index;
                                    },
                                    [section = section_, field, choices](Config &c, size_t index) {
                                        c.*section.*field = choices[index].second;
                                    }};
        return Key{path(name), EnumValue{access, std::move(names)}, origin, reload, {}};
    }

    Key names(std::string_view name, std::vector<std::string> S::*field, Origin origin, Reload reload,
              std::vector<Rule<std::vector<std::string>>> rules = {}) const {
        return make<StringListValue>(name, field, origin, reload, std::move(rules));
    }

    Key tool_formats(std::string_view name, std::vector<ToolFormatRule> S::*field, Origin origin, Reload reload,
                     std::vector<Rule<std::vector<ToolFormatRule>>> rules = {}) const {
        return make<ToolFormatsValue>(name, field, origin, reload, std::move(rules));
    }

  private:
    std::string path(std::string_view name) const { return table_ + "." + std::string(name); }

    // A key of kind V, whose Access<T> converts between T and the member's type F.
    template <typename V, typename T, typename F, typename... Extra>
    Key make(std::string_view name, F S::*field, Origin origin, Reload reload, std::vector<Rule<T>> rules,
             Extra... extra) const {
        const Access<T> access{
            [section = section_, field](const Config &c) { return static_cast<T>(c.*section.*field); },
            [section = section_, field](Config &c, T value) { c.*section.*field = static_cast<F>(std::move(value)); }};
        return Key{path(name), V{access, extra...}, origin, reload, bind_rules(access, std::move(rules))};
    }

    std::string table_;
    S Config::*section_;
};

}  // namespace vep::host
