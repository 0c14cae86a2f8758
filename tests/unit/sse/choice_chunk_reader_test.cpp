// The one-pass chunk reader against the JSON-tree rules: it takes Venice's content chunks, and
// whatever it takes it reads exactly as classify_upstream_json does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sse/choice_chunk_reader.hpp"

namespace vep::host {
namespace {

// A content chunk as Venice streams it: the delta is the hex of an encrypted payload.
const std::string kVeniceChunk =
    R"({"id":"chatcmpl-7f3a9c2e41d84b0f","object":"chat.completion.chunk","created":1764950400,)"
    R"("model":"e2ee-qwen-2-5-7b-p","choices":[{"index":0,"delta":{"role":"assistant","content":)"
    R"("04a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c)"
    R"(6d7e8f90a1b2c3d4e5f607182900112233445566778899aabbccddeeff00112233"},"logprobs":null,)"
    R"("finish_reason":null}],"usage":null,"system_fingerprint":"fp_1"})";

// When the reader takes `data`, the JSON tree must take it too and give the same choice.
void expect_agrees(const std::string &data) {
    const std::optional<upstream_event::Choice> fast = read_choice_chunk(data);
    if (!fast) return;
    UpstreamEvent tree;
    try {
        tree = classify_upstream_json(data);
    } catch (const ProxyError &e) {
        ADD_FAILURE() << "the reader took what the rules refuse (" << e.what() << "): " << data;
        return;
    }
    const auto *choice = std::get_if<upstream_event::Choice>(&tree);
    ASSERT_NE(choice, nullptr) << data;
    EXPECT_TRUE(*fast == *choice) << data;
}

TEST(ChoiceChunkReader, TakesVenicesContentChunk) {
    const auto choice = read_choice_chunk(kVeniceChunk);
    ASSERT_TRUE(choice.has_value());
    EXPECT_EQ(choice->identity.id, "chatcmpl-7f3a9c2e41d84b0f");
    EXPECT_EQ(choice->identity.object, "chat.completion.chunk");
    EXPECT_EQ(choice->identity.created, 1764950400);
    EXPECT_EQ(choice->identity.model, "e2ee-qwen-2-5-7b-p");
    EXPECT_EQ(choice->index, 0u);
    EXPECT_EQ(choice->finish_reason, std::nullopt);
    ASSERT_TRUE(choice->content.has_value());
    EXPECT_EQ(choice->content->substr(0, 4), "04a1");
    EXPECT_EQ(choice->reasoning_content, std::nullopt);
    expect_agrees(kVeniceChunk);
}

TEST(ChoiceChunkReader, TakesTheLastChunkAndReasoning) {
    const auto last = read_choice_chunk(
        R"({ "id" : "c", "choices" : [ { "index" : 2, "delta" : { "reasoning_content" : "ab", "content" : "" ,)"
        R"( "tool_calls" : [ ] }, "finish_reason" : "stop" } ] , "created" : 1.5 }  )"
        "\n");
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->index, 2u);
    EXPECT_EQ(last->finish_reason, "stop");
    EXPECT_EQ(last->content, std::nullopt);
    EXPECT_EQ(last->reasoning_content, "ab");
    EXPECT_EQ(last->identity.created, std::nullopt);  // not an integer: ignored, as by the rules
}

TEST(ChoiceChunkReader, DeclinesWhatTheTreeMustDecide) {
    const std::vector<std::string> declined = {
        R"({"error":{"message":"x"},"choices":[{"delta":{"content":"aa"}}]})",
        R"({"choices":[{"delta":{"content":"aa"}}],"error":null})",
        R"({"choices":[]})",
        R"({"choices":[],"usage":{"total_tokens":3}})",
        R"({"choices":[{},{}]})",
        R"({"choices":["x"]})",
        R"({"choices":{}})",
        R"({"id":"x"})",
        R"({"choices":[{"index":-1}]})",
        R"({"choices":[{"index":"0"}]})",
        R"({"choices":[{"finish_reason":1}]})",
        R"({"choices":[{"delta":{"content":1}}]})",
        R"({"choices":[{"delta":{"tool_calls":[{"id":"t"}]}}]})",
        R"({"choices":[{"delta":{"content":"caf\u00e9"}}]})",
        "{\"choices\":[{\"delta\":{\"content\":\"caf\xc3\xa9\"}}]}",
        R"({"ch\u006fices":[{"delta":{"content":"aa"}}]})",
        R"({"choices":[{"delta":{"content":"aa"}}]} x)",
        R"({"choices":[{"delta":{"content":"aa"}},]})",
        R"({"choices":[{"delta":{"content":"aa"}}],})",
        R"({"choices":[{"delta":{"content":"aa"}}],"n":01})",
        R"({"choices":[{"delta":{"content":"aa"}}],"n":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})",
        R"([{"choices":[]}])",
        "",
        "{",
    };
    for (const auto &data : declined) EXPECT_FALSE(read_choice_chunk(data).has_value()) << data;
}

TEST(ChoiceChunkReader, FirstMemberWinsAsInTheTree) {
    const std::string data =
        R"({"id":7,"id":"second","model":"m","model":"n","created":5,"created":6,)"
        R"("choices":[{"index":1,"index":"x","finish_reason":null,"finish_reason":1,)"
        R"("delta":{"content":"aa","content":2,"tool_calls":null,"tool_calls":[1]},"delta":7}],)"
        R"("choices":"ignored"})";
    const auto choice = read_choice_chunk(data);
    ASSERT_TRUE(choice.has_value());
    EXPECT_EQ(choice->identity.id, std::nullopt);
    EXPECT_EQ(choice->identity.model, "m");
    EXPECT_EQ(choice->identity.created, 5);
    EXPECT_EQ(choice->index, 1u);
    EXPECT_EQ(choice->content, "aa");
    expect_agrees(data);
}

TEST(ChoiceChunkReader, AgreesWithTheTreeOnEveryOneByteEdit) {
    // Every deletion, and every replacement and insertion of a byte that matters to JSON, of the
    // Venice chunk and of a chunk with every member kind: the reader may decline, never differ.
    const std::string varied =
        R"({"id":"a","created":-0,"choices":[{"index":0,"delta":{"content":"ab","reasoning_content":null,)"
        R"("tool_calls":[]},"finish_reason":"length","logprobs":{"x":[true,false,null,-1.5e+3,"s"]}}]})";
    const std::string bytes = std::string("{}[]\":,0 1-.eE\\tnulx") + '\t' + '\x01' + '\x1f' + '\x7f' + '\x80';
    size_t taken = 0;
    for (const std::string &base : {kVeniceChunk, varied}) {
        for (size_t i = 0; i < base.size(); ++i) {
            std::vector<std::string> edits = {base.substr(0, i) + base.substr(i + 1)};
            for (const char b : bytes) {
                edits.push_back(base.substr(0, i) + b + base.substr(i + 1));
                edits.push_back(base.substr(0, i) + b + base.substr(i));
            }
            for (const auto &edit : edits) {
                taken += read_choice_chunk(edit).has_value() ? 1 : 0;
                expect_agrees(edit);
            }
        }
    }
    EXPECT_GT(taken, 1000u);  // most edits inside strings keep the chunk readable
}

}  // namespace
}  // namespace vep::host
