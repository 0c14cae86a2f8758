// Test PKI for the nvidia-evidence depth checks (see test_pki.hpp).
#include "test_pki.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include "nvidia_fixture.hpp"
#include "pinned_chain.hpp"
#include "xml_c14n.hpp"
#include "xml_tree.hpp"
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

std::string signed_swid_rim(const std::string &version, const std::map<unsigned, std::set<std::vector<uint8_t>>> &golden,
                            const TestCert &signer, const std::vector<const TestCert *> &chain,
                            const std::string &extra_payload) {
    const std::string swid = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
    std::string head = "<SoftwareIdentity xmlns=\"" + swid + "\" xmlns:ns0=\"" + swid +
                       "\" xmlns:ns2=\"http://www.w3.org/2001/04/xmlenc#sha384\" name=\"GH100\" tagId=\"test\" "
                       "version=\"1.0\">\n    <ns0:Meta colloquialVersion=\"" +
                       version + "\" product=\"GH100\"/>\n    <ns0:Payload>\n";
    for (const auto &[index, values] : golden) {
        head += "        <ns0:Resource type=\"Measurement\" index=\"" + std::to_string(index) + "\" active=\"True\" alternatives=\"" +
                std::to_string(values.size()) + "\"";
        size_t k = 0;
        for (const auto &v : values) head += " ns2:Hash" + std::to_string(k++) + "=\"" + vep::hex::encode(v.data(), v.size()) + "\"";
        head += " size=\"48\"/>\n";
    }
    head += extra_payload + "    </ns0:Payload>\n";
    const std::string tail = "</SoftwareIdentity>\n";
    const auto document = vep::nvidia::parse_xml(head + tail);
    const std::string canonical = vep::nvidia::canonicalize(*document, nullptr);
    std::vector<uint8_t> digest(48);
    SHA384(reinterpret_cast<const unsigned char *>(canonical.data()), canonical.size(), digest.data());
    const std::string c14n = "http://www.w3.org/2006/12/xml-c14n11";
    std::string certificates;
    for (const TestCert *cert : chain) {
        std::string pem = cert->pem(), body;
        for (size_t at = 0, end; at < pem.size(); at = end + 1) {
            end = pem.find('\n', at);
            if (end == std::string::npos) end = pem.size();
            const std::string line = pem.substr(at, end - at);
            if (line.rfind("-----", 0) != 0) body += line;
        }
        certificates += "<ds:X509Certificate>" + body + "</ds:X509Certificate>";
    }
    const auto signature = [&](const std::string &value) {
        return "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod "
               "Algorithm=\"" + c14n + "\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384\"/>"
               "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
               "<ds:Transform Algorithm=\"" + c14n + "\"/></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/"
               "xmldsig-more#sha384\"/><ds:DigestValue>" + base64(digest) + "</ds:DigestValue></ds:Reference></ds:SignedInfo>"
               "<ds:SignatureValue>" + value + "</ds:SignatureValue><ds:KeyInfo><ds:X509Data>" + certificates +
               "</ds:X509Data></ds:KeyInfo></ds:Signature>";
    };
    // The SignedInfo is signed in its place in the document (it inherits the root's namespaces).
    const auto unsigned_document = vep::nvidia::parse_xml(head + signature("") + tail);
    const auto &sig = *unsigned_document->children_named("http://www.w3.org/2000/09/xmldsig#", "Signature").front();
    const std::string info = vep::nvidia::canonicalize(
        *sig.children_named("http://www.w3.org/2000/09/xmldsig#", "SignedInfo").front(), nullptr);
    std::vector<uint8_t> signed_bytes(info.begin(), info.end());
    signed_bytes.resize(signed_bytes.size() + 96);
    signed_bytes = resign_evidence(std::move(signed_bytes), signer.key.get());
    return head + signature(base64(std::vector<uint8_t>(signed_bytes.end() - 96, signed_bytes.end()))) + tail;
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
