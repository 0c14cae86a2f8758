// ChatCall and ClientPort: what the HTTP front end hands the pipeline for one chat request. A
// ChatCall is the request as received (method, path, headers, the body read within
// server.max_body_bytes), the client key it authenticated with, when it arrived, and its in-flight
// count, and — for a client API other than chat completions — the AnswerShape its answer is
// written in. A ClientPort is how the
// pipeline reaches that client while a Poco worker thread holds it: answer with an error there
// and then, or take the connection over for relaying. Implemented by http/chat_handler.
#pragma once

#include <chrono>
#include <string>

#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/StreamSocket.h>

#include "auth/client_keys.hpp"
#include "errors/proxy_error.hpp"
#include "frontend/answer_shape.hpp"
#include "limits/key_limiter.hpp"
#include "relay/client_output.hpp"
#include "relay/connection_handover.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

struct ChatCall {
    std::shared_ptr<const ClientKey> caller;  // null when client keys are off
    std::string method;
    std::string path;
    Poco::Net::NameValueCollection headers;
    std::string body;
    std::chrono::steady_clock::time_point started;
    InFlightRequest in_flight;
    KeyLimiter::StreamSlot stream_slot;  // the caller key's open-answer slot, held to the end
    std::string cors_origin;             // the web page the answer carries CORS headers for
    std::unique_ptr<AnswerShape> shape;  // null: an OpenAI chat completions answer
};

class ClientPort {
  public:
    virtual ~ClientPort() = default;
    // Answers the whole request with `error` in the client API's error form (X-Request-Id when
    // `request_id` is not empty).
    virtual void send_error(const ProxyError &error, const std::string &request_id) = 0;
    // Takes the connection away from the HTTP server.
    virtual TakenConnection take_connection() = 0;
};

}  // namespace vep::host
