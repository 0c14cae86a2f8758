// See chain.hpp.
#include "chain/chain.hpp"

#include <algorithm>
#include <stdexcept>

#include "chain/exchange.hpp"
#include "errors/proxy_error.hpp"

namespace vep::host {
namespace {

// Where chain.stages (or one of its elements) was set, for error messages.
std::string located(const Config &config, const std::string &key) {
    if (auto it = config.sources.find(key); it != config.sources.end()) return it->second.text;
    if (auto it = config.sources.find("chain.stages"); it != config.sources.end()) return it->second.text;
    return config.path.empty() ? std::string("chain.stages") : config.path;
}

std::string core_list() {
    std::string out;
    const auto &order = core_stage_order();
    for (size_t i = 0; i < order.size(); ++i) out += (i == 0 ? "" : i + 1 == order.size() ? " and " : ", ") + order[i];
    return out;
}

// Every core stage present, each after the one before it in core_stage_order().
void check_core_stages(const Config &config) {
    const auto &names = config.chain.stages;
    size_t previous_at = 0;
    std::string previous;
    for (const auto &core : core_stage_order()) {
        const auto it = std::find(names.begin(), names.end(), core);
        if (it == names.end())
            throw std::runtime_error(located(config, "chain.stages") + ": chain.stages: the core stage \"" + core +
                                     "\" is missing (a chat request needs " + core_list() + ", in this order)");
        const size_t at = static_cast<size_t>(it - names.begin());
        if (!previous.empty() && at < previous_at)
            throw std::runtime_error(located(config, "chain.stages[" + std::to_string(at) + "]") +
                                     ": chain.stages: the core stage \"" + core + "\" must come after \"" + previous +
                                     "\" (a chat request needs " + core_list() + ", in this order)");
        previous_at = at;
        previous = core;
    }
}

}  // namespace

Chain Chain::build(const Config &config, const StageServices &services, const StageRegistry &builtin,
                   const StageRegistry &plugins) {
    Chain chain;
    for (size_t i = 0; i < config.chain.stages.size(); ++i) {
        const std::string &name = config.chain.stages[i];
        const StageBuilder *builder = builtin.find(name);
        if (!builder) builder = plugins.find(name);
        if (!builder) {
            std::string known;
            for (const auto &n : builtin.names()) known += (known.empty() ? "" : ", ") + n;
            for (const auto &n : plugins.names()) known += ", " + n + " (filter plugin)";
            throw std::runtime_error(located(config, "chain.stages[" + std::to_string(i) + "]") +
                                     ": chain.stages: unknown stage \"" + name + "\" (known: " + known + ")");
        }
        chain.factories_.emplace_back(name, (*builder)(services));
    }
    check_core_stages(config);
    return chain;
}

std::unique_ptr<ChainRun> Chain::start() const {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.reserve(factories_.size());
    for (const auto &f : factories_) stages.push_back(f.second->create());
    return std::make_unique<ChainRun>(std::move(stages));
}

std::vector<std::string> Chain::names() const {
    std::vector<std::string> out;
    for (const auto &f : factories_) out.push_back(f.first);
    return out;
}

StageStatus ChainRun::run_request(Exchange &exchange) {
    for (auto &stage : stages_) {
        ++entered_;
        StageStatus status;
        try {
            status = stage->on_request(exchange);
        } catch (const ProxyError &e) {
            exchange.reply = e;
            return StageStatus::LocalReply;
        }
        switch (status) {
        case StageStatus::Continue: continue;
        case StageStatus::Stop:
        case StageStatus::LocalReply:
            if (!exchange.reply)
                exchange.reply = ProxyError::of("internal_error", "a chain stage stopped the request without a reply");
            return StageStatus::LocalReply;
        case StageStatus::Error:
            if (!exchange.reply) exchange.reply = ProxyError::of("internal_error", "a chain stage failed the request");
            return StageStatus::Error;
        }
    }
    return StageStatus::Continue;
}

void ChainRun::run_attempt(Exchange &exchange, AttemptRequest &attempt) {
    for (auto &stage : stages_) stage->on_attempt(exchange, attempt);
}

bool ChainRun::run_response_event(Exchange &exchange, ResponseEvent &event) {
    for (auto it = stages_.rbegin(); it != stages_.rend(); ++it) {
        switch ((*it)->on_response_event(exchange, event)) {
        case StageStatus::Continue: continue;
        case StageStatus::Stop: return false;
        case StageStatus::LocalReply:
        case StageStatus::Error:
            throw exchange.reply ? *exchange.reply
                                 : ProxyError::of("internal_error", "a chain stage failed the response");
        }
    }
    return true;
}

void ChainRun::complete(Exchange &exchange, bool succeeded) {
    if (completed_) return;
    completed_ = true;
    for (size_t i = 0; i < entered_ && i < stages_.size(); ++i) stages_[i]->on_complete(exchange, succeeded);
}

}  // namespace vep::host
