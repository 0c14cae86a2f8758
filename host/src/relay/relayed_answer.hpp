// RelayedAnswer: the narrow interface between the relay (transport) and the owner of a chat
// exchange (the pipeline). The RelayJob moves bytes — client socket, upstream socket, HTTP body
// framing, backpressure, timeouts, drain — and hands the decoded upstream body to its
// RelayedAnswer, which turns it into client output and says what happens next. The relay knows
// nothing of chains, tools, sessions or logs; the answer knows nothing of sockets. Implemented by
// pipeline/chat_exchange; every call but open_next_attempt() runs on the job's loop thread.
#pragma once

#include <string>
#include <string_view>

#include "relay/client_output.hpp"
#include "upstream/upstream_attempt.hpp"

namespace vep::host {

// What the answer wants after a call.
enum class RelayStep {
    Continue,    // keep reading the current attempt
    Finished,    // the answer is complete: flush the output and end
    NextAttempt,  // close this attempt and open another (open_next_attempt, off the loop)
    Settle        // the attempt's body ended and the answer is held: settle() off the loop, then
                  // release() on it (only from on_body_end)
};

// How a relayed answer ended.
struct RelayOutcome {
    bool succeeded = false;
    int status = 200;
    std::string code;  // error code when it failed
    bool client_gone = false;
};

class RelayedAnswer {
  public:
    virtual ~RelayedAnswer() = default;
    // The first attempt answered 2xx and relaying starts; `out` is this answer's client output
    // and stays valid until finish().
    virtual void begin(ClientOutput &out) = 0;
    // Body bytes of the current attempt, HTTP framing removed. Throws ProxyError to fail the answer.
    virtual RelayStep on_body(std::string_view bytes) = 0;
    // The current attempt's body ended. Throws ProxyError when the answer is incomplete.
    virtual RelayStep on_body_end() = 0;
    // Off the loop, on a blocking-task thread: opens the next upstream attempt. Throws ProxyError.
    virtual UpstreamAttempt open_next_attempt() = 0;
    // The next attempt answered 2xx; its body follows.
    virtual void on_next_attempt() = 0;
    // Off the loop, on a blocking-task thread, after on_body_end() said Settle: the check a held
    // answer waits for (e.g. its signed receipt). Throws ProxyError to refuse the answer.
    virtual void settle() {}
    // On the loop, after settle() passed: writes the held answer to the client output.
    virtual void release() {}
    // The answer ended (whole, failed or its client gone) and its last bytes are about to be
    // written: gives back what it holds for its caller, so that a client that reads the end and
    // asks again at once finds that settled. Once, before finish().
    virtual void ending() = 0;
    // The last call: how the answer ended (the output is flushed or the client is gone).
    virtual void finish(const RelayOutcome &outcome) = 0;
};

}  // namespace vep::host
