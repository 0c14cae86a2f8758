// The relaxed JSON reader: each relaxation is accepted and named, strict errors stay errors.
#include <gtest/gtest.h>

#include "vep/tools/relaxed_json.hpp"

namespace {

using vep::tools::read_relaxed_json;

std::string rules_of(std::string_view text) {
    auto read = read_relaxed_json(text);
    if (!read) return "<invalid>";
    std::string out;
    for (const auto &rule : read->rules) out += (out.empty() ? "" : ",") + rule;
    return out;
}

TEST(RelaxedJson, StrictJsonUsesNoRule) {
    auto read = read_relaxed_json(R"({"a":[1,"x",true,null]} tail)");
    ASSERT_TRUE(read);
    EXPECT_TRUE(read->rules.empty());
    EXPECT_EQ(read->end, 23u);
    EXPECT_EQ(vep::json::dump(read->value), R"({"a":[1,"x",true,null]})");
}

TEST(RelaxedJson, EachRelaxationIsNamed) {
    EXPECT_EQ(rules_of("{\"a\":\"line\nnext\"}"), "json-raw-control-chars");
    EXPECT_EQ(rules_of(R"({a: 1})"), "json-unquoted-keys");
    EXPECT_EQ(rules_of(R"({'a': 'it\'s'})"), "json-single-quotes");
    EXPECT_EQ(rules_of(R"({"a": True, "b": None})"), "json-python-literals");
    EXPECT_EQ(rules_of("{a: 'x\ty', 'b': False}"), "json-unquoted-keys,json-single-quotes,json-raw-control-chars,json-python-literals");
}

TEST(RelaxedJson, ValuesMeanWhatTheyMeant) {
    auto read = read_relaxed_json("{'q': 'say \"hi\"', n: -1.5, raw: \"a\nb\"}");
    ASSERT_TRUE(read);
    EXPECT_EQ(vep::json::dump(read->value), R"({"q":"say \"hi\"","n":-1.5,"raw":"a\nb"})");
}

TEST(RelaxedJson, StrictErrorsStayErrors) {
    for (std::string_view bad : {R"({"a":1,})", R"({"a":1 // c
})", R"({"a": hello})", R"({"a":1,"a":2})", R"({"a":[1,2})", R"({"a":01})", "", "Truex"})
        EXPECT_FALSE(read_relaxed_json(bad)) << bad;
}

TEST(RelaxedJson, DepthIsBounded) {
    std::string deep(vep::tools::kMaxRelaxedDepth + 2, '[');
    deep += std::string(vep::tools::kMaxRelaxedDepth + 2, ']');
    EXPECT_FALSE(read_relaxed_json(deep));
}

}  // namespace
