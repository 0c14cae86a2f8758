// Client keys: the keys file round trip (only hashes stored, 0600; limits within their bounds), authentication by the hash in
// constant time, refusals of a file others can read or of a malformed one, model globs, and the
// two ways a request presents its key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "auth/client_keys.hpp"

using namespace vep::host;
using ::testing::HasSubstr;

namespace {

std::string temp_path(const std::string &name) {
    return (std::filesystem::temp_directory_path() / ("vep-keys-" + std::to_string(getpid()) + "-" + name)).string();
}

std::string load_error(const std::string &path) {
    try {
        ClientKeySet::load(path);
    } catch (const std::runtime_error &e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(ClientKeys, SavedKeysAuthenticateByTheirSecretOnly) {
    const std::string path = temp_path("roundtrip.json");
    const std::string alice_secret = generate_client_secret();
    const std::string bob_secret = generate_client_secret();
    EXPECT_NE(alice_secret, bob_secret);
    EXPECT_EQ(alice_secret.rfind("vep-", 0), 0u);
    ClientKey alice{"k-alice", "alice", sha256_of(alice_secret), {"e2ee-*"}};
    ClientKey bob{"k-bob", "bob", sha256_of(bob_secret), {}};
    ClientKeySet::save(path, {alice, bob});
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_THAT(text, ::testing::Not(HasSubstr(alice_secret)));

    const ClientKeySet set = ClientKeySet::load(path);
    ASSERT_EQ(set.keys().size(), 2u);
    ASSERT_TRUE(set.authenticate(alice_secret));
    EXPECT_EQ(set.authenticate(alice_secret)->id, "k-alice");
    EXPECT_EQ(set.authenticate(bob_secret)->id, "k-bob");
    EXPECT_FALSE(set.authenticate(alice_secret + "x"));
    EXPECT_FALSE(set.authenticate(""));
    EXPECT_TRUE(set.authenticate(alice_secret)->allows_model("e2ee-qwen3-235b"));
    EXPECT_FALSE(set.authenticate(alice_secret)->allows_model("llama-3"));
    EXPECT_TRUE(set.authenticate(bob_secret)->allows_model("anything"));
    std::filesystem::remove(path);
}

TEST(ClientKeys, LimitsSurviveTheRoundTripWithinTheirBounds) {
    const std::string path = temp_path("limits.json");
    const std::string secret = generate_client_secret();
    ClientKey key{"k-limited", "", sha256_of(secret), {}};
    key.requests_per_minute = 30;
    key.max_streams = 2;
    key.daily_completion_tokens = 250000;
    ClientKeySet::save(path, {key});
    const auto loaded = ClientKeySet::load(path).authenticate(secret);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->requests_per_minute, 30u);
    EXPECT_EQ(loaded->max_streams, 2u);
    EXPECT_EQ(loaded->daily_completion_tokens, 250000u);

    const std::string hash(64, 'a');
    std::ofstream(path, std::ios::trunc) << R"({"keys":[{"id":"a","sha256":")" + hash +
                                                R"(","limits":{"daily_completion_tokens":1000000000001}}]})";
    EXPECT_THAT(load_error(path), HasSubstr("keys[0].limits.daily_completion_tokens must be 0..1000000000000"));
    std::ofstream(path, std::ios::trunc) << R"({"keys":[{"id":"a","sha256":")" + hash +
                                                R"(","limits":{"max_streams":-1}}]})";
    EXPECT_THAT(load_error(path), HasSubstr("keys[0].limits.max_streams must be 0..1000000"));
    std::filesystem::remove(path);
}

TEST(ClientKeys, AFileOthersCanReadOrAMalformedOneIsRefused) {
    const std::string path = temp_path("bad.json");
    std::ofstream(path) << R"({"keys":[]})";
    ::chmod(path.c_str(), 0644);
    EXPECT_THAT(load_error(path), HasSubstr("readable or writable by group or others"));
    ::chmod(path.c_str(), 0600);
    EXPECT_EQ(load_error(path), "");
    std::ofstream(path, std::ios::trunc) << R"({"keys":[{"id":"a","sha256":"zz"}]})";
    EXPECT_THAT(load_error(path), HasSubstr("keys[0].sha256 must be 64 hex digits"));
    const std::string hash(64, 'a');
    std::ofstream(path, std::ios::trunc) << R"({"keys":[{"id":"a","sha256":")" + hash + R"("},{"id":"a","sha256":")" +
                                                 hash + R"("}]})";
    EXPECT_THAT(load_error(path), HasSubstr("\"a\" is listed twice"));
    std::ofstream(path, std::ios::trunc) << "not json";
    EXPECT_THAT(load_error(path), HasSubstr("not valid JSON"));
    EXPECT_THAT(load_error(temp_path("absent.json")),
                HasSubstr("not found; create it with `venice-e2ee-proxy keys add --keys-file "));
    std::filesystem::remove(path);
}

TEST(ClientKeys, ARequestPresentsItsKeyAsBearerOrXApiKey) {
    EXPECT_EQ(presented_secret("Bearer vep-abc", ""), "vep-abc");
    EXPECT_EQ(presented_secret("bearer  vep-abc ", ""), "vep-abc");
    EXPECT_EQ(presented_secret("", "vep-xyz"), "vep-xyz");
    EXPECT_EQ(presented_secret("Basic dXNlcjpwYXNz", "vep-xyz"), "vep-xyz");
    EXPECT_FALSE(presented_secret("Bearer ", ""));
    EXPECT_FALSE(presented_secret("", ""));
}

TEST(ClientKeys, ModelGlobs) {
    ClientKey key{"k", "", {}, {"e2ee-qwen*", "e2ee-glm-4.6"}};
    EXPECT_TRUE(key.allows_model("e2ee-qwen3-235b-a22b-p"));
    EXPECT_TRUE(key.allows_model("e2ee-glm-4.6"));
    EXPECT_FALSE(key.allows_model("e2ee-glm-4.6-air"));
    EXPECT_FALSE(key.allows_model("e2ee-gemma"));
}
