// Faults and shapes switched at run time through POST /_sim/config (or SimServer::configure):
// which attestation fault to inject (to every model or to one), which /models fault, which
// /tee/signature fault, and the attestation body shape.
// Thread-safe: written by the admin handler, read by every API handler.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace vep::sim {

enum class AttestationFault {
    None,
    NonceMismatch,              // echoed nonce (and REPORTDATA nonce) differ from the request
    ModelMismatch,              // "model" names another model
    AddressMismatch,            // signing_address is not the key's address
    NotVerified,                // verified: false
    DebugQuote,                 // TD attributes DEBUG bit set and root debug: true
    BadQuoteSignature,          // quote signature bytes corrupted
    ReportDataAddressMismatch,  // REPORTDATA[0..20] holds another address
    ReportDataNonceMismatch,    // REPORTDATA[32..64] holds another nonce (echo stays right)
    Unauthorized,               // HTTP 401
    ServerError                 // HTTP 500
};

enum class ModelsFault { None, Unauthorized, ServerError, Malformed, InvalidJson, Slow };

enum class AttestationShape { Aci, Flat };

// What GET /tee/signature gets wrong.
enum class ReceiptFault {
    None,
    BadSignature,         // the text's EIP-191 signature has a flipped byte
    WrongSigner,          // the text is signed by a key other than the attested one
    OtherRequest,         // the receipt names another completion (both signatures valid)
    BadReceiptSignature,  // the receipt's Ed25519 signature has a flipped byte
    Missing               // HTTP 404: no record for the completion
};

struct RuntimeSettingsValues {
    AttestationFault attestation_fault = AttestationFault::None;
    std::string attestation_fault_model;  // the one model attestation_fault applies to; "" = every model
    ModelsFault models_fault = ModelsFault::None;
    AttestationShape attestation_shape = AttestationShape::Aci;
    ReceiptFault receipt_fault = ReceiptFault::None;
};

class RuntimeSettings {
  public:
    RuntimeSettingsValues get() const;
    // Applies the keys present in a JSON object; throws vep::Failure("invalid_sim_config", ...)
    // and changes nothing when any key or value is unknown.
    void apply_json(std::string_view config_json);
    void reset();

  private:
    mutable std::mutex mu_;
    RuntimeSettingsValues values_;
};

const char *to_string(AttestationFault fault);
const char *to_string(ModelsFault fault);
const char *to_string(AttestationShape shape);
const char *to_string(ReceiptFault fault);
// Throws vep::Failure("invalid_sim_config", ...) for unknown names.
AttestationShape parse_attestation_shape(std::string_view name);

}  // namespace vep::sim
