// venice-sim: E2EE chat round trip (encrypt with the model key, decrypt every streamed chunk with
// the client key), request records, and Venice-like rejections of bad auth, headers and contents.
#include <algorithm>

#include "sim_client.hpp"

namespace vep::sim::test {
namespace {

constexpr const char *kHermes = "e2ee-hermes-3-llama-3.1-405b-p";

class ChatTest : public SimFixture {};

class DebugPlaintextChatTest : public SimFixture {
  protected:
    SimOptions options() const override {
        SimOptions o = SimFixture::options();
        o.debug_plaintext = true;
        return o;
    }
};

TEST_F(ChatTest, EchoRoundTripDecryptsEveryChunk) {
    const std::string text = "Hello, w\xc3\xb6rld \xe2\x98\x95 from the test client";
    const ChatResult r = chat(kHermes, text, ChatOptions{.system = "You are terse."});
    ASSERT_EQ(r.status, 200) << r.error_body;
    EXPECT_FALSE(r.decrypt_failed);
    EXPECT_TRUE(r.role_first);
    EXPECT_TRUE(r.done);
    EXPECT_FALSE(r.read_failed);
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_GT(r.content_chunks.size(), 1u);
    EXPECT_EQ(r.content(), text);
    EXPECT_FALSE(r.usage.has_value());

    const RequestRecord rec = last_record();
    EXPECT_EQ(rec.status, 200);
    EXPECT_EQ(rec.model, kHermes);
    EXPECT_TRUE(rec.authorized);
    EXPECT_EQ(rec.message_roles, (std::vector<std::string>{"system", "user"}));
    EXPECT_TRUE(rec.all_contents_ciphertext);
    EXPECT_FALSE(rec.plaintext_leak_detected);
    EXPECT_FALSE(rec.contains_tools_key);
    EXPECT_TRUE(rec.has_client_pub_key_header && rec.has_model_pub_key_header && rec.has_signing_algo_header);
    EXPECT_TRUE(rec.model_pub_key_matches);
    EXPECT_EQ(rec.stream, true);
    EXPECT_EQ(rec.enable_e2ee, true);
    EXPECT_TRUE(rec.completed);
    EXPECT_EQ(rec.chunks_sent, r.content_chunks.size());
    EXPECT_FALSE(rec.client_disconnected);
    EXPECT_EQ(rec.scenario, "echo");
    EXPECT_TRUE(rec.decrypted_contents.empty());
}

TEST_F(ChatTest, EveryChunkUsesAFreshEphemeralKey) {
    const ChatResult r = chat(kHermes, "sim:chunk_bytes=1\nabcdef");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.content(), "abcdef");
    std::vector<std::string> ephemeral;
    for (const auto &ev : r.events) {
        if (ev.data == "[DONE]") continue;
        const json::Value chunk = json::parse(ev.data);
        const json::Value *content = chunk.find("choices")->as_array()[0].find("delta")->find("content");
        if (content) ephemeral.push_back(content->as_string().substr(0, 130));
    }
    ASSERT_EQ(ephemeral.size(), 6u);
    std::sort(ephemeral.begin(), ephemeral.end());
    EXPECT_EQ(std::unique(ephemeral.begin(), ephemeral.end()), ephemeral.end());
}

TEST_F(ChatTest, UsageChunkWhenRequested) {
    const ChatResult r = chat(kHermes, "count me", ChatOptions{.include_usage = true});
    ASSERT_EQ(r.status, 200);
    ASSERT_TRUE(r.usage.has_value());
    int64_t completion = 0;
    ASSERT_TRUE(r.usage->find("completion_tokens")->get_i64(completion));
    EXPECT_EQ(static_cast<size_t>(completion), r.content_chunks.size());
    EXPECT_TRUE(r.done);
}

TEST_F(ChatTest, RejectsWrongBearerWith401) {
    const ChatResult r = chat(kHermes, "hi", ChatOptions{.api_key = "not-the-key"});
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(json::parse(r.error_body).find("error")->as_string(), "Authentication failed");
    EXPECT_FALSE(last_record().authorized);
}

TEST_F(ChatTest, RejectsBadE2EEHeaders) {
    EXPECT_EQ(chat(kHermes, "hi", ChatOptions{.send_e2ee_headers = false}).status, 400);
    const ChatResult bad_client = chat(kHermes, "hi", ChatOptions{.client_key_override = "04abcd"});
    EXPECT_EQ(bad_client.status, 400);
    EXPECT_EQ(json::parse(bad_client.error_body).find("error")->as_string(), "Invalid public key");
    const std::string other_model_key = server_->model_public_key("e2ee-glm-4-7-flash-p");
    EXPECT_EQ(chat(kHermes, "hi", ChatOptions{.model_key_override = other_model_key}).status, 400);
    EXPECT_FALSE(last_record().model_pub_key_matches);
    EXPECT_EQ(chat(kHermes, "hi", ChatOptions{.signing_algo = "ed25519"}).status, 400);
    const ChatResult not_streaming = chat(kHermes, "hi", ChatOptions{.stream = false});
    EXPECT_EQ(not_streaming.status, 400);
    EXPECT_EQ(json::parse(not_streaming.error_body).find("error")->as_string(), "E2EE requires streaming");
}

TEST_F(ChatTest, AcceptsModelKeyWithoutPrefix) {
    const std::string key = server_->model_public_key(kHermes);
    EXPECT_EQ(chat(kHermes, "hi", ChatOptions{.model_key_override = key.substr(2)}).status, 200);
}

TEST_F(ChatTest, PlaintextMessageIsRejectedAndRecordedAsLeak) {
    const ChatResult r = chat(kHermes, "a secret in clear", ChatOptions{.encrypt = false});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.error_body).find("error")->as_string(), "Encrypted field is not valid hex");
    const RequestRecord rec = last_record();
    EXPECT_TRUE(rec.plaintext_leak_detected);
    EXPECT_FALSE(rec.all_contents_ciphertext);
}

TEST_F(ChatTest, ContentForAnotherKeyIsRejected) {
    std::string wrong;
    cipher_->encrypt(server_->model_public_key("e2ee-glm-4-7-flash-p"), "hello", wrong);
    json::Value msg = json::Value::object();
    msg.set("role", "user");
    msg.set("content", wrong);
    json::Value body = json::Value::object();
    body.set("model", kHermes);
    body.set("messages", json::Array{msg});
    body.set("stream", true);
    const ChatResult r = chat_raw(kHermes, json::dump(body));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.error_body).find("error")->as_string(), "Failed to decrypt field");
    const RequestRecord rec = last_record();
    EXPECT_FALSE(rec.plaintext_leak_detected);
    EXPECT_FALSE(rec.all_contents_ciphertext);
    EXPECT_FALSE(rec.enable_e2ee.has_value());
}

TEST_F(ChatTest, RecordsToolsKeyAndUnknownModel) {
    EXPECT_EQ(chat(kHermes, "hi", ChatOptions{.add_tools_key = true}).status, 200);
    EXPECT_TRUE(last_record().contains_tools_key);
    EXPECT_EQ(chat("e2ee-does-not-exist", "hi").status, 404);
}

TEST_F(ChatTest, OversizedBodyIs413) {
    const std::string huge(5u << 20, 'a');
    EXPECT_EQ(chat_raw(kHermes, "{\"model\":\"" + huge + "\"}").status, 413);
}

TEST_F(ChatTest, PlainModelAnswersInClear) {
    const ChatResult streamed = chat("venice-uncensored", "plain hello", ChatOptions{.encrypt = false});
    ASSERT_EQ(streamed.status, 200) << streamed.error_body;
    EXPECT_EQ(streamed.content(), "plain hello");
    const ChatResult buffered = chat("venice-uncensored", "plain hello", ChatOptions{.stream = false, .encrypt = false});
    ASSERT_EQ(buffered.status, 200);
    const json::Value doc = json::parse(buffered.error_body);
    EXPECT_EQ(doc.find("choices")->as_array()[0].find("message")->find("content")->as_string(), "plain hello");
}

// Venice's TEE-only flow: an E2EE model asked without the E2EE headers and with enable_e2ee false
// answers in plaintext, with a native tool call when tools are offered.
TEST_F(ChatTest, TeeOnlyFlowAnswersInClearWithNativeToolCalls) {
    const std::string tools =
        R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",)"
        R"("properties":{"city":{"type":"string"}},"required":["city"]}}}])";
    const std::string body = std::string(R"({"model":")") + kHermes +
                             R"(","stream":false,"messages":[{"role":"user","content":"weather?"}],)"
                             R"("venice_parameters":{"enable_e2ee":false},)" + tools + "}";
    const HttpResult r = post("/api/v1/chat/completions", body);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::Value doc = r.json();
    const json::Value &choice = doc.find("choices")->as_array().at(0);
    EXPECT_EQ(choice.find("finish_reason")->as_string(), "tool_calls");
    const json::Value &call = choice.find("message")->find("tool_calls")->as_array().at(0);
    EXPECT_EQ(call.find("function")->find("name")->as_string(), "get_weather");
    EXPECT_TRUE(json::parse(call.find("function")->find("arguments")->as_string()).find("city"));
    const RequestRecord rec = last_record();
    EXPECT_TRUE(rec.tee_only);
    EXPECT_TRUE(rec.native_tool_call);
    EXPECT_FALSE(rec.plaintext_leak_detected);

    // Without tools it is a plain answer; without enable_e2ee false the headers stay required.
    const std::string plain = std::string(R"({"model":")") + kHermes +
                              R"(","stream":false,"messages":[{"role":"user","content":"in the clear"}],)"
                              R"("venice_parameters":{"enable_e2ee":false}})";
    const HttpResult text = post("/api/v1/chat/completions", plain);
    ASSERT_EQ(text.status, 200) << text.body;
    EXPECT_EQ(text.json().find("choices")->as_array().at(0).find("message")->find("content")->as_string(),
              "in the clear");
    const std::string no_switch = std::string(R"({"model":")") + kHermes +
                                  R"(","stream":true,"messages":[{"role":"user","content":"x"}]})";
    EXPECT_EQ(post("/api/v1/chat/completions", no_switch).status, 400);
}

TEST_F(DebugPlaintextChatTest, KeepsDecryptedTextsOnlyWhenAsked) {
    ASSERT_EQ(chat(kHermes, "remember me", ChatOptions{.system = "sys"}).status, 200);
    EXPECT_EQ(last_record().decrypted_contents, (std::vector<std::string>{"sys", "remember me"}));
}

}  // namespace
}  // namespace vep::sim::test
