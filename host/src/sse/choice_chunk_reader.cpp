#include "sse/choice_chunk_reader.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "vep/json.hpp"

namespace vep::host {
namespace {

// Deeper values are left to the JSON tree (its own bound is json::kDefaultMaxDepth).
constexpr size_t kMaxSkipDepth = 32;

// Whether any of the eight bytes of `word` is a control character, '"', '\\' or not ASCII: the
// bytes a plain string stops at (the zero-byte and less-than tests of "Bit Twiddling Hacks").
constexpr bool ends_plain_run(uint64_t word) {
    constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const auto has_zero = [](uint64_t v) { return (v - ones) & ~v & highs; };
    return ((word & highs) | ((word - ones * 0x20) & ~word & highs) | has_zero(word ^ (ones * '"')) |
            has_zero(word ^ (ones * '\\'))) != 0;
}

// Whether a JSON value starting with `c` is a number.
constexpr bool starts_number(char c) { return c == '-' || (c >= '0' && c <= '9'); }

// A validating cursor over JSON text. Every reader returns false to decline: on malformed JSON,
// and on what this fast path does not take (escapes, non-ASCII, deep nesting).
class Cursor {
  public:
    explicit Cursor(std::string_view text) : s_(text) {}

    char peek() {
        skip_ws();
        return i_ < s_.size() ? s_[i_] : '\0';
    }
    bool eat(char c) {
        if (peek() != c) return false;
        ++i_;
        return true;
    }
    bool at_end() {
        skip_ws();
        return i_ == s_.size();
    }
    bool literal(std::string_view word) {
        skip_ws();
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    // A string of printable ASCII without escapes; `out` is its text between the quotes.
    bool plain_string(std::string_view &out) {
        if (!eat('"')) return false;
        const size_t start = i_;
        skip_plain_words();
        for (; i_ < s_.size(); ++i_) {
            const auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                out = s_.substr(start, i_ - start);
                ++i_;
                return true;
            }
            if (c < 0x20 || c == '\\' || c >= 0x80) return false;
        }
        return false;
    }

    // A number in JSON's grammar; `out` is its text.
    bool number(std::string_view &out) {
        skip_ws();
        const size_t start = i_;
        if (i_ < s_.size() && s_[i_] == '-') ++i_;
        if (i_ < s_.size() && s_[i_] == '0') {
            ++i_;
        } else if (!digits()) {
            return false;
        }
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digits()) return false;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digits()) return false;
        }
        out = s_.substr(start, i_ - start);
        return true;
    }

    // Calls member(key) at each member's value of the object at the cursor; member must read it.
    template <typename Member>
    bool object(Member &&member) {
        if (!eat('{')) return false;
        if (eat('}')) return true;
        for (;;) {
            std::string_view key;
            if (!plain_string(key) || !eat(':') || !member(key)) return false;
            if (eat(',')) continue;
            return eat('}');
        }
    }

    // Reads and checks one value of any kind, keeping nothing.
    bool skip_value(size_t depth = 0) {
        const char c = peek();
        if (c == '{' || c == '[') {
            if (depth >= kMaxSkipDepth) return false;
            if (c == '{') return object([&](std::string_view) { return skip_value(depth + 1); });
            ++i_;
            if (eat(']')) return true;
            for (;;) {
                if (!skip_value(depth + 1)) return false;
                if (eat(',')) continue;
                return eat(']');
            }
        }
        std::string_view text;
        if (c == '"') return plain_string(text);
        if (starts_number(c)) return number(text);
        return literal("true") || literal("false") || literal("null");
    }

  private:
    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    // Skips the whole eight-byte words ahead that hold no byte a plain string stops at.
    void skip_plain_words() {
        uint64_t word = 0;
        for (; i_ + sizeof word <= s_.size(); i_ += sizeof word) {
            std::memcpy(&word, s_.data() + i_, sizeof word);
            if (ends_plain_run(word)) return;
        }
    }
    bool digits() {
        const size_t start = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        return i_ > start;
    }

    std::string_view s_;
    size_t i_ = 0;
};

// The first occurrence of a member decides (the JSON tree's find); later ones are only checked.
class FirstOccurrence {
  public:
    // True the first time it is asked.
    bool take() { return !std::exchange(taken_, true); }
    bool taken() const { return taken_; }

  private:
    bool taken_ = false;
};

// An identity member: taken when a string, ignored when of another type.
bool read_identity_string(Cursor &in, FirstOccurrence &first, std::optional<std::string> &into) {
    if (!first.take() || in.peek() != '"') return in.skip_value();
    std::string_view text;
    if (!in.plain_string(text)) return false;
    into = std::string(text);
    return true;
}

bool read_created(Cursor &in, FirstOccurrence &first, std::optional<int64_t> &into) {
    const char c = in.peek();
    if (!first.take() || !starts_number(c)) return in.skip_value();
    std::string_view text;
    if (!in.number(text)) return false;
    int64_t created = 0;
    if (json::Value::number(std::string(text)).get_i64(created)) into = created;
    return true;
}

// delta.content / delta.reasoning_content: null or "" => nullopt, a string => its text.
bool read_delta_text(Cursor &in, FirstOccurrence &first, std::optional<std::string> &into) {
    if (!first.take()) return in.skip_value();
    if (in.literal("null")) return true;
    std::string_view text;
    if (!in.plain_string(text)) return false;
    if (!text.empty()) into = std::string(text);
    return true;
}

bool read_delta(Cursor &in, upstream_event::Choice &out) {
    FirstOccurrence content, reasoning, tool_calls;
    return in.object([&](std::string_view key) {
        if (key == "content") return read_delta_text(in, content, out.content);
        if (key == "reasoning_content") return read_delta_text(in, reasoning, out.reasoning_content);
        if (key == "tool_calls" && tool_calls.take()) return in.literal("null") || (in.eat('[') && in.eat(']'));
        return in.skip_value();
    });
}

bool read_choice(Cursor &in, upstream_event::Choice &out) {
    FirstOccurrence index, finish, delta;
    return in.object([&](std::string_view key) {
        if (key == "index" && index.take()) {
            std::string_view text;
            return in.number(text) && json::Value::number(std::string(text)).get_u64(out.index);
        }
        if (key == "finish_reason" && finish.take()) {
            if (in.literal("null")) return true;
            std::string_view text;
            if (!in.plain_string(text)) return false;
            out.finish_reason = std::string(text);
            return true;
        }
        if (key == "delta" && delta.take()) return in.peek() == '{' ? read_delta(in, out) : in.skip_value();
        return in.skip_value();
    });
}

}  // namespace

std::optional<upstream_event::Choice> read_choice_chunk(std::string_view data) {
    Cursor in(data);
    upstream_event::Choice out;
    FirstOccurrence id, object, model, created, choices;
    const bool read = in.object([&](std::string_view key) {
        if (key == "error") return false;
        if (key == "id") return read_identity_string(in, id, out.identity.id);
        if (key == "object") return read_identity_string(in, object, out.identity.object);
        if (key == "model") return read_identity_string(in, model, out.identity.model);
        if (key == "created") return read_created(in, created, out.identity.created);
        if (key == "choices" && choices.take()) return in.eat('[') && read_choice(in, out) && in.eat(']');
        return in.skip_value();
    });
    if (!read || !choices.taken() || !in.at_end()) return std::nullopt;
    return out;
}

}  // namespace vep::host
