// pinned-signer: an attestation verifier that accepts an enclave only when the signing address
// established by the verifiers before it (attestation-envelope derives it from the signing key)
// is one of a configured set. Pins a deployment to known enclave keys; rejects everything else.
// Config:
//   [plugin_config.pinned-signer]
//   signing_addresses = ["0x1234...abcd"]   # 0x + 40 hex characters each, at least one
// and list it after the envelope verifier:
//   [attestation] verifiers = ["envelope", "pinned-signer"]
#include <set>
#include <string>

#include <vep/hex.hpp>
#include <vep/plugin.hpp>
#include <vep/text.hpp>

namespace {

constexpr const char *kVerifier = "pinned-signer";
constexpr size_t kMaxPinned = 1024;

// "0x" + 40 hex characters, lower-cased; empty when `text` is not such an address.
std::string normalized_address(std::string_view text) {
    const std::string_view digits = vep::hex::strip_0x(text);
    if (text.size() != 42 || digits.size() != 40 || !vep::hex::is_hex(digits)) return {};
    return "0x" + vep::to_lower_ascii(digits);
}

void add_check(vep::json::Value &report, bool ok, std::string_view detail) {
    if (!report.find("checks") || !report.find("checks")->is_array()) report.set("checks", vep::json::Value::array());
    vep::json::Value entry = vep::json::Value::object();
    entry.set("verifier", kVerifier);
    entry.set("name", "pinned_signing_address");
    entry.set("ok", ok);
    entry.set("detail", detail);
    report.find("checks")->push_back(std::move(entry));
}

class PinnedSigner final : public vep::AttestationVerifier {
  public:
    explicit PinnedSigner(const vep::json::Value &config) {
        for (const auto &member : config.as_object()) {
            if (member.first == "signing_addresses") read_addresses(member.second);
            // The host hands every verifier its policy knobs; this one has no use for them.
            else if (member.first != "require_tdx" && member.first != "require_nvidia" &&
                     member.first != "allow_debug" && member.first != "pccs_url")
                throw vep::Failure("invalid_config", "pinned-signer: unknown key " + member.first);
        }
        if (pinned_.empty())
            throw vep::Failure("invalid_config", "pinned-signer: signing_addresses needs at least one address");
    }

    void verify(const vep::AttestationInput &input, vep::json::Value &report) override {
        const vep::json::Value *established = input.prior ? input.prior->find("signing_address") : nullptr;
        if (!established || !established->is_string()) {
            add_check(report, false, "no signing_address was established by an earlier verifier");
            throw vep::Failure("attestation_signer_unknown",
                               "pinned-signer needs a verifier before it (envelope) that establishes signing_address");
        }
        const std::string address = normalized_address(established->as_string());
        if (address.empty() || pinned_.count(address) == 0) {
            add_check(report, false, "signing address " + established->as_string() + " is not pinned");
            throw vep::Failure("attestation_signer_not_pinned",
                               "enclave signing address " + established->as_string() + " is not in signing_addresses");
        }
        add_check(report, true, "signing address " + address + " is pinned");
    }

  private:
    void read_addresses(const vep::json::Value &list) {
        if (!list.is_array() || list.as_array().size() > kMaxPinned)
            throw vep::Failure("invalid_config", "pinned-signer: signing_addresses must be an array of at most 1024 addresses");
        for (const auto &entry : list.as_array()) {
            const std::string address = entry.is_string() ? normalized_address(entry.as_string()) : std::string();
            if (address.empty())
                throw vep::Failure("invalid_config", "pinned-signer: every signing address is 0x + 40 hex characters");
            pinned_.insert(address);
        }
    }

    std::set<std::string> pinned_;
};

}  // namespace

VEP_PLUGIN(PinnedSigner, "pinned-signer", "1.0.0", "accepts only enclaves whose signing address is pinned in config")
