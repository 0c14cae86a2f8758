// See proxy_server.hpp.
#include "http/proxy_server.hpp"

#include <linux/filter.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <iterator>
#include <thread>

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocketImpl.h>

#include "http/browser_guard.hpp"
#include "http/connection_acceptor.hpp"
#include "http/guarded_connection.hpp"
#include "http/listening_socket.hpp"
#include "http/server_tls_context.hpp"
#include "net/poco_timespan.hpp"

namespace vep::host {
namespace {

// The kernel's queue of connections not yet accepted: large enough that a burst of connections is
// accepted (and answered, 503 at worst) rather than left hanging in the kernel.
constexpr uint32_t kListenBacklog = 4096;
// Worker threads kept while idle; the others end after idling this long (the workers shrink back
// after a burst).
constexpr uint32_t kIdleWorkers = 2;
constexpr std::chrono::seconds kWorkerIdle{10};
// A worker's stack: request handling needs little, and max_threads of them stay small.
constexpr size_t kWorkerStack = 256 * 1024;
// Descriptors kept free for the listening socket, worker threads' upstream calls, plugins and logs.
constexpr rlim_t kReservedDescriptors = 64;
constexpr uint32_t kDerivedStreamCap = 1000000;
// How often a draining server looks at what is still running, and how long it waits at most for
// connections accepted before its doors closed, and for refused ones to read their 503.
constexpr std::chrono::milliseconds kDrainPoll{10};
constexpr std::chrono::milliseconds kSettleLimit{1000};
// How long a closing listener waits for handshakes begun before it stopped taking new ones.
constexpr std::chrono::milliseconds kHandshakeSettle{20};

// Checks `done` every kDrainPoll until it holds or `limit` has passed.
template <typename Done>
void poll_until(Done done, std::chrono::milliseconds limit) {
    for (const auto until = std::chrono::steady_clock::now() + limit; !done() && std::chrono::steady_clock::now() < until;)
        std::this_thread::sleep_for(kDrainPoll);
}

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
    Poco::Net::ServerSocket socket = config.tls()
                                         ? Poco::Net::ServerSocket(Poco::Net::SecureServerSocket(make_server_tls_context(generations)))
                                         : Poco::Net::ServerSocket(ListeningSocket());
    // SO_REUSEADDR (restart while old connections linger) but not SO_REUSEPORT: a second instance
    // on the same port must fail instead of silently sharing the traffic.
    socket.bind(Poco::Net::SocketAddress(config.host, config.port), true, false);
    socket.listen(static_cast<int>(std::max<uint32_t>(kListenBacklog, config.max_queued)));
    port_ = socket.address().port();
    listener_ = socket;

    workers_ = std::make_unique<WorkerQueue>(WorkerQueue::Limits{kIdleWorkers, config.max_threads, kWorkerIdle, kWorkerStack});
    // Idle upstream connections that expired or were closed by Venice are closed within a few
    // seconds even when no request comes to take one.
    watch_ = std::make_unique<ConnectionWatch>(config.request_read_timeout, [this, &generations] {
        workers_->hand_back_memory();
        if (const auto generation = generations.current()) generation->venice().pool().sweep();
    });
    guard_ = std::make_unique<RequestGuard>(stats, *watch_, generations, key_limiter_, is_loopback_host(config.host));
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
    params->setTimeout(to_timespan(config.receive_timeout));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(to_timespan(config.keep_alive_timeout));
    params->setMaxKeepAliveRequests(1000);
    admission_ = std::make_unique<ClientAdmission>(config.max_connections_per_client, config.max_queued, config.tls(),
                                                   *watch_, *workers_);
    acceptor_ = std::make_unique<ConnectionAcceptor>(socket, *workers_, *admission_);
    const uint32_t stream_limit = effective_stream_limit(config);
    // Connections waiting after an answer are bounded like open answers (each holds a descriptor).
    relay_ = std::make_unique<RelayPump>(config.relay_threads, stats.relay, stream_limit);
    pipeline_ = std::make_unique<ChatPipeline>(*relay_, stats);
    router_ = std::make_unique<RequestRouter>(
        RouteServices{generations, *guard_, *pipeline_, stats, gate, relay_->threads(), *acceptor_});
    factory_ = new GuardedConnectionFactory(params, *router_, *watch_, *admission_);
    gate.set_limit(stream_limit);
}

ProxyServer::~ProxyServer() {
    if (!stopped_) drain_and_stop(std::chrono::milliseconds(0));
}

void ProxyServer::start() { acceptor_->start(factory_); }

uint16_t ProxyServer::port() const { return port_; }

int ProxyServer::drain_and_stop(std::chrono::milliseconds grace) {
    if (stopped_) return 0;
    stopped_ = true;
    guard_->start_draining();
    watch_->wind_down();
    poll_until([&] { return guard_->in_flight() == 0; }, grace);
    const int remaining = static_cast<int>(guard_->in_flight());
    admission_->close_doors();
    // Connections accepted before (queued ones included: admission counts them as working) finish
    // their request; idle at two polls in a row, so one between two steps is not missed.
    int idle_polls = 0;
    poll_until(
        [&] {
            idle_polls = watch_->working() == 0 ? idle_polls + 1 : 0;
            return idle_polls >= 2;
        },
        kSettleLimit);
    acceptor_->stop();
    close_listener();
    watch_->stop_all();
    workers_->join();
    relay_->cut_all(std::chrono::seconds(5));
    poll_until([&] { return watch_->lingering() == 0; }, kSettleLimit);
    return remaining;
}

void ProxyServer::close_listener() {
    const int fd = listener_.impl()->sockfd();
    if (fd >= 0) {
        // Drops every SYN (flags & (SYN|ACK)) == SYN; the TCP header is where a socket filter
        // starts): no handshake begins, the ones begun complete.
        sock_filter drop_syn[] = {
            BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 13),
            BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x12),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x02, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, 0),
            BPF_STMT(BPF_RET | BPF_K, 0xFFFFFFFF),
        };
        const sock_fprog program{static_cast<unsigned short>(std::size(drop_syn)), drop_syn};
        ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program);
        listener_.setBlocking(false);
        const auto until = std::chrono::steady_clock::now() + kHandshakeSettle;
        for (uint32_t refused = 0; refused < kListenBacklog;) {
            const int connection = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (connection >= 0) {
                admission_->accept(Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(connection)));
                ++refused;
                continue;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            pollfd ready{fd, POLLIN, 0};
            ::poll(&ready, 1, static_cast<int>(left.count()));
        }
    }
    listener_.close();
}

}  // namespace vep::host
