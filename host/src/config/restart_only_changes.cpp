// See loader.hpp (restart_only_changes): compares two Configs key by key along the key table
// (key_table.hpp), keeping the keys a reload cannot apply.
#include <algorithm>
#include <type_traits>
#include <variant>

#include "config/key_table.hpp"
#include "config/loader.hpp"

namespace vep::host {
namespace {

bool same_value(const Key &key, const Config &a, const Config &b) {
    return std::visit(
        [&](const auto &kind) {
            const auto x = kind.access.get(a);
            const auto y = kind.access.get(b);
            using Setting = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<Setting, Secret>) {
                return x.expose() == y.expose();
            } else if constexpr (std::is_same_v<Setting, std::vector<ToolFormatRule>>) {
                return std::equal(x.begin(), x.end(), y.begin(), y.end(), [](const auto &p, const auto &q) {
                    return p.match == q.match && p.format == q.format;
                });
            } else {
                return x == y;
            }
        },
        key.value);
}

}  // namespace

std::vector<std::string> restart_only_changes(const Config &old, const Config &next) {
    std::vector<std::string> changed;
    for (const Key &key : config_keys())
        if (key.reload == Reload::Restart && !same_value(key, old, next)) changed.push_back(key.path);
    return changed;
}

}  // namespace vep::host
