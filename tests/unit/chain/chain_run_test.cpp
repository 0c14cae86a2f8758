// ChainRun's contract, Envoy style: the status every stage returns decides who runs next, every
// attempt passes every stage in order, the response side runs in reverse order and can drop
// events, every stage that saw the request gets on_complete exactly once, and a stage's
// ProxyError becomes the local reply.
#include <gtest/gtest.h>

#include "chain/chain.hpp"
#include "chain/exchange.hpp"
#include "config/loader.hpp"
#include "plugin/host_services.hpp"
#include "runtime/generation.hpp"

using namespace vep::host;

namespace {

// A stage that records every call into a shared journal and answers with scripted statuses.
class ScriptedStage final : public Stage {
  public:
    ScriptedStage(std::string name, std::vector<std::string> &journal, StageStatus on_request,
                  StageStatus on_event = StageStatus::Continue)
        : name_(std::move(name)), journal_(journal), request_(on_request), event_(on_event) {}
    StageStatus on_request(Exchange &ex) override {
        journal_.push_back(name_ + ".request");
        if (request_ == StageStatus::LocalReply) ex.reply = ProxyError::of("invalid_request", name_ + " said no");
        return request_;
    }
    void on_attempt(Exchange &, AttemptRequest &attempt) override {
        journal_.push_back(name_ + ".attempt" + std::to_string(attempt.number));
    }
    StageStatus on_response_event(Exchange &, ResponseEvent &event) override {
        journal_.push_back(name_ + ".event");
        event.data += "+" + name_;
        return event_;
    }
    void on_complete(Exchange &, bool ok) override { journal_.push_back(name_ + (ok ? ".complete(ok)" : ".complete(fail)")); }

  private:
    std::string name_;
    std::vector<std::string> &journal_;
    StageStatus request_, event_;
};

class ThrowingStage final : public Stage {
  public:
    StageStatus on_request(Exchange &) override { throw ProxyError::of("session_error", "boom"); }
};

class ChainRunTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        Config config = load_config_text("[venice]\nbase_url = \"http://127.0.0.1:9/api/v1\"\n"
                                         "[plugins]\ndirectories = [\"" VEP_PLUGIN_DIR "\"]\n",
                                         "chain.toml", {});
        static const PluginLoader loader(host_services());
        generation_ = Generation::build(std::move(config), loader, std::make_shared<ConcurrencyGate>(),
                                        GenerationPurpose::Check);
    }
    static void TearDownTestSuite() { generation_.reset(); }

    std::unique_ptr<ChainRun> run_of(std::vector<std::unique_ptr<Stage>> stages) {
        return std::make_unique<ChainRun>(std::move(stages));
    }
    std::unique_ptr<Stage> stage(const std::string &name, StageStatus req, StageStatus ev = StageStatus::Continue) {
        return std::make_unique<ScriptedStage>(name, journal_, req, ev);
    }

    static std::shared_ptr<const Generation> generation_;
    std::vector<std::string> journal_;
};
std::shared_ptr<const Generation> ChainRunTest::generation_;

}  // namespace

TEST_F(ChainRunTest, AllContinueRunsEveryStageInOrderThenResponsesInReverse) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(stage("a", StageStatus::Continue));
    stages.push_back(stage("b", StageStatus::Continue));
    auto run = run_of(std::move(stages));
    Exchange ex;
    EXPECT_EQ(run->run_request(ex), StageStatus::Continue);
    ResponseEvent event{"x", true};
    EXPECT_TRUE(run->run_response_event(ex, event));
    EXPECT_EQ(event.data, "x+b+a");
    run->complete(ex, true);
    run->complete(ex, true);
    EXPECT_EQ(journal_, (std::vector<std::string>{"a.request", "b.request", "b.event", "a.event", "a.complete(ok)",
                                                  "b.complete(ok)"}));
}

TEST_F(ChainRunTest, LocalReplyStopsTheRequestSideAndOnlyEnteredStagesComplete) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(stage("a", StageStatus::Continue));
    stages.push_back(stage("b", StageStatus::LocalReply));
    stages.push_back(stage("c", StageStatus::Continue));
    auto run = run_of(std::move(stages));
    Exchange ex;
    EXPECT_EQ(run->run_request(ex), StageStatus::LocalReply);
    ASSERT_TRUE(ex.reply);
    EXPECT_EQ(ex.reply->code(), "invalid_request");
    run->complete(ex, false);
    EXPECT_EQ(journal_, (std::vector<std::string>{"a.request", "b.request", "a.complete(fail)", "b.complete(fail)"}));
}

TEST_F(ChainRunTest, StopWithoutReplyBecomesInternalError) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(stage("a", StageStatus::Stop));
    auto run = run_of(std::move(stages));
    Exchange ex;
    EXPECT_EQ(run->run_request(ex), StageStatus::LocalReply);
    EXPECT_EQ(ex.reply->code(), "internal_error");
    EXPECT_EQ(ex.reply->status(), 500);
}

TEST_F(ChainRunTest, ErrorStatusFailsTheRequest) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(stage("a", StageStatus::Error));
    stages.push_back(stage("b", StageStatus::Continue));
    auto run = run_of(std::move(stages));
    Exchange ex;
    EXPECT_EQ(run->run_request(ex), StageStatus::Error);
    EXPECT_EQ(journal_, (std::vector<std::string>{"a.request"}));
}

TEST_F(ChainRunTest, ThrownProxyErrorBecomesTheReply) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(std::make_unique<ThrowingStage>());
    auto run = run_of(std::move(stages));
    Exchange ex;
    EXPECT_EQ(run->run_request(ex), StageStatus::LocalReply);
    EXPECT_EQ(ex.reply->code(), "session_error");
    EXPECT_EQ(ex.reply->status(), 500);
}

TEST_F(ChainRunTest, StopOnTheResponseSideDropsTheEvent) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(stage("a", StageStatus::Continue));
    stages.push_back(stage("b", StageStatus::Continue, StageStatus::Stop));
    auto run = run_of(std::move(stages));
    Exchange ex;
    run->run_request(ex);
    ResponseEvent event{"x", true};
    EXPECT_FALSE(run->run_response_event(ex, event));
    EXPECT_EQ(journal_.back(), "b.event");  // a never saw it
}

TEST_F(ChainRunTest, ErrorOnTheResponseSideThrows) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(stage("a", StageStatus::Continue, StageStatus::Error));
    auto run = run_of(std::move(stages));
    Exchange ex;
    run->run_request(ex);
    ResponseEvent event{"x", true};
    EXPECT_THROW(run->run_response_event(ex, event), ProxyError);
}

TEST_F(ChainRunTest, EveryAttemptPassesEveryStageInOrder) {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(stage("a", StageStatus::Continue));
    stages.push_back(stage("b", StageStatus::Continue));
    auto run = run_of(std::move(stages));
    Exchange ex;
    run->run_request(ex);
    AttemptRequest first;
    run->run_attempt(ex, first);
    AttemptRequest correction;
    correction.number = 1;
    run->run_attempt(ex, correction);
    EXPECT_EQ(journal_, (std::vector<std::string>{"a.request", "b.request", "a.attempt0", "b.attempt0", "a.attempt1",
                                                  "b.attempt1"}));
}

TEST_F(ChainRunTest, DefaultChainNamesResolve) {
    EXPECT_EQ(generation_->chain().names(),
              (std::vector<std::string>{"request-id", "limits", "parse", "tools", "session", "attest", "encrypt"}));
}
