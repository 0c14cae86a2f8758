// ChatExchange: the owner of one chat exchange from the chain's request side to the last byte.
// It holds the generation the request started under, the Exchange and its ChainRun, the upstream
// decoder of the current attempt and the responder, and is the pipeline's side of the relay
// (RelayedAnswer) and the responders' output (AnswerSink: every event passes the chain's response
// side, then goes to the client output). It opens every upstream attempt through one function —
// the chain's attempt side, the fail-closed check, the Venice call — applies the correction
// retry policy (tool calls and structured output), and completes the exchange in one place: chain completion, the client key's
// token budget, access log and counters (ProxyStats: outcomes by route, key and model, time to
// first byte, duration, tools, re-attestations). A call of another client API brings an
// AnswerShape: every chat event that passed the chain's response side is written in that API's
// form, and so are the errors (ErrorForm). With attestation.receipts it has the answer's signed
// receipt checked (AnswerEvidence, the generation's ReceiptService): after the answer ("audit"),
// or — "require" — before a buffered answer is released (held until the relay's Settle step;
// streaming requests are refused up front). Created by the ChatPipeline; owned by the RelayJob
// once the answer is relayed.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "attestation/receipt_service.hpp"
#include "chain/chain.hpp"
#include "chain/exchange.hpp"
#include "chat/responder.hpp"
#include "chat/upstream_decoder.hpp"
#include "pipeline/answer_evidence.hpp"
#include "pipeline/answer_tokens.hpp"
#include "pipeline/chat_call.hpp"
#include "relay/relayed_answer.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

class Generation;

class ChatExchange final : public RelayedAnswer, private AnswerSink, private ErrorForm {
  public:
    ChatExchange(std::shared_ptr<const Generation> generation, ChatCall call, ProxyStats &stats);
    ~ChatExchange() override;

    // Worker thread: runs the chain's request side. Throws the ProxyError to answer with.
    void run_request_side();
    // Builds the next attempt (chain attempt side), checks that it is attested and encrypted, or
    // plaintext for a model configured tee-only (upstream_gate.hpp) — nothing else goes upstream
    // — and opens it at Venice. Throws ProxyError.
    UpstreamAttempt open_attempt();
    const std::string &request_id() const { return exchange_.request_id; }

    // RelayedAnswer
    void begin(ClientOutput &out) override;
    RelayStep on_body(std::string_view bytes) override;
    RelayStep on_body_end() override;
    UpstreamAttempt open_next_attempt() override { return open_attempt(); }
    void on_next_attempt() override;
    // attestation.receipts = "require": the held answer's receipt is checked (blocking fetch).
    void settle() override;
    void release() override;
    // Charges the answer's completion tokens to the client key and gives back its open-answer
    // slot. Idempotent; finish() calls it too.
    void ending() override;
    // The single completion point (also for exchanges that never reached the relay). Idempotent.
    void finish(const RelayOutcome &outcome) override;

  private:
    // AnswerSink
    void start_stream() override;
    bool send_chunk(std::string chunk) override;
    void send_done() override;
    void send_body(std::string body, const HeaderList &extra) override;
    bool client_gone() const override;

    // ErrorForm (only with a shape)
    std::string body(const ProxyError &error) const override;
    std::string stream_end(const ProxyError &error) override;
    // Writes `events` to the client; false when it is gone.
    bool write(const std::vector<ShapedEvent> &events);

    RelayStep correct(tools::RetryRequest why);
    // The first byte of the answer goes to the client: records the time to first byte.
    void first_output();
    // Counts the finished exchange in ProxyStats.
    void count(const RelayOutcome &outcome) const;
    // A decoder for the attempt being opened: decrypting, or plaintext for a tee-only exchange.
    void open_decoder();
    // The receipt subject of the answer so far.
    ReceiptSubject receipt_subject() const;

    std::shared_ptr<const Generation> generation_;
    ProxyStats &stats_;
    std::chrono::steady_clock::time_point started_;
    InFlightRequest in_flight_;
    KeyLimiter::StreamSlot stream_slot_;
    AnswerTokens tokens_;
    Exchange exchange_;
    std::unique_ptr<ChainRun> chain_;
    ResponderSettings settings_;
    std::unique_ptr<Responder> responder_;
    std::optional<UpstreamDecoder> decoder_;
    ClientOutput *out_ = nullptr;
    std::string cors_origin_;
    std::unique_ptr<AnswerShape> shape_;
    bool finished_ = false;
    bool output_started_ = false;
    // What the receipt is checked against; only while attestation.receipts is on (hashing every
    // answer's bytes is otherwise wasted).
    std::optional<AnswerEvidence> evidence_;
    // A buffered answer waiting for its receipt (attestation.receipts = "require").
    struct HeldAnswer {
        HeaderList headers;
        std::string body;
    };
    std::optional<HeldAnswer> held_;
};

}  // namespace vep::host
