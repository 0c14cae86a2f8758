// The cipher plugins' configuration: {"hkdf_info": "..."}.
//
// Owns the parsed settings of one cipher instance. Built by FieldCodec's constructor from the
// JSON object the host passes to the plugin (the e2ee config subtree).
#pragma once

#include <string>

#include "vep/json.hpp"

namespace vep::e2ee {

struct CodecConfig {
    // HKDF-SHA256 info string (e2ee.hkdf_info); never blank.
    std::string hkdf_info = "ecdsa_encryption";
};

// Parses the plugin config. Unknown keys, a non-string or blank hkdf_info throw
// vep::Failure("invalid_config", ...).
CodecConfig parse_codec_config(const json::Value &config);

}  // namespace vep::e2ee
