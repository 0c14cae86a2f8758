// See duration.hpp.
#include "config/duration.hpp"

#include <cstdint>
#include <limits>
#include <utility>

#include "config/config_error.hpp"
#include "config/whitespace.hpp"

namespace vep::host {
namespace {

using Nanoseconds = unsigned __int128;

constexpr uint64_t kNanosPerMilli = 1000000;
constexpr uint64_t kNanosPerSecond = 1000000000;

struct Unit {
    std::string_view name;
    uint64_t nanoseconds;
};

constexpr Unit kUnits[] = {
    {"nanos", 1},
    {"nsec", 1},
    {"ns", 1},
    {"usec", 1000},
    {"us", 1000},
    {"millis", kNanosPerMilli},
    {"msec", kNanosPerMilli},
    {"ms", kNanosPerMilli},
    {"seconds", kNanosPerSecond},
    {"second", kNanosPerSecond},
    {"secs", kNanosPerSecond},
    {"sec", kNanosPerSecond},
    {"s", kNanosPerSecond},
    {"minutes", 60 * kNanosPerSecond},
    {"minute", 60 * kNanosPerSecond},
    {"mins", 60 * kNanosPerSecond},
    {"min", 60 * kNanosPerSecond},
    {"m", 60 * kNanosPerSecond},
    {"hours", 3600 * kNanosPerSecond},
    {"hour", 3600 * kNanosPerSecond},
    {"hrs", 3600 * kNanosPerSecond},
    {"hr", 3600 * kNanosPerSecond},
    {"h", 3600 * kNanosPerSecond},
    {"days", 86400 * kNanosPerSecond},
    {"day", 86400 * kNanosPerSecond},
    {"d", 86400 * kNanosPerSecond},
    {"weeks", 7 * 86400 * kNanosPerSecond},
    {"week", 7 * 86400 * kNanosPerSecond},
    {"w", 7 * 86400 * kNanosPerSecond},
    {"months", 2630016 * kNanosPerSecond},
    {"month", 2630016 * kNanosPerSecond},
    {"M", 2630016 * kNanosPerSecond},
    {"years", 31557600 * kNanosPerSecond},
    {"year", 31557600 * kNanosPerSecond},
    {"y", 31557600 * kNanosPerSecond},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

[[noreturn]] void fail(std::string_view text, const std::string &reason) {
    throw ConfigError("invalid duration \"" + std::string(text) + "\": " + reason);
}

}  // namespace

Duration parse_duration(std::string_view text) {
    constexpr Nanoseconds kLimit = static_cast<Nanoseconds>(std::numeric_limits<int64_t>::max()) * kNanosPerMilli;
    Nanoseconds total = 0;
    size_t i = 0;
    bool any_term = false;
    while (true) {
        while (i < text.size() && is_space(text[i])) ++i;
        if (i == text.size()) break;
        if (!is_digit(text[i])) fail(text, "expected number at " + std::to_string(i));
        uint64_t number = 0;
        const size_t number_start = i;
        while (i < text.size() && is_digit(text[i])) {
            const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
            if (number > (std::numeric_limits<uint64_t>::max() - digit) / 10) fail(text, "number is too large");
            number = number * 10 + digit;
            ++i;
        }
        const std::string number_text(text.substr(number_start, i - number_start));
        while (i < text.size() && is_space(text[i])) ++i;
        const size_t unit_start = i;
        while (i < text.size() && is_letter(text[i])) ++i;
        const std::string_view unit_name = text.substr(unit_start, i - unit_start);
        if (unit_name.empty()) {
            if (i < text.size() && !is_digit(text[i])) fail(text, "invalid character at " + std::to_string(i));
            fail(text, "time unit needed, for example " + number_text + "s or " + number_text + "ms");
        }
        const Unit *unit = nullptr;
        for (const Unit &candidate : kUnits)
            if (candidate.name == unit_name) unit = &candidate;
        if (unit == nullptr)
            fail(text, "unknown time unit \"" + std::string(unit_name) +
                           "\", supported units: ns, us, ms, sec, min, hours, days, weeks, months, years (and few "
                           "variations)");
        total += static_cast<Nanoseconds>(number) * unit->nanoseconds;
        if (total > kLimit) fail(text, "duration is too large");
        if (i < text.size() && !is_space(text[i]) && !is_digit(text[i]))
            fail(text, "invalid character at " + std::to_string(i));
        any_term = true;
    }
    if (!any_term) fail(text, "value was empty");
    if (total % kNanosPerMilli != 0) fail(text, "sub-millisecond precision is not supported");
    return Duration(static_cast<int64_t>(total / kNanosPerMilli));
}

std::string format_duration(Duration value) {
    int64_t remaining = value.count();
    if (remaining <= 0) return remaining == 0 ? "0s" : std::to_string(remaining) + "ms";
    static constexpr std::pair<int64_t, const char *> kParts[] = {
        {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    std::string out;
    for (const auto &[millis, suffix] : kParts) {
        const int64_t count = remaining / millis;
        remaining %= millis;
        if (count == 0) continue;
        if (!out.empty()) out += ' ';
        out += std::to_string(count) + suffix;
    }
    return out;
}

}  // namespace vep::host
