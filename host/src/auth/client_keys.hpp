// Client keys: who may use the proxy. A keys file (auth.keys_file; JSON, mode 0600, re-read with
// every configuration generation, so SIGHUP applies a revocation) lists each key's id, label,
// the SHA-256 of its secret (never the secret), and optionally the models it may use (globs with
// `*`) and its limits (requests per minute, chat answers open at once; enforced by KeyLimiter). ClientKeySet::authenticate() hashes a presented secret and compares it with every key's
// hash in constant time. The key file is written only by `venice-e2ee-proxy keys` (app/), which
// prints a new secret once. Loaded by Generation::build; read by the request guard and the parse
// stage (allowed models).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vep::host {

struct ClientKey {
    // Bounds of the limits (the keys file and `keys add` refuse more).
    static constexpr uint64_t kMaxCount = 1000000;
    static constexpr uint64_t kMaxDailyTokens = 1000000000000ull;

    std::string id;
    std::string label;
    std::array<unsigned char, 32> secret_sha256{};
    std::vector<std::string> models;  // empty = every model
    uint32_t requests_per_minute = 0;  // 0 = no limit
    uint32_t max_streams = 0;          // chat answers open at once; 0 = no limit
    uint64_t daily_completion_tokens = 0;  // completion tokens a UTC day; 0 = no budget

    // Whether the key may use `model` (a `*` in a pattern matches any run of characters).
    bool allows_model(std::string_view model) const;
};

class ClientKeySet {
  public:
    // Reads `path`. Throws std::runtime_error naming the file and the problem: missing, readable
    // by group or others, not JSON of the expected shape, duplicate ids, a malformed hash.
    static ClientKeySet load(const std::string &path);
    // The same checks on the file's text; `path` names it in errors.
    static ClientKeySet parse(std::string_view text, const std::string &path);
    // Writes `keys` to `path` (created 0600; replaced atomically). Throws std::runtime_error.
    static void save(const std::string &path, const std::vector<ClientKey> &keys);

    const std::vector<std::shared_ptr<const ClientKey>> &keys() const { return keys_; }
    // The key whose secret is `secret`, or null. Takes the same time whichever key matches.
    std::shared_ptr<const ClientKey> authenticate(std::string_view secret) const;

  private:
    std::vector<std::shared_ptr<const ClientKey>> keys_;
};

// A new secret: "vep-" + 43 characters of URL-safe base64 (256 random bits).
std::string generate_client_secret();
std::array<unsigned char, 32> sha256_of(std::string_view text);

// The secret a request presents: `Authorization: Bearer <secret>`, else `x-api-key: <secret>`.
std::optional<std::string> presented_secret(std::string_view authorization, std::string_view x_api_key);

}  // namespace vep::host
