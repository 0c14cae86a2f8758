// vep::json — a small, exact JSON value for the proxy and its plugins.
//
// Owns: parsing (UTF-8 checked, depth-bounded, error offset), an order-preserving object, numbers
// kept as their original text (no rounding, no re-typing), and compact serialisation with optional
// sorted keys. Used by the host (request parsing, SSE chunks, reports) and by plugins (tool
// arguments, evidence) so that forwarded client JSON keeps its numbers and key order. Header-only,
// no dependency beyond the C++17 standard library and vep/hex.hpp.
#pragma once

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "vep/hex.hpp"

namespace vep::json {

enum class Kind { Null, Bool, Number, String, Array, Object };

inline const char *kind_name(Kind k) {
    switch (k) {
    case Kind::Null: return "null";
    case Kind::Bool: return "boolean";
    case Kind::Number: return "number";
    case Kind::String: return "string";
    case Kind::Array: return "array";
    case Kind::Object: return "object";
    }
    return "?";
}

class Value;
using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;
using Object = std::vector<Member>;

// A number as it appeared on the wire, e.g. "0.70" or "18446744073709551616".
struct Number {
    std::string text;
    bool is_integer() const { return text.find_first_of(".eE") == std::string::npos; }
};

// One JSON value. Objects keep insertion order; lookups are linear (objects here are small).
class Value {
  public:
    Value() : v_(nullptr) {}
    Value(std::nullptr_t) : v_(nullptr) {}
    Value(bool b) : v_(b) {}
    Value(const char *s) : v_(std::string(s)) {}
    Value(std::string s) : v_(std::move(s)) {}
    Value(std::string_view s) : v_(std::string(s)) {}
    Value(Number n) : v_(std::move(n)) {}
    Value(Array a) : v_(std::move(a)) {}
    Value(Object o) : v_(std::move(o)) {}
    template <typename I, typename = std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>>
    Value(I i) : v_(Number{std::to_string(i)}) {}

    static Value object() { return Value(Object{}); }
    static Value array() { return Value(Array{}); }
    static Value number(std::string text) { return Value(Number{std::move(text)}); }

    Kind kind() const { return static_cast<Kind>(v_.index()); }
    bool is_null() const { return kind() == Kind::Null; }
    bool is_bool() const { return kind() == Kind::Bool; }
    bool is_number() const { return kind() == Kind::Number; }
    bool is_string() const { return kind() == Kind::String; }
    bool is_array() const { return kind() == Kind::Array; }
    bool is_object() const { return kind() == Kind::Object; }

    bool as_bool() const { return std::get<bool>(v_); }
    const Number &as_number() const { return std::get<Number>(v_); }
    const std::string &as_string() const { return std::get<std::string>(v_); }
    std::string &as_string() { return std::get<std::string>(v_); }
    const Array &as_array() const { return std::get<Array>(v_); }
    Array &as_array() { return std::get<Array>(v_); }
    const Object &as_object() const { return std::get<Object>(v_); }
    Object &as_object() { return std::get<Object>(v_); }

    // Object member lookup; nullptr when absent or when this is not an object.
    const Value *find(std::string_view key) const {
        if (!is_object()) return nullptr;
        for (const auto &m : as_object())
            if (m.first == key) return &m.second;
        return nullptr;
    }
    Value *find(std::string_view key) {
        return const_cast<Value *>(static_cast<const Value *>(this)->find(key));
    }
    // Sets (replacing in place, or appending) an object member.
    Value &set(std::string_view key, Value value) {
        if (Value *existing = find(key)) {
            *existing = std::move(value);
            return *existing;
        }
        as_object().emplace_back(std::string(key), std::move(value));
        return as_object().back().second;
    }
    void push_back(Value value) { as_array().push_back(std::move(value)); }

    // Integer accessors for numbers written without fraction/exponent; false when out of range.
    bool get_i64(int64_t &out) const {
        if (!is_number() || !as_number().is_integer()) return false;
        errno = 0;
        char *end = nullptr;
        long long v = std::strtoll(as_number().text.c_str(), &end, 10);
        if (errno != 0 || *end != '\0') return false;
        out = v;
        return true;
    }
    bool get_u64(uint64_t &out) const {
        if (!is_number() || !as_number().is_integer() || as_number().text[0] == '-') return false;
        errno = 0;
        char *end = nullptr;
        unsigned long long v = std::strtoull(as_number().text.c_str(), &end, 10);
        if (errno != 0 || *end != '\0') return false;
        out = v;
        return true;
    }
    double get_double() const { return is_number() ? std::strtod(as_number().text.c_str(), nullptr) : 0.0; }

    // JSON equality as serde_json defines it: integers and floats never compare equal (1 != 1.0);
    // object member order does not matter.
    friend bool operator==(const Value &a, const Value &b) {
        if (a.kind() != b.kind()) return false;
        switch (a.kind()) {
        case Kind::Null: return true;
        case Kind::Bool: return a.as_bool() == b.as_bool();
        case Kind::String: return a.as_string() == b.as_string();
        case Kind::Number: {
            const bool ai = a.as_number().is_integer(), bi = b.as_number().is_integer();
            if (ai != bi) return false;
            if (ai) {
                int64_t x, y;
                uint64_t ux, uy;
                if (a.get_i64(x) && b.get_i64(y)) return x == y;
                if (a.get_u64(ux) && b.get_u64(uy)) return ux == uy;
                return a.as_number().text == b.as_number().text;
            }
            return a.get_double() == b.get_double();
        }
        case Kind::Array: return a.as_array() == b.as_array();
        case Kind::Object: {
            const auto &x = a.as_object(), &y = b.as_object();
            if (x.size() != y.size()) return false;
            for (const auto &m : x) {
                const Value *other = b.find(m.first);
                if (!other || !(*other == m.second)) return false;
            }
            return true;
        }
        }
        return false;
    }
    friend bool operator!=(const Value &a, const Value &b) { return !(a == b); }

  private:
    std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> v_;
};

// Thrown by parse(): `offset` is the byte position where the input stopped making sense.
class ParseError : public std::runtime_error {
  public:
    ParseError(const std::string &what, size_t offset) : std::runtime_error(what), offset(offset) {}
    size_t offset;
};

namespace detail {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
inline size_t utf8_sequence_length(std::string_view s, size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    auto cont = [&](size_t k) {
        return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    };
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
        if (c == 0xED && c1 > 0x9F) return 0;  // surrogates
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c == 0xF0 && c1 < 0x90) return 0;
        if (c == 0xF4 && c1 > 0x8F) return 0;
        return 4;
    }
    return 0;
}

inline void append_utf8(std::string &out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

class Parser {
  public:
    Parser(std::string_view in, size_t max_depth) : s_(in), max_depth_(max_depth) {}

    Value parse_document() {
        skip_ws();
        Value v = parse_value(0);
        skip_ws();
        if (i_ != s_.size()) fail("trailing characters after JSON value");
        return v;
    }

    // Parses one value starting at the current position and reports where it ended.
    Value parse_prefix(size_t &end) {
        skip_ws();
        Value v = parse_value(0);
        end = i_;
        return v;
    }

  private:
    [[noreturn]] void fail(const std::string &what) const {
        throw ParseError(what + " at offset " + std::to_string(i_), i_);
    }
    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool consume_literal(std::string_view lit) {
        if (s_.substr(i_, lit.size()) == lit) {
            i_ += lit.size();
            return true;
        }
        return false;
    }

    Value parse_value(size_t depth) {
        if (i_ >= s_.size()) fail("unexpected end of JSON input");
        const char c = s_[i_];
        if (c == '{') return parse_object(depth + 1);
        if (c == '[') return parse_array(depth + 1);
        if (c == '"') return Value(parse_string());
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
        if (consume_literal("true")) return Value(true);
        if (consume_literal("false")) return Value(false);
        if (consume_literal("null")) return Value(nullptr);
        fail(std::string("unexpected character '") + c + "'");
    }

    Value parse_object(size_t depth) {
        if (depth > max_depth_) fail("JSON nesting too deep");
        ++i_;  // {
        Object obj;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == '}') {
            ++i_;
            return Value(std::move(obj));
        }
        for (;;) {
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != '"') fail("expected object key string");
            std::string key = parse_string();
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != ':') fail("expected ':' after object key");
            ++i_;
            skip_ws();
            Value v = parse_value(depth);
            obj.emplace_back(std::move(key), std::move(v));
            skip_ws();
            if (i_ >= s_.size()) fail("unexpected end of JSON input in object");
            if (s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (s_[i_] == '}') {
                ++i_;
                return Value(std::move(obj));
            }
            fail("expected ',' or '}' in object");
        }
    }

    Value parse_array(size_t depth) {
        if (depth > max_depth_) fail("JSON nesting too deep");
        ++i_;  // [
        Array arr;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ']') {
            ++i_;
            return Value(std::move(arr));
        }
        for (;;) {
            skip_ws();
            arr.push_back(parse_value(depth));
            skip_ws();
            if (i_ >= s_.size()) fail("unexpected end of JSON input in array");
            if (s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (s_[i_] == ']') {
                ++i_;
                return Value(std::move(arr));
            }
            fail("expected ',' or ']' in array");
        }
    }

    Value parse_number() {
        const size_t start = i_;
        if (s_[i_] == '-') ++i_;
        if (i_ >= s_.size()) fail("invalid number");
        if (s_[i_] == '0') {
            ++i_;
        } else if (s_[i_] >= '1' && s_[i_] <= '9') {
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        } else {
            fail("invalid number");
        }
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) fail("invalid number");
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) fail("invalid number");
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
        return Value(Number{std::string(s_.substr(start, i_ - start))});
    }

    uint32_t parse_hex4() {
        if (i_ + 4 > s_.size()) fail("truncated \\u escape");
        uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const int digit = hex::digit_value(s_[i_++]);
            if (digit < 0) fail("invalid \\u escape");
            v = (v << 4) | static_cast<uint32_t>(digit);
        }
        return v;
    }

    std::string parse_string() {
        ++i_;  // opening quote
        std::string out;
        for (;;) {
            if (i_ >= s_.size()) fail("unterminated string");
            const char c = s_[i_];
            if (c == '"') {
                ++i_;
                return out;
            }
            if (c == '\\') {
                ++i_;
                if (i_ >= s_.size()) fail("unterminated escape");
                const char e = s_[i_++];
                switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    uint32_t cp = parse_hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (!(i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u'))
                            fail("unpaired surrogate in \\u escape");
                        i_ += 2;
                        const uint32_t lo = parse_hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) fail("invalid low surrogate in \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        fail("unpaired surrogate in \\u escape");
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: fail("invalid escape");
                }
                continue;
            }
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
            if (static_cast<unsigned char>(c) < 0x80) {  // a run of plain ASCII is copied at once
                const size_t start = i_;
                while (++i_ < s_.size()) {
                    const auto d = static_cast<unsigned char>(s_[i_]);
                    if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
                }
                out.append(s_.data() + start, i_ - start);
                continue;
            }
            const size_t n = utf8_sequence_length(s_, i_);
            if (n == 0) fail("invalid UTF-8 in string");
            out.append(s_.data() + i_, n);
            i_ += n;
        }
    }

    std::string_view s_;
    size_t i_ = 0;
    size_t max_depth_;
};

}  // namespace detail

inline constexpr size_t kDefaultMaxDepth = 128;

// Parses a complete JSON document; throws ParseError.
inline Value parse(std::string_view text, size_t max_depth = kDefaultMaxDepth) {
    return detail::Parser(text, max_depth).parse_document();
}

// Parses one JSON value at the start of `text` (after whitespace); `end` receives the offset just
// past it. Used by lenient parsers that must know where a value stops.
inline Value parse_prefix(std::string_view text, size_t &end, size_t max_depth = kDefaultMaxDepth) {
    return detail::Parser(text, max_depth).parse_prefix(end);
}

// Whether `text` is entirely valid UTF-8.
inline bool is_valid_utf8(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        uint64_t word = 0;  // eight ASCII bytes at a time
        for (; i + sizeof word <= text.size(); i += sizeof word) {
            std::memcpy(&word, text.data() + i, sizeof word);
            if ((word & 0x8080808080808080ULL) != 0) break;
        }
        if (i >= text.size()) break;
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
            continue;
        }
        const size_t n = detail::utf8_sequence_length(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

// Appends `s` as a JSON string literal (quotes included). Non-ASCII stays raw UTF-8.
inline void write_string(std::string &out, std::string_view s) {
    out += '"';
    size_t run = 0;  // start of the bytes not yet copied: a run that needs no escape goes at once
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            out += "\\u00";
            hex::append(out, &c, 1);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

struct WriteOptions {
    bool sort_keys = false;  // byte-wise sorted object keys (serde_json's default map order)
};

inline void write(std::string &out, const Value &v, const WriteOptions &opt = {}) {
    switch (v.kind()) {
    case Kind::Null: out += "null"; return;
    case Kind::Bool: out += v.as_bool() ? "true" : "false"; return;
    case Kind::Number: out += v.as_number().text; return;
    case Kind::String: write_string(out, v.as_string()); return;
    case Kind::Array: {
        out += '[';
        bool first = true;
        for (const auto &e : v.as_array()) {
            if (!first) out += ',';
            first = false;
            write(out, e, opt);
        }
        out += ']';
        return;
    }
    case Kind::Object: {
        out += '{';
        std::vector<const Member *> members;
        members.reserve(v.as_object().size());
        for (const auto &m : v.as_object()) members.push_back(&m);
        if (opt.sort_keys)
            std::stable_sort(members.begin(), members.end(),
                             [](const Member *a, const Member *b) { return a->first < b->first; });
        bool first = true;
        for (const Member *m : members) {
            if (!first) out += ',';
            first = false;
            write_string(out, m->first);
            out += ':';
            write(out, m->second, opt);
        }
        out += '}';
        return;
    }
    }
}

inline std::string dump(const Value &v, const WriteOptions &opt = {}) {
    std::string out;
    write(out, v, opt);
    return out;
}

// Compact serialisation with sorted keys: the canonical form used for tool arguments and schemas.
inline std::string dump_sorted(const Value &v) { return dump(v, WriteOptions{true}); }

}  // namespace vep::json
