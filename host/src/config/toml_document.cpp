// See toml_document.hpp.
#include "config/toml_document.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "config/config_error.hpp"
#include "config/loader.hpp"
#include "config/whitespace.hpp"
#include "config/wipe.hpp"

namespace vep::host {
void read_config_file(const std::string &path, std::string &text) {
    if (path.empty()) throw ConfigError("no config file given");
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status)) throw ConfigError(path + ": config file not found");
    if (std::filesystem::is_directory(status)) throw ConfigError(path + ": is a directory, not a config file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path + ": cannot read config file: " + std::strerror(errno));
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<size_t>(in.gcount()));
        if (text.size() > kMaxConfigFileBytes)
            throw ConfigError(path + ": config file is larger than " + std::to_string(kMaxConfigFileBytes) + " bytes");
    }
    if (in.bad()) throw ConfigError(path + ": cannot read config file: " + std::strerror(errno));
}

toml::table parse_config_text(std::string_view text, const std::string &source_name) {
    try {
        return toml::parse(text, std::string_view(source_name));
    } catch (const toml::parse_error &e) {
        const auto &where = e.source().begin;
        throw ConfigError(source_name + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                          ": invalid TOML: " + std::string(e.description()));
    }
}

SecretScrubber::~SecretScrubber() {
    for (std::string &secret : secrets_) wipe_string(secret);
}

void SecretScrubber::add_api_key_of(const toml::table &root) {
    if (const auto *venice = root.get_as<toml::table>("venice"))
        if (const auto *key = venice->get_as<std::string>("api_key")) add(key->get());
}

void SecretScrubber::add(std::string secret) { secrets_.push_back(std::move(secret)); }

std::string SecretScrubber::scrub(std::string text) const {
    for (const std::string &secret : secrets_) {
        const std::string_view trimmed = trim(secret);
        if (trimmed.size() < 4) continue;
        for (size_t at = text.find(trimmed); at != std::string::npos; at = text.find(trimmed, at))
            text.replace(at, trimmed.size(), Secret::redacted());
    }
    return text;
}

}  // namespace vep::host
