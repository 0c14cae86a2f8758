// Chat request parsing: the reference's openai/chat.rs cases plus this
// project's OpenAI-compatibility relaxations and strictness fixes.
#include <gtest/gtest.h>

#include "openai/chat_request_parser.hpp"
#include "openai/history_rendering.hpp"
#include "request_test_support.hpp"

namespace vep::host {
namespace {

using testing::body_with;
using testing::body_with_message;
using testing::parse_error;
using testing::parse_ok;

// ---- ported from openai/chat.rs -------------------------------------------------------------

TEST(ChatRequestParser, ParsesToolsIntoTypedFunctionEnvelopes) {
    const auto request = parse_ok(body_with(
        R"(,"tools":[{"type":"function","function":{"name":"search_web","description":"Search the web",)"
        R"("parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}}])"));
    ASSERT_EQ(request.tools.size(), 1u);
    const ToolDefinition &tool = request.tools[0];
    EXPECT_EQ(tool.name, "search_web");
    EXPECT_EQ(tool.description, std::optional<std::string>("Search the web"));
    ASSERT_TRUE(tool.parameters.has_value());
    EXPECT_EQ(*tool.parameters->find("required"), json::parse(R"(["query"])"));
    // The schema keeps the client's key order for the tools module to canonicalise.
    EXPECT_EQ(json::dump(*tool.parameters),
              R"({"type":"object","properties":{"query":{"type":"string"}},"required":["query"]})");
}

TEST(ChatRequestParser, ParsesToolChoiceIntoTypedShapes) {
    EXPECT_EQ(parse_ok(body_with(R"(,"tool_choice":"required")")).tool_choice.kind, ToolChoice::Kind::Required);
    EXPECT_EQ(parse_ok(body_with(R"(,"tool_choice":"none")")).tool_choice.kind, ToolChoice::Kind::None);
    EXPECT_EQ(parse_ok(body_with(R"(,"tool_choice":"auto")")).tool_choice.kind, ToolChoice::Kind::Auto);
    const auto named = parse_ok(body_with(R"(,"tool_choice":{"type":"function","function":{"name":"search_web"}})"));
    EXPECT_EQ(named.tool_choice.kind, ToolChoice::Kind::Named);
    EXPECT_EQ(named.tool_choice.name, "search_web");
    EXPECT_EQ(parse_ok(body_with(R"(,"tool_choice":null)")).tool_choice.kind, ToolChoice::Kind::Auto);
    EXPECT_EQ(parse_ok(body_with("")).tool_choice.kind, ToolChoice::Kind::Auto);
}

TEST(ChatRequestParser, RejectsInvalidToolAndToolChoiceShapes) {
    for (const char *extra : {
             R"(,"tools":["not an object"])",
             R"(,"tools":[{"type":"web_search","function":{"name":"search_web"}}])",
             R"(,"tools":[{"type":"function","function":{"name":"search_web","description":42}}])",
             R"(,"tools":[{"type":"function","function":{"name":"search_web","parameters":[]}}])",
             R"(,"tools":[{"type":"function","function":{}}])",
             R"(,"tools":[{"type":"function","function":{"name":""}}])",
             R"(,"tools":[{"type":"function","function":{"name":"search_web","extra":true}}])",
             R"(,"tool_choice":42)",
             R"(,"tool_choice":"always")",
             R"(,"tool_choice":{"type":"web_search","function":{"name":"search_web"}})",
             R"(,"tool_choice":{"type":"function","function":{"name":""}})",
         }) {
        EXPECT_REJECTED(body_with(extra), "invalid_request", "invalid field tool");
    }
}

TEST(ChatRequestParser, RejectsUnsupportedRolesAndContentShapes) {
    EXPECT_REJECTED(body_with_message(R"({"role":"function","content":"legacy"})"), "unsupported_message_role",
                    "unsupported message role \"function\"");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]})"),
                    "unsupported_message_content", "messages[0].content[0]");
    EXPECT_REJECTED(body_with_message(R"({"role":"assistant","content":null})"), "invalid_request",
                    "assistant messages must include string content or a supported tool_calls history entry");
}

TEST(ChatRequestParser, RejectsUnsupportedTopLevelFieldsAndUnsafeVeniceParameters) {
    EXPECT_REJECTED(body_with(R"(,"file_ids":["file_1"])"), "unsupported_request_field",
                    "unsupported request field file_ids");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"enable_web_search":"on"})"), "unsupported_venice_parameter",
                    "unsupported Venice parameter venice_parameters.enable_web_search");
    EXPECT_REJECTED(body_with(R"(,"reasoning":{"effort":"high"},"reasoning_effort":"low")"), "invalid_request",
                    "invalid field reasoning_effort");
}

TEST(ChatRequestParser, RejectsNullOrInvalidTypedSubfieldsWithoutSilentOptionCoercion) {
    EXPECT_REJECTED(body_with(R"(,"stream_options":null)"), "invalid_request", "invalid field stream_options");
    EXPECT_REJECTED(body_with(R"(,"stream_options":{"include_usage":null})"), "invalid_request",
                    "expected boolean, got null");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":null)"), "invalid_request", "invalid field venice_parameters");
    EXPECT_REJECTED(body_with(R"(,"stop":["ok",42])"), "invalid_request", "invalid field stop");
}

TEST(ChatRequestParser, SerdeLayerRejectsUnknownNestedFieldsAndWrongTypes) {
    EXPECT_REJECTED(body_with(R"(,"stream_options":{"include_usage":true,"extra":1})"), "invalid_request",
                    "unknown field `extra`");
    EXPECT_REJECTED(body_with(R"(,"stream_options":{"include_usage":"yes"})"), "invalid_request",
                    "expected boolean, got string");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"unknown_param":true})"), "invalid_request",
                    "unknown field `unknown_param`");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"enable_e2ee":"yes"})"), "invalid_request",
                    "expected boolean, got string");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"enable_web_search":42})"), "invalid_request",
                    "expected string or boolean, got number");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"enable_e2ee":null})"), "invalid_request",
                    "expected boolean, got null");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[{"type":"text","text":"hi","extra":1}]})"),
                    "unsupported_message_content", "unknown field `extra`");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":["plain string part"]})"),
                    "unsupported_message_content", "messages[0].content[0]");
}

// ---- top level ------------------------------------------------------------------------

TEST(ChatRequestParser, BodyMustBeAJsonObject) {
    for (const char *body : {"[]", "42", "\"text\"", "null"}) {
        const ProxyError e = parse_error(body);
        EXPECT_EQ(e.code(), "invalid_request");
        EXPECT_EQ(e.status(), 400);
        EXPECT_STREQ(e.what(), "invalid request: request body must be a JSON object");
    }
}

TEST(ChatRequestParser, JsonSyntaxErrorsSayWhere) {
    const ProxyError e = parse_error("{\n  \"model\": \"x\",\n  \"messages\": [}\n");
    EXPECT_EQ(e.code(), "invalid_json");
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.type(), "invalid_request_error");
    EXPECT_NE(std::string(e.what()).find("line 3, column 16"), std::string::npos) << e.what();
    EXPECT_EQ(parse_error("{").code(), "invalid_json");
    EXPECT_NE(std::string(parse_error("").what()).find("line 1, column 1"), std::string::npos);
}

TEST(ChatRequestParser, DuplicateKeysAreRefusedAsAmbiguous) {
    EXPECT_REJECTED(R"({"model":"a","model":"b","messages":[{"role":"user","content":"hi"}]})", "invalid_json",
                    "duplicate object key \"model\"");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":"a","content":"b"})"), "invalid_json",
                    "duplicate object key \"content\"");
}

TEST(ChatRequestParser, ParsedDocumentOverloadAppliesTheSameChecks) {
    const json::Value ok = json::parse(body_with(R"(,"stream":true)"));
    EXPECT_TRUE(parse_chat_request(ok).stream);
    try {
        parse_chat_request(json::parse(body_with_message(R"({"role":"user","content":"a","role":"system"})")));
        ADD_FAILURE() << "duplicate key accepted";
    } catch (const ProxyError &e) {
        EXPECT_EQ(e.code(), "invalid_json");
    }
}

TEST(ChatRequestParser, UnknownKeysAreReportedInSortedOrderBeforeAnythingElse) {
    // Both unknown; "logit_bias" < "zzz" byte-wise. Unknown keys win over a missing model.
    EXPECT_REJECTED(R"({"zzz":1,"logit_bias":{},"messages":[]})", "unsupported_request_field",
                    "unsupported request field logit_bias");
    for (const char *key : {"store", "top_logprobs", "service_tier", "functions", "modalities", "audio"})
        EXPECT_REJECTED(body_with(std::string(",\"") + key + "\":null"), "unsupported_request_field",
                        std::string("unsupported request field ") + key);
}

TEST(ChatRequestParser, CheckOrderMetadataModelMessagesStream) {
    // metadata is checked before model
    EXPECT_REJECTED(R"({"metadata":1})", "invalid_request", "metadata must be an object when provided");
    EXPECT_REJECTED(R"({"messages":[]})", "invalid_request", "missing required field model");
    EXPECT_REJECTED(R"({"model":"m"})", "invalid_request", "missing required field messages");
    EXPECT_REJECTED(R"({"model":"m","messages":[],"stream":null})", "invalid_request",
                    "messages must include at least one message");
    EXPECT_REJECTED(body_with(R"(,"stream":null,"stream_options":null)"), "invalid_request",
                    "invalid field stream: expected boolean, got null");
    EXPECT_REJECTED(body_with(R"(,"stream_options":null,"venice_parameters":null)"), "invalid_request",
                    "invalid field stream_options");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":null,"temperature":"hot")"), "invalid_request",
                    "invalid field venice_parameters");
    EXPECT_REJECTED(body_with(R"(,"temperature":"hot","reasoning":null)"), "invalid_request",
                    "invalid field temperature");
    EXPECT_REJECTED(body_with(R"(,"reasoning":null,"tools":null)"), "invalid_request", "invalid field reasoning");
    EXPECT_REJECTED(body_with(R"(,"tools":null,"tool_choice":42)"), "invalid_request", "invalid field tools");
    EXPECT_REJECTED(body_with(R"(,"tool_choice":42,"parallel_tool_calls":null)"), "invalid_request",
                    "invalid field tool_choice");
    EXPECT_REJECTED(body_with(R"(,"parallel_tool_calls":null)"), "invalid_request",
                    "invalid field parallel_tool_calls: expected boolean, got null");
}

TEST(ChatRequestParser, ModelMustBeANonBlankString) {
    EXPECT_REJECTED(R"({"model":42,"messages":[]})", "invalid_request", "invalid field model: expected string, got number");
    EXPECT_REJECTED(R"({"model":" \t","messages":[]})", "invalid_request", "invalid field model: must not be empty");
    EXPECT_REJECTED(R"({"model":"\u3000","messages":[]})", "invalid_request", "invalid field model: must not be empty");
    EXPECT_EQ(parse_ok(body_with("")).model, "e2ee-test");
}

TEST(ChatRequestParser, StreamDefaultsToFalseAndIncludeUsageIsKeptAsSent) {
    const auto plain = parse_ok(body_with(""));
    EXPECT_FALSE(plain.stream);
    EXPECT_FALSE(plain.include_usage.has_value());
    const auto streaming = parse_ok(body_with(R"(,"stream":true,"stream_options":{"include_usage":false})"));
    EXPECT_TRUE(streaming.stream);
    EXPECT_EQ(streaming.include_usage, std::optional<bool>(false));
    EXPECT_FALSE(parse_ok(body_with(R"(,"stream_options":{})")).include_usage.has_value());
}

TEST(ChatRequestParser, SamplingFieldsKeepTheirExactJsonText) {
    const auto request = parse_ok(body_with(
        R"(,"temperature":0.70,"top_p":1e-1,"max_tokens":18446744073709551615,"max_completion_tokens":0,"stop":"END")"));
    EXPECT_EQ(request.temperature->as_number().text, "0.70");
    EXPECT_EQ(request.top_p->as_number().text, "1e-1");
    EXPECT_EQ(request.max_tokens->as_number().text, "18446744073709551615");
    EXPECT_EQ(request.max_completion_tokens->as_number().text, "0");
    EXPECT_EQ(request.stop->as_string(), "END");
}

TEST(ChatRequestParser, NullSamplingFieldsAreNotForwarded) {
    const auto request = parse_ok(body_with(
        R"(,"temperature":null,"top_p":null,"max_tokens":null,"max_completion_tokens":null,"stop":null,"reasoning_effort":null,"metadata":null)"));
    EXPECT_FALSE(request.temperature || request.top_p || request.max_tokens || request.max_completion_tokens ||
                 request.stop || request.reasoning_effort);
}

TEST(ChatRequestParser, MaxTokensMustBeANonNegativeU64) {
    for (const char *value : {"64.0", "-1", "1e2", "18446744073709551616", "\"64\"", "true"})
        EXPECT_REJECTED(body_with(std::string(R"(,"max_tokens":)") + value), "invalid_request",
                        "invalid field max_tokens");
    EXPECT_REJECTED(body_with(R"(,"max_completion_tokens":1.5)"), "invalid_request",
                    "invalid field max_completion_tokens");
}

TEST(ChatRequestParser, TemperatureAndTopPMustBeNumbers) {
    EXPECT_REJECTED(body_with(R"(,"temperature":"0.2")"), "invalid_request",
                    "invalid field temperature: expected supported shape, got string");
    EXPECT_REJECTED(body_with(R"(,"top_p":[1])"), "invalid_request", "invalid field top_p");
    // No range check (the reference forwards any number).
    EXPECT_EQ(parse_ok(body_with(R"(,"temperature":99)")).temperature->as_number().text, "99");
}

TEST(ChatRequestParser, StopAcceptsAStringOrAnArrayOfStrings) {
    EXPECT_EQ(json::dump(*parse_ok(body_with(R"(,"stop":["a","b"])")).stop), R"(["a","b"])");
    EXPECT_EQ(json::dump(*parse_ok(body_with(R"(,"stop":[])")).stop), "[]");
    EXPECT_REJECTED(body_with(R"(,"stop":42)"), "invalid_request", "invalid field stop");
}

TEST(ChatRequestParser, MetadataIsOptionalAndOnlySessionIdIsRead) {
    EXPECT_EQ(parse_ok(body_with(R"(,"metadata":{"session_id":"  chat-1 \n","other":[1]})")).metadata_session_id,
              std::optional<std::string>("chat-1"));
    EXPECT_FALSE(parse_ok(body_with(R"(,"metadata":{"session_id":"   "})")).metadata_session_id);
    EXPECT_FALSE(parse_ok(body_with(R"(,"metadata":{"session_id":42})")).metadata_session_id);
    EXPECT_FALSE(parse_ok(body_with(R"(,"metadata":{})")).metadata_session_id);
    EXPECT_REJECTED(body_with(R"(,"metadata":"x")"), "invalid_request", "metadata must be an object when provided");
}

TEST(ChatRequestParser, ParallelToolCallsIsAcceptedAndIgnored) {
    parse_ok(body_with(R"(,"parallel_tool_calls":false)"));
    EXPECT_REJECTED(body_with(R"(,"parallel_tool_calls":"no")"), "invalid_request",
                    "expected boolean, got string");
}

// ---- venice_parameters ----------------------------------------------------------------

TEST(ChatRequestParser, VeniceParametersSafeValuesAreAcceptedAndThinkingFlagsKept) {
    const auto request = parse_ok(body_with(
        R"(,"venice_parameters":{"enable_e2ee":true,"include_venice_system_prompt":false,)"
        R"("strip_thinking_response":true,"disable_thinking":true,"enable_web_search":false})"));
    EXPECT_TRUE(request.strip_thinking_response);
    EXPECT_TRUE(request.disable_thinking);
    parse_ok(body_with(R"(,"venice_parameters":{"enable_web_search":"off"})"));
    const auto defaults = parse_ok(body_with(R"(,"venice_parameters":{})"));
    EXPECT_FALSE(defaults.strip_thinking_response);
    EXPECT_FALSE(defaults.disable_thinking);
}

TEST(ChatRequestParser, VeniceParametersThatWeakenE2eeAreRefused) {
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"enable_e2ee":false})"), "unsupported_venice_parameter",
                    "unsupported Venice parameter venice_parameters.enable_e2ee: Venice E2EE must remain enabled");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"include_venice_system_prompt":true})"),
                    "unsupported_venice_parameter", "venice_parameters.include_venice_system_prompt");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"enable_web_search":true})"), "unsupported_venice_parameter",
                    "Venice web search is out of scope for E2EE requests");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"enable_web_search":"auto"})"),
                    "unsupported_venice_parameter", "expected \"off\", got \"auto\"");
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"strip_thinking_response":null})"), "invalid_request",
                    "venice_parameters.strip_thinking_response: expected boolean, got null");
    // Type errors win over semantic refusals.
    EXPECT_REJECTED(body_with(R"(,"venice_parameters":{"enable_e2ee":false,"disable_thinking":1})"),
                    "invalid_request", "disable_thinking");
}

// ---- reasoning ------------------------------------------------------------------------------

TEST(ChatRequestParser, ReasoningControlsAreValidatedAndKeptAsSent) {
    const auto request =
        parse_ok(body_with(R"(,"reasoning":{"effort":"high","enabled":true},"reasoning_effort":"high")"));
    EXPECT_EQ(json::dump(*request.reasoning), R"({"effort":"high","enabled":true})");
    EXPECT_EQ(request.reasoning_effort, std::optional<std::string>("high"));
    EXPECT_EQ(json::dump(*parse_ok(body_with(R"(,"reasoning":{})")).reasoning), "{}");
    EXPECT_EQ(parse_ok(body_with(R"(,"reasoning_effort":"whatever")")).reasoning_effort,
              std::optional<std::string>("whatever"));
    // reasoning_effort alone with reasoning lacking effort: no conflict.
    parse_ok(body_with(R"(,"reasoning":{"enabled":true},"reasoning_effort":"low")"));
}

TEST(ChatRequestParser, ReasoningShapeErrors) {
    EXPECT_REJECTED(body_with(R"(,"reasoning":null)"), "invalid_request", "invalid field reasoning");
    EXPECT_REJECTED(body_with(R"(,"reasoning":{"enabled":null})"), "invalid_request", "reasoning.enabled");
    EXPECT_REJECTED(body_with(R"(,"reasoning":{"effort":null})"), "invalid_request", "reasoning.effort");
    EXPECT_REJECTED(body_with(R"(,"reasoning":{"effort":"  "})"), "invalid_request", "must not be empty");
    EXPECT_REJECTED(body_with(R"(,"reasoning":{"budget":1})"), "invalid_request", "unknown field `budget`");
    EXPECT_REJECTED(body_with(R"(,"reasoning_effort":"")"), "invalid_request", "invalid field reasoning_effort");
    EXPECT_REJECTED(body_with(R"(,"reasoning_effort":3)"), "invalid_request", "expected string, got number");
}

// ---- OpenAI compatibility fields --------------------------------

TEST(ChatRequestParser, HarmlessOpenAiFieldsAreAcceptedAndIgnored) {
    parse_ok(body_with(R"(,"user":"user-1234","n":1,"seed":42,"presence_penalty":0,"frequency_penalty":0.0,)"
                       R"("logprobs":false,"response_format":{"type":"text"})"));
    parse_ok(body_with(R"(,"user":null,"n":null,"seed":null,"presence_penalty":null,"frequency_penalty":-0.0,)"
                       R"("logprobs":null,"response_format":null)"));
    parse_ok(body_with(R"(,"seed":-7)"));
}

TEST(ChatRequestParser, OpenAiFieldsThatCannotBeHonouredAreRefusedClearly) {
    EXPECT_REJECTED(body_with(R"(,"n":2)"), "unsupported_request_field", "unsupported request field n");
    EXPECT_REJECTED(body_with(R"(,"presence_penalty":0.5)"), "unsupported_request_field",
                    "unsupported request field presence_penalty");
    EXPECT_REJECTED(body_with(R"(,"frequency_penalty":-1)"), "unsupported_request_field",
                    "unsupported request field frequency_penalty");
    EXPECT_REJECTED(body_with(R"(,"logprobs":true)"), "unsupported_request_field",
                    "unsupported request field logprobs");
    const ProxyError e = parse_error(body_with(R"(,"n":3)"));
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.type(), "invalid_request_error");
}

TEST(ChatRequestParser, JsonResponseFormatsBecomeStructuredOutput) {
    EXPECT_FALSE(parse_ok(body_with(R"(,"response_format":{"type":"text"})")).response_format);
    const auto object = parse_ok(body_with(R"(,"response_format":{"type":"json_object"})")).response_format;
    ASSERT_TRUE(object);
    EXPECT_EQ(object->kind, StructuredOutput::Kind::JsonObject);
    EXPECT_FALSE(object->schema);
    const auto schema = parse_ok(body_with(R"(,"response_format":{"type":"json_schema","json_schema":)"
                                           R"({"name":"city","strict":true,"description":"d",)"
                                           R"("schema":{"type":"object","required":["name"]}}})"))
                            .response_format;
    ASSERT_TRUE(schema);
    EXPECT_EQ(schema->kind, StructuredOutput::Kind::JsonSchema);
    EXPECT_EQ(schema->name, "city");
    ASSERT_TRUE(schema->schema);
    EXPECT_EQ(vep::json::dump(*schema->schema), R"({"type":"object","required":["name"]})");
}

TEST(ChatRequestParser, MalformedJsonSchemaFormatsAreInvalid) {
    EXPECT_REJECTED(body_with(R"(,"response_format":{"type":"json_schema"})"), "invalid_request",
                    "invalid field response_format.json_schema");
    EXPECT_REJECTED(body_with(R"(,"response_format":{"type":"json_schema","json_schema":{"schema":{}}})"),
                    "invalid_request", "missing required field name");
    EXPECT_REJECTED(body_with(R"(,"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":[]}})"),
                    "invalid_request", "invalid field response_format.json_schema.schema");
    EXPECT_REJECTED(body_with(R"(,"response_format":{"type":"json_schema","json_schema":{"name":"x","strict":1}})"),
                    "invalid_request", "invalid field response_format.json_schema.strict");
    EXPECT_REJECTED(body_with(R"(,"response_format":{"type":"json_schema","json_schema":{"name":"x","extra":1}})"),
                    "invalid_request", "unknown field `extra`");
    EXPECT_REJECTED(body_with(R"(,"response_format":{"type":"json_object","json_schema":{}})"), "invalid_request",
                    "unknown field `json_schema`");
}

TEST(ChatRequestParser, OpenAiFieldsWithWrongTypesAreInvalid) {
    EXPECT_REJECTED(body_with(R"(,"n":0)"), "invalid_request", "invalid field n");
    EXPECT_REJECTED(body_with(R"(,"n":1.5)"), "invalid_request", "invalid field n");
    EXPECT_REJECTED(body_with(R"(,"seed":"42")"), "invalid_request", "invalid field seed");
    EXPECT_REJECTED(body_with(R"(,"seed":4.2)"), "invalid_request", "invalid field seed");
    EXPECT_REJECTED(body_with(R"(,"presence_penalty":"0")"), "invalid_request", "invalid field presence_penalty");
    EXPECT_REJECTED(body_with(R"(,"logprobs":0)"), "invalid_request", "invalid field logprobs");
    EXPECT_REJECTED(body_with(R"(,"user":42)"), "invalid_request", "invalid field user");
    EXPECT_REJECTED(body_with(R"(,"response_format":"text")"), "invalid_request", "invalid field response_format");
    EXPECT_REJECTED(body_with(R"(,"response_format":{"type":"xml"})"), "invalid_request",
                    "unknown response_format type \"xml\"");
    EXPECT_REJECTED(body_with(R"(,"response_format":{"type":"text","strict":true})"), "invalid_request",
                    "unknown field `strict`");
}

TEST(ChatRequestParser, MessageNameAndFunctionStrictAreAccepted) {
    const auto request = parse_ok(
        R"({"model":"m","messages":[{"role":"system","name":"ops","content":"s"},{"role":"user","name":"alice","content":"hi"},)"
        R"({"role":"developer","name":"d","content":"x"},{"role":"assistant","name":"bot","content":"yo"}],)"
        R"("tools":[{"type":"function","function":{"name":"f","strict":true,"parameters":{"type":"object"}}}]})");
    ASSERT_EQ(request.messages.size(), 4u);
    EXPECT_EQ(request.messages[1].text, "hi");
    EXPECT_EQ(request.tools[0].name, "f");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","name":7,"content":"hi"})"), "invalid_request",
                    "invalid field name");
    EXPECT_REJECTED(body_with(R"(,"tools":[{"type":"function","function":{"name":"f","strict":"yes"}}])"),
                    "invalid_request", "strict");
    // Tool messages do not take a name.
    EXPECT_REJECTED(body_with_message(R"({"role":"tool","tool_call_id":"c","name":"f","content":"r"})"),
                    "unsupported_request_field", "unsupported request field name");
}

TEST(ChatRequestParser, ImageAndAudioPartsAreUnsupportedContent) {
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[{"type":"text","text":"look"},)"
                                      R"({"type":"image_url","image_url":{"url":"https://x"}}]})"),
                    "unsupported_message_content",
                    "unsupported message content at messages[0].content[1]: content part type \"image_url\" is not "
                    "supported; only text parts are accepted");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[{"type":"input_audio","input_audio":{}}]})"),
                    "unsupported_message_content", "\"input_audio\" is not supported");
}

// ---- messages -------------------------------------------------------------------------

TEST(ChatRequestParser, MessagesShapeErrors) {
    EXPECT_REJECTED(R"({"model":"m","messages":{}})", "invalid_request", "invalid field messages: messages must be an array");
    EXPECT_REJECTED(R"({"model":"m","messages":[]})", "invalid_request", "messages must include at least one message");
    EXPECT_REJECTED(R"({"model":"m","messages":[{"role":"user","content":"a"},"x"]})", "invalid_request",
                    "message 1 must be an object");
    EXPECT_REJECTED(body_with_message(R"({"content":"a"})"), "invalid_request", "missing required field role");
    EXPECT_REJECTED(body_with_message(R"({"role":" ","content":"a"})"), "invalid_request",
                    "invalid field role: must not be empty");
}

TEST(ChatRequestParser, PlainRolesAllowOnlyRoleContentAndName) {
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":"a","tool_calls":[]})"), "unsupported_request_field",
                    "unsupported request field tool_calls");
    EXPECT_REJECTED(body_with_message(R"({"role":"system","content":"a","zeta":1,"cache":1})"),
                    "unsupported_request_field", "unsupported request field cache");
    // Role is validated before the keys of an unknown role.
    EXPECT_REJECTED(body_with_message(R"({"role":"function","name":"f","content":"a"})"), "unsupported_message_role",
                    "\"function\"");
}

TEST(ChatRequestParser, ContentRules) {
    EXPECT_REJECTED(body_with_message(R"({"role":"user"})"), "unsupported_message_content",
                    "unsupported message content at messages[0].content: content is required");
    EXPECT_REJECTED(body_with_message(R"({"role":"system","content":null})"), "unsupported_message_content",
                    "null content is only supported for assistant messages with tool_calls");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":42})"), "unsupported_message_content",
                    "expected a string or text-only content parts array, got number");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[]})"), "unsupported_message_content",
                    "content parts array must not be empty");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[{"text":"a"}]})"), "unsupported_message_content",
                    "missing field `type`");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[{"type":"text"}]})"),
                    "unsupported_message_content", "missing field `text`");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[{"type":"text","text":1}]})"),
                    "unsupported_message_content", "expected string, got number");
    EXPECT_REJECTED(body_with_message(R"({"role":"user","content":[{"type":"text","text":"a","cache_control":{}}]})"),
                    "unsupported_message_content", "unknown field `cache_control`");
    const auto request = parse_ok(body_with_message(
        R"({"role":"developer","content":[{"type":"text","text":"a"},{"text":"b","type":"text"}]},{"role":"user","content":""})"));
    EXPECT_EQ(request.messages[0].role, "developer");
    EXPECT_EQ(request.messages[0].text, "ab");
    EXPECT_EQ(request.messages[1].text, "");
}

TEST(ChatRequestParser, AssistantEmptyContentWithToolCallsKeepsTheCalls) {
    const auto request = parse_ok(body_with_message(
        R"({"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function",)"
        R"("function":{"name":"f","arguments":"{\"b\":1,\"a\":2}"}}]})"));
    ASSERT_TRUE(request.messages[0].tool_calls.has_value());
    EXPECT_EQ(request.messages[0].text, "");
    EXPECT_EQ(request.messages[0].tool_calls->as_array().size(), 1u);
}

TEST(ChatRequestParser, AssistantWithoutContentOrCallsIsRejected) {
    for (const char *message : {R"({"role":"assistant"})", R"({"role":"assistant","content":""})",
                                R"({"role":"assistant","content":null})"})
        EXPECT_REJECTED(body_with_message(message), "invalid_request",
                        "invalid field messages: assistant messages must include string content");
    EXPECT_REJECTED(body_with_message(R"({"role":"assistant","content":"x","audio":null})"),
                    "unsupported_request_field", "unsupported request field audio");
}

TEST(ChatRequestParser, ToolCallHistoryRules) {
    auto with_calls = [](const std::string &calls) {
        return body_with_message(R"({"role":"assistant","content":null,"tool_calls":)" + calls + "}");
    };
    const std::string ok_call = R"({"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}})";
    parse_ok(with_calls("[" + ok_call + "]"));
    EXPECT_REJECTED(with_calls("null"), "invalid_tool_call_history",
                    "invalid assistant tool-call history: assistant tool_calls must be an array");
    EXPECT_REJECTED(with_calls("[]"), "invalid_tool_call_history", "must not be empty when provided");
    EXPECT_REJECTED(with_calls(R"([{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}])"),
                    "invalid_tool_call_history", "unknown field `index`");
    EXPECT_REJECTED(with_calls(R"([{"type":"function","function":{"name":"f","arguments":"{}"}}])"),
                    "invalid_tool_call_history", "missing field `id`");
    EXPECT_REJECTED(with_calls(R"([{"id":1,"type":"function","function":{"name":"f","arguments":"{}"}}])"),
                    "invalid_tool_call_history", "expected string, got number");
    EXPECT_REJECTED(with_calls(R"([{"id":"c","type":"function","function":{"name":"f","arguments":{}}}])"),
                    "invalid_tool_call_history", "arguments: expected string, got object");
    EXPECT_REJECTED(with_calls(R"([{"id":"c","type":"function","function":{"name":"f","arguments":"{}","x":1}}])"),
                    "invalid_tool_call_history", "unknown field `x`");
    EXPECT_REJECTED(with_calls(R"([{"id":" ","type":"function","function":{"name":"f","arguments":"{}"}}])"),
                    "invalid_tool_call_history", "tool_call.id must not be empty");
    EXPECT_REJECTED(with_calls(R"([{"id":"c","type":"custom","function":{"name":"f","arguments":"{}"}}])"),
                    "invalid_tool_call_history", "only function tool calls are supported, got \"custom\"");
    EXPECT_REJECTED(with_calls(R"([{"id":"c","type":"function","function":{"name":"","arguments":"{}"}}])"),
                    "invalid_tool_call_history", "tool_call.function.name must not be empty");
    EXPECT_REJECTED(with_calls(R"([{"id":"c","type":"function","function":{"name":"f","arguments":" "}}])"),
                    "invalid_tool_call_history", "tool_call.function.arguments must not be empty");
    EXPECT_REJECTED(with_calls(R"([{"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\":}"}}])"),
                    "invalid_tool_call_history", "tool_call.function.arguments must be valid JSON");
    // Shape errors anywhere in the array win over value errors of earlier entries.
    EXPECT_REJECTED(with_calls(R"([{"id":" ","type":"function","function":{"name":"f","arguments":"{}"}},7])"),
                    "invalid_tool_call_history", "tool_calls[1]");
    // Any JSON value is acceptable as arguments.
    parse_ok(with_calls(R"([{"id":"c","type":"function","function":{"name":"f","arguments":"[1,2]"}}])"));
}

TEST(ChatRequestParser, ToolMessagesNeedAnIdAndContent) {
    const auto request = parse_ok(body_with_message(R"({"role":"tool","tool_call_id":"call_abc","content":"r"})"));
    EXPECT_EQ(request.messages[0].role, "tool");
    EXPECT_EQ(request.messages[0].tool_call_id, "call_abc");
    EXPECT_EQ(request.messages[0].text, "r");
    EXPECT_REJECTED(body_with_message(R"({"role":"tool","content":"r"})"), "invalid_request",
                    "missing required field tool_call_id");
    EXPECT_REJECTED(body_with_message(R"({"role":"tool","tool_call_id":"","content":"r"})"), "invalid_request",
                    "invalid field tool_call_id: must not be empty");
    EXPECT_REJECTED(body_with_message(R"({"role":"tool","tool_call_id":"c"})"), "unsupported_message_content",
                    "content is required");
}

// ---- tools ----------------------------------------------------------------------------

TEST(ChatRequestParser, ToolsDetails) {
    EXPECT_TRUE(parse_ok(body_with(R"(,"tools":[])")).tools.empty());
    const auto minimal = parse_ok(body_with(
        R"(,"tools":[{"function":{"name":"a","description":null,"parameters":null},"type":"function"}])"));
    EXPECT_FALSE(minimal.tools[0].description.has_value());
    EXPECT_FALSE(minimal.tools[0].parameters.has_value());
    EXPECT_REJECTED(body_with(R"(,"tools":null)"), "invalid_request", "invalid field tools");
    EXPECT_REJECTED(body_with(R"(,"tools":[{"type":"function","function":{"name":"a"},"extra":1}])"),
                    "invalid_request", "unknown field `extra`");
    EXPECT_REJECTED(body_with(R"(,"tools":[{"type":"function"}])"), "invalid_request", "missing field `function`");
    EXPECT_REJECTED(body_with(R"(,"tools":[{"type":"function","function":{"name":" "}}])"), "invalid_request",
                    "function tool names must not be empty");
    // Duplicates are the tools module's concern.
    EXPECT_EQ(parse_ok(body_with(R"(,"tools":[{"type":"function","function":{"name":"a"}},)"
                                 R"({"type":"function","function":{"name":"a"}}])"))
                  .tools.size(),
              2u);
}

TEST(ChatRequestParser, ToolChoiceDetails) {
    EXPECT_REJECTED(body_with(R"(,"tool_choice":{"type":"function","function":{"name":"a"},"x":1})"),
                    "invalid_request", "invalid field tool_choice");
    EXPECT_REJECTED(body_with(R"(,"tool_choice":{"type":"function","function":{"name":"a","x":1}})"),
                    "invalid_request", "invalid field tool_choice");
    EXPECT_REJECTED(body_with(R"(,"tool_choice":{"type":"function"})"), "invalid_request", "invalid field tool_choice");
    EXPECT_REJECTED(body_with(R"(,"tool_choice":{"type":"function","function":{"name":" "}})"), "invalid_request",
                    "function tool_choice name must not be empty");
    EXPECT_REJECTED(body_with(R"(,"tool_choice":"Auto")"), "invalid_request", "invalid field tool_choice");
}

TEST(ChatRequestParser, ErrorsCarryCatalogTypeAndStatus) {
    const ProxyError e = parse_error(body_with(R"(,"n":5)"));
    EXPECT_EQ(e.status(), 400);
    const ProxyError role = parse_error(body_with_message(R"({"role":"bot","content":"x"})"));
    EXPECT_EQ(role.status(), 400);
    EXPECT_EQ(role.type(), "invalid_request_error");
    EXPECT_EQ(role.code(), "unsupported_message_role");
}

TEST(ChatRequestParser, AcceptsAnswerFieldsThatSdksEchoBackInHistory) {
    const auto request = parse_ok(
        R"({"model":"m","messages":[{"role":"user","content":"q"},)"
        R"({"role":"assistant","content":"a","refusal":null,"reasoning_content":"thought","annotations":[]},)"
        R"({"role":"user","content":"q2"}]})");
    ASSERT_EQ(request.messages.size(), 3u);
    EXPECT_EQ(request.messages[1].text, "a");
    const auto rendered = render_messages(request.messages, default_history_renderer());
    EXPECT_EQ(rendered[1].content, "a");  // earlier reasoning is not sent back

    EXPECT_EQ(parse_error(R"({"model":"m","messages":[{"role":"assistant","content":"a","reasoning_content":7}]})").code(),
              "invalid_request");
}

}  // namespace
}  // namespace vep::host
