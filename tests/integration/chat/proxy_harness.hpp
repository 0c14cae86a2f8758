// ProxyHarness: a venice-sim and a real proxy (Generation + ProxyServer, plugins loaded by the
// real loader from the build's plugin directory) in the test process on 127.0.0.1 ephemeral
// ports, plus a small HTTP client for plain and SSE requests. Used by every chat integration test.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "http/proxy_server.hpp"
#include "limits/concurrency_gate.hpp"
#include "runtime/generation_holder.hpp"
#include "stats/proxy_stats.hpp"
#include "vep/json.hpp"
#include "vep/sim/sim_server.hpp"

namespace vep::test {

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    bool body_complete = true;  // false when the connection broke before the body ended

    vep::json::Value json() const { return vep::json::parse(body); }
    std::string header(const std::string &name) const;
    // The `data:` payloads of an SSE body, in order.
    std::vector<std::string> sse_data() const;
};

class ProxyHarness {
  public:
    // `extra_toml` is appended to the generated config (it may add sections); `tweak` edits the
    // loaded Config before the generation is built; `sim_tweak` edits venice-sim's options.
    explicit ProxyHarness(const std::string &extra_toml = "", std::function<void(host::Config &)> tweak = {},
                          std::function<void(vep::sim::SimOptions &)> sim_tweak = {});
    ~ProxyHarness();

    vep::sim::SimServer &sim() { return *sim_; }
    uint16_t port() const { return server_->port(); }
    host::ConcurrencyGate &gate() { return *gate_; }
    const host::ProxyStats &stats() const { return stats_; }
    // Drains and stops the proxy now (as SIGTERM does), giving requests in flight `grace`.
    void stop_proxy(std::chrono::milliseconds grace) { server_->drain_and_stop(grace); }
    const host::Generation &generation() const { return *generations_.current(); }
    const host::GenerationHolder &generations() const { return generations_; }

    HttpResult post_chat(const std::string &body, const std::map<std::string, std::string> &headers = {}) const;
    HttpResult get(const std::string &path) const;
    HttpResult request(const std::string &method, const std::string &path, const std::string &body,
                       const std::map<std::string, std::string> &headers) const;

    // How many requests venice-sim recorded whose path contains `fragment` ("chat/completions",
    // "tee/attestation", ...).
    size_t sim_requests(const std::string &fragment) const;
    // The newest chat record of venice-sim once `done` holds for it, polling every 20 ms for at
    // most `limit` (the last one seen, or nullopt, when it never does).
    std::optional<vep::sim::RequestRecord> wait_for_chat_record(
        std::chrono::milliseconds limit, const std::function<bool(const vep::sim::RequestRecord &)> &done) const;
    // Sends a raw streaming chat request with `body` on `socket` (connected to port()) and reads
    // until `marker` arrives; returns what was read ("" when the connection ended first).
    static std::string send_raw_chat(Poco::Net::StreamSocket &socket, const std::string &body, const std::string &marker);

    // The base config text the harness generates (plugin dir, sim URL, port 0, quiet logs).
    static std::string base_toml(const std::string &sim_url);

  private:
    std::unique_ptr<vep::sim::SimServer> sim_;
    host::ProxyStats stats_;
    std::shared_ptr<host::ConcurrencyGate> gate_ = std::make_shared<host::ConcurrencyGate>();
    host::GenerationHolder generations_;
    std::unique_ptr<host::ProxyServer> server_;
};

// A chat body: model, one user message, stream flag, extra top-level JSON members (raw text).
std::string chat_body(const std::string &model, const std::string &user_text, bool stream,
                      const std::string &extra_members = "");

// Every decrypted delta.content of an SSE body concatenated.
std::string streamed_content(const HttpResult &result);
// Whether the SSE body's last data line is [DONE].
bool ends_with_done(const HttpResult &result);
// The `long` scenario's text (sim/README.md): chunk i is chunk_bytes characters of the
// a..z0..9-space pattern starting at position i.
std::string long_answer(size_t chunks, size_t chunk_bytes);
// Polls `condition` every 10 ms for at most `limit`; whether it held.
bool wait_until(std::chrono::milliseconds limit, const std::function<bool()> &condition);

inline constexpr const char *kHermesModel = "e2ee-hermes-3-llama-3.1-405b-p";
inline constexpr const char *kQwenModel = "e2ee-qwen3-235b-a22b-p";
inline constexpr const char *kGlmModel = "e2ee-glm-4-7-flash-p";

// A gtest fixture whose tests share one ProxyHarness: started once per suite with
// Suite::harness_toml() (a suite may declare its own; the base gives the defaults), stopped after
// the suite, the simulator reset before every test. Suites derive as
// `class X : public SharedHarnessTest<X>` and may extend SetUp (calling this one first).
template <typename Suite>
class SharedHarnessTest : public ::testing::Test {
  public:
    static std::string harness_toml() { return ""; }

  protected:
    static void SetUpTestSuite() { harness_ = std::make_unique<ProxyHarness>(Suite::harness_toml()); }
    static void TearDownTestSuite() { harness_.reset(); }
    void SetUp() override { harness_->sim().reset(); }
    ProxyHarness &h() { return *harness_; }
    static inline std::unique_ptr<ProxyHarness> harness_;
};

}  // namespace vep::test
