// See chain.hpp.
#include "chain/chain.hpp"

#include <stdexcept>

#include "chain/exchange.hpp"
#include "errors/proxy_error.hpp"

namespace vep::host {

Chain Chain::build(const std::vector<std::string> &names, const Generation &generation, const StageRegistry &builtin,
                   const StageRegistry &plugins) {
    Chain chain;
    for (const auto &name : names) {
        const StageBuilder *builder = builtin.find(name);
        if (!builder) builder = plugins.find(name);
        if (!builder) {
            std::string known;
            for (const auto &n : builtin.names()) known += (known.empty() ? "" : ", ") + n;
            for (const auto &n : plugins.names()) known += ", " + n + " (filter plugin)";
            throw std::runtime_error("chain.stages: unknown stage \"" + name + "\" (known: " + known + ")");
        }
        chain.factories_.emplace_back(name, (*builder)(generation));
    }
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
