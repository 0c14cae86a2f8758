// ToolContext::build and the exposed tools JSON.
#include <gtest/gtest.h>

#include "errors/proxy_error.hpp"
#include "tool_test_support.hpp"
#include "tools/tool_context.hpp"

namespace {

using vep::host::ProxyError;
using vep::host::ToolsConfig;
using vep::host::tools::ToolContext;
using namespace vep::host::tools::testing;

const char *kTwoTools =
    R"([{"type":"function","function":{"name":"search_web","description":"Search the web","parameters":{"type":"object","required":["query"],"properties":{"query":{"type":"string"}}}}},
        {"type":"function","function":{"name":"other"}}])";

std::string build_error(std::string_view tools, std::string_view tool_choice, const ToolsConfig &config = {}) {
    try {
        ToolContext::build(tools_from_json(tools), choice(tool_choice), config);
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.status(), 400);
        EXPECT_EQ(e.code(), "invalid_request");
        EXPECT_EQ(e.type(), "invalid_request_error");
        return e.what();
    }
    ADD_FAILURE() << "expected a 400";
    return {};
}

TEST(ToolContext, InactiveCasesArePlainChat) {
    ToolsConfig disabled;
    disabled.enabled = false;
    EXPECT_FALSE(ToolContext::build(tools_from_json(kTwoTools), choice("auto"), disabled));
    ToolsConfig none;
    none.mode = "none";
    EXPECT_FALSE(ToolContext::build(tools_from_json(kTwoTools), choice("required"), none));
    EXPECT_FALSE(ToolContext::build(tools_from_json(kTwoTools), choice("none"), {}));
    EXPECT_FALSE(ToolContext::build({}, choice("auto"), {}));
    // Disabled tools never complain about a required choice without tools.
    EXPECT_FALSE(ToolContext::build({}, choice("required"), disabled));
}

TEST(ToolContext, AutoExposesEveryToolAndDoesNotRequireACall) {
    const ToolContext ctx = context(kTwoTools);
    EXPECT_FALSE(ctx.require_tool_call());
    ASSERT_EQ(ctx.exposed_tools().size(), 2u);
    EXPECT_NE(ctx.find_tool("other"), nullptr);
    EXPECT_EQ(ctx.find_tool("missing"), nullptr);
    EXPECT_EQ(ctx.exposed_tools_json(),
              R"([{"type":"function","function":{"name":"search_web","description":"Search the web","parameters":)"
              R"({"properties":{"query":{"type":"string"}},"required":["query"],"type":"object"}}},)"
              R"({"type":"function","function":{"name":"other"}}])");
}

TEST(ToolContext, RequiredChoiceRequiresACall) { EXPECT_TRUE(context(kTwoTools, choice("required")).require_tool_call()); }

TEST(ToolContext, NamedChoiceExposesOnlyThatTool) {
    const ToolContext ctx = context(kTwoTools, choice("search_web"));
    EXPECT_TRUE(ctx.require_tool_call());
    ASSERT_EQ(ctx.exposed_tools().size(), 1u);
    EXPECT_EQ(ctx.find_tool("other"), nullptr);
    EXPECT_EQ(ctx.exposed_tools_json().find("other"), std::string::npos);
}

TEST(ToolContext, RequestErrors) {
    EXPECT_EQ(build_error("[]", "required"), "invalid field tool_choice: tool_choice requires at least one function tool");
    EXPECT_EQ(build_error("[]", "search_web"), "invalid field tool_choice: tool_choice requires at least one function tool");
    EXPECT_EQ(build_error(R"([{"function":{"name":"a"}},{"function":{"name":"a"}}])", "auto"),
              R"(invalid field tools: duplicate function tool name "a")");
    EXPECT_EQ(build_error(kTwoTools, "missing"),
              R"(invalid field tool_choice: requested function tool "missing" is not present in tools)");
    EXPECT_EQ(build_error(R"([{"function":{"name":"a","parameters":{"type":"text"}}}])", "auto"),
              R"(invalid field tools: tool "a" has an unsupported or invalid parameters schema: )"
              R"(schema.type contains unsupported JSON schema type "text")");
}

TEST(ToolContext, SchemaShapeIsNotCheckedWhenValidationIsOff) {
    ToolsConfig config;
    config.validate_json_schema = false;
    EXPECT_TRUE(ToolContext::build(tools_from_json(R"([{"function":{"name":"a","parameters":{"type":"text"}}}])"),
                                   choice("auto"), config));
}

TEST(ToolContext, KeepsTheConfiguration) {
    ToolsConfig config;
    config.tool_call_max_bytes = 123;
    EXPECT_EQ(context(kTwoTools, choice("auto"), config).config().tool_call_max_bytes, 123u);
}

}  // namespace
