// The layering of host/src is a rule, not a wish: docs/architecture.md holds the table of which
// folder may include which (between the include-rules markers), and this test reads every
// `#include "folder/..."` under host/src and fails on one the table does not allow, on a folder
// the table does not place, and on a table row that would let a folder include one on its own or
// a higher layer (an arrow pointing up).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Rule {
    int layer = 0;
    std::set<std::string> may_include;
};

std::string read_file(const fs::path &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string trim(const std::string &s) {
    const auto b = s.find_first_not_of(" `\t");
    const auto e = s.find_last_not_of(" `\t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> cells(const std::string &row) {
    std::vector<std::string> out;
    std::stringstream ss(row);
    std::string cell;
    while (std::getline(ss, cell, '|')) out.push_back(trim(cell));
    if (!out.empty() && out.front().empty()) out.erase(out.begin());
    return out;
}

// Rows "| layer | folder | owns | may include |" between the markers; "—" means nothing.
std::map<std::string, Rule> read_rules() {
    const std::string doc = read_file(fs::path(VEP_SOURCE_DIR) / "docs/architecture.md");
    const auto begin = doc.find("<!-- include-rules:begin -->");
    const auto end = doc.find("<!-- include-rules:end -->");
    if (begin == std::string::npos || end == std::string::npos) return {};
    std::map<std::string, Rule> rules;
    std::stringstream table(doc.substr(begin, end - begin));
    std::string line;
    while (std::getline(table, line)) {
        const auto c = cells(line);
        if (c.size() < 4 || c[0].empty() || !std::isdigit(static_cast<unsigned char>(c[0][0]))) continue;
        Rule rule;
        rule.layer = std::stoi(c[0]);
        std::stringstream list(c[3]);
        std::string name;
        while (std::getline(list, name, ',')) {
            name = trim(name);
            if (!name.empty() && name != "—") rule.may_include.insert(name);
        }
        rules[c[1]] = rule;
    }
    return rules;
}

// The host/src folder a file belongs to ("main" for files directly under host/src).
std::string folder_of(const fs::path &file, const fs::path &root) {
    const fs::path rel = fs::relative(file, root);
    return rel.has_parent_path() ? rel.begin()->string() : "main";
}

}  // namespace

TEST(IncludeRules, TheTableIsThereAndOnlyPointsDown) {
    const auto rules = read_rules();
    ASSERT_GE(rules.size(), 15u) << "docs/architecture.md lost its include-rules table";
    for (const auto &[folder, rule] : rules) {
        for (const auto &target : rule.may_include) {
            const auto it = rules.find(target);
            ASSERT_NE(it, rules.end()) << folder << " may include " << target << ", which the table does not place";
            EXPECT_LT(it->second.layer, rule.layer)
                << folder << " (layer " << rule.layer << ") may include " << target << " (layer " << it->second.layer
                << "): an include must point to a lower layer";
        }
    }
    // The rules this architecture exists for.
    EXPECT_EQ(rules.at("relay").may_include.count("pipeline"), 0u);
    EXPECT_EQ(rules.at("chain").may_include.count("runtime"), 0u);
    EXPECT_EQ(rules.at("chain").may_include.count("chat"), 0u);
    EXPECT_EQ(rules.at("attestation").may_include.count("runtime"), 0u);
}

TEST(IncludeRules, EveryHostIncludeIsAllowed) {
    const auto rules = read_rules();
    ASSERT_FALSE(rules.empty());
    const fs::path root = fs::path(VEP_SOURCE_DIR) / "host/src";
    std::set<std::string> folders;
    for (const auto &entry : fs::directory_iterator(root))
        if (entry.is_directory()) folders.insert(entry.path().filename().string());
    for (const auto &folder : folders) EXPECT_TRUE(rules.count(folder)) << "host/src/" << folder << " is not in the table";

    const std::regex include_line(R"(^\s*#\s*include\s*"([^"/]+)/[^"]*")");
    size_t checked = 0;
    for (const auto &entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        const auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".hpp") continue;
        const std::string folder = folder_of(entry.path(), root);
        const auto rule = rules.find(folder);
        if (rule == rules.end()) continue;  // reported above
        std::ifstream in(entry.path());
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            std::smatch m;
            if (!std::regex_search(line, m, include_line)) continue;
            const std::string target = m[1];
            if (!folders.count(target) || target == folder) continue;  // SDK (vep/...) or own folder
            ++checked;
            EXPECT_TRUE(rule->second.may_include.count(target))
                << fs::relative(entry.path(), fs::path(VEP_SOURCE_DIR)).string() << ":" << number << ": " << folder
                << " may not include " << target << "/ (docs/architecture.md, include rules)";
        }
    }
    EXPECT_GT(checked, 100u) << "too few cross-folder includes found: is the scan broken?";
}
