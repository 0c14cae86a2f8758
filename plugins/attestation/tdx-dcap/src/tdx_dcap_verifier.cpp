// The tdx-dcap attestation verifier (see tdx_dcap_verifier.hpp).
#include "tdx_dcap_verifier.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

#include "evidence.hpp"
#include "failure_codes.hpp"
#include "openssl_util.hpp"
#include "pck_extension.hpp"
#include "quote.hpp"
#include "report_data_binding.hpp"
#include "tcb_evaluation.hpp"
#include "vep/attestation/secp256k1_public_key.hpp"
#include "vep/hex.hpp"
#include "vep/text.hpp"

namespace vep::tdx_dcap {
namespace {

constexpr uint16_t kAttestationKeyTypeEcdsaP256 = 2;
constexpr uint32_t kTeeTypeTdx = 0x81;
constexpr std::array<uint8_t, 16> kIntelQeVendorId = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
                                                      0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};
// TDATTRIBUTES bits 0–7 are Intel's "TD under debug" group; bit 0 is DEBUG proper.
constexpr uint64_t kTdDebugBits = 0xff;
// Platforms (FMSPC × PCK CA) whose PCCS collateral one plugin instance keeps.
constexpr size_t kPccsCacheEntries = 64;
// One collateral fetch is four requests, each bounded by pccs_timeout_ms.
constexpr int64_t kRequestsPerFetch = 4;

PinnedRoots make_roots(const PluginConfig &config) {
    try {
        return PinnedRoots(config.root_ca_sha256);
    } catch (const std::invalid_argument &e) {
        throw Failure("invalid_config", std::string("tdx-dcap: ") + e.what());
    }
}

std::string to_hex(ByteSpan bytes) { return hex::encode(bytes.data(), bytes.size()); }

std::string fmspc_upper(ByteSpan fmspc) {
    std::string text = to_hex(fmspc);
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    return text;
}

std::optional<std::array<uint8_t, 20>> address_bytes(const std::string &address) {
    auto bytes = hex::decode(hex::strip_0x(trim_ascii(address)));
    if (!bytes || bytes->size() != 20) return std::nullopt;
    std::array<uint8_t, 20> out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

// The signing address REPORTDATA must carry: the envelope's (prior.signing_address) when it ran,
// else derived from the served signing key (and then equal to any served signing_address).
std::pair<std::array<uint8_t, 20>, std::string> expected_address(const AttestationInput &input,
                                                                 const TdxEvidence &evidence) {
    if (input.prior) {
        if (const json::Value *prior = input.prior->find("signing_address"); prior && prior->is_string()) {
            auto bytes = address_bytes(prior->as_string());
            if (!bytes) throw Failure(code::kInvalidTdxEvidence, "prior signing_address is not 20 bytes of hex");
            return {*bytes, "envelope signing_address"};
        }
    }
    if (!evidence.signing_public_key)
        throw Failure(code::kMissingRequiredField,
                      "signing_public_key is required to check the TDX REPORTDATA binding");
    const std::string derived =
        attestation::ethereum_address(attestation::normalize_secp256k1_public_key(*evidence.signing_public_key));
    if (evidence.signing_address &&
        to_lower_ascii(trim_ascii(*evidence.signing_address)) != derived)
        throw Failure(code::kSigningAddressMismatch, "served signing_address does not match the signing key");
    return {*address_bytes(derived), "address of the served signing key"};
}

}  // namespace

TdxDcapVerifier::TdxDcapVerifier(const json::Value &config)
    : config_(PluginConfig::parse(config)), roots_(make_roots(config_)) {
    if (config_.collateral_file) {
        try {
            file_collateral_ = std::make_shared<const Collateral>(Collateral::load_file(*config_.collateral_file));
        } catch (const std::invalid_argument &e) {
            throw Failure("invalid_config", std::string("tdx-dcap: ") + e.what());
        } catch (const json::ParseError &e) {
            throw Failure("invalid_config", std::string("tdx-dcap: collateral_file is not JSON: ") + e.what());
        }
        if (!config_.pccs_url.empty())
            Host::instance().log(VEP_LOG_INFO, "tdx-dcap: collateral_file is set, so pccs_url is not used");
        return;
    }
    if (config_.pccs_url.empty()) return;
    const std::chrono::milliseconds timeout(config_.pccs_timeout_ms);
    try {
        pccs_ = std::make_unique<PccsClient>(config_.pccs_url, timeout);
    } catch (const std::exception &e) {
        throw Failure("invalid_config", std::string("tdx-dcap: pccs_url: ") + e.what());
    }
    pccs_cache_ = std::make_unique<CollateralCache>(kPccsCacheEntries, timeout * kRequestsPerFetch +
                                                                            std::chrono::seconds(1));
}

std::shared_ptr<const Collateral> TdxDcapVerifier::collateral_for(const std::vector<X509Ptr> &pck_chain,
                                                                  const PckExtension &pck, int64_t now,
                                                                  ReportChecks &checks) {
    if (!pccs_) return file_collateral_;
    const std::optional<PckCa> ca = pck_issuing_ca(pck_chain.front().get());
    if (!ca)
        checks.fail("tcb_status", code::kTcbRejected,
                    "PCK leaf is not issued by the Intel SGX PCK Platform or Processor CA; no PCK CRL to fetch");
    const std::string key = to_hex(pck.fmspc) + "/" + pck_ca_name(*ca);
    try {
        return pccs_cache_->get(key, now, [&]() {
            auto fetched = std::make_shared<const Collateral>(pccs_->fetch(pck.fmspc, *ca));
            if (std::string why = fetched->check_signed_documents(roots_, now); !why.empty())
                throw std::invalid_argument("collateral rejected: " + why);
            const std::optional<int64_t> expires = fetched->next_update();
            if (!expires) throw std::invalid_argument("collateral has an unreadable nextUpdate");
            return CollateralCache::Fetched{std::move(fetched), *expires};
        });
    } catch (const CollateralUnavailable &e) {
        checks.fail("tcb_status", code::kTcbRejected,
                    "no usable collateral from PCCS " + pccs_->base_url() + " for FMSPC " + fmspc_upper(pck.fmspc) + " (" +
                        pck_ca_name(*ca) + " CA): " + e.what());
    }
}

void TdxDcapVerifier::verify(const AttestationInput &input, json::Value &report) {
    ReportChecks checks(report);
    const char *invalid = code::kInvalidTdxEvidence;
    checks.set_tdx("present", false);
    checks.set_tdx("verified", false);
    const int64_t now = config_.verification_time.value_or(input.now_unix);

    TdxEvidence evidence;
    try {
        evidence = extract_tdx_evidence(input.evidence_json);
    } catch (const Failure &f) {
        checks.fail("evidence", f.code().c_str(), f.what());
    }
    if (evidence.quote.empty()) {
        if (config_.require_tdx) checks.fail("quote_present", code::kMissingTdxEvidence, "no TDX quote in the response");
        checks.pass("quote_present", "no TDX quote in the response; require_tdx is false");
        return;
    }
    checks.set_tdx("present", true);

    Quote quote;
    try {
        quote = parse_quote(evidence.quote);
    } catch (const QuoteFormatError &e) {
        checks.fail("quote_format", invalid, e.what());
    }
    checks.set_tdx("version", static_cast<int64_t>(quote.version));
    checks.pass("quote_format", "TDX quote v" + std::to_string(quote.version) + ", body at offset " +
                                    std::to_string(quote.body_offset));

    if (quote.attestation_key_type != kAttestationKeyTypeEcdsaP256)
        checks.fail("quote_header", invalid,
                    "attestation key type " + std::to_string(quote.attestation_key_type) + " is not ECDSA-P256 (2)");
    if (quote.tee_type != kTeeTypeTdx) checks.fail("quote_header", invalid, "TEE type is not TDX (0x81)");
    if (!std::equal(kIntelQeVendorId.begin(), kIntelQeVendorId.end(), quote.qe_vendor_id.begin()))
        checks.fail("quote_header", invalid, "QE vendor is not Intel");
    checks.pass("quote_header", "ECDSA-P256 attestation key, TDX, Intel QE");

    const PkeyPtr attestation_key = p256_public_key(quote.attestation_key);
    if (!attestation_key) checks.fail("quote_signature", invalid, "attestation key is not a P-256 point");
    if (!verify_p256_signature(attestation_key.get(), quote.signature, quote.signed_region))
        checks.fail("quote_signature", invalid, "quote signature does not verify with the attestation key");
    checks.pass("quote_signature", "quote signed by the attestation key");
    checks.set_tdx("mrtd", to_hex(quote.mr_td()));
    json::Value rtmrs = json::Value::array();
    for (size_t i = 0; i < 4; ++i) rtmrs.push_back(to_hex(quote.rtmr(i)));
    checks.set_tdx("rtmrs", std::move(rtmrs));

    std::vector<uint8_t> bound(quote.attestation_key.begin(), quote.attestation_key.end());
    bound.insert(bound.end(), quote.qe_auth_data.begin(), quote.qe_auth_data.end());
    const Sha256 binding = sha256(bound);
    const ByteSpan qe_report_data = quote.qe_report.subspan(320, 64);
    if (!std::equal(binding.begin(), binding.end(), qe_report_data.begin()) ||
        !std::all_of(qe_report_data.begin() + 32, qe_report_data.end(), [](uint8_t b) { return b == 0; }))
        checks.fail("qe_report_binding", invalid, "QE report data is not SHA-256(attestation key || QE auth data)");
    checks.pass("qe_report_binding", "QE report binds the attestation key");

    const std::vector<X509Ptr> chain = parse_pem_certificates(quote.pck_chain_pem);
    if (chain.size() < 2) checks.fail("pck_chain", invalid, "PCK certificate chain does not parse");
    const std::optional<PckExtension> pck = parse_pck_extension(chain.front().get());
    if (!pck) checks.fail("pck_chain", invalid, "PCK leaf has no valid SGX extension (FMSPC/TCB)");
    if (!verify_p256_signature(X509_get0_pubkey(chain.front().get()), quote.qe_report_signature, quote.qe_report))
        checks.fail("qe_report_signature", invalid, "QE report signature does not verify with the PCK leaf");
    checks.pass("qe_report_signature", "QE report signed by the PCK leaf");
    if (std::string why = roots_.verify(chain, now); !why.empty()) checks.fail("pck_chain", invalid, why);
    checks.pass("pck_chain", "PCK chain verifies to a pinned root; FMSPC " + to_hex(pck->fmspc));

    const bool debug = (quote.td_attributes() & kTdDebugBits) != 0 || quote.seam_attributes() != 0;
    checks.set_tdx("debug", debug);
    if (debug && !config_.allow_debug)
        checks.fail("td_debug", code::kDebugModeDetected, "TD attributes show a debug TD or debug TDX module");
    if (!std::all_of(quote.mr_signer_seam().begin(), quote.mr_signer_seam().end(), [](uint8_t b) { return b == 0; }))
        checks.fail("td_debug", invalid, "MRSIGNERSEAM is not Intel's (zero)");
    checks.pass("td_debug", debug ? "debug TD allowed by allow_debug" : "production TD (debug bits clear)");

    if (const std::shared_ptr<const Collateral> collateral = collateral_for(chain, *pck, now, checks)) {
        if (std::string why = collateral->check(roots_, chain, now); !why.empty())
            checks.fail("tcb_status", code::kTcbRejected, why);
        std::string status;
        try {
            status = evaluate_tcb_status(quote, *pck, collateral->tcb_info(), collateral->qe_identity());
        } catch (const TcbEvaluationError &e) {
            checks.fail("tcb_status", code::kTcbRejected, e.what());
        }
        checks.set_tdx("tcb_status", status);
        if (std::find(config_.accepted_tcb_status.begin(), config_.accepted_tcb_status.end(), status) ==
            config_.accepted_tcb_status.end())
            checks.fail("tcb_status", code::kTcbRejected, "TCB status " + status + " is not accepted");
        checks.pass("tcb_status", "TCB status " + status);
    } else {
        checks.set_tdx("tcb_status", "not-evaluated");
        checks.pass("tcb_status", "no collateral_file or pccs_url configured; TCB status not evaluated");
    }

    std::pair<std::array<uint8_t, 20>, std::string> expected;
    try {
        expected = expected_address(input, evidence);
    } catch (const Failure &f) {
        checks.fail("report_data_binding", f.code().c_str(), f.what());
    }
    const auto &[address, address_source] = expected;
    const BindingResult bound_data = check_report_data_binding(quote.report_data(), address, input.nonce_hex);
    if (!bound_data.address_matches)
        checks.fail("report_data_binding", invalid, "REPORTDATA[0..20] is not the " + address_source);
    if (!bound_data.padding_zero) checks.fail("report_data_binding", invalid, "REPORTDATA[20..32] is not zero");
    if (!bound_data.nonce) checks.fail("report_data_binding", invalid, "REPORTDATA[32..64] is not our nonce");
    const char *nonce_form = *bound_data.nonce == NonceBinding::Raw ? "raw" : "sha256";
    checks.set_tdx("report_data_binding", nonce_form);
    checks.pass("report_data_binding", "REPORTDATA binds 0x" + hex::encode(address.data(), address.size()) +
                                           " and the nonce (" + nonce_form + ")");
    if (evidence.quote_report_data) {
        if (!std::equal(evidence.quote_report_data->begin(), evidence.quote_report_data->end(),
                        quote.report_data().begin(), quote.report_data().end()))
            checks.fail("quote_report_data", invalid, "served quote_report_data differs from the quote's REPORTDATA");
        checks.pass("quote_report_data", "served quote_report_data equals the quote's REPORTDATA");
    }

    config_.measurements.check(input.model, quote, evidence, checks);
    checks.set_tdx("verified", true);
}

}  // namespace vep::tdx_dcap
