// Scenarios: what the simulated model answers and which fault it injects. A scenario is resolved
// from layered key=value settings — the scenario file's default, its per-model override, then the
// directive line ("sim:scenario=long chunks=50 ...") in the decrypted user message. Called by the
// chat handler; the answer itself is built by answer_plan.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model_catalog.hpp"
#include "runtime_settings.hpp"
#include "vep/json.hpp"

namespace vep::sim {

enum class ScenarioKind { Echo, Long, Reasoning, Tool, Empty };

enum class ToolVariant {
    WellFormed,
    Pretty,
    MissingClose,
    Malformed,
    WrongName,
    InvalidArgs,
    Multiple,
    TextBefore,
    FailThenSucceed,
    AlwaysMalformed
};

enum class SplitMode { Even, Awkward };

enum class FaultKind {
    None,
    PlaintextChunk,
    PlaintextReasoning,
    WrongKeyChunk,
    EmptyDeltas,
    BadChoices,
    EventError,
    ErrorChunk,
    MalformedJson,
    Disconnect,
    Stall,
    NoFinish,
    SplitEvents
};

struct Scenario {
    ScenarioKind kind = ScenarioKind::Echo;
    int chunks = 20;           // long: number of content chunks
    int chunk_bytes = 16;      // bytes per content chunk (cut back to a UTF-8 boundary)
    int interval_ms = 0;       // pause between chunks
    int reasoning_chunks = 0;  // reasoning chunks before the answer (reasoning scenario: 3)
    std::string prefix;        // echo: text put before the echoed message
    std::string first_prefix;  // echo: like prefix, but not on a correction attempt
    std::optional<ToolFormat> format;  // tool: syntax; default by model id
    ToolVariant variant = ToolVariant::WellFormed;
    std::string tool;                  // tool: name override
    std::optional<json::Value> args;   // tool: arguments override (JSON object)
    SplitMode split = SplitMode::Even;
    FaultKind fault = FaultKind::None;
    int fault_after = 1;  // chunks written before the fault
    int stall_ms = 5000;  // fault=stall: silence before the stream continues
    int http_status = 0;  // answer this HTTP status with a Venice-like error instead of streaming
};

// Ordered key=value pairs of one layer.
using SettingLayer = std::vector<std::pair<std::string, std::string>>;

// Bounds applied while resolving (from SimOptions).
struct ScenarioBounds {
    int max_chunks;
    int max_interval_ms;
    int max_stall_ms;
};

// Parses "sim:key=value key=value" (leading whitespace allowed). nullopt when `line` is not a
// directive; throws vep::Failure("invalid_directive", ...) for a token without '='.
std::optional<SettingLayer> parse_directive_line(std::string_view line);

// The first directive line found in `text`, and `text` without directive lines.
struct DirectiveSplit {
    std::optional<SettingLayer> directive;
    std::string remaining_text;
};
DirectiveSplit split_directive(std::string_view text);

// Applies layers in order; throws vep::Failure("invalid_directive", ...) on an unknown key or value.
Scenario resolve_scenario(const std::vector<const SettingLayer *> &layers, const ScenarioBounds &bounds);

const char *to_string(ScenarioKind kind);
const char *to_string(FaultKind fault);

// The --scenario-file contents: {"default": {...}, "models": {"<id>": {..., "attestation_shape":
// "aci"|"flat"}}}; values are strings, numbers or booleans (args may be an object).
class ScenarioBook {
  public:
    ScenarioBook() = default;
    // Throws vep::Failure("invalid_scenario_file", ...).
    static ScenarioBook from_json_text(std::string_view text);
    static ScenarioBook from_file(const std::string &path);

    const SettingLayer &default_layer() const { return default_; }
    // nullptr when the model has no override.
    const SettingLayer *model_layer(std::string_view model) const;
    std::optional<AttestationShape> attestation_shape(std::string_view model) const;

  private:
    SettingLayer default_;
    std::map<std::string, SettingLayer, std::less<>> models_;
    std::map<std::string, AttestationShape, std::less<>> shapes_;
};

}  // namespace vep::sim
