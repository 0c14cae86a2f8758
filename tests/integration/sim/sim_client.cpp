#include "sim_client.hpp"

#include <istream>
#include <sstream>

#include <openssl/rand.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "vep/hex.hpp"

namespace vep::sim::test {
namespace {

// Reads SSE events until the stream ends; `failed` when reading broke off abnormally.
std::vector<SseEvent> read_events(std::istream &in, bool &failed) {
    std::vector<SseEvent> events;
    SseEvent current;
    bool has_fields = false;
    std::string line;
    while (true) {
        if (!std::getline(in, line)) {
            failed = in.bad() || has_fields;
            break;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            if (has_fields) events.push_back(current);
            current = SseEvent{};
            has_fields = false;
            continue;
        }
        has_fields = true;
        if (line.rfind("data: ", 0) == 0) current.data += line.substr(6);
        else if (line.rfind("event: ", 0) == 0) current.event = line.substr(7);
    }
    return events;
}

}  // namespace

std::string ChatResult::content() const {
    std::string out;
    for (const auto &c : content_chunks) out += c;
    return out;
}

std::string ChatResult::reasoning() const {
    std::string out;
    for (const auto &c : reasoning_chunks) out += c;
    return out;
}

std::string random_nonce_hex() {
    uint8_t nonce[32];
    RAND_bytes(nonce, sizeof nonce);
    return vep::hex::encode(nonce, sizeof nonce);
}

SimOptions SimFixture::options() const {
    SimOptions o;
    o.plugin_dir = VEP_PLUGIN_DIR;
    o.threads = 16;
    return o;
}

void SimFixture::SetUp() {
    server_ = std::make_unique<SimServer>(options());
    server_->start();
    cipher_ = server_->cipher();
    client_key_ = cipher_->generate();
}

void SimFixture::TearDown() {
    client_key_.reset();
    cipher_.reset();
    if (server_) server_->stop();
    server_.reset();
}

HttpResult SimFixture::get(const std::string &path_and_query, const std::string &api_key) {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    session.setTimeout(Poco::Timespan(20, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path_and_query, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!api_key.empty()) req.set("Authorization", "Bearer " + api_key);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream &in = session.receiveResponse(resp);
    HttpResult r;
    r.status = resp.getStatus();
    Poco::StreamCopier::copyToString(in, r.body);
    return r;
}

HttpResult SimFixture::post(const std::string &path, const std::string &body, const std::string &api_key) {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    session.setTimeout(Poco::Timespan(20, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!api_key.empty()) req.set("Authorization", "Bearer " + api_key);
    req.setContentType("application/json");
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream &in = session.receiveResponse(resp);
    HttpResult r;
    r.status = resp.getStatus();
    Poco::StreamCopier::copyToString(in, r.body);
    return r;
}

std::string SimFixture::attested_key(const std::string &model) {
    const HttpResult r = get("/api/v1/tee/attestation?model=" + model + "&nonce=" + random_nonce_hex());
    if (r.status != 200) throw std::runtime_error("attestation failed: " + r.body);
    return r.json().find("signing_public_key")->as_string();
}

ChatResult SimFixture::chat(const std::string &model, const std::string &user_text, const ChatOptions &o) {
    std::string model_key;
    try {
        model_key = server_->model_public_key(model);
    } catch (const vep::Failure &) {
        model_key.clear();
    }
    auto seal = [&](const std::string &text) {
        if (!o.encrypt || model_key.empty()) return text;
        std::string out;
        cipher_->encrypt(model_key, text, out);
        return out;
    };
    json::Value messages = json::Value::array();
    if (!o.system.empty()) {
        json::Value m = json::Value::object();
        m.set("role", "system");
        m.set("content", seal(o.system));
        messages.push_back(std::move(m));
    }
    json::Value user = json::Value::object();
    user.set("role", "user");
    user.set("content", seal(user_text));
    messages.push_back(std::move(user));
    json::Value body = json::Value::object();
    body.set("model", model);
    body.set("messages", std::move(messages));
    body.set("stream", o.stream);
    if (o.include_usage) {
        json::Value so = json::Value::object();
        so.set("include_usage", true);
        body.set("stream_options", std::move(so));
    }
    json::Value vp = json::Value::object();
    vp.set("enable_e2ee", true);
    body.set("venice_parameters", std::move(vp));
    if (o.add_tools_key) body.set("tools", json::Value::array());
    return chat_raw(model, json::dump(body), o);
}

ChatResult SimFixture::chat_raw(const std::string &model, const std::string &body, const ChatOptions &o) {
    std::string model_key;
    try {
        model_key = server_->model_public_key(model);
    } catch (const vep::Failure &) {
        model_key.clear();
    }
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    session.setTimeout(Poco::Timespan(o.read_timeout_seconds, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/api/v1/chat/completions",
                               Poco::Net::HTTPMessage::HTTP_1_1);
    if (!o.api_key.empty()) req.set("Authorization", "Bearer " + o.api_key);
    req.setContentType("application/json");
    req.set("Accept", "text/event-stream");
    if (o.send_e2ee_headers && !model_key.empty()) {
        req.set("X-Venice-TEE-Client-Pub-Key", o.client_key_override.empty() ? client_key_->public_hex() : o.client_key_override);
        req.set("X-Venice-TEE-Model-Pub-Key", o.model_key_override.empty() ? model_key : o.model_key_override);
        req.set("X-Venice-TEE-Signing-Algo", o.signing_algo);
    }
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream &in = session.receiveResponse(resp);
    ChatResult r;
    r.status = resp.getStatus();
    if (r.status != 200 || resp.getContentType().find("text/event-stream") == std::string::npos) {
        Poco::StreamCopier::copyToString(in, r.error_body);
        return r;
    }
    try {
        r.events = read_events(in, r.read_failed);
    } catch (const Poco::Exception &) {
        r.read_failed = true;
    }
    bool first = true;
    for (const auto &ev : r.events) {
        if (ev.data == "[DONE]") {
            r.done = true;
            continue;
        }
        if (!ev.event.empty()) continue;
        json::Value chunk;
        try {
            chunk = json::parse(ev.data);
        } catch (const json::ParseError &) {
            continue;
        }
        if (const json::Value *usage = chunk.find("usage")) r.usage = *usage;
        const json::Value *choices = chunk.find("choices");
        if (!choices || !choices->is_array() || choices->as_array().empty()) continue;
        const json::Value &choice = choices->as_array().front();
        const json::Value *delta = choice.find("delta");
        if (first) r.role_first = delta && delta->find("role") != nullptr;
        first = false;
        if (const json::Value *fr = choice.find("finish_reason"); fr && fr->is_string()) r.finish_reason = fr->as_string();
        if (!delta) continue;
        for (const char *field : {"content", "reasoning_content"}) {
            const json::Value *v = delta->find(field);
            if (!v || !v->is_string() || v->as_string().empty()) continue;
            std::string plain;
            try {
                if (model_key.empty()) plain = v->as_string();
                else cipher_->decrypt(*client_key_, v->as_string(), plain);
            } catch (const vep::Failure &) {
                r.decrypt_failed = true;
                continue;
            }
            (std::string(field) == "content" ? r.content_chunks : r.reasoning_chunks).push_back(plain);
        }
    }
    return r;
}

RequestRecord SimFixture::last_record(const std::string &path) {
    const auto records = server_->requests();
    for (auto it = records.rbegin(); it != records.rend(); ++it)
        if (it->path == path) return *it;
    throw std::runtime_error("no request record for " + path);
}

}  // namespace vep::sim::test
