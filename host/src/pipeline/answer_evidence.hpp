// AnswerEvidence: what the current upstream attempt of one exchange sent and received, for the
// answer's signed receipt (attestation.receipts): the SHA-256 of the request body sent, a running
// SHA-256 of the response body received (HTTP framing removed) and the upstream completion id
// (the first choice chunk's `id`). A new attempt starts it afresh: the receipt checked is the one
// of the attempt whose answer the client gets. Owned by ChatExchange; not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "attestation/receipt_check.hpp"
#include "chat/upstream_decoder.hpp"

struct evp_md_ctx_st;

namespace vep::host {

class AnswerEvidence {
  public:
    AnswerEvidence();
    ~AnswerEvidence();
    AnswerEvidence(const AnswerEvidence &) = delete;
    AnswerEvidence &operator=(const AnswerEvidence &) = delete;

    // An attempt with this request body is sent: forget the previous attempt.
    void attempt_sent(std::string_view request_body);
    // Response body bytes of the current attempt.
    void received(std::string_view body_bytes);
    // A decoded event of the current attempt (its completion id).
    void observe(const DecryptedEvent &event);
    // The evidence so far (the response hash covers the bytes received until now).
    ReceiptEvidence evidence() const;

  private:
    std::string request_sha256_;
    std::string completion_id_;
    std::unique_ptr<evp_md_ctx_st, void (*)(evp_md_ctx_st *)> response_hash_;
};

}  // namespace vep::host
