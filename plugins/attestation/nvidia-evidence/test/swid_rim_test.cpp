// NVIDIA's own RIM format on real documents: two SWID RIMs signed by NVIDIA (a GH100 VBIOS RIM and
// a driver RIM from NVIDIA's nvtrust samples, in tests/data/gpu/nvidia) verify — XMLDSig digest
// over the canonicalised document, ECDSA-P384 signature over the canonicalised SignedInfo, signer
// chain to NVIDIA's pinned CoRIM root — as files and as a RIM service answer, and bind to their
// ids by version. Altering a golden value, the digest, the signature, the id, the pin or the
// time, or adding what the reader refuses (DOCTYPE, comment, a second signature), fails closed; so
// does a correctly signed payload with anything but well-formed measurements.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include "nvidia_fixture.hpp"
#include "rim_reader.hpp"
#include "rim_store.hpp"
#include "swid_rim.hpp"
#include "test_pki.hpp"
#include "vep/sdk.hpp"

namespace {

const std::string kDir = std::string(VEP_SOURCE_DIR) + "/tests/data/gpu/nvidia";
const std::string kVbiosId = "NV_GPU_VBIOS_1010_0200_882_96005E0001";
const std::string kDriverId = "NV_GPU_DRIVER_GH100_545.00";
// SHA-256 of NVIDIA's "CoRIM signing Root CA" (verifier_RIM_root.pem, DER).
const std::set<std::string> kNvidiaRoot = {"12977b5115acb0381179279fffeb5a8c4d264971ebb32298023a465fa41df5d1"};
constexpr int64_t k2024 = 1717200000;  // 2024-06-01: inside every certificate's validity
constexpr int64_t k2026 = 1796000000;  // 2026-11: after the L4 signers expired (June 2025)

std::string read(const std::string &name) {
    std::ifstream in(kDir + "/" + name, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// The failure message of read_rim, "" when it passed.
std::string failure(const std::string &text, const std::string &id, const std::string &component,
                    const std::set<std::string> &pins = kNvidiaRoot, int64_t now = k2024) {
    try {
        vep::nvidia::read_rim(text, id, component, pins, now);
        return "";
    } catch (const vep::Failure &f) {
        EXPECT_EQ(f.code(), "attestation_invalid_nvidia_evidence");
        return f.what();
    }
}

}  // namespace

TEST(SwidRim, RealNvidiaVbiosRimVerifiesAndReadsItsGoldenMeasurements) {
    const auto rim = vep::nvidia::read_rim(read(kVbiosId + ".swidtag"), kVbiosId, "vbios", kNvidiaRoot, k2024);
    EXPECT_EQ(rim.rim_id, kVbiosId);
    EXPECT_EQ(rim.component, "vbios");
    EXPECT_EQ(rim.version, "96.00.5E.00.01");
    EXPECT_NE(rim.signer_subject.find("HCC RIM L4 Signer"), std::string::npos) << rim.signer_subject;
    ASSERT_EQ(rim.measurements.size(), 64u);
    EXPECT_TRUE(rim.measurements.at(1).active);
    EXPECT_FALSE(rim.measurements.at(7).active);
    ASSERT_EQ(rim.measurements.at(12).values.size(), 4u);
    EXPECT_EQ(rim.measurements.at(1).values.front().size(), 48u);
    EXPECT_EQ(rim.measurements.at(1).values.front()[0], 0xc3);
}

TEST(SwidRim, RealNvidiaDriverRimVerifies) {
    const auto rim = vep::nvidia::read_rim(read(kDriverId + ".swidtag"), kDriverId, "driver", kNvidiaRoot, k2024);
    EXPECT_EQ(rim.version, "545.00");
    EXPECT_FALSE(rim.measurements.empty());
}

TEST(SwidRim, RimServiceAnswerIsReadAndMustNameTheIdAskedFor) {
    const std::string xml = read(kVbiosId + ".swidtag");
    const std::string b64 = nvidia_test::base64(std::vector<uint8_t>(xml.begin(), xml.end()));
    EXPECT_EQ(failure(R"({"id":")" + kVbiosId + R"(","rim":")" + b64 + R"("})", kVbiosId, "vbios"), "");
    EXPECT_NE(failure(R"({"id":"NV_GPU_VBIOS_OTHER","rim":")" + b64 + R"("})", kVbiosId, "vbios").find("names"),
              std::string::npos);
    EXPECT_NE(failure(R"({"id":")" + kVbiosId + R"(","rim":"not base64!"})", kVbiosId, "vbios").find("Base64"),
              std::string::npos);
}

TEST(SwidRim, TheDocumentMustBeTheVersionItsIdNames) {
    const std::string xml = read(kVbiosId + ".swidtag");
    EXPECT_NE(failure(xml, "NV_GPU_VBIOS_1010_0200_882_96005E0003", "vbios").find("version 96.00.5E.00.01"),
              std::string::npos);
    EXPECT_NE(failure(read(kDriverId + ".swidtag"), "NV_GPU_DRIVER_GH100_550.54.15", "driver").find("version 545.00"),
              std::string::npos);
}

TEST(SwidRim, AlteredGoldenValueDigestOrSignatureFails) {
    const std::string xml = read(kVbiosId + ".swidtag");
    const std::string golden = "c3f65ef79a19c029868cd7ce54b10e44f192444edb3506dde29cef2aac4e916c90a4f438e55aa7581a9e384c74d82db6";
    std::string other = golden;
    other[0] = 'd';
    EXPECT_NE(failure(replaced(xml, golden, other), kVbiosId, "vbios").find("digest does not match"), std::string::npos);
    EXPECT_NE(failure(replaced(xml, "index=\"7\" active=\"False\"", "index=\"7\" active=\"True\""), kVbiosId, "vbios")
                  .find("digest does not match"),
              std::string::npos);
    // The signed digest itself changed.
    EXPECT_NE(failure(replaced(xml, "D3Bc48ZT3n3afFJR1MEyzTtpwbpOAugxwZeWlMtVpB1sNqj9c+sx5biKZGnMPB/b",
                               "E3Bc48ZT3n3afFJR1MEyzTtpwbpOAugxwZeWlMtVpB1sNqj9c+sx5biKZGnMPB/b"),
                      kVbiosId, "vbios")
                  .find("digest does not match"),
              std::string::npos);
    EXPECT_NE(failure(replaced(xml, "<ds:SignatureValue>s5JY", "<ds:SignatureValue>t5JY"), kVbiosId, "vbios")
                  .find("signature does not verify"),
              std::string::npos);
}

TEST(SwidRim, UnpinnedRootOrExpiredSignerFails) {
    const std::string xml = read(kVbiosId + ".swidtag");
    EXPECT_NE(failure(xml, kVbiosId, "vbios", {std::string(64, 'a')}).find("RIM signer chain"), std::string::npos);
    EXPECT_NE(failure(xml, kVbiosId, "vbios", kNvidiaRoot, k2026).find("RIM signer chain"), std::string::npos);
}

TEST(SwidRim, ConstructsTheReaderDoesNotInterpretAreRefused) {
    const std::string xml = read(kVbiosId + ".swidtag");
    EXPECT_NE(failure("<!DOCTYPE x [<!ENTITY e \"v\">]>" + xml, kVbiosId, "vbios").find("DOCTYPE"), std::string::npos);
    EXPECT_NE(failure(replaced(xml, "<ns0:Payload", "<!-- c --><ns0:Payload"), kVbiosId, "vbios").find("comments"),
              std::string::npos);
    const size_t sig = xml.find("<ds:Signature ");
    const size_t end = xml.find("</ds:Signature>") + std::string("</ds:Signature>").size();
    const std::string twice = xml.substr(0, end) + xml.substr(sig, end - sig) + xml.substr(end);
    EXPECT_NE(failure(twice, kVbiosId, "vbios").find("exactly one enveloped ds:Signature"), std::string::npos);
    EXPECT_NE(failure("<a>", kVbiosId, "vbios").find("XML"), std::string::npos);
    EXPECT_NE(failure("not a rim", kVbiosId, "vbios").find("neither SWID XML nor JSON"), std::string::npos);
}

TEST(SwidRim, RimDirectoryServesSwidtagFiles) {
    vep::nvidia::RimStore store(kDir, "", std::chrono::milliseconds(1000));
    EXPECT_EQ(store.text(kVbiosId), read(kVbiosId + ".swidtag"));
    EXPECT_THROW(store.text("NV_GPU_VBIOS_NOT_THERE"), vep::Failure);
}

TEST(SwidRim, SignedPayloadWithAnythingButMeasurementsIsRefused) {
    const nvidia_test::TestCert root = nvidia_test::make_cert("Test RIM Root", nullptr);
    const nvidia_test::TestCert signer = nvidia_test::make_cert("Test RIM Signer", &root, false);
    const std::map<unsigned, std::set<std::vector<uint8_t>>> golden = {{2, {std::vector<uint8_t>(48, 0x11)}}};
    const auto read = [&](const std::string &extra) {
        return failure(nvidia_test::signed_swid_rim("96.00.5E.00.01", golden, signer, {&signer, &root}, extra), kVbiosId,
                       "vbios", {root.sha256()});
    };
    EXPECT_EQ(read(""), "");
    EXPECT_NE(read("<ns0:Resource type=\"File\" name=\"x\"/>").find("other than Measurement"), std::string::npos);
    EXPECT_NE(read("<ns0:Resource type=\"Measurement\" index=\"2\" active=\"True\" ns2:Hash0=\"" + std::string(96, 'a') +
                   "\"/>")
                  .find("appears twice"),
              std::string::npos);
    EXPECT_NE(read("<ns0:Resource type=\"Measurement\" index=\"3\" active=\"True\" alternatives=\"2\" ns2:Hash0=\"" +
                   std::string(96, 'a') + "\"/>")
                  .find("alternatives=2"),
              std::string::npos);
    EXPECT_NE(read("<ns0:Resource type=\"Measurement\" index=\"4\" active=\"True\" ns2:Hash0=\"abcd\"/>").find("SHA-384"),
              std::string::npos);
}
