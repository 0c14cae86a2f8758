// TCB status from collateral fetched online from a PCCS (a fake one on 127.0.0.1 serving the real
// dcap-qvl collateral split into PCS v4 responses): success, caching, and every way a fetch fails
// closed.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "fake_pccs.hpp"
#include "json_member_span.hpp"
#include "openssl_util.hpp"
#include "test_support.hpp"
#include "vep/hex.hpp"

using namespace tdx_test;
using vep::json::Value;

namespace {

const std::string kV4Fmspc = "B0C06F000000";
const std::string kV5Fmspc = "90C06F000000";

Value pccs_config(const std::string &url, int64_t time, int64_t timeout_ms = 3000) {
    Value c = Value::object();
    c.set("verification_time", time);
    c.set("pccs_url", url);
    c.set("pccs_timeout_ms", timeout_ms);
    return c;
}

Value collateral_json(const std::string &file) { return vep::json::parse(read_text(data_path(file))); }

std::string v4_evidence() { return flat_evidence(read_bytes(data_path(kV4))); }

// The v4 quote's platform checks all pass and TCB status comes out UpToDate; it then stops at the
// REPORTDATA binding (the sample quote binds its own data, not our nonce).
void expect_up_to_date(const vep::client::AttestationOutcome &out) {
    EXPECT_EQ(check_ok(out.report, "tcb_status"), std::optional<bool>(true)) << out.message;
    EXPECT_EQ(tdx_field(out.report, "tcb_status"), Value("UpToDate"));
    EXPECT_EQ(check_ok(out.report, "report_data_binding"), std::optional<bool>(false));
}

// tcb_status failed closed (after every platform check passed) with `fragment` in the message.
void expect_tcb_failed(const vep::client::AttestationOutcome &out, const std::string &fragment) {
    EXPECT_FALSE(out.ok);
    EXPECT_EQ(out.code, "attestation_tdx_tcb_rejected") << out.message;
    EXPECT_EQ(check_ok(out.report, "pck_chain"), std::optional<bool>(true));
    EXPECT_EQ(check_ok(out.report, "tcb_status"), std::optional<bool>(false));
    EXPECT_NE(out.message.find(fragment), std::string::npos) << out.message;
}

TEST(Pccs, V4IsUpToDateWithCollateralFetchedFromThePccs) {
    FakePccs pccs;
    pccs.serve_collateral(collateral_json(kV4Collateral), kV4Fmspc);
    Plugin plugin(pccs_config(pccs.url(), kInsideV4Window));
    expect_up_to_date(plugin.verify(v4_evidence(), kNonce));
    EXPECT_EQ(pccs.hits(FakePccs::tcb_target(kV4Fmspc)), 1);
    EXPECT_EQ(pccs.hits(FakePccs::qe_target()), 1);
    EXPECT_EQ(pccs.hits(FakePccs::pck_crl_target("platform")), 1);
    EXPECT_EQ(pccs.hits(FakePccs::root_crl_target()), 1);
    EXPECT_EQ(pccs.total_hits(), 4);
}

TEST(Pccs, SecondVerifyUsesTheCachedCollateral) {
    FakePccs pccs;
    pccs.serve_collateral(collateral_json(kV4Collateral), kV4Fmspc);
    Plugin plugin(pccs_config(pccs.url(), kInsideV4Window));
    expect_up_to_date(plugin.verify(v4_evidence(), kNonce));
    expect_up_to_date(plugin.verify(v4_evidence(), kNonce));
    EXPECT_EQ(pccs.total_hits(), 4);
}

TEST(Pccs, V5IsRejectedForItsTcb) {
    FakePccs pccs;
    pccs.serve_collateral(collateral_json(kV5Collateral), kV5Fmspc);
    const auto out = Plugin(pccs_config(pccs.url(), kInsideV5Window)).verify(flat_evidence(read_bytes(data_path(kV5))), kNonce);
    expect_tcb_failed(out, "TCB level not supported");
    EXPECT_EQ(pccs.hits(FakePccs::tcb_target(kV5Fmspc)), 1);
}

TEST(Pccs, CollateralOfAnotherPlatformIsNeverFetched) {
    FakePccs pccs;  // serves only the v5 platform: the v4 quote's FMSPC gets 404
    pccs.serve_collateral(collateral_json(kV5Collateral), kV5Fmspc);
    const auto out = Plugin(pccs_config(pccs.url(), kInsideV4Window)).verify(v4_evidence(), kNonce);
    expect_tcb_failed(out, "HTTP 404");
    EXPECT_NE(out.message.find("fmspc=" + kV4Fmspc), std::string::npos) << out.message;
}

TEST(Pccs, UnreachablePccsFailsClosed) {
    int port = 0;
    {
        Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = closed.address().port();
    }
    const auto out = Plugin(pccs_config("http://127.0.0.1:" + std::to_string(port), kInsideV4Window))
                         .verify(v4_evidence(), kNonce);
    expect_tcb_failed(out, "no usable collateral from PCCS http://127.0.0.1:" + std::to_string(port));
    EXPECT_NE(out.message.find("refused"), std::string::npos) << out.message;
}

TEST(Pccs, NotFoundFailsClosedAndIsNotCached) {
    FakePccs pccs;
    pccs.serve_collateral(collateral_json(kV4Collateral), kV4Fmspc);
    pccs.set(FakePccs::qe_target(), FakePccs::Response{404, {}, "not found"});
    Plugin plugin(pccs_config(pccs.url(), kInsideV4Window));
    expect_tcb_failed(plugin.verify(v4_evidence(), kNonce), "qe/identity: HTTP 404");
    pccs.serve_collateral(collateral_json(kV4Collateral), kV4Fmspc);
    expect_up_to_date(plugin.verify(v4_evidence(), kNonce));
    EXPECT_EQ(pccs.hits(FakePccs::qe_target()), 2);
}

TEST(Pccs, OversizedBodiesFailClosed) {
    FakePccs pccs;
    pccs.serve_collateral(collateral_json(kV4Collateral), kV4Fmspc);
    FakePccs::Response huge;
    huge.body = std::string(1024 * 1024 + 1, 'a');
    pccs.set(FakePccs::root_crl_target(), huge);
    Plugin plugin(pccs_config(pccs.url(), kInsideV4Window));
    expect_tcb_failed(plugin.verify(v4_evidence(), kNonce), "larger than the 1048576-byte limit");
    huge.chunked = true;  // no Content-Length: the cap applies while reading
    pccs.set(FakePccs::root_crl_target(), huge);
    expect_tcb_failed(plugin.verify(v4_evidence(), kNonce), "larger than the 1048576-byte limit");
}

TEST(Pccs, SlowPccsTimesOut) {
    FakePccs pccs;
    pccs.serve_collateral(collateral_json(kV4Collateral), kV4Fmspc);
    FakePccs::Response slow;
    slow.delay = std::chrono::milliseconds(3000);
    pccs.set(FakePccs::tcb_target(kV4Fmspc), slow);
    Plugin plugin(pccs_config(pccs.url(), kInsideV4Window, 300));
    const auto start = std::chrono::steady_clock::now();
    const auto out = plugin.verify(v4_evidence(), kNonce);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    expect_tcb_failed(out, "no complete response within 300 ms");
    EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
}

TEST(Pccs, TamperedTcbInfoByteIsRejected) {
    FakePccs pccs;
    Value collateral = collateral_json(kV4Collateral);
    std::string tcb = collateral.find("tcb_info")->as_string();
    tcb[tcb.find("UpToDate")] = 'u';
    collateral.set("tcb_info", tcb);
    pccs.serve_collateral(collateral, kV4Fmspc);
    Plugin plugin(pccs_config(pccs.url(), kInsideV4Window));
    expect_tcb_failed(plugin.verify(v4_evidence(), kNonce), "TCB Info signature does not verify");
    // A rejected collateral is not cached: the next verify asks again.
    plugin.verify(v4_evidence(), kNonce);
    EXPECT_EQ(pccs.hits(FakePccs::tcb_target(kV4Fmspc)), 2);
}

// --- an issuer chain under a look-alike root --------------------------------------------------

using vep::tdx_dcap::PkeyPtr;
using vep::tdx_dcap::X509Ptr;

PkeyPtr new_p256_key() { return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }

void add_extension(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
    ASSERT_NE(ext, nullptr);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// A certificate with `subject` (copied) and key `key`, issued by `issuer` (itself when null).
X509Ptr make_cert(X509_NAME *subject, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, long serial) {
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_set_subject_name(cert.get(), subject);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject);
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), 1700000000);
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), 1900000000);
    X509_set_pubkey(cert.get(), key);
    X509 *signer = issuer ? issuer : cert.get();
    add_extension(cert.get(), signer, NID_basic_constraints, issuer ? "critical,CA:FALSE" : "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage,
                  issuer ? "critical,digitalSignature,nonRepudiation" : "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    EXPECT_GT(X509_sign(cert.get(), issuer_key, EVP_sha256()), 0);
    return cert;
}

std::string pem_of(X509 *cert) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_X509(bio.get(), cert);
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
}

// ECDSA-P256-SHA256 over `text`, as the raw r||s hex Intel uses.
std::string raw_signature_hex(EVP_PKEY *key, const std::string &text) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t len = 0;
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char *>(text.data()), text.size());
    std::vector<unsigned char> der(len);
    EVP_DigestSign(ctx.get(), der.data(), &len, reinterpret_cast<const unsigned char *>(text.data()), text.size());
    const unsigned char *p = der.data();
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)),
                                                              &ECDSA_SIG_free);
    std::vector<uint8_t> raw(64);
    BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + 32, 32);
    return vep::hex::encode(raw);
}

TEST(Pccs, TcbInfoChainUnderAnUntrustedRootWithTheSameSubjectIsRejected) {
    Value collateral = collateral_json(kV4Collateral);
    const auto real_chain = vep::tdx_dcap::parse_pem_certificates(collateral.find("tcb_info_issuer_chain")->as_string());
    ASSERT_EQ(real_chain.size(), 2u);
    const PkeyPtr root_key = new_p256_key(), signing_key = new_p256_key();
    const X509Ptr fake_root =
        make_cert(X509_get_subject_name(real_chain[1].get()), root_key.get(), nullptr, root_key.get(), 1);
    const X509Ptr fake_signing =
        make_cert(X509_get_subject_name(real_chain[0].get()), signing_key.get(), fake_root.get(), root_key.get(), 2);
    const std::string tcb = collateral.find("tcb_info")->as_string();
    collateral.set("tcb_info_signature", raw_signature_hex(signing_key.get(), tcb));
    collateral.set("tcb_info_issuer_chain", pem_of(fake_signing.get()) + pem_of(fake_root.get()));

    FakePccs pccs;
    pccs.serve_collateral(collateral, kV4Fmspc);
    const auto out = Plugin(pccs_config(pccs.url(), kInsideV4Window)).verify(v4_evidence(), kNonce);
    expect_tcb_failed(out, "TCB Info issuer chain: certificate chain rejected");
}

// --- lenient forms, transport, configuration ---------------------------------------------------

TEST(Pccs, AcceptsAnApiPathInTheUrlAndPcsStyleVariants) {
    FakePccs pccs;
    const Value collateral = collateral_json(kV4Collateral);
    pccs.serve_collateral(collateral, kV4Fmspc, "/pccs");
    // The v3-style header name in lower case, the PCK CRL as hex text and the root CRL as DER.
    FakePccs::Response tcb;
    tcb.body = "{ \"signature\" : \"" + collateral.find("tcb_info_signature")->as_string() + "\",\n  \"tcbInfo\" : " +
               collateral.find("tcb_info")->as_string() + " }";
    tcb.headers = {{"sgx-tcb-info-issuer-chain", url_encode(collateral.find("tcb_info_issuer_chain")->as_string())}};
    pccs.set(FakePccs::tcb_target(kV4Fmspc, "/pccs"), tcb);
    pccs.set(FakePccs::pck_crl_target("platform", "/pccs"),
             FakePccs::Response{200, {}, collateral.find("pck_crl")->as_string()});
    pccs.set(FakePccs::root_crl_target("/pccs"),
             FakePccs::Response{200, {}, unhex_to_string(collateral.find("root_ca_crl")->as_string())});
    Plugin plugin(pccs_config(pccs.url() + "/pccs/sgx/certification/v4/", kInsideV4Window));
    expect_up_to_date(plugin.verify(v4_evidence(), kNonce));
    EXPECT_EQ(pccs.total_hits(), 4);
}

TEST(Pccs, HttpsToAPlainHttpServerFailsClosed) {
    FakePccs pccs;
    pccs.serve_collateral(collateral_json(kV4Collateral), kV4Fmspc);
    std::string url = pccs.url();
    url.replace(0, 4, "https");
    const auto out = Plugin(pccs_config(url, kInsideV4Window)).verify(v4_evidence(), kNonce);
    expect_tcb_failed(out, "no usable collateral from PCCS https://127.0.0.1");
}

TEST(Pccs, ConcurrentVerifiesShareOneFetch) {
    FakePccs pccs;
    pccs.serve_collateral(collateral_json(kV4Collateral), kV4Fmspc);
    FakePccs::Response tcb;  // the same TCB Info, served slowly so that the verifies overlap
    const Value collateral = collateral_json(kV4Collateral);
    tcb.body = "{\"tcbInfo\":" + collateral.find("tcb_info")->as_string() + ",\"signature\":\"" +
               collateral.find("tcb_info_signature")->as_string() + "\"}";
    tcb.headers = {{"TCB-Info-Issuer-Chain", url_encode(collateral.find("tcb_info_issuer_chain")->as_string())}};
    tcb.delay = std::chrono::milliseconds(300);
    pccs.set(FakePccs::tcb_target(kV4Fmspc), tcb);
    Plugin plugin(pccs_config(pccs.url(), kInsideV4Window));
    std::atomic<int> up_to_date{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            const auto out = plugin.verify(v4_evidence(), kNonce);
            if (tdx_field(out.report, "tcb_status") == Value("UpToDate")) ++up_to_date;
        });
    for (auto &t : threads) t.join();
    EXPECT_EQ(up_to_date.load(), 4);
    EXPECT_EQ(pccs.hits(FakePccs::tcb_target(kV4Fmspc)), 1);
}

TEST(Pccs, CollateralFileTakesPrecedenceOverPccsUrl) {
    FakePccs pccs;
    Value c = pccs_config(pccs.url(), kInsideV4Window);
    c.set("collateral_file", data_path(kV4Collateral));
    expect_up_to_date(Plugin(c).verify(v4_evidence(), kNonce));
    EXPECT_EQ(pccs.total_hits(), 0);
}

TEST(Pccs, ConfigRejectsBadUrlsAndTimeouts) {
    auto rejected = [](const Value &config) {
        try {
            Plugin plugin(config);
            return false;
        } catch (const vep::Failure &f) {
            return f.code() == "invalid_config";
        }
    };
    EXPECT_TRUE(rejected(pccs_config("ftp://pccs.example", kInsideV4Window)));
    EXPECT_TRUE(rejected(pccs_config("https://pccs.example/?fmspc=1", kInsideV4Window)));
    EXPECT_TRUE(rejected(pccs_config("https://pccs.example", kInsideV4Window, 0)));
    EXPECT_TRUE(rejected(pccs_config("https://pccs.example", kInsideV4Window, 120001)));
    EXPECT_FALSE(rejected(pccs_config("https://pccs.example", kInsideV4Window)));
}

// --- the signed-member slicer -------------------------------------------------------------------

TEST(JsonMemberText, ReturnsTheServedBytesVerbatim) {
    using vep::tdx_dcap::json_member_text;
    const std::string body = "{ \"a\" : [1, {\"b\":\"}\"}] ,\"tcbInfo\":{\"x\" :1.50, \"y\":\"\\u00e9\"}\n,\"s\":\"ab\"}";
    EXPECT_EQ(json_member_text(body, "tcbInfo"), std::optional<std::string_view>("{\"x\" :1.50, \"y\":\"\\u00e9\"}"));
    EXPECT_EQ(json_member_text(body, "s"), std::optional<std::string_view>("\"ab\""));
    EXPECT_EQ(json_member_text(body, "b"), std::nullopt);  // nested members are not top-level
    EXPECT_EQ(json_member_text("{}", "a"), std::nullopt);
    EXPECT_THROW(json_member_text("{\"a\":1,\"a\":2}", "a"), std::invalid_argument);
    EXPECT_THROW(json_member_text("{\"a\":1", "a"), vep::json::ParseError);
    EXPECT_THROW(json_member_text("[1]", "a"), vep::json::ParseError);
}

}  // namespace
