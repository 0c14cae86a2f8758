// The configuration keys, each described once: its path, the kind of value it holds (which says
// how it is read from TOML, rendered by check-config and compared), whether it is one of the
// reference proxy's keys or new, whether a reload applies it, and its validation rules. The
// entries are in key_table.cpp; the reader (config_reader.cpp), render_effective_config(),
// validate_config() and restart_only_changes() walk them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"
#include "config/key_rules.hpp"

namespace vep::host {

// Whether a reload (SIGHUP) applies a changed value, or only a restart does.
enum class Reload { Live, Restart };

// The reference proxy's keys, or this project's (config/default.toml marks them "New"). The
// rules of the reference's keys are checked first, in table order, then those of the new keys.
enum class Origin { Reference, New };

// Reads and writes one setting of a Config.
template <typename T>
struct Access {
    std::function<T(const Config &)> get;
    std::function<void(Config &, T)> set;
};

// The kinds of value; each is read, rendered and compared in one way.
struct StringValue {
    Access<std::string> access;
};
// A string rendered as "[REDACTED]" ("" when blank).
struct SecretValue {
    Access<Secret> access;
};
struct BoolValue {
    Access<bool> access;
};
// A TOML integer in 0..max, where max is what the setting's type holds.
struct UnsignedValue {
    Access<uint64_t> access;
    uint64_t max;
};
// A duration string ("30s").
struct DurationValue {
    Access<Duration> access;
};
// One of `names`; the setting is the index of its name.
struct EnumValue {
    Access<size_t> access;
    std::vector<std::string> names;
};
struct StringListValue {
    Access<std::vector<std::string>> access;
};
// An array of { match, format } tables.
struct ToolFormatsValue {
    Access<std::vector<ToolFormatRule>> access;
};
// A table of plugin tables, each kept as JSON object text and rendered as [KEY.<plugin>].
struct PluginTablesValue {
    Access<std::map<std::string, std::string>> access;
};

// A table of string values, each under its own name, rendered as [KEY].
struct StringMapValue {
    Access<std::map<std::string, std::string>> access;
};

using Value = std::variant<StringValue, SecretValue, BoolValue, UnsignedValue, DurationValue, EnumValue,
                           StringListValue, ToolFormatsValue, PluginTablesValue, StringMapValue>;

// A rule bound to the value of its key.
using KeyRule = std::function<void(const Check &)>;

// One configuration key, as every walker of the table sees it.
struct Key {
    std::string path;  // "server.port", "session.headers.incoming_session_id"
    Value value;
    Origin origin;
    Reload reload;
    std::vector<KeyRule> rules;  // checked in this order

    // The path of the table holding the key ("session.headers"); "" for a top-level key.
    std::string_view table() const;
    // The key's name in its table.
    std::string_view name() const;
};

// Every key: tables in config/default.toml order (a nested table where its name first appears
// among its parent's keys), keys in their table's order.
const std::vector<Key> &config_keys();

}  // namespace vep::host
