// Nothing secret reaches the logs at any level: with every logger at trace and its output
// captured, a streamed and a buffered answer, a tool call, an invalid tool payload, a decryption
// failure and an attestation failure leave no prompt, answer, tool argument, API key or client
// key secret behind (the client key's id is logged, its secret never).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <unistd.h>

#include <filesystem>

#include "auth/client_keys.hpp"
#include "log/log.hpp"
#include "proxy_harness.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// Collects every message text (with its source) written to it.
class CapturingChannel : public Poco::Channel {
  public:
    void log(const Poco::Message &msg) override {
        std::lock_guard<std::mutex> lock(mutex_);
        text_ += msg.getSource() + ": " + msg.getText() + "\n";
    }
    std::string text() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return text_;
    }

  private:
    mutable std::mutex mutex_;
    std::string text_;
};

const char *kTools =
    R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",)"
    R"("properties":{"city":{"type":"string"}},"required":["city"]}}}])";

}  // namespace

TEST(LogHygiene, TraceLogsCarryNoPromptAnswerToolPayloadOrKey) {
    const std::string keys_file =
        (std::filesystem::temp_directory_path() / ("vep-hygiene-keys-" + std::to_string(getpid()) + ".json")).string();
    const std::string client_secret = vep::host::generate_client_secret();
    vep::host::ClientKeySet::save(keys_file, {{"hygiene-key", "", vep::host::sha256_of(client_secret), {}}});
    ProxyHarness h("", [&](vep::host::Config &c) { c.auth.keys_file = keys_file; });
    const std::map<std::string, std::string> key{{"Authorization", "Bearer " + client_secret}};
    Poco::AutoPtr<CapturingChannel> capture(new CapturingChannel);
    Poco::Logger::setChannel("", capture);
    Poco::Logger::setLevel("", Poco::Message::PRIO_TRACE);

    EXPECT_EQ(h.post_chat(chat_body(kHermesModel, "CANARY-PROMPT-STREAM", true), key).status, 200);
    EXPECT_EQ(h.post_chat(chat_body(kQwenModel, "sim:scenario=reasoning\nCANARY-PROMPT-BUFFERED", false), key).status, 200);
    EXPECT_EQ(h.post_chat(chat_body(kHermesModel, "sim:scenario=tool args={\"city\":\"CANARY-CITY\"}\nweather?", true, kTools), key)
                  .status,
              200);
    h.post_chat(chat_body(kHermesModel, "sim:scenario=tool variant=always_malformed\nCANARY-INVALID-TOOL", false, kTools), key);
    h.post_chat(chat_body(kHermesModel, "sim:fault=wrong_key_chunk\nCANARY-FAULT", true), key);
    h.sim().configure(R"({"attestation_fault":"nonce_mismatch"})");
    h.post_chat(chat_body(kGlmModel, "CANARY-ATTESTATION", false), key);

    // Restore the console channel before the harness (and its async logging) winds down.
    vep::host::configure_logging("warn");
    const std::string logs = capture->text();
    Poco::Logger::setChannel("", Poco::Logger::root().getChannel());

    // The capture saw the traffic: request lines and the failures are there.
    EXPECT_THAT(logs, HasSubstr("request_id="));
    EXPECT_THAT(logs, HasSubstr("key=hygiene-key"));
    EXPECT_EQ(h.post_chat(chat_body(kHermesModel, "no key", false)).status, 401);
    EXPECT_THAT(logs, HasSubstr("invalid_tool_call"));
    EXPECT_THAT(logs, HasSubstr("attestation_nonce_mismatch"));
    for (const char *secret : {"CANARY-PROMPT-STREAM", "CANARY-PROMPT-BUFFERED", "CANARY-CITY", "CANARY-INVALID-TOOL",
                               "CANARY-FAULT", "CANARY-ATTESTATION", "Reasoning step", "sim-key", "get_weather\":",
                               "Available tools", client_secret.c_str()})
        EXPECT_THAT(logs, Not(HasSubstr(secret))) << secret;
    std::filesystem::remove(keys_file);
}
