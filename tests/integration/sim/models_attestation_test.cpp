// venice-sim: GET /models (shape, auth, faults) and GET /tee/attestation (both shapes, REPORTDATA
// binding in the forged quote, signing address, faults).
#include "quote_signature.hpp"
#include "sim_client.hpp"
#include "vep/attestation/secp256k1_public_key.hpp"
#include "vep/hex.hpp"

namespace vep::sim::test {
namespace {

constexpr size_t kTdAttributesOffset = 48 + 120;
constexpr size_t kReportDataOffset = 48 + 520;
constexpr const char *kQwen = "e2ee-qwen3-235b-a22b-p";

const json::Value *model_entry(const json::Value &list, const std::string &id) {
    for (const auto &m : list.find("data")->as_array())
        if (m.find("id")->as_string() == id) return &m;
    return nullptr;
}

bool capability(const json::Value &model, const char *name) {
    return model.find("model_spec")->find("capabilities")->find(name)->as_bool();
}

class ModelsTest : public SimFixture {};
class AttestationTest : public SimFixture {
  protected:
    // Fetches an attestation and checks the invariants every well-behaved document has.
    json::Value fetch(const std::string &model, const std::string &nonce) {
        const HttpResult r = get("/api/v1/tee/attestation?model=" + model + "&nonce=" + nonce);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json();
    }
    static std::vector<uint8_t> quote_of(const json::Value &doc) {
        const json::Value *quote = doc.find("intel_quote");
        if (!quote) quote = doc.find("attestation")->find("evidence")->find("quote");
        return *vep::hex::decode(quote->as_string());
    }
    static std::string report_data_field(const json::Value &doc) {
        if (const json::Value *rd = doc.find("quote_report_data")) return rd->as_string();
        return doc.find("attestation")->find("evidence")->find("quote_report_data")->as_string();
    }
    static std::vector<uint8_t> expected_report_data(const std::string &address, const std::string &nonce) {
        std::vector<uint8_t> rd = *vep::hex::decode(address.substr(2));
        rd.resize(32, 0);
        const auto n = *vep::hex::decode(nonce);
        rd.insert(rd.end(), n.begin(), n.end());
        return rd;
    }
    void expect_bound(const json::Value &doc, const std::string &model, const std::string &nonce) {
        EXPECT_EQ(doc.find("nonce")->as_string(), nonce);
        EXPECT_EQ(doc.find("model")->as_string(), model);
        EXPECT_TRUE(doc.find("verified")->as_bool());
        EXPECT_FALSE(doc.find("debug")->as_bool());
        EXPECT_EQ(doc.find("tee_provider")->as_string(), "phala");
        const std::string key = doc.find("signing_public_key")->as_string();
        EXPECT_EQ(key, server_->model_public_key(model));
        const std::string address = vep::attestation::ethereum_address(key);
        EXPECT_EQ(doc.find("signing_address")->as_string(), address);
        const std::vector<uint8_t> quote = quote_of(doc);
        ASSERT_GE(quote.size(), kReportDataOffset + 64);
        EXPECT_EQ(quote[4], 0x81);
        EXPECT_EQ(quote[kTdAttributesOffset] & 1, 0);
        const std::vector<uint8_t> rd(quote.begin() + kReportDataOffset, quote.begin() + kReportDataOffset + 64);
        EXPECT_EQ(rd, expected_report_data(address, nonce));
        EXPECT_EQ(report_data_field(doc), vep::hex::encode(rd));
        EXPECT_TRUE(quote_signature_valid(quote));
    }
};

TEST_F(ModelsTest, ListsVeniceShapedModels) {
    const HttpResult r = get("/api/v1/models");
    ASSERT_EQ(r.status, 200);
    const json::Value list = r.json();
    for (const char *id : {"e2ee-hermes-3-llama-3.1-405b-p", "e2ee-qwen3-235b-a22b-p", "e2ee-glm-4-7-flash-p"}) {
        const json::Value *m = model_entry(list, id);
        ASSERT_NE(m, nullptr) << id;
        EXPECT_EQ(m->find("type")->as_string(), "text");
        EXPECT_EQ(m->find("owned_by")->as_string(), "venice.ai");
        EXPECT_TRUE(m->find("created")->is_number());
        EXPECT_TRUE(capability(*m, "supportsE2EE"));
        EXPECT_TRUE(capability(*m, "supportsTeeAttestation"));
        EXPECT_TRUE(capability(*m, "supportsFunctionCalling"));
        for (const char *cap : {"supportsReasoning", "supportsReasoningEffort", "supportsVision", "supportsWebSearch"})
            EXPECT_TRUE(m->find("model_spec")->find("capabilities")->find(cap)->is_bool()) << cap;
    }
    const json::Value *plain = model_entry(list, "venice-uncensored");
    ASSERT_NE(plain, nullptr);
    EXPECT_FALSE(capability(*plain, "supportsE2EE"));
    EXPECT_EQ(model_entry(list, "venice-sd35"), nullptr);

    const json::Value images = get("/api/v1/models?type=image").json();
    ASSERT_EQ(images.find("data")->as_array().size(), 1u);
    EXPECT_EQ(images.find("data")->as_array()[0].find("type")->as_string(), "image");
    EXPECT_NE(model_entry(get("/api/v1/models?type=all").json(), "venice-sd35"), nullptr);
}

TEST_F(ModelsTest, RequiresBearerToken) {
    const HttpResult wrong = get("/api/v1/models", "wrong-key");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_TRUE(wrong.json().find("error")->is_string());
    EXPECT_EQ(get("/api/v1/models", "").status, 401);
    EXPECT_FALSE(last_record("/api/v1/models").authorized);
}

TEST_F(ModelsTest, FaultsFromAdminConfig) {
    server_->configure(R"({"models_fault":"status_500"})");
    EXPECT_EQ(get("/api/v1/models").status, 500);
    server_->configure(R"({"models_fault":"status_401"})");
    EXPECT_EQ(get("/api/v1/models").status, 401);
    server_->configure(R"({"models_fault":"malformed"})");
    const HttpResult malformed = get("/api/v1/models");
    EXPECT_EQ(malformed.status, 200);
    EXPECT_FALSE(malformed.json().find("data")->as_array()[0].find("id")->is_string());
    server_->configure(R"({"models_fault":"invalid_json"})");
    EXPECT_THROW(get("/api/v1/models").json(), json::ParseError);
    server_->configure(R"({"models_fault":"none"})");
    EXPECT_EQ(get("/api/v1/models").status, 200);
}

TEST_F(AttestationTest, AciShapeBindsAddressAndNonceInQuote) {
    const std::string nonce = random_nonce_hex();
    const json::Value doc = fetch(kQwen, nonce);
    EXPECT_EQ(doc.find("api_version")->as_string(), "aci/1");
    EXPECT_EQ(doc.find("attestation")->find("tee_type")->as_string(), "tdx");
    expect_bound(doc, kQwen, nonce);
}

TEST_F(AttestationTest, FlatShapeBindsAddressAndNonceInQuote) {
    server_->configure(R"({"attestation_shape":"flat"})");
    const std::string nonce = random_nonce_hex();
    const json::Value doc = fetch("e2ee-glm-4-7-flash-p", nonce);
    EXPECT_EQ(doc.find("attestation"), nullptr);
    EXPECT_EQ(doc.find("intel_quote")->as_string(), doc.find("quote")->as_string());
    expect_bound(doc, "e2ee-glm-4-7-flash-p", nonce);
}

TEST_F(AttestationTest, EveryModelHasItsOwnKey) {
    const std::string a = attested_key(kQwen);
    const std::string b = attested_key("e2ee-hermes-3-llama-3.1-405b-p");
    EXPECT_NE(a, b);
    EXPECT_EQ(a, attested_key(kQwen));
}

TEST_F(AttestationTest, RejectsBadRequests) {
    EXPECT_EQ(get("/api/v1/tee/attestation?model=" + std::string(kQwen) + "&nonce=abcd").status, 400);
    EXPECT_EQ(get("/api/v1/tee/attestation?model=nope&nonce=" + random_nonce_hex()).status, 404);
    EXPECT_EQ(get("/api/v1/tee/attestation?model=venice-uncensored&nonce=" + random_nonce_hex()).status, 400);
    EXPECT_EQ(get("/api/v1/tee/attestation?model=" + std::string(kQwen) + "&nonce=" + random_nonce_hex(), "bad").status,
              401);
}

TEST_F(AttestationTest, FaultsChangeExactlyWhatTheyPromise) {
    const std::string nonce = random_nonce_hex();
    const std::string key = server_->model_public_key(kQwen);
    const std::string address = vep::attestation::ethereum_address(key);

    server_->configure(R"({"attestation_fault":"nonce_mismatch"})");
    json::Value doc = fetch(kQwen, nonce);
    EXPECT_NE(doc.find("nonce")->as_string(), nonce);

    server_->configure(R"({"attestation_fault":"model_mismatch"})");
    EXPECT_NE(fetch(kQwen, nonce).find("model")->as_string(), kQwen);

    server_->configure(R"({"attestation_fault":"address_mismatch"})");
    doc = fetch(kQwen, nonce);
    EXPECT_NE(doc.find("signing_address")->as_string(), address);
    EXPECT_EQ(doc.find("signing_public_key")->as_string(), key);

    server_->configure(R"({"attestation_fault":"not_verified"})");
    EXPECT_FALSE(fetch(kQwen, nonce).find("verified")->as_bool());

    server_->configure(R"({"attestation_fault":"debug_quote"})");
    doc = fetch(kQwen, nonce);
    EXPECT_TRUE(doc.find("debug")->as_bool());
    EXPECT_EQ(quote_of(doc)[kTdAttributesOffset] & 1, 1);

    server_->configure(R"({"attestation_fault":"report_data_nonce_mismatch"})");
    doc = fetch(kQwen, nonce);
    EXPECT_EQ(doc.find("nonce")->as_string(), nonce);
    EXPECT_NE(report_data_field(doc).substr(64), nonce);

    server_->configure(R"({"attestation_fault":"report_data_address_mismatch"})");
    doc = fetch(kQwen, nonce);
    EXPECT_NE(report_data_field(doc).substr(0, 40), address.substr(2));

    server_->configure(R"({"attestation_fault":"bad_quote_signature"})");
    doc = fetch(kQwen, nonce);
    EXPECT_FALSE(quote_signature_valid(quote_of(doc)));
    EXPECT_EQ(report_data_field(doc), vep::hex::encode(expected_report_data(address, nonce)));

    server_->configure(R"({"attestation_fault":"status_500"})");
    EXPECT_EQ(get("/api/v1/tee/attestation?model=" + std::string(kQwen) + "&nonce=" + nonce).status, 500);
}

TEST_F(AttestationTest, FaultForOneModelLeavesTheOthersAlone) {
    const std::string nonce = random_nonce_hex();
    const std::string glm = "e2ee-glm-4-7-flash-p";
    server_->configure(std::string(R"({"attestation_fault":"not_verified","attestation_fault_model":")") + kQwen + "\"}");
    EXPECT_FALSE(fetch(kQwen, nonce).find("verified")->as_bool());
    EXPECT_TRUE(fetch(glm, nonce).find("verified")->as_bool());

    server_->configure(R"({"attestation_fault":"status_500"})");
    EXPECT_EQ(get("/api/v1/tee/attestation?model=" + std::string(kQwen) + "&nonce=" + nonce).status, 500);
    EXPECT_EQ(get("/api/v1/tee/attestation?model=" + glm + "&nonce=" + nonce).status, 200);

    server_->configure(R"({"attestation_fault_model":""})");
    EXPECT_EQ(get("/api/v1/tee/attestation?model=" + glm + "&nonce=" + nonce).status, 500);
}

}  // namespace
}  // namespace vep::sim::test
