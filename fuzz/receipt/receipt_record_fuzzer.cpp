// libFuzzer target: check_receipt() on an arbitrary /tee/signature body, against a fixed attested
// report (the web3 test signer's address, one Ed25519 receipt key). It must never throw or crash,
// every check must end pass, fail or unverifiable, and no input can verify: both signatures are
// over keys whose private halves the fuzzer does not have.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "attestation/receipt_check.hpp"

using namespace vep;

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

json::Value attested_report() {
    json::Value key = json::Value::object();
    key.set("key_id", "k1");
    key.set("algo", "ed25519");
    key.set("public_key", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");  // RFC 8032 test 1
    json::Value keyset = json::Value::object();
    keyset.set("digest", "sha256:1111111111111111111111111111111111111111111111111111111111111111");
    keyset.set("receipt_signing_keys", json::Array{key});
    json::Value report = json::Value::object();
    report.set("signing_address", "2c7536e3605d9c16a7a3d7b1898e529396a65c23");
    report.set("workload_keyset", std::move(keyset));
    return report;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const json::Value report = attested_report();
    static const host::ReceiptEvidence evidence{"chatcmpl-1", std::string(64, 'a'), std::string(64, 'b')};
    const host::ReceiptVerdict verdict =
        host::check_receipt(std::string(reinterpret_cast<const char *>(data), size), evidence, report);
    require(!verdict.verified);
    require(!verdict.failed.empty());
    for (const json::Value &check : verdict.checks.as_array()) {
        const std::string &status = check.find("status")->as_string();
        require(status == "pass" || status == "fail" || status == "unverifiable");
    }
    return 0;
}
