// The README's run command: scripts/run.sh with no Venice API key starts the bundled venice-sim,
// prints a curl request, and the proxy answers exactly that request through the simulator.
// SIGTERM stops the proxy and the simulator with it. (VEP_SKIP_SETUP=1 reuses this build.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
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
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(curl -s (http://127\.0\.0\.1:\d+(/v1/chat/completions)))"))) << out;
    EXPECT_EQ(m[1].str(), "http://127.0.0.1:" + std::to_string(port) + "/v1/chat/completions");
    std::smatch body;
    ASSERT_TRUE(std::regex_search(out, body, std::regex(R"(-d '(\{.*\})')"))) << out;

    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req("POST", m[2].str(), Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body[1].str().size()));
    session.sendRequest(req) << body[1].str();
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
    const std::smatch sim_url = [&] {
        std::smatch s;
        std::regex_search(out, s, std::regex(R"(venice-sim at http://127\.0\.0\.1:(\d+))"));
        return s;
    }();
    ASSERT_EQ(sim_url.size(), 2u) << out;
    Poco::Net::HTTPClientSession sim("127.0.0.1", static_cast<uint16_t>(std::stoi(sim_url[1].str())));
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
