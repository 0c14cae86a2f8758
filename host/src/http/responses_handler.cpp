// POST /v1/responses (OpenAI Responses API, what Codex CLI and @ai-sdk/openai speak): a front end
// of the chat pipeline — frontend/responses_request translates the request, frontend/
// responses_shape writes the answer; errors keep the OpenAI error JSON.
#include "frontend/responses_request.hpp"
#include "frontend/responses_shape.hpp"
#include "http/pipeline_handler.hpp"

namespace vep::host {

std::unique_ptr<RouteHandler> make_responses_handler(const RouteServices &services) {
    return make_pipeline_handler(services, ClientApi{"POST /v1/responses", translate_responses_request,
                                                     make_responses_shape, nullptr});
}

}  // namespace vep::host
