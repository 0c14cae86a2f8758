// See relay_pump.hpp.
#include "relay/relay_pump.hpp"

#include <thread>

#include "relay/relay_job.hpp"

namespace vep::host {
namespace {

// Further attempts opened at once; more wait in the queue.
constexpr unsigned kBlockingThreads = 4;
// How long the destructor waits for cut jobs (a retry attempt being opened finishes first).
constexpr std::chrono::seconds kStopWait{5};

}  // namespace

RelayPump::RelayPump(unsigned threads, RelayCounters &counters, uint64_t kept_alive_limit)
    : counters_(counters), kept_alive_limit_(kept_alive_limit) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < threads; ++i) {
        auto slot = std::make_unique<Slot>();
        slot->loop = std::make_unique<EventLoop>();
        slots_.push_back(std::move(slot));
    }
    blocking_ = std::make_unique<BlockingTasks>(kBlockingThreads);
}

RelayPump::~RelayPump() {
    cut_all(kStopWait);
    blocking_.reset();
    wait_idle(std::chrono::seconds(1));
    for (auto &slot : slots_) {
        slot->loop.reset();
        slot->jobs.clear();
    }
}

void RelayPump::adopt(std::unique_ptr<RelayJob> job) {
    Slot &slot = *slots_[next_.fetch_add(1) % slots_.size()];
    counters_.open.fetch_add(1);
    RelayJob *raw = job.release();
    slot.loop->post([this, &slot, raw] {
        slot.jobs.emplace(raw, std::unique_ptr<RelayJob>(raw));
        raw->start(*slot.loop, *this);
    });
}

RelayPump::Slot &RelayPump::slot_of(const EventLoop &loop) {
    for (auto &slot : slots_)
        if (slot->loop.get() == &loop) return *slot;
    throw std::logic_error("RelayPump: a job's loop is not one of the pump's");
}

void RelayPump::retire(RelayJob *job) {
    Slot &slot = slot_of(job->loop());
    slot.loop->post([this, &slot, job] {
        const auto it = slot.jobs.find(job);
        if (it == slot.jobs.end()) return;
        (job->kept_alive() ? counters_.kept_alive : counters_.open).fetch_sub(1);
        slot.jobs.erase(it);
    });
}

void RelayPump::cut_all(std::chrono::milliseconds limit) {
    for (auto &slot : slots_) {
        Slot *s = slot.get();
        s->loop->post([s] {
            for (auto &[raw, job] : s->jobs) job->cut();
        });
    }
    wait_idle(limit);
}

bool RelayPump::wait_idle(std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (counters_.open.load() + counters_.kept_alive.load() > 0) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace vep::host
