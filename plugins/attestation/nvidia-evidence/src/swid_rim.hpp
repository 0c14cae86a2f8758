// A RIM in NVIDIA's own format: SWID XML (ISO/IEC 19770-2) with an enveloped XMLDSig signature,
// as NVIDIA's RIM service serves it (Base64 inside {"id", "rim"}) and as its .swidtag files hold it.
//
// Owns: the signature profile NVIDIA uses, and nothing wider — one ds:Signature child of the
// SoftwareIdentity, one Reference to the whole document (URI ""), the transforms enveloped-
// signature then Canonical XML (1.1 or 1.0, inclusive, without comments), SHA-384 digest,
// ECDSA-P384-SHA384 signature (raw r||s) by the first ds:X509Certificate, whose chain (the
// others, root last) must validate to a pinned RIM root at the verification time; then the
// golden measurements (ns0:Payload/ns0:Resource type="Measurement": index, active,
// Hash0..HashN in the xmlenc#sha384 namespace) and the version (ns0:Meta colloquialVersion).
// Any other algorithm, a second signature or reference, or an unexpected element fails closed.
// Called by rim_reader.cpp.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "signed_rim.hpp"

namespace vep::nvidia {

// The verified RIM; `rim_id` and `component` are the caller's (the file does not name its id),
// `version` is the document's colloquialVersion. Throws
// vep::Failure("attestation_invalid_nvidia_evidence", "RIM ...") on any doubt.
SignedRim verify_swid_rim(std::string_view xml, const std::set<std::string> &pinned_root_sha256, int64_t now);

}  // namespace vep::nvidia
