// Exchange: everything one chat request carries through the chain.
//
// Owns: the received request (method, path, headers, body), the reply when a stage ends the
// request early, the response headers stages add, the chat state each built-in stage fills for
// the next (parsed request, tool format and context, rendered messages, session, attestation,
// client key) and the pipeline's attempt bookkeeping (retries so far, the pending tool-call
// correction). AttemptRequest is one upstream attempt being prepared. Created by the pipeline per
// request and handed with the answer to the relay thread (never used by two threads at once);
// stages read and write it in chain order. Plugin filter stages see it only through
// vep_stream_callbacks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/NameValueCollection.h>

#include "auth/client_keys.hpp"
#include "errors/proxy_error.hpp"
#include "openai/chat_request.hpp"
#include "session/session_store.hpp"
#include "tools/stream_detector.hpp"
#include "vep/client.hpp"

namespace vep::host {

namespace tools {
class ToolContext;
}

class Exchange {
  public:
    // Adds or replaces a response header (metadata headers, request id, filter headers). Refuses
    // (returns false, sets nothing) a name that is not an HTTP token or a value that could split
    // the response.
    bool set_response_header(const std::string &name, const std::string &value);

    // The request as received, and the client key it authenticated with (null: no client keys).
    std::shared_ptr<const ClientKey> caller;
    std::string method;
    std::string path;
    Poco::Net::NameValueCollection request_headers;
    std::string body;

    // Set by a stage that answers early (LocalReply/Error), or by the host on failure.
    std::optional<ProxyError> reply;
    std::vector<std::pair<std::string, std::string>> response_headers;

    // Chat state, in the order the built-in stages fill it.
    std::string request_id;
    std::optional<ParsedChatRequest> chat;
    std::shared_ptr<const vep::client::ToolFormatClient> tool_format;
    std::string tool_format_name;  // the tool_format plugin's name, for the metrics
    std::shared_ptr<const tools::ToolContext> tool_context;  // null: plain chat
    std::vector<UpstreamMessage> messages;                   // plaintext, history rendered
    std::shared_ptr<Session> session;
    std::shared_ptr<const AttestedModel> attested;
    std::shared_ptr<const vep::client::CipherClient::Key> client_key;
    // Set by the pipeline when Venice refused the key `attested` names: the attest stage attests
    // the session anew before the next attempt. `reattested` says it did (once per exchange).
    bool attestation_refused = false;
    bool reattested = false;

    // Attempts: tool-call corrections made so far, and the one the next attempt carries.
    uint32_t retries = 0;
    std::optional<tools::RetryRequest> correction;
};

// One upstream attempt being prepared by the chain's on_attempt side: the plaintext messages
// (the rendered history plus the prompts the tools stage adds), then the encrypted body the
// encrypt stage makes of them. The pipeline sends only an encrypted body upstream.
struct AttemptRequest {
    uint32_t number = 0;  // 0 = the first attempt, then one per tool-call correction
    std::vector<UpstreamMessage> messages;
    std::string body;
    bool encrypted = false;
};

}  // namespace vep::host
