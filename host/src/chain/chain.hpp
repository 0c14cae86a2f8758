// Chain: the configured, ordered list of stage factories (built once per generation, after
// checking that the core stages are all there and in order) and ChainRun, one request's pass
// through it. The pipeline runs the request side, every attempt and completion; the response side
// runs for every event the pipeline sends to the client.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "chain/stage.hpp"
#include "chain/stage_registry.hpp"

namespace vep::host {

class ChainRun;

// The stages a chat request cannot do without, in the order they must run: overload protection,
// request parsing, tool emulation (history rendering and prompts), the session, attestation and
// encryption. Filter stages may sit anywhere between them.
inline const std::vector<std::string> &core_stage_order() {
    static const std::vector<std::string> order{"limits", "parse", "tools", "session", "attest", "encrypt"};
    return order;
}

class Chain {
  public:
    // Resolves each name of config.chain.stages in `builtin`, then in `plugins` (filter plugins
    // of this generation). Throws std::runtime_error for an unknown stage (listing the known ones)
    // and for a core stage that is missing or out of order — naming the stage and where
    // chain.stages was set (file:line:col).
    static Chain build(const Config &config, const StageServices &services, const StageRegistry &builtin,
                       const StageRegistry &plugins);

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
    // One upstream attempt, every stage in order. Throws the ProxyError a stage throws.
    void run_attempt(Exchange &exchange, AttemptRequest &attempt);
    // Response side in reverse order. false when a stage dropped the event. A ProxyError thrown by
    // a stage propagates; LocalReply/Error become the stage's reply or internal_error.
    bool run_response_event(Exchange &exchange, ResponseEvent &event);
    // Calls on_complete once on every stage that saw the request.
    void complete(Exchange &exchange, bool succeeded);

  private:
    std::vector<std::unique_ptr<Stage>> stages_;
    size_t entered_ = 0;  // stages whose on_request ran (they all get on_complete)
    bool completed_ = false;
};

}  // namespace vep::host
