// venice-sim: scenario directives (long, reasoning, empty, split, http_status), directive errors,
// and the --scenario-file default/per-model layers.
#include <chrono>
#include <cstdio>
#include <fstream>

#include "answer_plan.hpp"
#include "scenario.hpp"
#include "sim_client.hpp"

namespace vep::sim::test {
namespace {

constexpr const char *kQwen = "e2ee-qwen3-235b-a22b-p";
constexpr const char *kGlm = "e2ee-glm-4-7-flash-p";

class ScenarioTest : public SimFixture {};

TEST_F(ScenarioTest, LongAnswerHasTheRequestedChunksAndPacing) {
    const auto start = std::chrono::steady_clock::now();
    const ChatResult r = chat(kQwen, "sim:scenario=long chunks=50 chunk_bytes=8 interval_ms=20");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(r.status, 200) << r.error_body;
    ASSERT_EQ(r.content_chunks.size(), 50u);
    for (size_t i = 0; i < r.content_chunks.size(); ++i) {
        EXPECT_EQ(r.content_chunks[i].size(), 8u);
        EXPECT_EQ(r.content_chunks[i], long_answer_chunk(static_cast<int>(i), 8));
    }
    EXPECT_GE(elapsed, std::chrono::milliseconds(49 * 20));
    EXPECT_TRUE(r.done);
    EXPECT_EQ(last_record().scenario, "long");
}

TEST_F(ScenarioTest, ReasoningThenAnswer) {
    const ChatResult r = chat(kQwen, "sim:scenario=reasoning reasoning=4\nwhy?");
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.reasoning_chunks.size(), 4u);
    EXPECT_EQ(r.reasoning_chunks[0], reasoning_chunk(0));
    EXPECT_EQ(r.content(), "why?");
    size_t first_content = 0, last_reasoning = 0;
    for (size_t i = 0; i < r.events.size(); ++i) {
        if (r.events[i].data.find("reasoning_content") != std::string::npos) last_reasoning = i;
        if (first_content == 0 && r.events[i].data.find("\"content\"") != std::string::npos) first_content = i;
    }
    EXPECT_LT(last_reasoning, first_content);
}

TEST_F(ScenarioTest, EmptyStreamIsFinishAndDoneOnly) {
    const ChatResult r = chat(kQwen, "sim:scenario=empty", ChatOptions{.include_usage = false});
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.events.size(), 2u);
    EXPECT_TRUE(r.content_chunks.empty());
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_TRUE(r.done);
}

TEST_F(ScenarioTest, DirectiveLineIsNotEchoedAndPrefixApplies) {
    const ChatResult r = chat(kQwen, "first line\nsim:prefix=Echo:\nsecond line");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.content(), "Echo:first line\nsecond line");
}

TEST_F(ScenarioTest, AwkwardSplitKeepsEachChunkValidUtf8) {
    const std::string text = "\xe2\x98\x95 caf\xc3\xa9 \xf0\x9f\x98\x80 <tool_call> done";
    const ChatResult r = chat(kQwen, "sim:split=awkward\n" + text);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.decrypt_failed);
    EXPECT_EQ(r.content(), text);
    for (const auto &c : r.content_chunks) {
        EXPECT_TRUE(json::is_valid_utf8(c));
        EXPECT_EQ(c.find("<tool_call>"), std::string::npos);
    }
}

TEST_F(ScenarioTest, HttpStatusDirectiveAnswersVeniceError) {
    for (int status : {401, 429, 500}) {
        const ChatResult r = chat(kQwen, "sim:http_status=" + std::to_string(status));
        EXPECT_EQ(r.status, status);
        EXPECT_TRUE(json::parse(r.error_body).find("error")->is_string());
    }
}

TEST_F(ScenarioTest, InvalidDirectiveIs400) {
    EXPECT_EQ(chat(kQwen, "sim:scenario=nonsense").status, 400);
    EXPECT_EQ(chat(kQwen, "sim:chunks=abc").status, 400);
    EXPECT_EQ(chat(kQwen, "sim:what=1").status, 400);
    EXPECT_EQ(chat(kQwen, "sim:interval_ms=999999999").status, 400);
}

TEST_F(ScenarioTest, DirectiveInEarlierUserMessageApplies) {
    std::string first, second;
    const std::string key = server_->model_public_key(kQwen);
    cipher_->encrypt(key, "sim:scenario=long chunks=3 chunk_bytes=4", first);
    cipher_->encrypt(key, "no directive here", second);
    json::Value body = json::parse(R"({"model":"e2ee-qwen3-235b-a22b-p","stream":true,"messages":[]})");
    for (const std::string *c : {&first, &second}) {
        json::Value m = json::Value::object();
        m.set("role", "user");
        m.set("content", *c);
        body.find("messages")->push_back(std::move(m));
    }
    const ChatResult r = chat_raw(kQwen, json::dump(body));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.content_chunks.size(), 3u);
}

TEST(ScenarioUnit, SplitEvenNeverCutsACharacter) {
    const std::string text = "\xe2\x98\x95\xe2\x98\x95" "ab";
    const auto chunks = split_text(text, SplitMode::Even, 4);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(chunks[0], "\xe2\x98\x95");
    EXPECT_EQ(chunks[1], "\xe2\x98\x95" "a");
    EXPECT_EQ(chunks[2], "b");
}

TEST(ScenarioUnit, ParsesDirectiveLines) {
    const auto layer = parse_directive_line("  sim:scenario=long chunks=5");
    ASSERT_TRUE(layer.has_value());
    EXPECT_EQ(layer->size(), 2u);
    EXPECT_FALSE(parse_directive_line("simulate this").has_value());
    EXPECT_THROW(parse_directive_line("sim:novalue"), vep::Failure);
}

// A simulator started with a scenario file.
class ScenarioFileTest : public SimFixture {
  protected:
    SimOptions options() const override {
        SimOptions o = SimFixture::options();
        o.scenario_file = path_;
        return o;
    }
    void SetUp() override {
        path_ = std::string(VEP_BINARY_DIR) + "/integration_sim_scenarios.json";
        std::ofstream(path_) << R"({"default": {"scenario": "long", "chunks": 2, "chunk_bytes": 5},
            "models": {"e2ee-glm-4-7-flash-p": {"scenario": "reasoning", "reasoning": 2, "attestation_shape": "flat"}}})";
        SimFixture::SetUp();
    }
    void TearDown() override {
        SimFixture::TearDown();
        std::remove(path_.c_str());
    }
    std::string path_;
};

TEST_F(ScenarioFileTest, DefaultAndPerModelLayers) {
    const ChatResult qwen = chat(kQwen, "ignored");
    ASSERT_EQ(qwen.status, 200);
    EXPECT_EQ(qwen.content_chunks.size(), 2u);
    EXPECT_EQ(qwen.content_chunks[0].size(), 5u);

    const ChatResult glm = chat(kGlm, "echoed");
    ASSERT_EQ(glm.status, 200);
    EXPECT_EQ(glm.reasoning_chunks.size(), 2u);
    EXPECT_EQ(glm.content(), "echoed");

    const ChatResult directive = chat(kQwen, "sim:scenario=echo\nback");
    EXPECT_EQ(directive.content(), "back");

    const HttpResult flat = get("/api/v1/tee/attestation?model=" + std::string(kGlm) + "&nonce=" + random_nonce_hex());
    EXPECT_NE(flat.json().find("intel_quote"), nullptr);
    const HttpResult aci = get("/api/v1/tee/attestation?model=" + std::string(kQwen) + "&nonce=" + random_nonce_hex());
    EXPECT_NE(aci.json().find("attestation"), nullptr);
}

TEST(ScenarioBookTest, RejectsUnknownKeys) {
    EXPECT_THROW(ScenarioBook::from_json_text(R"({"default": {"scenerio": "long"}})"), vep::Failure);
    EXPECT_THROW(ScenarioBook::from_json_text(R"({"defaults": {}})"), vep::Failure);
    EXPECT_THROW(ScenarioBook::from_json_text(R"({"models": {"m": {"attestation_shape": "round"}}})"), vep::Failure);
}

}  // namespace
}  // namespace vep::sim::test
