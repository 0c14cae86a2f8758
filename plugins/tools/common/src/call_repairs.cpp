// Tool-call repair rules: see call_repairs.hpp.
#include "vep/tools/call_repairs.hpp"

#include <array>
#include <string>
#include <tuple>
#include <utility>

#include "vep/text.hpp"
#include "vep/tools/relaxed_json.hpp"
#include "vep/tools/value_typing.hpp"

namespace vep::tools {
namespace {

using Calls = std::vector<ParsedToolCall>;
using Rules = std::vector<std::string>;

constexpr std::string_view kFence = "```";
constexpr std::array<std::string_view, 4> kArgTags = {"<arg_key>", "</arg_key>", "<arg_value>", "</arg_value>"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool identifier_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '$';
}
bool identifier_start(char c) { return identifier_char(c) && c != '-' && !(c >= '0' && c <= '9'); }
bool name_char(char c) { return identifier_char(c) || c == '.'; }

bool starts_at(std::string_view s, size_t pos, std::string_view what) {
    return pos <= s.size() && s.substr(pos, what.size()) == what;
}
size_t skip_space(std::string_view s, size_t pos) {
    while (pos < s.size() && is_space(s[pos])) ++pos;
    return pos;
}
std::string_view trim(std::string_view s) { return trim_ascii(s); }

std::string joined(const Rules &rules) {
    std::string out;
    for (const auto &rule : rules) {
        if (!out.empty()) out += ',';
        out += rule;
    }
    return out;
}
void add_rule(Rules &rules, std::string_view rule) {
    for (const auto &r : rules)
        if (r == rule) return;
    rules.emplace_back(rule);
}

// The declared property names of `tool`.
std::vector<std::string_view> property_names(const ToolCatalog &tools, std::string_view tool) {
    std::vector<std::string_view> out;
    const json::Value *schema = tools.parameters(tool);
    const json::Value *properties = schema ? schema->find("properties") : nullptr;
    if (properties && properties->is_object())
        for (const auto &member : properties->as_object()) out.push_back(member.first);
    return out;
}

// The acceptance test every rule's result must pass (see the header).
bool acceptable(const Calls &calls, const ToolCatalog &tools) {
    if (calls.empty()) return false;
    for (const auto &call : calls) {
        if (!tools.contains(call.name)) return false;
        json::Value arguments;
        try {
            arguments = json::parse(call.arguments);
        } catch (const json::ParseError &) {
            return false;
        }
        if (!arguments.is_object()) return false;
        for (const auto &member : arguments.as_object())
            if (!tools.property(call.name, member.first)) return false;
    }
    return true;
}

ParsedToolCall make_call(std::string_view name, const json::Value &arguments, const Rules &rules) {
    return {std::string(name), json::dump(arguments), joined(rules)};
}

// Sets `key` in `arguments`; false when it is already there (a repeated key is ambiguous).
bool set_once(json::Value &arguments, std::string_view key, json::Value value) {
    if (arguments.find(key)) return false;
    arguments.set(key, std::move(value));
    return true;
}

json::Value typed(const ToolCatalog &tools, std::string_view tool, std::string_view key, std::string_view raw) {
    const json::Value *schema = tools.property(tool, key);
    return type_raw_value(raw, schema && schema->is_object() ? schema : nullptr);
}

// The relaxed JSON value at `pos`, its rules added to `rules`; advances `pos` past it.
std::optional<json::Value> relaxed_at(std::string_view s, size_t &pos, Rules &rules) {
    auto read = read_relaxed_json(s.substr(pos));
    if (!read) return std::nullopt;
    for (const auto &rule : read->rules) add_rule(rules, rule);
    pos += read->end;
    return std::move(read->value);
}

// ---- JSON-like call objects ------------------------------------------------------------------

std::optional<ParsedToolCall> call_from_object(const json::Value &object, Rules rules) {
    if (!object.is_object()) return std::nullopt;
    const json::Value *source = &object;
    if (const json::Value *function = object.find("function"); function && function->is_object()) {
        for (const auto &member : object.as_object())
            if (member.first != "function" && member.first != "id" && member.first != "type") return std::nullopt;
        source = function;
        add_rule(rules, "call-object-aliases");
    }
    const json::Value *name = nullptr;
    const json::Value *arguments = nullptr;
    for (const auto &[key, value] : source->as_object()) {
        const bool canonical_name = key == "name";
        const bool alias_name = key == "tool_name" || key == "tool";
        const bool canonical_args = key == "arguments";
        const bool alias_args = key == "args" || key == "parameters" || key == "input";
        if (canonical_name || alias_name) {
            if (name) return std::nullopt;
            name = &value;
        } else if (canonical_args || alias_args) {
            if (arguments) return std::nullopt;
            arguments = &value;
        } else if (key != "id" && key != "type") {
            return std::nullopt;  // an unknown key could be an argument written in the wrong place
        }
        if (alias_name || alias_args) add_rule(rules, "call-object-aliases");
    }
    if (!name || !name->is_string()) return std::nullopt;
    json::Value args = json::Value::object();
    if (arguments && arguments->is_object()) {
        args = *arguments;
    } else if (arguments && arguments->is_string()) {
        try {
            args = json::parse(arguments->as_string());
        } catch (const json::ParseError &) {
            return std::nullopt;
        }
        if (!args.is_object()) return std::nullopt;
    } else if (arguments) {
        return std::nullopt;
    }
    if (rules.empty()) return std::nullopt;  // nothing was repaired: the format's verdict stands
    return make_call(name->as_string(), args, rules);
}

std::optional<Calls> json_call_objects(std::string_view body) {
    std::string_view text = trim(body);
    if (starts_at(text, 0, kFence)) {
        size_t pos = kFence.size();
        while (pos < text.size() && !is_space(text[pos]) && text[pos] != '{' && text[pos] != '[') ++pos;
        text = trim(text.substr(pos));
        if (text.size() < kFence.size() || text.substr(text.size() - kFence.size()) != kFence) return std::nullopt;
        text = trim(text.substr(0, text.size() - kFence.size()));
    }
    if (text.empty() || (text[0] != '{' && text[0] != '[')) return std::nullopt;
    Rules rules;
    size_t pos = 0;
    auto value = relaxed_at(text, pos, rules);
    if (!value || skip_space(text, pos) != text.size()) return std::nullopt;
    const json::Value *list = value->is_array() ? &*value : nullptr;
    if (const json::Value *wrapped = value->find("tool_calls"); wrapped && value->as_object().size() == 1) {
        list = wrapped;
        add_rule(rules, "call-object-aliases");
    }
    Calls calls;
    if (list) {
        if (!list->is_array() || list->as_array().empty()) return std::nullopt;
        for (const auto &element : list->as_array()) {
            auto call = call_from_object(element, rules);
            if (!call) return std::nullopt;
            calls.push_back(std::move(*call));
        }
    } else {
        auto call = call_from_object(*value, rules);
        if (!call) return std::nullopt;
        calls.push_back(std::move(*call));
    }
    return calls;
}

// ---- Qwen3-Coder and <function> tags ---------------------------------------------------------

std::optional<Calls> function_parameter_xml(std::string_view body, const ToolCatalog &tools) {
    size_t pos = skip_space(body, 0);
    constexpr std::string_view kOpen = "<function=";
    if (!starts_at(body, pos, kOpen)) return std::nullopt;
    const size_t name_start = pos + kOpen.size();
    const size_t name_end = body.find('>', name_start);
    if (name_end == std::string_view::npos) return std::nullopt;
    const std::string_view name = trim(body.substr(name_start, name_end - name_start));
    json::Value arguments = json::Value::object();
    pos = name_end + 1;
    for (;;) {
        pos = skip_space(body, pos);
        if (starts_at(body, pos, "</function>")) {
            pos += std::string_view("</function>").size();
            break;
        }
        constexpr std::string_view kParameter = "<parameter=";
        if (!starts_at(body, pos, kParameter)) return std::nullopt;
        const size_t key_start = pos + kParameter.size();
        const size_t key_end = body.find('>', key_start);
        if (key_end == std::string_view::npos) return std::nullopt;
        const size_t value_end = body.find("</parameter>", key_end + 1);
        if (value_end == std::string_view::npos) return std::nullopt;
        std::string_view raw = body.substr(key_end + 1, value_end - key_end - 1);
        if (!raw.empty() && raw.front() == '\n') raw.remove_prefix(1);
        if (!raw.empty() && raw.back() == '\n') raw.remove_suffix(1);
        const std::string_view key = trim(body.substr(key_start, key_end - key_start));
        if (!set_once(arguments, key, typed(tools, name, key, raw))) return std::nullopt;
        pos = value_end + std::string_view("</parameter>").size();
    }
    if (skip_space(body, pos) != body.size()) return std::nullopt;
    return Calls{make_call(name, arguments, {"function-parameter-xml"})};
}

std::optional<Calls> function_tag_json_arguments(std::string_view body) {
    size_t pos = skip_space(body, 0);
    if (!starts_at(body, pos, "<function>")) return std::nullopt;
    const size_t name_start = pos + std::string_view("<function>").size();
    const size_t name_end = body.find("</function>", name_start);
    if (name_end == std::string_view::npos) return std::nullopt;
    const std::string_view name = trim(body.substr(name_start, name_end - name_start));
    pos = skip_space(body, name_end + std::string_view("</function>").size());
    Rules rules{"function-tag-json-arguments"};
    auto arguments = relaxed_at(body, pos, rules);
    if (!arguments || !arguments->is_object() || skip_space(body, pos) != body.size()) return std::nullopt;
    return Calls{make_call(name, *arguments, rules)};
}

// ---- GLM tags --------------------------------------------------------------------------------

// A body cut into texts and arg tags (tag = index into kArgTags; blank texts dropped).
struct Token {
    int tag = -1;  // -1: text
    std::string_view text;
};

std::vector<Token> tokenize_arg_tags(std::string_view body) {
    std::vector<Token> tokens;
    size_t text_start = 0;
    auto flush = [&](size_t end) {
        const std::string_view text = trim(body.substr(text_start, end - text_start));
        if (!text.empty()) tokens.push_back({-1, text});
    };
    for (size_t pos = 0; pos < body.size();) {
        int found = -1;
        for (size_t t = 0; t < kArgTags.size(); ++t)
            if (starts_at(body, pos, kArgTags[t])) found = static_cast<int>(t);
        if (found < 0) {
            ++pos;
            continue;
        }
        flush(pos);
        tokens.push_back({found, {}});
        pos += kArgTags[static_cast<size_t>(found)].size();
        text_start = pos;
    }
    flush(body.size());
    return tokens;
}

struct LeadingTool {
    std::string_view tool;
    size_t after = 0;         // offset just past the tool name
    bool glued_key = false;   // a declared property starts right at `after`
};

// The declared tool `text` starts with (see the header for the glued form).
std::optional<LeadingTool> leading_tool(std::string_view text, const ToolCatalog &tools) {
    for (std::string_view name : tools.names())
        if (starts_at(text, 0, name) && (text.size() == name.size() || !name_char(text[name.size()])))
            return LeadingTool{name, name.size(), false};
    std::optional<LeadingTool> glued;
    for (std::string_view name : tools.names()) {
        if (!starts_at(text, 0, name)) continue;
        for (std::string_view key : property_names(tools, name)) {
            const size_t end = name.size() + key.size();
            if (!starts_at(text, name.size(), key) || (end < text.size() && identifier_char(text[end]))) continue;
            if (glued && glued->tool != name) return std::nullopt;  // two tools could be meant
            glued = LeadingTool{name, name.size(), true};
        }
    }
    return glued;
}

// "NAME KEY", "NAMEKEY" or "NAME" + separate key text: the tool and the key.
std::optional<std::pair<std::string_view, std::string_view>> name_and_key(std::string_view text,
                                                                          const ToolCatalog &tools) {
    auto lead = leading_tool(text, tools);
    if (!lead) return std::nullopt;
    const std::string_view key = trim(text.substr(lead->after));
    if (key.empty() || !tools.property(lead->tool, key)) return std::nullopt;
    return std::make_pair(lead->tool, key);
}

std::optional<Calls> glm_loose_arg_tags(std::string_view body, const ToolCatalog &tools) {
    constexpr int kKeyClose = 1;
    const std::vector<Token> tokens = tokenize_arg_tags(body);
    // Every key is the text right before a run of </arg_key>.
    std::vector<size_t> keys;  // token indexes of key texts
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i].tag == kKeyClose && i > 0 && tokens[i - 1].tag == -1) keys.push_back(i - 1);
    if (keys.empty()) return std::nullopt;
    for (size_t i = 0; i < tokens.size(); ++i)  // no </arg_key> may close anything but a key
        if (tokens[i].tag == kKeyClose && (i == 0 || (tokens[i - 1].tag != -1 && tokens[i - 1].tag != kKeyClose)))
            return std::nullopt;

    // Values are closed: the body ends with </arg_value> and every later key follows one (an
    // output cut off inside a value is not read).
    constexpr int kValueClose = 3;
    if (tokens.back().tag != kValueClose) return std::nullopt;
    constexpr int kKeyOpen = 0;
    for (size_t k = 1; k < keys.size(); ++k) {
        size_t before = keys[k] - 1;
        while (before > keys[k - 1] && tokens[before].tag == kKeyOpen) --before;
        if (tokens[before].tag != kValueClose) return std::nullopt;
    }

    std::string name_text;
    for (size_t i = 0; i < keys.front(); ++i) {
        if (tokens[i].tag != -1) continue;
        if (!name_text.empty()) name_text += ' ';
        name_text += tokens[i].text;
    }
    std::string_view tool;
    std::string_view first_key;
    if (name_text.empty()) {
        auto split = name_and_key(tokens[keys.front()].text, tools);
        if (!split) return std::nullopt;
        std::tie(tool, first_key) = *split;
    } else {
        auto declared = tools.declared_name(name_text);
        if (!declared) return std::nullopt;
        tool = *declared;
        first_key = tokens[keys.front()].text;
    }

    json::Value arguments = json::Value::object();
    for (size_t k = 0; k < keys.size(); ++k) {
        const std::string_view key = k == 0 ? first_key : tokens[keys[k]].text;
        if (!tools.property(tool, key)) return std::nullopt;
        // The value: the one text between this key's </arg_key> run and the next key (or the end).
        const size_t from = keys[k] + 1;
        const size_t to = k + 1 < keys.size() ? keys[k + 1] : tokens.size();
        std::optional<std::string_view> value;
        for (size_t i = from; i < to; ++i) {
            if (tokens[i].tag != -1) continue;
            if (value) return std::nullopt;
            value = tokens[i].text;
        }
        if (!set_once(arguments, key, typed(tools, tool, key, value.value_or(std::string_view{})))) return std::nullopt;
    }
    return Calls{make_call(tool, arguments, {"glm-loose-arg-tags"})};
}

// ---- NAME followed by arguments --------------------------------------------------------------

std::optional<Calls> name_glued_json(std::string_view body, const ToolCatalog &tools) {
    const std::string_view text = trim(body);
    auto lead = leading_tool(text, tools);
    if (!lead || !lead->glued_key) return std::nullopt;
    const std::string object = "{\"" + std::string(text.substr(lead->after));
    Rules rules{"name-glued-json"};
    size_t pos = 0;
    auto arguments = relaxed_at(object, pos, rules);
    if (!arguments || !arguments->is_object() || skip_space(object, pos) != object.size()) return std::nullopt;
    return Calls{make_call(lead->tool, *arguments, rules)};
}

std::optional<Calls> name_json_objects(std::string_view body, const ToolCatalog &tools) {
    const std::string_view text = trim(body);
    auto lead = leading_tool(text, tools);
    if (!lead || lead->glued_key) return std::nullopt;
    Rules rules{"name-json-objects"};
    json::Value arguments = json::Value::object();
    size_t pos = skip_space(text, lead->after);
    if (pos >= text.size() || text[pos] != '{') return std::nullopt;
    while (pos < text.size()) {
        auto object = relaxed_at(text, pos, rules);
        if (!object || !object->is_object()) return std::nullopt;
        for (auto &[key, value] : object->as_object())
            if (!set_once(arguments, key, value)) return std::nullopt;
        pos = skip_space(text, pos);
        if (pos < text.size() && text[pos] == ',') pos = skip_space(text, pos + 1);
    }
    return Calls{make_call(lead->tool, arguments, rules)};
}

// A key: a bare identifier or a quoted string. Advances `pos`.
std::optional<std::string> read_key(std::string_view s, size_t &pos, Rules &rules) {
    if (pos < s.size() && (s[pos] == '"' || s[pos] == '\'')) {
        auto key = relaxed_at(s, pos, rules);
        if (!key || !key->is_string()) return std::nullopt;
        return key->as_string();
    }
    if (pos >= s.size() || !identifier_start(s[pos])) return std::nullopt;
    const size_t start = pos;
    while (pos < s.size() && identifier_char(s[pos])) ++pos;
    return std::string(s.substr(start, pos - start));
}

// `key[=|:]value` pairs from `pos` until `stop` (or the end when stop is 0), separated by
// whitespace or commas; `separator_required` demands '=' or ':' after each key.
bool read_pairs(std::string_view s, size_t &pos, char stop, bool separator_required, json::Value &arguments,
                Rules &rules) {
    size_t pairs = 0;
    for (;;) {
        pos = skip_space(s, pos);
        if (pairs > 0 && pos < s.size() && s[pos] == ',') pos = skip_space(s, pos + 1);
        if (stop ? (pos < s.size() && s[pos] == stop) : pos >= s.size()) return pairs > 0;
        auto key = read_key(s, pos, rules);
        if (!key) return false;
        pos = skip_space(s, pos);
        if (pos < s.size() && (s[pos] == '=' || s[pos] == ':')) pos = skip_space(s, pos + 1);
        else if (separator_required) return false;
        auto value = relaxed_at(s, pos, rules);
        if (!value || !set_once(arguments, *key, std::move(*value))) return false;
        ++pairs;
    }
}

std::optional<Calls> call_syntax(std::string_view body, const ToolCatalog &tools) {
    const std::string_view text = trim(body);
    auto lead = leading_tool(text, tools);
    if (!lead || lead->glued_key) return std::nullopt;
    size_t pos = skip_space(text, lead->after);
    if (pos >= text.size() || text[pos] != '(') return std::nullopt;
    pos = skip_space(text, pos + 1);
    Rules rules{"call-syntax"};
    json::Value arguments = json::Value::object();
    if (pos < text.size() && text[pos] == '{') {
        auto object = relaxed_at(text, pos, rules);
        if (!object || !object->is_object()) return std::nullopt;
        arguments = std::move(*object);
        pos = skip_space(text, pos);
    } else if (pos < text.size() && text[pos] != ')') {
        if (!read_pairs(text, pos, ')', true, arguments, rules)) return std::nullopt;
    }
    if (pos >= text.size() || text[pos] != ')' || skip_space(text, pos + 1) != text.size()) return std::nullopt;
    return Calls{make_call(lead->tool, arguments, rules)};
}

std::optional<Calls> attribute_pairs(std::string_view body, const ToolCatalog &tools) {
    std::string text;  // the body with every arg tag replaced by a space
    const std::string_view trimmed = trim(body);
    for (size_t pos = 0; pos < trimmed.size();) {
        size_t tag_size = 0;
        for (std::string_view tag : kArgTags)
            if (starts_at(trimmed, pos, tag)) tag_size = tag.size();
        text += tag_size ? ' ' : trimmed[pos];
        pos += tag_size ? tag_size : 1;
    }
    auto lead = leading_tool(text, tools);
    if (!lead) return std::nullopt;
    if (!lead->glued_key && lead->after < text.size() && !is_space(text[lead->after])) return std::nullopt;
    Rules rules{"attribute-pairs"};
    json::Value arguments = json::Value::object();
    size_t pos = lead->after;
    if (!read_pairs(text, pos, 0, false, arguments, rules)) return std::nullopt;
    return Calls{make_call(lead->tool, arguments, rules)};
}

}  // namespace

std::optional<std::vector<ParsedToolCall>> repair_block(std::string_view body, const ToolCatalog &tools) {
    using Rule = std::optional<Calls> (*)(std::string_view, const ToolCatalog &);
    static constexpr std::array<Rule, 8> kRules = {
        [](std::string_view b, const ToolCatalog &) { return json_call_objects(b); },
        function_parameter_xml,
        [](std::string_view b, const ToolCatalog &) { return function_tag_json_arguments(b); },
        glm_loose_arg_tags,
        name_glued_json,
        name_json_objects,
        call_syntax,
        attribute_pairs,
    };
    for (Rule rule : kRules)
        if (auto calls = rule(body, tools); calls && acceptable(*calls, tools)) return calls;
    return std::nullopt;
}

}  // namespace vep::tools
