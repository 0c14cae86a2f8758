// Connection reuse towards Venice (venice.pool_max_idle, venice.pool_idle_timeout), seen from
// venice-sim, which counts every connection it accepts: sequential requests — attestation, chat
// answers streamed and buffered, the model list — share one connection (two when a request
// overtakes the end of the last answer's body); a connection the upstream closed while idle is
// not used again and the request succeeds on a new one, and is closed within seconds even when no
// request comes (the periodic sweep: no socket left in CLOSE-WAIT); an answer that failed midway
// (the proxy stopped reading) or that the client abandoned never gives its connection back;
// pool_max_idle = 0 opens a connection per request; over TLS, connections are reused and new ones
// resume the TLS session. Also what happens when Venice rotates a model's key. Real binaries,
// 127.0.0.1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <Poco/Net/Context.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "proxy_stack.hpp"

using namespace vep::test;
using ::testing::HasSubstr;

namespace {

std::string sim_chat(const std::string &directive, bool stream) {
    return R"({"model":"e2ee-qwen3-235b-a22b-p","stream":)" + std::string(stream ? "true" : "false") +
           R"(,"messages":[{"role":"user","content":"sim:)" + directive + R"(\nhello"}]})";
}

// A counter of venice-sim's GET /_sim/health (over TLS when `tls` is given).
uint64_t sim_health_count(const Stack &stack, const char *name, Poco::Net::Context::Ptr tls = nullptr) {
    const auto health = vep::json::parse(http(stack.sim_port, "GET", "/_sim/health", "", {}, std::move(tls)).body);
    uint64_t n = 0;
    if (!health.find(name) || !health.find(name)->get_u64(n))
        throw std::runtime_error(std::string("venice-sim health has no ") + name);
    return n;
}

// Connections venice-sim accepted so far, not counting the one this question arrives on.
uint64_t sim_connections(const Stack &stack) { return sim_health_count(stack, "connections_accepted") - 1; }

// Requests venice-sim received for `path` (its request log).
size_t sim_requests_to(const Stack &stack, const std::string &path) {
    size_t n = 0;
    const auto records = vep::json::parse(http(stack.sim_port, "GET", "/_sim/requests").body);
    for (const auto &r : records.as_array()) n += r.find("path")->as_string() == path;
    return n;
}

// Connections the proxy opened to venice-sim while `work` ran.
template <typename Work>
uint64_t connections_during(const Stack &stack, Work &&work) {
    const uint64_t before = sim_connections(stack);
    work();
    return sim_connections(stack) - before - 1;  // minus the first health question's connection
}

}  // namespace

TEST(UpstreamPool, SequentialRequestsShareOneConnection) {
    Stack stack(kDemoConfig, {}, {{"VENICE_E2EE_PROXY__VENICE__MODELS_CACHE_TTL", "0s"}});
    const uint64_t opened = connections_during(stack, [&] {
        for (int i = 0; i < 4; ++i) {
            const Result streamed = http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=20", true));
            ASSERT_EQ(streamed.status, 200) << streamed.body;
            ASSERT_THAT(streamed.body, HasSubstr("data: [DONE]"));
            const Result buffered = http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=5", false));
            ASSERT_EQ(buffered.status, 200) << buffered.body;
            ASSERT_EQ(http(stack.port, "GET", "/v1/models").status, 200);
        }
    });
    // One connection carries them all, but for a race no client can avoid: venice-sim writes the
    // body's last chunk after [DONE], and the next request may arrive before it did, while the
    // connection waits for it; that opens one more, once, and from then on the two take turns.
    // Without reuse this would be 12.
    EXPECT_LE(opened, 2u) << stack.proxy->output();
}

// Reads a streamed answer until its `data: [DONE]` and hangs up at once, as agents do.
void chat_until_done_and_hang_up(const Stack &stack) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", stack.port));
    socket.setReceiveTimeout(Poco::Timespan(20, 0));
    const std::string body = sim_chat("scenario=long chunks=8", true);
    const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                "application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string seen;
    char buffer[4096];
    while (seen.find("data: [DONE]") == std::string::npos && seen.size() < (1u << 20)) {
        const int n = socket.receiveBytes(buffer, sizeof buffer);
        if (n <= 0) break;
        seen.append(buffer, static_cast<size_t>(n));
    }
    ASSERT_THAT(seen, HasSubstr("data: [DONE]"));
    socket.close();
}

TEST(UpstreamPool, AClientThatHangsUpRightAfterDoneLeavesTheConnectionReusable) {
    Stack stack(kDemoConfig);
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=2", true)).status, 200);
    // At most one more connection: the next request may start before the last one's final chunk
    // returned its connection; from then on the two take turns.
    const uint64_t opened = connections_during(stack, [&] {
        for (int i = 0; i < 30; ++i) chat_until_done_and_hang_up(stack);
    });
    EXPECT_LE(opened, 1u) << stack.proxy->output();
}

TEST(UpstreamPool, AConnectionTheUpstreamClosedWhileIdleIsNotUsedAgain) {
    Stack stack(kDemoConfig, {"--keep-alive-ms", "150"});
    const uint64_t opened = connections_during(stack, [&] {
        ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=3", true)).status, 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // venice-sim closes the idle connection
        const Result again = http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=3", true));
        ASSERT_EQ(again.status, 200) << again.body;
        ASSERT_THAT(again.body, HasSubstr("data: [DONE]"));
    });
    EXPECT_EQ(opened, 2u) << stack.proxy->output();
}

TEST(UpstreamPool, AnIdleConnectionTheUpstreamClosedIsClosedWithoutAnotherRequest) {
    Stack stack(kDemoConfig, {"--keep-alive-ms", "150"});
    const auto descriptors = [&] {
        const std::string dir = "/proc/" + std::to_string(stack.proxy->pid()) + "/fd";
        return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
    };
    const size_t before = descriptors();
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=3", true)).status, 200);
    // venice-sim closes the pooled connection after 150 ms; the server's housekeeping (every 5 s)
    // closes the proxy's end without waiting for a request to find it.
    bool closed = false;
    for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(12);
         !closed && std::chrono::steady_clock::now() < until;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        closed = descriptors() <= before;
    }
    EXPECT_TRUE(closed) << "the proxy still holds " << descriptors() << " descriptors, " << before << " before the request";
}

TEST(UpstreamPool, AnAnswerThatFailedOrWasAbandonedMidwayNeverGivesItsConnectionBack) {
    Stack stack;
    // Warm: one pooled connection.
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=3", true)).status, 200);
    const uint64_t after_failure = connections_during(stack, [&] {
        // The proxy stops at the plaintext chunk (fail closed) while venice-sim still has chunks to send.
        const Result failed = http(stack.port, "POST", "/v1/chat/completions",
                                   sim_chat("scenario=long chunks=50 interval_ms=5 fault=plaintext_chunk fault_after=2", true));
        ASSERT_EQ(failed.status, 200);
        ASSERT_THAT(failed.body, HasSubstr("e2ee_response_decryption_failed"));
        const Result next = http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=3", true));
        ASSERT_EQ(next.status, 200) << next.body;
        ASSERT_THAT(next.body, HasSubstr("data: [DONE]"));
    });
    // The failed answer used the pooled connection and closed it; the next request needed a new one.
    EXPECT_EQ(after_failure, 1u) << stack.proxy->output();

    const uint64_t after_hang_up = connections_during(stack, [&] {
        {
            Poco::Net::HTTPClientSession s("127.0.0.1", stack.port);
            Poco::Net::HTTPRequest req("POST", "/v1/chat/completions", Poco::Net::HTTPMessage::HTTP_1_1);
            const std::string body = sim_chat("scenario=long chunks=200 interval_ms=20", true);
            req.setContentType("application/json");
            req.setContentLength(static_cast<std::streamsize>(body.size()));
            s.sendRequest(req) << body;
            Poco::Net::HTTPResponse resp;
            std::istream &in = s.receiveResponse(resp);
            char first[64];
            in.read(first, sizeof first);  // the stream is running; now hang up
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const Result next = http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=3", true));
        ASSERT_EQ(next.status, 200) << next.body;
    });
    EXPECT_EQ(after_hang_up, 1u) << stack.proxy->output();
}

// venice-sim over HTTPS, trusted through venice.ca_file.
std::pair<std::vector<std::string>, std::map<std::string, std::string>> tls_upstream(
    std::map<std::string, std::string> env = {}) {
    const std::string dir = std::string(VEP_SOURCE_DIR) + "/tests/data/tls/";
    env["VENICE_E2EE_PROXY__VENICE__CA_FILE"] = dir + "ca.pem";
    return {{"--tls-cert", dir + "server.pem", "--tls-key", dir + "server.key"}, env};
}

// A client trusting the test CA venice-sim's TLS certificate comes from.
Poco::Net::Context::Ptr trust_test_ca() {
    return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "",
                                  std::string(VEP_SOURCE_DIR) + "/tests/data/tls/ca.pem",
                                  Poco::Net::Context::VERIFY_STRICT, 9, false);
}

TEST(UpstreamPool, OverTlsConnectionsAreReusedAndNewOnesResumeTheSession) {
    {
        const auto [sim_args, env] = tls_upstream();
        Stack stack(kDemoConfig, sim_args, env);
        for (int i = 0; i < 4; ++i)
            ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=5", i % 2 == 0)).status,
                      200);
        // Eight upstream requests (attestation and chat each time) on one connection; the
        // health question is the second.
        EXPECT_EQ(sim_health_count(stack, "connections_accepted", trust_test_ca()), 2u) << stack.proxy->output();
    }
    const auto [sim_args, env] = tls_upstream({{"VENICE_E2EE_PROXY__VENICE__POOL_MAX_IDLE", "0"}});
    Stack stack(kDemoConfig, sim_args, env);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=5", true)).status, 200);
    // Six connections; every one after the first resumed the TLS session.
    EXPECT_EQ(sim_health_count(stack, "tls_resumed_requests", trust_test_ca()), 5u) << stack.proxy->output();
}

TEST(UpstreamPool, NoPoolOpensAConnectionPerRequest) {
    Stack stack(kDemoConfig, {}, {{"VENICE_E2EE_PROXY__VENICE__POOL_MAX_IDLE", "0"}});
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=3", true)).status, 200);
    const uint64_t opened = connections_during(stack, [&] {
        for (int i = 0; i < 3; ++i)
            ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=long chunks=3", true)).status, 200);
    });
    // demo-sim.toml starts a session per request without a session id: an attestation and a chat
    // request each, every one on its own connection.
    EXPECT_EQ(opened, 6u);
}

// Venice rotates a model's key (venice-sim: POST /_sim/rotate): the next request of a session
// attested before is refused by Venice, attested anew once and answered; every round is in the
// audit log with its reason. When the new attestation fails, the client gets that error, cleanly.
TEST(Reattestation, AKeyRotationLeadsToOneNewAttestationThenAnAnswer) {
    const auto dir = std::filesystem::temp_directory_path() / ("vep-rotate-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string audit = (dir / "audit.jsonl").string();
    Stack stack(kDemoConfig, {}, {{"VENICE_E2EE_PROXY__LOGGING__AUDIT_LOG", audit}});
    const std::map<std::string, std::string> session{{"X-Venice-Proxy-Session-Id", "rotating-agent"}};
    const auto ask = [&] {
        return http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=echo prefix=E:", true), session);
    };
    const auto count = [&](const std::string &path) { return sim_requests_to(stack, path); };
    ASSERT_EQ(ask().status, 200);
    ASSERT_EQ(ask().status, 200);
    EXPECT_EQ(count("/api/v1/tee/attestation"), 1u);  // one session, one attestation

    ASSERT_EQ(http(stack.sim_port, "POST", "/_sim/rotate", R"({"model":"e2ee-qwen3-235b-a22b-p"})").status, 200);
    const Result after_rotation = ask();
    ASSERT_EQ(after_rotation.status, 200) << after_rotation.body;
    EXPECT_EQ(streamed_content(after_rotation.body), "E:hello");
    EXPECT_EQ(count("/api/v1/tee/attestation"), 2u);
    EXPECT_EQ(count("/api/v1/chat/completions"), 4u);  // two, the refused one, the one after re-attesting
    ASSERT_EQ(ask().status, 200);
    EXPECT_EQ(count("/api/v1/tee/attestation"), 2u);  // the session keeps its new attestation

    // Rotated again, and now the enclave does not attest: the client gets the attestation error.
    ASSERT_EQ(http(stack.sim_port, "POST", "/_sim/rotate", R"({"model":"e2ee-qwen3-235b-a22b-p"})").status, 200);
    ASSERT_EQ(http(stack.sim_port, "POST", "/_sim/config", R"({"attestation_fault":"not_verified"})").status, 200);
    Result refused = ask();
    EXPECT_EQ(refused.status, 502) << refused.body;
    EXPECT_THAT(refused.headers["X-Venice-Proxy-Error-Code"], ::testing::StartsWith("attestation_"));
    EXPECT_THAT(refused.body, ::testing::Not(HasSubstr("data:")));

    std::ifstream in(audit);
    std::vector<std::string> reasons;
    for (std::string line; std::getline(in, line);) {
        const auto record = vep::json::parse(line);
        const auto *reason = record.find("reason");
        reasons.push_back((reason ? reason->as_string() : "-") + "/" + record.find("outcome")->as_string());
    }
    EXPECT_EQ(reasons, (std::vector<std::string>{"-/verified", "key_rejected/verified", "key_rejected/rejected"}));
    std::filesystem::remove_all(dir);
}

// A session's attestation older than attestation.max_age is renewed before its next request.
TEST(Reattestation, AnAttestationOlderThanMaxAgeIsRenewed) {
    Stack stack(kDemoConfig, {}, {{"VENICE_E2EE_PROXY__ATTESTATION__MAX_AGE", "1s"}});
    const std::map<std::string, std::string> session{{"X-Venice-Proxy-Session-Id", "long-lived-agent"}};
    const auto attestations = [&] { return sim_requests_to(stack, "/api/v1/tee/attestation"); };
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=echo", true), session).status, 200);
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=echo", true), session).status, 200);
    EXPECT_EQ(attestations(), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    ASSERT_EQ(http(stack.port, "POST", "/v1/chat/completions", sim_chat("scenario=echo", true), session).status, 200);
    EXPECT_EQ(attestations(), 2u);
}
