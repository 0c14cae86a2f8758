// Test PKI for the nvidia-evidence depth checks (see test_pki.hpp).
#include "test_pki.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include "nvidia_fixture.hpp"
#include "pinned_chain.hpp"
#include "vep/hex.hpp"

namespace nvidia_test {
namespace {

void require(bool ok, const char *what) {
    if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

void add_ext(X509 *cert, X509 *issuer, int nid, const std::string &value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    require(ext && X509_add_ext(cert, ext, -1), "extension");
    X509_EXTENSION_free(ext);
}

// DER of an arbitrary extension value: an OCTET STRING-wrapped blob whose last 48 bytes are the
// FWID, which is what the verifier reads of the DICE TcbInfo extension.
void add_dice_fwid(X509 *cert, const std::vector<uint8_t> &fwid) {
    ASN1_OBJECT *oid = OBJ_txt2obj("2.23.133.5.4.1", 1);
    std::vector<uint8_t> value = {0x30, 0x00};  // a TcbInfo-like prefix; only the suffix matters
    value.insert(value.end(), fwid.begin(), fwid.end());
    ASN1_OCTET_STRING *data = ASN1_OCTET_STRING_new();
    require(oid && data && ASN1_OCTET_STRING_set(data, value.data(), static_cast<int>(value.size())), "DICE value");
    X509_EXTENSION *ext = X509_EXTENSION_create_by_OBJ(nullptr, oid, 0, data);
    require(ext && X509_add_ext(cert, ext, -1), "DICE extension");
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(data);
    ASN1_OBJECT_free(oid);
}

}  // namespace

std::string TestCert::pem() const { return pem_of(cert.get()); }

std::string TestCert::sha256() const { return vep::nvidia::certificate_sha256(cert.get()); }

tdx_test::FakePccs::Response canned(int status, std::string body, std::chrono::milliseconds delay) {
    tdx_test::FakePccs::Response response;
    response.status = status;
    response.body = std::move(body);
    response.delay = delay;
    return response;
}

TestCert make_cert(const std::string &common_name, const TestCert *issuer, bool ca, const std::string &ocsp_url,
                   const std::vector<uint8_t> &dice_fwid) {
    constexpr int64_t kNotBefore = 1600000000;  // 2020-09-13
    constexpr int64_t kNotAfter = 4102444800;   // 2100-01-01
    static long serial = 0x1000;
    TestCert out;
    out.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"), EVP_PKEY_free);
    out.cert.reset(X509_new(), X509_free);
    X509 *cert = out.cert.get();
    require(out.key && cert, "out of memory");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), ++serial);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("VEP Test"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(common_name.c_str()),
                               -1, -1, 0);
    X509 *issuer_cert = issuer ? issuer->cert.get() : cert;
    X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert));
    ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(kNotBefore));
    ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(kNotAfter));
    X509_set_pubkey(cert, out.key.get());
    add_ext(cert, issuer_cert, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_ext(cert, issuer_cert, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    add_ext(cert, issuer_cert, NID_subject_key_identifier, "hash");
    if (issuer) add_ext(cert, issuer_cert, NID_authority_key_identifier, "keyid:always");
    if (!ocsp_url.empty()) add_ext(cert, issuer_cert, NID_info_access, "OCSP;URI:" + ocsp_url);
    if (!dice_fwid.empty()) add_dice_fwid(cert, dice_fwid);
    require(X509_sign(cert, issuer ? issuer->key.get() : out.key.get(), EVP_sha384()) > 0, "sign");
    return out;
}

std::string GpuPki::chain_pem() const { return leaf.pem() + device.pem() + ica.pem() + root.pem(); }

GpuPki make_gpu_pki(const std::vector<uint8_t> &fwid, const std::string &ocsp_base) {
    GpuPki pki;
    pki.root = make_cert("Test Device Identity CA", nullptr);
    pki.ica = make_cert("Test GH100 Identity", &pki.root, true, ocsp_base + "/ica");
    pki.device = make_cert("Test GH100 GSP BROM", &pki.ica, true, ocsp_base + "/device");
    pki.leaf = make_cert("Test GH100 GSP FMC LF", &pki.device, false, "", fwid);
    return pki;
}

std::vector<uint8_t> resign_evidence(std::vector<uint8_t> evidence, EVP_PKEY *key) {
    const size_t signed_length = evidence.size() - 96;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t der_len = 0;
    require(EVP_DigestSignInit(ctx, nullptr, EVP_sha384(), nullptr, key) == 1 &&
                EVP_DigestSign(ctx, nullptr, &der_len, evidence.data(), signed_length) == 1,
            "evidence signature size");
    std::vector<uint8_t> der(der_len);
    require(EVP_DigestSign(ctx, der.data(), &der_len, evidence.data(), signed_length) == 1, "evidence signature");
    EVP_MD_CTX_free(ctx);
    const unsigned char *p = der.data();
    ECDSA_SIG *sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len));
    require(sig, "signature DER");
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), evidence.data() + signed_length, 48);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), evidence.data() + signed_length + 48, 48);
    ECDSA_SIG_free(sig);
    return evidence;
}

std::string signed_rim(const std::string &payload, const TestCert &signer, const std::string &chain_pem) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t len = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(payload.data());
    require(EVP_DigestSignInit(ctx, nullptr, EVP_sha384(), nullptr, signer.key.get()) == 1 &&
                EVP_DigestSign(ctx, nullptr, &len, data, payload.size()) == 1,
            "RIM signature size");
    std::vector<uint8_t> sig(len);
    require(EVP_DigestSign(ctx, sig.data(), &len, data, payload.size()) == 1, "RIM signature");
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    vep::json::Value envelope = vep::json::Value::object();
    envelope.set("format", "vep-rim-v1");
    envelope.set("payload", base64(std::vector<uint8_t>(payload.begin(), payload.end())));
    envelope.set("certificate_chain", chain_pem);
    envelope.set("signature", base64(sig));
    return vep::json::dump(envelope);
}

std::string rim_payload(const std::string &rim_id, const std::string &component, const std::string &version,
                        const std::vector<std::pair<unsigned, std::vector<uint8_t>>> &golden) {
    vep::json::Value payload = vep::json::Value::object();
    payload.set("rim_id", rim_id);
    payload.set("component", component);
    payload.set("version", version);
    vep::json::Value list = vep::json::Value::array();
    for (const auto &[index, value] : golden) {
        vep::json::Value entry = vep::json::Value::object();
        entry.set("index", index);
        entry.set("active", true);
        vep::json::Value values = vep::json::Value::array();
        values.push_back(vep::hex::encode(value.data(), value.size()));
        entry.set("values", std::move(values));
        list.push_back(std::move(entry));
    }
    payload.set("measurements", std::move(list));
    return vep::json::dump(payload);
}

std::string ocsp_response(const TestCert &cert, const TestCert &issuer, int status, int64_t this_update,
                          int64_t next_update, int64_t revoked_at) {
    OCSP_CERTID *id = OCSP_cert_to_id(nullptr, cert.cert.get(), issuer.cert.get());
    OCSP_BASICRESP *basic = OCSP_BASICRESP_new();
    ASN1_TIME *this_t = ASN1_TIME_set(nullptr, static_cast<time_t>(this_update));
    ASN1_TIME *next_t = next_update ? ASN1_TIME_set(nullptr, static_cast<time_t>(next_update)) : nullptr;
    ASN1_TIME *rev_t = status == V_OCSP_CERTSTATUS_REVOKED ? ASN1_TIME_set(nullptr, static_cast<time_t>(revoked_at)) : nullptr;
    require(id && basic && this_t, "OCSP response");
    require(OCSP_basic_add1_status(basic, id, status, status == V_OCSP_CERTSTATUS_REVOKED ? OCSP_REVOKED_STATUS_KEYCOMPROMISE : 0,
                                   rev_t, this_t, next_t) != nullptr,
            "OCSP status");
    require(OCSP_basic_sign(basic, issuer.cert.get(), issuer.key.get(), EVP_sha384(), nullptr, 0) == 1, "OCSP sign");
    OCSP_RESPONSE *response = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic);
    require(response, "OCSP response");
    unsigned char *der = nullptr;
    const int len = i2d_OCSP_RESPONSE(response, &der);
    std::string out(reinterpret_cast<const char *>(der), static_cast<size_t>(len));
    OPENSSL_free(der);
    OCSP_RESPONSE_free(response);
    ASN1_TIME_free(this_t);
    ASN1_TIME_free(next_t);
    ASN1_TIME_free(rev_t);
    OCSP_BASICRESP_free(basic);
    OCSP_CERTID_free(id);
    return out;
}

}  // namespace nvidia_test
