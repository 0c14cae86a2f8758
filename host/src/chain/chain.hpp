// Chain: the configured, ordered list of stage factories (built once per generation) and
// ChainRun, one request's pass through it. The chat handler runs the request side and opens the
// upstream exchange; the RelayJob then pushes every client-bound event through the response side
// and completes the run.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "chain/stage.hpp"
#include "chain/stage_registry.hpp"

namespace vep::host {

class ChainRun;

class Chain {
  public:
    // Resolves each name in `builtin`, then in `plugins` (filter plugins of this generation).
    // Throws std::runtime_error naming an unknown stage and listing the known ones.
    static Chain build(const std::vector<std::string> &names, const Generation &generation,
                       const StageRegistry &builtin, const StageRegistry &plugins);

    std::unique_ptr<ChainRun> start() const;
    std::vector<std::string> names() const;

  private:
    std::vector<std::pair<std::string, std::shared_ptr<StageFactory>>> factories_;
};

class ChainRun {
  public:
    explicit ChainRun(std::vector<std::unique_ptr<Stage>> stages) : stages_(std::move(stages)) {}

    // Request side in order. Continue when every stage continued; otherwise LocalReply (the
    // exchange holds the reply: a stage's ProxyError becomes one) or Error.
    StageStatus run_request(Exchange &exchange);
    // Response side in reverse order. false when a stage dropped the event. A ProxyError thrown by
    // a stage propagates; Error becomes ProxyError internal_error.
    bool run_response_event(Exchange &exchange, ResponseEvent &event);
    // Calls on_complete once on every stage.
    void complete(Exchange &exchange, bool succeeded);

  private:
    std::vector<std::unique_ptr<Stage>> stages_;
    size_t entered_ = 0;  // stages whose on_request ran (they all get on_complete)
    bool completed_ = false;
};

}  // namespace vep::host
