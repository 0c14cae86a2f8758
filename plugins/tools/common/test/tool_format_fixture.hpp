// The gtest fixture of the tool_format plugin tests (hermes, qwen-xml, glm-xml).
//
// Owns: loading the plugin entry point linked into the test binary through the SDK's FakeHost,
// a ToolFormatClient over it (the ABI path the host uses) and parse helpers over the test's tool
// list. Each plugin test derives its fixture from ToolFormatTest with its own tools JSON.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "vep/client.hpp"
#include "vep/plugin.hpp"
#include "vep/testing/fake_host.hpp"

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *host, char *err, size_t err_len);

namespace vep::tools::testing {

class ToolFormatTest : public ::testing::Test {
  protected:
    explicit ToolFormatTest(std::string tools_json) : tools_json_(std::move(tools_json)) {}

    ParsedOutput parse(std::string_view output) { return format.parse(output, tools_json_); }
    // The message of the tool_parse_error that parsing `output` throws (a test failure otherwise).
    std::string parse_error(std::string_view output) {
        try {
            format.parse(output, tools_json_);
        } catch (const Failure &f) {
            EXPECT_EQ(f.code(), "tool_parse_error");
            return f.what();
        }
        ADD_FAILURE() << "expected a parse error";
        return {};
    }

    vep::testing::FakeHost host;
    client::ToolFormatClient format{host.load(&vep_plugin_entry), "{}", nullptr};

  private:
    std::string tools_json_;
};

}  // namespace vep::tools::testing
