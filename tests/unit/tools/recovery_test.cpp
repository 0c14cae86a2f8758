// The model-output corpus beyond single cases: (1) a repair never fabricates — every case that
// yields calls is mutated so that a required argument is missing, and must then go to
// correction, buffered and streamed; (2) the recovery table in docs/benchmarks.md is what the
// corpus gives today. The table is printed by
//   build/bin/unit_tools --gtest_filter='ToolRecovery.TableInDocsIsCurrent'
// (paste it between the recovery-table markers in docs/benchmarks.md when the corpus changes).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "model_corpus.hpp"
#include "tool_test_support.hpp"
#include "tools/classification.hpp"
#include "tools/stream_detector.hpp"

namespace {

using namespace vep::host::tools;
using namespace vep::host::tools::testing;
using vep::json::Value;

constexpr std::string_view kProbe = "zz_required_probe";

std::vector<ModelCase> cases_with_calls() {
    std::vector<ModelCase> out;
    for (auto &c : load_model_corpus())
        if (c.outcome == "parsed" || c.outcome == "repaired") out.push_back(std::move(c));
    return out;
}

// Expects `output` under `tools_json` to go to correction (with `error` in the message when not
// empty), buffered and streamed (split at every byte), and never to reach the client as a call.
void expect_correction(const ModelCase &c, const std::string &output, const std::string &tools_json,
                       const std::string &error, const std::string &why) {
    const ToolContext ctx = context(tools_json, choice(c.tool_choice));
    const Classification outcome = classify(format(c.format), output, ctx, true);
    ASSERT_TRUE(std::holds_alternative<InvalidToolCall>(outcome)) << c.id << " " << why;
    EXPECT_NE(std::get<InvalidToolCall>(outcome).error.find(error), std::string::npos)
        << c.id << " " << why << ": " << std::get<InvalidToolCall>(outcome).error;
    for (size_t split = 0; split <= output.size(); ++split) {
        ToolStreamDetector detector(format(c.format), ctx, ToolStreamDetector::Attempt::First);
        DetectorOutput a = detector.feed(std::string_view(output).substr(0, split));
        DetectorOutput b = detector.feed(std::string_view(output).substr(split));
        DetectorOutput end = detector.finish();
        EXPECT_TRUE(a.tool_calls.empty() && b.tool_calls.empty() && end.tool_calls.empty()) << c.id << " " << why;
        EXPECT_TRUE(a.retry || b.retry || end.retry) << c.id << " " << why << " split " << split;
    }
}

// The tool set with a required string property the model never wrote added to `tool`.
std::string with_required_probe(const std::string &tools_json, const std::string &tool) {
    Value tools = vep::json::parse(tools_json);
    for (auto &entry : tools.as_array()) {
        Value &function = *entry.find("function");
        if (function.find("name")->as_string() != tool) continue;
        Value &parameters = *function.find("parameters");
        Value type = Value::object();
        type.set("type", "string");
        parameters.find("properties")->set(kProbe, std::move(type));
        parameters.find("required")->push_back(Value(std::string(kProbe)));
    }
    return vep::json::dump(tools);
}

class ToolRecoveryNeverFabricates : public ::testing::TestWithParam<ModelCase> {};

// The schema now requires an argument no output contains: no rule may supply it.
TEST_P(ToolRecoveryNeverFabricates, ARequiredArgumentTheModelDidNotWriteGoesToCorrection) {
    const ModelCase &c = GetParam();
    for (const auto &call : c.calls.as_array()) {
        const std::string tool = call.find("name")->as_string();
        expect_correction(c, c.output, with_required_probe(c.tools_json, tool),
                          "arguments." + std::string(kProbe) + " is required", "probe on " + tool);
    }
}

// Each required argument the model wrote is removed from the text (its key renamed): the call
// must go to correction, not reach the client with the argument filled in from anywhere.
TEST_P(ToolRecoveryNeverFabricates, ARequiredArgumentRemovedFromTheTextGoesToCorrection) {
    const ModelCase &c = GetParam();
    const Value tools = vep::json::parse(c.tools_json);
    for (const auto &call : c.calls.as_array()) {
        const std::string tool = call.find("name")->as_string();
        for (const auto &entry : tools.as_array()) {
            const Value &function = *entry.find("function");
            if (function.find("name")->as_string() != tool) continue;
            for (const auto &required : function.find("parameters")->find("required")->as_array()) {
                const std::string key = required.as_string();
                if (!call.find("arguments")->find(key)) continue;
                std::string mutated = c.output;
                const std::string renamed = "zz" + key;
                for (size_t at = mutated.find(key); at != std::string::npos; at = mutated.find(key, at + renamed.size()))
                    mutated.replace(at, key.size(), renamed);
                expect_correction(c, mutated, c.tools_json, "", "without " + key);
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ToolRecoveryNeverFabricates, ::testing::ValuesIn(cases_with_calls()),
                         [](const ::testing::TestParamInfo<ModelCase> &info) {
                             std::string name = info.param.id;
                             for (char &ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return name;
                         });

// The recovery table: per format, how the first attempt ends for the corpus cases.
std::string recovery_table() {
    struct Row {
        size_t cases = 0, parsed = 0, repaired = 0, correction = 0, text = 0;
    };
    std::map<std::string, Row> rows;
    Row total;
    for (const auto &c : load_model_corpus()) {
        const std::string outcome = first_attempt_outcome(c.format, c.output, c.tools_json, c.tool_choice);
        for (Row *row : {&rows[c.format], &total}) {
            ++row->cases;
            if (outcome == "parsed") ++row->parsed;
            else if (outcome == "repaired") ++row->repaired;
            else if (outcome == "correction") ++row->correction;
            else ++row->text;
        }
    }
    std::ostringstream out;
    out << "| format | cases | parsed as written | repaired (named rule) | no retry: total | sent to correction "
           "(one retry) | lost (passed on as text) |\n|---|---:|---:|---:|---:|---:|---:|\n";
    auto line = [&out](const std::string &name, const Row &r) {
        out << "| " << name << " | " << r.cases << " | " << r.parsed << " | " << r.repaired << " | "
            << r.parsed + r.repaired << " | " << r.correction << " | " << r.text << " |\n";
    };
    for (const auto &[name, row] : rows) line("`" + name + "`", row);
    line("all", total);
    return out.str();
}

TEST(ToolRecovery, TableInDocsIsCurrent) {
    const std::string table = recovery_table();
    std::cout << table;
    std::ifstream in(std::filesystem::path(VEP_SOURCE_DIR) / "docs" / "benchmarks.md");
    std::ostringstream doc;
    doc << in.rdbuf();
    EXPECT_NE(doc.str().find(table), std::string::npos) << "docs/benchmarks.md does not hold the current table:\n"
                                                         << table;
}

// Every corpus case's expected outcome is what the proxy does (corpus_test checks the details).
TEST(ToolRecovery, EveryCaseEndsAsRecorded) {
    for (const auto &c : load_model_corpus())
        EXPECT_EQ(first_attempt_outcome(c.format, c.output, c.tools_json, c.tool_choice), c.outcome) << c.id;
}

}  // namespace
