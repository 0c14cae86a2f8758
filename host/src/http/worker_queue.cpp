// See worker_queue.hpp.
#include "http/worker_queue.hpp"

#include <malloc.h>
#include <pthread.h>

#include <exception>
#include <memory>

#include <Poco/Net/TCPServerConnection.h>

#include "net/close_quietly.hpp"

namespace vep::host {

WorkerQueue::WorkerQueue(Limits limits) : limits_(limits) {}

WorkerQueue::~WorkerQueue() {
    stop();
    join();
}

void WorkerQueue::start(Poco::Net::TCPServerConnectionFactory::Ptr factory) {
    std::lock_guard lock(mutex_);
    factory_ = std::move(factory);
}

void WorkerQueue::enqueue(const Poco::Net::StreamSocket &socket) {
    std::unique_lock lock(mutex_);
    if (stopped_ || !factory_) {
        lock.unlock();
        Poco::Net::StreamSocket refused(socket);
        close_quietly(refused);
        return;
    }
    queue_.push_back(socket);
    if (!waiting_.empty()) {
        Waiter *waiter = waiting_.back();
        waiting_.pop_back();
        waiter->handed = true;
        lock.unlock();
        waiter->wake.notify_one();
        return;
    }
    // When the system refuses a new thread, the connection waits for a running worker, or for the
    // next enqueue to start one; its read deadline keeps running meanwhile.
    if (threads_ < limits_.max_threads) add_worker();
}

size_t WorkerQueue::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

uint32_t WorkerQueue::threads() const {
    std::lock_guard lock(mutex_);
    return threads_;
}

void WorkerQueue::stop() {
    std::deque<Poco::Net::StreamSocket> left;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) return;
        stopped_ = true;
        left.swap(queue_);
        for (Waiter *waiter : waiting_) waiter->wake.notify_one();
        waiting_.clear();
    }
    for (auto &socket : left) close_quietly(socket);
}

void WorkerQueue::join() {
    std::unique_lock lock(mutex_);
    all_ended_.wait(lock, [this] { return threads_ == 0; });
}

void WorkerQueue::hand_back_memory() {
    {
        std::lock_guard lock(mutex_);
        if (ended_ == trimmed_at_) return;
        trimmed_at_ = ended_;
    }
    malloc_trim(0);
}

void WorkerQueue::add_worker() {
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return;
    pthread_attr_setstacksize(&attributes, limits_.stack_bytes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    const int created = pthread_create(
        &thread, &attributes,
        [](void *self) -> void * {
            static_cast<WorkerQueue *>(self)->work();
            return nullptr;
        },
        this);
    pthread_attr_destroy(&attributes);
    if (created != 0) return;
    pthread_setname_np(thread, "vep-worker");
    ++threads_;
}

void WorkerQueue::work() {
    std::unique_lock lock(mutex_);
    if (free_waiters_.empty()) free_waiters_.push_back(&waiters_.emplace_back());
    Waiter &self = *free_waiters_.back();
    free_waiters_.pop_back();
    while (!stopped_) {
        if (!queue_.empty()) {
            Poco::Net::StreamSocket socket = std::move(queue_.front());
            queue_.pop_front();
            Poco::Net::TCPServerConnectionFactory *factory = factory_.get();  // set once, lives with the queue
            lock.unlock();
            try {
                std::unique_ptr<Poco::Net::TCPServerConnection> connection(factory->createConnection(socket));
                connection->run();
            } catch (const std::exception &) {
                // the connection ended with an error its handler did not answer; the worker goes on
            }
            lock.lock();
            continue;
        }
        self.handed = false;
        waiting_.push_back(&self);
        // A stale wake-up (sent to this waiter's earlier owner) is one more spurious wake-up.
        const bool woken = self.wake.wait_for(lock, limits_.idle, [&] { return self.handed || stopped_; });
        if (!woken) std::erase(waiting_, &self);
        if (!woken && threads_ > limits_.min_threads) break;
    }
    free_waiters_.push_back(&self);
    --threads_;
    ++ended_;
    if (threads_ == 0) all_ended_.notify_all();
}

}  // namespace vep::host
