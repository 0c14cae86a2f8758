// BlockingTasks: a few threads that run blocking work for the event loops — opening a further
// upstream attempt (connect, send the request, wait for the response head, bounded by
// venice.request_timeout) must not stall the streams sharing a loop. Tasks run in submission
// order; the destructor finishes the queued ones and joins. Owned by the RelayPump.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vep::host {

class BlockingTasks {
  public:
    explicit BlockingTasks(unsigned threads);
    ~BlockingTasks();
    BlockingTasks(const BlockingTasks &) = delete;
    BlockingTasks &operator=(const BlockingTasks &) = delete;

    // Thread-safe. `task` must not throw.
    void submit(std::function<void()> task);

  private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace vep::host
