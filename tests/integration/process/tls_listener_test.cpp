// The proxy's TLS listener, as operators run it (server.tls_cert / tls_key / tls_client_ca): HTTPS
// for every route, relayed answers written through TLS by the relay, plain text refused; the
// certificate re-read on SIGHUP while an open stream finishes on its connection; a chat
// connection kept alive through the relay's TLS and handed back for its next request; mutual TLS
// accepting only certificates the configured CA issued (an alternative to client keys, also for a
// non-loopback listener), the certificate's name in the access log; configuration mistakes named
// at start-up and on reload. Real binaries (venice-e2ee-proxy, venice-sim), 127.0.0.1 only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>

#include "proxy_stack.hpp"

using namespace vep::test;
using ::testing::HasSubstr;

namespace {

const std::string kTlsDir = std::string(VEP_SOURCE_DIR) + "/tests/data/tls/";

std::map<std::string, std::string> tls_env(const std::string &cert = "server", const std::string &client_ca = "") {
    std::map<std::string, std::string> env{{"VENICE_E2EE_PROXY__SERVER__TLS_CERT", kTlsDir + cert + ".pem"},
                                           {"VENICE_E2EE_PROXY__SERVER__TLS_KEY", kTlsDir + cert + ".key"}};
    if (!client_ca.empty()) env["VENICE_E2EE_PROXY__SERVER__TLS_CLIENT_CA"] = kTlsDir + client_ca + ".pem";
    return env;
}

// A client trusting only `ca`, presenting the client certificate `client` ("" = none).
Poco::Net::Context::Ptr client_tls(const std::string &ca = "ca", const std::string &client = "") {
    const std::string key = client.empty() ? "" : kTlsDir + client + ".key";
    const std::string cert = client.empty() ? "" : kTlsDir + client + ".pem";
    return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, key, cert, kTlsDir + ca + ".pem",
                                  Poco::Net::Context::VERIFY_STRICT, 9, false);
}

std::string long_chat(int chunks, int chunk_bytes, bool stream, const std::string &extra = "") {
    return R"({"model":"e2ee-qwen3-235b-a22b-p","stream":)" + std::string(stream ? "true" : "false") +
           R"(,"messages":[{"role":"user","content":"sim:scenario=long chunks=)" + std::to_string(chunks) +
           " chunk_bytes=" + std::to_string(chunk_bytes) + extra + R"(\nhello"}]})";
}

std::string buffered_content(const Result &r) {
    return vep::json::parse(r.body).find("choices")->as_array().at(0).find("message")->find("content")->as_string();
}

// Whether a request over `tls` gets any HTTP answer (false: the handshake or connection failed).
bool answers(uint16_t port, Poco::Net::Context::Ptr tls) {
    try {
        return http(port, "GET", "/v1/models", "", {}, std::move(tls)).status == 200;
    } catch (const Poco::Exception &) {
        return false;
    }
}

struct TempDir {
    TempDir() : path(std::filesystem::temp_directory_path() / ("vep-tls-" + std::to_string(getpid()))) {
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string file(const std::string &name) const { return (path / name).string(); }
    std::filesystem::path path;
};

// demo-sim.toml with `server_lines` added to its [server] table.
std::string demo_config_with_server(const std::string &server_lines) {
    std::string text = demo_config_text();
    const auto at = text.find("[server]\n");
    if (at == std::string::npos) throw std::runtime_error("demo-sim.toml has no [server] table");
    return text.insert(at + 9, server_lines);
}

}  // namespace

TEST(TlsListener, ServesEveryRouteOverHttpsAndRefusesPlainText) {
    Stack stack(kDemoConfig, {}, tls_env());
    EXPECT_THAT(stack.proxy->output(), HasSubstr("listening on https://"));
    EXPECT_EQ(http(stack.port, "GET", "/healthz", "", {}, client_tls()).status, 200);
    EXPECT_EQ(http(stack.port, "GET", "/v1/models", "", {}, client_tls()).status, 200);

    // ~100 KB of answer through the relay's TLS writes, streamed and buffered, byte for byte.
    const Result buffered = http(stack.port, "POST", "/v1/chat/completions", long_chat(400, 256, false), {}, client_tls());
    ASSERT_EQ(buffered.status, 200) << buffered.body;
    EXPECT_EQ(buffered_content(buffered).size(), 400u * 256u);
    const Result streamed = http(stack.port, "POST", "/v1/chat/completions", long_chat(400, 256, true), {}, client_tls());
    ASSERT_EQ(streamed.status, 200) << streamed.body;
    EXPECT_EQ(streamed_content(streamed.body), buffered_content(buffered));
    EXPECT_THAT(streamed.body, HasSubstr("data: [DONE]"));

    // A plain-HTTP request and a client that does not trust the certificate get no answer.
    EXPECT_THROW(http(stack.port, "GET", "/healthz"), Poco::Exception);
    EXPECT_FALSE(answers(stack.port, client_tls("other-ca")));
    EXPECT_TRUE(answers(stack.port, client_tls()));
}

TEST(TlsListener, AChatConnectionIsKeptAliveThroughTheRelaysTls) {
    Stack stack(kDemoConfig, {}, tls_env());
    Poco::Net::SecureStreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", stack.port), client_tls());
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    // Three streamed answers, each written by the relay through TLS (non-blocking), on one
    // connection: the relay hands it back blocking, and its TLS state intact, each time. The
    // requests after the first arrive in two records 100 ms apart, so the worker that reads a
    // returned connection has to wait for the rest of it.
    for (int i = 0; i < 3; ++i) {
        const std::string body = long_chat(20, 64, true);
        const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "Content-Type: application/json\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body;
        const size_t first = i == 0 ? request.size() : 40;
        ASSERT_EQ(socket.sendBytes(request.data(), static_cast<int>(first)), static_cast<int>(first));
        if (first < request.size()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            const int rest = static_cast<int>(request.size() - first);
            ASSERT_EQ(socket.sendBytes(request.data() + first, rest), rest);
        }
        std::string answer;
        char buffer[4096];
        while (answer.find("\r\n0\r\n\r\n") == std::string::npos) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            answer.append(buffer, static_cast<size_t>(n));
        }
        EXPECT_THAT(answer, HasSubstr("HTTP/1.1 200 OK\r\n")) << "answer " << i;
        EXPECT_THAT(answer, HasSubstr("Connection: Keep-Alive\r\n")) << "answer " << i;
        EXPECT_THAT(answer, HasSubstr("data: [DONE]")) << "answer " << i;
    }
}

TEST(TlsListener, SighupRotatesTheCertificateWhileAnOpenStreamFinishes) {
    TempDir dir;
    const auto config = dir.file("proxy.toml");
    const auto write_config = [&](const std::string &cert) {
        std::ofstream(config, std::ios::trunc) << demo_config_with_server(
            "tls_cert = \"" + kTlsDir + cert + ".pem\"\ntls_key = \"" + kTlsDir + cert + ".key\"\n");
    };
    write_config("server");
    Stack stack(config);
    ASSERT_TRUE(answers(stack.port, client_tls("ca")));
    ASSERT_FALSE(answers(stack.port, client_tls("rotated-ca")));

    auto open_stream = std::async(std::launch::async, [&] {
        return http(stack.port, "POST", "/v1/chat/completions", long_chat(15, 8, true, " interval_ms=100"), {},
                    client_tls("ca"));
    });
    std::this_thread::sleep_for(400ms);  // the stream is open and pacing (15 chunks, 1.5 s)
    write_config("rotated-server");
    stack.proxy->signal(SIGHUP);
    ASSERT_TRUE(stack.proxy->wait_for_line("configuration reloaded", 15s)) << stack.proxy->output();

    const Result streamed = open_stream.get();
    EXPECT_EQ(streamed.status, 200);
    EXPECT_EQ(streamed_content(streamed.body).size(), 15u * 8u);
    EXPECT_THAT(streamed.body, HasSubstr("data: [DONE]"));
    // New connections get the new certificate.
    EXPECT_TRUE(answers(stack.port, client_tls("rotated-ca")));
    EXPECT_FALSE(answers(stack.port, client_tls("ca")));

    // A key that does not match its certificate is refused; the rotated identity keeps serving.
    std::ofstream(config, std::ios::trunc) << demo_config_with_server(
        "tls_cert = \"" + kTlsDir + "server.pem\"\ntls_key = \"" + kTlsDir + "rotated-server.key\"\n");
    stack.proxy->signal(SIGHUP);
    ASSERT_TRUE(stack.proxy->wait_for_line("reload refused", 15s)) << stack.proxy->output();
    EXPECT_THAT(stack.proxy->output(), HasSubstr("does not belong to the certificate"));
    EXPECT_TRUE(answers(stack.port, client_tls("rotated-ca")));

    // Turning TLS off needs a restart: refused, and the listener keeps serving TLS.
    std::ofstream(config, std::ios::trunc) << demo_config_text();
    stack.proxy->signal(SIGHUP);
    ASSERT_TRUE(stack.proxy->wait_for_line("turning TLS on or off needs a restart", 15s)) << stack.proxy->output();
    EXPECT_TRUE(answers(stack.port, client_tls("rotated-ca")));

    stack.proxy->signal(SIGTERM);
    EXPECT_EQ(stack.proxy->wait_exit(15s).value_or(-1), 0);
}

TEST(TlsListener, MutualTlsAcceptsOnlyCertificatesTheClientCaIssued) {
    // A non-loopback listener without client keys is allowed when client certificates are required.
    auto env = tls_env("server", "client-ca");
    env["VENICE_E2EE_PROXY__SERVER__HOST"] = "0.0.0.0";
    Stack stack(kDemoConfig, {}, env);

    EXPECT_FALSE(answers(stack.port, client_tls("ca")));
    EXPECT_FALSE(answers(stack.port, client_tls("ca", "stranger")));
    const Result chat = http(stack.port, "POST", "/v1/chat/completions", long_chat(3, 8, false), {},
                             client_tls("ca", "client"));
    ASSERT_EQ(chat.status, 200) << chat.body;
    EXPECT_EQ(buffered_content(chat).size(), 24u);
    ASSERT_TRUE(stack.proxy->wait_for_line("key=cert:team-laptop", 10s)) << stack.proxy->output();
}

TEST(TlsListener, MistakesAreNamedAtStartUp) {
    const std::map<std::string, std::string> api_key{{"VENICE_E2EE_PROXY__VENICE__API_KEY", "sk-x"}};
    auto with = [&](std::map<std::string, std::string> env) {
        env.insert(api_key.begin(), api_key.end());
        return run("check-config " + kDemoConfig, env);
    };
    const auto mismatched = with({{"VENICE_E2EE_PROXY__SERVER__TLS_CERT", kTlsDir + "server.pem"},
                                  {"VENICE_E2EE_PROXY__SERVER__TLS_KEY", kTlsDir + "client.key"}});
    EXPECT_EQ(mismatched.first, 1) << mismatched.second;
    EXPECT_THAT(mismatched.second, HasSubstr("client.key: the private key does not belong to the certificate"));

    const auto missing = with({{"VENICE_E2EE_PROXY__SERVER__TLS_CERT", kTlsDir + "absent.pem"},
                               {"VENICE_E2EE_PROXY__SERVER__TLS_KEY", kTlsDir + "server.key"}});
    EXPECT_EQ(missing.first, 1) << missing.second;
    EXPECT_THAT(missing.second, HasSubstr("absent.pem: cannot be read"));

    const auto not_pem = with({{"VENICE_E2EE_PROXY__SERVER__TLS_CERT", kTlsDir + "README.md"},
                               {"VENICE_E2EE_PROXY__SERVER__TLS_KEY", kTlsDir + "server.key"}});
    EXPECT_EQ(not_pem.first, 1) << not_pem.second;
    EXPECT_THAT(not_pem.second, HasSubstr("README.md: holds no PEM certificate"));

    const auto key_only = with({{"VENICE_E2EE_PROXY__SERVER__TLS_KEY", kTlsDir + "server.key"}});
    EXPECT_EQ(key_only.first, 1) << key_only.second;
    EXPECT_THAT(key_only.second, HasSubstr("server.tls_key: must be empty unless server.tls_cert is set"));

    const auto ca_only = with({{"VENICE_E2EE_PROXY__SERVER__TLS_CLIENT_CA", kTlsDir + "client-ca.pem"}});
    EXPECT_EQ(ca_only.first, 1) << ca_only.second;
    EXPECT_THAT(ca_only.second, HasSubstr("server.tls_client_ca: needs server.tls_cert"));

    EXPECT_EQ(with(tls_env("server", "client-ca")).first, 0);
}
