// See model_probe.hpp.
#include "runtime/model_probe.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "config/model_modes.hpp"
#include "log/log.hpp"
#include "vep/json.hpp"

namespace vep::host {
namespace {

// The ids `models_body` (a GET /v1/models body) lists, aliases left out.
std::vector<std::string> probed_models(const std::string &models_body, const Config &config) {
    std::vector<std::string> ids;
    const json::Value list = json::parse(models_body);
    const json::Value *data = list.find("data");
    if (!data || !data->is_array()) return ids;
    for (const auto &entry : data->as_array()) {
        const json::Value *id = entry.find("id");
        if (id && id->is_string() && !config.aliases.count(id->as_string())) ids.push_back(id->as_string());
    }
    return ids;
}

}  // namespace

ModelProbe::ModelProbe(const GenerationHolder &generations) : generations_(generations) {}

ModelProbe::~ModelProbe() { stop(); }

void ModelProbe::start() {
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void ModelProbe::generation_changed() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        changed_ = true;
    }
    wake_.notify_all();
}

void ModelProbe::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_.store(true);
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool ModelProbe::serving(const Generation &generation) const {
    return !stopping_.load() && generations_.current().get() == &generation;
}

void ModelProbe::run() {
    auto &log = logger("proxy.attestation");
    std::unique_lock<std::mutex> lock(mutex_);
    auto next_round = std::chrono::steady_clock::now();
    while (!stopping_.load()) {
        Duration interval{0};
        if (const auto generation = generations_.current()) interval = generation->config().attestation.probe_interval;
        const auto woken = [this] { return stopping_.load() || changed_; };
        if (interval.count() <= 0) {
            wake_.wait(lock, woken);
            changed_ = false;
            next_round = std::chrono::steady_clock::now();
            continue;
        }
        if (!changed_ && std::chrono::steady_clock::now() < next_round) {
            wake_.wait_until(lock, next_round, woken);
            continue;
        }
        changed_ = false;
        lock.unlock();
        if (const auto generation = generations_.current()) {
            try {
                round(*generation);
            } catch (const std::exception &e) {
                log.warning(std::string("attestation probe: the round stopped: ") + e.what());
            }
        }
        lock.lock();
        next_round = std::chrono::steady_clock::now() + interval;
    }
}

void ModelProbe::round(const Generation &generation) {
    auto &log = logger("proxy.attestation");
    const std::vector<std::string> models = probed_models(generation.model_list(), generation.config());
    if (models.empty()) return;
    const size_t count = std::min(models.size(), kMaxModelsPerRound);
    const size_t first = next_ % models.size();
    next_ = first + count;
    const auto fresh_for = generation.config().attestation.probe_interval / 2;
    size_t verified = 0, rejected = 0;
    for (size_t i = 0; i < count && serving(generation); ++i) {
        const std::string &model = models[(first + i) % models.size()];
        const auto before = generation.attestation().status(model);
        const bool was_failing = before && !before->verified;
        switch (generation.attestation().probe(model, model_mode(generation.config(), model), fresh_for)) {
        case ProbeOutcome::Verified:
            ++verified;
            if (was_failing) log.information("attestation probe: " + model + " attests again");
            break;
        case ProbeOutcome::Rejected:
            ++rejected;
            if (!was_failing) {
                const auto status = generation.attestation().status(model);
                log.warning("attestation probe: " + model + " no longer attests (" + (status ? status->code : "") + ")");
            }
            break;
        case ProbeOutcome::Skipped: break;
        }
    }
    log.debug("attestation probe: " + std::to_string(count) + " models, " + std::to_string(verified) + " verified, " +
              std::to_string(rejected) + " rejected");
}

}  // namespace vep::host
