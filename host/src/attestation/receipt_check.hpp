// check_receipt: one signed response record (the body of Venice's GET /tee/signature) checked
// against the attestation the request was sent under and what the proxy itself sent and received.
//
// Checks, by name: `signature_response` (the body's shape), `eip191_signature` (the `text`'s
// EIP-191 signature recovers to the attested signing address), `signing_address` (a served
// address equals it), `request_hash` / `response_hash` (the `text`'s "<sha256 req>:<sha256 resp>"
// against the SHA-256 of the exact request body the proxy sent and response body it received),
// `receipt_key` (the ACI receipt's key is an ed25519 key of the attested workload keyset),
// `receipt_signature` (Ed25519 over the receipt's RFC 8785 form without signature.value),
// `receipt_keyset_digest` (the receipt names the attested keyset), `receipt_chat_id` (the
// receipt is for this completion), `receipt_request_hash` / `receipt_response_hash` (the
// event log's request.received / response.returned body hashes against the same SHA-256s).
// A hash that differs is "unverifiable", not failed: Venice re-serialises request and response
// between the proxy and the enclave, so a difference proves nothing either way; a match proves
// the signed record covers exactly those bytes. Every other check passes or fails.
// Pure function; called by the ReceiptService.
#pragma once

#include <string>

#include "vep/json.hpp"

namespace vep::host {

// What the proxy knows about the exchange whose receipt is checked.
struct ReceiptEvidence {
    std::string completion_id;    // the upstream completion id (request_id of /tee/signature)
    std::string request_sha256;   // hex SHA-256 of the request body the proxy sent
    std::string response_sha256;  // hex SHA-256 of the response body it received (framing removed)
};

// The result: `checks` is an array of {name, status ("pass", "fail", "unverifiable"), detail};
// verified when no check failed.
struct ReceiptVerdict {
    bool verified = false;
    json::Value checks = json::Value::array();
    std::string failed;  // names of the failed checks, comma-separated
};

// `attested_report` is the merged attestation report the request went out under (its
// signing_address and workload_keyset {digest, receipt_signing_keys}).
ReceiptVerdict check_receipt(const std::string &signature_body, const ReceiptEvidence &evidence,
                             const json::Value &attested_report);

}  // namespace vep::host
