// nvidia-evidence test fixture (see nvidia_fixture.hpp).
#include "nvidia_fixture.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "pinned_chain.hpp"
#include "vep/attestation/base64.hpp"
#include "vep/hex.hpp"

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *host, char *err, size_t err_len);

namespace nvidia_test {

using vep::json::Value;

const std::string kNearNonce = "deadbeef00000000000000000000000000000000000000000000000000000001";

namespace {

std::string read_source_file(const std::string &relative) {
    std::ifstream in(std::string(VEP_SOURCE_DIR) + "/" + relative, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + relative);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Value &entry(Value &payload, size_t gpu) { return payload.find("evidence_list")->as_array().at(gpu); }
const Value &entry(const Value &payload, size_t gpu) { return payload.find("evidence_list")->as_array().at(gpu); }

}  // namespace

Value near_payload() {
    static const Value payload = [] {
        const Value report = vep::json::parse(read_source_file("tests/data/attestation/nearai_cloud_report_gpt_oss_120b.json"));
        return vep::json::parse(report.find("model_attestations")->as_array().at(0).find("nvidia_payload")->as_string());
    }();
    return payload;
}

Value body_with(const Value &payload, bool as_string) {
    Value body = Value::object();
    body.set("verified", true);
    body.set("nonce", kNearNonce);
    body.set("model", "openai/gpt-oss-120b");
    body.set("nvidia_payload", as_string ? Value(vep::json::dump(payload)) : payload);
    return body;
}

std::string base64(const std::vector<uint8_t> &bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

std::vector<uint8_t> evidence_of(const Value &payload, size_t gpu) {
    return *vep::attestation::base64_decode(entry(payload, gpu).find("evidence")->as_string());
}

void set_evidence(Value &payload, size_t gpu, const std::vector<uint8_t> &evidence) {
    entry(payload, gpu).set("evidence", base64(evidence));
}

std::string certificate_chain_of(const Value &payload, size_t gpu) {
    const auto bytes = *vep::attestation::base64_decode(entry(payload, gpu).find("certificate")->as_string());
    return std::string(bytes.begin(), bytes.end());
}

void set_certificate_chain(Value &payload, size_t gpu, const std::string &pem) {
    entry(payload, gpu).set("certificate", base64(std::vector<uint8_t>(pem.begin(), pem.end())));
}

std::vector<std::string> split_pem(const std::string &pem) {
    std::vector<std::string> out;
    const std::string end_marker = "-----END CERTIFICATE-----";
    size_t pos = 0;
    while (true) {
        const size_t begin = pem.find("-----BEGIN CERTIFICATE-----", pos);
        if (begin == std::string::npos) break;
        const size_t end = pem.find(end_marker, begin);
        if (end == std::string::npos) break;
        out.push_back(pem.substr(begin, end + end_marker.size() - begin) + "\n");
        pos = end + end_marker.size();
    }
    return out;
}

std::string impostor_root_pem(const std::string &model_pem, std::string &fingerprint) {
    BIO *in = BIO_new_mem_buf(model_pem.data(), static_cast<int>(model_pem.size()));
    X509 *model = PEM_read_bio_X509(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    if (!model) throw std::runtime_error("cannot read the model root");
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    X509 *cert = X509_new();
    if (!key || !cert) throw std::runtime_error("out of memory");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 0x2d36);
    X509_set_subject_name(cert, X509_get_subject_name(model));
    X509_set_issuer_name(cert, X509_get_subject_name(model));
    ASN1_TIME_set(X509_getm_notBefore(cert), 1600000000);
    ASN1_TIME_set_string(X509_getm_notAfter(cert), "99991231235959Z");
    X509_set_pubkey(cert, key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (const auto &[nid, value] : {std::pair{NID_basic_constraints, "critical,CA:TRUE"},
                                     std::pair{NID_key_usage, "critical,keyCertSign,cRLSign"},
                                     std::pair{NID_subject_key_identifier, "hash"}}) {
        X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        X509_add_ext(cert, ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(cert, key, EVP_sha384());
    fingerprint = vep::nvidia::certificate_sha256(cert);
    std::string pem = pem_of(cert);
    X509_free(cert);
    X509_free(model);
    EVP_PKEY_free(key);
    return pem;
}

std::string pem_of(X509 *cert) {
    BIO *out = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(out, cert);
    char *data = nullptr;
    const long len = BIO_get_mem_data(out, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(out);
    return pem;
}

Harness::Harness(const std::string &config_json)
    : client_(std::make_unique<vep::client::AttestationClient>(host_.load(&vep_plugin_entry), config_json, nullptr)) {}

vep::client::AttestationOutcome Harness::run(const Value &body, const std::string &nonce, int64_t now_unix) const {
    return client_->verify(vep::json::dump(body), nonce, "openai/gpt-oss-120b", Value::object(), now_unix);
}

}  // namespace nvidia_test
