// See venice_client.hpp.
#include "upstream/venice_client.hpp"

#include <cctype>
#include <utility>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include "errors/proxy_error.hpp"
#include "net/poco_timespan.hpp"
#include "upstream/http_body_decoder.hpp"
#include "upstream/upstream_http.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

constexpr size_t kMaxFetchedBody = 16 * 1024 * 1024;
// An upstream connection's kernel receive buffer (Linux doubles it), set once when it opens.
// Fixed instead of autotuned (up to 6 MiB), so a relayed answer whose client is slow (the relay
// pauses reading) pins little kernel memory and Venice feels the backpressure; a 128 KiB window
// carries a token stream over any plausible round trip.
constexpr int kReceiveBuffer = 64 * 1024;

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

// Reads at most `limit` bytes of an error body, quickly and without failing.
std::string read_error_body(Poco::Net::StreamSocket &socket, const UpstreamResponseHead &head, std::string_view rest,
                            size_t limit) {
    std::string body;
    try {
        HttpBodyDecoder decoder(head.framing, head.content_length);
        decoder.feed(rest, body);
        char buf[4096];
        while (!decoder.finished() && body.size() < limit) {
            const int n = socket.receiveBytes(buf, static_cast<int>(sizeof buf));
            if (n <= 0) break;
            decoder.feed(std::string_view(buf, static_cast<size_t>(n)), body);
        }
    } catch (const Poco::Exception &) {
    } catch (const ProxyError &) {
    }
    if (body.size() > limit) body.resize(limit);
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
    host_ = host_header_value(base_.getHost(), base_.getPort(), base_.getScheme() == "https");
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

// A pooled connection or a new one, with the client's send and receive timeouts.
struct VeniceClient::Connection {
    Poco::Net::StreamSocket socket;
    bool pooled = false;
};

VeniceClient::Connection VeniceClient::connect(bool pooled_allowed) const {
    Connection c;
    std::optional<Poco::Net::StreamSocket> socket = pooled_allowed ? pool_->take() : std::nullopt;
    c.pooled = socket.has_value();
    c.socket = socket ? std::move(*socket) : open_connection();
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
    socket.setReceiveTimeout(to_timespan(timeout_));
    socket.setSendTimeout(to_timespan(timeout_));
    try {
        socket.setReceiveBufferSize(kReceiveBuffer);
    } catch (const Poco::Exception &) {
        // best effort: the autotuned default still works
    }
    if (!tls_) return socket;
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

// Sends the request (head and body in one send); NotSent when that failed (nothing reached
// Venice's server application: it answers only complete requests).
void VeniceClient::send(Connection &c, const std::string &message) const {
    try {
        for (size_t sent = 0; sent < message.size();) {
            const int n = c.socket.sendBytes(message.data() + sent, static_cast<int>(message.size() - sent));
            if (n <= 0) throw NotSent{Poco::IOException("sending the request failed")};
            sent += static_cast<size_t>(n);
        }
    } catch (const Poco::Exception &e) {
        throw NotSent{Poco::IOException(e.displayText())};
    }
}

// The response was read to its exact end: the connection may carry the next request.
void VeniceClient::give_back(Connection &c) const {
    if (tls_) pool_->remember_tls_session(Poco::Net::SecureStreamSocket(c.socket).currentSession());
    pool_->give_back(std::move(c.socket));
}

std::string VeniceClient::fetch(const std::string &path_and_query) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    return on_connection([&](Connection &c) {
        send(c, request_head("GET", base_path_ + path_and_query, host_,
                             {{"Authorization", authorization_}, {"Accept", "application/json"}}, std::nullopt));
        std::string body;
        try {
            std::string rest;
            const UpstreamResponseHead head = read_response_head(c.socket, rest);
            if (head.status < 200 || head.status >= 300)
                throw_status(head.status, read_error_body(c.socket, head, rest, 65536));
            HttpBodyDecoder decoder(head.framing, head.content_length);
            decoder.feed(rest, body);
            char buf[16384];
            while (!decoder.finished() && body.size() <= kMaxFetchedBody) {
                const auto remaining =
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
                if (remaining.count() <= 0)
                    throw ProxyError::of("upstream_timeout", "Venice upstream request timed out");
                c.socket.setReceiveTimeout(to_timespan(remaining));
                const int n = c.socket.receiveBytes(buf, static_cast<int>(sizeof buf));
                if (n <= 0) {
                    if (head.framing == BodyFraming::UntilClose) break;
                    throw ProxyError::of("upstream_unavailable", "reading the Venice upstream response failed");
                }
                decoder.feed(std::string_view(buf, static_cast<size_t>(n)), body);
            }
            if (body.size() > kMaxFetchedBody)
                throw ProxyError::of("upstream_malformed_response", "Venice upstream response is larger than 16 MiB");
            if (head.keep_alive && decoder.ended_cleanly()) {
                c.socket.setReceiveTimeout(to_timespan(timeout_));
                give_back(c);
            }
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
    std::vector<RequestField> fields{
        {"Authorization", authorization_}, {"Accept", "text/event-stream"}, {"Content-Type", "application/json"}};
    if (client_public_hex && model_public_hex)
        fields.insert(fields.end(), {{"X-Venice-TEE-Client-Pub-Key", *client_public_hex},
                                     {"X-Venice-TEE-Model-Pub-Key", *model_public_hex},
                                     {"X-Venice-TEE-Signing-Algo", "ecdsa"}});
    std::string message = request_head("POST", base_path_ + "chat/completions", host_, fields, body.size());
    message += body;
    return on_connection([&](Connection &c) {
        send(c, message);
        try {
            UpstreamAttempt attempt;
            const UpstreamResponseHead head = read_response_head(c.socket, attempt.initial_bytes);
            if (head.status < 200 || head.status >= 300)
                throw_status(head.status, read_error_body(c.socket, head, attempt.initial_bytes, 65536));
            attempt.framing = head.framing;
            attempt.content_length = head.content_length;
            if (tls_) pool_->remember_tls_session(Poco::Net::SecureStreamSocket(c.socket).currentSession());
            attempt.socket = std::move(c.socket);
            attempt.tls = tls_ != nullptr;
            attempt.pool = pool_;
            attempt.keep_alive = head.keep_alive;
            return attempt;
        } catch (const Poco::Exception &e) {
            throw_transport(e);
        }
    });
}

}  // namespace vep::host
