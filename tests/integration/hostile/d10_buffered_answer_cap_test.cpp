// D10, the buffered-answer cap. With [limits] max_buffered_answer_bytes = 1048576, a
// non-streaming chat whose answer is ~5 MiB (venice-sim: 80 chunks of 64 KiB) is 502
// upstream_response_too_large and the proxy's RSS (sampled every 20 ms) grows by less than
// 40 MiB; the same answer streamed still arrives whole.
#include <gtest/gtest.h>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

TEST(Hostile, D10_BufferedAnswerCap_LargeBufferedAnswerIs502AndStreamingStillWorks) {
    HostileStack stack(Settings{{"limits.max_buffered_answer_bytes", "1048576"}});
    const std::string directive = "sim:scenario=long chunks=80 chunk_bytes=65536";
    const auto warm = exchange(stack.port(), http_request("POST", "/v1/chat/completions", chat_json(kModel, "hi", false)), 10s);
    ASSERT_EQ(warm.response.status, 200) << warm.raw.substr(0, 600);
    const uint64_t before_kib = proc_stats(stack.proxy_pid()).rss_kib;

    RssPeakSampler sampler(stack.proxy_pid());
    const auto buffered =
        exchange(stack.port(), http_request("POST", "/v1/chat/completions", chat_json(kModel, directive, false)), 30s);
    const uint64_t peak_kib = sampler.stop();
    EXPECT_EQ(buffered.response.status, 502) << buffered.response.head << buffered.response.body.substr(0, 300);
    EXPECT_EQ(buffered.response.error_code(), "upstream_response_too_large");
    EXPECT_LT(peak_kib, before_kib + 40 * 1024)
        << "RSS peaked at " << peak_kib / 1024 << " MiB from " << before_kib / 1024 << " MiB";

    const auto streamed =
        exchange(stack.port(), http_request("POST", "/v1/chat/completions", chat_json(kModel, directive, true)), 30s);
    EXPECT_EQ(streamed.response.status, 200) << streamed.response.head;
    EXPECT_TRUE(streamed.response.complete) << to_string(streamed.end);
    const auto data = streamed.response.sse_data();
    ASSERT_FALSE(data.empty());
    EXPECT_EQ(data.back(), "[DONE]");
    EXPECT_GT(streamed.response.body.size(), 80u * 65536u) << "the streamed answer is shorter than its content";
}
