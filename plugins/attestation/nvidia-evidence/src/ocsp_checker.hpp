// Revocation of the GPU certificate chain through OCSP (RFC 6960), off unless configured.
//
// Owns: one OCSP request per certificate (SHA-1 CertID, POSTed as application/ocsp-request to
// `ocsp_url` or else the certificate's Authority Information Access OCSP URL; bounded by the
// timeout and kMaxResponseBytes), the response's checks (successful status, signature by the
// issuer or a responder the issuer delegated to, validated to the chain's pinned root at the
// verification time, the CertID answered, thisUpdate not in the future, nextUpdate not past),
// the verdict (good passes; revoked fails unless revoked less than `revoked_grace_seconds` ago;
// unknown fails unless `allow_unknown`), and a cache of good answers by CertID used until they
// expire (nextUpdate, or thisUpdate + kDefaultValiditySeconds without one). When the responder
// cannot be reached or gives no usable answer, a cached good answer is accepted for
// `unreachable_grace_seconds` past its expiry. Everything accepted by a grace rule is returned as
// a warning. Thread-safe. Caller: the verifier, one checker per plugin instance.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pinned_chain.hpp"

namespace vep::nvidia {

class OcspChecker {
  public:
    static constexpr size_t kMaxResponseBytes = 64 * 1024;
    static constexpr int64_t kDefaultValiditySeconds = 3600;
    static constexpr int64_t kClockSkewSeconds = 300;
    static constexpr size_t kMaxCachedAnswers = 1024;

    struct Settings {
        std::string responder_url;  // "" = each certificate's AIA OCSP URL
        std::chrono::milliseconds timeout{5000};
        bool allow_unknown = false;
        int64_t revoked_grace_seconds = 0;
        int64_t unreachable_grace_seconds = 0;
    };

    explicit OcspChecker(Settings settings);

    struct Result {
        size_t checked = 0;                 // certificates whose status was established
        std::vector<std::string> warnings;  // answers accepted under a grace rule
    };

    // Checks chain.certs[first .. size-2], each against the next certificate as its issuer, at
    // `now` (Unix seconds). Throws vep::Failure("attestation_invalid_nvidia_evidence", ...) naming
    // the certificate when one is revoked, unknown, or has no acceptable answer, or when there is
    // no certificate to check (fail closed: a pass must mean something was checked).
    Result check(const PinnedChain &chain, size_t first, int64_t now);

  private:
    struct GoodAnswer {
        int64_t this_update = 0;
        int64_t valid_until = 0;
    };
    enum class Status { Good, Revoked, Unknown, Unusable };
    struct Answer {
        Status status = Status::Unusable;
        GoodAnswer times;
        int64_t revoked_at = 0;
        std::string problem;  // why an answer is Unusable
    };

    Answer query(const PinnedChain &chain, size_t index, const std::string &url, int64_t now) const;
    void check_one(const PinnedChain &chain, size_t index, int64_t now, Result &result);

    Settings settings_;
    std::mutex mutex_;
    std::map<std::string, GoodAnswer> good_;  // by DER CertID
};

}  // namespace vep::nvidia
