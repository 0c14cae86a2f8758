// Test client for venice-sim: a SimServer started in-process on 127.0.0.1:0 plus what a Venice
// client does against it (models, attestation, encrypted chat with SSE decoding). Used by every
// test in tests/integration/sim.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vep/client.hpp"
#include "vep/json.hpp"
#include "request_log.hpp"
#include "vep/sim/sim_server.hpp"

namespace vep::sim::test {

struct HttpResult {
    int status = 0;
    std::string body;
    json::Value json() const { return json::parse(body); }
};

struct SseEvent {
    std::string event;  // empty for plain "data:" events
    std::string data;
};

// A streamed answer as the client saw it, with every encrypted delta decrypted.
struct ChatResult {
    int status = 0;
    std::string error_body;            // body of a non-200 answer
    std::vector<SseEvent> events;
    std::vector<std::string> content_chunks;    // decrypted delta.content, in order
    std::vector<std::string> reasoning_chunks;  // decrypted delta.reasoning_content
    bool done = false;                 // saw data: [DONE]
    bool read_failed = false;          // the body ended abnormally (cut connection)
    bool decrypt_failed = false;       // some delta did not decrypt with the client key
    bool role_first = false;           // first event carried delta.role
    std::optional<json::Value> usage;
    std::string finish_reason;
    std::string content() const;
    std::string reasoning() const;
};

struct ChatOptions {
    std::string system{};            // optional system message (encrypted)
    bool stream = true;
    bool include_usage = false;
    bool encrypt = true;             // false: send plaintext contents
    std::string client_key_override{};  // replaces X-Venice-TEE-Client-Pub-Key when set
    std::string model_key_override{};   // replaces X-Venice-TEE-Model-Pub-Key when set
    std::string signing_algo = "ecdsa";
    bool send_e2ee_headers = true;
    std::string api_key = "sim-key";
    bool add_tools_key = false;
    int read_timeout_seconds = 20;
};

class SimFixture : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;
    virtual SimOptions options() const;

    HttpResult get(const std::string &path_and_query, const std::string &api_key = "sim-key");
    HttpResult post(const std::string &path, const std::string &body, const std::string &api_key = "sim-key");
    // Fetches the attestation with a fresh nonce and returns the model key (checks nothing).
    std::string attested_key(const std::string &model);
    ChatResult chat(const std::string &model, const std::string &user_text, const ChatOptions &options = {});
    // Sends a ready-made body with the standard E2EE headers.
    ChatResult chat_raw(const std::string &model, const std::string &body, const ChatOptions &options = {});
    RequestRecord last_record(const std::string &path = "/api/v1/chat/completions");

    std::unique_ptr<SimServer> server_;
    std::shared_ptr<vep::client::CipherClient> cipher_;
    std::shared_ptr<vep::client::CipherClient::Key> client_key_;
};

std::string random_nonce_hex();

}  // namespace vep::sim::test
