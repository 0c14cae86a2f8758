// Entry point of the tdx-dcap attestation plugin (attestation-tdx-dcap.so).
#include "tdx_dcap_verifier.hpp"
#include "vep/plugin.hpp"

VEP_PLUGIN(vep::tdx_dcap::TdxDcapVerifier, "tdx-dcap", "0.1.0",
           "Offline Intel TDX DCAP quote verification (v4/v5) with pinned root, REPORTDATA binding, TCB and measurements")
