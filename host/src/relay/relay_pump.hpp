// RelayPump: the relay threads. Once a chat request's first upstream attempt has answered, the
// pipeline hands the request to the pump as a RelayJob and its Poco worker thread is free again;
// one of N event loops (round robin) then relays the whole answer, so an open stream costs two
// sockets and a few KiB instead of a thread, and each loop serves every stream that is ready at
// each wake-up. Owns the loops, the blocking tasks for further attempts, and the jobs (each lives
// on its loop's thread, also while its connection waits for the next request after the answer);
// counts them in the RelayCounters (open, kept alive — bounded —, paused, pauses) and cuts them
// when the shutdown grace is over. Owned by ProxyServer.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "relay/blocking_tasks.hpp"
#include "relay/event_loop.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

class RelayJob;

class RelayPump {
  public:
    // `threads` event loops (0 = one per CPU core); `counters` outlive the pump; at most
    // `kept_alive_limit` client connections wait for their next request at once.
    RelayPump(unsigned threads, RelayCounters &counters, uint64_t kept_alive_limit);
    // Cuts what is still running (see cut_all) and stops the threads.
    ~RelayPump();
    RelayPump(const RelayPump &) = delete;
    RelayPump &operator=(const RelayPump &) = delete;

    // Thread-safe: a loop takes the job over and starts it.
    void adopt(std::unique_ptr<RelayJob> job);
    size_t threads() const { return slots_.size(); }
    // For jobs: one job paused (true) or resumed/retired while paused (false).
    void count_pause(bool paused) {
        if (paused) {
            counters_.paused.fetch_add(1);
            counters_.pauses.fetch_add(1);
        } else {
            counters_.paused.fetch_sub(1);
        }
    }
    // For jobs: an answer is over and its connection may wait for the next request — false when
    // as many connections wait as the limit allows (the job closes it then); true: it is counted
    // as kept alive, no longer as open, until it retires.
    bool keep_alive() {
        if (counters_.kept_alive.fetch_add(1) >= kept_alive_limit_) {
            counters_.kept_alive.fetch_sub(1);
            return false;
        }
        counters_.open.fetch_sub(1);
        return true;
    }
    // Ends every job now (an error event for a started stream, sockets closed; a kept-alive
    // connection closed) and waits at most `limit` for them to retire.
    void cut_all(std::chrono::milliseconds limit);

    // For jobs, on their loop's thread.
    BlockingTasks &blocking_tasks() { return *blocking_; }
    // The job is finished: it is destroyed after the loop's current batch of events.
    void retire(RelayJob *job);

  private:
    struct Slot {
        std::unique_ptr<EventLoop> loop;
        std::unordered_map<RelayJob *, std::unique_ptr<RelayJob>> jobs;  // loop thread only
    };
    Slot &slot_of(const EventLoop &loop);
    bool wait_idle(std::chrono::milliseconds limit) const;

    std::vector<std::unique_ptr<Slot>> slots_;
    std::unique_ptr<BlockingTasks> blocking_;
    RelayCounters &counters_;
    const uint64_t kept_alive_limit_;
    std::atomic<size_t> next_{0};
};

}  // namespace vep::host
