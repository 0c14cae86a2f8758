// POST /v1/chat/completions: the pipeline's own API — the body is the chat request and the
// responders' output is the answer.
#include "http/pipeline_handler.hpp"

namespace vep::host {

std::unique_ptr<RouteHandler> make_chat_handler(const RouteServices &services) {
    return make_pipeline_handler(services, ClientApi{"POST /v1/chat/completions", nullptr, nullptr, nullptr});
}

}  // namespace vep::host
