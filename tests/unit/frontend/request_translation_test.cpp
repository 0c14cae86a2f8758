// The Responses and Messages request translators: what chat request each API's request becomes
// (messages in order, tool calls joined to their assistant turn, tool results, forwarded fields)
// and what they refuse with a clear 400.
#include <gtest/gtest.h>

#include "errors/proxy_error.hpp"
#include "frontend/messages_request.hpp"
#include "frontend/responses_request.hpp"
#include "openai/chat_request_parser.hpp"

namespace vep::host {
namespace {

json::Value chat_of(const TranslatedRequest &t) { return json::parse(t.chat_body); }

std::string error_of(auto &&translate, std::string_view body) {
    try {
        translate(body);
    } catch (const ProxyError &e) {
        return e.code() + ": " + e.what();
    }
    return "no error";
}

TEST(ResponsesRequest, StringInputAndInstructions) {
    const auto t = translate_responses_request(
        R"({"model":"m","instructions":"Be brief.","input":"hi","max_output_tokens":50,"stream":true})");
    EXPECT_EQ(t.model, "m");
    EXPECT_TRUE(t.stream);
    EXPECT_EQ(t.chat_body,
              R"({"model":"m","stream":true,"stream_options":{"include_usage":true},"max_tokens":50,"messages":[)"
              R"({"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]})");
    EXPECT_NO_THROW(parse_chat_request(std::string_view(t.chat_body)));
}

TEST(ResponsesRequest, CodexConversationWithAToolRound) {
    const auto t = translate_responses_request(R"({"model":"m","store":false,"include":["reasoning.encrypted_content"],
      "reasoning":{"summary":"auto"},"prompt_cache_key":"k","client_metadata":{},"parallel_tool_calls":true,"tool_choice":"auto",
      "tools":[{"type":"function","name":"exec_command","parameters":{"type":"object"},"strict":false},
               {"type":"web_search","external_web_access":true}],
      "input":[{"type":"message","id":"m1","role":"developer","content":[{"type":"input_text","text":"a"},{"type":"input_text","text":"b"}]},
               {"type":"message","role":"user","content":[{"type":"input_text","text":"run it"}]},
               {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":null},
               {"type":"function_call","id":"fc_1","status":"completed","name":"exec_command","arguments":"{\"cmd\":\"ls\"}","call_id":"call_1"},
               {"type":"function_call_output","id":"fco_1","call_id":"call_1","output":"file.txt"}]})");
    const json::Value chat = chat_of(t);
    EXPECT_EQ(json::dump(*chat.find("messages")),
              R"([{"role":"developer","content":"a\n\nb"},{"role":"user","content":"run it"},)"
              R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"exec_command","arguments":"{\"cmd\":\"ls\"}"}}]},)"
              R"({"role":"tool","tool_call_id":"call_1","content":"file.txt"}])");
    EXPECT_EQ(json::dump(*chat.find("tools")),
              R"([{"type":"function","function":{"name":"exec_command","parameters":{"type":"object"}}}])");
    const ParsedChatRequest parsed = parse_chat_request(std::string_view(t.chat_body));
    EXPECT_EQ(parsed.messages.size(), 4u);
}

TEST(ResponsesRequest, AssistantTextAndItsCallAreOneTurn) {
    const auto t = translate_responses_request(R"({"model":"m","input":[{"role":"user","content":"q"},
      {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
      {"type":"function_call","name":"f","arguments":"{}","call_id":"c"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"r"}]}]})");
    const json::Value chat = chat_of(t);
    const auto &messages = chat.find("messages")->as_array();
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[1].find("content")->as_string(), "Checking.");
    EXPECT_EQ(messages[1].find("tool_calls")->as_array().size(), 1u);
    EXPECT_EQ(messages[2].find("content")->as_string(), "r");
}

TEST(ResponsesRequest, TextFormatBecomesResponseFormat) {
    const auto schema = translate_responses_request(
        R"({"model":"m","input":"hi","text":{"format":{"type":"json_schema","name":"city","strict":true,)"
        R"("schema":{"type":"object","required":["name"]}}}})");
    EXPECT_EQ(json::dump(*chat_of(schema).find("response_format")),
              R"({"type":"json_schema","json_schema":{"name":"city","strict":true,"schema":{"type":"object","required":["name"]}}})");
    const auto parsed = parse_chat_request(std::string_view(schema.chat_body));
    ASSERT_TRUE(parsed.response_format);
    EXPECT_EQ(parsed.response_format->name, "city");
    const auto object =
        translate_responses_request(R"({"model":"m","input":"hi","text":{"format":{"type":"json_object"}}})");
    EXPECT_EQ(json::dump(*chat_of(object).find("response_format")), R"({"type":"json_object"})");
}

TEST(ResponsesRequest, RefusesWhatNeedsServerSideStateOrIsUnsupported) {
    auto refuse = [](std::string_view body) { return error_of(translate_responses_request, body); };
    EXPECT_EQ(refuse(R"({"model":"m","input":"x","previous_response_id":"resp_1"})"),
              "unsupported_request_field: unsupported request field previous_response_id: the proxy stores no responses "
              "(store is not supported); send the whole conversation in `input`");
    EXPECT_EQ(refuse(R"({"model":"m","input":"x","store":true})").rfind("unsupported_request_field: unsupported request field store", 0), 0u);
    EXPECT_EQ(refuse(R"({"model":"m","input":[{"type":"item_reference","id":"x"}]})").rfind("unsupported_request_field", 0), 0u);
    EXPECT_EQ(refuse(R"({"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"u"}]}]})")
                  .rfind("unsupported_message_content", 0),
              0u);
    EXPECT_EQ(refuse(R"({"model":"m","input":"x","include":["message.output_text.logprobs"]})").rfind("unsupported_request_field", 0), 0u);
    EXPECT_EQ(refuse(R"({"model":"m","input":"x","tools":[{"type":"custom","name":"t"}]})").rfind("unsupported_request_field", 0), 0u);
    EXPECT_EQ(refuse(R"({"model":"m","input":"x","frobnicate":1})"), "unsupported_request_field: unsupported request field frobnicate");
    EXPECT_EQ(refuse(R"({"model":"m"})"), "invalid_request: missing required field input");
    EXPECT_EQ(refuse("{").rfind("invalid_json:", 0), 0u);
}

TEST(MessagesRequest, ClaudeCodeShapedRequest) {
    const auto t = translate_messages_request(R"({"model":"claude-opus-4-8","max_tokens":64000,"stream":true,
      "thinking":{"type":"adaptive"},"output_config":{"effort":"high"},"context_management":{"edits":[]},"metadata":{"user_id":"u"},
      "system":[{"type":"text","text":"s1"},{"type":"text","text":"s2","cache_control":{"type":"ephemeral"}}],
      "tools":[{"name":"Bash","description":"d","input_schema":{"type":"object"}}],
      "messages":[{"role":"user","content":[{"type":"text","text":"<reminder>"},{"type":"text","text":"run echo"}]},
                  {"role":"system","content":"agents"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":""},{"type":"text","text":"Running."},
                     {"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"echo hi"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"hi","is_error":false,"cache_control":{}},
                     {"type":"text","text":"go on"}]}]})");
    EXPECT_EQ(t.model, "claude-opus-4-8");
    const json::Value chat = chat_of(t);
    EXPECT_EQ(json::dump(*chat.find("messages")),
              R"([{"role":"system","content":"s1\n\ns2"},{"role":"user","content":"<reminder>\n\nrun echo"},)"
              R"({"role":"system","content":"agents"},)"
              R"({"role":"assistant","content":"Running.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"Bash","arguments":"{\"command\":\"echo hi\"}"}}]},)"
              R"({"role":"tool","tool_call_id":"toolu_1","content":"hi"},{"role":"user","content":"go on"}])");
    EXPECT_EQ(chat.find("max_tokens")->as_number().text, "64000");
    EXPECT_EQ(json::dump(*chat.find("tools")),
              R"([{"type":"function","function":{"name":"Bash","description":"d","parameters":{"type":"object"}}}])");
    EXPECT_NO_THROW(parse_chat_request(std::string_view(t.chat_body)));
}

TEST(MessagesRequest, ToolChoiceThinkingStopSequencesAndErrors) {
    auto chat = [](std::string_view extra) {
        return chat_of(translate_messages_request(std::string(R"({"model":"m","messages":[{"role":"user","content":"x"}])") +
                                                  std::string(extra) + "}"));
    };
    EXPECT_EQ(chat(R"(,"tool_choice":{"type":"any"})").find("tool_choice")->as_string(), "required");
    EXPECT_EQ(json::dump(*chat(R"(,"tool_choice":{"type":"tool","name":"Bash","disable_parallel_tool_use":true})").find("tool_choice")),
              R"({"type":"function","function":{"name":"Bash"}})");
    EXPECT_EQ(json::dump(*chat(R"(,"thinking":{"type":"disabled"})").find("venice_parameters")), R"({"disable_thinking":true})");
    EXPECT_EQ(json::dump(*chat(R"(,"stop_sequences":["END"])").find("stop")), R"(["END"])");
    EXPECT_EQ(chat(R"(,"tool_choice":{"type":"none"})").find("tool_choice")->as_string(), "none");
    const auto error_result = chat_of(translate_messages_request(
        R"({"model":"m","messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"boom"}],"is_error":true}]}]})"));
    EXPECT_EQ(error_result.find("messages")->as_array()[0].find("content")->as_string(), "Error: boom");

    auto refuse = [](std::string_view body) { return error_of(translate_messages_request, body); };
    EXPECT_EQ(refuse(R"({"model":"m","top_k":5,"messages":[]})"),
              "unsupported_request_field: unsupported request field top_k: Venice's chat API has no top_k");
    EXPECT_EQ(refuse(R"({"model":"m","tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[]})")
                  .rfind("unsupported_request_field", 0),
              0u);
    EXPECT_EQ(refuse(R"({"model":"m","messages":[{"role":"user","content":[{"type":"image","source":{}}]}]})")
                  .rfind("unsupported_message_content", 0),
              0u);
    EXPECT_EQ(refuse(R"({"model":"m","messages":[{"role":"tool","content":"x"}]})").rfind("unsupported_message_role", 0), 0u);
}

TEST(MessagesRequest, CountTokensEstimatesFromTheTranslatedRequest) {
    const std::string small = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    const std::string large = R"({"model":"m","messages":[{"role":"user","content":")" + std::string(4000, 'a') + "\"}]}";
    EXPECT_GE(estimate_input_tokens(small), 1u);
    EXPECT_GT(estimate_input_tokens(large), 1000u);
    EXPECT_THROW(estimate_input_tokens(R"({"model":"m","top_k":1,"messages":[]})"), ProxyError);
}

}  // namespace
}  // namespace vep::host
