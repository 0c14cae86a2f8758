// Hostile numbers: temperature 1e999 (beyond a double), a temperature of 1000 digits and a
// max_tokens of 1000 digits are each 400 invalid_request, and no chat request reaches venice-sim.
#include <gtest/gtest.h>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

TEST(Hostile, Numbers_OutOfRangeSamplingFieldsAreRefusedBeforeUpstream) {
    HostileStack stack;
    const std::string thousand_digits = "1" + std::string(999, '0');
    const struct {
        const char *label;
        std::string member;
    } cases[] = {
        {"temperature 1e999", "\"temperature\":1e999"},
        {"temperature of 1000 digits", "\"temperature\":" + thousand_digits},
        {"max_tokens of 1000 digits", "\"max_tokens\":" + thousand_digits},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.label);
        const auto x = exchange(stack.port(),
                                http_request("POST", "/v1/chat/completions", chat_json(kModel, "hi", false, c.member)), 10s);
        EXPECT_EQ(x.response.status, 400) << x.raw.substr(0, 600);
        EXPECT_EQ(x.response.error_code(), "invalid_request");
    }
    EXPECT_EQ(stack.sim_chat_requests(), 0u) << "a request with an out-of-range number reached venice-sim";
}
