// A connection handler for the http unit tests of the worker side (ConnectionAcceptor,
// WorkerQueue): it writes "hi", holds the connection until released (at most 10 s), and records
// what it saw in a shared Served — how many run and were served, and on which threads; with
// throw_next set, the next one throws once it is done.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

namespace vep::host::test {

struct Served {
    std::atomic<int> running{0};
    std::atomic<int> served{0};
    std::atomic<bool> release{true};
    std::atomic<bool> throw_next{false};
    std::mutex mutex;
    std::set<std::thread::id> threads;
};

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
        for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
             !served_.release.load() && std::chrono::steady_clock::now() < until;)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
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

}  // namespace vep::host::test
