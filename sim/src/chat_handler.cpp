#include "chat_handler.hpp"

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include <openssl/sha.h>

#include "answer_plan.hpp"
#include "http_util.hpp"
#include "sse_stream.hpp"
#include "tool_call_text.hpp"
#include "vep/hex.hpp"
#include "vep/sdk.hpp"

namespace vep::sim {
namespace {

std::string sha256_hex(const std::string &bytes) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size(), digest);
    return vep::hex::encode(digest, sizeof digest);
}

constexpr size_t kMinCiphertextHex = 186;
constexpr const char *kPlaintextFaultText = "plaintext chunk from venice-sim";

// A request rejected before streaming: HTTP status and Venice-like message.
struct Rejection {
    int status;
    std::string message;
};

struct DecryptedMessage {
    std::string role;
    std::string text;
};

// A native tool call the TEE-only path answers with (the first offered tool, or the named one).
struct NativeToolCall {
    std::string name;
    std::string arguments;  // compact JSON
};

// What the chat request said, once parsed and decrypted.
struct ChatRequest {
    const ModelInfo *model = nullptr;
    bool encrypted = false;  // E2EE request: contents decrypted, answer encrypted to the client
    std::optional<NativeToolCall> native_tool_call;
    std::string client_public_hex;
    bool include_usage = false;
    std::vector<DecryptedMessage> messages;
    size_t plaintext_bytes = 0;
};

std::optional<bool> bool_member(const json::Value &obj, std::string_view key) {
    const json::Value *v = obj.find(key);
    if (v && v->is_bool()) return v->as_bool();
    return std::nullopt;
}

bool is_plain_130_hex(const std::string &key) {
    return key.size() == 130 && key.rfind("04", 0) == 0 && vep::hex::is_hex(key);
}

// Decrypts (E2EE) or reads (plain model) every message content; fills the record's content flags.
std::optional<Rejection> read_messages(SimState &st, const json::Value &messages, const ModelKey *key,
                                       ChatRequest &chat, RequestRecord &rec) {
    bool all_ciphertext = true;
    bool leak = false;
    std::optional<Rejection> rejection;
    for (const auto &msg : messages.as_array()) {
        const json::Value *role = msg.find("role");
        const json::Value *content = msg.find("content");
        DecryptedMessage out;
        out.role = role && role->is_string() ? role->as_string() : std::string();
        rec.message_roles.push_back(out.role);
        if (!role || !role->is_string()) rejection = rejection.value_or(Rejection{400, "Invalid message role"});
        if (!content || !content->is_string()) {
            all_ciphertext = false;
            leak = leak || (content && !content->is_null());
            if (!key && content && content->is_null()) {
                chat.messages.push_back(std::move(out));
                continue;
            }
            rejection = rejection.value_or(Rejection{400, key ? "Encrypted field is not valid hex" : "Invalid message content"});
            continue;
        }
        const std::string &text = content->as_string();
        if (!key) {
            out.text = text;
        } else if (text.size() < kMinCiphertextHex || !vep::hex::is_hex(text)) {
            all_ciphertext = false;
            leak = true;
            rejection = rejection.value_or(Rejection{400, "Encrypted field is not valid hex"});
        } else {
            try {
                st.cipher->decrypt(*key->key, text, out.text);
            } catch (const vep::Failure &) {
                all_ciphertext = false;
                rejection = rejection.value_or(Rejection{400, "Failed to decrypt field"});
            }
        }
        chat.plaintext_bytes += out.text.size();
        chat.messages.push_back(std::move(out));
    }
    rec.all_contents_ciphertext = key && all_ciphertext && !messages.as_array().empty();
    rec.plaintext_leak_detected = key ? leak : false;
    if (st.options.debug_plaintext)
        for (const auto &m : chat.messages) rec.decrypted_contents.push_back(m.text);
    return rejection;
}

// Header checks of an E2EE request, in Venice's order.
std::optional<Rejection> check_e2ee_headers(SimState &st, Poco::Net::HTTPServerRequest &req, const ModelKey &key,
                                            ChatRequest &chat, RequestRecord &rec) {
    const std::string client = header_value(req, "X-Venice-TEE-Client-Pub-Key");
    const std::string model_key = header_value(req, "X-Venice-TEE-Model-Pub-Key");
    const std::string algo = header_value(req, "X-Venice-TEE-Signing-Algo");
    if (!model_key.empty()) {
        try {
            rec.model_pub_key_matches = st.cipher->normalize_public_key(model_key) == key.public_hex;
        } catch (const vep::Failure &) {
            rec.model_pub_key_matches = false;
        }
    }
    if (client.empty() || model_key.empty() || algo.empty())
        return Rejection{400, "E2EE headers X-Venice-TEE-Client-Pub-Key, X-Venice-TEE-Model-Pub-Key and "
                              "X-Venice-TEE-Signing-Algo are required for this model"};
    if (!is_plain_130_hex(client)) return Rejection{400, "Invalid public key"};
    try {
        chat.client_public_hex = st.cipher->normalize_public_key(client);
    } catch (const vep::Failure &) {
        return Rejection{400, "Invalid public key"};
    }
    if (!rec.model_pub_key_matches) return Rejection{400, "Model public key does not match the attested key"};
    if (algo != "ecdsa") return Rejection{400, "Unsupported signing algorithm"};
    return std::nullopt;
}

Conversation conversation_of(const ChatRequest &chat, std::optional<SettingLayer> &directive, RequestRecord &rec) {
    Conversation c;
    bool echo_found = false;
    for (auto it = chat.messages.rbegin(); it != chat.messages.rend(); ++it) {
        if (it->role != "user") continue;
        DirectiveSplit split = split_directive(it->text);
        if (!echo_found) {
            c.echo_text = std::move(split.remaining_text);
            echo_found = true;
        }
        if (split.directive) {
            directive = std::move(split.directive);
            break;
        }
    }
    for (const auto &m : chat.messages) {
        if (m.role != "system") continue;
        if (!c.system_text.empty()) c.system_text += "\n\n";
        c.system_text += m.text;
    }
    rec.system_has_available_tools = c.system_text.find("Available tools:") != std::string::npos;
    c.correction_prompt = c.system_text.find("Validation error:") != std::string::npos ||
                          c.system_text.find("You must now return only valid tool calls") != std::string::npos;
    rec.correction_prompt_present = c.correction_prompt;
    return c;
}

const char *status_message(int status) {
    switch (status) {
    case 401: return "Authentication failed";
    case 402: return "Insufficient balance";
    case 429: return "Rate limit exceeded";
    case 500: return "Inference processing failed. Please try again.";
    case 503: return "The model is at capacity. Please try again later.";
    default: return "Simulated upstream error";
    }
}

// Writes the answer; every delta is encrypted to the client (plain models: sent as is).
class AnswerWriter {
  public:
    AnswerWriter(SimState &st, SseStream &sse, const ChatRequest &chat, std::shared_ptr<RequestRecord> rec)
        : st_(st), sse_(sse), chat_(chat), rec_(std::move(rec)) {
        id_ = "chatcmpl-sim-" + std::to_string(++st.completions);
        created_ = static_cast<int64_t>(std::time(nullptr));
    }

    const std::string &id() const { return id_; }

    // The TEE-only path's native tool call: the call's id, name and empty arguments, the
    // arguments in two pieces, then finish_reason "tool_calls", usage when asked, [DONE].
    void run_native_tool_call(const NativeToolCall &call) {
        json::Value function = json::Value::object();
        function.set("name", call.name);
        function.set("arguments", "");
        json::Value opening = json::Value::object();
        opening.set("index", 0);
        opening.set("id", "call_sim_" + id_);
        opening.set("type", "function");
        opening.set("function", std::move(function));
        json::Value first = delta_role();
        first.set("tool_calls", json::Array{std::move(opening)});
        if (!emit(chunk(std::move(first)))) return;
        const size_t half = call.arguments.size() / 2;
        for (const std::string &piece : {call.arguments.substr(0, half), call.arguments.substr(half)}) {
            json::Value arguments = json::Value::object();
            arguments.set("arguments", piece);
            json::Value more = json::Value::object();
            more.set("index", 0);
            more.set("function", std::move(arguments));
            json::Value delta = json::Value::object();
            delta.set("tool_calls", json::Array{std::move(more)});
            if (!emit(chunk(std::move(delta)))) return;
            st_.log.update(rec_, [](RequestRecord &r) { ++r.chunks_sent; });
        }
        finish_and_done("tool_calls");
    }

    void run(const AnswerPlan &plan, const Scenario &scenario) {
        sse_.split_writes(scenario.fault == FaultKind::SplitEvents);
        if (!plan.steps.empty() && !emit(chunk(delta_role()))) return;
        size_t written = 0;
        for (const auto &step : plan.steps) {
            if (written > 0 && scenario.interval_ms > 0 && !sse_.pause(scenario.interval_ms)) return;
            if (step.kind == AnswerStep::Kind::Fault) {
                if (!inject(scenario)) return;
                continue;
            }
            const char *field = step.kind == AnswerStep::Kind::Reasoning ? "reasoning_content" : "content";
            if (!emit(chunk(delta_with(field, seal(step.text, nullptr))))) return;
            ++written;
            ++completion_tokens_;
            st_.log.update(rec_, [](RequestRecord &r) { ++r.chunks_sent; });
        }
        if (scenario.fault == FaultKind::NoFinish) {
            usage_and_done();
            return;
        }
        finish_and_done("stop");
    }

  private:
    void finish_and_done(const char *finish_reason) {
        json::Value finish = envelope();
        json::Value choice = json::Value::object();
        choice.set("index", 0);
        choice.set("delta", json::Value::object());
        choice.set("finish_reason", finish_reason);
        finish.set("choices", json::Array{std::move(choice)});
        if (emit(finish)) usage_and_done();
    }

    void usage_and_done() {
        if (chat_.include_usage) {
            json::Value usage_chunk = envelope();
            usage_chunk.set("choices", json::Value::array());
            json::Value usage = json::Value::object();
            const int64_t prompt = static_cast<int64_t>(chat_.plaintext_bytes / 4 + 1);
            usage.set("prompt_tokens", prompt);
            usage.set("completion_tokens", completion_tokens_);
            usage.set("total_tokens", prompt + completion_tokens_);
            usage_chunk.set("usage", std::move(usage));
            if (!emit(usage_chunk)) return;
        }
        if (sse_.data("[DONE]")) st_.log.update(rec_, [](RequestRecord &r) { r.completed = true; });
    }

    json::Value envelope() const {
        json::Value v = json::Value::object();
        v.set("id", id_);
        v.set("object", "chat.completion.chunk");
        v.set("created", created_);
        v.set("model", chat_.model->id);
        return v;
    }
    static json::Value delta_role() {
        json::Value d = json::Value::object();
        d.set("role", "assistant");
        return d;
    }
    static json::Value delta_with(const char *field, std::string value) {
        json::Value d = json::Value::object();
        d.set(field, std::move(value));
        return d;
    }
    json::Value chunk(json::Value delta) const {
        json::Value choice = json::Value::object();
        choice.set("index", 0);
        choice.set("delta", std::move(delta));
        choice.set("finish_reason", nullptr);
        json::Value v = envelope();
        v.set("choices", json::Array{std::move(choice)});
        return v;
    }
    // Encrypts to the client key (or `recipient` when given); plain requests get the text as is.
    std::string seal(const std::string &text, const std::string *recipient) const {
        if (!chat_.encrypted) return text;
        std::string out;
        st_.cipher->encrypt(recipient ? *recipient : chat_.client_public_hex, text, out);
        return out;
    }
    bool emit(const json::Value &v) { return sse_.data(json::dump(v)); }

    bool inject(const Scenario &s) {
        switch (s.fault) {
        case FaultKind::None: return true;
        case FaultKind::NoFinish:
        case FaultKind::SplitEvents: return true;  // whole-stream faults, applied in run()
        case FaultKind::PlaintextChunk: return emit(chunk(delta_with("content", kPlaintextFaultText)));
        case FaultKind::PlaintextReasoning:
            return emit(chunk(delta_with("reasoning_content", kPlaintextFaultText)));
        case FaultKind::EmptyDeltas: {
            json::Value null_content = json::Value::object();
            null_content.set("content", nullptr);
            return emit(chunk(std::move(null_content))) && emit(chunk(delta_with("content", "")));
        }
        case FaultKind::BadChoices: {
            json::Value bad = envelope();
            bad.set("choices", json::Value::object());
            return emit(bad);
        }
        case FaultKind::WrongKeyChunk:
            return emit(chunk(delta_with("content", seal("chunk for another key", &st_.decoy.public_hex))));
        case FaultKind::MalformedJson: return sse_.data("{\"id\":\"" + id_ + "\",\"choices\":[{\"delta\":");
        case FaultKind::EventError:
            sse_.event("error", "{\"error\":{\"message\":\"Simulated upstream stream error\",\"type\":\"server_error\"}}");
            return false;
        case FaultKind::ErrorChunk:
            sse_.data("{\"error\":{\"message\":\"Simulated upstream error\",\"type\":\"server_error\",\"code\":"
                      "\"upstream_error\"}}");
            return false;
        case FaultKind::Disconnect: sse_.cut_connection(); return false;
        case FaultKind::Stall: return sse_.pause(s.stall_ms);
        }
        return true;
    }

    SimState &st_;
    SseStream &sse_;
    const ChatRequest &chat_;
    std::shared_ptr<RequestRecord> rec_;
    std::string id_;
    int64_t created_ = 0;
    int64_t completion_tokens_ = 0;
};

// Buffered answer for plain models asked without stream: one chat.completion object.
json::Value buffered_answer(SimState &st, const ChatRequest &chat, const AnswerPlan &plan) {
    std::string content, reasoning;
    for (const auto &step : plan.steps) {
        if (step.kind == AnswerStep::Kind::Content) content += step.text;
        if (step.kind == AnswerStep::Kind::Reasoning) reasoning += step.text;
    }
    json::Value message = json::Value::object();
    message.set("role", "assistant");
    message.set("content", chat.native_tool_call ? json::Value(nullptr) : json::Value(content));
    if (!reasoning.empty()) message.set("reasoning_content", reasoning);
    if (chat.native_tool_call) {
        json::Value function = json::Value::object();
        function.set("name", chat.native_tool_call->name);
        function.set("arguments", chat.native_tool_call->arguments);
        json::Value call = json::Value::object();
        call.set("id", "call_sim_" + std::to_string(st.completions + 1));
        call.set("type", "function");
        call.set("function", std::move(function));
        message.set("tool_calls", json::Array{std::move(call)});
    }
    json::Value choice = json::Value::object();
    choice.set("index", 0);
    choice.set("message", std::move(message));
    choice.set("finish_reason", chat.native_tool_call ? "tool_calls" : "stop");
    json::Value v = json::Value::object();
    v.set("id", "chatcmpl-sim-" + std::to_string(++st.completions));
    v.set("object", "chat.completion");
    v.set("created", static_cast<int64_t>(std::time(nullptr)));
    v.set("model", chat.model->id);
    v.set("choices", json::Array{std::move(choice)});
    return v;
}

// The TEE-only path's answer to offered tools: the named tool_choice, else the first tool, with
// sample arguments from its schema; none for tool_choice "none" or no tools.
std::optional<NativeToolCall> native_tool_call_for(const json::Value &doc) {
    const json::Value *tools = doc.find("tools");
    if (!tools || !tools->is_array() || tools->as_array().empty()) return std::nullopt;
    const json::Value *choice = doc.find("tool_choice");
    if (choice && choice->is_string() && choice->as_string() == "none") return std::nullopt;
    std::string wanted;
    if (const json::Value *fn = choice ? choice->find("function") : nullptr)
        if (const json::Value *name = fn->find("name"); name && name->is_string()) wanted = name->as_string();
    for (const auto &tool : tools->as_array()) {
        const json::Value *fn = tool.find("function");
        const json::Value *name = fn ? fn->find("name") : nullptr;
        if (!name || !name->is_string() || (!wanted.empty() && name->as_string() != wanted)) continue;
        const json::Value *parameters = fn->find("parameters");
        return NativeToolCall{name->as_string(),
                              json::dump(sample_arguments(parameters ? *parameters : json::Value::object()))};
    }
    return std::nullopt;
}

}  // namespace

void handle_chat(SimState &st, Poco::Net::HTTPServerRequest &req, Poco::Net::HTTPServerResponse &resp,
                 const std::shared_ptr<RequestRecord> &record) {
    RequestRecord rec;
    rec.authorized = bearer_matches(req, st.options.api_key);
    rec.has_client_pub_key_header = req.has("X-Venice-TEE-Client-Pub-Key");
    rec.has_model_pub_key_header = req.has("X-Venice-TEE-Model-Pub-Key");
    rec.has_signing_algo_header = req.has("X-Venice-TEE-Signing-Algo");

    auto finish = [&](int status, const std::string &error) {
        st.log.update(record, [&](RequestRecord &r) {
            const uint64_t id = r.id;
            const std::string method = r.method, path = r.path;
            const int64_t started = r.started_at_ms;
            const uint64_t chunks = r.chunks_sent;
            const bool completed = r.completed;
            r = rec;
            r.id = id;
            r.method = method;
            r.path = path;
            r.started_at_ms = started;
            r.chunks_sent = chunks;
            r.completed = completed;
            r.status = status;
            r.error = error;
            r.finished_at_ms = unix_millis();
        });
    };
    auto reject = [&](int status, const std::string &message) {
        finish(status, message);
        send_venice_error(resp, status, message);
    };

    const std::optional<std::string> body = read_body(req, st.options.max_body_bytes);
    if (!body) {
        resp.setKeepAlive(false);
        return reject(413, "Request body too large");
    }
    if (!rec.authorized) return reject(401, "Authentication failed");
    json::Value doc;
    try {
        doc = json::parse(*body);
    } catch (const json::ParseError &) {
        return reject(400, "Invalid JSON body");
    }
    if (!doc.is_object()) return reject(400, "Request body must be a JSON object");
    const json::Value *model_id = doc.find("model");
    if (model_id && model_id->is_string()) rec.model = model_id->as_string();
    rec.stream = bool_member(doc, "stream");
    if (const json::Value *vp = doc.find("venice_parameters"); vp && vp->is_object())
        rec.enable_e2ee = bool_member(*vp, "enable_e2ee");
    rec.contains_tools_key = doc.find("tools") || doc.find("tool_choice");

    ChatRequest chat;
    chat.model = st.catalog.find(rec.model);
    if (!chat.model || chat.model->type != "text") return reject(404, "Specified model not found");
    const json::Value *messages = doc.find("messages");
    if (!messages || !messages->is_array() || messages->as_array().empty())
        return reject(400, "messages must be a non-empty array");
    if (const json::Value *so = doc.find("stream_options"); so && so->is_object())
        chat.include_usage = bool_member(*so, "include_usage").value_or(false);

    // Venice's TEE-only flow: an E2EE model asked without E2EE headers and with enable_e2ee false
    // is answered in plaintext, with native tool calls.
    rec.tee_only = chat.model->e2ee && !rec.has_client_pub_key_header && !rec.has_model_pub_key_header &&
                   !rec.has_signing_algo_header && rec.enable_e2ee == false;
    const std::shared_ptr<const ModelKey> key =
        chat.model->e2ee && !rec.tee_only ? st.keys.find(chat.model->id) : nullptr;
    chat.encrypted = key != nullptr;
    if (rec.tee_only) chat.native_tool_call = native_tool_call_for(doc);
    rec.native_tool_call = chat.native_tool_call.has_value();
    const std::optional<Rejection> content_problem = read_messages(st, *messages, key.get(), chat, rec);
    if (key) {
        if (auto problem = check_e2ee_headers(st, req, *key, chat, rec)) return reject(problem->status, problem->message);
        if (rec.stream != true) return reject(400, "E2EE requires streaming");
        if (rec.enable_e2ee == false) return reject(400, "E2EE was disabled by venice_parameters.enable_e2ee");
    } else if (!chat.model->e2ee && (rec.has_client_pub_key_header || rec.has_model_pub_key_header)) {
        return reject(400, "Model does not support E2EE");
    }
    if (content_problem) return reject(content_problem->status, content_problem->message);

    std::optional<SettingLayer> directive;
    const Conversation conversation = conversation_of(chat, directive, rec);
    Scenario scenario;
    AnswerPlan plan;
    try {
        const ScenarioBounds bounds{st.options.max_chunks, st.options.max_interval_ms, st.options.max_stall_ms};
        scenario = resolve_scenario({&st.scenarios.default_layer(), st.scenarios.model_layer(chat.model->id),
                                     directive ? &*directive : nullptr},
                                    bounds);
        plan = build_answer_plan(scenario, *chat.model, conversation, st.options.max_chunks);
    } catch (const vep::Failure &e) {
        return reject(400, std::string("invalid sim directive: ") + e.what());
    }
    rec.scenario = to_string(scenario.kind);
    rec.fault = scenario.fault == FaultKind::None ? "" : to_string(scenario.fault);
    if (scenario.http_status != 0) return reject(scenario.http_status, status_message(scenario.http_status));

    if (!key && rec.stream != true) {
        finish(200, "");
        send_json(resp, 200, buffered_answer(st, chat, plan));
        return;
    }
    finish(200, "");
    SseStream sse(req, resp, st.stopping);
    if (sse.start()) {
        AnswerWriter writer(st, sse, chat, record);
        if (chat.native_tool_call) writer.run_native_tool_call(*chat.native_tool_call);
        else writer.run(plan, scenario);
        // The enclave signs what it received and what it sent (GET /tee/signature).
        if (chat.model->tee && !sse.client_gone())
            st.signed_exchanges.add(writer.id(), SignedExchange{chat.model->id, sha256_hex(*body), sse.body_sha256()});
    }
    st.log.update(record, [&](RequestRecord &r) {
        r.client_disconnected = sse.client_gone();
        r.disconnect_noticed_at_ms = sse.gone_noticed_at_ms();
        r.finished_at_ms = unix_millis();
    });
}

}  // namespace vep::sim
