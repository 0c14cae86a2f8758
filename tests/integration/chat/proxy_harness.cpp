// See proxy_harness.hpp.
#include "proxy_harness.hpp"

#include <thread>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "config/loader.hpp"
#include "log/log.hpp"
#include "plugin/host_services.hpp"
#include "runtime/generation.hpp"

namespace vep::test {

std::string HttpResult::header(const std::string &name) const {
    std::string key = name;
    for (auto &c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = headers.find(key);
    return it == headers.end() ? "" : it->second;
}

std::vector<std::string> HttpResult::sse_data() const {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < body.size()) {
        size_t end = body.find("\n\n", pos);
        if (end == std::string::npos) end = body.size();
        const std::string event = body.substr(pos, end - pos);
        if (event.rfind("data: ", 0) == 0) out.push_back(event.substr(6));
        pos = end + 2;
    }
    return out;
}

std::string ProxyHarness::base_toml(const std::string &sim_url) {
    return "[server]\nhost = \"127.0.0.1\"\nport = 0\nmax_threads = 32\nshutdown_grace = \"2s\"\n"
           "[logging]\nlevel = \"warn\"\n"
           "[venice]\nbase_url = \"" + sim_url + "\"\napi_key = \"sim-key\"\nrequest_timeout = \"5s\"\n"
           "[plugins]\ndirectories = [\"" VEP_PLUGIN_DIR "\"]\n";
}

ProxyHarness::ProxyHarness(const std::string &extra_toml, std::function<void(host::Config &)> tweak,
                           std::function<void(vep::sim::SimOptions &)> sim_tweak) {
    vep::sim::SimOptions options;
    options.plugin_dir = VEP_PLUGIN_DIR;
    if (sim_tweak) sim_tweak(options);
    sim_ = std::make_unique<vep::sim::SimServer>(options);
    sim_->start();
    host::Config config = host::load_config_text(base_toml(sim_->base_url()) + extra_toml, "harness.toml", {});
    if (tweak) tweak(config);
    host::configure_logging("warn");
    static const host::PluginLoader loader(host::host_services());
    generations_.swap_in(
        host::Generation::build(std::move(config), loader, gate_, host::GenerationPurpose::Serve, &stats_));
    server_ = std::make_unique<host::ProxyServer>(generations_.current()->config().server, generations_, stats_, *gate_);
    server_->start();
}

ProxyHarness::~ProxyHarness() {
    server_->drain_and_stop(std::chrono::milliseconds(2000));
    sim_->stop();
}

HttpResult ProxyHarness::request(const std::string &method, const std::string &path, const std::string &body,
                                 const std::map<std::string, std::string> &headers) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", port());
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    bool has_type = false;
    for (const auto &h : headers) {
        req.set(h.first, h.second);
        if (Poco::icompare(h.first, "Content-Type") == 0) has_type = true;
    }
    if (!body.empty() || method == "POST") {
        if (!has_type) req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream &in = session.receiveResponse(resp);
    HttpResult result;
    result.status = static_cast<int>(resp.getStatus());
    for (const auto &h : resp) {
        std::string key = h.first;
        for (auto &c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        result.headers[key] = h.second;
    }
    try {
        Poco::StreamCopier::copyToString(in, result.body);
        result.body_complete = !in.bad();
    } catch (const Poco::Exception &) {
        result.body_complete = false;
    }
    return result;
}

HttpResult ProxyHarness::post_chat(const std::string &body, const std::map<std::string, std::string> &headers) const {
    return request("POST", "/v1/chat/completions", body, headers);
}

HttpResult ProxyHarness::get(const std::string &path) const { return request("GET", path, "", {}); }

size_t ProxyHarness::sim_requests(const std::string &fragment) const {
    size_t n = 0;
    for (const auto &rec : sim_->requests())
        if (rec.path.find(fragment) != std::string::npos) ++n;
    return n;
}

std::optional<vep::sim::RequestRecord> ProxyHarness::wait_for_chat_record(
    std::chrono::milliseconds limit, const std::function<bool(const vep::sim::RequestRecord &)> &done) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::optional<vep::sim::RequestRecord> chat;
    for (;;) {
        for (const auto &rec : sim_->requests())
            if (rec.path.find("chat/completions") != std::string::npos) chat = rec;
        if ((chat && done(*chat)) || std::chrono::steady_clock::now() >= deadline) return chat;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string ProxyHarness::send_raw_chat(Poco::Net::StreamSocket &socket, const std::string &body,
                                        const std::string &marker) {
    const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string received;
    char buf[4096];
    while (received.find(marker) == std::string::npos) {
        const int n = socket.receiveBytes(buf, sizeof buf);
        if (n <= 0) return "";
        received.append(buf, static_cast<size_t>(n));
    }
    return received;
}

std::string chat_body(const std::string &model, const std::string &user_text, bool stream,
                      const std::string &extra_members) {
    std::string body = "{\"model\":";
    vep::json::write_string(body, model);
    body += ",\"messages\":[{\"role\":\"user\",\"content\":";
    vep::json::write_string(body, user_text);
    body += "}],\"stream\":";
    body += stream ? "true" : "false";
    if (!extra_members.empty()) body += "," + extra_members;
    body += "}";
    return body;
}

std::string streamed_content(const HttpResult &result) {
    std::string out;
    for (const auto &data : result.sse_data()) {
        if (data == "[DONE]") continue;
        const auto v = vep::json::parse(data);
        const auto *choices = v.find("choices");
        if (!choices || !choices->is_array() || choices->as_array().empty()) continue;
        const auto *delta = choices->as_array()[0].find("delta");
        if (!delta) continue;
        if (const auto *c = delta->find("content"); c && c->is_string()) out += c->as_string();
    }
    return out;
}

bool ends_with_done(const HttpResult &result) {
    const auto data = result.sse_data();
    return !data.empty() && data.back() == "[DONE]";
}

std::string long_answer(size_t chunks, size_t chunk_bytes) {
    static const std::string pattern = "abcdefghijklmnopqrstuvwxyz0123456789 ";
    std::string out;
    for (size_t i = 0; i < chunks; ++i)
        for (size_t j = 0; j < chunk_bytes; ++j) out += pattern[(i + j) % pattern.size()];
    return out;
}

bool wait_until(std::chrono::milliseconds limit, const std::function<bool()> &condition) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace vep::test
