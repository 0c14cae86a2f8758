#include "vep/sim/sim_server.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <atomic>

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include "cipher_loader.hpp"
#include "router.hpp"
#include "sim_state.hpp"
#include "vep/sdk.hpp"

namespace vep::sim {
namespace {

constexpr int kThreadIdleSeconds = 60;
constexpr int kThreadStackBytes = 1 << 20;
constexpr int kMaxThreads = 4096;

ScenarioBook load_book(const SimOptions &options) {
    return options.scenario_file.empty() ? ScenarioBook() : ScenarioBook::from_file(options.scenario_file);
}

SimOptions checked(SimOptions options) {
    if (options.threads < 1 || options.threads > kMaxThreads)
        throw vep::Failure("sim_setup_failed", "threads must be within [1, " + std::to_string(kMaxThreads) + "]");
    if (options.keep_alive_ms < 1 || options.keep_alive_ms > 3600000)
        throw vep::Failure("sim_setup_failed", "keep-alive must be within [1, 3600000] ms");
    if (options.latency_ms < 0 || options.latency_ms > 10000)
        throw vep::Failure("sim_setup_failed", "latency must be within [0, 10000] ms");
    if (options.api_key.empty()) throw vep::Failure("sim_setup_failed", "api key must not be empty");
    if (options.tls_cert_file.empty() != options.tls_key_file.empty())
        throw vep::Failure("sim_setup_failed", "a TLS certificate needs its key and a key its certificate");
    if (options.plugin_dir.empty()) options.plugin_dir = default_plugin_dir();
    return options;
}

// Counts every accepted connection (GET /_sim/health: connections_accepted), so tests can see
// whether clients reuse their connections.
class ConnectionCounter final : public Poco::Net::TCPServerConnectionFilter {
  public:
    explicit ConnectionCounter(std::atomic<uint64_t> &count) : count_(count) {}
    bool accept(const Poco::Net::StreamSocket &) override {
        count_.fetch_add(1);
        return true;
    }

  private:
    std::atomic<uint64_t> &count_;
};

// A plain listening socket, or a TLS one with the configured certificate and key.
Poco::Net::ServerSocket listening_socket(const SimOptions &o) {
    if (o.tls_cert_file.empty()) return Poco::Net::ServerSocket();
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, o.tls_key_file,
                                                             o.tls_cert_file, "", Poco::Net::Context::VERIFY_NONE);
    context->enableSessionCache(true, "venice-sim");
    return Poco::Net::SecureServerSocket(context);
}

}  // namespace

std::string default_plugin_dir() {
    return (boost::dll::program_location().parent_path().parent_path() / "lib" / "venice-e2ee-proxy" / "plugins")
        .string();
}

// The running HTTP server: its socket, thread pool and Poco server.
struct SimServer::Runtime {
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    uint16_t port = 0;
};

SimServer::SimServer(SimOptions options) {
    options = checked(std::move(options));
    auto cipher = load_cipher_plugin(options.plugin_dir, options.cipher);
    ScenarioBook book = load_book(options);
    state_ = std::make_unique<SimState>(std::move(options), std::move(cipher), std::move(book));
}

SimServer::~SimServer() { stop(); }

void SimServer::start() {
    if (runtime_) throw vep::Failure("sim_setup_failed", "venice-sim is already started");
    const SimOptions &o = state_->options;
    auto rt = std::make_unique<Runtime>();
    Poco::Net::ServerSocket socket;
    try {
        socket = listening_socket(o);
        socket.bind(Poco::Net::SocketAddress(o.host, o.port), true);
        socket.listen(1024);
    } catch (const Poco::Exception &e) {
        throw vep::Failure("sim_setup_failed", "cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                                                   e.displayText());
    }
    rt->port = socket.address().port();
    rt->pool = std::make_unique<Poco::ThreadPool>(2, o.threads, kThreadIdleSeconds, kThreadStackBytes);
    auto *params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(o.threads);
    params->setMaxQueued(o.threads);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(static_cast<long>(o.keep_alive_ms) * 1000));
    params->setTimeout(Poco::Timespan(60, 0));
    state_->stopping = false;
    rt->server = std::make_unique<Poco::Net::HTTPServer>(new Router(*state_), *rt->pool, socket, params);
    rt->server->setConnectionFilter(new ConnectionCounter(state_->connections_accepted));
    rt->server->start();
    runtime_ = std::move(rt);
}

void SimServer::stop() {
    if (!runtime_) return;
    state_->stopping = true;
    runtime_->server->stopAll(true);
    runtime_->pool->joinAll();
    runtime_.reset();
}

uint16_t SimServer::port() const { return runtime_ ? runtime_->port : 0; }

std::string SimServer::base_url() const {
    return std::string(state_->options.tls_cert_file.empty() ? "http://" : "https://") + state_->options.host + ":" + std::to_string(port()) + "/api/v1";
}

std::vector<RequestRecord> SimServer::requests() const { return state_->log.snapshot(); }

void SimServer::reset() { state_->log.clear(); }

void SimServer::configure(std::string_view config_json) { state_->settings.apply_json(config_json); }

std::string SimServer::model_public_key(std::string_view model) const {
    const std::shared_ptr<const ModelKey> key = state_->keys.find(model);
    if (!key) throw vep::Failure("unknown_model", "no E2EE key for model " + std::string(model));
    return key->public_hex;
}

std::shared_ptr<vep::client::CipherClient> SimServer::cipher() const { return state_->cipher; }

}  // namespace vep::sim
