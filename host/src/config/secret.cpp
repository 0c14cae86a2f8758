// See config.hpp (Secret) and wipe.hpp: zeroising storage and the blank check.
#include "config/config.hpp"

#include <openssl/crypto.h>

#include "config/whitespace.hpp"
#include "config/wipe.hpp"

namespace vep::host {

void wipe_string(std::string &value) {
    value.resize(value.capacity());
    OPENSSL_cleanse(value.data(), value.size());
    value.clear();
}

Secret &Secret::operator=(const Secret &other) {
    if (this != &other) {
        wipe_string(value_);
        value_ = other.value_;
    }
    return *this;
}

Secret::~Secret() { wipe_string(value_); }

bool Secret::blank() const { return vep::host::blank(value_); }

}  // namespace vep::host
