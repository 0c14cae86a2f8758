// ChatOutput: the OpenAI chat-completion output of the pipeline's responders read back into its
// parts — one streaming chunk or one buffered completion body: identity, text, reasoning, tool
// calls, finish reason and usage. The answer shapes of the other client APIs build their events
// from it. Throws ProxyError internal_error on output the responders could not have produced.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vep/json.hpp"

namespace vep::host {

struct ChatToolCallOut {
    std::string id;
    std::string name;
    std::string arguments;  // JSON text
};

struct ChatOutput {
    std::string id;
    std::string model;
    int64_t created = 0;
    std::optional<std::string> content;
    std::optional<std::string> reasoning;
    std::vector<ChatToolCallOut> tool_calls;
    std::optional<std::string> finish_reason;
    std::optional<json::Value> usage;  // the chat usage object when present and not null
};

// One chat.completion.chunk JSON text.
ChatOutput read_chat_chunk(std::string_view chunk_json);
// One chat.completion body.
ChatOutput read_chat_completion(std::string_view completion_json);

// Token counts of a chat usage object (0 for absent members).
struct TokenCounts {
    uint64_t input = 0;
    uint64_t output = 0;
    uint64_t reasoning = 0;
    uint64_t cached = 0;
};
TokenCounts token_counts(const json::Value &usage);

}  // namespace vep::host
