// Client keys in front of every route: with [auth] keys_file set, /v1/models and chat need a key
// (Bearer or x-api-key) and answer 401 in OpenAI error shape without one, before anything reaches
// Venice; /healthz stays open; the key's id goes to the access and audit logs; a key limited to some models gets 403 for the others and sees only
// its own in /v1/models; per-key request rates and open streams are held.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "auth/client_keys.hpp"
#include "config/loader.hpp"
#include "plugin/host_services.hpp"
#include "proxy_harness.hpp"
#include "runtime/generation.hpp"

using namespace vep::test;
using ::testing::HasSubstr;

namespace {

struct Keys {
    std::string path = (std::filesystem::temp_directory_path() / ("vep-auth-" + std::to_string(getpid()) + ".json")).string();
    std::string all = vep::host::generate_client_secret();
    std::string qwen_only = vep::host::generate_client_secret();
    Keys() {
        vep::host::ClientKeySet::save(path, {{"k-all", "everything", vep::host::sha256_of(all), {}},
                                             {"k-qwen", "qwen only", vep::host::sha256_of(qwen_only), {"*qwen*"}}});
    }
    ~Keys() { std::filesystem::remove(path); }
};

}  // namespace

TEST(AuthRoute, EveryRouteButHealthNeedsAKey) {
    Keys keys;
    const std::string audit = keys.path + ".audit";
    ProxyHarness h("", [&](vep::host::Config &c) {
        c.auth.keys_file = keys.path;
        c.logging.audit_log = audit;
    });

    EXPECT_EQ(h.get("/healthz").status, 200);
    for (const auto &r : {h.get("/v1/models"), h.post_chat(chat_body(kHermesModel, "hi", false))}) {
        EXPECT_EQ(r.status, 401) << r.body;
        EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "missing_api_key");
        EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer");
        EXPECT_EQ(r.json().find("error")->find("type")->as_string(), "invalid_request_error");
    }
    const auto wrong = h.post_chat(chat_body(kHermesModel, "hi", false), {{"Authorization", "Bearer vep-not-a-key"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.header("X-Venice-Proxy-Error-Code"), "invalid_api_key");
    EXPECT_EQ(h.sim_requests("chat/completions"), 0u);
    EXPECT_EQ(h.sim_requests("models"), 0u);

    const auto bearer = h.post_chat(chat_body(kHermesModel, "hi", false), {{"Authorization", "Bearer " + keys.all}});
    EXPECT_EQ(bearer.status, 200) << bearer.body;
    const auto api_key = h.post_chat(chat_body(kHermesModel, "hi", true), {{"x-api-key", keys.all}});
    EXPECT_EQ(api_key.status, 200) << api_key.body;
    EXPECT_EQ(h.request("GET", "/v1/models", "", {{"x-api-key", keys.all}}).status, 200);

    // The attestation the keyed request caused is audited with the key's id, never its secret.
    std::ifstream in(audit);
    const std::string records((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_THAT(records, HasSubstr(R"("client_key_id":"k-all")"));
    EXPECT_THAT(records, ::testing::Not(HasSubstr(keys.all)));
    std::filesystem::remove(audit);
}

TEST(AuthRoute, AKeyLimitedToSomeModelsIsRefusedTheOthers) {
    Keys keys;
    ProxyHarness h("", [&](vep::host::Config &c) { c.auth.keys_file = keys.path; });
    const auto allowed = h.post_chat(chat_body(kQwenModel, "hi", false), {{"x-api-key", keys.qwen_only}});
    EXPECT_EQ(allowed.status, 200) << allowed.body;
    const auto refused = h.post_chat(chat_body(kHermesModel, "hi", false), {{"x-api-key", keys.qwen_only}});
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(refused.header("X-Venice-Proxy-Error-Code"), "model_not_allowed");

    // The model list shows such a key only what it may use.
    const auto all = h.request("GET", "/v1/models", "", {{"x-api-key", keys.all}}).json();
    const auto mine = h.request("GET", "/v1/models", "", {{"x-api-key", keys.qwen_only}}).json();
    const auto ids = [](const vep::json::Value &list) {
        std::vector<std::string> out;
        for (const auto &m : list.find("data")->as_array()) out.push_back(m.find("id")->as_string());
        return out;
    };
    ASSERT_GT(ids(all).size(), ids(mine).size());
    ASSERT_FALSE(ids(mine).empty());
    for (const auto &id : ids(mine)) EXPECT_NE(id.find("qwen"), std::string::npos) << id;
}

TEST(AuthRoute, AnUnreadableKeysFileIsAStartUpError) {
    vep::host::Config config = vep::host::load_config_text(
        ProxyHarness::base_toml("http://127.0.0.1:9/api/v1") + "[auth]\nkeys_file = \"/nonexistent/keys.json\"\n",
        "auth.toml", {});
    const vep::host::PluginLoader loader(vep::host::host_services());
    try {
        vep::host::Generation::build(std::move(config), loader, std::make_shared<vep::host::ConcurrencyGate>());
        FAIL() << "a missing keys file was accepted";
    } catch (const vep::host::GenerationError &e) {
        EXPECT_THAT(e.what(), HasSubstr("/nonexistent/keys.json"));
        EXPECT_THAT(e.what(), HasSubstr("not found"));
    }
}

TEST(AuthRoute, PerKeyRequestRateAndOpenStreams) {
    Keys keys;
    const std::string limited = vep::host::generate_client_secret();
    vep::host::ClientKey rate{"k-rate", "", vep::host::sha256_of(limited), {}};
    rate.requests_per_minute = 2;
    rate.max_streams = 1;
    vep::host::ClientKeySet::save(keys.path, {rate, {"k-all", "", vep::host::sha256_of(keys.all), {}}});
    ProxyHarness h("", [&](vep::host::Config &c) { c.auth.keys_file = keys.path; });
    const std::map<std::string, std::string> auth{{"x-api-key", limited}};

    // One stream open: a second is refused, the key's other routes still answer.
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string head_and_body = [&] {
        const std::string body = chat_body(kHermesModel, "sim:scenario=long chunks=30 chunk_bytes=4 interval_ms=50", true);
        return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-api-key: " + limited +
               "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    }();
    socket.sendBytes(head_and_body.data(), static_cast<int>(head_and_body.size()));
    char first[256];
    ASSERT_GT(socket.receiveBytes(first, sizeof first), 0);
    const auto second = h.post_chat(chat_body(kHermesModel, "hi", false), auth);
    EXPECT_EQ(second.status, 429) << second.body;
    EXPECT_EQ(second.header("X-Venice-Proxy-Error-Code"), "too_many_streams");
    EXPECT_EQ(second.header("Retry-After"), "1");
    socket.close();

    // Two requests a minute were used (the stream and the refused one): the third waits.
    const auto third = h.post_chat(chat_body(kHermesModel, "hi", false), auth);
    EXPECT_EQ(third.status, 429) << third.body;
    EXPECT_EQ(third.header("X-Venice-Proxy-Error-Code"), "rate_limit_exceeded");
    const int retry_after = std::stoi(third.header("Retry-After").empty() ? "0" : third.header("Retry-After"));
    EXPECT_GE(retry_after, 1);
    EXPECT_LE(retry_after, 30);  // two a minute: a token every 30 s
    EXPECT_EQ(h.post_chat(chat_body(kHermesModel, "hi", false), {{"x-api-key", keys.all}}).status, 200);
}

// A key limited to one open answer asks again as soon as it read an answer's end — on the same
// kept-alive connection, as the OpenAI SDKs do, or on another one while the first waits for its
// next request: a connection kept alive after an answer holds no open-answer slot.
TEST(AuthRoute, AKeyWithOneOpenAnswerAsksAgainAtOnceOnAnyConnection) {
    Keys keys;
    const std::string single = vep::host::generate_client_secret();
    vep::host::ClientKey one{"k-one", "", vep::host::sha256_of(single), {}};
    one.max_streams = 1;
    vep::host::ClientKeySet::save(keys.path, {one});
    ProxyHarness h("", [&](vep::host::Config &c) { c.auth.keys_file = keys.path; });

    const auto connect = [&] {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.port()));
        socket.setReceiveTimeout(Poco::Timespan(10, 0));
        return socket;
    };
    // Sends a chat request on `socket` and reads its whole answer: the terminating chunk of a
    // streamed one, the Content-Length of a buffered one.
    const auto ask = [&](Poco::Net::StreamSocket &socket, bool stream) {
        const std::string body = chat_body(kHermesModel, "sim:scenario=long chunks=3 chunk_bytes=4", stream);
        const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    "x-api-key: " + single + "\r\nContent-Length: " + std::to_string(body.size()) +
                                    "\r\n\r\n" + body;
        socket.sendBytes(request.data(), static_cast<int>(request.size()));
        std::string response;
        char buffer[4096];
        const auto whole = [&] {
            const auto head_end = response.find("\r\n\r\n");
            if (head_end == std::string::npos) return false;
            if (stream) return response.size() >= 5 && response.compare(response.size() - 5, 5, "0\r\n\r\n") == 0;
            const auto length_at = response.find("Content-Length: ");
            return length_at != std::string::npos && length_at < head_end &&
                   response.size() - head_end - 4 >= std::stoul(response.substr(length_at + 16));
        };
        for (int reads = 0; reads < 200 && !whole(); ++reads) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            response.append(buffer, static_cast<size_t>(n));
        }
        return response;
    };

    Poco::Net::StreamSocket kept = connect();
    for (int round = 0; round < 4; ++round) {
        const std::string answer = ask(kept, round % 2 == 0);
        ASSERT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << "round " << round << ": " << answer.substr(0, 400);
        EXPECT_THAT(answer, HasSubstr("Connection: Keep-Alive")) << "round " << round;
    }
    Poco::Net::StreamSocket other = connect();
    const std::string elsewhere = ask(other, true);
    EXPECT_EQ(elsewhere.rfind("HTTP/1.1 200", 0), 0u) << elsewhere.substr(0, 400);
}

// Browser rules on a loopback listener without client keys: a page not listed in
// server.cors_origins and a Host that is not this machine (DNS rebinding) are refused; a listed
// page gets CORS headers on every answer (a relayed stream too) and its preflight answered.
TEST(BrowserRules, DnsRebindingAndForeignPagesAreRefusedListedPagesGetCors) {
    ProxyHarness h("", [](vep::host::Config &c) { c.server.cors_origins = {"https://app.example"}; });
    const std::string body = chat_body(kHermesModel, "hi", false);

    const auto rebound = h.post_chat(body, {{"Host", "evil.example:8080"}});
    EXPECT_EQ(rebound.status, 403) << rebound.body;
    EXPECT_EQ(rebound.header("X-Venice-Proxy-Error-Code"), "host_not_allowed");
    const auto foreign = h.post_chat(body, {{"Origin", "https://evil.example"}});
    EXPECT_EQ(foreign.status, 403);
    EXPECT_EQ(foreign.header("X-Venice-Proxy-Error-Code"), "origin_not_allowed");
    EXPECT_EQ(h.sim_requests("chat/completions"), 0u);
    EXPECT_EQ(h.post_chat(body, {{"Host", "localhost:1234"}}).status, 200);

    const auto listed = h.post_chat(body, {{"Origin", "https://app.example"}});
    EXPECT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(listed.header("Access-Control-Allow-Origin"), "https://app.example");
    const auto streamed = h.post_chat(chat_body(kHermesModel, "hi", true), {{"Origin", "https://app.example"}});
    EXPECT_EQ(streamed.status, 200);
    EXPECT_EQ(streamed.header("Access-Control-Allow-Origin"), "https://app.example");
    EXPECT_THAT(streamed.header("Access-Control-Expose-Headers"), HasSubstr("X-Venice-Proxy-E2EE"));

    const auto preflight = h.request("OPTIONS", "/v1/chat/completions", "",
                                     {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(preflight.status, 204);
    EXPECT_EQ(preflight.header("Access-Control-Allow-Origin"), "https://app.example");
    EXPECT_THAT(preflight.header("Access-Control-Allow-Headers"), HasSubstr("Authorization"));
}

// With client keys the key is the guard: any Host is served to a keyed request.
TEST(BrowserRules, ClientKeysReplaceTheHostRule) {
    Keys keys;
    ProxyHarness h("", [&](vep::host::Config &c) { c.auth.keys_file = keys.path; });
    const auto r = h.post_chat(chat_body(kHermesModel, "hi", false), {{"Host", "proxy.team.example"}, {"x-api-key", keys.all}});
    EXPECT_EQ(r.status, 200) << r.body;
}
