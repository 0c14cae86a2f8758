// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte string a JSON value signs as.
//
// Owns nothing: a pure function over vep::json::Value. Object members sorted by their names' UTF-16
// code units, no whitespace, strings escaped as ECMAScript JSON.stringify does, numbers in the
// ECMAScript Number-to-string form (shortest round trip; 1e+21, 0.000001, 1e-7). Callers: the
// Ed25519 receipt check (host receipts), the ACI keyset digest, sim/ (signing receipts).
#pragma once

#include <string>

#include "vep/json.hpp"

namespace vep::attestation {

// Throws vep::Failure("receipt_malformed", ...) for a number that is not finite (JCS has no
// representation for it) or a string that is not valid UTF-8.
std::string canonical_json(const json::Value &value);

}  // namespace vep::attestation
