// The model-output corpus: see model_corpus.hpp.
#include "model_corpus.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tool_test_support.hpp"
#include "tools/classification.hpp"

namespace vep::host::tools::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(VEP_SOURCE_DIR) / "tests" / "data" / "tools" / "corpus";

std::string read_text(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string required_string(const json::Value &object, std::string_view key, const std::string &where) {
    const json::Value *value = object.find(key);
    if (!value || !value->is_string()) throw std::runtime_error(where + ": \"" + std::string(key) + "\" must be a string");
    return value->as_string();
}

}  // namespace

void PrintTo(const ModelCase &c, std::ostream *os) { *os << c.id; }

std::vector<ModelCase> load_model_corpus() {
    std::vector<ModelCase> cases;
    std::istringstream lines(read_text(kCorpus / "cases.jsonl"));
    size_t number = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        if (line.empty()) continue;
        const std::string where = "cases.jsonl:" + std::to_string(number);
        const json::Value record = json::parse(line);
        ModelCase c;
        c.id = required_string(record, "id", where);
        c.format = required_string(record, "format", where);
        c.family = required_string(record, "family", where);
        c.source = required_string(record, "source", where);
        c.provenance = required_string(record, "provenance", where);
        if (c.provenance != "as-printed" && c.provenance != "reconstructed" && c.provenance != "own-variant")
            throw std::runtime_error(where + ": unknown provenance " + c.provenance);
        required_string(record, "note", where);
        c.tools_json = read_text(kCorpus / "toolsets" / (required_string(record, "toolset", where) + ".json"));
        c.tool_choice = required_string(record, "tool_choice", where);
        c.output = required_string(record, "output", where);
        const json::Value *expect = record.find("expect");
        if (!expect) throw std::runtime_error(where + ": no expect");
        c.outcome = required_string(*expect, "outcome", where);
        if (c.outcome == "parsed" || c.outcome == "repaired") {
            const json::Value *calls = expect->find("calls");
            if (!calls || !calls->is_array() || calls->as_array().empty())
                throw std::runtime_error(where + ": a parsed or repaired case lists its calls");
            c.calls = *calls;
            if (const json::Value *rules = expect->find("rules"))
                for (const auto &rule : rules->as_array()) c.rules.push_back(rule.as_string());
            if ((c.outcome == "repaired") != !c.rules.empty() ||
                (!c.rules.empty() && c.rules.size() != c.calls.as_array().size()))
                throw std::runtime_error(where + ": a repaired case names one rule per call, a parsed case none");
        } else if (c.outcome == "correction") {
            c.error = required_string(*expect, "error", where);
        } else if (c.outcome != "text") {
            throw std::runtime_error(where + ": unknown outcome " + c.outcome);
        }
        cases.push_back(std::move(c));
    }
    return cases;
}

std::string first_attempt_outcome(const std::string &format_name, const std::string &output,
                                  const std::string &tools_json, const std::string &tool_choice) {
    const ToolContext ctx = context(tools_json, choice(tool_choice));
    const client::ToolFormatClient &fmt = format(format_name);
    const Classification outcome = classify(fmt, output, ctx, true);
    if (std::holds_alternative<InvalidToolCall>(outcome)) return "correction";
    if (std::holds_alternative<NormalText>(outcome)) return "text";
    for (const auto &call : fmt.parse(output, ctx.exposed_tools_json()).calls)
        if (!call.repair.empty()) return "repaired";
    return "parsed";
}

}  // namespace vep::host::tools::testing
