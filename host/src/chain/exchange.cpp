// See exchange.hpp.
#include "chain/exchange.hpp"

#include "config/validation.hpp"
#include "net/http_header.hpp"

namespace vep::host {

bool Exchange::set_response_header(const std::string &name, const std::string &value) {
    if (!is_http_header_name(name) || !is_safe_header_value(value)) return false;
    for (auto &h : response_headers) {
        if (header_name_equals(h.first, name)) {
            h.second = value;
            return true;
        }
    }
    response_headers.emplace_back(name, value);
    return true;
}

}  // namespace vep::host
