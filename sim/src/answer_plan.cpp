#include "answer_plan.hpp"

#include <algorithm>
#include <iterator>

#include "tool_call_text.hpp"
#include "vep/sdk.hpp"

namespace vep::sim {
namespace {

constexpr const char *kEmptyEcho = "ok";
constexpr std::string_view kFiller = "abcdefghijklmnopqrstuvwxyz0123456789 ";

// Byte length of the UTF-8 character starting at `at` (texts here are valid UTF-8).
size_t char_length(const std::string &text, size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
    return std::min(n, text.size() - at);
}

std::string tool_answer(const Scenario &s, const ModelInfo &model, const Conversation &c) {
    ToolCallRequest r;
    r.format = s.format.value_or(model.tool_format);
    r.variant = s.variant;
    if (s.variant == ToolVariant::FailThenSucceed && c.correction_prompt) r.variant = ToolVariant::WellFormed;
    r.tools = announced_tools(c.system_text);
    r.tool_override = s.tool;
    r.args_override = s.args;
    return tool_call_text(r);
}

}  // namespace

std::string long_answer_chunk(int index, int chunk_bytes) {
    std::string out;
    out.reserve(static_cast<size_t>(chunk_bytes));
    for (int i = 0; i < chunk_bytes; ++i)
        out += kFiller[static_cast<size_t>(index + i) % kFiller.size()];
    return out;
}

std::string reasoning_chunk(int index) { return "Reasoning step " + std::to_string(index + 1) + ". "; }

std::vector<std::string> split_text(const std::string &text, SplitMode mode, int chunk_bytes) {
    static constexpr int kAwkwardCycle[] = {1, 3, 2, 5, 4, 7};
    std::vector<std::string> chunks;
    size_t pos = 0;
    size_t turn = 0;
    while (pos < text.size()) {
        size_t end = pos;
        if (mode == SplitMode::Awkward) {
            const int chars = kAwkwardCycle[turn++ % std::size(kAwkwardCycle)];
            for (int i = 0; i < chars && end < text.size(); ++i) end += char_length(text, end);
        } else {
            end += char_length(text, end);
            while (end < text.size() && end + char_length(text, end) - pos <= static_cast<size_t>(chunk_bytes))
                end += char_length(text, end);
        }
        chunks.push_back(text.substr(pos, end - pos));
        pos = end;
    }
    return chunks;
}

AnswerPlan build_answer_plan(const Scenario &s, const ModelInfo &model, const Conversation &c, int max_chunks) {
    AnswerPlan plan;
    for (int i = 0; i < s.reasoning_chunks; ++i) plan.steps.push_back({AnswerStep::Kind::Reasoning, reasoning_chunk(i)});

    std::vector<std::string> content;
    switch (s.kind) {
    case ScenarioKind::Empty: break;
    case ScenarioKind::Long:
        for (int i = 0; i < s.chunks; ++i) content.push_back(long_answer_chunk(i, s.chunk_bytes));
        break;
    case ScenarioKind::Tool: content = split_text(tool_answer(s, model, c), s.split, s.chunk_bytes); break;
    case ScenarioKind::Echo:
    case ScenarioKind::Reasoning: {
        const std::string prefix = s.prefix + (c.correction_prompt ? std::string() : s.first_prefix);
        const std::string text = prefix + (c.echo_text.empty() && prefix.empty() ? kEmptyEcho : c.echo_text);
        content = split_text(text, s.split, s.chunk_bytes);
        break;
    }
    }
    for (auto &text : content) plan.steps.push_back({AnswerStep::Kind::Content, std::move(text)});

    if (plan.steps.size() > static_cast<size_t>(max_chunks))
        throw vep::Failure("invalid_directive", "answer would need " + std::to_string(plan.steps.size()) +
                                                    " chunks, more than the limit " + std::to_string(max_chunks));
    if (s.fault != FaultKind::None) {
        const size_t at = std::min(static_cast<size_t>(s.fault_after), plan.steps.size());
        plan.steps.insert(plan.steps.begin() + static_cast<std::ptrdiff_t>(at), AnswerStep{AnswerStep::Kind::Fault, {}});
    }
    return plan;
}

}  // namespace vep::sim
