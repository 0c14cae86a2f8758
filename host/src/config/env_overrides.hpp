// VENICE_E2EE_PROXY__SECTION__KEY environment overrides, applied to the parsed TOML tree before
// any key is read, so an override is type-checked and located like a file value ("env VAR").
// Called by the loader (loader.cpp); knows no key: unknown keys are found by the reader.
#pragma once

#include <toml++/toml.h>

#include <map>
#include <string>

#include "config/environment.hpp"
#include "config/load_problems.hpp"

namespace vep::host {

// The raw text of every override whose value read as TOML (an integer, a boolean, ...): a string
// key takes the text as written ("8080" stays the string "8080"). Zeroised when destroyed, as it
// may hold the API key.
class OverrideTexts {
  public:
    OverrideTexts() = default;
    OverrideTexts(const OverrideTexts &) = delete;
    OverrideTexts &operator=(const OverrideTexts &) = delete;
    ~OverrideTexts();

    void remember(const toml::node &node, std::string text);
    // The raw text behind `node`; null when `node` is not such an override.
    const std::string *find(const toml::node &node) const;

  private:
    std::map<const toml::node *, std::string> texts_;
};

// Puts every VENICE_E2EE_PROXY__* variable of `env` into `root`: "__" separates nested keys,
// names are case-insensitive, an inline table merges into the table it names. Malformed
// variables become problems.
void apply_environment(toml::table &root, const Environment &env, LoadProblems &problems, OverrideTexts &texts);

// The value of the VENICE_E2EE_PROXY__VENICE__API_KEY variable (any case; of several, the last by
// name); "" when unset.
std::string api_key_override(const Environment &env);

}  // namespace vep::host
