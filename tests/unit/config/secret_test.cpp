// Secret: blank() is trimmed-empty; copies and assignment keep the value.
#include <gtest/gtest.h>

#include "config/config.hpp"

namespace vep::host {
namespace {

TEST(Secret, BlankMeansTrimmedEmpty) {
    EXPECT_TRUE(Secret().blank());
    EXPECT_TRUE(Secret("").blank());
    EXPECT_TRUE(Secret(" \t\r\n").blank());
    EXPECT_FALSE(Secret(" k ").blank());
}

TEST(Secret, CopyAndAssignment) {
    Secret a("first-secret-value");
    Secret b(a);
    EXPECT_EQ(b.expose(), "first-secret-value");
    Secret c("a much longer secret value than the first one, to force a new buffer");
    c = a;
    EXPECT_EQ(c.expose(), "first-secret-value");
    c = c;
    EXPECT_EQ(c.expose(), "first-secret-value");
    EXPECT_STREQ(Secret::redacted(), "[REDACTED]");
}

}  // namespace
}  // namespace vep::host
