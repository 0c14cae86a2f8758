// See connection_acceptor.hpp.
#include "http/connection_acceptor.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>

#include <Poco/Exception.h>

namespace vep::host {
namespace {

// After a failed accept (out of descriptors, say) the loop waits this long before it tries again,
// instead of spinning on a listener that stays readable.
constexpr int kAcceptRetryMs = 50;
// A client socket's kernel send buffer (Linux doubles it). Fixed instead of autotuned (up to
// 4 MiB), so a client that stops reading a relayed answer pins little kernel memory and
// backpressure reaches the upstream soon; ample for a stream of tokens.
constexpr int kClientSendBuffer = 64 * 1024;

}  // namespace

ConnectionAcceptor::ConnectionAcceptor(Poco::Net::ServerSocket listener, WorkerQueue &workers, ClientAdmission &admission)
    : listener_(std::move(listener)), workers_(workers), admission_(admission),
      wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd for the accept loop");
}

ConnectionAcceptor::~ConnectionAcceptor() {
    stop();
    ::close(wake_fd_);
}

void ConnectionAcceptor::start(Poco::Net::TCPServerConnectionFactory::Ptr factory) {
    {
        std::lock_guard lock(queue_mutex_);
        workers_.start(std::move(factory));
        started_ = true;
    }
    thread_ = std::thread([this] { run(); });
}

void ConnectionAcceptor::stop() {
    if (stopping_.exchange(true)) return;
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(queue_mutex_);
    stopped_ = true;
    workers_.stop();
}

void ConnectionAcceptor::take_back(Poco::Net::StreamSocket socket) { admit(socket, false); }

// A refused connection is left to admission (its 503 lingers) or closed when its last reference
// goes; so is one that could not be queued (out of memory). A returning connection has its
// socket options already.
void ConnectionAcceptor::admit(const Poco::Net::StreamSocket &socket, bool fresh) {
    std::lock_guard lock(queue_mutex_);
    try {
        if (stopped_ || !started_ || !admission_.accept(socket)) return;
        if (fresh) {
            try {
                socket.impl()->setNoDelay(true);
                socket.impl()->setSendBufferSize(kClientSendBuffer);
            } catch (const Poco::Exception &) {
                // best effort: the connection still works with the defaults
            }
        }
        workers_.enqueue(socket);
    } catch (const std::exception &) {
        // the connection is dropped; the accept loop and the relay carry on
    }
}

void ConnectionAcceptor::run() {
    pollfd waits[2] = {{listener_.impl()->sockfd(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    while (!stopping_.load()) {
        if (::poll(waits, 2, -1) < 0) {
            if (errno != EINTR) std::this_thread::sleep_for(std::chrono::milliseconds(kAcceptRetryMs));
            continue;
        }
        if (waits[1].revents != 0) break;
        if (waits[0].revents == 0) continue;
        try {
            admit(listener_.acceptConnection(), true);
        } catch (const std::exception &) {  // accept failed (out of descriptors, say)
            ::poll(&waits[1], 1, kAcceptRetryMs);
        }
    }
}

}  // namespace vep::host
