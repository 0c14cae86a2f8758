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
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/StreamSocketImpl.h>

#include "greeting_connection.hpp"
#include "http/worker_queue.hpp"

namespace vep::host {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

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
    // The server's end goes to `workers`, which then holds its only reference.
    void hand_to(WorkerQueue &workers) {
        workers.enqueue(server);
        server = Poco::Net::StreamSocket();
    }
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

// Hands a new connection to `workers`; it must be answered and counted as the `number`th served.
void serve_one(WorkerQueue &workers, test::Served &served, int number) {
    Connection connection;
    connection.hand_to(workers);
    EXPECT_EQ(connection.reply(), "hi");
    EXPECT_TRUE(eventually(5s, [&] { return served.served.load() == number; })) << "connection " << number;
}

// Hands `count` new connections to `workers`, whose handlers hold them until `served.release`;
// returns once `running` handlers hold theirs.
std::vector<Connection> hand_held(WorkerQueue &workers, test::Served &served, size_t count, int running) {
    served.release.store(false);
    std::vector<Connection> connections(count);
    for (auto &connection : connections) connection.hand_to(workers);
    EXPECT_TRUE(eventually(5s, [&] { return served.running.load() == running; }));
    return connections;
}

WorkerQueue::Limits limits(uint32_t min, uint32_t max, std::chrono::milliseconds idle = 10s) {
    return WorkerQueue::Limits{min, max, idle, 256 * 1024};
}

TEST(WorkerQueue, ConnectionsOneAfterAnotherGoToTheOneWaitingWorker) {
    test::Served served;
    WorkerQueue workers(limits(1, 8));
    workers.start(new test::GreetingFactory(served));
    for (int i = 1; i <= 20 && !HasFailure(); ++i) serve_one(workers, served, i);
    EXPECT_EQ(workers.threads(), 1u);
    EXPECT_EQ(served.threads.size(), 1u) << "each connection started a worker of its own";
}

TEST(WorkerQueue, BeyondMaxThreadsConnectionsWaitAndAreAllServed) {
    test::Served served;
    WorkerQueue workers(limits(1, 2));
    workers.start(new test::GreetingFactory(served));
    std::vector<Connection> connections = hand_held(workers, served, 5, 2);
    EXPECT_EQ(workers.threads(), 2u);
    EXPECT_EQ(workers.queued(), 3u);
    served.release.store(true);
    for (auto &connection : connections) EXPECT_EQ(connection.reply(), "hi");
    EXPECT_TRUE(eventually(5s, [&] { return served.served.load() == 5; }));
    EXPECT_EQ(workers.queued(), 0u);
    EXPECT_LE(served.threads.size(), 2u);
}

TEST(WorkerQueue, IdleWorkersAboveTheMinimumEnd) {
    test::Served served;
    WorkerQueue workers(limits(1, 4, 100ms));
    workers.start(new test::GreetingFactory(served));
    const std::vector<Connection> connections = hand_held(workers, served, 4, 4);
    EXPECT_EQ(workers.threads(), 4u);
    served.release.store(true);
    EXPECT_TRUE(eventually(5s, [&] { return workers.threads() == 1; })) << workers.threads() << " workers left";
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(workers.threads(), 1u) << "the minimum is kept";
    workers.hand_back_memory();

    Connection later;
    later.hand_to(workers);
    EXPECT_EQ(later.reply(), "hi");
}

TEST(WorkerQueue, SteadyLightWorkGoesToOneWorkerSoTheIdleOnesStillEnd) {
    test::Served served;
    WorkerQueue workers(limits(1, 4, 300ms));
    workers.start(new test::GreetingFactory(served));
    const std::vector<Connection> burst = hand_held(workers, served, 4, 4);
    served.release.store(true);
    ASSERT_TRUE(eventually(5s, [&] { return served.served.load() == 4; }));
    // One connection every 40 ms for 1.2 s: handed round the four waiting workers, each would get
    // work every 160 ms, less than its 300 ms idle time, and none would ever end.
    for (int i = 5; i <= 34 && !HasFailure(); ++i) {
        serve_one(workers, served, i);
        std::this_thread::sleep_for(40ms);
    }
    EXPECT_EQ(workers.threads(), 1u) << "idle workers were kept busy by being woken in turn";
}

TEST(WorkerQueue, AHandlerThatThrowsLeavesItsWorkerServing) {
    test::Served served;
    served.throw_next.store(true);
    WorkerQueue workers(limits(1, 1));
    workers.start(new test::GreetingFactory(served));
    serve_one(workers, served, 1);
    serve_one(workers, served, 2);
    EXPECT_EQ(workers.threads(), 1u);
}

TEST(WorkerQueue, StopClosesWhatIsQueuedAndJoinWaitsForTheBusy) {
    test::Served served;
    served.release.store(false);
    WorkerQueue workers(limits(1, 1));
    workers.start(new test::GreetingFactory(served));
    Connection busy, waiting, late;
    busy.hand_to(workers);
    ASSERT_EQ(busy.reply(), "hi");
    waiting.hand_to(workers);
    ASSERT_EQ(workers.queued(), 1u);

    workers.stop();
    EXPECT_EQ(waiting.reply(), "") << "a queued connection is closed when the workers stop";
    late.hand_to(workers);
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
