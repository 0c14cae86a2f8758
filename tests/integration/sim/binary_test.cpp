// venice-sim binary: prints its URL line first, answers with the configured key, exits cleanly on
// SIGTERM and SIGINT, and refuses bad flags.
#include <csignal>
#include <chrono>
#include <regex>
#include <thread>

#include <sys/wait.h>

#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

namespace {

const std::string kBinary = std::string(VEP_BIN_DIR) + "/venice-sim";

// Waits up to 10 s for the process to exit; returns its exit code, or -1000 after killing it.
int wait_exit(Poco::ProcessHandle &handle) {
    int status = 0;
    for (int i = 0; i < 200; ++i) {
        if (::waitpid(handle.id(), &status, WNOHANG) == handle.id()) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(handle.id(), SIGKILL);
    ::waitpid(handle.id(), &status, 0);
    return -1000;
}

int models_status(uint16_t port, const std::string &key) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, "/api/v1/models", Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Authorization", "Bearer " + key);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), body);
    return resp.getStatus();
}

void run_and_signal(int signal_number) {
    Poco::Pipe out;
    Poco::ProcessHandle handle =
        Poco::Process::launch(kBinary, {"--port", "0", "--api-key=binary-key", "--threads", "8"}, nullptr, &out, nullptr);
    Poco::PipeInputStream in(out);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, std::regex(R"(venice-sim listening on http://127\.0\.0\.1:(\d+)/api/v1)")))
        << line;
    const auto port = static_cast<uint16_t>(std::stoi(m[1]));
    EXPECT_EQ(models_status(port, "binary-key"), 200);
    EXPECT_EQ(models_status(port, "sim-key"), 401);
    ::kill(handle.id(), signal_number);
    EXPECT_EQ(wait_exit(handle), 0);
}

TEST(SimBinary, PrintsUrlAnswersAndExitsOnSigterm) { run_and_signal(SIGTERM); }

TEST(SimBinary, ExitsOnSigint) { run_and_signal(SIGINT); }

TEST(SimBinary, RejectsUnknownFlagsAndMissingPlugin) {
    Poco::ProcessHandle bad_flag = Poco::Process::launch(kBinary, {"--bogus", "1"}, nullptr, nullptr, nullptr);
    EXPECT_EQ(wait_exit(bad_flag), 2);
    Poco::ProcessHandle no_plugin =
        Poco::Process::launch(kBinary, {"--plugin-dir", "/nonexistent", "--port", "0"}, nullptr, nullptr, nullptr);
    EXPECT_EQ(wait_exit(no_plugin), 1);
}

}  // namespace
