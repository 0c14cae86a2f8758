// A strict, bounded XML reader for signed documents (NVIDIA's SWID RIMs), producing the element
// tree that XML canonicalisation and the RIM reader walk.
//
// Owns: parsing of elements, attributes, namespace declarations, text and character/predefined
// entity references, line-end and attribute-value normalisation as XML 1.0 prescribes, and the
// bounds (size, depth, attributes). Anything a signed RIM has no use for — DOCTYPE, entity
// declarations, comments, processing instructions, CDATA — is refused rather than interpreted, so
// what is canonicalised and what is read are the same tree. Called by swid_rim.cpp.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vep::nvidia {

struct XmlElement;

// A child of an element: text (element == nullptr) or an element.
struct XmlChild {
    std::string text;
    std::unique_ptr<XmlElement> element;
};

struct XmlAttribute {
    std::string qname;  // as written, "prefix:local" or "local"
    std::string value;  // entity references resolved, whitespace normalised
};

struct XmlElement {
    std::string qname;
    std::vector<std::pair<std::string, std::string>> namespaces;  // declared here: prefix ("" = default) -> URI
    std::vector<XmlAttribute> attributes;                         // the others, in document order
    std::vector<XmlChild> children;
    const XmlElement *parent = nullptr;

    std::string_view prefix() const;
    std::string_view local_name() const;
    // The namespace URI a prefix ("" = default) maps to here; "" when unbound.
    std::string namespace_of(std::string_view prefix) const;
    std::string namespace_uri() const { return namespace_of(prefix()); }
    // The value of the attribute with this namespace URI ("" = none) and local name, or null.
    const std::string *attribute(std::string_view ns, std::string_view local) const;
    // Element children with this namespace URI and local name.
    std::vector<const XmlElement *> children_named(std::string_view ns, std::string_view local) const;
    // The concatenated text children.
    std::string text() const;
};

constexpr size_t kMaxXmlDepth = 32;
constexpr size_t kMaxXmlAttributes = 64;

// The document element of `text`. Throws std::runtime_error saying what is wrong.
std::unique_ptr<XmlElement> parse_xml(std::string_view text);

}  // namespace vep::nvidia
