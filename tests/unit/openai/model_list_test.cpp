// GET /v1/models mapping (venice.rs and tests/models.rs cases).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "errors/proxy_error.hpp"
#include "openai/model_list.hpp"

namespace vep::host {
namespace {

std::string read_data(const std::string &name) {
    std::ifstream in(std::string(VEP_SOURCE_DIR) + "/tests/data/openai/" + name, std::ios::binary);
    EXPECT_TRUE(in.good()) << name;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void expect_malformed(std::string_view body, std::string_view fragment) {
    try {
        map_models_response(body);
        ADD_FAILURE() << "accepted: " << body;
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.code(), "upstream_malformed_response");
        EXPECT_EQ(e.status(), 502);
        EXPECT_EQ(e.type(), "proxy_upstream_error");
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

TEST(ModelList, MapsSupportedVeniceTextModelsToOpenAiShape) {
    EXPECT_EQ(map_models_response(read_data("venice_models.json")), read_data("venice_models.expected.json"));
}

TEST(ModelList, MissingOptionalCapabilityMetadataDefaultsToFalse) {
    EXPECT_EQ(map_models_response(R"({"data":[{"id":"e2ee-x","type":"text","model_spec":{"capabilities":)"
                                  R"({"supportsE2EE":true,"supportsTeeAttestation":true}}}]})"),
              R"({"object":"list","data":[{"id":"e2ee-x","object":"model","created":0,"owned_by":"venice.ai",)"
              R"("name":"e2ee-x","info":{"meta":{"capabilities":{"function_calling":false,"builtin_tools":false,)"
              R"("web_search":false,"code_interpreter":false,"vision":false,"reasoning":false,"reasoning_effort":false}}},)"
              R"("venice":{"id":"e2ee-x","supportsE2EE":true,"supportsTeeAttestation":true,"supportsReasoning":false,)"
              R"("supportsReasoningEffort":false}}]})");
}

TEST(ModelList, ExplicitBuiltinToolsWinsOverDerivedDefault) {
    const std::string out = map_models_response(
        R"({"data":[{"id":"m","type":"text","model_spec":{"capabilities":{"supportsE2EE":true,)"
        R"("supportsTeeAttestation":true,"supportsWebSearch":true,"supportsBuiltinTools":false}}}]})");
    EXPECT_NE(out.find(R"("builtin_tools":false,"web_search":true)"), std::string::npos) << out;
}

TEST(ModelList, EmptyListIsFine) {
    EXPECT_EQ(map_models_response(R"({"data":[]})"), R"({"object":"list","data":[]})");
}

TEST(ModelList, MalformedModelPayloadIsReported) {
    expect_malformed(R"({"data":[{"id":"e2ee-x","type":"text","model_spec":{"capabilities":{"supportsE2EE":true}}}]})",
                     "supportsTeeAttestation");
    // One bad entry spoils the whole list, even if it would be filtered out.
    expect_malformed(R"({"data":[{"id":"ok","type":"text","model_spec":{"capabilities":{"supportsE2EE":true,)"
                     R"("supportsTeeAttestation":true}}},{"id":"img","type":"image"}]})",
                     "data[1]");
    expect_malformed("[]", "expected a JSON object");
    expect_malformed("{", "not valid JSON");
    expect_malformed(R"({"object":"list"})", "data");
    expect_malformed(R"({"data":{}})", "data must be an array");
    expect_malformed(R"({"data":[1]})", "data[0] must be an object");
    expect_malformed(R"({"data":[{"type":"text","model_spec":{"capabilities":{}}}]})", "id");
    expect_malformed(R"({"data":[{"id":"x","type":"text","created":"2024","model_spec":{"capabilities":)"
                     R"({"supportsE2EE":true,"supportsTeeAttestation":true}}}]})",
                     "created");
    expect_malformed(R"({"data":[{"id":"x","type":"text","created":1.5,"model_spec":{"capabilities":)"
                     R"({"supportsE2EE":true,"supportsTeeAttestation":true}}}]})",
                     "created");
    expect_malformed(R"({"data":[{"id":"x","type":"text","model_spec":{"capabilities":)"
                     R"({"supportsE2EE":true,"supportsTeeAttestation":true,"supportsVision":"yes"}}}]})",
                     "supportsVision");
    expect_malformed(R"({"data":[{"id":"x","type":"text","owned_by":7,"model_spec":{"capabilities":)"
                     R"({"supportsE2EE":true,"supportsTeeAttestation":true}}}]})",
                     "owned_by");
}

}  // namespace
}  // namespace vep::host
