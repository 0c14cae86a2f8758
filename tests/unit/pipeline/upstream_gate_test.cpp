// The fail-closed upstream check: plaintext goes upstream only for a model the configuration
// says is tee-only and that the chain prepared as such, attested; nothing else without E2EE.
#include <gtest/gtest.h>

#include "pipeline/upstream_gate.hpp"

namespace vep::host {
namespace {

constexpr const char *kTeeModel = "e2ee-glm-5-2-p";
constexpr const char *kOtherModel = "e2ee-qwen3-235b-a22b-p";

Config tee_only_config() {
    Config c;
    c.e2ee.require_e2ee = false;
    c.models["e2ee-glm-*"] = R"({"mode":"tee-only"})";
    return c;
}

Exchange attested_exchange(const std::string &model, bool tee_only) {
    Exchange ex;
    ex.chat.emplace();
    ex.chat->model = model;
    ex.attested = std::make_shared<AttestedModel>();
    ex.tee_only = tee_only;
    return ex;
}

AttemptRequest plaintext_attempt() {
    AttemptRequest attempt;
    attempt.body = R"({"model":"m","messages":[]})";
    attempt.encrypted = false;
    return attempt;
}

bool refused(const Exchange &ex, const AttemptRequest &attempt, const Config &config) {
    try {
        check_upstream_attempt(ex, attempt, config);
        return false;
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.code(), "internal_error");
        return true;
    }
}

TEST(UpstreamGate, PlaintextGoesOnlyForAConfiguredTeeOnlyModel) {
    EXPECT_EQ(check_upstream_attempt(attested_exchange(kTeeModel, true), plaintext_attempt(), tee_only_config()),
              UpstreamDelivery::TeeOnly);
}

TEST(UpstreamGate, PlaintextIsRefusedForEveryOtherModel) {
    // The chain marked a model tee-only that the configuration does not name.
    EXPECT_TRUE(refused(attested_exchange(kOtherModel, true), plaintext_attempt(), tee_only_config()));
    // The configuration names it, but e2ee.require_e2ee is on (the default).
    Config required = tee_only_config();
    required.e2ee.require_e2ee = true;
    EXPECT_TRUE(refused(attested_exchange(kTeeModel, true), plaintext_attempt(), required));
    // No [models] table at all.
    EXPECT_TRUE(refused(attested_exchange(kTeeModel, true), plaintext_attempt(), Config{}));
    // The chain did not prepare it as tee-only: a plaintext body is a bug, not a mode.
    EXPECT_TRUE(refused(attested_exchange(kTeeModel, false), plaintext_attempt(), tee_only_config()));
    EXPECT_TRUE(refused(attested_exchange(kOtherModel, false), plaintext_attempt(), tee_only_config()));
}

TEST(UpstreamGate, TeeOnlyStillNeedsAttestationAndABody) {
    Exchange unattested = attested_exchange(kTeeModel, true);
    unattested.attested.reset();
    EXPECT_TRUE(refused(unattested, plaintext_attempt(), tee_only_config()));
    AttemptRequest empty = plaintext_attempt();
    empty.body.clear();
    EXPECT_TRUE(refused(attested_exchange(kTeeModel, true), empty, tee_only_config()));
}

TEST(UpstreamGate, AnEncryptedAttemptNeedsTheClientKeyAndIsNeverSentAsTeeOnly) {
    AttemptRequest encrypted = plaintext_attempt();
    encrypted.encrypted = true;
    // Encrypted, attested, but no client key to read the answer with.
    EXPECT_TRUE(refused(attested_exchange(kOtherModel, false), encrypted, tee_only_config()));
    // A tee-only exchange whose body was encrypted anyway: mixed state, refused.
    EXPECT_TRUE(refused(attested_exchange(kTeeModel, true), encrypted, tee_only_config()));
}

}  // namespace
}  // namespace vep::host
