// venice-sim --latency-ms: every /api/v1 answer (models, chat) starts one simulated round trip
// after its request; values outside [0, 10000] ms refuse to start.
#include <chrono>

#include "sim_client.hpp"

namespace vep::sim::test {
namespace {

constexpr int kLatencyMs = 150;

class LatencyTest : public SimFixture {
  protected:
    SimOptions options() const override {
        SimOptions o = SimFixture::options();
        o.latency_ms = kLatencyMs;
        return o;
    }
};

double elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

TEST_F(LatencyTest, EveryApiAnswerWaitsOneRoundTrip) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(get("/api/v1/models").status, 200);
    EXPECT_GE(elapsed_ms(start), kLatencyMs);

    const auto chat_start = std::chrono::steady_clock::now();
    const ChatResult answer = chat("e2ee-qwen3-235b-a22b-p", "hello");
    ASSERT_EQ(answer.status, 200);
    EXPECT_TRUE(answer.done);
    EXPECT_GE(elapsed_ms(chat_start), kLatencyMs);
}

TEST(SimLatency, OutOfRangeIsASetupError) {
    for (const int bad : {-1, 10001}) {
        SimOptions o;
        o.plugin_dir = VEP_PLUGIN_DIR;
        o.latency_ms = bad;
        EXPECT_THROW(SimServer{o}, vep::Failure) << bad;
    }
}

}  // namespace
}  // namespace vep::sim::test
