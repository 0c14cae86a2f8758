// See chat_pipeline.hpp.
#include "pipeline/chat_pipeline.hpp"

#include "pipeline/chat_exchange.hpp"
#include "relay/relay_job.hpp"
#include "runtime/generation.hpp"

namespace vep::host {

void ChatPipeline::run(std::shared_ptr<const Generation> generation, ChatCall call, ClientPort &port) {
    const Config &config = generation->config();
    const Duration idle_timeout = config.venice.request_timeout;
    const Duration send_timeout = config.server.send_timeout;
    auto exchange = std::make_unique<ChatExchange>(std::move(generation), std::move(call), stats_);
    std::optional<UpstreamAttempt> first;
    try {
        exchange->run_request_side();
        first = exchange->open_attempt();
    } catch (const ProxyError &e) {
        exchange->finish(RelayOutcome{false, e.status(), e.code(), false});
        port.send_error(e, exchange->request_id());
        return;
    }
    RelayJob::Parts parts{port.take_connection(), std::move(*first), std::move(exchange), idle_timeout, send_timeout,
                          config.server.keep_alive_timeout};
    relay_.adopt(std::make_unique<RelayJob>(std::move(parts)));
}

void ChatPipeline::refuse(std::shared_ptr<const Generation> generation, ChatCall call, const ProxyError &error,
                          ClientPort &port) {
    ChatExchange exchange(std::move(generation), std::move(call), stats_);
    exchange.finish(RelayOutcome{false, error.status(), error.code(), false});
    port.send_error(error, "");
}

}  // namespace vep::host
