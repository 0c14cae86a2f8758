// The config document before any key is read: reading the file within its size limit, parsing
// the TOML text, and keeping the API key out of error messages. Used by the loader (loader.cpp).
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <vector>

namespace vep::host {

// Reads the file at `path` into `text` (which the caller zeroises: it may hold the API key).
// Throws ConfigError naming `path` when it is missing, a directory, unreadable or larger than
// kMaxConfigFileBytes.
void read_config_file(const std::string &path, std::string &text);

// Parses TOML text; a syntax error throws ConfigError "SOURCE:line:col: invalid TOML: ...".
toml::table parse_config_text(std::string_view text, const std::string &source_name);

// The secrets to keep out of error messages: the API key as written in the file and as set by
// the environment. Zeroised when destroyed.
class SecretScrubber {
  public:
    SecretScrubber() { secrets_.reserve(2); }
    SecretScrubber(const SecretScrubber &) = delete;
    SecretScrubber &operator=(const SecretScrubber &) = delete;
    ~SecretScrubber();

    // Adds `root`'s venice.api_key, if it is a string.
    void add_api_key_of(const toml::table &root);
    void add(std::string secret);
    // `text` with every occurrence of a secret (ignoring surrounding whitespace, and secrets
    // shorter than 4 characters) replaced by "[REDACTED]".
    std::string scrub(std::string text) const;

  private:
    std::vector<std::string> secrets_;
};

}  // namespace vep::host
