// GLM <arg_value> typing by schema, tested on the conversion function directly.
#include <gtest/gtest.h>

#include "glm_value_typing.hpp"

namespace {

using vep::json::Value;
using vep::tools::type_glm_value;

std::string typed(std::string_view raw, std::string_view schema) {
    const Value parsed = vep::json::parse(schema);
    return vep::json::dump(type_glm_value(raw, &parsed));
}

TEST(GlmValueTyping, NullLiteralIsAlwaysNull) {
    EXPECT_EQ(vep::json::dump(type_glm_value("NULL", nullptr)), "null");
    EXPECT_EQ(typed("null", R"({"type":"string"})"), "null");
}

TEST(GlmValueTyping, NoSchemaKeepsTheString) { EXPECT_EQ(vep::json::dump(type_glm_value("5", nullptr)), R"("5")"); }

TEST(GlmValueTyping, Integers) {
    EXPECT_EQ(typed("-17", R"({"type":"integer"})"), "-17");
    EXPECT_EQ(typed("8", R"({"type":"uint32"})"), "8");
    EXPECT_EQ(typed("1.5", R"({"type":"integer"})"), R"("1.5")");
    EXPECT_EQ(typed("99999999999999999999", R"({"type":"int"})"), R"("99999999999999999999")");
}

TEST(GlmValueTyping, Numbers) {
    EXPECT_EQ(typed("0.70", R"({"type":"number"})"), "0.70");
    EXPECT_EQ(typed("3", R"({"type":"float"})"), "3");
    EXPECT_EQ(typed("abc", R"({"type":"number"})"), R"("abc")");
}

TEST(GlmValueTyping, Booleans) {
    EXPECT_EQ(typed("True", R"({"type":"boolean"})"), "true");
    EXPECT_EQ(typed("0", R"({"type":"bool"})"), "false");
    EXPECT_EQ(typed("yes", R"({"type":"boolean"})"), R"("yes")");
}

TEST(GlmValueTyping, ObjectsAndArrays) {
    EXPECT_EQ(typed("", R"({"type":"object"})"), "{}");
    EXPECT_EQ(typed("", R"({"type":"array"})"), "[]");
    EXPECT_EQ(typed(R"([1,"a"])", R"({"type":"list"})"), R"([1,"a"])");
    EXPECT_EQ(typed("{broken", R"({"type":"dict"})"), R"("{broken")");
}

TEST(GlmValueTyping, AlternativesTakeTheFirstThatConverts) {
    EXPECT_EQ(typed("12", R"({"type":["boolean","integer"]})"), "12");
    EXPECT_EQ(typed("12", R"({"anyOf":[{"type":"boolean"},{"type":"integer"}]})"), "12");
    EXPECT_EQ(typed("x", R"({"oneOf":[{"type":"integer"},{"type":"string"}]})"), R"("x")");
}

TEST(GlmValueTyping, EnumWithoutTypeIsAString) { EXPECT_EQ(typed("1", R"({"enum":["1","2"]})"), R"("1")"); }

TEST(GlmValueTyping, UnknownTypeKeepsTheString) { EXPECT_EQ(typed("1", R"({"type":"decimal128"})"), R"("1")"); }

}  // namespace
