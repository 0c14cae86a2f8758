// Bounded HTTP(S) GET (see bounded_http_client.hpp).
#include "vep/attestation/bounded_http_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Timespan.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <istream>
#include <memory>

namespace vep::attestation {
namespace {

using Clock = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// A session whose every socket read and write gets only the time left before `deadline`, so a
// server that trickles bytes cannot stretch one request past its budget.
template <class Session>
class DeadlineSession : public Session {
  public:
    template <class... Args>
    explicit DeadlineSession(Clock::time_point deadline, Args &&...args)
        : Session(std::forward<Args>(args)...), deadline_(deadline) {
        const Poco::Timespan budget = remaining();
        this->setTimeout(budget, budget, budget);
        this->setKeepAlive(false);
    }

  protected:
    int read(char *buffer, std::streamsize length) override {
        arm();
        return Session::read(buffer, length);
    }
    int write(const char *buffer, std::streamsize length) override {
        arm();
        return Session::write(buffer, length);
    }

  private:
    Poco::Timespan remaining() const {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline_ - Clock::now()).count();
        if (left <= 0) throw Poco::TimeoutException("request deadline passed");
        return Poco::Timespan(left);
    }
    void arm() {
        const Poco::Timespan left = remaining();
        this->setTimeout(left, left, left);
    }
    Clock::time_point deadline_;
};

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto &[key, value] : headers)
        if (iequals(key, name)) return value;
    return std::nullopt;
}

BoundedHttpClient::BoundedHttpClient(const std::string &scheme, const std::string &host, uint16_t port,
                                     std::chrono::milliseconds timeout, size_t max_body_bytes)
    : host_(host), port_(port), timeout_(timeout), max_body_bytes_(max_body_bytes) {
    if (host.empty()) throw std::invalid_argument("URL has no host");
    if (scheme == "http") return;
    if (scheme != "https") throw std::invalid_argument("URL scheme must be http or https");
    try {
        Poco::Net::initializeSSL();
        tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                      Poco::Net::Context::VERIFY_RELAXED, 9, true /* system CA store */);
        tls_->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        tls_->enableExtendedCertificateVerification(true);  // host name must match the certificate
        // OpenSSL's own verdict, not Poco's process-wide invalid-certificate handler: an untrusted
        // peer fails the handshake whatever the host application configured in SSLManager.
        SSL_CTX_set_verify(tls_->sslContext(), SSL_VERIFY_PEER, nullptr);
    } catch (const Poco::Exception &e) {
        throw HttpFetchError("TLS setup failed: " + e.displayText());
    }
}

BoundedHttpClient::~BoundedHttpClient() {
    if (tls_) {
        tls_.reset();
        Poco::Net::uninitializeSSL();
    }
}

HttpResponse BoundedHttpClient::get(const std::string &path_and_query) const {
    return send(Poco::Net::HTTPRequest::HTTP_GET, path_and_query, "", "");
}

HttpResponse BoundedHttpClient::post(const std::string &path_and_query, const std::string &content_type,
                                     const std::string &body) const {
    return send(Poco::Net::HTTPRequest::HTTP_POST, path_and_query, content_type, body);
}

HttpResponse BoundedHttpClient::send(const std::string &method, const std::string &path_and_query,
                                     const std::string &content_type, const std::string &body) const {
    const Clock::time_point deadline = Clock::now() + timeout_;
    HttpResponse out;
    try {
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (tls_) session = std::make_unique<DeadlineSession<Poco::Net::HTTPSClientSession>>(deadline, host_, port_, tls_);
        else session = std::make_unique<DeadlineSession<Poco::Net::HTTPClientSession>>(deadline, host_, port_);
        Poco::Net::HTTPRequest request(method, path_and_query, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(false);
        request.set("Accept", "application/json, application/pkix-crl, application/ocsp-response, */*");
        if (method == Poco::Net::HTTPRequest::HTTP_POST) {
            request.setContentType(content_type);
            request.setContentLength64(static_cast<Poco::Int64>(body.size()));
        }
        session->sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream &in = session->receiveResponse(response);
        in.exceptions(std::ios::badbit);
        out.status = static_cast<int>(response.getStatus());
        for (const auto &[key, value] : response) out.headers.emplace_back(key, value);
        const bool has_length = response.hasContentLength();
        if (has_length && response.getContentLength64() > static_cast<Poco::Int64>(max_body_bytes_))
            throw HttpFetchError("response body of " + std::to_string(response.getContentLength64()) +
                                 " bytes is larger than the " + std::to_string(max_body_bytes_) + "-byte limit");
        char buffer[16384];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            out.body.append(buffer, static_cast<size_t>(in.gcount()));
            if (out.body.size() > max_body_bytes_)
                throw HttpFetchError("response body is larger than the " + std::to_string(max_body_bytes_) +
                                     "-byte limit");
        }
        if (has_length && static_cast<Poco::Int64>(out.body.size()) != response.getContentLength64())
            throw HttpFetchError("response body is truncated");
    } catch (const Poco::TimeoutException &) {
        throw HttpFetchError("no complete response within " + std::to_string(timeout_.count()) + " ms");
    } catch (const Poco::Exception &e) {
        throw HttpFetchError(e.displayText());
    } catch (const std::ios_base::failure &e) {
        throw HttpFetchError(std::string("reading the response failed: ") + e.what());
    }
    return out;
}

}  // namespace vep::attestation
