// The data-driven tool-output corpora: tests/data/tools/<format>/*.case (one output each, see
// tests/data/tools/README.md) and the model-output corpus tests/data/tools/corpus/cases.jsonl
// (see its README), every case run through (1) the format plugin's parse() — including which
// repair rule read each call —, (2) classify(), and (3) ToolStreamDetector with the output split
// at every byte position and fed byte by byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "model_corpus.hpp"
#include "tool_test_support.hpp"
#include "tools/classification.hpp"
#include "tools/stream_detector.hpp"

namespace {

namespace fs = std::filesystem;
using namespace vep::host::tools;
using namespace vep::host::tools::testing;
using vep::host::ToolChoice;
using vep::json::Value;

const fs::path kCorpus = fs::path(VEP_SOURCE_DIR) / "tests" / "data" / "tools";

std::string read_file(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Sections "=== name" of a case file; a section's text is its lines joined with '\n' (the line
// break before the next header is not part of it). Lines before the first header are comments.
std::map<std::string, std::string> sections(const std::string &text) {
    std::map<std::string, std::string> out;
    std::string *current = nullptr;
    bool first_line = true;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("=== ", 0) == 0) {
            current = &out[line.substr(4)];
            first_line = true;
            continue;
        }
        if (!current) continue;
        if (!first_line) *current += '\n';
        *current += line;
        first_line = false;
    }
    return out;
}

struct Case {
    std::string format;
    std::string name;  // the test name after the format
    fs::path file;
    std::string output;
    std::string tools_json;
    ToolChoice tool_choice;
    Value expect;
};

void PrintTo(const Case &c, std::ostream *os) { *os << c.file.string() << " " << c.name; }

// A model-corpus case in the .case expectation shape; "repairs" holds each call's rule names
// ("" for a call the format read as written).
Case from_model_case(const ModelCase &m) {
    Value expect = Value::object();
    if (m.outcome == "parsed" || m.outcome == "repaired") {
        expect.set("classify", "tool_calls");
        expect.set("calls", m.calls);
        Value repairs = Value::array();
        for (size_t i = 0; i < m.calls.as_array().size(); ++i) repairs.push_back(m.rules.empty() ? "" : m.rules[i]);
        expect.set("repairs", std::move(repairs));
    } else if (m.outcome == "correction") {
        expect.set("classify", "invalid");
        expect.set("classify_error", m.error);
    } else {
        expect.set("classify", "normal_text");
    }
    return {m.format, "corpus_" + m.id, kCorpus / "corpus" / "cases.jsonl", m.output, m.tools_json,
            choice(m.tool_choice), std::move(expect)};
}

std::vector<Case> load_cases() {
    std::vector<Case> cases;
    const std::string default_tools = read_file(kCorpus / "tools.json");
    for (const char *format_name : {"hermes", "qwen-xml", "glm-xml"}) {
        std::vector<fs::path> files;
        for (const auto &entry : fs::directory_iterator(kCorpus / format_name))
            if (entry.path().extension() == ".case") files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto &file : files) {
            auto parts = sections(read_file(file));
            Case c{format_name, file.stem().string(), file, parts["output"],
                   parts.count("tools") ? parts["tools"] : default_tools, {}, {}};
            if (parts.count("tool_choice")) c.tool_choice = choice(parts["tool_choice"]);
            c.expect = vep::json::parse(parts.at("expect"));
            cases.push_back(std::move(c));
        }
    }
    for (const auto &m : load_model_corpus()) cases.push_back(from_model_case(m));
    return cases;
}

std::string expected_string(const Value &expect, std::string_view key) {
    const Value *v = expect.find(key);
    return v && v->is_string() ? v->as_string() : std::string();
}

void check_calls(const std::vector<ValidatedToolCall> &calls, const Value &expected, const std::string &where) {
    ASSERT_EQ(calls.size(), expected.as_array().size()) << where;
    for (size_t i = 0; i < calls.size(); ++i) {
        const Value &want = expected.as_array()[i];
        EXPECT_EQ(calls[i].name, want.find("name")->as_string()) << where << " call " << i;
        EXPECT_EQ(calls[i].arguments, vep::json::dump_sorted(*want.find("arguments"))) << where << " call " << i;
    }
}

void check_parse(const Case &c) {
    const auto &fmt = format(c.format);
    const Value *calls = c.expect.find("calls");
    const std::string parse_error = expected_string(c.expect, "parse_error");
    if (!calls && parse_error.empty()) return;  // the case pins only the classification
    try {
        const vep::ParsedOutput parsed = fmt.parse(c.output, c.tools_json);
        ASSERT_TRUE(parse_error.empty()) << "expected parse error containing: " << parse_error;
        ASSERT_NE(calls, nullptr) << "a case that parses must list its calls";
        ASSERT_EQ(parsed.calls.size(), calls->as_array().size());
        for (size_t i = 0; i < parsed.calls.size(); ++i) {
            EXPECT_EQ(parsed.calls[i].name, calls->as_array()[i].find("name")->as_string());
            EXPECT_EQ(vep::json::parse(parsed.calls[i].arguments), *calls->as_array()[i].find("arguments"));
            if (const Value *repairs = c.expect.find("repairs")) {
                EXPECT_EQ(parsed.calls[i].repair, repairs->as_array()[i].as_string()) << "call " << i;
            }
        }
        if (const Value *text = c.expect.find("text")) {
            EXPECT_EQ(parsed.text, text->as_string());
        }
    } catch (const vep::Failure &f) {
        ASSERT_FALSE(parse_error.empty()) << "unexpected parse error: " << f.what();
        EXPECT_NE(std::string(f.what()).find(parse_error), std::string::npos) << f.what();
    }
}

void check_classify(const Case &c, const ToolContext &ctx) {
    const Classification outcome = classify(format(c.format), c.output, ctx, true);
    const std::string kind = expected_string(c.expect, "classify");
    if (kind == "tool_calls") {
        ASSERT_TRUE(std::holds_alternative<ToolCalls>(outcome))
            << (std::holds_alternative<InvalidToolCall>(outcome) ? std::get<InvalidToolCall>(outcome).error : "normal text");
        check_calls(std::get<ToolCalls>(outcome).calls, *c.expect.find("calls"), "classify");
    } else if (kind == "normal_text") {
        EXPECT_TRUE(std::holds_alternative<NormalText>(outcome));
    } else {
        ASSERT_EQ(kind, "invalid");
        ASSERT_TRUE(std::holds_alternative<InvalidToolCall>(outcome));
        EXPECT_NE(std::get<InvalidToolCall>(outcome).error.find(expected_string(c.expect, "classify_error")),
                  std::string::npos)
            << std::get<InvalidToolCall>(outcome).error;
    }
}

// Feeds `pieces` to a fresh detector and checks what a client would have seen.
void check_stream(const Case &c, const ToolContext &ctx, const std::vector<std::string_view> &pieces,
                  const std::string &where) {
    ToolStreamDetector detector(format(c.format), ctx, ToolStreamDetector::Attempt::First);
    std::string content;
    std::vector<ValidatedToolCall> calls;
    std::optional<RetryRequest> retry;
    auto take = [&](DetectorOutput out) {
        EXPECT_TRUE(vep::json::is_valid_utf8(out.content)) << where << ": emitted a split UTF-8 sequence";
        content += out.content;
        for (auto &call : out.tool_calls) calls.push_back(std::move(call));
        if (out.retry && !retry) retry = std::move(out.retry);
    };
    for (std::string_view piece : pieces) take(detector.feed(piece));
    take(detector.finish());

    const std::string kind = expected_string(c.expect, "classify");
    const size_t marker = c.output.find("<tool_call>");
    std::string expected_content;
    if (kind == "normal_text") expected_content = c.output;
    else if (marker != std::string::npos) expected_content = c.output.substr(0, marker);
    EXPECT_EQ(content, expected_content) << where;
    if (kind == "tool_calls") {
        EXPECT_FALSE(retry) << where << ": " << retry->error;
        check_calls(calls, *c.expect.find("calls"), where);
    } else if (kind == "normal_text") {
        EXPECT_FALSE(retry) << where;
        EXPECT_TRUE(calls.empty()) << where;
    } else {
        ASSERT_TRUE(retry) << where;
        EXPECT_TRUE(calls.empty()) << where;
        EXPECT_NE(retry->error.find(expected_string(c.expect, "classify_error")), std::string::npos)
            << where << ": " << retry->error;
    }
}

class ToolCorpus : public ::testing::TestWithParam<Case> {};

TEST_P(ToolCorpus, ParseClassifyAndStreamAgree) {
    const Case &c = GetParam();
    const ToolContext ctx = context(c.tools_json, c.tool_choice);
    {
        SCOPED_TRACE("parse");
        check_parse(c);
    }
    {
        SCOPED_TRACE("classify");
        check_classify(c, ctx);
    }
    const std::string_view output = c.output;
    for (size_t split = 0; split <= output.size(); ++split)
        check_stream(c, ctx, {output.substr(0, split), output.substr(split)}, "split at " + std::to_string(split));
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < output.size(); ++i) bytes.push_back(output.substr(i, 1));
    check_stream(c, ctx, bytes, "byte by byte");
}

TEST(ToolCorpusFiles, EveryFormatHasCases) {
    std::map<std::string, size_t> counts;
    for (const auto &c : load_cases()) ++counts[c.format];
    for (const char *format_name : {"hermes", "qwen-xml", "glm-xml"}) EXPECT_GE(counts[format_name], 10u) << format_name;
}

INSTANTIATE_TEST_SUITE_P(Cases, ToolCorpus, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<Case> &info) {
                             std::string name = info.param.format + "_" + info.param.name;
                             for (char &ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return name;
                         });

}  // namespace
