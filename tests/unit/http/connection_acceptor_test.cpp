// ConnectionAcceptor: accepted connections and connections taken back both reach a worker through
// admission; a full queue answers 503 at the door instead of dropping; an idle acceptor does not
// wake (Poco's TCPServer polled four times a second); after stop() a connection taken back is
// closed. Real sockets on 127.0.0.1; every wait is bounded.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "http/client_admission.hpp"
#include "http/connection_acceptor.hpp"
#include "http/connection_watch.hpp"
#include "http/listening_socket.hpp"
#include "http/worker_queue.hpp"
#include "greeting_connection.hpp"
#include "thread_activity.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The first bytes a client receives within 5 s ("" at EOF or timeout).
std::string first_bytes(Poco::Net::StreamSocket &client) {
    client.setReceiveTimeout(Poco::Timespan(5, 0));
    char buffer[512];
    try {
        const int n = client.receiveBytes(buffer, sizeof buffer);
        return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
    } catch (const Poco::Exception &) {
        return {};
    }
}

bool eventually(std::chrono::milliseconds limit, const std::function<bool()> &condition) {
    for (const auto until = Clock::now() + limit; Clock::now() < until; std::this_thread::sleep_for(5ms))
        if (condition()) return true;
    return condition();
}

// An acceptor on 127.0.0.1 with `threads` workers and `queued` places in the queue.
struct AcceptorRig {
    explicit AcceptorRig(uint32_t threads = 4, uint32_t queued = 16)
        : workers(WorkerQueue::Limits{1, threads, std::chrono::seconds(10), 256 * 1024}) {
        ListeningSocket socket;
        socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
        socket.listen(64);
        port = socket.address().port();
        watch = std::make_unique<ConnectionWatch>(std::chrono::seconds(60));
        admission = std::make_unique<ClientAdmission>(0, queued, false, *watch, workers);
        acceptor = std::make_unique<ConnectionAcceptor>(socket, workers, *admission);
        acceptor->start(new test::GreetingFactory(served));
    }
    ~AcceptorRig() {
        served.release.store(true);
        acceptor->stop();
        workers.join();
    }
    Poco::Net::StreamSocket connect() const {
        return Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", port));
    }

    test::Served served;
    WorkerQueue workers;
    std::unique_ptr<ConnectionWatch> watch;
    std::unique_ptr<ClientAdmission> admission;
    std::unique_ptr<ConnectionAcceptor> acceptor;
    uint16_t port = 0;
};

TEST(ConnectionAcceptor, AcceptedAndTakenBackConnectionsReachAWorker) {
    AcceptorRig rig;
    Poco::Net::StreamSocket accepted = rig.connect();
    EXPECT_EQ(first_bytes(accepted), "hi");

    // A connection the relay hands back: accepted elsewhere, given to the acceptor.
    Poco::Net::ServerSocket elsewhere(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::Net::StreamSocket returning(Poco::Net::SocketAddress("127.0.0.1", elsewhere.address().port()));
    rig.acceptor->take_back(elsewhere.acceptConnection());
    EXPECT_EQ(first_bytes(returning), "hi");
    EXPECT_TRUE(eventually(5s, [&] { return rig.served.served.load() == 2; }));
}

TEST(ConnectionAcceptor, AFullQueueIsAnswered503AtTheDoor) {
    AcceptorRig rig(1, 1);
    rig.served.release.store(false);  // the one worker holds the first connection
    Poco::Net::StreamSocket busy = rig.connect();
    ASSERT_EQ(first_bytes(busy), "hi");
    // One accept thread takes connections in order: the second is queued before the third arrives.
    Poco::Net::StreamSocket waiting = rig.connect();  // the queue's one place
    Poco::Net::StreamSocket refused = rig.connect();
    const std::string reply = first_bytes(refused);
    EXPECT_EQ(reply.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << reply;
    EXPECT_NE(reply.find("X-Venice-Proxy-Error-Code: server_overloaded\r\n"), std::string::npos) << reply;

    rig.served.release.store(true);
    EXPECT_EQ(first_bytes(waiting), "hi") << "the queued connection must be served, not dropped";
}

TEST(ConnectionAcceptor, AnIdleAcceptorDoesNotWake) {
    const std::set<long> before = test::thread_ids();
    AcceptorRig rig;
    std::set<long> started;
    for (long id : test::thread_ids())
        if (!before.count(id)) started.insert(id);
    ASSERT_FALSE(started.empty());
    std::this_thread::sleep_for(100ms);
    std::map<long, long> at_start;
    for (long id : started) at_start[id] = test::voluntary_switches(id);
    std::this_thread::sleep_for(800ms);
    for (long id : started) {
        const long now = test::voluntary_switches(id);
        if (now < 0) continue;  // the thread ended
        EXPECT_LE(now - at_start[id], 1) << "thread " << id << " woke while nothing happened";
    }
}

TEST(ConnectionAcceptor, AfterStopAConnectionTakenBackIsClosed) {
    AcceptorRig rig;
    rig.acceptor->stop();
    Poco::Net::ServerSocket elsewhere(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::Net::StreamSocket returning(Poco::Net::SocketAddress("127.0.0.1", elsewhere.address().port()));
    rig.acceptor->take_back(elsewhere.acceptConnection());
    EXPECT_EQ(first_bytes(returning), "");
    EXPECT_EQ(rig.served.served.load(), 0);
}

}  // namespace
}  // namespace vep::host
