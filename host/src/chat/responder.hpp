// Responder: how one chat request turns decrypted upstream events into its client answer, driven
// by the RelayJob one event at a time (plain or tool-emulated, streaming or buffered; the four
// kinds live in plain_responder.cpp and tool_responder.cpp). A responder queues output through its
// ResponseContext and tells the job what to do next: keep reading, the answer is complete, or open
// another upstream attempt (a tool-call correction). Failure semantics are the job's: a ProxyError
// thrown before the response started becomes a JSON error, after it an error event that ends the
// stream without [DONE].
#pragma once

#include <memory>
#include <string>

#include "chat/response_context.hpp"
#include "chat/upstream_decoder.hpp"

namespace vep::host {

// How a chat request ended, for the access log.
struct ChatOutcome {
    bool succeeded = false;
    int status = 200;
    std::string code;  // error code when it failed
    bool client_gone = false;
};

struct ResponderStep {
    enum class Kind { Continue, Finished, Retry };
    Kind kind = Kind::Continue;
    std::string retry_body;  // Retry: the encrypted upstream body of the next attempt

    static ResponderStep proceed() { return {}; }
    static ResponderStep finished() { return {Kind::Finished, {}}; }
    static ResponderStep retry(std::string body) { return {Kind::Retry, std::move(body)}; }
};

class Responder {
  public:
    virtual ~Responder() = default;
    // The first upstream attempt answered 2xx (streaming responders start the SSE response).
    virtual void begin() {}
    // One decrypted event of the current attempt (Done last). Throws ProxyError.
    virtual ResponderStep on_event(DecryptedEvent event) = 0;
    // A retry attempt answered 2xx; its events follow.
    virtual void on_retry_opened() {}
};

// The responder for the exchange's request: tool-emulated when it has a tool context.
std::unique_ptr<Responder> make_responder(ResponseContext &rc);

}  // namespace vep::host
