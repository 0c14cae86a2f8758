// Validation rules of the configuration keys: the Check through which a rule reports, and the
// rules the key table (key_table.cpp) gives its keys (bounds, non-empty text, URLs, name lists).
// validate_config() (validation.cpp) runs them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace vep::host {

// The key a rule is checked for, in one Config.
class Check {
  public:
    Check(const Config &config, std::string key) : config_(config), key_(std::move(key)) {}

    const Config &config() const { return config_; }
    const std::string &key() const { return key_; }

    // Throws ConfigError "LOCATION: invalid config value for KEY: MESSAGE" unless `ok`. LOCATION
    // is where the first of `located_at`, else KEY, was set; else the config path.
    void require(bool ok, const std::string &message, std::initializer_list<std::string> located_at = {}) const {
        require_for(key_, ok, message, located_at);
    }

    // The same for another field: an element of the key, or the key a cross-key rule is about.
    void require_for(const std::string &field, bool ok, const std::string &message,
                     std::initializer_list<std::string> located_at = {}) const;

  private:
    const Config &config_;
    std::string key_;
};

// A rule on the value of one key.
template <typename T>
using Rule = std::function<void(const T &value, const Check &check)>;

// A count or a duration: "must be greater than zero".
inline auto greater_than_zero() {
    return [](const auto &value, const Check &check) {
        check.require(value > std::remove_cvref_t<decltype(value)>{}, "must be greater than zero");
    };
}

// "must be in LOW..HIGH", with " (NOTE)" when a note is given.
Rule<uint64_t> in_range(uint64_t low, uint64_t high, std::string note = "");

// "must be at most <limit>h".
Rule<Duration> at_most(std::chrono::hours limit);

// Text with a non-space character: "must not be empty".
Rule<std::string> not_blank();

// Starts with http:// or https:// (spaces around ignored).
Rule<std::string> http_url();

// Empty, blank, or an http:// or https:// URL.
Rule<std::string> optional_http_url();

// A file path where "" means none: a non-empty value must not be whitespace.
Rule<std::string> optional_path();

// A log filter parse_log_filter() accepts; its message is the parser's.
Rule<std::string> log_filter();

// Not empty, then an HTTP header field name.
Rule<std::string> http_header_name();

// A list of names: each not blank and listed once; `at_least_one` forbids an empty list.
Rule<std::vector<std::string>> name_list(bool at_least_one);

// Every rule has a non-blank match and format.
Rule<std::vector<ToolFormatRule>> complete_tool_formats();

// No plugin table has a blank name.
Rule<std::map<std::string, std::string>> named_plugin_tables();
// [aliases]: neither a name nor the model it stands for may be empty.
Rule<std::map<std::string, std::string>> model_aliases();

// Every [models."<glob>"] table has a non-blank glob and exactly `mode` = "e2ee" or "tee-only";
// "tee-only" only while e2ee.require_e2ee is false.
Rule<std::map<std::string, std::string>> model_tables();

}  // namespace vep::host
