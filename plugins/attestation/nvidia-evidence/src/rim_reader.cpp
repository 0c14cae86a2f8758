// RIM formats and the id binding (see rim_reader.hpp).
#include "rim_reader.hpp"

#include "swid_rim.hpp"
#include "vep/attestation/base64.hpp"
#include "vep/json.hpp"
#include "vep/sdk.hpp"
#include "vep/text.hpp"

namespace vep::nvidia {
namespace {

// A SWID RIM is the one `rim_id` names when its version is the id's last part.
SignedRim bind_swid(SignedRim rim, const std::string &rim_id, const std::string &component) {
    const std::string id_version = rim_id.substr(rim_id.rfind('_') + 1);
    std::string version = rim.version;
    if (component == "vbios") std::erase(version, '.');
    if (to_lower_ascii(version) != to_lower_ascii(id_version))
        rim_invalid(rim_id + " is wanted but the document is for version " + rim.version);
    rim.rim_id = rim_id;
    rim.component = component;
    return rim;
}

}  // namespace

SignedRim read_rim(const std::string &text, const std::string &rim_id, const std::string &component,
                   const std::set<std::string> &pinned_root_sha256, int64_t now) {
    if (text.size() > kMaxRimBytes) rim_invalid("is larger than " + std::to_string(kMaxRimBytes) + " bytes");
    const std::string_view body = trim_ascii(text);
    if (!body.empty() && (body.front() == '<' || body.substr(0, 3) == "\xEF\xBB\xBF"))
        return bind_swid(verify_swid_rim(text, pinned_root_sha256, now), rim_id, component);
    json::Value doc;
    try {
        doc = json::parse(text, 8);
    } catch (const json::ParseError &e) {
        rim_invalid(std::string("is neither SWID XML nor JSON: ") + e.what());
    }
    SignedRim rim;
    if (const json::Value *swid = doc.is_object() ? doc.find("rim") : nullptr) {
        const json::Value *id = doc.find("id");
        if (!id || !id->is_string() || id->as_string() != rim_id)
            rim_invalid("service answer for " + rim_id + " names " + (id && id->is_string() ? id->as_string() : "no id"));
        const auto xml = swid->is_string() ? attestation::base64_decode(swid->as_string()) : std::nullopt;
        if (!xml) rim_invalid("service answer's rim is not Base64");
        rim = bind_swid(verify_swid_rim(std::string_view(reinterpret_cast<const char *>(xml->data()), xml->size()),
                                        pinned_root_sha256, now),
                        rim_id, component);
    } else {
        rim = verify_signed_rim(text, pinned_root_sha256, now);
        if (rim.rim_id != rim_id) rim_invalid("served for " + rim_id + " is " + rim.rim_id);
    }
    if (rim.component != component) rim_invalid(rim_id + " is a " + rim.component + " RIM");
    return rim;
}

}  // namespace vep::nvidia
