// Where the plugin gets RIMs: a directory of RIM files (offline) and, optionally, a RIM service.
//
// Owns: the lookup order (cache, then `<directory>/<rim_id>.json` or `.swidtag`, then GET
// `<service_url><rim_id>`),
// the RIM id syntax (letters, digits, '.', '_', '-': an id never names another path), the bounds
// of a fetch (timeout, kMaxRimBytes, no redirects) and a cache of the RIM texts by id (at most
// kMaxCachedRims; failures are not cached). The texts are not trusted here: every use verifies
// the signature (rim_reader.hpp). Thread-safe. Caller: the verifier, one store per plugin instance.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace vep::attestation {
class BoundedHttpClient;
}

namespace vep::nvidia {

class RimStore {
  public:
    static constexpr size_t kMaxCachedRims = 256;

    // `directory` and `service_url` may be empty (not used). Throws vep::Failure("invalid_config")
    // for a service URL that is not http(s) with a host.
    RimStore(std::string directory, const std::string &service_url, std::chrono::milliseconds timeout);
    ~RimStore();

    // The RIM text for `rim_id`. Throws vep::Failure("attestation_invalid_nvidia_evidence", ...)
    // when no source has it or a fetch fails.
    std::string text(const std::string &rim_id);

  private:
    std::string from_directory(const std::string &rim_id) const;
    std::string from_service(const std::string &rim_id) const;

    std::string directory_;
    std::string service_origin_;  // for messages
    std::string service_path_;    // ends with '/'
    std::unique_ptr<attestation::BoundedHttpClient> http_;
    std::mutex mutex_;
    std::map<std::string, std::string> cache_;
};

}  // namespace vep::nvidia
