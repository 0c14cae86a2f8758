// Plugin entry of attestation-nvidia-evidence: registers NvidiaEvidenceVerifier as "nvidia-evidence".
#include "nvidia_evidence_verifier.hpp"
#include "vep/plugin.hpp"

VEP_PLUGIN(vep::nvidia::NvidiaEvidenceVerifier, "nvidia-evidence", "1.0.0",
           "Offline NVIDIA GPU evidence verification: SPDM nonce binding, ECDSA-P384 signature, certificate "
           "chain to a pinned NVIDIA Device Identity root, firmware ID")
