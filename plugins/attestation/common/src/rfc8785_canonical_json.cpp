// RFC 8785 canonical JSON (see rfc8785_canonical_json.hpp).
#include "vep/attestation/rfc8785_canonical_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "vep/sdk.hpp"

namespace vep::attestation {
namespace {

[[noreturn]] void malformed(const std::string &why) { throw Failure("receipt_malformed", "canonical JSON: " + why); }

// UTF-8 to UTF-16 code units (for the member order RFC 8785 §3.2.3 prescribes).
std::u16string utf16(const std::string &s) {
    std::u16string out;
    for (size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        uint32_t cp = 0;
        size_t n = 0;
        if (b < 0x80) cp = b, n = 1;
        else if ((b & 0xe0) == 0xc0) cp = b & 0x1f, n = 2;
        else if ((b & 0xf0) == 0xe0) cp = b & 0x0f, n = 3;
        else if ((b & 0xf8) == 0xf0) cp = b & 0x07, n = 4;
        else malformed("string is not valid UTF-8");
        if (i + n > s.size()) malformed("string is not valid UTF-8");
        for (size_t k = 1; k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xc0) != 0x80) malformed("string is not valid UTF-8");
            cp = (cp << 6) | (c & 0x3f);
        }
        i += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
            out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
    }
    return out;
}

// A string as ECMAScript's JSON.stringify writes it (RFC 8785 §3.2.2.2): the SDK writer's escapes,
// after checking the UTF-8.
void write_string(const std::string &s, std::string &out) {
    utf16(s);  // validates UTF-8
    json::write_string(out, s);
}

// ECMAScript Number::toString for a finite double (ECMA-262 §6.1.6.1.20), from the shortest
// round-trip digits std::to_chars gives.
void write_number(double v, std::string &out) {
    if (!std::isfinite(v)) malformed("number is not finite");
    if (v == 0) {
        out += '0';
        return;
    }
    if (v < 0) {
        out += '-';
        v = -v;
    }
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    const std::string sci(buf, r.ptr);  // d[.ddd]e±XX
    const size_t e = sci.find('e');
    std::string digits = sci.substr(0, e);
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    const int k = static_cast<int>(digits.size());
    const int n = std::atoi(sci.c_str() + e + 1) + 1;  // decimal point position
    if (k <= n && n <= 21) {
        out += digits;
        out.append(static_cast<size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out += digits.substr(0, static_cast<size_t>(n));
        out += '.';
        out += digits.substr(static_cast<size_t>(n));
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<size_t>(-n), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) {
            out += '.';
            out += digits.substr(1);
        }
        out += 'e';
        out += n - 1 >= 0 ? '+' : '-';
        out += std::to_string(std::abs(n - 1));
    }
}

void write(const json::Value &v, std::string &out) {
    switch (v.kind()) {
    case json::Kind::Null: out += "null"; return;
    case json::Kind::Bool: out += v.as_bool() ? "true" : "false"; return;
    case json::Kind::Number: {
        const std::string &text = v.as_number().text;
        char *end = nullptr;
        const double d = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size()) malformed("number \"" + text + "\" is not a JSON number");
        write_number(d, out);
        return;
    }
    case json::Kind::String: write_string(v.as_string(), out); return;
    case json::Kind::Array: {
        out += '[';
        bool first = true;
        for (const auto &item : v.as_array()) {
            if (!first) out += ',';
            first = false;
            write(item, out);
        }
        out += ']';
        return;
    }
    case json::Kind::Object: {
        std::vector<std::pair<std::u16string, const json::Member *>> members;
        members.reserve(v.as_object().size());
        for (const auto &m : v.as_object()) members.emplace_back(utf16(m.first), &m);
        std::sort(members.begin(), members.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        for (size_t i = 1; i < members.size(); ++i)
            if (members[i].first == members[i - 1].first) malformed("duplicate member \"" + members[i].second->first + "\"");
        out += '{';
        bool first = true;
        for (const auto &[key, m] : members) {
            if (!first) out += ',';
            first = false;
            write_string(m->first, out);
            out += ':';
            write(m->second, out);
        }
        out += '}';
        return;
    }
    }
}

}  // namespace

std::string canonical_json(const json::Value &value) {
    std::string out;
    write(value, out);
    return out;
}

}  // namespace vep::attestation
