// make_pipeline_handler(): the route handler of every client API served by the chat pipeline
// (chat completions, Responses, Messages). It turns the Poco request into a pipeline call —
// checks the media type, reads the body within server.max_body_bytes, has the ClientApi translate
// it into a chat request and make the answer's shape — and hands call and client (as a
// ClientPort: error answers on this thread, in the API's error form, or the detached connection
// for the relay) to the ChatPipeline, which does everything else. Used by the *_handler.cpp
// files of those routes.
#pragma once

#include <memory>

#include "frontend/answer_shape.hpp"
#include "http/request_router.hpp"

namespace vep::host {

std::unique_ptr<RouteHandler> make_pipeline_handler(const RouteServices &services, ClientApi api);

}  // namespace vep::host
