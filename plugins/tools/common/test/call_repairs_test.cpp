// The repair rules on their own: each named rule reads its form, and a result is refused
// whenever the tool, a key or a value would have to be guessed.
#include <gtest/gtest.h>

#include "vep/tools/call_repairs.hpp"

namespace {

using vep::tools::repair_block;
using vep::tools::ToolCatalog;

const vep::json::Value kTools = vep::json::parse(
    R"([{"type":"function","function":{"name":"read","parameters":{"type":"object","properties":)"
    R"({"filePath":{"type":"string"},"limit":{"type":"integer"}},"required":["filePath"]}}},)"
    R"({"type":"function","function":{"name":"read_file","parameters":{"type":"object","properties":)"
    R"({"path":{"type":"string"}}}}},)"
    R"({"type":"function","function":{"name":"readf","parameters":{"type":"object","properties":)"
    R"({"ilePath":{"type":"string"}}}}},)"
    R"({"type":"function","function":{"name":"now"}}])");

// "name|rule|arguments" of the one repaired call, or "-" when no rule reads the body.
std::string repaired(std::string_view body) {
    const ToolCatalog tools(kTools);
    auto calls = repair_block(body, tools);
    if (!calls) return "-";
    std::string out;
    for (const auto &call : *calls) out += (out.empty() ? "" : ";") + call.name + "|" + call.repair + "|" + call.arguments;
    return out;
}

TEST(CallRepairs, EachRuleReadsItsForm) {
    EXPECT_EQ(repaired(R"({name: 'read', arguments: {filePath: "/a"}})"),
              R"(read|json-unquoted-keys,json-single-quotes|{"filePath":"/a"})");
    EXPECT_EQ(repaired(R"({"function":{"name":"read","arguments":{"filePath":"/a"}}})"),
              R"(read|call-object-aliases|{"filePath":"/a"})");
    EXPECT_EQ(repaired("<function=read>\n<parameter=filePath>\n/a\n</parameter>\n<parameter=limit>\n5\n</parameter>\n</function>"),
              R"(read|function-parameter-xml|{"filePath":"/a","limit":5})");
    EXPECT_EQ(repaired(R"(<function>read</function> {"filePath":"/a"})"),
              R"(read|function-tag-json-arguments|{"filePath":"/a"})");
    EXPECT_EQ(repaired("read</arg_value>filePath</arg_key><arg_value>/a</arg_value><arg_key>limit</arg_key><arg_value>5</arg_value>"),
              R"(read|glm-loose-arg-tags|{"filePath":"/a","limit":5})");
    EXPECT_EQ(repaired(R"(read_filepath":"/a"})"), R"(read_file|name-glued-json|{"path":"/a"})");
    EXPECT_EQ(repaired(R"(read{"filePath":"/a"} {"limit":5})"), R"(read|name-json-objects|{"filePath":"/a","limit":5})");
    EXPECT_EQ(repaired(R"(read(filePath: "/a", limit=5))"), R"(read|call-syntax|{"filePath":"/a","limit":5})");
    EXPECT_EQ(repaired(R"(read filePath="/a" limit: 5)"), R"(read|attribute-pairs|{"filePath":"/a","limit":5})");
    EXPECT_EQ(repaired("now()"), "now|call-syntax|{}");
}

TEST(CallRepairs, NothingIsGuessed) {
    // An undeclared tool or key.
    EXPECT_EQ(repaired(R"(write(filePath: "/a"))"), "-");
    EXPECT_EQ(repaired(R"(read(path: "/a"))"), "-");
    EXPECT_EQ(repaired(R"({"name":"read","arguments":{"filePath":"/a","extra":1}, "note": 1})"), "-");
    // `readfilePath` splits two ways (read + filePath, readf + ilePath): ambiguous.
    EXPECT_EQ(repaired(R"(readfilePath":"/a"})"), "-");
    // A key given twice.
    EXPECT_EQ(repaired(R"(read{"filePath":"/a"}{"filePath":"/b"})"), "-");
    EXPECT_EQ(repaired(R"(read filePath="/a" filePath="/b")"), "-");
    // A value cut off by the end of the output, or unquoted.
    EXPECT_EQ(repaired("read</arg_value>filePath</arg_key><arg_value>/a"), "-");
    EXPECT_EQ(repaired(R"(read filePath=/a)"), "-");
    EXPECT_EQ(repaired(R"(read(filePath: "/a")"), "-");
    // No tool name at all; text after the call.
    EXPECT_EQ(repaired(R"(filePath":"/a"</arg_value>)"), "-");
    EXPECT_EQ(repaired(R"(read{"filePath":"/a"} and then some)"), "-");
    // Well-formed JSON needs no repair: the format's own verdict stands.
    EXPECT_EQ(repaired(R"({"name":"read","arguments":{"filePath":"/a"}})"), "-");
}

}  // namespace
