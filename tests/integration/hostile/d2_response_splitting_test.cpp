// D2, response splitting through the session id. A metadata.session_id carrying CR LF and a
// header line is 400 invalid_session_id and nothing of it reaches the response head; a custom
// incoming session header whose value is folded (obs-fold) or carries a bare CR is 400 and injects
// no header either. Checked on the raw response bytes.
#include <gtest/gtest.h>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

namespace {

size_t occurrences(const std::string &haystack, const std::string &needle) {
    size_t n = 0;
    for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
    return n;
}

}  // namespace

TEST(Hostile, D2_ResponseSplitting_CrlfInSessionIdCannotInjectHeaders) {
    HostileStack stack(Settings{{"session.headers.incoming_session_id", "\"X-Hostile-Session\""}});

    const std::string body =
        chat_json(kModel, "hi", false, "\"metadata\":{\"session_id\":" + json_string("abc\r\nSet-Cookie: x=1") + "}");
    const auto x = exchange(stack.port(), http_request("POST", "/v1/chat/completions", body), 10s);
    EXPECT_EQ(x.response.status, 400) << x.raw.substr(0, 1500);
    EXPECT_EQ(x.response.error_code(), "invalid_session_id");
    EXPECT_EQ(occurrences(x.raw, "Set-Cookie"), 0u) << x.raw.substr(0, 1500);
    EXPECT_EQ(occurrences(x.raw, "X-Venice-Proxy-E2EE"), 0u) << "an error answer carries no E2EE header";

    const std::string plain = chat_json(kModel, "hi", false);
    const struct {
        const char *label;
        std::string header_lines;
    } attempts[] = {
        {"obs-fold", "X-Hostile-Session: abc\r\n Set-Cookie: x=1"},
        {"bare CR", "X-Hostile-Session: abc\rSet-Cookie: x=1"},
    };
    for (const auto &attempt : attempts) {
        SCOPED_TRACE(attempt.label);
        const auto r = exchange(stack.port(), http_request("POST", "/v1/chat/completions", plain, {attempt.header_lines}),
                                10s);
        EXPECT_EQ(r.response.status, 400) << r.raw.substr(0, 1500);
        EXPECT_FALSE(r.response.has("Set-Cookie")) << r.response.head;
        EXPECT_EQ(occurrences(r.response.head, "Set-Cookie"), 0u) << r.response.head;
    }
}
