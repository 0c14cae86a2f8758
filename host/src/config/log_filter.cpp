// See log_filter.hpp.
#include "config/log_filter.hpp"

#include <optional>

#include "config/config_error.hpp"
#include "config/whitespace.hpp"

namespace vep::host {
namespace {

// Word characters of the reference's target pattern; bytes >= 0x80 stand for Unicode letters.
bool is_target_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' ||
           c == '-' || u >= 0x80;
}

std::optional<std::string> parse_level(std::string_view text) {
    static constexpr std::string_view kNames[] = {"off", "error", "warn", "info", "debug", "trace"};
    if (text.size() == 1 && text[0] >= '0' && text[0] <= '5') return std::string(kNames[text[0] - '0']);
    for (const std::string_view name : kNames) {
        if (text.size() != name.size()) continue;
        bool same = true;
        for (size_t i = 0; i < text.size() && same; ++i) {
            char c = text[i];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            same = c == name[i];
        }
        if (same) return std::string(name);
    }
    return std::nullopt;
}

[[noreturn]] void fail(std::string_view directive, const std::string &reason) {
    throw ConfigError("invalid filter directive \"" + std::string(directive) + "\": " + reason);
}

// Applies one non-empty directive to `filter`.
void apply_directive(std::string_view directive, LogFilter &filter) {
    if (const auto level = parse_level(directive)) {
        filter.default_level = *level;
        return;
    }
    std::string target;
    bool has_span = false;
    size_t i = 0;
    for (int part = 0; part < 2 && i < directive.size() && directive[i] != '='; ++part) {
        if (directive[i] == '[') {
            if (has_span) fail(directive, "more than one span filter");
            const size_t close = directive.find(']', i);
            if (close == std::string_view::npos) fail(directive, "unclosed span filter '['");
            has_span = true;
            i = close + 1;
        } else if (is_target_char(directive[i])) {
            if (!target.empty()) fail(directive, "more than one target");
            const size_t start = i;
            while (i < directive.size() && is_target_char(directive[i])) ++i;
            target = std::string(directive.substr(start, i - start));
        } else {
            fail(directive, std::string("unexpected character '") + directive[i] + "'");
        }
    }
    if (target.empty() && !has_span) fail(directive, "expected a level, a target or a span filter");
    std::string level = "trace";
    if (i < directive.size()) {
        if (directive[i] != '=') fail(directive, std::string("unexpected character '") + directive[i] + "'");
        const std::string_view level_text = directive.substr(i + 1);
        if (!level_text.empty()) {
            const auto parsed = parse_level(level_text);
            if (!parsed)
                fail(directive, "expected a level (trace, debug, info, warn, error, off or 0-5) after '=', got \"" +
                                    std::string(level_text) + "\"");
            level = *parsed;
        }
    }
    if (!has_span) filter.targets[target] = level;
}

}  // namespace

LogFilter parse_log_filter(std::string_view text) {
    LogFilter filter;
    size_t start = 0;
    int bracket_depth = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size()) {
            if (text[i] == '[') ++bracket_depth;
            if (text[i] == ']' && bracket_depth > 0) --bracket_depth;
            if (text[i] != ',' || bracket_depth > 0) continue;
        }
        const std::string_view directive = trim(text.substr(start, i - start));
        if (!directive.empty()) apply_directive(directive, filter);
        start = i + 1;
    }
    return filter;
}

std::string effective_log_level(const LogFilter &filter, std::string_view target) {
    const std::string *best = nullptr;
    size_t best_length = 0;
    for (const auto &[prefix, level] : filter.targets) {
        if (target.substr(0, prefix.size()) == prefix && (best == nullptr || prefix.size() > best_length)) {
            best = &level;
            best_length = prefix.size();
        }
    }
    return best != nullptr ? *best : filter.default_level;
}

std::string proxy_log_level(const LogFilter &filter) { return effective_log_level(filter, kProxyLogTarget); }

}  // namespace vep::host
