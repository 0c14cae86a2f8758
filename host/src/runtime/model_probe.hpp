// ModelProbe: the background attestation probe of attestation.probe_interval. One thread for the
// process, owned by ProxyApp: every interval it takes the serving generation, reads the models
// GET /v1/models lists (aliases left out) and runs AttestationService::probe() — a fresh nonce,
// the same verifiers and gates, single flight with request-driven rounds, a model attested less
// than half an interval ago left alone — for at most kMaxModelsPerRound of them, the next round
// going on where this one stopped. Its verdicts keep the service's per-model status true, which
// models.list_only_attested and /metrics read. A reload wakes it (generation_changed()): a round
// of a generation that no longer serves stops before its next model and the new one is probed at
// once, so rounds never stack. stop() waits for at most the attestation fetch in flight (bounded
// by venice.request_timeout). With probe_interval = 0 the thread only waits.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "runtime/generation_holder.hpp"

namespace vep::host {

class ModelProbe {
  public:
    static constexpr size_t kMaxModelsPerRound = 32;

    explicit ModelProbe(const GenerationHolder &generations);
    ModelProbe(const ModelProbe &) = delete;
    ModelProbe &operator=(const ModelProbe &) = delete;
    ~ModelProbe();

    // Starts the thread; its first round runs at once when the serving generation has an interval.
    void start();
    // A new generation serves: the current round stops and the new generation is probed.
    void generation_changed();
    // Ends the thread (idempotent); called before the generations go away.
    void stop();

  private:
    void run();
    void round(const Generation &generation);
    bool serving(const Generation &generation) const;

    const GenerationHolder &generations_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool changed_ = false;  // guarded by mutex_
    std::atomic<bool> stopping_{false};
    size_t next_ = 0;  // where the next round starts in the model list (probe thread only)
    std::thread thread_;
};

}  // namespace vep::host
