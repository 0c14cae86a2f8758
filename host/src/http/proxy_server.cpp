// See proxy_server.hpp.
#include "http/proxy_server.hpp"

#include <sys/resource.h>

#include <thread>

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "http/browser_guard.hpp"
#include "http/guarded_connection.hpp"
#include "http/server_tls_context.hpp"
#include "net/poco_timespan.hpp"

namespace vep::host {
namespace {

// The kernel's queue of connections not yet accepted: large enough that a burst of connections is
// accepted (and answered, 503 at worst) rather than left hanging in the kernel.
constexpr uint32_t kListenBacklog = 4096;
// Worker threads above the pool's minimum exit after idling this long (the pool shrinks after a burst).
constexpr int kWorkerIdleSeconds = 10;
// Descriptors kept free for the listening socket, worker threads' upstream calls, plugins and logs.
constexpr rlim_t kReservedDescriptors = 64;
constexpr uint32_t kDerivedStreamCap = 1000000;

// Raises the soft open-file limit to the hard one: a relayed answer holds two sockets.
void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

uint32_t effective_stream_limit(const ServerConfig &config) {
    if (config.max_concurrent_streams > 0) return config.max_concurrent_streams;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return kDerivedStreamCap;
    if (limit.rlim_cur <= 2 * kReservedDescriptors) return 1;
    return static_cast<uint32_t>(std::min<rlim_t>(kDerivedStreamCap, (limit.rlim_cur - kReservedDescriptors) / 2));
}

ProxyServer::ProxyServer(const ServerConfig &config, GenerationHolder &generations, ProxyStats &stats,
                         ConcurrencyGate &gate) {
    raise_open_file_limit();
    Poco::Net::ServerSocket socket = config.tls() ? Poco::Net::SecureServerSocket(make_server_tls_context(generations))
                                                  : Poco::Net::ServerSocket();
    // SO_REUSEADDR (restart while old connections linger) but not SO_REUSEPORT: a second instance
    // on the same port must fail instead of silently sharing the traffic.
    socket.bind(Poco::Net::SocketAddress(config.host, config.port), true, false);
    socket.listen(static_cast<int>(std::max<uint32_t>(kListenBacklog, config.max_queued)));
    port_ = socket.address().port();

    pool_ = std::make_unique<Poco::ThreadPool>(2, static_cast<int>(config.max_threads), kWorkerIdleSeconds, 256 * 1024);
    watch_ = std::make_unique<ConnectionWatch>(*pool_, config.request_read_timeout);
    guard_ = std::make_unique<RequestGuard>(stats, *watch_, generations, key_limiter_, is_loopback_host(config.host));
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(static_cast<int>(config.max_threads));
    params->setMaxQueued(static_cast<int>(config.max_queued));
    params->setThreadIdleTime(Poco::Timespan(kWorkerIdleSeconds, 0));
    params->setTimeout(to_timespan(config.receive_timeout));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(to_timespan(config.keep_alive_timeout));
    params->setMaxKeepAliveRequests(1000);
    relay_ = std::make_unique<RelayPump>(config.relay_threads, stats.relay);
    pipeline_ = std::make_unique<ChatPipeline>(*relay_, stats);
    router_ = std::make_unique<RequestRouter>(RouteServices{generations, *guard_, *pipeline_, stats, gate, relay_->threads()});
    admission_ = new ClientAdmission(config.max_connections_per_client, config.max_queued, config.tls(), *watch_);
    server_ = std::make_unique<Poco::Net::TCPServer>(new GuardedConnectionFactory(params, *router_, *watch_, *admission_),
                                                     *pool_, socket, params);
    admission_->attach(*server_);
    server_->setConnectionFilter(Poco::Net::TCPServerConnectionFilter::Ptr(admission_.get(), true));
    gate.set_limit(effective_stream_limit(config));
}

ProxyServer::~ProxyServer() {
    if (!stopped_) drain_and_stop(std::chrono::milliseconds(0));
}

void ProxyServer::start() { server_->start(); }

uint16_t ProxyServer::port() const { return port_; }

int ProxyServer::drain_and_stop(std::chrono::milliseconds grace) {
    if (stopped_) return 0;
    stopped_ = true;
    guard_->start_draining();
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (guard_->in_flight() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const int remaining = static_cast<int>(guard_->in_flight());
    server_->stop();
    watch_->stop_all();
    pool_->joinAll();
    relay_->cut_all(std::chrono::seconds(5));
    return remaining;
}

}  // namespace vep::host
