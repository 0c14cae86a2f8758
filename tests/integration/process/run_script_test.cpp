// The README's run command: scripts/run.sh with no Venice API key starts the bundled venice-sim,
// prints a curl request, and the proxy answers exactly that request through the simulator.
// SIGTERM stops the proxy and the simulator with it. (VEP_SKIP_SETUP=1 reuses this build.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include "child_process.hpp"
#include "vep/json.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

namespace {

// The text between `open` and the next `close` after the first `open` in `text`, or "".
std::string between(const std::string &text, const std::string &open, const std::string &close) {
    const auto start = text.find(open);
    if (start == std::string::npos) return "";
    const auto from = start + open.size();
    const auto end = text.find(close, from);
    return end == std::string::npos ? "" : text.substr(from, end - from);
}

uint16_t free_port() {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    return probe.address().port();
}

}  // namespace

TEST(RunScript, WithoutAKeyAnswersThePrintedCurlThroughTheSimulator) {
    const uint16_t port = free_port();
    const std::string build_dir = std::filesystem::path(VEP_BIN_DIR).parent_path().string();
    ChildProcess run("/bin/bash", {std::string(VEP_SOURCE_DIR) + "/scripts/run.sh"},
                     {{"VEP_SKIP_SETUP", "1"}, {"VEP_BUILD_DIR", build_dir}, {"PORT", std::to_string(port)},
                      {"VENICE_API_KEY", ""}, {"VENICE_E2EE_PROXY__VENICE__API_KEY", ""}});
    ASSERT_TRUE(run.wait_for_line("listening on", 60s)) << run.output();
    const std::string out = run.output();
    EXPECT_THAT(out, HasSubstr("using the bundled venice-sim"));

    // The printed curl: URL and JSON body.
    const std::string url = between(out, "curl -s ", " ");
    EXPECT_EQ(url, "http://127.0.0.1:" + std::to_string(port) + "/v1/chat/completions") << out;
    const std::string body = between(out, "-d '", "'");
    ASSERT_FALSE(body.empty()) << out;
    const std::string path = url.substr(url.find("/v1/"));

    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::string answer;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), answer);
    ASSERT_EQ(resp.getStatus(), Poco::Net::HTTPResponse::HTTP_OK) << answer;
    EXPECT_EQ(resp.get("X-Venice-Proxy-E2EE"), "verified");
    EXPECT_EQ(resp.get("X-Venice-Proxy-TDX-Verified"), "true");
    const auto completion = vep::json::parse(answer);
    EXPECT_EQ(completion.find("choices")->as_array().at(0).find("message")->find("content")->as_string(),
              "Hello through the enclave");

    run.signal(SIGTERM);
    EXPECT_EQ(run.wait_exit(20s).value_or(-1), 0) << run.output();
    // The simulator went with it: its port no longer answers.
    const std::string sim_port = between(out, "venice-sim at http://127.0.0.1:", "/");
    ASSERT_FALSE(sim_port.empty()) << out;
    Poco::Net::HTTPClientSession sim("127.0.0.1", static_cast<uint16_t>(std::stoi(sim_port)));
    sim.setTimeout(Poco::Timespan(2, 0));
    Poco::Net::HTTPRequest health("GET", "/_sim/health", Poco::Net::HTTPMessage::HTTP_1_1);
    bool sim_alive = true;
    for (int i = 0; i < 40 && sim_alive; ++i) {
        try {
            sim.reset();
            sim.sendRequest(health);
            Poco::Net::HTTPResponse r;
            sim.receiveResponse(r);
            std::this_thread::sleep_for(100ms);
        } catch (const Poco::Exception &) {
            sim_alive = false;
        }
    }
    EXPECT_FALSE(sim_alive);
}
