// The envelope verifier: the reference proxy's attestation checks, in its order, with its codes.
//
// Owns: the policy (shared knobs + freshness_skew_seconds) and the check sequence over one
// upstream body: verdict, nonce echo, model echo, signing key normalisation, Keccak-256 address,
// root debug, TDX quote header / REPORTDATA binding, NVIDIA presence gate, freshness.
// Deliberate differences from the reference: require_tdx only demands a quote here (the host
// fails with attestation_verifier_unavailable when no verifier set tdx.verified); an NVIDIA
// payload under when_present/required is reported "present-unverified" for a later verifier.
// Created by the plugin entry (envelope_plugin.cpp) from the plugin config; called by the host.
#pragma once

#include <cstdint>

#include <string>

#include "vep/attestation/check_log.hpp"
#include "vep/attestation/policy.hpp"
#include "vep/sdk.hpp"

namespace vep::envelope {

struct EnvelopeFields;

class EnvelopeVerifier : public AttestationVerifier {
  public:
    explicit EnvelopeVerifier(const json::Value &config);
    void verify(const AttestationInput &input, json::Value &report) override;

  private:
    void check_tdx(attestation::CheckLog &log, const EnvelopeFields &f, const std::string &key,
                   const std::string &address, const AttestationInput &in, json::Value &report) const;
    void check_nvidia(attestation::CheckLog &log, const EnvelopeFields &f, const AttestationInput &in,
                      json::Value &report) const;
    attestation::AttestationPolicy policy_;
    int64_t freshness_skew_seconds_ = 60;
};

}  // namespace vep::envelope
