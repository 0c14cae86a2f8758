// See config.hpp (Secret) and wipe.hpp: zeroising storage and the blank check.
#include "config/config.hpp"

#include <openssl/crypto.h>

#include "config/wipe.hpp"

namespace vep::host {

void wipe_string(std::string &value) {
    value.resize(value.capacity());
    OPENSSL_cleanse(value.data(), value.size());
    value.clear();
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

Secret &Secret::operator=(const Secret &other) {
    if (this != &other) {
        wipe_string(value_);
        value_ = other.value_;
    }
    return *this;
}

Secret::~Secret() { wipe_string(value_); }

bool Secret::blank() const {
    for (const char c : value_)
        if (!is_space(c)) return false;
    return true;
}

}  // namespace vep::host
