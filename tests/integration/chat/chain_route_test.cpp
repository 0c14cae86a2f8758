// The handler chain as configured: a filter plugin placed in [chain] stages runs like a built-in
// stage (adds headers, answers early with a local reply), a chain without the encrypt stage is
// refused before anything could go upstream unencrypted, and an unknown stage name is a start-up
// error naming the known ones.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "plugin/host_services.hpp"
#include "proxy_harness.hpp"
#include "runtime/generation.hpp"

using namespace vep::test;
using ::testing::HasSubstr;

namespace {

void add_hello_filter(vep::host::Config &c) {
    c.plugins.directories.push_back(VEP_FILTER_FIXTURE_DIR);
    c.plugins.load.push_back("hello-filter-fixture");
    c.chain.stages.insert(c.chain.stages.begin() + 1, "hello-filter");
    c.plugin_config["hello-filter"] = R"({"greeting":"ciao","forbidden_header":"X-No"})";
}

// A dropping-filter stage after request-id that drops events containing `needle`.
std::function<void(vep::host::Config &)> dropping(const std::string &needle) {
    return [needle](vep::host::Config &c) {
        c.plugins.directories.push_back(VEP_FILTER_FIXTURE_DIR);
        c.plugins.load.push_back("dropping-filter-fixture");
        c.chain.stages.insert(c.chain.stages.begin() + 1, "dropping-filter");
        c.plugin_config["dropping-filter"] = R"({"drop_containing":")" + needle + R"("})";
    };
}

}  // namespace

TEST(ChainRoute, ADroppedStreamingChunkIsLeftOutAndTheStreamGoesOn) {
    ProxyHarness h("", dropping("chat.completion.chunk"));
    const auto r = h.post_chat(chat_body(kHermesModel, "hi", true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.sse_data(), std::vector<std::string>{"[DONE]"});
}

TEST(ChainRoute, ADroppedBufferedAnswerIsWithheldNotSentEmpty) {
    ProxyHarness h("", dropping(R"(chat.completion\")"));
    const auto r = h.post_chat(chat_body(kHermesModel, "hi", false));
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.header("X-Venice-Proxy-Error-Code"), "response_withheld");
    // The streamed form of the same answer is untouched by this filter.
    const auto streamed = h.post_chat(chat_body(kHermesModel, "hi", true));
    EXPECT_EQ(streamed.status, 200);
    EXPECT_GT(streamed.sse_data().size(), 1u);
}

TEST(ChainRoute, FilterPluginStageAddsHeadersAndCanAnswerEarly) {
    ProxyHarness h("", add_hello_filter);
    auto ok = h.post_chat(chat_body(kHermesModel, "hi", false));
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.header("X-Hello"), "ciao");

    auto refused = h.post_chat(chat_body(kHermesModel, "hi", false), {{"X-No", "1"}});
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.header("X-Venice-Proxy-Error-Code"), "forbidden_header");
    size_t chats = 0;
    for (const auto &rec : h.sim().requests()) chats += rec.path.find("chat/completions") != std::string::npos;
    EXPECT_EQ(chats, 1u);  // the refused request never reached Venice
}

TEST(ChainRoute, AChainThatDoesNotEncryptIsRefusedAtStartUp) {
    vep::host::Config config = vep::host::load_config_text(
        ProxyHarness::base_toml("http://127.0.0.1:9/api/v1") +
            "[chain]\nstages = [\"request-id\", \"limits\", \"parse\", \"tools\", \"session\", \"attest\"]\n",
        "chain.toml", {});
    const vep::host::PluginLoader loader(vep::host::host_services());
    try {
        vep::host::Generation::build(std::move(config), loader, std::make_shared<vep::host::ConcurrencyGate>());
        FAIL() << "a chain without encrypt was accepted";
    } catch (const vep::host::GenerationError &e) {
        EXPECT_THAT(e.what(), HasSubstr("chain.toml:"));
        EXPECT_THAT(e.what(), HasSubstr("\"encrypt\" is missing"));
    }
}

TEST(ChainRoute, UnknownStageIsAStartUpError) {
    vep::host::Config config = vep::host::load_config_text(ProxyHarness::base_toml("http://127.0.0.1:9/api/v1") +
                                                               "[chain]\nstages = [\"parse\", \"no-such-stage\"]\n",
                                                           "chain.toml", {});
    const vep::host::PluginLoader loader(vep::host::host_services());
    try {
        vep::host::Generation::build(std::move(config), loader, std::make_shared<vep::host::ConcurrencyGate>());
        FAIL() << "unknown stage accepted";
    } catch (const vep::host::GenerationError &e) {
        EXPECT_THAT(e.what(), HasSubstr("no-such-stage"));
        EXPECT_THAT(e.what(), HasSubstr("encrypt"));
    }
}

TEST(ChainRoute, MissingCipherPluginIsAStartUpErrorNamingIt) {
    vep::host::Config config = vep::host::load_config_text(ProxyHarness::base_toml("http://127.0.0.1:9/api/v1") +
                                                               "[e2ee]\nbackend = \"nope\"\n",
                                                           "cipher.toml", {});
    const vep::host::PluginLoader loader(vep::host::host_services());
    try {
        vep::host::Generation::build(std::move(config), loader, std::make_shared<vep::host::ConcurrencyGate>());
        FAIL();
    } catch (const vep::host::GenerationError &e) {
        EXPECT_THAT(e.what(), HasSubstr("cipher plugin \"nope\""));
    }
}
