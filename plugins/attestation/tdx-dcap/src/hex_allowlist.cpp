// Allowlists of fixed-size hex values (see hex_allowlist.hpp).
#include "hex_allowlist.hpp"

#include <algorithm>
#include <optional>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {

HexAllowlist parse_hex_allowlist(const json::Value &config, std::string_view key, size_t bytes,
                                 std::string_view where) {
    HexAllowlist out;
    const json::Value *v = config.find(key);
    if (!v || v->is_null()) return out;
    const std::string name = std::string(where) + std::string(key);
    const std::string shape = " must be a list of " + std::to_string(2 * bytes) + "-hex strings";
    if (!v->is_array()) throw Failure("invalid_config", name + shape);
    for (const auto &item : v->as_array()) {
        std::optional<std::vector<uint8_t>> value;
        if (item.is_string()) value = hex::decode(hex::strip_0x(trim_ascii(item.as_string())));
        if (!value || value->size() != bytes) throw Failure("invalid_config", name + shape);
        out.push_back(std::move(*value));
    }
    return out;
}

bool allowlisted(const HexAllowlist &list, ByteSpan value) {
    return std::any_of(list.begin(), list.end(),
                       [&](const auto &m) { return std::equal(m.begin(), m.end(), value.begin(), value.end()); });
}

}  // namespace vep::tdx_dcap
