// RIM lookup and cache (see rim_store.hpp).
#include "rim_store.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "signed_rim.hpp"
#include "vep/attestation/bounded_http_client.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::nvidia {
namespace {

constexpr size_t kMaxRimIdLength = 128;

[[noreturn]] void unavailable(const std::string &rim_id, const std::string &why) {
    throw Failure("attestation_invalid_nvidia_evidence", "RIM " + rim_id + ": " + why);
}

bool valid_rim_id(const std::string &id) {
    return !id.empty() && id.size() <= kMaxRimIdLength && id.front() != '.' &&
           std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                      c == '-';
           });
}

}  // namespace

RimStore::RimStore(std::string directory, const std::string &service_url, std::chrono::milliseconds timeout)
    : directory_(std::move(directory)) {
    const std::string url(trim_ascii(service_url));
    if (url.empty()) return;
    try {
        const Poco::URI uri(url);
        if (!uri.getQuery().empty() || !uri.getFragment().empty())
            throw Failure("invalid_config", "rim_service_url must not have a query or fragment");
        http_ = std::make_unique<attestation::BoundedHttpClient>(uri.getScheme(), uri.getHost(), uri.getPort(), timeout,
                                                                 kMaxRimBytes);
        service_origin_ = uri.getScheme() + "://" + uri.getAuthority();
        service_path_ = uri.getPath();
        if (service_path_.empty() || service_path_.back() != '/') service_path_ += '/';
    } catch (const Poco::Exception &e) {
        throw Failure("invalid_config", "rim_service_url is not a URL: " + e.displayText());
    } catch (const std::invalid_argument &e) {
        throw Failure("invalid_config", std::string("rim_service_url: ") + e.what());
    } catch (const attestation::HttpFetchError &e) {
        throw Failure("invalid_config", std::string("rim_service_url: ") + e.what());
    }
}

RimStore::~RimStore() = default;

std::string RimStore::text(const std::string &rim_id) {
    if (!valid_rim_id(rim_id)) unavailable(rim_id, "is not a valid RIM id");
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (const auto it = cache_.find(rim_id); it != cache_.end()) return it->second;
    }
    std::string found = from_directory(rim_id);
    if (found.empty()) found = from_service(rim_id);
    if (found.empty())
        unavailable(rim_id, "not found (no file " + rim_id + ".json or .swidtag in rim_directory and no rim_service_url)");
    std::lock_guard<std::mutex> lock(mutex_);
    if (cache_.size() >= kMaxCachedRims) cache_.erase(cache_.begin());
    cache_[rim_id] = found;
    return found;
}

std::string RimStore::from_directory(const std::string &rim_id) const {
    if (directory_.empty()) return "";
    for (const char *extension : {".json", ".swidtag"}) {
        std::ifstream in(directory_ + "/" + rim_id + extension, std::ios::binary);
        if (!in) continue;
        std::string text;
        char buffer[16384];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            text.append(buffer, static_cast<size_t>(in.gcount()));
            if (text.size() > kMaxRimBytes)
                unavailable(rim_id, "file is larger than " + std::to_string(kMaxRimBytes) + " bytes");
        }
        if (text.empty()) unavailable(rim_id, std::string("file ") + rim_id + extension + " is empty");
        return text;
    }
    return "";
}

std::string RimStore::from_service(const std::string &rim_id) const {
    if (!http_) return "";
    const std::string where = service_origin_ + service_path_ + rim_id;
    attestation::HttpResponse response;
    try {
        response = http_->get(service_path_ + rim_id);
    } catch (const attestation::HttpFetchError &e) {
        unavailable(rim_id, "fetching " + where + " failed: " + e.what());
    }
    if (response.status != 200) unavailable(rim_id, where + " answered HTTP " + std::to_string(response.status));
    if (response.body.empty()) unavailable(rim_id, where + " answered an empty body");
    return response.body;
}

}  // namespace vep::nvidia
