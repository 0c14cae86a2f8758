// random_id(): an id for an item a client API's answer names (resp_…, msg_…, fc_…, toolu_…):
// `prefix` and 32 random hex digits. Used by the answer shapes.
#pragma once

#include <string>
#include <string_view>

#include "ids/random_uuid.hpp"

namespace vep::host {

inline std::string random_id(std::string_view prefix) {
    std::string hex = random_uuid();
    std::string out(prefix);
    for (const char c : hex)
        if (c != '-') out += c;
    return out;
}

}  // namespace vep::host
