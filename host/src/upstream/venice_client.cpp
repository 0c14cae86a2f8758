// See venice_client.hpp.
#include "upstream/venice_client.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <istream>
#include <utility>

#include <Poco/Buffer.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
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

// Whether an upstream 400 message says the encrypted request does not fit the model's current key
// ("Failed to decrypt field", "E2EE decryption failed", "Model public key does not match ...").
bool names_the_model_key(const std::string &message) {
    std::string lower;
    for (const char c : message) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("decrypt") != std::string::npos || lower.find("model public key") != std::string::npos;
}

[[noreturn]] void throw_status(int status, const std::string &body) {
    const std::string summary = summarise_error_body(body);
    const std::string suffix = summary.empty() ? "" : " (" + summary + ")";
    if (status == 401 || status == 403)
        throw ProxyError::of("upstream_authentication_failed",
                             "Venice upstream rejected the API key with status " + std::to_string(status) + suffix);
    if (status == 400 && names_the_model_key(summary))
        throw ProxyError::of("upstream_key_rejected", "Venice upstream refused the key the request was encrypted to "
                                                      "(the model's key changed or the enclave restarted)" + suffix);
    throw ProxyError::of("upstream_status_error", "Venice upstream returned status " + std::to_string(status) + suffix);
}

// Writes of a session held back and sent at once: a request's head and body leave in one send
// (one segment on the wire, one wake-up at Venice) instead of one send each.
class BatchedWrites {
  public:
    virtual ~BatchedWrites() = default;
    // From now on writes are only collected.
    virtual void hold_writes() = 0;
    // Sends what was collected; throws Poco::Exception when sending failed.
    virtual void send_held() = 0;
};

// A client session on a connection this client opened itself (so connect and handshake are
// timed) or took from the pool: `Session` built from `args`, with `socket` attached as its
// connection (Poco's constructors from a socket refuse a connected TLS one).
template <typename Session>
class ConnectedSession final : public Session, public BatchedWrites {
  public:
    template <typename... Args>
    explicit ConnectedSession(const Poco::Net::StreamSocket &socket, Args &&...args)
        : Session(std::forward<Args>(args)...) {
        this->attachSocket(socket);
    }

    void hold_writes() override { holding_ = true; }
    void send_held() override {
        holding_ = false;
        std::string held;
        held.swap(held_);
        for (size_t sent = 0; sent < held.size();) {
            const int n = Session::write(held.data() + sent, static_cast<std::streamsize>(held.size() - sent));
            if (n <= 0) throw Poco::IOException("sending the request failed");
            sent += static_cast<size_t>(n);
        }
    }

  protected:
    int write(const char *buffer, std::streamsize length) override {
        if (!holding_) return Session::write(buffer, length);
        held_.append(buffer, static_cast<size_t>(length));
        return static_cast<int>(length);
    }

  private:
    bool holding_ = false;
    std::string held_;
};

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

// Sending a request failed before it was complete.
struct VeniceClient::NotSent {
    Poco::IOException error;
};

VeniceClient::VeniceClient(const VeniceConfig &config, UpstreamCounters *counters)
    : timeout_(config.request_timeout) {
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
    pool_ = std::make_shared<UpstreamPool>(config.pool_max_idle, config.pool_idle_timeout, counters);
    if (base_.getScheme() == "https") {
        try {
            Poco::Net::initializeSSL();
            tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", config.ca_file,
                                          Poco::Net::Context::VERIFY_RELAXED, 9, config.ca_file.empty());
            tls_->enableExtendedCertificateVerification(true);
            tls_->enableSessionCache(true);
            Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(new Poco::Net::RejectCertificateHandler(false));
            Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, tls_);
        } catch (const Poco::Exception &e) {
            throw ProxyError::of("venice_client_configuration_failed", "TLS setup failed: " + e.displayText());
        }
    }
}

// One HTTP session on a pooled connection or a new one.
struct VeniceClient::Connection {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    BatchedWrites *writes = nullptr;  // the same session
    bool pooled = false;
};

VeniceClient::Connection VeniceClient::connect(bool pooled_allowed) const {
    Connection c;
    std::optional<Poco::Net::StreamSocket> socket = pooled_allowed ? pool_->take() : std::nullopt;
    c.pooled = socket.has_value();
    if (!socket) socket = open_connection();
    if (tls_) {
        auto session = std::make_unique<ConnectedSession<Poco::Net::HTTPSClientSession>>(*socket, base_.getHost(),
                                                                                        base_.getPort(), tls_);
        c.writes = session.get();
        c.session = std::move(session);
    } else {
        auto session = std::make_unique<ConnectedSession<Poco::Net::HTTPClientSession>>(*socket, base_.getHost(),
                                                                                       base_.getPort());
        c.writes = session.get();
        c.session = std::move(session);
    }
    c.session->setTimeout(to_timespan(timeout_), to_timespan(timeout_), to_timespan(timeout_));
    c.session->setKeepAlive(true);
    return c;
}

// A new connection: TCP connect, then for https the TLS handshake (resuming the pool's latest
// session when it has one), each step timed into the counters. Throws Poco::Exception.
Poco::Net::StreamSocket VeniceClient::open_connection() const {
    const Poco::Net::SocketAddress address(base_.getHost(), base_.getPort());
    const auto started = std::chrono::steady_clock::now();
    Poco::Net::StreamSocket socket;
    socket.connect(address, to_timespan(timeout_));
    const auto connected = std::chrono::steady_clock::now();
    UpstreamCounters &counters = pool_->counters();
    counters.connect_seconds.observe(connected - started);
    counters.opened.fetch_add(1, std::memory_order_relaxed);
    if (!tls_) return socket;
    socket.setReceiveTimeout(to_timespan(timeout_));
    socket.setSendTimeout(to_timespan(timeout_));
    Poco::Net::SecureStreamSocket secure =
        Poco::Net::SecureStreamSocket::attach(socket, base_.getHost(), tls_, pool_->tls_session());
    secure.completeHandshake();
    counters.tls_handshake_seconds.observe(std::chrono::steady_clock::now() - connected);
    if (secure.sessionWasReused()) counters.resumed.fetch_add(1, std::memory_order_relaxed);
    return secure;
}

template <typename Exchange>
auto VeniceClient::on_connection(Exchange &&exchange) const {
    Connection c;
    try {
        c = connect(true);
    } catch (const Poco::Exception &e) {
        throw_transport(e);
    }
    if (c.pooled) {
        try {
            return exchange(c);
        } catch (const NotSent &) {
            pool_->counters().dropped.fetch_add(1, std::memory_order_relaxed);
        }
        try {
            c = connect(false);
        } catch (const Poco::Exception &e) {
            throw_transport(e);
        }
    }
    try {
        return exchange(c);
    } catch (const NotSent &e) {
        throw_transport(e.error);
    }
}

// Sends the request head and body in one send; NotSent when that failed (nothing reached Venice's
// server application: it answers only complete requests).
void VeniceClient::send(Connection &c, Poco::Net::HTTPRequest &request, const std::string &body) const {
    request.setHost(base_.getHost(), base_.getPort());
    request.set("Authorization", authorization_);
    try {
        c.writes->hold_writes();
        std::ostream &out = c.session->sendRequest(request);
        out << body;
        out.flush();
        c.writes->send_held();
        if (!out) {
            if (const Poco::Exception *e = c.session->networkException()) throw NotSent{Poco::IOException(e->displayText())};
            throw NotSent{Poco::IOException("sending the request failed")};
        }
    } catch (const Poco::Exception &e) {
        throw NotSent{Poco::IOException(e.displayText())};
    }
}

// The response was read to its end: the connection may carry the next request.
void VeniceClient::give_back(Connection &c, const Poco::Net::HTTPResponse &response) const {
    if (!response.getKeepAlive() || c.session->networkException()) return;
    Poco::Buffer<char> unread(0);
    c.session->drainBuffer(unread);
    if (unread.size() > 0) return;
    if (tls_) pool_->remember_tls_session(Poco::Net::SecureStreamSocket(c.session->socket()).currentSession());
    pool_->give_back(c.session->detachSocket());
}

std::string VeniceClient::fetch(const std::string &path_and_query) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    return on_connection([&](Connection &c) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, base_path_ + path_and_query,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Accept", "application/json");
        send(c, request, "");
        Poco::Net::HTTPResponse response;
        std::string body;
        try {
            std::istream &in = c.session->receiveResponse(response);
            const int status = static_cast<int>(response.getStatus());
            if (status < 200 || status >= 300) throw_status(status, read_error_body(in, 65536));
            char buf[16384];
            for (;;) {
                const auto remaining =
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
                if (remaining.count() <= 0) throw ProxyError::of("upstream_timeout", "Venice upstream request timed out");
                c.session->socket().setReceiveTimeout(to_timespan(remaining));
                in.read(buf, sizeof buf);
                const auto n = in.gcount();
                if (n > 0) body.append(buf, static_cast<size_t>(n));
                if (body.size() > kMaxFetchedBody)
                    throw ProxyError::of("upstream_malformed_response", "Venice upstream response is larger than 16 MiB");
                if (!in) break;
            }
            if (in.bad()) {
                if (c.session->networkException()) throw_transport(*c.session->networkException());
                throw ProxyError::of("upstream_unavailable", "reading the Venice upstream response failed");
            }
            c.session->socket().setReceiveTimeout(to_timespan(timeout_));
            give_back(c, response);
        } catch (const Poco::Exception &e) {
            throw_transport(e);
        }
        return body;
    });
}

std::string VeniceClient::get_models() const { return fetch("models"); }

std::string VeniceClient::get_attestation(const std::string &model, const std::string &nonce_hex) const {
    std::string query;
    Poco::URI::encode(model, "&=+?#/ ", query);
    return fetch("tee/attestation?model=" + query + "&nonce=" + nonce_hex);
}

std::string VeniceClient::get_signature(const std::string &model, const std::string &request_id) const {
    std::string model_query;
    std::string id_query;
    Poco::URI::encode(model, "&=+?#/ ", model_query);
    Poco::URI::encode(request_id, "&=+?#/ ", id_query);
    return fetch("tee/signature?model=" + model_query + "&request_id=" + id_query);
}

UpstreamAttempt VeniceClient::open_chat(const std::string &body, const std::string &client_public_hex,
                                        const std::string &model_public_hex) const {
    return open(body, &client_public_hex, &model_public_hex);
}

UpstreamAttempt VeniceClient::open_tee_only_chat(const std::string &body) const { return open(body, nullptr, nullptr); }

UpstreamAttempt VeniceClient::open(const std::string &body, const std::string *client_public_hex,
                                   const std::string *model_public_hex) const {
    return on_connection([&](Connection &c) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, base_path_ + "chat/completions",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Accept", "text/event-stream");
        request.setContentType("application/json");
        if (client_public_hex && model_public_hex) {
            request.set("X-Venice-TEE-Client-Pub-Key", *client_public_hex);
            request.set("X-Venice-TEE-Model-Pub-Key", *model_public_hex);
            request.set("X-Venice-TEE-Signing-Algo", "ecdsa");
        }
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        send(c, request, body);
        Poco::Net::HTTPResponse response;
        try {
            std::istream &in = c.session->receiveResponse(response);
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
            c.session->drainBuffer(buffered);
            attempt.initial_bytes.assign(buffered.begin(), buffered.size());
            if (tls_) pool_->remember_tls_session(Poco::Net::SecureStreamSocket(c.session->socket()).currentSession());
            attempt.socket = c.session->detachSocket();
            attempt.tls = tls_ != nullptr;
            attempt.pool = pool_;
            attempt.keep_alive = response.getKeepAlive();
            return attempt;
        } catch (const Poco::Exception &e) {
            throw_transport(e);
        }
    });
}

}  // namespace vep::host
