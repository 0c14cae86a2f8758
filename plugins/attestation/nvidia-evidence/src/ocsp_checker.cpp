// OCSP revocation checks (see ocsp_checker.hpp).
#include "ocsp_checker.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "vep/attestation/bounded_http_client.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::nvidia {
namespace {

[[noreturn]] void fail(const std::string &subject, const std::string &why) {
    ERR_clear_error();
    throw Failure("attestation_invalid_nvidia_evidence", "GPU certificate \"" + subject + "\": " + why);
}

std::string der_of(OCSP_CERTID *id) {
    unsigned char *der = nullptr;
    const int len = i2d_OCSP_CERTID(id, &der);
    if (len <= 0) return "";
    std::string out(reinterpret_cast<const char *>(der), static_cast<size_t>(len));
    OPENSSL_free(der);
    return out;
}

int64_t unix_time(const ASN1_GENERALIZEDTIME *t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return static_cast<int64_t>(timegm(&tm));
}

std::string responder_url_of(X509 *cert) {
    STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(cert);
    std::string url = urls && sk_OPENSSL_STRING_num(urls) > 0 ? sk_OPENSSL_STRING_value(urls, 0) : "";
    X509_email_free(urls);
    return url;
}

std::string utc(int64_t t) {
    const time_t tt = static_cast<time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

OcspChecker::OcspChecker(Settings settings) : settings_(std::move(settings)) {}

OcspChecker::Result OcspChecker::check(const PinnedChain &chain, size_t first, int64_t now) {
    Result result;
    if (first + 1 >= chain.certs.size())
        fail(certificate_subject(chain.certs.front().get()), "the chain has no certificate below the root to check");
    for (size_t i = first; i + 1 < chain.certs.size(); ++i) check_one(chain, i, now, result);
    return result;
}

void OcspChecker::check_one(const PinnedChain &chain, size_t index, int64_t now, Result &result) {
    X509 *cert = chain.certs[index].get();
    const std::string subject = certificate_subject(cert);
    OpenSslPtr<OCSP_CERTID> id(OCSP_cert_to_id(nullptr, cert, chain.certs[index + 1].get()));
    if (!id) fail(subject, "cannot build its OCSP certificate id");
    const std::string key = der_of(id.get());
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (const auto it = good_.find(key); it != good_.end() && now <= it->second.valid_until &&
                                             it->second.this_update <= now + kClockSkewSeconds) {
            ++result.checked;
            return;
        }
    }
    const std::string url = settings_.responder_url.empty() ? responder_url_of(cert) : settings_.responder_url;
    if (url.empty()) fail(subject, "has no OCSP responder URL and ocsp_url is not set");
    const Answer answer = query(chain, index, url, now);
    switch (answer.status) {
    case Status::Good: {
        std::lock_guard<std::mutex> lock(mutex_);
        if (good_.size() >= kMaxCachedAnswers && !good_.count(key)) good_.erase(good_.begin());
        good_[key] = answer.times;
        ++result.checked;
        return;
    }
    case Status::Revoked:
        if (settings_.revoked_grace_seconds > 0 && now - answer.revoked_at <= settings_.revoked_grace_seconds) {
            result.warnings.push_back("\"" + subject + "\" was revoked at " + utc(answer.revoked_at) +
                                      ", accepted within ocsp_revoked_grace_seconds");
            ++result.checked;
            return;
        }
        fail(subject, "revoked at " + utc(answer.revoked_at) + " (OCSP " + url + ")");
    case Status::Unknown:
        if (settings_.allow_unknown) {
            result.warnings.push_back("\"" + subject + "\" is unknown to OCSP " + url + ", accepted by ocsp_allow_unknown");
            ++result.checked;
            return;
        }
        fail(subject, "status unknown to OCSP " + url);
    case Status::Unusable:
        break;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = good_.find(key);
    if (it != good_.end() && now <= it->second.valid_until + settings_.unreachable_grace_seconds) {
        result.warnings.push_back("no OCSP answer for \"" + subject + "\" (" + answer.problem + "); the good answer of " +
                                  utc(it->second.this_update) + " is accepted within ocsp_unreachable_grace_seconds");
        ++result.checked;
        return;
    }
    fail(subject, "no OCSP answer (" + answer.problem + ")" +
                      (it == good_.end() ? std::string(" and no earlier good answer")
                                         : " and the last good answer expired at " + utc(it->second.valid_until) +
                                               ", beyond ocsp_unreachable_grace_seconds"));
}

OcspChecker::Answer OcspChecker::query(const PinnedChain &chain, size_t index, const std::string &url, int64_t now) const {
    X509 *cert = chain.certs[index].get();
    const std::string subject = certificate_subject(cert);
    Answer out;
    const auto unusable = [&](const std::string &problem) {
        ERR_clear_error();
        out.status = Status::Unusable;
        out.problem = problem;
        return out;
    };
    OpenSslPtr<OCSP_CERTID> id(OCSP_cert_to_id(nullptr, cert, chain.certs[index + 1].get()));
    OpenSslPtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
    if (!id || !request || !OCSP_request_add0_id(request.get(), OCSP_CERTID_dup(id.get())))
        fail(subject, "cannot build an OCSP request");
    unsigned char *der = nullptr;
    const int der_len = i2d_OCSP_REQUEST(request.get(), &der);
    if (der_len <= 0) fail(subject, "cannot encode an OCSP request");
    const std::string body(reinterpret_cast<const char *>(der), static_cast<size_t>(der_len));
    OPENSSL_free(der);

    attestation::HttpResponse response;
    try {
        const Poco::URI uri(url);
        const attestation::BoundedHttpClient http(uri.getScheme(), uri.getHost(), uri.getPort(), settings_.timeout,
                                                  kMaxResponseBytes);
        const std::string target = uri.getPathEtc().empty() ? "/" : uri.getPathEtc();
        response = http.post(target, "application/ocsp-request", body);
    } catch (const attestation::HttpFetchError &e) {
        return unusable(url + ": " + e.what());
    } catch (const Poco::Exception &e) {
        fail(subject, "OCSP URL " + url + " is not usable: " + e.displayText());
    } catch (const std::invalid_argument &e) {
        fail(subject, "OCSP URL " + url + " is not usable: " + e.what());
    }
    if (response.status != 200) return unusable(url + " answered HTTP " + std::to_string(response.status));

    const auto *p = reinterpret_cast<const unsigned char *>(response.body.data());
    OpenSslPtr<OCSP_RESPONSE> parsed(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(response.body.size())));
    if (!parsed) return unusable(url + " answered something that is not an OCSP response");
    const int status = OCSP_response_status(parsed.get());
    if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL)
        return unusable(url + " answered " + OCSP_response_status_str(status));
    OpenSslPtr<OCSP_BASICRESP> basic(OCSP_response_get1_basic(parsed.get()));
    if (!basic) return unusable(url + " answered without a basic response");

    OpenSslPtr<X509_STORE> store(X509_STORE_new());
    OpenSslPtr<STACK_OF(X509)> untrusted(sk_X509_new_null());
    if (!store || !untrusted || !X509_STORE_add_cert(store.get(), chain.certs.back().get())) fail(subject, "out of memory");
    for (size_t i = 0; i + 1 < chain.certs.size(); ++i)
        if (!sk_X509_push(untrusted.get(), chain.certs[i].get())) fail(subject, "out of memory");
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()), static_cast<time_t>(now));
    if (OCSP_basic_verify(basic.get(), untrusted.get(), store.get(), 0) != 1)
        fail(subject, "the OCSP response from " + url + " is not signed by the certificate's issuer or its delegated responder");

    int cert_status = -1, reason = -1;
    ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
    if (OCSP_resp_find_status(basic.get(), id.get(), &cert_status, &reason, &revoked_at, &this_update, &next_update) != 1)
        fail(subject, "the OCSP response from " + url + " does not answer for this certificate");
    out.times.this_update = unix_time(this_update);
    out.times.valid_until = next_update ? unix_time(next_update) : out.times.this_update + kDefaultValiditySeconds;
    if (out.times.this_update == 0 || out.times.this_update > now + kClockSkewSeconds)
        return unusable(url + " answered with a thisUpdate in the future");
    if (now > out.times.valid_until) return unusable(url + " answered with an expired response (nextUpdate " +
                                                     utc(out.times.valid_until) + ")");
    ERR_clear_error();
    switch (cert_status) {
    case V_OCSP_CERTSTATUS_GOOD: out.status = Status::Good; break;
    case V_OCSP_CERTSTATUS_REVOKED:
        out.status = Status::Revoked;
        out.revoked_at = unix_time(revoked_at);
        break;
    default: out.status = Status::Unknown; break;
    }
    return out;
}

}  // namespace vep::nvidia
