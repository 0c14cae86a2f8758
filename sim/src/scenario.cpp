#include "scenario.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "vep/sdk.hpp"

namespace vep::sim {
namespace {

constexpr std::string_view kDirectivePrefix = "sim:";
constexpr size_t kMaxScenarioFileBytes = 1u << 20;

[[noreturn]] void invalid(const std::string &message) { throw vep::Failure("invalid_directive", message); }

int to_int(const std::string &key, const std::string &value, int lo, int hi) {
    int out = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size())
        invalid("\"" + key + "\" needs an integer, got \"" + value + "\"");
    if (out < lo || out > hi)
        invalid("\"" + key + "\" must be within [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return out;
}

template <typename Enum, size_t N>
Enum pick(const std::string &key, const std::string &value, const std::pair<const char *, Enum> (&table)[N]) {
    for (const auto &[name, v] : table)
        if (value == name) return v;
    std::string names;
    for (const auto &[name, v] : table) names += std::string(names.empty() ? "" : ", ") + name;
    invalid("unknown " + key + " \"" + value + "\" (expected one of: " + names + ")");
}

constexpr std::pair<const char *, ScenarioKind> kKinds[] = {
    {"echo", ScenarioKind::Echo}, {"long", ScenarioKind::Long}, {"reasoning", ScenarioKind::Reasoning},
    {"tool", ScenarioKind::Tool}, {"empty", ScenarioKind::Empty}};

constexpr std::pair<const char *, ToolVariant> kVariants[] = {
    {"well_formed", ToolVariant::WellFormed},
    {"pretty", ToolVariant::Pretty},
    {"missing_close", ToolVariant::MissingClose},
    {"malformed", ToolVariant::Malformed},
    {"wrong_name", ToolVariant::WrongName},
    {"invalid_args", ToolVariant::InvalidArgs},
    {"multiple", ToolVariant::Multiple},
    {"text_before", ToolVariant::TextBefore},
    {"fail_then_succeed", ToolVariant::FailThenSucceed},
    {"always_malformed", ToolVariant::AlwaysMalformed}};

constexpr std::pair<const char *, ToolFormat> kFormats[] = {
    {"hermes", ToolFormat::Hermes}, {"qwen", ToolFormat::Qwen}, {"glm", ToolFormat::Glm}};

constexpr std::pair<const char *, SplitMode> kSplits[] = {{"even", SplitMode::Even}, {"awkward", SplitMode::Awkward}};

constexpr std::pair<const char *, FaultKind> kFaults[] = {
    {"none", FaultKind::None},
    {"plaintext_chunk", FaultKind::PlaintextChunk},
    {"plaintext_reasoning", FaultKind::PlaintextReasoning},
    {"wrong_key_chunk", FaultKind::WrongKeyChunk},
    {"empty_deltas", FaultKind::EmptyDeltas},
    {"bad_choices", FaultKind::BadChoices},
    {"event_error", FaultKind::EventError},
    {"error_chunk", FaultKind::ErrorChunk},
    {"malformed_json", FaultKind::MalformedJson},
    {"disconnect", FaultKind::Disconnect},
    {"stall", FaultKind::Stall},
    {"no_finish", FaultKind::NoFinish},
    {"split_events", FaultKind::SplitEvents}};

void apply(Scenario &s, bool &reasoning_set, const std::string &key, const std::string &value,
           const ScenarioBounds &bounds) {
    if (key == "scenario") s.kind = pick(key, value, kKinds);
    else if (key == "chunks") s.chunks = to_int(key, value, 1, bounds.max_chunks);
    else if (key == "chunk_bytes") s.chunk_bytes = to_int(key, value, 1, 1 << 16);
    else if (key == "interval_ms") s.interval_ms = to_int(key, value, 0, bounds.max_interval_ms);
    else if (key == "reasoning") {
        s.reasoning_chunks = to_int(key, value, 0, bounds.max_chunks);
        reasoning_set = true;
    } else if (key == "prefix") s.prefix = value;
    else if (key == "first_prefix") s.first_prefix = value;
    else if (key == "format") s.format = pick(key, value, kFormats);
    else if (key == "variant") s.variant = pick(key, value, kVariants);
    else if (key == "tool") s.tool = value;
    else if (key == "args") {
        try {
            json::Value v = json::parse(value);
            if (!v.is_object()) invalid("\"args\" must be a JSON object");
            s.args = std::move(v);
        } catch (const json::ParseError &e) {
            invalid(std::string("\"args\" is not JSON: ") + e.what());
        }
    } else if (key == "split") s.split = pick(key, value, kSplits);
    else if (key == "fault") s.fault = pick(key, value, kFaults);
    else if (key == "fault_after") s.fault_after = to_int(key, value, 0, bounds.max_chunks);
    else if (key == "stall_ms") s.stall_ms = to_int(key, value, 0, bounds.max_stall_ms);
    else if (key == "http_status") s.http_status = to_int(key, value, 400, 599);
    else if (key == "attestation_shape") parse_attestation_shape(value);  // per-model, read by ScenarioBook
    else invalid("unknown directive key \"" + key + "\"");
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

std::string scalar_text(const std::string &key, const json::Value &v) {
    if (v.is_string()) return v.as_string();
    if (v.is_number()) return v.as_number().text;
    if (v.is_bool()) return v.as_bool() ? "1" : "0";
    if (key == "args" && v.is_object()) return json::dump(v);
    throw vep::Failure("invalid_scenario_file", "value of \"" + key + "\" must be a string or a number");
}

SettingLayer layer_from(const json::Value &obj, const std::string &where) {
    if (!obj.is_object()) throw vep::Failure("invalid_scenario_file", where + " must be a JSON object");
    SettingLayer layer;
    for (const auto &[key, value] : obj.as_object()) layer.emplace_back(key, scalar_text(key, value));
    const ScenarioBounds wide{1 << 30, 1 << 30, 1 << 30};
    try {
        resolve_scenario({&layer}, wide);
    } catch (const vep::Failure &e) {
        throw vep::Failure("invalid_scenario_file", where + ": " + e.what());
    }
    return layer;
}

}  // namespace

std::optional<SettingLayer> parse_directive_line(std::string_view line) {
    line = trim_left(line);
    if (line.substr(0, kDirectivePrefix.size()) != kDirectivePrefix) return std::nullopt;
    line.remove_prefix(kDirectivePrefix.size());
    SettingLayer layer;
    std::istringstream tokens{std::string(line)};
    std::string token;
    while (tokens >> token) {
        const size_t eq = token.find('=');
        if (eq == std::string::npos || eq == 0) invalid("directive token \"" + token + "\" is not key=value");
        layer.emplace_back(token.substr(0, eq), token.substr(eq + 1));
    }
    return layer;
}

DirectiveSplit split_directive(std::string_view text) {
    DirectiveSplit out;
    size_t pos = 0;
    bool first_kept = true;
    while (pos <= text.size()) {
        const size_t nl = text.find('\n', pos);
        const size_t end = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (auto directive = parse_directive_line(line)) {
            if (!out.directive) out.directive = std::move(directive);
        } else {
            if (!first_kept) out.remaining_text += '\n';
            out.remaining_text.append(text.substr(pos, end - pos));
            first_kept = false;
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return out;
}

Scenario resolve_scenario(const std::vector<const SettingLayer *> &layers, const ScenarioBounds &bounds) {
    Scenario s;
    bool reasoning_set = false;
    for (const SettingLayer *layer : layers) {
        if (!layer) continue;
        for (const auto &[key, value] : *layer) apply(s, reasoning_set, key, value, bounds);
    }
    if (s.kind == ScenarioKind::Reasoning && !reasoning_set) s.reasoning_chunks = 3;
    return s;
}

const char *to_string(ScenarioKind kind) {
    for (const auto &[name, v] : kKinds)
        if (v == kind) return name;
    return "echo";
}

const char *to_string(FaultKind fault) {
    for (const auto &[name, v] : kFaults)
        if (v == fault) return name;
    return "none";
}

ScenarioBook ScenarioBook::from_json_text(std::string_view text) {
    json::Value doc;
    try {
        doc = json::parse(text);
    } catch (const json::ParseError &e) {
        throw vep::Failure("invalid_scenario_file", std::string("scenario file is not JSON: ") + e.what());
    }
    if (!doc.is_object()) throw vep::Failure("invalid_scenario_file", "scenario file must be a JSON object");
    ScenarioBook book;
    for (const auto &[key, value] : doc.as_object()) {
        if (key == "default") {
            book.default_ = layer_from(value, "\"default\"");
        } else if (key == "models") {
            if (!value.is_object()) throw vep::Failure("invalid_scenario_file", "\"models\" must be an object");
            for (const auto &[model, settings] : value.as_object()) {
                SettingLayer layer = layer_from(settings, "models." + model);
                SettingLayer chat_layer;
                for (auto &kv : layer) {
                    if (kv.first == "attestation_shape") book.shapes_[model] = parse_attestation_shape(kv.second);
                    else chat_layer.push_back(std::move(kv));
                }
                book.models_[model] = std::move(chat_layer);
            }
        } else {
            throw vep::Failure("invalid_scenario_file", "unknown top-level key \"" + key + "\"");
        }
    }
    return book;
}

ScenarioBook ScenarioBook::from_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw vep::Failure("invalid_scenario_file", "cannot open scenario file " + path);
    std::string text;
    text.resize(kMaxScenarioFileBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxScenarioFileBytes)
        throw vep::Failure("invalid_scenario_file", "scenario file " + path + " exceeds 1 MiB");
    try {
        return from_json_text(text);
    } catch (const vep::Failure &e) {
        throw vep::Failure(e.code(), path + ": " + e.what());
    }
}

const SettingLayer *ScenarioBook::model_layer(std::string_view model) const {
    const auto it = models_.find(model);
    return it == models_.end() ? nullptr : &it->second;
}

std::optional<AttestationShape> ScenarioBook::attestation_shape(std::string_view model) const {
    const auto it = shapes_.find(model);
    if (it == shapes_.end()) return std::nullopt;
    return it->second;
}

}  // namespace vep::sim
