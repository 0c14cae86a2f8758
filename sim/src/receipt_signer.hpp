// ReceiptSigner: the simulator's side of Venice's signed response records. Owns the Ed25519
// receipt key (drawn at start), builds a model's workload keyset (its receipt_signing_keys entry
// and the model's E2EE key; published in the ACI attestation as attestation.workload_keyset, its
// digest "sha256:" + SHA-256 of the RFC 8785 form as workload_keyset_digest) and the body of
// GET /tee/signature for one completion: `text` "<sha256 request>:<sha256 response>" signed
// EIP-191 by the model key, `signing_address`, and the ACI `receipt` signed Ed25519 over its
// RFC 8785 form — or, under a receipt fault, one deliberately wrong part. Read by the attestation
// and signature handlers; immutable after construction.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "model_keys.hpp"
#include "runtime_settings.hpp"
#include "signed_exchanges.hpp"
#include "vep/json.hpp"

namespace vep::sim {

class ReceiptSigner {
  public:
    ReceiptSigner();

    const std::string &key_id() const { return key_id_; }
    json::Value workload_keyset(const std::string &model, const ModelKey &key) const;
    // "sha256:" + hex SHA-256 of the keyset's RFC 8785 form.
    static std::string keyset_digest(const json::Value &keyset);

    // The /tee/signature body for `completion_id`; `decoy` signs the text under wrong_signer.
    json::Value signature_document(const std::string &completion_id, const SignedExchange &exchange,
                                   const ModelKey &key, const ModelKey &decoy, ReceiptFault fault) const;

  private:
    std::array<uint8_t, 32> secret_{};
    std::string public_hex_;
    std::string key_id_;
};

}  // namespace vep::sim
