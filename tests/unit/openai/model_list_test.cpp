// GET /v1/models mapping (venice.rs and tests/models.rs cases) and the models that failed
// attestation: left out (models.list_only_attested) or marked.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "errors/proxy_error.hpp"
#include "openai/model_list.hpp"
#include "vep/json.hpp"

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

// The ids of a model list body, in order.
std::vector<std::string> ids_of(const std::string &body) {
    std::vector<std::string> ids;
    const json::Value list = json::parse(body);
    for (const auto &entry : list.find("data")->as_array()) ids.push_back(entry.find("id")->as_string());
    return ids;
}

// A failure lookup that names only `model`.
std::function<std::optional<FailedAttestation>(std::string_view)> failing(std::string model, FailedAttestation failure) {
    return [model = std::move(model), failure = std::move(failure)](std::string_view id) -> std::optional<FailedAttestation> {
        if (id == model) return failure;
        return std::nullopt;
    };
}

TEST(FailedAttestations, ListOnlyAttestedLeavesOutFailedModelsOnly) {
    const std::string body = map_models_response(read_data("venice_models.json"));
    const std::vector<std::string> all = ids_of(body);
    ASSERT_GE(all.size(), 2u);
    const std::string out = apply_failed_attestations(body, failing(all[0], {"attestation_failed", 100, 0}), true);
    std::vector<std::string> expected(all.begin() + 1, all.end());
    EXPECT_EQ(ids_of(out), expected);
    EXPECT_EQ(out.find("\"attestation\""), std::string::npos);
}

TEST(FailedAttestations, WithoutListOnlyAttestedAFailedModelIsMarked) {
    const std::string body = map_models_response(read_data("venice_models.json"));
    const std::vector<std::string> all = ids_of(body);
    const std::string out =
        apply_failed_attestations(body, failing(all[1], {"attestation_nonce_mismatch", 1700000100, 1700000000}), false);
    EXPECT_EQ(ids_of(out), all);
    const json::Value list = json::parse(out);
    const auto &data = list.find("data")->as_array();
    EXPECT_EQ(data[0].find("attestation"), nullptr);
    const json::Value *mark = data[1].find("attestation");
    ASSERT_NE(mark, nullptr);
    EXPECT_EQ(mark->find("status")->as_string(), "failed");
    EXPECT_EQ(mark->find("code")->as_string(), "attestation_nonce_mismatch");
    int64_t time = 0, last = 0;
    EXPECT_TRUE(mark->find("time")->get_i64(time));
    EXPECT_TRUE(mark->find("last_verified")->get_i64(last));
    EXPECT_EQ(time, 1700000100);
    EXPECT_EQ(last, 1700000000);
    EXPECT_EQ(data[1].find("venice")->find("id")->as_string(), all[1]) << "the entry keeps its OpenAI and venice members";

    const std::string never_verified = apply_failed_attestations(body, failing(all[1], {"attestation_failed", 5, 0}), false);
    EXPECT_EQ(json::parse(never_verified).find("data")->as_array()[1].find("attestation")->find("last_verified"), nullptr);
}

TEST(FailedAttestations, NoFailureLeavesTheBodyByteForByte) {
    const std::string body = map_models_response(read_data("venice_models.json"));
    EXPECT_EQ(apply_failed_attestations(body, failing("not-listed", {"attestation_failed", 1, 0}), true), body);
    EXPECT_EQ(apply_failed_attestations(body, failing("not-listed", {"attestation_failed", 1, 0}), false), body);
}

}  // namespace
}  // namespace vep::host
