// The problems of one load (type errors, unknown keys, bad environment overrides) and the places
// values were set. The environment overrides (env_overrides.cpp) and the reader
// (config_reader.cpp) add problems; the loader (loader.cpp) throws them together at the end.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <vector>

namespace vep::host {

// The source region of a value set by environment variable `variable` ("env VARIABLE").
toml::source_region env_region(const std::string &variable);

// Whether `where` is an environment variable's region.
bool from_env(const toml::source_region &where);

// Where a value was set: "file:line:col", "env VARIABLE", or `source_name` when toml++ knows no
// place.
std::string location_text(const toml::source_region &where, const std::string &source_name);

// The problems of one load, each with where it was found.
class LoadProblems {
  public:
    explicit LoadProblems(std::string source_name) : source_name_(std::move(source_name)) {}

    // Records "LOCATION: message".
    void add(const toml::source_region &where, const std::string &message);

    // Throws one ConfigError listing every problem, one per line (file order first, then
    // environment variables by name; at most 50), if there is any.
    void throw_if_any();

  private:
    struct Problem {
        bool env = false;
        uint32_t line = 0;
        uint32_t column = 0;
        std::string text;
    };

    std::string source_name_;
    std::vector<Problem> problems_;
};

}  // namespace vep::host
