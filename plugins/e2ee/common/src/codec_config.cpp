#include "vep_e2ee/codec_config.hpp"

#include "vep/sdk.hpp"
#include "vep_e2ee/failure_codes.hpp"

namespace vep::e2ee {

CodecConfig parse_codec_config(const json::Value &config) {
    if (!config.is_object()) throw Failure(codes::kInvalidConfig, "cipher config must be a JSON object");
    CodecConfig parsed;
    for (const auto &[key, value] : config.as_object()) {
        if (key != "hkdf_info")
            throw Failure(codes::kInvalidConfig, "unknown cipher config key \"" + key + "\" (allowed: hkdf_info)");
        if (!value.is_string())
            throw Failure(codes::kInvalidConfig, std::string("hkdf_info must be a string, got ") +
                                                     json::kind_name(value.kind()));
        const std::string &info = value.as_string();
        if (info.find_first_not_of(" \t\r\n\f\v") == std::string::npos)
            throw Failure(codes::kInvalidConfig, "hkdf_info must not be blank");
        parsed.hkdf_info = info;
    }
    return parsed;
}

}  // namespace vep::e2ee
