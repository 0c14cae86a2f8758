// See load_problems.hpp.
#include "config/load_problems.hpp"

#include <algorithm>
#include <memory>
#include <tuple>
#include <utility>

#include "config/config_error.hpp"

namespace vep::host {
namespace {

constexpr std::string_view kEnvOrigin = "env ";
constexpr size_t kMaxReportedProblems = 50;

}  // namespace

toml::source_region env_region(const std::string &variable) {
    toml::source_region region{};
    region.path = std::make_shared<const std::string>(std::string(kEnvOrigin) + variable);
    return region;
}

bool from_env(const toml::source_region &where) {
    return where.path && std::string_view(*where.path).starts_with(kEnvOrigin);
}

std::string location_text(const toml::source_region &where, const std::string &source_name) {
    if (!where.path) return source_name;
    if (from_env(where)) return *where.path;
    return *where.path + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
}

void LoadProblems::add(const toml::source_region &where, const std::string &message) {
    Problem problem;
    problem.env = from_env(where) || !where.path;
    problem.line = where.begin.line;
    problem.column = where.begin.column;
    problem.text = location_text(where, source_name_) + ": " + message;
    problems_.push_back(std::move(problem));
}

void LoadProblems::throw_if_any() {
    if (problems_.empty()) return;
    std::stable_sort(problems_.begin(), problems_.end(), [](const Problem &a, const Problem &b) {
        if (a.env != b.env) return !a.env;
        if (a.env) return a.text < b.text;
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    std::string message;
    for (size_t i = 0; i < problems_.size() && i < kMaxReportedProblems; ++i) {
        if (i > 0) message += '\n';
        message += problems_[i].text;
    }
    if (problems_.size() > kMaxReportedProblems)
        message += "\n(" + std::to_string(problems_.size() - kMaxReportedProblems) + " more problems)";
    throw ConfigError(message);
}

}  // namespace vep::host
