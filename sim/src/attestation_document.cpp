#include "attestation_document.hpp"

#include <algorithm>

#include <openssl/rand.h>

#include "receipt_signer.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "vep/sim/tdx_forge.hpp"

namespace vep::sim {
namespace {

constexpr uint16_t kQuoteVersion = 4;
constexpr size_t kHeaderSize = 48;
constexpr size_t kTdBody10Size = 584;

std::array<uint8_t, 32> random_nonce() {
    std::array<uint8_t, 32> n{};
    if (RAND_bytes(n.data(), static_cast<int>(n.size())) != 1)
        throw vep::Failure("sim_random_failed", "OpenSSL RAND_bytes failed");
    return n;
}

std::vector<uint8_t> forge(const std::array<uint8_t, 64> &report_data, bool debug, bool corrupt_signature) {
    tdx::QuoteSpec spec;
    spec.report_data = report_data;
    spec.debug = debug;
    spec.version = kQuoteVersion;
    std::vector<uint8_t> quote = tdx::forge_quote(spec);
    if (corrupt_signature) {
        // The quote signature follows the signed part (header + TD 1.0 body) and its u32 length.
        const size_t signature_offset = kHeaderSize + kTdBody10Size + 4;
        if (quote.size() <= signature_offset + 64)
            throw vep::Failure("sim_quote_forge_failed", "forged quote is shorter than its signature offset");
        quote[signature_offset] ^= 0x5a;
        quote[signature_offset + 40] ^= 0xa5;
    }
    return quote;
}

}  // namespace

std::array<uint8_t, 64> report_data_for(const std::string &address_hex, const std::array<uint8_t, 32> &nonce) {
    std::array<uint8_t, 64> rd{};
    const auto address = vep::hex::decode(vep::hex::strip_0x(address_hex));
    if (!address || address->size() != 20)
        throw vep::Failure("sim_invalid_address", "signing address is not 20 bytes of hex");
    std::copy(address->begin(), address->end(), rd.begin());
    std::copy(nonce.begin(), nonce.end(), rd.begin() + 32);
    return rd;
}

json::Value build_attestation_document(const AttestationRequest &request, const ModelKey &key,
                                       const ModelKey &decoy, const std::string &other_model,
                                       AttestationFault fault, AttestationShape shape,
                                       const json::Value &workload_keyset) {
    std::string nonce_echo = request.nonce_hex;
    std::array<uint8_t, 32> bound_nonce = request.nonce;
    if (fault == AttestationFault::NonceMismatch) {
        bound_nonce = random_nonce();
        nonce_echo = vep::hex::encode(bound_nonce.data(), bound_nonce.size());
    } else if (fault == AttestationFault::ReportDataNonceMismatch) {
        bound_nonce = random_nonce();
    }
    const std::string &bound_address =
        fault == AttestationFault::ReportDataAddressMismatch ? decoy.address : key.address;
    const std::array<uint8_t, 64> report_data = report_data_for(bound_address, bound_nonce);
    const bool debug = fault == AttestationFault::DebugQuote;
    const std::string quote_hex =
        vep::hex::encode(forge(report_data, debug, fault == AttestationFault::BadQuoteSignature));
    const std::string report_data_hex = vep::hex::encode(report_data.data(), report_data.size());

    const std::string model = fault == AttestationFault::ModelMismatch ? other_model : request.model;
    const std::string address = fault == AttestationFault::AddressMismatch ? decoy.address : key.address;
    const bool verified = fault != AttestationFault::NotVerified;

    json::Value doc = json::Value::object();
    if (shape == AttestationShape::Aci) {
        doc.set("api_version", "aci/1");
        doc.set("verified", verified);
        doc.set("nonce", nonce_echo);
        doc.set("model", model);
        doc.set("tee_provider", "phala");
        doc.set("tee_hardware", "intel-tdx");
        doc.set("debug", debug);
        doc.set("signing_public_key", key.public_hex);
        doc.set("signing_address", address);
        doc.set("signing_algo", "ecdsa");
        doc.set("workload_id", "venice-sim/" + request.model);
        doc.set("workload_keyset_digest", ReceiptSigner::keyset_digest(workload_keyset));
        json::Value evidence = json::Value::object();
        evidence.set("quote", quote_hex);
        evidence.set("quote_report_data", report_data_hex);
        json::Value attestation = json::Value::object();
        attestation.set("tee_type", "tdx");
        attestation.set("vendor", "venice-sim");
        attestation.set("evidence", std::move(evidence));
        attestation.set("workload_keyset", workload_keyset);
        doc.set("attestation", std::move(attestation));
    } else {
        doc.set("signing_address", address);
        doc.set("signing_algo", "ecdsa");
        doc.set("request_nonce", request.nonce_hex);
        doc.set("nonce", nonce_echo);
        doc.set("nonce_source", "client");
        doc.set("intel_quote", quote_hex);
        doc.set("quote", quote_hex);
        doc.set("quote_report_data", report_data_hex);
        doc.set("signing_public_key", key.public_hex);
        doc.set("verified", verified);
        doc.set("debug", debug);
        doc.set("model", model);
        doc.set("tee_provider", "phala");
        doc.set("tee_hardware", "intel-tdx");
        doc.set("upstream_model", model);
    }
    return doc;
}

}  // namespace vep::sim
