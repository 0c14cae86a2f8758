// Turns a resolved scenario and the decrypted conversation into the sequence of SSE steps the
// simulated model streams: reasoning chunks, content chunks (split at UTF-8 boundaries), and the
// injected fault at its position. Called by the chat handler; pure (no I/O, no crypto).
#pragma once

#include <string>
#include <vector>

#include "model_catalog.hpp"
#include "scenario.hpp"

namespace vep::sim {

struct AnswerStep {
    enum class Kind { Reasoning, Content, Fault } kind = Kind::Content;
    std::string text;  // plaintext of a reasoning/content chunk (encrypted when written)
};

struct AnswerPlan {
    std::vector<AnswerStep> steps;
};

// What the plan needs to know about the conversation.
struct Conversation {
    std::string echo_text;    // last user message without directive lines
    std::string system_text;  // decrypted system messages joined by "\n\n"
    bool correction_prompt = false;  // this request is a tool-call retry
};

// Text a long answer is made of: `chunks` pieces of `chunk_bytes` ASCII bytes each.
std::string long_answer_chunk(int index, int chunk_bytes);
// Reasoning chunk `index` (0-based) of the reasoning steps.
std::string reasoning_chunk(int index);

// Splits `text` into chunks that are each valid UTF-8: even = at most `chunk_bytes` bytes (at least
// one character), awkward = 1,3,2,5,4,7 characters in turn (so every marker is cut).
std::vector<std::string> split_text(const std::string &text, SplitMode mode, int chunk_bytes);

// Throws vep::Failure("invalid_directive", ...) when the answer would exceed `max_chunks`.
AnswerPlan build_answer_plan(const Scenario &scenario, const ModelInfo &model, const Conversation &conversation,
                             int max_chunks);

}  // namespace vep::sim
