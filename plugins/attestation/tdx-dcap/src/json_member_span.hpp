// The exact served bytes of one member of a JSON object.
//
// Owns: locating a top-level member's value in a JSON object text without re-serialising it, so
// that a signature over "the member as served" (Intel TCB Info / QE Identity) can be checked over
// the original bytes. Caller: the PCCS client.
#pragma once

#include <optional>
#include <string_view>

namespace vep::tdx_dcap {

// The text of the value of the top-level member `key` of the JSON object `object_text`, exactly
// as it appears there (a view into `object_text`). nullopt when the member is absent. Throws
// vep::json::ParseError when `object_text` is not one valid JSON object, and
// std::invalid_argument when `key` occurs more than once.
std::optional<std::string_view> json_member_text(std::string_view object_text, std::string_view key);

}  // namespace vep::tdx_dcap
