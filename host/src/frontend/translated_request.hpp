// TranslatedRequest: another client API's request as the pipeline takes it — the chat completions
// body, and what the answer shape needs from the original request. Made by the translators
// (responses_request, messages_request) for the route handlers.
#pragma once

#include <string>

namespace vep::host {

struct TranslatedRequest {
    std::string chat_body;  // an OpenAI chat completions request body
    std::string model;      // the model as the client named it
    bool stream = false;
};

}  // namespace vep::host
