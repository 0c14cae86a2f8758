// NVIDIA SWID RIM verification (see swid_rim.hpp).
#include "swid_rim.hpp"

#include <openssl/sha.h>

#include <stdexcept>

#include "openssl_handles.hpp"
#include "p384_signature.hpp"
#include "pinned_chain.hpp"
#include "vep/attestation/base64.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"
#include "xml_c14n.hpp"
#include "xml_tree.hpp"

namespace vep::nvidia {
namespace {

constexpr const char *kSwid = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
constexpr const char *kDsig = "http://www.w3.org/2000/09/xmldsig#";
constexpr const char *kSha384Values = "http://www.w3.org/2001/04/xmlenc#sha384";
constexpr const char *kC14n11 = "http://www.w3.org/2006/12/xml-c14n11";
constexpr const char *kC14n10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
constexpr const char *kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
constexpr const char *kEcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
constexpr const char *kSha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
constexpr size_t kMaxMeasurements = 256;
constexpr size_t kMaxAlternatives = 16;
constexpr size_t kSha384Bytes = 48;

// The one child `ds:<local>` of `parent`.
const XmlElement &only_child(const XmlElement &parent, const char *ns, const char *local) {
    const auto found = parent.children_named(ns, local);
    if (found.size() != 1) rim_invalid("signature needs exactly one " + std::string(local) + " in " + std::string(parent.local_name()));
    return *found.front();
}

// `parent` has no element children but the listed ones (in the XMLDSig namespace).
void only_children(const XmlElement &parent, std::initializer_list<std::string_view> allowed) {
    for (const auto &c : parent.children) {
        if (!c.element) continue;
        bool ok = c.element->namespace_uri() == kDsig;
        if (ok) ok = std::find(allowed.begin(), allowed.end(), c.element->local_name()) != allowed.end();
        if (!ok) rim_invalid("signature has an unexpected element " + c.element->qname + " in " + std::string(parent.local_name()));
    }
}

const std::string &algorithm(const XmlElement &e) {
    const std::string *a = e.attribute("", "Algorithm");
    if (!a) rim_invalid(std::string(e.local_name()) + " has no Algorithm");
    return *a;
}

bool is_c14n(const std::string &a) { return a == kC14n11 || a == kC14n10; }

// The element's text without the whitespace XMLDSig allows inside Base64.
std::string compact_text(const XmlElement &e) {
    std::string compact;
    for (const char c : e.text())
        if (c != ' ' && c != '\n' && c != '\t') compact += c;
    return compact;
}

std::vector<uint8_t> base64_text(const XmlElement &e) {
    auto bytes = attestation::base64_decode(compact_text(e));
    if (!bytes || bytes->empty()) rim_invalid(std::string(e.local_name()) + " is not Base64");
    return std::move(*bytes);
}

std::string canonical(const XmlElement &apex, const XmlElement *skip) {
    try {
        return canonicalize(apex, skip);
    } catch (const std::runtime_error &e) {
        rim_invalid(e.what());
    }
}

// Checks the digest and signature; returns the validated signer chain.
PinnedChain verify_signature(const XmlElement &root, const std::set<std::string> &pins, int64_t now) {
    const auto signatures = root.children_named(kDsig, "Signature");
    if (signatures.size() != 1) rim_invalid("must have exactly one enveloped ds:Signature");
    const XmlElement &signature = *signatures.front();
    only_children(signature, {"SignedInfo", "SignatureValue", "KeyInfo"});
    const XmlElement &info = only_child(signature, kDsig, "SignedInfo");
    only_children(info, {"CanonicalizationMethod", "SignatureMethod", "Reference"});
    if (!is_c14n(algorithm(only_child(info, kDsig, "CanonicalizationMethod"))))
        rim_invalid("canonicalization method is not Canonical XML 1.1 or 1.0 without comments");
    if (algorithm(only_child(info, kDsig, "SignatureMethod")) != kEcdsaSha384) rim_invalid("signature method is not ECDSA-SHA384");
    const XmlElement &reference = only_child(info, kDsig, "Reference");
    only_children(reference, {"Transforms", "DigestMethod", "DigestValue"});
    const std::string *uri = reference.attribute("", "URI");
    if (!uri || !uri->empty()) rim_invalid("signature reference is not the whole document (URI=\"\")");
    const XmlElement &transforms = only_child(reference, kDsig, "Transforms");
    only_children(transforms, {"Transform"});
    const auto steps = transforms.children_named(kDsig, "Transform");
    if (steps.size() != 2 || algorithm(*steps[0]) != kEnveloped || !is_c14n(algorithm(*steps[1])) ||
        steps[0]->children.size() + steps[1]->children.size() != 0)
        rim_invalid("signature transforms are not enveloped-signature then Canonical XML");
    if (algorithm(only_child(reference, kDsig, "DigestMethod")) != kSha384) rim_invalid("digest method is not SHA-384");

    const std::string document = canonical(root, &signature);
    uint8_t digest[SHA384_DIGEST_LENGTH];
    SHA384(reinterpret_cast<const uint8_t *>(document.data()), document.size(), digest);
    if (base64_text(only_child(reference, kDsig, "DigestValue")) != std::vector<uint8_t>(digest, digest + sizeof digest))
        rim_invalid("digest does not match the document (it was altered after signing)");

    const XmlElement &data = only_child(only_child(signature, kDsig, "KeyInfo"), kDsig, "X509Data");
    std::string pem;
    for (const XmlElement *cert : data.children_named(kDsig, "X509Certificate")) {
        const std::string b64 = compact_text(*cert);
        pem += "-----BEGIN CERTIFICATE-----\n";
        for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
        pem += "-----END CERTIFICATE-----\n";
    }
    PinnedChain chain = validate_pinned_chain(pem, pins, now, "RIM signer chain");

    const std::vector<uint8_t> value = base64_text(only_child(signature, kDsig, "SignatureValue"));
    std::array<uint8_t, 96> rs{};
    if (value.size() != rs.size()) rim_invalid("signature value is not a P-384 r||s pair");
    std::copy(value.begin(), value.end(), rs.begin());
    OpenSslPtr<EVP_PKEY> key(X509_get_pubkey(chain.certs.front().get()));
    const std::string signed_info = canonical(info, nullptr);
    if (!key || !verify_p384_sha384(key.get(), reinterpret_cast<const uint8_t *>(signed_info.data()), signed_info.size(), rs))
        rim_invalid("signature does not verify with the signer certificate");
    return chain;
}

void read_measurements(const XmlElement &root, SignedRim &out) {
    const auto payloads = root.children_named(kSwid, "Payload");
    if (payloads.size() != 1) rim_invalid("must have exactly one Payload");
    for (const auto &c : payloads.front()->children) {
        if (!c.element) continue;
        const XmlElement &r = *c.element;
        const std::string *type = r.attribute("", "type");
        if (r.local_name() != "Resource" || r.namespace_uri() != kSwid || !type || *type != "Measurement")
            rim_invalid("Payload holds something other than Measurement resources: " + r.qname);
        const std::string *index = r.attribute("", "index");
        const std::string *active = r.attribute("", "active");
        const bool digits = index && !index->empty() && index->size() <= 3 &&
                            index->find_first_not_of("0123456789") == std::string::npos;
        const unsigned long i = digits ? std::stoul(*index) : 256;
        if (i > 255) rim_invalid("measurement index must be an integer 0..255");
        GoldenMeasurement golden;
        if (!active || (*active != "True" && *active != "False" && *active != "true" && *active != "false"))
            rim_invalid("measurement " + *index + " needs active=\"True\" or \"False\"");
        golden.active = *active == "True" || *active == "true";
        for (size_t k = 0; k <= kMaxAlternatives; ++k) {
            const std::string *hash = r.attribute(kSha384Values, "Hash" + std::to_string(k));
            if (!hash) break;
            if (k == kMaxAlternatives) rim_invalid("measurement " + *index + " has too many alternatives");
            auto bytes = hex::decode(*hash);
            if (!bytes || bytes->size() != kSha384Bytes) rim_invalid("measurement " + *index + " has a value that is not SHA-384 hex");
            golden.values.push_back(std::move(*bytes));
        }
        if (golden.values.empty()) rim_invalid("measurement " + *index + " has no Hash0");
        if (const std::string *alternatives = r.attribute("", "alternatives");
            alternatives && *alternatives != std::to_string(golden.values.size()))
            rim_invalid("measurement " + *index + " says alternatives=" + *alternatives + " but has " +
                    std::to_string(golden.values.size()));
        if (out.measurements.size() >= kMaxMeasurements) rim_invalid("has too many measurements");
        if (!out.measurements.emplace(static_cast<unsigned>(i), std::move(golden)).second) rim_invalid("measurement index " + *index + " appears twice");
    }
}

}  // namespace

SignedRim verify_swid_rim(std::string_view xml, const std::set<std::string> &pinned_root_sha256, int64_t now) {
    if (xml.size() > kMaxRimBytes) rim_invalid("is larger than " + std::to_string(kMaxRimBytes) + " bytes");
    std::unique_ptr<XmlElement> root;
    try {
        root = parse_xml(xml);
    } catch (const std::runtime_error &e) {
        rim_invalid(e.what());
    }
    if (root->local_name() != "SoftwareIdentity" || root->namespace_uri() != kSwid) rim_invalid("is not a SWID SoftwareIdentity");
    const PinnedChain chain = verify_signature(*root, pinned_root_sha256, now);
    SignedRim out;
    const auto metas = root->children_named(kSwid, "Meta");
    const std::string *version = metas.size() == 1 ? metas.front()->attribute("", "colloquialVersion") : nullptr;
    if (!version || version->empty()) rim_invalid("has no Meta colloquialVersion");
    out.version = *version;
    read_measurements(*root, out);
    out.signer_subject = certificate_subject(chain.certs.front().get());
    out.root_sha256 = chain.root_sha256;
    return out;
}

}  // namespace vep::nvidia
