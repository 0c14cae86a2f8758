// RFC 3339 and Unix-seconds timestamps.
#include <gtest/gtest.h>

#include "vep/attestation/timestamp.hpp"

using namespace vep::attestation;

TEST(Timestamp, Rfc3339) {
    EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_rfc3339("2026-01-01T00:00:00Z"), 1767225600);
    EXPECT_EQ(parse_rfc3339("2025-06-19T10:32:27Z"), 1750329147);
    EXPECT_EQ(parse_rfc3339("2025-06-19T10:32:27.987654Z"), 1750329147);
    EXPECT_EQ(parse_rfc3339("2025-06-19T12:32:27+02:00"), 1750329147);
    EXPECT_EQ(parse_rfc3339("2025-06-19T08:02:27-02:30"), 1750329147);
    EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00Z"), 1709164800);
}

TEST(Timestamp, Rfc3339Rejections) {
    EXPECT_FALSE(parse_rfc3339(""));
    EXPECT_FALSE(parse_rfc3339("2026-01-01"));
    EXPECT_FALSE(parse_rfc3339("2026-01-01T00:00:00"));    // no zone
    EXPECT_FALSE(parse_rfc3339("2026-13-01T00:00:00Z"));   // month
    EXPECT_FALSE(parse_rfc3339("2025-02-29T00:00:00Z"));   // not a leap year
    EXPECT_FALSE(parse_rfc3339("2026-01-01T24:00:00Z"));
    EXPECT_FALSE(parse_rfc3339("2026-01-01T00:00:00Zjunk"));
    EXPECT_FALSE(parse_rfc3339("2026-01-01T00:00:00.Z"));
}

TEST(Timestamp, JsonValues) {
    EXPECT_EQ(parse_timestamp(vep::json::parse("1767225600")), 1767225600);
    EXPECT_EQ(parse_timestamp(vep::json::parse("\"1767225600\"")), 1767225600);
    EXPECT_EQ(parse_timestamp(vep::json::parse("\"2026-01-01T00:00:00Z\"")), 1767225600);
    EXPECT_FALSE(parse_timestamp(vep::json::parse("1.5")));
    EXPECT_FALSE(parse_timestamp(vep::json::parse("true")));
    EXPECT_FALSE(parse_timestamp(vep::json::parse("\"soon\"")));
}
