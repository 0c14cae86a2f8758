// TDX TCB status from verified collateral (see tcb_evaluation.hpp).
#include "tcb_evaluation.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "vep/hex.hpp"

namespace vep::tdx_dcap {
namespace {

[[noreturn]] void reject(const std::string &why) { throw TcbEvaluationError(why); }

const json::Value &member(const json::Value &obj, std::string_view key, std::string_view where) {
    const json::Value *v = obj.find(key);
    if (!v) reject(std::string(where) + " has no \"" + std::string(key) + "\"");
    return *v;
}

uint64_t member_uint(const json::Value &obj, std::string_view key, std::string_view where) {
    uint64_t v = 0;
    if (!member(obj, key, where).get_u64(v)) reject(std::string(where) + "." + std::string(key) + " is not an integer");
    return v;
}

const std::string &member_string(const json::Value &obj, std::string_view key, std::string_view where) {
    const json::Value &v = member(obj, key, where);
    if (!v.is_string()) reject(std::string(where) + "." + std::string(key) + " is not a string");
    return v.as_string();
}

std::vector<uint8_t> member_hex(const json::Value &obj, std::string_view key, std::string_view where) {
    auto bytes = hex::decode(member_string(obj, key, where));
    if (!bytes) reject(std::string(where) + "." + std::string(key) + " is not hex");
    return std::move(*bytes);
}

const json::Array &member_array(const json::Value &obj, std::string_view key, std::string_view where) {
    const json::Value &v = member(obj, key, where);
    if (!v.is_array()) reject(std::string(where) + "." + std::string(key) + " is not an array");
    return v.as_array();
}

bool equal_bytes(ByteSpan a, const std::vector<uint8_t> &b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

// (value & mask) == expected, byte by byte; all three of the same length.
bool masked_equal(ByteSpan value, const std::vector<uint8_t> &mask, const std::vector<uint8_t> &expected) {
    if (value.size() != mask.size() || value.size() != expected.size()) return false;
    for (size_t i = 0; i < value.size(); ++i)
        if ((value[i] & mask[i]) != expected[i]) return false;
    return true;
}

// Severity order of TCB statuses; unknown strings rank worst.
int severity(const std::string &status) {
    static const std::array<const char *, 7> order = {"UpToDate",   "SWHardeningNeeded", "ConfigurationNeeded",
                                                      "ConfigurationAndSWHardeningNeeded", "OutOfDate",
                                                      "OutOfDateConfigurationNeeded", "Revoked"};
    for (size_t i = 0; i < order.size(); ++i)
        if (status == order[i]) return static_cast<int>(i);
    return static_cast<int>(order.size());
}

// The status of the first level of `levels` whose tcb.isvsvn <= svn.
std::string isvsvn_status(const json::Array &levels, uint64_t svn, std::string_view where) {
    for (const auto &level : levels) {
        const json::Value &tcb = member(level, "tcb", where);
        if (member_uint(tcb, "isvsvn", where) <= svn) return member_string(level, "tcbStatus", where);
    }
    reject(std::string(where) + ": no TCB level for ISVSVN " + std::to_string(svn));
}

std::string platform_status(const Quote &quote, const PckExtension &pck, const json::Value &tcb_info) {
    const ByteSpan tee_tcb_svn = quote.tee_tcb_svn();
    const bool module_graded_separately = tee_tcb_svn[1] > 0;
    for (const auto &level : member_array(tcb_info, "tcbLevels", "tcbInfo")) {
        const json::Value &tcb = member(level, "tcb", "tcbLevel");
        const json::Array &sgx = member_array(tcb, "sgxtcbcomponents", "tcbLevel.tcb");
        const json::Array &tdx = member_array(tcb, "tdxtcbcomponents", "tcbLevel.tcb");
        if (sgx.size() != 16 || tdx.size() != 16) reject("tcbLevel with other than 16 TCB components");
        bool match = member_uint(tcb, "pcesvn", "tcbLevel.tcb") <= pck.pce_svn;
        for (size_t i = 0; match && i < 16; ++i)
            match = member_uint(sgx[i], "svn", "sgxtcbcomponent") <= pck.sgx_tcb_svn[i];
        for (size_t i = 0; match && i < 16; ++i) {
            if (module_graded_separately && i < 2) continue;
            match = member_uint(tdx[i], "svn", "tdxtcbcomponent") <= tee_tcb_svn[i];
        }
        if (match) return member_string(level, "tcbStatus", "tcbLevel");
    }
    reject("TCB level not supported: no TCB Info level matches this platform");
}

// Checks the TDX module's signer and attributes; returns its status ("" when not graded).
std::string module_status(const Quote &quote, const json::Value &tcb_info) {
    const ByteSpan tee_tcb_svn = quote.tee_tcb_svn();
    const ByteSpan seam_attributes = quote.body.subspan(112, 8);
    auto check_identity = [&](const json::Value &identity, std::string_view where) {
        if (!equal_bytes(quote.mr_signer_seam(), member_hex(identity, "mrsigner", where)))
            reject(std::string(where) + ": MRSIGNERSEAM does not match");
        if (!masked_equal(seam_attributes, member_hex(identity, "attributesMask", where),
                          member_hex(identity, "attributes", where)))
            reject(std::string(where) + ": SEAMATTRIBUTES do not match");
    };
    if (tee_tcb_svn[1] == 0) {
        check_identity(member(tcb_info, "tdxModule", "tcbInfo"), "tdxModule");
        return "";
    }
    char id[8];
    std::snprintf(id, sizeof id, "TDX_%02X", tee_tcb_svn[1]);
    for (const auto &identity : member_array(tcb_info, "tdxModuleIdentities", "tcbInfo")) {
        if (member_string(identity, "id", "tdxModuleIdentity") != id) continue;
        check_identity(identity, id);
        return isvsvn_status(member_array(identity, "tcbLevels", id), tee_tcb_svn[0], id);
    }
    reject(std::string("no TDX module identity ") + id + " in the TCB Info");
}

std::string qe_status(const Quote &quote, const json::Value &qe_identity) {
    constexpr std::string_view where = "enclaveIdentity";
    if (member_string(qe_identity, "id", where) != "TD_QE") reject("QE Identity is not for the TD QE");
    const ByteSpan report = quote.qe_report;
    if (!equal_bytes(report.subspan(128, 32), member_hex(qe_identity, "mrsigner", where)))
        reject("QE report MRSIGNER does not match the QE Identity");
    const uint64_t isvprodid = report[256] | (report[257] << 8);
    if (isvprodid != member_uint(qe_identity, "isvprodid", where)) reject("QE report ISVPRODID does not match");
    // MISCSELECT is a little-endian u32 in the report and a big-endian hex number in the identity.
    const std::array<uint8_t, 4> miscselect = {report[19], report[18], report[17], report[16]};
    if (!masked_equal(miscselect, member_hex(qe_identity, "miscselectMask", where),
                      member_hex(qe_identity, "miscselect", where)))
        reject("QE report MISCSELECT does not match");
    if (!masked_equal(report.subspan(48, 16), member_hex(qe_identity, "attributesMask", where),
                      member_hex(qe_identity, "attributes", where)))
        reject("QE report ATTRIBUTES do not match");
    const uint64_t isvsvn = report[258] | (report[259] << 8);
    return isvsvn_status(member_array(qe_identity, "tcbLevels", where), isvsvn, "QE Identity");
}

}  // namespace

std::string evaluate_tcb_status(const Quote &quote, const PckExtension &pck, const json::Value &tcb_info,
                                const json::Value &qe_identity) {
    if (member_string(tcb_info, "id", "tcbInfo") != "TDX") reject("TCB Info is not for TDX");
    if (member_uint(tcb_info, "version", "tcbInfo") < 3) reject("TCB Info version is older than 3");
    if (!equal_bytes(pck.fmspc, member_hex(tcb_info, "fmspc", "tcbInfo")))
        reject("TCB Info FMSPC " + member_string(tcb_info, "fmspc", "tcbInfo") + " is not the PCK certificate's " +
               hex::encode(pck.fmspc.data(), pck.fmspc.size()));
    if (!equal_bytes(pck.pce_id, member_hex(tcb_info, "pceId", "tcbInfo")))
        reject("TCB Info PCE-ID is not the PCK certificate's");
    std::string status = platform_status(quote, pck, tcb_info);
    for (const std::string &other : {module_status(quote, tcb_info), qe_status(quote, qe_identity)})
        if (!other.empty() && severity(other) > severity(status)) status = other;
    return status;
}

}  // namespace vep::tdx_dcap
