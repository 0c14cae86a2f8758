// The plugin ABI header cannot change silently: its SHA-256 is recorded in sdk/abi.sha256 together
// with the ABI version, and this test fails when either disagrees with the header.
#include <gtest/gtest.h>

#include <openssl/sha.h>

#include <fstream>
#include <sstream>
#include <string>

#include "vep/abi.h"
#include "vep/hex.hpp"

namespace {

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string sha256_hex(const std::string &data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(data.data()), data.size(), digest);
    return vep::hex::encode(digest, sizeof digest);
}

}  // namespace

TEST(AbiHeader, HashAndVersionMatchTheRecord) {
    const std::string header = read_file(std::string(VEP_SOURCE_DIR) + "/sdk/include/vep/abi.h");
    ASSERT_FALSE(header.empty());
    std::istringstream record(read_file(std::string(VEP_SOURCE_DIR) + "/sdk/abi.sha256"));
    std::string line, hash, version;
    while (std::getline(record, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        fields >> hash >> version;
    }
    EXPECT_EQ(version, std::to_string(VEP_ABI_MAJOR) + "." + std::to_string(VEP_ABI_MINOR))
        << "sdk/abi.sha256 records another ABI version than abi.h declares";
    EXPECT_EQ(hash, sha256_hex(header))
        << "sdk/include/vep/abi.h changed: bump VEP_ABI_MAJOR (breaking) or VEP_ABI_MINOR (append-only) and record "
           "the new hash in sdk/abi.sha256";
}

TEST(AbiHeader, EveryBoundaryStructStartsWithItsSize) {
    EXPECT_EQ(offsetof(vep_sink, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_error, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_host_api, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_cipher_vtable, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_attestation_input, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_attestation_vtable, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_tool_prompt_input, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_tool_format_vtable, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_stream_callbacks, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_filter_vtable, struct_size), 0u);
    EXPECT_EQ(offsetof(vep_plugin_descriptor, struct_size), 0u);
}
