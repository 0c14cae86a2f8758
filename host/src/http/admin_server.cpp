// See admin_server.hpp.
#include "http/admin_server.hpp"

#include <openssl/crypto.h>

#include <fstream>
#include <stdexcept>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "auth/client_keys.hpp"
#include "http/browser_guard.hpp"
#include "http/error_response.hpp"
#include "http/listening_socket.hpp"
#include "http/metrics_exposition.hpp"
#include "http/request_body.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

constexpr size_t kMinTokenLength = 32;
constexpr int kAdminThreads = 2;
constexpr int kAdminQueue = 16;

// What every admin request shares.
struct AdminContext {
    std::string token;
    bool loopback_listener;
    const RouteServices &services;
    ReloadAction reload;
};

bool token_matches(const std::string &presented, const std::string &token) {
    return presented.size() == token.size() && CRYPTO_memcmp(presented.data(), token.data(), token.size()) == 0;
}

class AdminHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    explicit AdminHandler(const AdminContext &context) : c_(context) {}

    void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
        discard_body(request, response);
        if (auto refusal = refuse(request)) {
            if (refusal->status() == 401) response.set("WWW-Authenticate", "Bearer");
            send_error(response, *refusal);
            return;
        }
        std::string path = request.getURI();
        if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
        const std::string &method = request.getMethod();
        const bool get = method == "GET" || method == "HEAD";
        if (path == "/metrics" && get) {
            const std::string text = metrics_exposition(c_.services);
            response.setContentType(kMetricsContentType);
            response.setContentLength(static_cast<std::streamsize>(text.size()));
            response.send() << text;
        } else if (path == "/healthz" && get) {
            send_health(response, c_.services);
        } else if (path == "/admin/reload" && method == "POST") {
            reload(response);
        } else if (path == "/metrics" || path == "/healthz" || path == "/admin/reload") {
            send_error(response, ProxyError::of("method_not_allowed", "method " + method + " is not supported for " + path));
        } else {
            send_error(response, ProxyError::of("not_found", "route " + path + " was not found"));
        }
    }

  private:
    std::optional<ProxyError> refuse(const Poco::Net::HTTPServerRequest &request) const {
        if (!c_.token.empty()) {
            const auto presented = presented_secret(request.get("Authorization", ""), "");
            if (!presented) return ProxyError::of("missing_api_key", "the admin listener needs Authorization: Bearer <admin token>");
            if (!token_matches(*presented, c_.token)) return ProxyError::of("invalid_api_key", "the admin token is not valid");
            return std::nullopt;
        }
        return check_browser_request(request, c_.loopback_listener, false, {}).refusal;
    }

    void reload(Poco::Net::HTTPServerResponse &response) const {
        if (const auto refused = c_.reload()) {
            send_error(response, ProxyError::of("config_reload_failed",
                                                "reload refused, the running configuration keeps serving: " + *refused));
            return;
        }
        json::Value body = json::Value::object();
        body.set("status", "reloaded");
        body.set("generation", c_.services.stats.config.generation.load());
        const std::string text = json::dump(body);
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(text.size()));
        response.send() << text;
    }

    const AdminContext &c_;
};

class AdminRouter final : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit AdminRouter(AdminContext context) : context_(std::move(context)) {}
    Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
        return new AdminHandler(context_);
    }

  private:
    AdminContext context_;
};

}  // namespace

std::string read_admin_token(const std::string &path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) throw std::runtime_error("admin.token_file: cannot read " + path);
    const auto first = line.find_first_not_of(" \t\r");
    const auto last = line.find_last_not_of(" \t\r");
    const std::string token = first == std::string::npos ? std::string() : line.substr(first, last - first + 1);
    if (token.size() < kMinTokenLength)
        throw std::runtime_error("admin.token_file: the token in " + path + " must be at least " +
                                 std::to_string(kMinTokenLength) + " characters");
    return token;
}

AdminServer::AdminServer(const AdminConfig &config, std::string token, const RouteServices &services,
                         ReloadAction reload) {
    Poco::Net::ServerSocket socket = ListeningSocket();
    socket.bind(Poco::Net::SocketAddress(config.host, config.port), true, false);
    socket.listen(64);
    port_ = socket.address().port();
    pool_ = std::make_unique<Poco::ThreadPool>(1, kAdminThreads);
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(kAdminThreads);
    params->setMaxQueued(kAdminQueue);
    params->setTimeout(Poco::Timespan(10, 0));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    AdminContext context{std::move(token), is_loopback_host(config.host), services, std::move(reload)};
    server_ = std::make_unique<Poco::Net::HTTPServer>(new AdminRouter(std::move(context)), *pool_, socket, params);
}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start() { server_->start(); }

void AdminServer::stop() {
    if (stopped_) return;
    stopped_ = true;
    server_->stopAll(true);
    pool_->joinAll();
}

}  // namespace vep::host
