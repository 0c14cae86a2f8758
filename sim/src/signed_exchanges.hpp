// SignedExchanges: what the simulator needs to sign a completion's response record later — its
// model and the SHA-256 of the request body it received and of the response body it sent — by
// completion id. Written by the chat handler when an answer ends, read by the signature handler.
// Bounded (the oldest entries go first). Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace vep::sim {

struct SignedExchange {
    std::string model;
    std::string request_sha256;   // hex
    std::string response_sha256;  // hex
};

class SignedExchanges {
  public:
    explicit SignedExchanges(size_t max_entries = 4096) : max_entries_(max_entries) {}
    void add(const std::string &completion_id, SignedExchange exchange);
    std::optional<SignedExchange> find(const std::string &completion_id) const;

  private:
    size_t max_entries_;
    mutable std::mutex mutex_;
    std::map<std::string, SignedExchange> entries_;
    std::deque<std::string> order_;
};

}  // namespace vep::sim
