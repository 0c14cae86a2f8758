// RFC 8785 canonical JSON against the RFC's own examples (§3.2.2 values, §3.2.3 member order) and
// its Appendix B number vectors (IEEE-754 bit patterns and their ECMAScript form).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "vep/attestation/rfc8785_canonical_json.hpp"
#include "vep/json.hpp"
#include "vep/sdk.hpp"

using vep::attestation::canonical_json;

namespace {

std::string canonical_of_bits(uint64_t bits) {
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", d);
    return canonical_json(vep::json::Value::number(text));
}

}  // namespace

TEST(Rfc8785CanonicalJson, Section322Example) {
    const auto value = vep::json::parse(R"({
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
    })");
    EXPECT_EQ(canonical_json(value),
              "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
              "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

TEST(Rfc8785CanonicalJson, Section323MemberOrderByUtf16CodeUnits) {
    const auto value = vep::json::parse(R"({
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis"
    })");
    EXPECT_EQ(canonical_json(value),
              "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
              "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
              "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

TEST(Rfc8785CanonicalJson, AppendixBNumbers) {
    const std::pair<uint64_t, const char *> vectors[] = {
        {0x0000000000000000ULL, "0"},
        {0x8000000000000000ULL, "0"},
        {0x0000000000000001ULL, "5e-324"},
        {0x8000000000000001ULL, "-5e-324"},
        {0x7fefffffffffffffULL, "1.7976931348623157e+308"},
        {0xffefffffffffffffULL, "-1.7976931348623157e+308"},
        {0x4340000000000000ULL, "9007199254740992"},
        {0xc340000000000000ULL, "-9007199254740992"},
        {0x4430000000000000ULL, "295147905179352830000"},
        {0x44b52d02c7e14af5ULL, "9.999999999999997e+22"},
        {0x44b52d02c7e14af6ULL, "1e+23"},
        {0x44b52d02c7e14af7ULL, "1.0000000000000001e+23"},
        {0x444b1ae4d6e2ef4eULL, "999999999999999700000"},
        {0x444b1ae4d6e2ef4fULL, "999999999999999900000"},
        {0x444b1ae4d6e2ef50ULL, "1e+21"},
        {0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7"},
        {0x3eb0c6f7a0b5ed8dULL, "0.000001"},
        {0x41b3de4355555553ULL, "333333333.3333332"},
        {0x41b3de4355555554ULL, "333333333.33333325"},
        {0x41b3de4355555555ULL, "333333333.3333333"},
        {0x41b3de4355555556ULL, "333333333.3333334"},
        {0x41b3de4355555557ULL, "333333333.33333343"},
        {0xbecbf647612f3696ULL, "-0.0000033333333333333333"},
        {0x43143ff3c1cb0959ULL, "1424953923781206.2"},
    };
    for (const auto &[bits, expected] : vectors) EXPECT_EQ(canonical_of_bits(bits), expected) << std::hex << bits;
}

TEST(Rfc8785CanonicalJson, NestedStructuresHaveNoWhitespace) {
    const auto value = vep::json::parse(R"({ "b" : [ 1 , { "z" : 1, "a" : "x" } ], "a" : { } })");
    EXPECT_EQ(canonical_json(value), R"({"a":{},"b":[1,{"a":"x","z":1}]})");
}

TEST(Rfc8785CanonicalJson, RefusesDuplicateMembersAndNonFiniteNumbers) {
    vep::json::Value dup = vep::json::Value::object();
    dup.as_object().emplace_back("a", vep::json::Value(true));
    dup.as_object().emplace_back("a", vep::json::Value(false));
    EXPECT_THROW(canonical_json(dup), vep::Failure);
    EXPECT_THROW(canonical_json(vep::json::Value::number("1e999")), vep::Failure);
}
