// D4, log injection through the model id. A plausible model id is 1..256 bytes of
// [A-Za-z0-9._:/@+-]; a model with a newline and a forged log line, one with a NUL and a 1 MiB one
// are each refused promptly with 400 invalid_request, and the proxy's own log (logging.level
// "info", its stdout and stderr captured) has no forged line, no NUL and no line over 4096 bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

TEST(Hostile, D4_LogInjection_HostileModelIdsAreRefusedAndNeverForgeLogLines) {
    HostileStack stack(Settings{{"logging.level", "\"info\""}});
    const struct {
        const char *label;
        std::string model;
    } models[] = {
        {"newline and a forged line", "x\nlevel=error forged"},
        {"NUL", std::string("a\0b", 3)},
        {"1 MiB", std::string(1u << 20, 'm')},
    };
    for (const auto &m : models) {
        SCOPED_TRACE(m.label);
        const auto x = exchange(stack.port(), http_request("POST", "/v1/chat/completions", chat_json(m.model, "hi", false)),
                                10s);
        EXPECT_EQ(x.response.status, 400) << x.raw.substr(0, 600);
        EXPECT_EQ(x.response.error_code(), "invalid_request");
        EXPECT_LT(x.elapsed, 2s);
    }

    // Let the asynchronous log channel write, then stop the proxy so everything is flushed.
    std::this_thread::sleep_for(500ms);
    stack.proxy().signal(SIGTERM);
    stack.proxy().wait_exit(10s);
    const std::string log = stack.proxy().output();
    ASSERT_FALSE(log.empty());

    EXPECT_EQ(log.find('\0'), std::string::npos) << "a raw NUL reached the log";
    size_t start = 0, longest = 0;
    for (size_t nl; start < log.size(); start = nl + 1) {
        nl = log.find('\n', start);
        if (nl == std::string::npos) nl = log.size();
        const std::string_view line(log.data() + start, nl - start);
        longest = std::max(longest, line.size());
        EXPECT_NE(line.rfind("level=error forged", 0), 0u) << "forged log line: " << line;
    }
    EXPECT_LE(longest, 4096u) << "longest log line: " << longest << " bytes";
}
