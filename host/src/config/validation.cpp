// See validation.hpp.
#include "config/validation.hpp"

#include "config/key_table.hpp"

namespace vep::host {

bool is_http_header_name(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
    }
    return true;
}

void validate_config(const Config &config) {
    for (const Origin origin : {Origin::Reference, Origin::New}) {
        for (const Key &key : config_keys()) {
            if (key.origin != origin) continue;
            const Check check(config, key.path);
            for (const KeyRule &rule : key.rules) rule(check);
        }
    }
}

}  // namespace vep::host
