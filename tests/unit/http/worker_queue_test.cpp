// WorkerQueue: connections handed one after another go to the one waiting worker (no thread per
// connection); beyond max_threads they wait and are all served; idle workers above the minimum
// end; a handler that throws does not take its worker down; stop() closes what is queued and
// join() waits for the busy. Socket pairs stand for client connections; every wait is bounded.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include "http/worker_queue.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// What the handlers saw: how many run and were served, on which threads; `release` lets held
// handlers finish; `throw_next` makes the next handler throw after writing.
struct Served {
    std::atomic<int> running{0};
    std::atomic<int> served{0};
    std::atomic<bool> release{true};
    std::atomic<bool> throw_next{false};
    std::mutex mutex;
    std::set<std::thread::id> threads;
};

// Writes "hi", waits for the release (at most 10 s), counts itself served.
class Greeting final : public Poco::Net::TCPServerConnection {
  public:
    Greeting(const Poco::Net::StreamSocket &socket, Served &served)
        : Poco::Net::TCPServerConnection(socket), served_(served) {}
    void run() override {
        served_.running.fetch_add(1);
        {
            std::lock_guard lock(served_.mutex);
            served_.threads.insert(std::this_thread::get_id());
        }
        socket().sendBytes("hi", 2);
        for (const auto until = Clock::now() + 10s; !served_.release.load() && Clock::now() < until;)
            std::this_thread::sleep_for(2ms);
        served_.running.fetch_sub(1);
        served_.served.fetch_add(1);
        if (served_.throw_next.exchange(false)) throw std::runtime_error("handler failed");
    }

  private:
    Served &served_;
};

class GreetingFactory final : public Poco::Net::TCPServerConnectionFactory {
  public:
    explicit GreetingFactory(Served &served) : served_(served) {}
    Poco::Net::TCPServerConnection *createConnection(const Poco::Net::StreamSocket &socket) override {
        return new Greeting(socket, served_);
    }

  private:
    Served &served_;
};

// A client's end and the server's end of one connection.
struct Connection {
    Connection() {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        client = fds[0];
        server = Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(fds[1]));
    }
    ~Connection() { ::close(client); }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    // What the client receives within 5 s: "hi", "" when the server closed, "timeout".
    std::string reply() const {
        timeval wait{5, 0};
        ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        char buffer[16];
        const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
        if (n < 0) return "timeout";
        return std::string(buffer, static_cast<size_t>(n));
    }
    int client = -1;
    Poco::Net::StreamSocket server;
};

bool eventually(std::chrono::milliseconds limit, const std::function<bool()> &condition) {
    for (const auto until = Clock::now() + limit; Clock::now() < until; std::this_thread::sleep_for(2ms))
        if (condition()) return true;
    return condition();
}

WorkerQueue::Limits limits(uint32_t min, uint32_t max, std::chrono::milliseconds idle = 10s) {
    return WorkerQueue::Limits{min, max, idle, 256 * 1024};
}

TEST(WorkerQueue, ConnectionsOneAfterAnotherGoToTheOneWaitingWorker) {
    Served served;
    WorkerQueue workers(limits(1, 8));
    workers.start(new GreetingFactory(served));
    for (int i = 0; i < 20; ++i) {
        Connection connection;
        workers.enqueue(connection.server);
        connection.server = Poco::Net::StreamSocket();
        ASSERT_EQ(connection.reply(), "hi");
        ASSERT_TRUE(eventually(5s, [&] { return served.served.load() == i + 1; }));
    }
    EXPECT_EQ(workers.threads(), 1u);
    EXPECT_EQ(served.threads.size(), 1u) << "each connection started a worker of its own";
}

TEST(WorkerQueue, BeyondMaxThreadsConnectionsWaitAndAreAllServed) {
    Served served;
    served.release.store(false);
    WorkerQueue workers(limits(1, 2));
    workers.start(new GreetingFactory(served));
    std::vector<Connection> connections(5);
    for (auto &connection : connections) {
        workers.enqueue(connection.server);
        connection.server = Poco::Net::StreamSocket();
    }
    ASSERT_TRUE(eventually(5s, [&] { return served.running.load() == 2; }));
    EXPECT_EQ(workers.threads(), 2u);
    EXPECT_EQ(workers.queued(), 3u);
    served.release.store(true);
    for (auto &connection : connections) EXPECT_EQ(connection.reply(), "hi");
    EXPECT_TRUE(eventually(5s, [&] { return served.served.load() == 5; }));
    EXPECT_EQ(workers.queued(), 0u);
    EXPECT_LE(served.threads.size(), 2u);
}

TEST(WorkerQueue, IdleWorkersAboveTheMinimumEnd) {
    Served served;
    served.release.store(false);
    WorkerQueue workers(limits(1, 4, 100ms));
    workers.start(new GreetingFactory(served));
    std::vector<Connection> connections(4);
    for (auto &connection : connections) {
        workers.enqueue(connection.server);
        connection.server = Poco::Net::StreamSocket();
    }
    ASSERT_TRUE(eventually(5s, [&] { return served.running.load() == 4; }));
    EXPECT_EQ(workers.threads(), 4u);
    served.release.store(true);
    EXPECT_TRUE(eventually(5s, [&] { return workers.threads() == 1; })) << workers.threads() << " workers left";
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(workers.threads(), 1u) << "the minimum is kept";
    workers.hand_back_memory();

    Connection later;
    workers.enqueue(later.server);
    later.server = Poco::Net::StreamSocket();
    EXPECT_EQ(later.reply(), "hi");
}

TEST(WorkerQueue, AHandlerThatThrowsLeavesItsWorkerServing) {
    Served served;
    served.throw_next.store(true);
    WorkerQueue workers(limits(1, 1));
    workers.start(new GreetingFactory(served));
    for (int i = 0; i < 2; ++i) {
        Connection connection;
        workers.enqueue(connection.server);
        connection.server = Poco::Net::StreamSocket();
        EXPECT_EQ(connection.reply(), "hi");
        ASSERT_TRUE(eventually(5s, [&] { return served.served.load() == i + 1; }));
    }
    EXPECT_EQ(workers.threads(), 1u);
}

TEST(WorkerQueue, StopClosesWhatIsQueuedAndJoinWaitsForTheBusy) {
    Served served;
    served.release.store(false);
    WorkerQueue workers(limits(1, 1));
    workers.start(new GreetingFactory(served));
    Connection busy, waiting, late;
    workers.enqueue(busy.server);
    busy.server = Poco::Net::StreamSocket();
    ASSERT_EQ(busy.reply(), "hi");
    workers.enqueue(waiting.server);
    waiting.server = Poco::Net::StreamSocket();
    ASSERT_EQ(workers.queued(), 1u);

    workers.stop();
    EXPECT_EQ(waiting.reply(), "") << "a queued connection is closed when the workers stop";
    workers.enqueue(late.server);
    late.server = Poco::Net::StreamSocket();
    EXPECT_EQ(late.reply(), "") << "nothing is queued after stop";

    std::atomic<bool> joined{false};
    std::thread joiner([&] {
        workers.join();
        joined.store(true);
    });
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(joined.load()) << "join() returned while a worker was still serving";
    served.release.store(true);
    EXPECT_TRUE(eventually(5s, [&] { return joined.load(); }));
    joiner.join();
    EXPECT_EQ(served.served.load(), 1);
    EXPECT_EQ(workers.threads(), 0u);
}

}  // namespace
}  // namespace vep::host
