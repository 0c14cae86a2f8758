// venice-sim: the /_sim admin endpoints (health, requests JSON, reset, config).
#include "sim_client.hpp"

namespace vep::sim::test {
namespace {

class AdminTest : public SimFixture {};

TEST_F(AdminTest, HealthNamesModelsAndSettings) {
    const HttpResult r = get("/_sim/health", "");
    ASSERT_EQ(r.status, 200);
    const json::Value doc = r.json();
    EXPECT_EQ(doc.find("status")->as_string(), "ok");
    EXPECT_EQ(doc.find("tdx_test_root_ca_sha256")->as_string().size(), 64u);
    EXPECT_EQ(doc.find("settings")->find("attestation_shape")->as_string(), "aci");
}

TEST_F(AdminTest, RequestsListRecordsWithoutPlaintextAndResetClears) {
    ASSERT_EQ(chat("e2ee-qwen3-235b-a22b-p", "top secret words").status, 200);
    const HttpResult r = get("/_sim/requests", "");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body.find("top secret words"), std::string::npos);
    const json::Value list = r.json();
    ASSERT_EQ(list.as_array().size(), 1u);
    const json::Value &rec = list.as_array()[0];
    for (const char *key : {"path", "model", "message_roles", "all_contents_ciphertext", "contains_tools_key",
                            "plaintext_leak_detected", "headers", "stream", "client_disconnected",
                            "disconnect_noticed_at_ms", "system_has_available_tools"})
        EXPECT_NE(rec.find(key), nullptr) << key;
    EXPECT_TRUE(rec.find("all_contents_ciphertext")->as_bool());
    EXPECT_EQ(rec.find("decrypted_contents"), nullptr);

    EXPECT_EQ(post("/_sim/reset", "", "").status, 200);
    EXPECT_TRUE(get("/_sim/requests", "").json().as_array().empty());
}

TEST_F(AdminTest, ConfigValidatesAndApplies) {
    EXPECT_EQ(post("/_sim/config", R"({"attestation_fault":"bogus"})", "").status, 400);
    EXPECT_EQ(post("/_sim/config", R"({"unknown":"x"})", "").status, 400);
    EXPECT_EQ(post("/_sim/config", "not json", "").status, 400);
    const HttpResult ok = post("/_sim/config", R"({"attestation_shape":"flat","attestation_fault":"not_verified"})", "");
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(ok.json().find("attestation_shape")->as_string(), "flat");
    const json::Value doc = get("/api/v1/tee/attestation?model=e2ee-qwen3-235b-a22b-p&nonce=" + random_nonce_hex()).json();
    EXPECT_FALSE(doc.find("verified")->as_bool());
    EXPECT_NE(doc.find("intel_quote"), nullptr);
    EXPECT_EQ(get("/_sim/nothing", "").status, 404);
}

}  // namespace
}  // namespace vep::sim::test
