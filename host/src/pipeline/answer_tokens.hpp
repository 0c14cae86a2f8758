// AnswerTokens: the completion tokens one chat exchange cost, which its client key's daily budget
// is charged: for every upstream attempt (corrections cost tokens too), the upstream's
// usage.completion_tokens when it reported usage, else an estimate of one token per four bytes of
// decrypted content and reasoning. Owned by ChatExchange, which shows it every decrypted event.
#pragma once

#include <cstdint>

#include "chat/upstream_decoder.hpp"

namespace vep::host {

class AnswerTokens {
  public:
    void observe(const DecryptedEvent &event);
    // The current attempt ended; a new one starts counting.
    void next_attempt();
    // All attempts so far, the current one included.
    uint64_t total() const;

  private:
    uint64_t settled_ = 0;
    uint64_t reported_ = 0;
    bool has_report_ = false;
    uint64_t text_bytes_ = 0;
};

}  // namespace vep::host
