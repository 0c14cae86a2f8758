// libFuzzer target: a client's request body as each client API reads it — OpenAI chat
// completions (parse_chat_request, then the TEE-only upstream body built from it), Anthropic
// Messages and OpenAI Responses (translated into a chat request, which is parsed in turn). The
// first byte picks the API; the rest is the body.
//
// Checks, besides memory safety: every refusal is a ProxyError with a 4xx status (anything else
// would reach the client as a 500 or end the worker); a translated request that is accepted is
// a chat request the chat parser reads, or refuses the same way; the upstream body built from an
// accepted request is a JSON object.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "errors/proxy_error.hpp"
#include "frontend/messages_request.hpp"
#include "frontend/responses_request.hpp"
#include "openai/chat_request_parser.hpp"
#include "openai/upstream_chat_body.hpp"
#include "vep/json.hpp"

namespace {

void refused(const vep::host::ProxyError &e) {
    if (e.status() < 400 || e.status() > 499) __builtin_trap();
}

void chat(std::string_view body) {
    vep::host::ParsedChatRequest request;
    try {
        request = vep::host::parse_chat_request(body);
    } catch (const vep::host::ProxyError &e) {
        refused(e);
        return;
    }
    if (!vep::json::parse(vep::host::build_tee_only_upstream_body(request)).is_object()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const std::string_view body(reinterpret_cast<const char *>(data) + 1, size - 1);
    const unsigned api = data[0] % 3;
    if (api == 0) {
        chat(body);
        return 0;
    }
    vep::host::TranslatedRequest translated;
    try {
        translated = api == 1 ? vep::host::translate_messages_request(body) : vep::host::translate_responses_request(body);
    } catch (const vep::host::ProxyError &e) {
        refused(e);
        return 0;
    }
    chat(translated.chat_body);
    return 0;
}
