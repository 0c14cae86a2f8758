// See chat_exchange.hpp.
#include "pipeline/chat_exchange.hpp"

#include "pipeline/access_log.hpp"
#include "pipeline/upstream_gate.hpp"
#include "runtime/generation.hpp"

namespace vep::host {
namespace {

// A structured-output answer that does not validate gets one correction attempt.
constexpr uint32_t kStructuredOutputRetries = 1;

ProxyError corrections_exhausted(uint32_t max_retries, const std::string &last_error) {
    json::Value details = json::Value::object();
    details.set("max_retries", static_cast<uint64_t>(max_retries));
    details.set("last_validation_error", last_error);
    return ProxyError::of("invalid_tool_call", "The model failed to produce a valid tool call after correction attempts.")
        .with_details(std::move(details));
}

ProxyError structured_output_failed(const std::string &last_error) {
    json::Value details = json::Value::object();
    details.set("max_retries", static_cast<uint64_t>(kStructuredOutputRetries));
    details.set("last_validation_error", last_error);
    return ProxyError::of("invalid_structured_output",
                          "The model failed to produce an answer matching response_format after a correction attempt.")
        .with_details(std::move(details));
}

}  // namespace

ChatExchange::ChatExchange(std::shared_ptr<const Generation> generation, ChatCall call, ProxyStats &stats)
    : generation_(std::move(generation)), stats_(stats), started_(call.started), in_flight_(std::move(call.in_flight)),
      stream_slot_(std::move(call.stream_slot)),
      chain_(generation_->chain().start()) {
    const Config &config = generation_->config();
    settings_.require_encrypted_response_content = config.e2ee.require_encrypted_response_content;
    settings_.tools = config.tools;
    settings_.max_buffered_answer_bytes = config.limits.max_buffered_answer_bytes;
    exchange_.caller = std::move(call.caller);
    cors_origin_ = std::move(call.cors_origin);
    shape_ = std::move(call.shape);
    exchange_.method = std::move(call.method);
    exchange_.path = std::move(call.path);
    exchange_.request_headers = std::move(call.headers);
    exchange_.body = std::move(call.body);
    if (generation_->receipts().mode() != ReceiptMode::Off) evidence_.emplace();
}

ChatExchange::~ChatExchange() = default;

void ChatExchange::run_request_side() {
    if (chain_->run_request(exchange_) != StageStatus::Continue) throw *exchange_.reply;
    // A streamed answer reaches the client before its receipt exists: "require" refuses it.
    if (generation_->receipts().mode() == ReceiptMode::Require && exchange_.chat && exchange_.chat->stream)
        throw ProxyError::of("receipt_requires_buffered_answer",
                             "attestation.receipts is \"require\": answers are released only after their signed "
                             "receipt verified, which needs a non-streaming request (stream: false)");
}

UpstreamAttempt ChatExchange::open_attempt() {
    AttemptRequest attempt;
    attempt.number = exchange_.retries;
    attempt.messages = exchange_.messages;
    chain_->run_attempt(exchange_, attempt);
    // Fail closed: nothing goes upstream unless the chain attested and encrypted it, or prepared
    // it in plaintext for a model the configuration says is tee-only.
    const UpstreamDelivery delivery = check_upstream_attempt(exchange_, attempt, generation_->config());
    stats_.chat.upstream_attempts.fetch_add(1, std::memory_order_relaxed);
    if (evidence_) evidence_->attempt_sent(attempt.body);
    try {
        if (delivery == UpstreamDelivery::TeeOnly) return generation_->venice().open_tee_only_chat(attempt.body);
        return generation_->venice().open_chat(attempt.body, exchange_.client_key->public_hex(),
                                               exchange_.attested->model_public_key);
    } catch (const ProxyError &e) {
        // The enclave's key changed: attest anew and send once more (nothing reached the client).
        if (e.code() != "upstream_key_rejected" || exchange_.reattested) throw;
        exchange_.attestation_refused = true;
        return open_attempt();
    }
}

void ChatExchange::begin(ClientOutput &out) {
    out_ = &out;
    out.set_request_id(exchange_.request_id);
    if (!cors_origin_.empty()) out.set_cors_origin(cors_origin_);
    if (shape_) out.set_error_form(this);
    // A tee-only answer is plaintext: nothing to decrypt, no encrypted content to require.
    if (exchange_.tee_only) settings_.require_encrypted_response_content = false;
    responder_ = make_responder(exchange_, *this, settings_);
    open_decoder();
    responder_->begin();
}

RelayStep ChatExchange::on_body(std::string_view bytes) {
    if (evidence_) evidence_->received(bytes);
    if (held_) return RelayStep::Continue;  // the answer is whole; the body's end is awaited
    decoder_->feed(bytes);
    while (auto event = decoder_->next()) {
        tokens_.observe(*event);
        if (evidence_) evidence_->observe(*event);
        ResponderStep step = responder_->on_event(std::move(*event));
        if (step.kind == ResponderStep::Kind::Finished) return held_ ? RelayStep::Continue : RelayStep::Finished;
        if (step.kind == ResponderStep::Kind::Retry) return correct(std::move(*step.retry));
        if (out_->gone()) return RelayStep::Continue;
    }
    return RelayStep::Continue;
}

RelayStep ChatExchange::on_body_end() {
    if (held_) return RelayStep::Settle;  // the answer was whole before the body ended
    decoder_->end_of_body();
    return RelayStep::Continue;
}

ReceiptSubject ChatExchange::receipt_subject() const {
    ReceiptSubject subject;
    subject.model = exchange_.chat ? exchange_.chat->model : std::string();
    subject.request_id = exchange_.request_id;
    if (exchange_.caller) subject.client_key_id = exchange_.caller->id;
    if (evidence_) subject.evidence = evidence_->evidence();
    subject.attested = exchange_.attested;
    return subject;
}

void ChatExchange::settle() { generation_->receipts().require(receipt_subject()); }

void ChatExchange::release() {
    first_output();
    out_->whole(200, held_->headers, held_->body);
    held_.reset();
}

// The retry policy: another attempt carrying the correction, or — once the corrections allowed
// were made (tools.max_retries for tool calls, kStructuredOutputRetries for structured output) —
// invalid_tool_call / invalid_structured_output.
RelayStep ChatExchange::correct(tools::RetryRequest why) {
    const bool structured = exchange_.chat && exchange_.chat->response_format;
    const uint32_t max_retries = structured ? kStructuredOutputRetries : settings_.tools.max_retries;
    if (exchange_.retries >= max_retries)
        throw structured ? structured_output_failed(why.error) : corrections_exhausted(max_retries, why.error);
    ++exchange_.retries;
    exchange_.correction = std::move(why);
    if (!structured) stats_.chat.tool_retries.fetch_add(1, std::memory_order_relaxed);
    return RelayStep::NextAttempt;
}

void ChatExchange::on_next_attempt() {
    tokens_.next_attempt();
    open_decoder();
    responder_->on_retry_opened();
}

void ChatExchange::open_decoder() {
    if (exchange_.tee_only) decoder_.emplace(UpstreamDecoder::plaintext());
    else decoder_.emplace(generation_->cipher(), *exchange_.client_key);
}

void ChatExchange::ending() {
    stream_slot_.charge(tokens_.total());
    stream_slot_ = KeyLimiter::StreamSlot();
}

void ChatExchange::finish(const RelayOutcome &outcome) {
    if (finished_) return;
    finished_ = true;
    ending();
    chain_->complete(exchange_, outcome.succeeded);
    if (exchange_.reattested) stats_.chat.reattestations.fetch_add(1, std::memory_order_relaxed);
    log_chat_request(exchange_, outcome, started_);
    count(outcome);
    if (outcome.succeeded && generation_->receipts().mode() == ReceiptMode::Audit && exchange_.attested)
        generation_->receipts().audit_later(receipt_subject());
}

void ChatExchange::count(const RelayOutcome &outcome) const {
    ChatCounters &chat = stats_.chat;
    auto &counter = outcome.succeeded ? chat.succeeded : outcome.client_gone ? chat.client_gone : chat.failed;
    counter.fetch_add(1, std::memory_order_relaxed);
    std::string route = exchange_.path.substr(0, exchange_.path.find('?'));
    stats_.requests.by_route.add({std::move(route), std::to_string(outcome.status), outcome.code});
    const char *result = outcome.succeeded ? "succeeded" : outcome.client_gone ? "client_gone" : "failed";
    chat.by_key_model.add({exchange_.caller ? chat.keys.bound(exchange_.caller->id) : std::string(),
                           exchange_.chat && exchange_.attested ? chat.models.bound(exchange_.chat->model)
                                                                : std::string(kOtherLabel),
                           result});
    if (outcome.code == "e2ee_response_decryption_failed") chat.decrypt_failures.fetch_add(1, std::memory_order_relaxed);
    if (exchange_.tee_only) chat.tee_only.fetch_add(1, std::memory_order_relaxed);
    const bool stream = exchange_.chat && exchange_.chat->stream;
    if (output_started_)
        (stream ? chat.duration_streamed : chat.duration_buffered).observe(std::chrono::steady_clock::now() - started_);
    if (exchange_.tool_context && !exchange_.tool_format_name.empty()) {
        const char *tool_outcome = outcome.succeeded                    ? (exchange_.retries == 0 ? "parsed" : "corrected")
                                   : outcome.code == "invalid_tool_call" ? "failed"
                                                                         : nullptr;
        if (tool_outcome) stats_.tools.outcomes.add({exchange_.tool_format_name, tool_outcome});
    }
}

void ChatExchange::first_output() {
    if (output_started_) return;
    output_started_ = true;
    const bool stream = exchange_.chat && exchange_.chat->stream;
    (stream ? stats_.chat.ttfb_streamed : stats_.chat.ttfb_buffered).observe(std::chrono::steady_clock::now() - started_);
}

void ChatExchange::start_stream() {
    first_output();
    out_->start_stream(exchange_.response_headers);
    if (shape_) write(shape_->start());
}

bool ChatExchange::send_chunk(std::string chunk) {
    ResponseEvent event{std::move(chunk), true};
    if (!chain_->run_response_event(exchange_, event)) return !out_->gone();
    stats_.chat.chunks_relayed.fetch_add(1, std::memory_order_relaxed);
    if (shape_) return write(shape_->chunk(event.data));
    return out_->event(event.data);
}

void ChatExchange::send_done() {
    if (shape_) write(shape_->done());
    else out_->done();
}

bool ChatExchange::write(const std::vector<ShapedEvent> &events) {
    for (const auto &e : events)
        if (!out_->event(e.name, e.data)) return false;
    return !out_->gone();
}

std::string ChatExchange::body(const ProxyError &error) const { return shape_->error_body(error); }

std::string ChatExchange::stream_end(const ProxyError &error) {
    std::string text;
    for (const auto &e : shape_->stream_error(error)) text += "event: " + e.name + "\ndata: " + e.data + "\n\n";
    return text;
}

void ChatExchange::send_body(std::string body, const HeaderList &extra) {
    ResponseEvent event{std::move(body), false};
    if (!chain_->run_response_event(exchange_, event))
        throw ProxyError::of("response_withheld", "a chain stage withheld the answer");
    HeaderList headers = exchange_.response_headers;
    headers.insert(headers.end(), extra.begin(), extra.end());
    std::string whole = shape_ ? shape_->body(event.data) : event.data;
    if (generation_->receipts().mode() == ReceiptMode::Require) {
        held_ = HeldAnswer{std::move(headers), std::move(whole)};
        return;
    }
    first_output();
    out_->whole(200, headers, std::move(whole));
}

bool ChatExchange::client_gone() const { return out_->gone(); }

}  // namespace vep::host
