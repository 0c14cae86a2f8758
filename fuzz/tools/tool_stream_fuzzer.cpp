// libFuzzer target: one tool_format plugin (the target's name says which; fuzz/tools/CMakeLists.txt
// compiles its sources and entry point in, loaded through the SDK's FakeHost as the plugin tests
// do) and the host's tool emulation around it: ToolStreamDetector fed the model's output in random
// pieces, and classify() over the whole output. The model's output is untrusted: a prompt injection can make a model
// write anything.
//
// Input: one mode byte (auto / required / a correction attempt), up to eight piece lengths, then
// the output. Checks, besides memory safety and no escaping exception:
// - the pieces do not matter: the same output fed whole gives the same content, calls and retry;
// - nothing is lost or shown twice: on a first attempt the content shown is the whole output
//   (plain text), or the text before the format's start marker (calls, or a retry whose
//   invalid_output is the rest from the marker on); a required call or a correction attempt shows
//   nothing before the marker and, without one, retries with the whole output;
// - every call that comes out — of the stream or of classify() — names an exposed tool, has a
//   fresh "call_" + 32 hex id, and carries canonical JSON object arguments (sorted, compact) that
//   satisfy that tool's schema.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tools/classification.hpp"
#include "tools/schema_validation.hpp"
#include "tools/stream_detector.hpp"
#include "tools/tool_context.hpp"
#include "vep/client.hpp"
#include "vep/json.hpp"
#include "vep/plugin.hpp"
#include "vep/testing/fake_host.hpp"

extern "C" const vep_plugin_descriptor *vep_plugin_entry(const vep_host_api *host, char *err, size_t err_len);

namespace {

using namespace vep::host;
using namespace vep::host::tools;

// Tools with the schema features the validator knows: required strings, integers with bounds,
// enums, nested objects, arrays, a tool without parameters.
constexpr std::string_view kTools = R"([
 {"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},
   "days":{"type":"integer","minimum":1,"maximum":14},"unit":{"type":"string","enum":["c","f"]}},
   "required":["city"],"additionalProperties":false}},
 {"name":"search_web","parameters":{"type":"object","properties":{"query":{"type":"string"},
   "filters":{"type":"object","properties":{"site":{"type":"string"},"recent":{"type":"boolean"}}},
   "tags":{"type":"array","items":{"type":"string"}}},"required":["query"]}},
 {"name":"now"}
])";

std::vector<ToolDefinition> tool_definitions() {
    std::vector<ToolDefinition> tools;
    const vep::json::Value parsed = vep::json::parse(kTools);
    for (const auto &entry : parsed.as_array()) {
        ToolDefinition tool;
        tool.name = entry.find("name")->as_string();
        if (const auto *parameters = entry.find("parameters")) tool.parameters = *parameters;
        tools.push_back(std::move(tool));
    }
    return tools;
}

struct Fixture {
    vep::testing::FakeHost host;
    vep::client::ToolFormatClient format{host.load(&vep_plugin_entry), "{}", nullptr};
    ToolContext auto_context = *ToolContext::build(tool_definitions(), ToolChoice{}, ToolsConfig{});
    ToolContext required_context =
        *ToolContext::build(tool_definitions(), ToolChoice{ToolChoice::Kind::Required, {}}, ToolsConfig{});
};

// What a client would see of one attempt.
struct Replay {
    std::string content;
    std::vector<ValidatedToolCall> calls;
    std::optional<RetryRequest> retry;
};

Replay replay(const Fixture &f, const ToolContext &context, ToolStreamDetector::Attempt attempt,
              const std::vector<std::string_view> &pieces) {
    ToolStreamDetector detector(f.format, context, attempt);
    Replay r;
    const auto take = [&](DetectorOutput out) {
        r.content += out.content;
        for (auto &call : out.tool_calls) r.calls.push_back(std::move(call));
        if (out.retry) {
            if (r.retry) __builtin_trap();  // a spent detector returns nothing
            r.retry = std::move(out.retry);
        }
    };
    for (std::string_view piece : pieces) take(detector.feed(piece));
    take(detector.finish());
    return r;
}

bool same(const Replay &a, const Replay &b) {
    if (a.content != b.content || a.calls.size() != b.calls.size() || a.retry.has_value() != b.retry.has_value())
        return false;
    for (size_t i = 0; i < a.calls.size(); ++i)
        if (a.calls[i].name != b.calls[i].name || a.calls[i].arguments != b.calls[i].arguments) return false;
    return !a.retry || (a.retry->error == b.retry->error && a.retry->invalid_output == b.retry->invalid_output);
}

void check_call(const ValidatedToolCall &call, const ToolContext &context) {
    if (call.id.size() != 37 || call.id.rfind("call_", 0) != 0) __builtin_trap();
    for (char c : std::string_view(call.id).substr(5))
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) __builtin_trap();
    const ToolDefinition *tool = context.find_tool(call.name);
    if (tool == nullptr) __builtin_trap();
    const vep::json::Value arguments = vep::json::parse(call.arguments);
    if (!arguments.is_object() || vep::json::dump_sorted(arguments) != call.arguments) __builtin_trap();
    if (tool->parameters && schema_violation(arguments, *tool->parameters)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const Fixture fixture;
    FuzzedDataProvider input(data, size);
    const uint8_t mode = input.ConsumeIntegralInRange<uint8_t>(0, 2);
    std::vector<size_t> lengths(input.ConsumeIntegralInRange<size_t>(0, 8));
    for (auto &length : lengths) length = input.ConsumeIntegralInRange<size_t>(0, 64);
    const std::string output = input.ConsumeRemainingBytesAsString();
    if (output.size() > ToolsConfig{}.tool_call_max_bytes) return 0;  // a bounded error, not a finding

    std::vector<std::string_view> pieces;
    std::string_view rest = output;
    for (size_t length : lengths) {
        pieces.push_back(rest.substr(0, length));
        rest.remove_prefix(std::min(length, rest.size()));
    }
    pieces.push_back(rest);

    const bool required = mode == 1;
    const auto attempt = mode == 2 ? ToolStreamDetector::Attempt::Retry : ToolStreamDetector::Attempt::First;
    const ToolContext &context = required ? fixture.required_context : fixture.auto_context;
    const Replay split = replay(fixture, context, attempt, pieces);
    const Replay whole = replay(fixture, context, attempt, {output});
    if (!same(split, whole)) __builtin_trap();

    const size_t marker = output.find(fixture.format.start_marker());
    const bool shows_text_at_once = attempt == ToolStreamDetector::Attempt::First && !required;
    if (marker == std::string::npos) {
        if (shows_text_at_once ? split.content != output || split.retry
                               : !split.content.empty() || !split.retry || split.retry->invalid_output != output)
            __builtin_trap();
    } else {
        const std::string before = attempt == ToolStreamDetector::Attempt::First ? output.substr(0, marker) : "";
        if (split.retry) {
            if (split.content != before || split.retry->invalid_output != output.substr(marker)) __builtin_trap();
        } else if (!split.calls.empty()) {
            if (split.content != before) __builtin_trap();
        } else if (split.content != before + output.substr(marker)) {
            __builtin_trap();
        }
    }
    for (const auto &call : split.calls) check_call(call, context);

    const Classification buffered = classify(fixture.format, output, context, true);
    if (const auto *calls = std::get_if<ToolCalls>(&buffered)) {
        if (calls->calls.empty()) __builtin_trap();
        for (const auto &call : calls->calls) check_call(call, context);
    }
    return 0;
}
