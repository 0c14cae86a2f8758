// Canonical XML 1.1 (see xml_c14n.hpp).
#include "xml_c14n.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

namespace vep::nvidia {
namespace {

using Namespaces = std::map<std::string, std::string>;  // prefix -> URI, as rendered by the output parent

void escape_text(std::string &out, const std::string &text) {
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '\r': out += "&#xD;"; break;
        default: out += c;
        }
    }
}

void escape_attribute(std::string &out, const std::string &value) {
    for (const char c : value) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '"': out += "&quot;"; break;
        case '\t': out += "&#x9;"; break;
        case '\n': out += "&#xA;"; break;
        case '\r': out += "&#xD;"; break;
        default: out += c;
        }
    }
}

// Every namespace in scope at `e` (inner declarations win).
Namespaces in_scope(const XmlElement &e) {
    std::vector<const XmlElement *> path;
    for (const XmlElement *p = &e; p; p = p->parent) path.push_back(p);
    Namespaces out;
    for (auto it = path.rbegin(); it != path.rend(); ++it)
        for (const auto &[prefix, uri] : (*it)->namespaces) out[prefix] = uri;
    return out;
}

void render(const XmlElement &e, const Namespaces &rendered, const XmlElement *skip, std::string &out) {
    Namespaces now = rendered;
    std::vector<std::pair<std::string, std::string>> declare;  // sorted by prefix: the map's order
    for (const auto &[prefix, uri] : in_scope(e)) {
        if (prefix == "xml") continue;
        const auto it = rendered.find(prefix);
        if (it != rendered.end() && it->second == uri) continue;
        // xmlns="" only undoes a default namespace the output parent rendered.
        if (prefix.empty() && uri.empty() && (it == rendered.end() || it->second.empty())) continue;
        declare.emplace_back(prefix, uri);
        now[prefix] = uri;
    }
    std::vector<std::tuple<std::string, std::string, const XmlAttribute *>> attributes;  // (URI, local, attribute)
    for (const auto &a : e.attributes) {
        const size_t colon = a.qname.find(':');
        if (colon == std::string::npos) {
            attributes.emplace_back("", a.qname, &a);
            continue;
        }
        const std::string prefix = a.qname.substr(0, colon);
        const std::string uri = e.namespace_of(prefix);
        if (uri.empty()) throw std::runtime_error("XML: attribute prefix " + prefix + " is not declared");
        attributes.emplace_back(uri, a.qname.substr(colon + 1), &a);
    }
    std::sort(attributes.begin(), attributes.end(), [](const auto &x, const auto &y) {
        return std::tie(std::get<0>(x), std::get<1>(x)) < std::tie(std::get<0>(y), std::get<1>(y));
    });
    out += '<';
    out += e.qname;
    for (const auto &[prefix, uri] : declare) {
        out += prefix.empty() ? " xmlns=\"" : " xmlns:" + prefix + "=\"";
        escape_attribute(out, uri);
        out += '"';
    }
    for (const auto &[uri, local, a] : attributes) {
        out += ' ';
        out += a->qname;
        out += "=\"";
        escape_attribute(out, a->value);
        out += '"';
    }
    out += '>';
    for (const auto &child : e.children) {
        if (!child.element) escape_text(out, child.text);
        else if (child.element.get() != skip) render(*child.element, now, skip, out);
    }
    out += "</";
    out += e.qname;
    out += '>';
}

}  // namespace

std::string canonicalize(const XmlElement &apex, const XmlElement *skip) {
    for (const XmlElement *p = apex.parent; p; p = p->parent)
        for (const auto &a : p->attributes)
            if (a.qname.rfind("xml:", 0) == 0)
                throw std::runtime_error("XML: an inherited " + a.qname + " attribute is not canonicalised");
    std::string out;
    render(apex, {}, skip, out);
    return out;
}

}  // namespace vep::nvidia
