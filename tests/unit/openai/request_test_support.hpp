// Helpers shared by the chat request parser tests: parse a JSON body and assert on the ProxyError.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "errors/proxy_error.hpp"
#include "openai/chat_request_parser.hpp"

namespace vep::host::testing {

// Parses `body`, failing the test if it is rejected.
inline ParsedChatRequest parse_ok(std::string_view body) {
    try {
        return parse_chat_request(body);
    } catch (const ProxyError &e) {
        ADD_FAILURE() << "unexpected rejection [" << e.code() << "]: " << e.what() << "\nbody: " << body;
        return {};
    }
}

// The ProxyError `body` is rejected with; a test failure when it parses.
inline ProxyError parse_error(std::string_view body) {
    try {
        parse_chat_request(body);
    } catch (const ProxyError &e) {
        return e;
    }
    ADD_FAILURE() << "body was accepted: " << body;
    return ProxyError(0, "", "", "");
}

// A minimal valid body with `extra` (",\"k\":v" members) appended to the top-level object.
inline std::string body_with(std::string_view extra) {
    return std::string(R"({"model":"e2ee-test","messages":[{"role":"user","content":"hi"}])") + std::string(extra) + "}";
}

// A body whose only message is `message`.
inline std::string body_with_message(std::string_view message) {
    return std::string(R"({"model":"e2ee-test","messages":[)") + std::string(message) + "]}";
}

}  // namespace vep::host::testing

#define EXPECT_REJECTED(body, expected_code, fragment)                                            \
    do {                                                                                          \
        const ::vep::host::ProxyError err_ = ::vep::host::testing::parse_error(body);             \
        EXPECT_EQ(err_.code(), expected_code) << err_.what();                                     \
        EXPECT_NE(std::string(err_.what()).find(fragment), std::string::npos)                     \
            << "message: " << err_.what() << "\nexpected fragment: " << (fragment);               \
    } while (0)
