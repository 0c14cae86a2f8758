// Raw argument value typing by schema, tested on the conversion function directly.
#include <gtest/gtest.h>

#include "vep/tools/value_typing.hpp"

namespace {

using vep::json::Value;
using vep::tools::type_raw_value;

std::string typed(std::string_view raw, std::string_view schema) {
    const Value parsed = vep::json::parse(schema);
    return vep::json::dump(type_raw_value(raw, &parsed));
}

TEST(RawValueTyping, NullLiteralIsAlwaysNull) {
    EXPECT_EQ(vep::json::dump(type_raw_value("NULL", nullptr)), "null");
    EXPECT_EQ(typed("null", R"({"type":"string"})"), "null");
}

TEST(RawValueTyping, NoSchemaKeepsTheString) { EXPECT_EQ(vep::json::dump(type_raw_value("5", nullptr)), R"("5")"); }

TEST(RawValueTyping, Integers) {
    EXPECT_EQ(typed("-17", R"({"type":"integer"})"), "-17");
    EXPECT_EQ(typed("8", R"({"type":"uint32"})"), "8");
    EXPECT_EQ(typed("1.5", R"({"type":"integer"})"), R"("1.5")");
    EXPECT_EQ(typed("99999999999999999999", R"({"type":"int"})"), R"("99999999999999999999")");
}

TEST(RawValueTyping, Numbers) {
    EXPECT_EQ(typed("0.70", R"({"type":"number"})"), "0.70");
    EXPECT_EQ(typed("3", R"({"type":"float"})"), "3");
    EXPECT_EQ(typed("abc", R"({"type":"number"})"), R"("abc")");
}

TEST(RawValueTyping, Booleans) {
    EXPECT_EQ(typed("True", R"({"type":"boolean"})"), "true");
    EXPECT_EQ(typed("0", R"({"type":"bool"})"), "false");
    EXPECT_EQ(typed("yes", R"({"type":"boolean"})"), R"("yes")");
}

TEST(RawValueTyping, ObjectsAndArrays) {
    EXPECT_EQ(typed("", R"({"type":"object"})"), "{}");
    EXPECT_EQ(typed("", R"({"type":"array"})"), "[]");
    EXPECT_EQ(typed(R"([1,"a"])", R"({"type":"list"})"), R"([1,"a"])");
    EXPECT_EQ(typed("{broken", R"({"type":"dict"})"), R"("{broken")");
}

TEST(RawValueTyping, AlternativesTakeTheFirstThatConverts) {
    EXPECT_EQ(typed("12", R"({"type":["boolean","integer"]})"), "12");
    EXPECT_EQ(typed("12", R"({"anyOf":[{"type":"boolean"},{"type":"integer"}]})"), "12");
    EXPECT_EQ(typed("x", R"({"oneOf":[{"type":"integer"},{"type":"string"}]})"), R"("x")");
}

TEST(RawValueTyping, EnumWithoutTypeIsAString) { EXPECT_EQ(typed("1", R"({"enum":["1","2"]})"), R"("1")"); }

TEST(RawValueTyping, UnknownTypeKeepsTheString) { EXPECT_EQ(typed("1", R"({"type":"decimal128"})"), R"("1")"); }

}  // namespace
