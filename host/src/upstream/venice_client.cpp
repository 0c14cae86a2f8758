// See venice_client.hpp.
#include "upstream/venice_client.hpp"

#include <algorithm>
#include <cerrno>
#include <istream>

#include <Poco/Buffer.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>

#include "errors/proxy_error.hpp"
#include "net/poco_timespan.hpp"
#include "log/log.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

constexpr size_t kMaxFetchedBody = 16 * 1024 * 1024;

// A printable, bounded summary of an upstream error body (its error message only).
std::string summarise_error_body(const std::string &body) {
    std::string message;
    try {
        const json::Value v = json::parse(body);
        if (const json::Value *e = v.find("error")) {
            if (e->is_string()) message = e->as_string();
            else if (const json::Value *m = e->find("message"); m && m->is_string()) message = m->as_string();
        } else if (const json::Value *m = v.find("message"); m && m->is_string()) {
            message = m->as_string();
        }
    } catch (const json::ParseError &) {
        return {};
    }
    std::string out;
    for (char c : message) {
        if (out.size() >= 200) {
            out += "...";
            break;
        }
        out += (c >= 0x20 && c < 0x7f) ? c : ' ';
    }
    return out;
}

[[noreturn]] void throw_transport(const Poco::Exception &e) {
    if (dynamic_cast<const Poco::TimeoutException *>(&e))
        throw ProxyError::of("upstream_timeout", "Venice upstream request timed out");
    throw ProxyError::of("upstream_unavailable", "Venice upstream is unavailable: " + e.displayText());
}

[[noreturn]] void throw_status(int status, const std::string &body) {
    const std::string summary = summarise_error_body(body);
    const std::string suffix = summary.empty() ? "" : " (" + summary + ")";
    if (status == 401 || status == 403)
        throw ProxyError::of("upstream_authentication_failed",
                             "Venice upstream rejected the API key with status " + std::to_string(status) + suffix);
    throw ProxyError::of("upstream_status_error", "Venice upstream returned status " + std::to_string(status) + suffix);
}

// Reads at most `limit` bytes of an error body, quickly and without failing.
std::string read_error_body(std::istream &in, size_t limit) {
    std::string body;
    char buf[4096];
    try {
        while (body.size() < limit && in.read(buf, sizeof buf).gcount() > 0) body.append(buf, static_cast<size_t>(in.gcount()));
    } catch (const Poco::Exception &) {
    }
    return body;
}

}  // namespace

VeniceClient::VeniceClient(const VeniceConfig &config) : timeout_(config.request_timeout) {
    if (config.api_key.blank())
        throw ProxyError::of("venice_api_key_missing", "Venice API key is not configured (set venice.api_key or "
                                                       "VENICE_E2EE_PROXY__VENICE__API_KEY)");
    try {
        base_ = Poco::URI(config.base_url);
    } catch (const Poco::Exception &e) {
        throw ProxyError::of("venice_client_configuration_failed", "invalid venice.base_url: " + e.displayText());
    }
    if ((base_.getScheme() != "http" && base_.getScheme() != "https") || base_.getHost().empty())
        throw ProxyError::of("venice_client_configuration_failed", "venice.base_url must be an http(s) URL with a host");
    base_path_ = base_.getPath();
    if (base_path_.empty() || base_path_.back() != '/') base_path_ += '/';
    authorization_ = "Bearer " + config.api_key.expose();
    if (base_.getScheme() == "https") {
        try {
            Poco::Net::initializeSSL();
            tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", config.ca_file,
                                          Poco::Net::Context::VERIFY_RELAXED, 9, config.ca_file.empty());
            tls_->enableExtendedCertificateVerification(true);
            Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(new Poco::Net::RejectCertificateHandler(false));
            Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, tls_);
        } catch (const Poco::Exception &e) {
            throw ProxyError::of("venice_client_configuration_failed", "TLS setup failed: " + e.displayText());
        }
    }
}

std::unique_ptr<Poco::Net::HTTPClientSession> VeniceClient::connect() const {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (tls_) session = std::make_unique<Poco::Net::HTTPSClientSession>(base_.getHost(), base_.getPort(), tls_);
    else session = std::make_unique<Poco::Net::HTTPClientSession>(base_.getHost(), base_.getPort());
    session->setTimeout(to_timespan(timeout_), to_timespan(timeout_), to_timespan(timeout_));
    session->setKeepAlive(false);
    return session;
}

std::string VeniceClient::fetch(const std::string &path_and_query) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    auto session = connect();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, base_path_ + path_and_query,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", authorization_);
    request.set("Accept", "application/json");
    Poco::Net::HTTPResponse response;
    std::string body;
    try {
        session->sendRequest(request);
        std::istream &in = session->receiveResponse(response);
        const int status = static_cast<int>(response.getStatus());
        if (status < 200 || status >= 300) throw_status(status, read_error_body(in, 65536));
        char buf[16384];
        for (;;) {
            const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (remaining.count() <= 0) throw ProxyError::of("upstream_timeout", "Venice upstream request timed out");
            session->socket().setReceiveTimeout(to_timespan(remaining));
            in.read(buf, sizeof buf);
            const auto n = in.gcount();
            if (n > 0) body.append(buf, static_cast<size_t>(n));
            if (body.size() > kMaxFetchedBody)
                throw ProxyError::of("upstream_malformed_response", "Venice upstream response is larger than 16 MiB");
            if (!in) break;
        }
        if (in.bad()) {
            if (session->networkException()) throw_transport(*session->networkException());
            throw ProxyError::of("upstream_unavailable", "reading the Venice upstream response failed");
        }
    } catch (const Poco::Exception &e) {
        throw_transport(e);
    }
    return body;
}

std::string VeniceClient::get_models() const { return fetch("models"); }

std::string VeniceClient::get_attestation(const std::string &model, const std::string &nonce_hex) const {
    std::string query;
    Poco::URI::encode(model, "&=+?#/ ", query);
    return fetch("tee/attestation?model=" + query + "&nonce=" + nonce_hex);
}

UpstreamAttempt VeniceClient::open_chat(const std::string &body, const std::string &client_public_hex,
                                        const std::string &model_public_hex) const {
    return open(body, &client_public_hex, &model_public_hex);
}

UpstreamAttempt VeniceClient::open_tee_only_chat(const std::string &body) const { return open(body, nullptr, nullptr); }

UpstreamAttempt VeniceClient::open(const std::string &body, const std::string *client_public_hex,
                                   const std::string *model_public_hex) const {
    auto session = connect();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, base_path_ + "chat/completions",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", authorization_);
    request.set("Accept", "text/event-stream");
    request.setContentType("application/json");
    if (client_public_hex && model_public_hex) {
        request.set("X-Venice-TEE-Client-Pub-Key", *client_public_hex);
        request.set("X-Venice-TEE-Model-Pub-Key", *model_public_hex);
        request.set("X-Venice-TEE-Signing-Algo", "ecdsa");
    }
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    Poco::Net::HTTPResponse response;
    try {
        session->sendRequest(request) << body;
        std::istream &in = session->receiveResponse(response);
        const int status = static_cast<int>(response.getStatus());
        if (status < 200 || status >= 300) throw_status(status, read_error_body(in, 65536));
        UpstreamAttempt attempt;
        if (response.getChunkedTransferEncoding()) {
            attempt.framing = BodyFraming::Chunked;
        } else if (response.hasContentLength()) {
            attempt.framing = BodyFraming::Length;
            attempt.content_length = static_cast<uint64_t>(response.getContentLength64());
        }
        Poco::Buffer<char> buffered(0);
        session->drainBuffer(buffered);
        attempt.initial_bytes.assign(buffered.begin(), buffered.size());
        attempt.socket = session->detachSocket();
        attempt.tls = tls_ != nullptr;
        return attempt;
    } catch (const Poco::Exception &e) {
        throw_transport(e);
    }
}

}  // namespace vep::host
