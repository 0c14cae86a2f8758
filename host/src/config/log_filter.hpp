// LogFilter: the `logging.level` setting, a tracing EnvFilter directive list as the reference
// accepts it ("debug", "venice_e2ee_proxy=debug,tower_http=warn"). Parsed by validation (syntax
// check) and by the logging set-up, which asks for the level of the proxy's own target.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace vep::host {

// The log target of the proxy's own messages (the reference crate's name).
inline constexpr std::string_view kProxyLogTarget = "venice_e2ee_proxy";

struct LogFilter {
    // Level of targets no directive names: the last bare-level directive, or "off" if none.
    std::string default_level = "off";
    // Target prefix -> level; levels are lower-case names: off, error, warn, info, debug, trace.
    std::map<std::string, std::string> targets;
};

// Parses comma-separated directives: LEVEL | TARGET[SPAN][=[LEVEL]] | SPAN[=[LEVEL]], where LEVEL
// is trace/debug/info/warn/error/off or 0-5 (case-insensitive), TARGET is word characters, ':'
// and '-', SPAN is "[...]", and a target without a level means trace. Empty directives are
// skipped. Directives with a span filter are syntax-checked but ignored: the host has no spans.
// Throws ConfigError naming the bad directive.
LogFilter parse_log_filter(std::string_view text);

// The level for `target`: the longest directive target that is a prefix of it, else the default.
std::string effective_log_level(const LogFilter &filter, std::string_view target);

// effective_log_level(filter, kProxyLogTarget).
std::string proxy_log_level(const LogFilter &filter);

}  // namespace vep::host
