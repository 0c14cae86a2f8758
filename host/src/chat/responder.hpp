// Responder: how one chat request turns decrypted upstream events into its client answer (plain
// or tool-emulated, streaming or buffered; the four kinds live in plain_responder.cpp and
// tool_responder.cpp). A responder writes through its AnswerSink and tells the pipeline what to
// do next: keep reading, the answer is complete, or make another attempt with a tool-call
// correction (the pipeline applies the retry limit and opens it). Failure semantics are the
// pipeline's: a ProxyError thrown before the response started becomes a JSON error, after it an
// error event that ends the stream without [DONE]. Driven by pipeline/chat_exchange.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chain/exchange.hpp"
#include "chat/upstream_decoder.hpp"
#include "config/config.hpp"
#include "tools/stream_detector.hpp"

namespace vep::host {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Where a responder's output goes (implemented by the pipeline: the chain's response side, then
// the client output).
class AnswerSink {
  public:
    virtual ~AnswerSink() = default;
    // Starts the SSE response with the exchange's metadata headers.
    virtual void start_stream() = 0;
    // One streaming chunk; false when the client is gone.
    virtual bool send_chunk(std::string chunk) = 0;
    // `data: [DONE]`.
    virtual void send_done() = 0;
    // The buffered answer (200, metadata headers plus `extra`). Throws ProxyError when a filter
    // withholds it.
    virtual void send_body(std::string body, const HeaderList &extra) = 0;
    virtual bool client_gone() const = 0;
};

// The settings every responder reads.
struct ResponderSettings {
    bool require_encrypted_response_content = true;
    ToolsConfig tools;
    uint64_t max_buffered_answer_bytes = 16 * 1024 * 1024;
};

struct ResponderStep {
    enum class Kind { Continue, Finished, Retry };
    Kind kind = Kind::Continue;
    std::optional<tools::RetryRequest> retry;  // Retry: why the attempt was invalid

    static ResponderStep proceed() { return {}; }
    static ResponderStep finished() { return {Kind::Finished, std::nullopt}; }
    static ResponderStep correct(tools::RetryRequest why) { return {Kind::Retry, std::move(why)}; }
};

class Responder {
  public:
    virtual ~Responder() = default;
    // The first upstream attempt answered 2xx (streaming responders start the SSE response).
    virtual void begin() {}
    // One decrypted event of the current attempt (Done last). Throws ProxyError.
    virtual ResponderStep on_event(DecryptedEvent event) = 0;
    // A correction attempt answered 2xx; its events follow.
    virtual void on_retry_opened() {}
};

// The responder for the exchange's request: tool-emulated when it has a tool context.
std::unique_ptr<Responder> make_responder(Exchange &exchange, AnswerSink &sink, const ResponderSettings &settings);

}  // namespace vep::host
