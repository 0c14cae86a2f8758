// Strict XML reader (see xml_tree.hpp).
#include "xml_tree.hpp"

#include <stdexcept>

#include "vep/json.hpp"

namespace vep::nvidia {
namespace {

[[noreturn]] void malformed(const std::string &why) { throw std::runtime_error("XML: " + why); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

bool is_name_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ':' ||
           c == '.' || c == '-' || u >= 0x80;
}

// A character reference's code point, if XML allows it, as UTF-8.
void append_reference(std::string &out, unsigned long cp) {
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) malformed("character reference out of range");
    json::detail::append_utf8(out, static_cast<uint32_t>(cp));
}

// Recursive-descent reader over text whose line ends are already "\n".
class Reader {
  public:
    explicit Reader(std::string_view text) : s_(text) {}

    std::unique_ptr<XmlElement> document() {
        if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
        if (s_.substr(pos_, 5) == "<?xml") {
            const size_t end = s_.find("?>", pos_);
            if (end == std::string_view::npos) malformed("unterminated XML declaration");
            pos_ = end + 2;
        }
        skip_space();
        if (pos_ >= s_.size() || s_[pos_] != '<') malformed("no document element");
        refuse_markup_declarations();
        auto root = element(nullptr, 1);
        skip_space();
        if (pos_ != s_.size()) malformed("content after the document element");
        return root;
    }

  private:
    void skip_space() {
        while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
    }

    void refuse_markup_declarations() const {
        if (s_.substr(pos_, 2) == "<!" || s_.substr(pos_, 2) == "<?")
            malformed("comments, processing instructions, CDATA and DOCTYPE are not accepted");
    }

    std::string name() {
        const size_t start = pos_;
        while (pos_ < s_.size() && is_name_char(s_[pos_])) ++pos_;
        if (pos_ == start) malformed("a name was expected at offset " + std::to_string(start));
        return std::string(s_.substr(start, pos_ - start));
    }

    void expect(char c) {
        if (pos_ >= s_.size() || s_[pos_] != c) malformed(std::string("'") + c + "' expected at offset " + std::to_string(pos_));
        ++pos_;
    }

    // A reference after '&': appends its character(s).
    void reference(std::string &out) {
        const size_t end = s_.find(';', pos_);
        if (end == std::string_view::npos || end - pos_ > 10) malformed("unterminated entity reference");
        const std::string_view ref = s_.substr(pos_, end - pos_);
        pos_ = end + 1;
        if (ref == "lt") out += '<';
        else if (ref == "gt") out += '>';
        else if (ref == "amp") out += '&';
        else if (ref == "quot") out += '"';
        else if (ref == "apos") out += '\'';
        else if (ref.size() > 1 && ref[0] == '#') {
            const bool hex = ref[1] == 'x';
            const std::string digits(ref.substr(hex ? 2 : 1));
            if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
                malformed("bad character reference");
            append_reference(out, std::stoul(digits, nullptr, hex ? 16 : 10));
        } else {
            malformed("unknown entity &" + std::string(ref) + ";");
        }
    }

    std::string attribute_value() {
        if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) malformed("quoted attribute value expected");
        const char quote = s_[pos_++];
        std::string out;
        while (pos_ < s_.size() && s_[pos_] != quote) {
            const char c = s_[pos_++];
            if (c == '<') malformed("'<' in an attribute value");
            if (c == '&') reference(out);
            else out += is_space(c) ? ' ' : c;
        }
        expect(quote);
        return out;
    }

    std::unique_ptr<XmlElement> element(const XmlElement *parent, size_t depth) {
        if (depth > kMaxXmlDepth) malformed("nested deeper than " + std::to_string(kMaxXmlDepth));
        expect('<');
        auto e = std::make_unique<XmlElement>();
        e->parent = parent;
        e->qname = name();
        for (;;) {
            const size_t before = pos_;
            skip_space();
            if (pos_ >= s_.size()) malformed("unterminated start tag <" + e->qname + ">");
            if (s_[pos_] == '/' || s_[pos_] == '>') break;
            if (pos_ == before) malformed("space expected between attributes of <" + e->qname + ">");
            std::string attr = name();
            skip_space();
            expect('=');
            skip_space();
            std::string value = attribute_value();
            if (e->attributes.size() + e->namespaces.size() >= kMaxXmlAttributes)
                malformed("more than " + std::to_string(kMaxXmlAttributes) + " attributes on <" + e->qname + ">");
            if (attr == "xmlns" || attr.rfind("xmlns:", 0) == 0) {
                std::string prefix = attr == "xmlns" ? "" : attr.substr(6);
                for (const auto &[p, uri] : e->namespaces)
                    if (p == prefix) malformed("namespace " + attr + " declared twice");
                e->namespaces.emplace_back(std::move(prefix), std::move(value));
            } else {
                for (const auto &a : e->attributes)
                    if (a.qname == attr) malformed("attribute " + attr + " appears twice");
                e->attributes.push_back({std::move(attr), std::move(value)});
            }
        }
        if (s_[pos_] == '/') {
            ++pos_;
            expect('>');
            return e;
        }
        expect('>');
        std::string text;
        for (;;) {
            if (pos_ >= s_.size()) malformed("<" + e->qname + "> is not closed");
            const char c = s_[pos_];
            if (c == '<') {
                if (!text.empty()) e->children.push_back({std::move(text), nullptr});
                text.clear();
                if (s_.substr(pos_, 2) == "</") break;
                refuse_markup_declarations();
                e->children.push_back({"", element(e.get(), depth + 1)});
            } else if (c == '&') {
                ++pos_;
                reference(text);
            } else {
                if (c == '>' && s_.substr(pos_ >= 2 ? pos_ - 2 : 0, 3) == "]]>") malformed("']]>' in text");
                text += c;
                ++pos_;
            }
        }
        pos_ += 2;
        if (name() != e->qname) malformed("<" + e->qname + "> is closed by another element");
        skip_space();
        expect('>');
        return e;
    }

    std::string_view s_;
    size_t pos_ = 0;
};

}  // namespace

std::string_view XmlElement::prefix() const {
    const size_t colon = qname.find(':');
    return colon == std::string::npos ? std::string_view() : std::string_view(qname).substr(0, colon);
}

std::string_view XmlElement::local_name() const {
    const size_t colon = qname.find(':');
    return colon == std::string::npos ? std::string_view(qname) : std::string_view(qname).substr(colon + 1);
}

std::string XmlElement::namespace_of(std::string_view prefix) const {
    if (prefix == "xml") return "http://www.w3.org/XML/1998/namespace";
    for (const XmlElement *e = this; e; e = e->parent)
        for (const auto &[p, uri] : e->namespaces)
            if (p == prefix) return uri;
    return "";
}

const std::string *XmlElement::attribute(std::string_view ns, std::string_view local) const {
    for (const auto &a : attributes) {
        const size_t colon = a.qname.find(':');
        const std::string_view a_local = colon == std::string::npos ? std::string_view(a.qname)
                                                                    : std::string_view(a.qname).substr(colon + 1);
        const std::string a_ns = colon == std::string::npos ? "" : namespace_of(std::string_view(a.qname).substr(0, colon));
        if (a_local == local && a_ns == ns) return &a.value;
    }
    return nullptr;
}

std::vector<const XmlElement *> XmlElement::children_named(std::string_view ns, std::string_view local) const {
    std::vector<const XmlElement *> out;
    for (const auto &c : children)
        if (c.element && c.element->local_name() == local && c.element->namespace_uri() == ns) out.push_back(c.element.get());
    return out;
}

std::string XmlElement::text() const {
    std::string out;
    for (const auto &c : children)
        if (!c.element) out += c.text;
    return out;
}

std::unique_ptr<XmlElement> parse_xml(std::string_view text) {
    std::string normalised;
    normalised.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            normalised += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            normalised += text[i];
        }
    }
    return Reader(normalised).document();
}

}  // namespace vep::nvidia
