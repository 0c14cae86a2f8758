// See loader.hpp (load_config_file, load_config_text): runs the steps of one load in order - read
// and parse the document (toml_document.hpp), apply the environment (env_overrides.hpp), read every
// key (config_reader.hpp), report the problems together (load_problems.hpp), validate
// (validation.hpp) - and keeps the API key out of every message.
#include <filesystem>

#include "config/config_reader.hpp"
#include "config/env_overrides.hpp"
#include "config/load_problems.hpp"
#include "config/loader.hpp"
#include "config/toml_document.hpp"
#include "config/validation.hpp"
#include "config/wipe.hpp"

namespace vep::host {
namespace {

std::string absolute_directory_of(const std::string &path) {
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::absolute(path, error);
    if (error) absolute = path;
    return absolute.lexically_normal().parent_path().string();
}

}  // namespace

Config load_config_text(std::string_view toml_text, const std::string &source_name, const Environment &env) {
    SecretScrubber secrets;
    secrets.add(api_key_override(env));
    try {
        Config config;
        config.path = source_name;
        config.directory = absolute_directory_of(source_name);
        toml::table root = parse_config_text(toml_text, source_name);
        secrets.add_api_key_of(root);
        LoadProblems problems(source_name);
        OverrideTexts texts;
        apply_environment(root, env, problems, texts);
        read_config(root, texts, problems, config);
        problems.throw_if_any();
        validate_config(config);
        return config;
    } catch (const ConfigError &e) {
        throw ConfigError(secrets.scrub(e.what()));
    }
}

Config load_config_file(const std::string &path, const Environment &env) {
    std::string text;
    const WipeOnExit wipe_text{text};
    read_config_file(path, text);
    return load_config_text(text, path, env);
}

Config load_config_environment(const Environment &env) { return load_config_text("", kEnvironmentOnlySource, env); }

}  // namespace vep::host
