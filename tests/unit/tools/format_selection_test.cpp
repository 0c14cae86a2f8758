// Format selection by model id (configurable rules).
#include <gtest/gtest.h>

#include "tools/format_selection.hpp"

namespace {

using vep::host::ToolsConfig;
using vep::host::tools::select_format;

TEST(FormatSelection, DefaultRulesMatchTheReference) {
    const ToolsConfig config;
    EXPECT_EQ(select_format("e2ee-glm-5-1", config), "glm-xml");
    EXPECT_EQ(select_format("E2EE-GLM-4-7-flash-p", config), "glm-xml");
    EXPECT_EQ(select_format("e2ee-qwen3-30b-a3b-p", config), "qwen-xml");
    EXPECT_EQ(select_format("e2ee-qwen-glm-hybrid", config), "glm-xml");  // first rule wins
    EXPECT_EQ(select_format("e2ee-gemma-3-27b", config), "hermes");
    EXPECT_EQ(select_format("e2ee-test", config), "hermes");
}

TEST(FormatSelection, ConfiguredRulesAreCaseInsensitiveAndOrdered) {
    ToolsConfig config;
    config.formats = {{"Gemma", "gemma-json"}, {"e2ee-", "hermes"}};
    config.default_format = "fallback";
    EXPECT_EQ(select_format("E2EE-GEMMA-3", config), "gemma-json");
    EXPECT_EQ(select_format("e2ee-glm-5", config), "hermes");
    EXPECT_EQ(select_format("llama", config), "fallback");
}

}  // namespace
