// The process tests' view of a running proxy: a venice-sim child plus a venice-e2ee-proxy child
// (Stack, ephemeral ports, extra environment), one HTTP(S) request helper, and `run` for the CLI
// verbs, chat request bodies. Shared by the process-level tests.
#pragma once

#include <fstream>
#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include "child_process.hpp"
#include "vep/json.hpp"

namespace vep::test {

using namespace std::chrono_literals;

inline const std::string kProxy = std::string(VEP_BIN_DIR) + "/venice-e2ee-proxy";
inline const std::string kSim = std::string(VEP_BIN_DIR) + "/venice-sim";
inline const std::string kDemoConfig = std::string(VEP_SOURCE_DIR) + "/config/demo-sim.toml";

struct Result {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
};

// One request to 127.0.0.1:`port`; over TLS when `tls` is given.
inline Result http(uint16_t port, const std::string &method, const std::string &path, const std::string &body = "",
                   const std::map<std::string, std::string> &headers = {}, Poco::Net::Context::Ptr tls = nullptr) {
    std::unique_ptr<Poco::Net::HTTPClientSession> s;
    if (tls) s = std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", port, tls);
    else s = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port);
    s->setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto &[name, value] : headers) req.set(name, value);
    if (!body.empty()) {
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    s->sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream &in = s->receiveResponse(resp);
    Result r;
    r.status = static_cast<int>(resp.getStatus());
    for (const auto &h : resp) r.headers[h.first] = h.second;
    Poco::StreamCopier::copyToString(in, r.body);
    return r;
}

// The text of a streamed answer: every choices[0].delta.content, concatenated.
inline std::string streamed_content(const std::string &sse) {
    std::string content;
    std::istringstream lines(sse);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("data: {", 0) != 0) continue;
        const auto chunk = vep::json::parse(line.substr(6));
        const auto *choices = chunk.find("choices");
        if (!choices || choices->as_array().empty()) continue;
        const auto *delta = choices->as_array()[0].find("delta");
        const auto *text = delta ? delta->find("content") : nullptr;
        if (text && text->is_string()) content += text->as_string();
    }
    return content;
}

// config/demo-sim.toml as text, to write edited copies of it.
inline std::string demo_config_text() {
    std::ifstream in(kDemoConfig);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline uint16_t port_of(const std::string &line) {
    const auto colon = line.rfind(':');
    return static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
}

// Runs the proxy binary with `args` (split at spaces) to its exit: exit status and output.
inline std::pair<int, std::string> run(const std::string &args, const std::map<std::string, std::string> &env = {}) {
    std::istringstream split(args);
    std::vector<std::string> argv;
    for (std::string a; split >> a;) argv.push_back(a);
    ChildProcess p(kProxy, argv, env);
    p.wait_for_line("\x01never", 20s);
    const auto status = p.wait_exit(10s);
    return {status.value_or(-1), p.output()};
}

// A running venice-sim (extra arguments `sim_args`) plus a proxy on demo-sim.toml (or `config`),
// both on ephemeral ports; `env` adds to (or overrides) the proxy's environment. With
// VENICE_E2EE_PROXY__ADMIN__ENABLED=true in `env` the admin listener's port is read as well.
struct Stack {
    explicit Stack(const std::string &config = kDemoConfig, const std::vector<std::string> &sim_args = {},
                   const std::map<std::string, std::string> &env = {})
        : sim(kSim, with_port_zero(sim_args)) {
        const auto sim_line = sim.wait_for_line("listening on", 30s);
        if (!sim_line) throw std::runtime_error("venice-sim did not start: " + sim.output());
        const std::string url = sim_line->substr(sim_line->find("http"));
        sim_port = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
        std::map<std::string, std::string> proxy_env{{"VENICE_E2EE_PROXY__VENICE__BASE_URL", url},
                                                     {"VENICE_E2EE_PROXY__VENICE__API_KEY", "sim-key"},
                                                     {"VENICE_E2EE_PROXY__SERVER__PORT", "0"},
                                                     {"VENICE_E2EE_PROXY__SERVER__SHUTDOWN_GRACE", "10s"}};
        for (const auto &[name, value] : env) proxy_env[name] = value;
        proxy = std::make_unique<ChildProcess>(kProxy, std::vector<std::string>{config}, proxy_env);
        const auto line = proxy->wait_for_line("listening on", 30s);
        if (!line) throw std::runtime_error("proxy did not start: " + proxy->output());
        port = port_of(*line);
        if (proxy_env["VENICE_E2EE_PROXY__ADMIN__ENABLED"] == "true") {
            const auto admin_line = proxy->wait_for_line("admin listening on", 10s);
            if (!admin_line) throw std::runtime_error("the admin listener did not start: " + proxy->output());
            admin_port = port_of(*admin_line);
        }
    }
    static std::vector<std::string> with_port_zero(std::vector<std::string> args) {
        args.insert(args.begin(), {"--port", "0"});
        return args;
    }
    ChildProcess sim;
    std::unique_ptr<ChildProcess> proxy;
    uint16_t port = 0;
    uint16_t sim_port = 0;
    uint16_t admin_port = 0;
};

// A chat request for the qwen model (its tool format is qwen-xml by default).
inline std::string chat(const std::string &text, bool stream) {
    return R"({"model":"e2ee-qwen3-235b-a22b-p","stream":)" + std::string(stream ? "true" : "false") +
           R"(,"messages":[{"role":"user","content":")" + text + R"("}]})";
}

// A chat request offering one tool, so the model's tool-format plugin writes the system prompt.
inline std::string tool_chat(const std::string &text, bool stream) {
    return R"({"model":"e2ee-qwen3-235b-a22b-p","stream":)" + std::string(stream ? "true" : "false") +
           R"(,"messages":[{"role":"user","content":")" + text +
           R"("}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",)"
           R"("properties":{"city":{"type":"string"}},"required":["city"]}}}]})";
}

}  // namespace vep::test
