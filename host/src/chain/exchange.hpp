// Exchange: everything one chat request carries through the chain.
//
// Owns: the received request (method, path, headers, body), the reply when a stage ends the
// request early, the response headers stages add, and the chat state each built-in stage fills
// for the next (parsed request, tool context, session, attestation, client key, encrypted
// upstream body). Created by the chat handler per request, on its thread, and handed with the
// answer to the RelayJob (never used by two threads at once); stages read and write it in chain
// order. Plugin filter stages see it only through vep_stream_callbacks.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/NameValueCollection.h>

#include "errors/proxy_error.hpp"
#include "openai/chat_request.hpp"
#include "session/session_store.hpp"
#include "vep/client.hpp"

namespace vep::host {

class Generation;
namespace tools {
class ToolContext;
}

class Exchange {
  public:
    explicit Exchange(const Generation &generation) : generation(generation) {}

    // Adds or replaces a response header (metadata headers, request id, filter headers).
    void set_response_header(const std::string &name, const std::string &value) {
        for (auto &h : response_headers) {
            if (Poco::icompare(h.first, name) == 0) {
                h.second = value;
                return;
            }
        }
        response_headers.emplace_back(name, value);
    }

    const Generation &generation;

    // The request as received.
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
    std::shared_ptr<const tools::ToolContext> tool_context;  // null: plain chat
    std::vector<UpstreamMessage> messages;                   // plaintext, history rendered
    std::shared_ptr<Session> session;
    std::shared_ptr<const AttestedModel> attested;
    std::shared_ptr<const vep::client::CipherClient::Key> client_key;
    std::string upstream_body;  // encrypted request body of the current attempt
};

}  // namespace vep::host
