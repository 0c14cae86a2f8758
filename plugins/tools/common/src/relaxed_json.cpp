// Relaxed JSON reader: see relaxed_json.hpp.
#include "vep/tools/relaxed_json.hpp"

#include <algorithm>

namespace vep::tools {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; }
bool identifier_char(char c) { return identifier_start(c) || (c >= '0' && c <= '9') || c == '-'; }

struct Invalid {};

class Reader {
  public:
    explicit Reader(std::string_view s) : s_(s) {}

    json::Value value(size_t depth) {
        if (depth > kMaxRelaxedDepth || pos_ >= s_.size()) throw Invalid{};
        const char c = s_[pos_];
        if (c == '{') return object(depth);
        if (c == '[') return array(depth);
        if (c == '"' || c == '\'') return json::Value(string());
        if (literal("True")) return python(json::Value(true));
        if (literal("False")) return python(json::Value(false));
        if (literal("None")) return python(json::Value(nullptr));
        size_t end = 0;
        try {
            json::Value scalar = json::parse_prefix(s_.substr(pos_), end);
            if (scalar.is_object() || scalar.is_array()) throw Invalid{};
            pos_ += end;
            return scalar;
        } catch (const json::ParseError &) {
            throw Invalid{};
        }
    }

    size_t pos() const { return pos_; }
    std::vector<std::string> take_rules() { return std::move(rules_); }

  private:
    void use(std::string_view rule) {
        if (std::find(rules_.begin(), rules_.end(), rule) == rules_.end()) rules_.emplace_back(rule);
    }
    void skip_space() {
        while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
    }
    void expect(char c) {
        if (pos_ >= s_.size() || s_[pos_] != c) throw Invalid{};
        ++pos_;
    }
    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        const size_t after = pos_ + word.size();
        if (after < s_.size() && identifier_char(s_[after])) return false;
        pos_ = after;
        return true;
    }
    json::Value python(json::Value v) {
        use("json-python-literals");
        return v;
    }

    // A double- or single-quoted string: rebuilt as a strict JSON string literal and decoded by
    // the strict parser, so escapes mean exactly what JSON says.
    std::string string() {
        const char quote = s_[pos_++];
        if (quote == '\'') use("json-single-quotes");
        std::string literal = "\"";
        for (;;) {
            if (pos_ >= s_.size()) throw Invalid{};
            const char c = s_[pos_++];
            if (c == quote) break;
            if (c == '\\') {
                if (pos_ >= s_.size()) throw Invalid{};
                const char next = s_[pos_++];
                if (quote == '\'' && next == '\'') {
                    literal += '\'';
                } else {
                    literal += '\\';
                    literal += next;
                }
            } else if (c == '\n' || c == '\r' || c == '\t') {
                use("json-raw-control-chars");
                literal += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
            } else if (c == '"') {
                literal += "\\\"";
            } else {
                literal += c;
            }
        }
        literal += '"';
        try {
            return json::parse(literal).as_string();
        } catch (const json::ParseError &) {
            throw Invalid{};
        }
    }

    std::string key() {
        if (pos_ < s_.size() && (s_[pos_] == '"' || s_[pos_] == '\'')) return string();
        if (pos_ >= s_.size() || !identifier_start(s_[pos_])) throw Invalid{};
        const size_t start = pos_;
        while (pos_ < s_.size() && identifier_char(s_[pos_])) ++pos_;
        use("json-unquoted-keys");
        return std::string(s_.substr(start, pos_ - start));
    }

    json::Value object(size_t depth) {
        expect('{');
        json::Value out = json::Value::object();
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == '}') {
            ++pos_;
            return out;
        }
        for (;;) {
            skip_space();
            std::string k = key();
            skip_space();
            expect(':');
            skip_space();
            if (out.find(k)) throw Invalid{};  // a repeated key is ambiguous
            out.set(k, value(depth + 1));
            skip_space();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            expect('}');
            return out;
        }
    }

    json::Value array(size_t depth) {
        expect('[');
        json::Value out = json::Value::array();
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            return out;
        }
        for (;;) {
            skip_space();
            out.push_back(value(depth + 1));
            skip_space();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            expect(']');
            return out;
        }
    }

    std::string_view s_;
    size_t pos_ = 0;
    std::vector<std::string> rules_;
};

}  // namespace

std::optional<RelaxedValue> read_relaxed_json(std::string_view text) {
    Reader reader(text);
    try {
        json::Value value = reader.value(0);
        return RelaxedValue{std::move(value), reader.take_rules(), reader.pos()};
    } catch (const Invalid &) {
        return std::nullopt;
    }
}

}  // namespace vep::tools
