// See venice_client.hpp.
#include "upstream/venice_client.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <istream>

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
#include "http/poco_timespan.hpp"
#include "log/log.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

constexpr size_t kMaxFetchedBody = 16 * 1024 * 1024;
constexpr std::chrono::milliseconds kPollSlice{200};

// HTTP(S) sessions that can tell how many response bytes they hold unread.
class PlainSession : public Poco::Net::HTTPClientSession {
  public:
    using HTTPClientSession::HTTPClientSession;
    int pending() const { return buffered(); }
};
class TlsSession : public Poco::Net::HTTPSClientSession {
  public:
    using HTTPSClientSession::HTTPSClientSession;
    int pending() const { return buffered(); }
};

int pending_bytes(Poco::Net::HTTPClientSession &session) {
    if (auto *p = dynamic_cast<PlainSession *>(&session)) return p->pending();
    if (auto *t = dynamic_cast<TlsSession *>(&session)) return t->pending();
    return 0;
}


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

class PocoChatStream final : public ChatStream {
  public:
    PocoChatStream(std::unique_ptr<Poco::Net::HTTPClientSession> session, std::unique_ptr<Poco::Net::HTTPResponse> response,
                   std::istream &body, std::chrono::milliseconds idle)
        : session_(std::move(session)), response_(std::move(response)), body_(body), idle_(idle),
          tls_(dynamic_cast<TlsSession *>(session_.get()) != nullptr),
          framing_bytes_(response_->getChunkedTransferEncoding() ? kMaxChunkFramingBytes : 0) {}

    ~PocoChatStream() override { abort(); }

    // The socket's receive timeout is the idle timeout (connect()), so a read that readable()
    // announced blocks at most that long.
    bool read_some(std::string &out, const std::function<bool()> &keep_going) override {
        if (done_) return false;
        std::streambuf *sb = body_.rdbuf();
        const auto deadline = std::chrono::steady_clock::now() + idle_;
        try {
            for (;;) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
                if (readable(sb, std::clamp(left, std::chrono::milliseconds(0), kPollSlice))) break;
                if (!keep_going()) {
                    abort();
                    throw ClientGone{};
                }
                if (std::chrono::steady_clock::now() >= deadline)
                    throw ProxyError::of("upstream_stream_error", "Venice upstream stream was idle for longer than the "
                                                                  "request timeout");
            }
            if (sb->sgetc() == std::char_traits<char>::eof()) {
                done_ = true;
                return false;
            }
            char buf[16384];
            const std::streamsize n = sb->sgetn(buf, std::min<std::streamsize>(sb->in_avail(), sizeof buf));
            out.append(buf, static_cast<size_t>(n));
            return true;
        } catch (const Poco::TimeoutException &) {
            throw ProxyError::of("upstream_stream_error", "Venice upstream stream was idle for longer than the request timeout");
        } catch (const Poco::Exception &e) {
            throw ProxyError::of("upstream_stream_error", "reading the Venice upstream stream failed: " + e.displayText());
        }
    }

    void abort() override {
        if (aborted_) return;
        aborted_ = true;
        done_ = true;
        try {
            session_->abort();
        } catch (const Poco::Exception &) {
        }
    }

  private:
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::HTTPResponse> response_;
    std::istream &body_;
    // Whether the next read can make progress without waiting on the network: decoded bytes in the
    // body stream, a possibly complete chunk in the HTTP session's buffer, bytes in the TLS layer,
    // or bytes (or EOF/error) on the socket within `wait`. In a chunked body, up to
    // kMaxChunkFramingBytes buffered bytes cannot hold a complete chunk ("1\r\nX\r\n" is the
    // smallest): they are the CRLF after the last chunk's data and the start of the next one, and
    // Poco's chunked stream would block on the socket for them — for as long as the upstream stays
    // silent, unable to notice a client that left (rarely they are the first bytes of a chunk
    // whose rest is in flight; they are then passed on with it). One poll(2) per wait (Poco's
    // Socket::poll opens and closes an epoll set per call).
    bool readable(std::streambuf *sb, std::chrono::milliseconds wait) {
        if (sb->in_avail() > 0 || pending_bytes(*session_) > framing_bytes_) return true;
        if (tls_ && session_->socket().available() > 0) return true;
        pollfd p{session_->socket().impl()->sockfd(), POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(wait.count()));
        if (ready < 0 && errno != EINTR) throw Poco::IOException("poll on the upstream socket failed");
        return ready > 0;
    }

    static constexpr int kMaxChunkFramingBytes = 4;
    std::chrono::milliseconds idle_;
    bool tls_;
    int framing_bytes_;
    bool done_ = false;
    bool aborted_ = false;
};

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
    if (tls_) session = std::make_unique<TlsSession>(base_.getHost(), base_.getPort(), tls_);
    else session = std::make_unique<PlainSession>(base_.getHost(), base_.getPort());
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

std::unique_ptr<ChatStream> VeniceClient::open_chat(const std::string &body, const std::string &client_public_hex,
                                                    const std::string &model_public_hex) const {
    auto session = connect();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, base_path_ + "chat/completions",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", authorization_);
    request.set("Accept", "text/event-stream");
    request.setContentType("application/json");
    request.set("X-Venice-TEE-Client-Pub-Key", client_public_hex);
    request.set("X-Venice-TEE-Model-Pub-Key", model_public_hex);
    request.set("X-Venice-TEE-Signing-Algo", "ecdsa");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    auto response = std::make_unique<Poco::Net::HTTPResponse>();
    try {
        session->sendRequest(request) << body;
        std::istream &in = session->receiveResponse(*response);
        const int status = static_cast<int>(response->getStatus());
        if (status < 200 || status >= 300) throw_status(status, read_error_body(in, 65536));
        return std::make_unique<PocoChatStream>(std::move(session), std::move(response), in, timeout_);
    } catch (const Poco::Exception &e) {
        throw_transport(e);
    }
}

}  // namespace vep::host
