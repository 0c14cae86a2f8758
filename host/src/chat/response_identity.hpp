// FallbackIdentity: the id/created/model a transformer uses when upstream chunks lack them
// (chatcmpl-local-<uuid>, the transformer's creation time, the request's model), and
// identity_for() choosing between an upstream chunk's identity and the fallback. Used by the
// streaming, buffered and tool transformers.
#pragma once

#include <ctime>
#include <string>

#include "ids/random_uuid.hpp"
#include "openai/chat_response.hpp"
#include "sse/upstream_event.hpp"

namespace vep::host {

struct FallbackIdentity {
    explicit FallbackIdentity(std::string request_model)
        : id("chatcmpl-local-" + random_uuid()),
          created(static_cast<int64_t>(std::time(nullptr))), model(std::move(request_model)) {}
    std::string id;
    int64_t created;
    std::string model;

    ResponseIdentity plain() const { return ResponseIdentity{id, "chat.completion.chunk", created, model}; }
};

// The upstream chunk's identity members where present, the fallback's otherwise. The views point
// into `upstream` and `fallback`, which must outlive the result.
inline ResponseIdentity identity_for(const UpstreamIdentity &upstream, const FallbackIdentity &fallback) {
    ResponseIdentity r = fallback.plain();
    if (upstream.id) r.id = *upstream.id;
    if (upstream.object) r.object = *upstream.object;
    if (upstream.created) r.created = *upstream.created;
    if (upstream.model) r.model = *upstream.model;
    return r;
}

}  // namespace vep::host
