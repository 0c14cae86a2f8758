// The chat route end to end: proxy + venice-sim on 127.0.0.1, real E2EE both ways. Ports the
// route-level tests of the reference (http.rs and proxy_integration.rs) for
// plain answers, streaming and buffered, and the headers of the reference.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proxy_harness.hpp"

using namespace vep::test;
using ::testing::HasSubstr;

namespace {

const vep::json::Value &choice0(const vep::json::Value &chunk) { return chunk.find("choices")->as_array().at(0); }

class ChatRoute : public SharedHarnessTest<ChatRoute> {
  protected:
    void SetUp() override {
        SharedHarnessTest::SetUp();
        h().sim().configure(R"({"attestation_fault":"none","models_fault":"none","attestation_shape":"aci"})");
    }
};

}  // namespace

TEST_F(ChatRoute, StreamsDecryptedAnswerWithVerifiedHeaders) {
    auto r = h().post_chat(chat_body(kHermesModel, "hello through the enclave", true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "text/event-stream");
    EXPECT_EQ(r.header("Cache-Control"), "no-cache");
    EXPECT_EQ(r.header("X-Venice-Proxy-E2EE"), "verified");
    EXPECT_EQ(r.header("X-Venice-Proxy-Attestation-Mode"), "independent");
    EXPECT_EQ(r.header("X-Venice-Proxy-Attested-Model"), kHermesModel);
    EXPECT_EQ(r.header("X-Venice-Proxy-TEE-Provider"), "phala");
    EXPECT_EQ(r.header("X-Venice-Proxy-TDX-Debug"), "false");
    EXPECT_EQ(r.header("X-Venice-Proxy-NVIDIA-Verified"), "not-present");
    EXPECT_EQ(r.header("X-Venice-Proxy-Key-Binding"), "true");
    EXPECT_EQ(r.header("X-Venice-Proxy-Session-Scope"), "request");
    EXPECT_FALSE(r.header("X-Venice-Proxy-Session-Id").empty());
    EXPECT_EQ(r.header("X-Venice-Proxy-Tool-Mode"), "emulated");
    EXPECT_EQ(r.header("X-Venice-Proxy-TDX-Verified"), "");
    EXPECT_EQ(streamed_content(r), "hello through the enclave");
    const auto events = r.sse_data();
    ASSERT_GE(events.size(), 3u);
    EXPECT_EQ(events.back(), "[DONE]");
    const auto first = vep::json::parse(events.front());
    EXPECT_EQ(choice0(first).find("delta")->find("role")->as_string(), "assistant");
    const auto finish = vep::json::parse(events[events.size() - 2]);
    EXPECT_EQ(choice0(finish).find("finish_reason")->as_string(), "stop");
    // Only the first emitted delta carries the role.
    int roles = 0;
    for (size_t i = 0; i + 1 < events.size(); ++i)
        if (choice0(vep::json::parse(events[i])).find("delta")->find("role")) ++roles;
    EXPECT_EQ(roles, 1);

    const auto seen = h().sim().requests();
    const auto chat = std::find_if(seen.begin(), seen.end(), [](const auto &rec) { return rec.path.find("chat") != std::string::npos; });
    ASSERT_NE(chat, seen.end());
    EXPECT_TRUE(chat->all_contents_ciphertext);
    EXPECT_FALSE(chat->plaintext_leak_detected);
    EXPECT_TRUE(chat->model_pub_key_matches);
    EXPECT_EQ(chat->stream, std::optional<bool>(true));
}

TEST_F(ChatRoute, BufferedAnswerIsOneCompletion) {
    auto r = h().post_chat(chat_body(kHermesModel, "buffer me", false));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    const auto body = r.json();
    EXPECT_EQ(body.find("object")->as_string(), "chat.completion");
    const auto &message = *choice0(body).find("message");
    EXPECT_EQ(message.find("role")->as_string(), "assistant");
    EXPECT_EQ(message.find("content")->as_string(), "buffer me");
    EXPECT_EQ(choice0(body).find("finish_reason")->as_string(), "stop");
    EXPECT_EQ(r.header("X-Venice-Proxy-E2EE"), "verified");
}

TEST_F(ChatRoute, OmittedStreamMeansBuffered) {
    auto r = h().post_chat(R"({"model":")" + std::string(kHermesModel) + R"(","messages":[{"role":"user","content":"x"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().find("object")->as_string(), "chat.completion");
}

TEST_F(ChatRoute, StreamsReasoningBeforeContent) {
    auto r = h().post_chat(chat_body(kQwenModel, "sim:scenario=reasoning reasoning=2\nthe answer", true));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = r.sse_data();
    const auto first = vep::json::parse(events.front());
    const auto &delta = *choice0(first).find("delta");
    EXPECT_THAT(delta.find("reasoning_content")->as_string(), HasSubstr("Reasoning step"));
    EXPECT_EQ(delta.find("content"), nullptr);
    EXPECT_EQ(streamed_content(r), "the answer");
}

TEST_F(ChatRoute, BufferedReasoningIsConcatenated) {
    auto r = h().post_chat(chat_body(kQwenModel, "sim:scenario=reasoning reasoning=2\nfinal", false));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    const auto &message = *choice0(body).find("message");
    EXPECT_EQ(message.find("reasoning_content")->as_string(), "Reasoning step 1. Reasoning step 2. ");
    EXPECT_EQ(message.find("content")->as_string(), "final");
}

TEST_F(ChatRoute, UsageChunkOnlyWhenRequested) {
    auto with = h().post_chat(chat_body(kHermesModel, "u", true, R"("stream_options":{"include_usage":true})"));
    ASSERT_EQ(with.status, 200);
    const auto events = with.sse_data();
    ASSERT_GE(events.size(), 2u);
    const auto usage = vep::json::parse(events[events.size() - 2]);
    EXPECT_TRUE(usage.find("choices")->as_array().empty());
    EXPECT_TRUE(usage.find("usage")->is_object());

    auto without = h().post_chat(chat_body(kHermesModel, "u", true));
    for (const auto &e : without.sse_data()) EXPECT_THAT(e, ::testing::Not(HasSubstr("\"usage\"")));

    auto buffered = h().post_chat(chat_body(kHermesModel, "u", false));
    EXPECT_TRUE(buffered.json().find("usage")->is_object());
}

TEST_F(ChatRoute, LongAnswerArrivesWhole) {
    auto r = h().post_chat(chat_body(kHermesModel, "sim:scenario=long chunks=40 chunk_bytes=7", true));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(streamed_content(r).size(), 280u);
}

TEST_F(ChatRoute, EmptyStreamFailsClosedInBothModes) {
    auto streamed = h().post_chat(chat_body(kHermesModel, "sim:scenario=empty", true));
    ASSERT_EQ(streamed.status, 200);
    const auto events = streamed.sse_data();
    ASSERT_FALSE(events.empty());
    EXPECT_NE(events.back(), "[DONE]");
    EXPECT_THAT(events.back(), HasSubstr("e2ee_response_decryption_failed"));

    auto buffered = h().post_chat(chat_body(kHermesModel, "sim:scenario=empty", false));
    EXPECT_EQ(buffered.status, 502);
    EXPECT_EQ(buffered.header("X-Venice-Proxy-Error-Code"), "e2ee_response_decryption_failed");
}

struct FaultCase {
    const char *fault;
    const char *code;
};

class ChatFaults : public ChatRoute, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(ChatFaults, StreamingEndsWithErrorEventAndNoDone) {
    const auto &c = GetParam();
    auto r = h().post_chat(chat_body(kHermesModel, std::string("sim:scenario=long chunks=5 fault=") + c.fault, true));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = r.sse_data();
    ASSERT_FALSE(events.empty());
    EXPECT_NE(events.back(), "[DONE]");
    const auto error = vep::json::parse(events.back());
    ASSERT_NE(error.find("error"), nullptr) << events.back();
    EXPECT_EQ(error.find("error")->find("code")->as_string(), c.code);
}

TEST_P(ChatFaults, BufferedFailsClosedWith502) {
    const auto &c = GetParam();
    auto r = h().post_chat(chat_body(kHermesModel, std::string("sim:scenario=long chunks=5 fault=") + c.fault, false));
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), c.code);
    EXPECT_EQ(r.json().find("error")->find("code")->as_string(), c.code);
}

INSTANTIATE_TEST_SUITE_P(Faults, ChatFaults,
                         ::testing::Values(FaultCase{"plaintext_chunk", "e2ee_response_decryption_failed"},
                                           FaultCase{"wrong_key_chunk", "e2ee_response_decryption_failed"},
                                           FaultCase{"event_error", "upstream_stream_error"},
                                           FaultCase{"error_chunk", "upstream_stream_error"},
                                           FaultCase{"malformed_json", "upstream_malformed_response"},
                                           FaultCase{"disconnect", "upstream_malformed_response"},
                                           FaultCase{"plaintext_reasoning", "e2ee_response_decryption_failed"},
                                           FaultCase{"bad_choices", "upstream_malformed_response"}),
                         [](const auto &info) { return std::string(info.param.fault); });

// http.rs chat_route_ignores_upstream_role_only_chunk_before_encrypted_content: the upstream's
// role-only chunk is not forwarded; the role rides on the first content chunk.
TEST_F(ChatRoute, RoleOnlyUpstreamChunkIsNotForwarded) {
    auto r = h().post_chat(chat_body(kHermesModel, "x", true));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = r.sse_data();
    ASSERT_EQ(events.size(), 3u) << r.body;  // content (with role), finish, [DONE]
    const auto first = vep::json::parse(events[0]);
    const auto &delta = *choice0(first).find("delta");
    ASSERT_NE(delta.find("role"), nullptr) << events[0];
    ASSERT_NE(delta.find("content"), nullptr) << events[0];
    EXPECT_EQ(delta.find("role")->as_string(), "assistant");
    EXPECT_EQ(delta.find("content")->as_string(), "x");
}

// http.rs chat_route_streams_decrypted_normal_assistant_text: null and empty content are skipped.
TEST_F(ChatRoute, NullAndEmptyContentChunksAreSkipped) {
    auto r = h().post_chat(chat_body(kHermesModel, "sim:fault=empty_deltas fault_after=0\nhello", true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.sse_data().size(), 3u) << r.body;
    EXPECT_EQ(streamed_content(r), "hello");
    auto b = h().post_chat(chat_body(kHermesModel, "sim:fault=empty_deltas\nhello", false));
    ASSERT_EQ(b.status, 200) << b.body;
    EXPECT_EQ(choice0(b.json()).find("message")->find("content")->as_string(), "hello");
}

// http.rs chat_route_synthesizes_final_finish_chunk_before_done_when_needed.
TEST_F(ChatRoute, MissingFinishChunkIsSynthesized) {
    auto r = h().post_chat(chat_body(kHermesModel, "sim:fault=no_finish\nhello", true));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = r.sse_data();
    ASSERT_GE(events.size(), 3u);
    EXPECT_EQ(events.back(), "[DONE]");
    EXPECT_EQ(choice0(vep::json::parse(events[events.size() - 2])).find("finish_reason")->as_string(), "stop");
    auto b = h().post_chat(chat_body(kHermesModel, "sim:fault=no_finish\nhello", false));
    ASSERT_EQ(b.status, 200) << b.body;
    EXPECT_EQ(choice0(b.json()).find("finish_reason")->as_string(), "stop");
}

// proxy_integration.rs streaming_chat_completion_decrypts_split_sse_and_sets_verified_headers:
// every upstream event arrives split across network reads.
TEST_F(ChatRoute, SseEventsSplitAcrossReadsAreReassembled) {
    auto r = h().post_chat(chat_body(kQwenModel, "sim:scenario=reasoning reasoning=2 fault=split_events\nsplit answer",
                                     true, R"("stream_options":{"include_usage":true})"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-E2EE"), "verified");
    EXPECT_EQ(streamed_content(r), "split answer");
    const auto events = r.sse_data();
    EXPECT_EQ(events.back(), "[DONE]");
    EXPECT_TRUE(vep::json::parse(events[events.size() - 2]).find("usage")->is_object());
}

// http.rs chat_route_returns_buffered_non_streaming_completion: the completion keeps the
// upstream's id and created time.
TEST_F(ChatRoute, BufferedCompletionKeepsUpstreamIdentity) {
    auto r = h().post_chat(chat_body(kHermesModel, "who", false));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    EXPECT_THAT(body.find("id")->as_string(), ::testing::StartsWith("chatcmpl-sim-"));
    int64_t created = 0;
    ASSERT_TRUE(body.find("created")->get_i64(created));
    EXPECT_GT(created, 1700000000);
    EXPECT_EQ(body.find("model")->as_string(), kHermesModel);
}

TEST_F(ChatRoute, UpstreamHttpErrorsMapToProxyCodes) {
    auto r401 = h().post_chat(chat_body(kHermesModel, "sim:http_status=401", true));
    EXPECT_EQ(r401.status, 502);
    EXPECT_EQ(r401.header("X-Venice-Proxy-Error-Code"), "upstream_authentication_failed");
    auto r429 = h().post_chat(chat_body(kHermesModel, "sim:http_status=429", false));
    EXPECT_EQ(r429.status, 502);
    EXPECT_EQ(r429.header("X-Venice-Proxy-Error-Code"), "upstream_status_error");
    EXPECT_THAT(r429.json().find("error")->find("message")->as_string(), HasSubstr("429"));
    auto r500 = h().post_chat(chat_body(kHermesModel, "sim:http_status=500", true));
    EXPECT_EQ(r500.status, 502);
    EXPECT_EQ(r500.header("X-Venice-Proxy-Error-Code"), "upstream_status_error");
}

TEST_F(ChatRoute, ErrorsCarryOnlyTheErrorCodeHeader) {
    auto r = h().post_chat("[]");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "invalid_request");
    EXPECT_EQ(r.header("X-Venice-Proxy-E2EE"), "");
    EXPECT_EQ(r.json().find("error")->find("type")->as_string(), "invalid_request_error");
}

TEST_F(ChatRoute, MalformedJsonIs400) {
    auto r = h().post_chat("{");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "invalid_json");
}

TEST_F(ChatRoute, WrongContentTypeIs415) {
    auto r = h().post_chat(chat_body(kHermesModel, "x", false), {{"Content-Type", "text/plain"}});
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "unsupported_media_type");
}

TEST_F(ChatRoute, UnknownRouteAndWrongMethod) {
    auto nf = h().get("/v1/nope");
    EXPECT_EQ(nf.status, 404);
    EXPECT_EQ(nf.header("X-Venice-Proxy-Error-Code"), "not_found");
    EXPECT_EQ(nf.json().find("error")->find("type")->as_string(), "invalid_request_error");
    auto bad = h().request("POST", "/v1/models", "{}", {});
    EXPECT_EQ(bad.status, 405);
    EXPECT_EQ(bad.header("X-Venice-Proxy-Error-Code"), "method_not_allowed");
    auto bad2 = h().get("/v1/chat/completions");
    EXPECT_EQ(bad2.status, 405);
}

TEST_F(ChatRoute, HealthzAnswers) {
    auto r = h().get("/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json().find("status")->as_string(), "ok");
}

TEST_F(ChatRoute, ModelsAreFilteredToAttestedE2eeTextModels) {
    auto r = h().get("/v1/models");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Attestation-Mode"), "independent");
    EXPECT_EQ(r.header("X-Venice-Proxy-Tool-Mode"), "emulated");
    EXPECT_EQ(r.header("X-Venice-Proxy-E2EE"), "");
    std::vector<std::string> ids;
    const auto models = r.json();
    for (const auto &m : models.find("data")->as_array()) ids.push_back(m.find("id")->as_string());
    EXPECT_THAT(ids, ::testing::Contains(std::string(kHermesModel)));
    EXPECT_THAT(ids, ::testing::Contains(std::string(kGlmModel)));
    EXPECT_THAT(ids, ::testing::Not(::testing::Contains(std::string("venice-uncensored"))));
    EXPECT_THAT(ids, ::testing::Not(::testing::Contains(std::string("venice-sd35"))));
}

TEST_F(ChatRoute, MultiMessageConversationKeepsRolesAndEncryptsEverything) {
    const std::string body = R"({"model":")" + std::string(kHermesModel) +
                             R"(","stream":false,"messages":[{"role":"system","content":"be brief"},)"
                             R"({"role":"user","content":"first"},{"role":"assistant","content":"ok"},)"
                             R"({"role":"developer","content":"dev"},{"role":"user","content":[{"type":"text","text":"se"},{"type":"text","text":"cond"}]}]})";
    auto r = h().post_chat(body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(choice0(r.json()).find("message")->find("content")->as_string(), "second");
    const auto seen = h().sim().requests();
    const auto &chat = seen.back();
    EXPECT_EQ(chat.message_roles, (std::vector<std::string>{"system", "user", "assistant", "developer", "user"}));
    EXPECT_TRUE(chat.all_contents_ciphertext);
}

TEST(ModelsRoute, UpstreamFailuresMapToProxyCodesAndAreNotCached) {
    ProxyHarness h("", [](vep::host::Config &c) { c.venice.models_cache_ttl = std::chrono::milliseconds(0); });
    const std::pair<const char *, const char *> cases[] = {{"status_401", "upstream_authentication_failed"},
                                                           {"status_500", "upstream_status_error"},
                                                           {"malformed", "upstream_malformed_response"},
                                                           {"invalid_json", "upstream_malformed_response"}};
    for (const auto &[fault, code] : cases) {
        h.sim().configure(std::string(R"({"models_fault":")") + fault + "\"}");
        auto r = h.get("/v1/models");
        EXPECT_EQ(r.status, 502) << fault;
        EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), code) << fault;
    }
    h.sim().configure(R"({"models_fault":"none"})");
    EXPECT_EQ(h.get("/v1/models").status, 200);
}

// models.rs get_models_fails_closed_on_upstream_timeout.
TEST(ModelsRoute, SlowUpstreamIsUpstreamTimeout) {
    ProxyHarness h("", [](vep::host::Config &c) {
        c.venice.models_cache_ttl = std::chrono::milliseconds(0);
        c.venice.request_timeout = std::chrono::milliseconds(300);
    });
    h.sim().configure(R"({"models_fault":"slow"})");
    auto r = h.get("/v1/models");
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "upstream_timeout");
}

TEST(ModelsRoute, UnreachableUpstreamIsUpstreamUnavailable) {
    ProxyHarness h("", [](vep::host::Config &c) { c.venice.base_url = "http://127.0.0.1:9/api/v1"; });
    auto r = h.get("/v1/models");
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "upstream_unavailable");
}
