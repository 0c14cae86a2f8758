// The JSON Schema subset including the nullable-type fix (a reference-proxy bug, fixed).
#include <gtest/gtest.h>

#include "tools/schema_validation.hpp"

namespace {

using vep::host::tools::schema_shape_error;
using vep::host::tools::schema_violation;
using vep::json::parse;

std::string shape(std::string_view schema) { return schema_shape_error(parse(schema)).value_or("ok"); }
std::string check(std::string_view value, std::string_view schema) {
    return schema_violation(parse(value), parse(schema)).value_or("ok");
}

TEST(SchemaShape, AcceptsTheSubsetAndIgnoresOtherKeywords) {
    EXPECT_EQ(shape(R"({"type":"object","properties":{"q":{"type":"string","minLength":1,"format":"uri"},
        "tags":{"type":"array","items":{"type":"string"}},"n":{"type":["integer","null"]},
        "any":{"anyOf":[{"type":"string"}],"$ref":"#/x"}},"required":["q"],
        "additionalProperties":{"type":"string"},"enum":[{}]})"),
              "ok");
    EXPECT_EQ(shape("{}"), "ok");
}

TEST(SchemaShape, RejectsMalformedKeywordsWithTheirPath) {
    EXPECT_EQ(shape(R"({"type":"text"})"), R"(schema.type contains unsupported JSON schema type "text")");
    EXPECT_EQ(shape(R"({"type":[]})"), "schema.type must not be an empty array");
    EXPECT_EQ(shape(R"({"type":["string",1]})"), "schema.type array must contain only strings");
    EXPECT_EQ(shape(R"({"type":1})"), "schema.type must be a string or array of strings");
    EXPECT_EQ(shape(R"({"required":"q"})"), "schema.required must be an array");
    EXPECT_EQ(shape(R"({"required":[1]})"), "schema.required must contain only strings");
    EXPECT_EQ(shape(R"({"properties":[]})"), "schema.properties must be an object");
    EXPECT_EQ(shape(R"({"properties":{"q":true}})"), "schema.properties.q must be an object");
    EXPECT_EQ(shape(R"({"properties":{"q":{"type":"strin"}}})"),
              R"(schema.properties.q.type contains unsupported JSON schema type "strin")");
    EXPECT_EQ(shape(R"({"items":[{"type":"string"}]})"), "schema.items must be an object");
    EXPECT_EQ(shape(R"({"items":{"type":"x"}})"), R"(schema.items.type contains unsupported JSON schema type "x")");
    EXPECT_EQ(shape(R"({"additionalProperties":1})"), "schema.additionalProperties must be a boolean or object");
    EXPECT_EQ(shape(R"({"additionalProperties":{"required":{}}})"),
              "schema.additionalProperties.required must be an array");
    EXPECT_EQ(shape(R"({"enum":"a"})"), "schema.enum must be an array");
}

TEST(SchemaValues, RequiredAndAdditionalProperties) {
    const char *schema =
        R"({"type":"object","properties":{"query":{"type":"string"}},"required":["query"],"additionalProperties":false})";
    EXPECT_EQ(check(R"({"query":"x"})", schema), "ok");
    EXPECT_EQ(check(R"({"q":"x"})", schema), "arguments.query is required");
    EXPECT_EQ(check(R"({"query":"x","extra":1})", schema), "arguments.extra is not allowed by schema");
    EXPECT_EQ(check(R"({"query":1})", schema), "arguments.query expected type string, got number");
    EXPECT_EQ(check(R"({"a":1})", R"({"additionalProperties":{"type":"string"}})"),
              "arguments.a expected type string, got number");
}

TEST(SchemaValues, IntegersNumbersAndEnums) {
    EXPECT_EQ(check(R"({"n":1})", R"({"properties":{"n":{"type":"integer"}}})"), "ok");
    EXPECT_EQ(check(R"({"n":1.0})", R"({"properties":{"n":{"type":"integer"}}})"),
              "arguments.n expected type integer, got number");
    EXPECT_EQ(check(R"({"n":18446744073709551615})", R"({"properties":{"n":{"type":"integer"}}})"), "ok");
    EXPECT_EQ(check(R"({"n":1.5})", R"({"properties":{"n":{"type":"number"}}})"), "ok");
    EXPECT_EQ(check(R"({"e":1.0})", R"({"properties":{"e":{"enum":[1,"a"]}}})"),
              "arguments.e is not one of the allowed enum values");
    EXPECT_EQ(check(R"({"e":"a"})", R"({"properties":{"e":{"enum":[1,"a"]}}})"), "ok");
    EXPECT_EQ(check(R"({"u":"x"})", R"({"properties":{"u":{"type":"uuid"}}})"), "ok");
    EXPECT_EQ(check(R"({"s":true})", R"({"properties":{"s":{"type":["string","integer"]}}})"),
              "arguments.s expected type string or integer, got boolean");
}

TEST(SchemaValues, ArraysAndItems) {
    const char *schema = R"({"properties":{"tags":{"type":"array","items":{"type":"string"}}}})";
    EXPECT_EQ(check(R"({"tags":["a","b"]})", schema), "ok");
    EXPECT_EQ(check(R"({"tags":["a",2]})", schema), "arguments.tags[1] expected type string, got number");
    EXPECT_EQ(check(R"({"tags":"a"})", R"({"properties":{"tags":{"items":{"type":"string"}}}})"),
              "arguments.tags expected array, got string");
}

TEST(SchemaValues, NullableObjectsAndArraysAcceptNull) {
    const char *nullable_object =
        R"({"properties":{"filter":{"type":["object","null"],"properties":{"lang":{"type":"string"}},"required":["lang"]}}})";
    EXPECT_EQ(check(R"({"filter":null})", nullable_object), "ok");
    EXPECT_EQ(check(R"({"filter":{"lang":"de"}})", nullable_object), "ok");
    EXPECT_EQ(check(R"({"filter":{}})", nullable_object), "arguments.filter.lang is required");
    EXPECT_EQ(check(R"({"filter":"x"})", nullable_object), "arguments.filter expected type object or null, got string");
    const char *nullable_array = R"({"properties":{"ids":{"type":["array","null"],"items":{"type":"integer"}}}})";
    EXPECT_EQ(check(R"({"ids":null})", nullable_array), "ok");
    EXPECT_EQ(check(R"({"ids":[1,"x"]})", nullable_array), "arguments.ids[1] expected type integer, got string");
}

TEST(SchemaValues, PropertiesWithoutTypeStillImplyAnObject) {
    EXPECT_EQ(check(R"({"o":5})", R"({"properties":{"o":{"properties":{}}}})"), "arguments.o expected object, got number");
    EXPECT_EQ(check(R"({"o":null})", R"({"properties":{"o":{"required":["a"]}}})"),
              "arguments.o expected object, got null");
}

TEST(SchemaValues, NonObjectPropertySchemaIsReported) {
    EXPECT_EQ(check(R"({"a":1})", R"({"properties":{"a":true}})"), "arguments.a schema must be an object");
}

}  // namespace
