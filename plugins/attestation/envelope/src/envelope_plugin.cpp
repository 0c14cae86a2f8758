// Plugin entry of attestation-envelope: registers EnvelopeVerifier as the "envelope" verifier.
#include "envelope_verifier.hpp"
#include "vep/plugin.hpp"

VEP_PLUGIN(vep::envelope::EnvelopeVerifier, "envelope", "1.0.0",
           "Envelope checks of a Venice attestation response: verdict, nonce/model echo, signing key and "
           "address, debug flags, TDX quote header and REPORTDATA binding, NVIDIA presence")
