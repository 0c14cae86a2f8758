// Reads a RIM text in any format the plugin accepts and binds it to the id it was asked for.
//
// Owns: telling the formats apart — NVIDIA's SWID XML (a .swidtag file), NVIDIA's RIM service
// answer {"id": "<rim id>", "rim": "<Base64 of the SWID XML>"}, and the proxy's own "vep-rim-v1"
// envelope — and the binding: a vep-rim-v1 payload and a service answer name their id, which must
// be the one asked for; a SWID document does not, so its colloquialVersion must be the version
// the id ends with (the driver version; the VBIOS version without dots), as NVIDIA's verifiers
// check. The component ("driver" / "vbios") must be the one asked for. Called by the verifier.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "signed_rim.hpp"

namespace vep::nvidia {

// Throws vep::Failure("attestation_invalid_nvidia_evidence", "RIM ...") when the text is none of
// the formats, does not verify (swid_rim.hpp, signed_rim.hpp) or is not the RIM `rim_id` names.
SignedRim read_rim(const std::string &text, const std::string &rim_id, const std::string &component,
                   const std::set<std::string> &pinned_root_sha256, int64_t now);

}  // namespace vep::nvidia
