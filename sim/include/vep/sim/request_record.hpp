// What venice-sim observed about one API request. Owned by the simulator's request log; copies are
// handed to tests (SimServer::requests()) and serialised by GET /_sim/requests. Holds no plaintext
// unless the simulator runs with debug_plaintext.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vep/json.hpp"

namespace vep::sim {

struct RequestRecord {
    uint64_t id = 0;
    std::string method;
    std::string path;
    std::string model;                       // body "model" (chat) or query "model" (attestation)
    int status = 0;                          // HTTP status answered
    bool authorized = false;                 // bearer token matched
    bool has_client_pub_key_header = false;  // X-Venice-TEE-Client-Pub-Key
    bool has_model_pub_key_header = false;   // X-Venice-TEE-Model-Pub-Key
    bool has_signing_algo_header = false;    // X-Venice-TEE-Signing-Algo
    bool model_pub_key_matches = false;      // header equals the model's attested key
    std::optional<bool> stream;              // body "stream" when it was a boolean
    std::optional<bool> enable_e2ee;         // venice_parameters.enable_e2ee when a boolean
    std::vector<std::string> message_roles;  // roles in order
    bool all_contents_ciphertext = false;    // every content was hex that decrypted with the model key
    bool plaintext_leak_detected = false;    // some content was not ciphertext
    bool contains_tools_key = false;         // top-level "tools" or "tool_choice" present
    bool tee_only = false;                   // plaintext to an E2EE model: no E2EE headers, enable_e2ee false
    bool native_tool_call = false;           // answered with a native tool_calls delta (TEE-only path)
    bool system_has_available_tools = false; // a decrypted system message contains "Available tools:"
    bool correction_prompt_present = false;  // a decrypted system message carries a correction prompt
    std::string scenario;                    // scenario that answered (chat)
    std::string fault;                       // fault injected (chat), empty when none
    uint64_t chunks_sent = 0;                // SSE content/reasoning chunks written
    bool completed = false;                  // the answer ended with data: [DONE]
    bool client_disconnected = false;        // a write failed or the peer closed mid-stream
    int64_t started_at_ms = 0;               // Unix milliseconds
    std::optional<int64_t> disconnect_noticed_at_ms;
    int64_t finished_at_ms = 0;
    std::string error;                       // Venice-like error message when status >= 400
    std::vector<std::string> decrypted_contents;  // only with debug_plaintext
};

// The record as GET /_sim/requests shows it.
json::Value to_json(const RequestRecord &record);

}  // namespace vep::sim
