#include "admin_handler.hpp"

#include <Poco/URI.h>

#include "http_util.hpp"
#include "vep/sdk.hpp"
#include "vep/sim/tdx_forge.hpp"

namespace vep::sim {
namespace {

constexpr size_t kMaxAdminBody = 64u << 10;

json::Value settings_json(const RuntimeSettingsValues &v) {
    json::Value out = json::Value::object();
    out.set("attestation_fault", to_string(v.attestation_fault));
    out.set("attestation_fault_model", v.attestation_fault_model);
    out.set("models_fault", to_string(v.models_fault));
    out.set("attestation_shape", to_string(v.attestation_shape));
    out.set("receipt_fault", to_string(v.receipt_fault));
    return out;
}

json::Value health_json(const SimState &st) {
    json::Value models = json::Value::array();
    for (const auto &m : st.catalog.models())
        if (m.e2ee) models.push_back(m.id);
    json::Value out = json::Value::object();
    out.set("status", "ok");
    out.set("cipher", st.options.cipher);
    out.set("e2ee_models", std::move(models));
    out.set("tdx_test_root_ca_sha256", tdx::test_root_ca_sha256_hex());
    out.set("settings", settings_json(st.settings.get()));
    out.set("connections_accepted", st.connections_accepted.load());
    out.set("tls_resumed_requests", st.tls_resumed_requests.load());
    return out;
}

void error(Poco::Net::HTTPServerResponse &resp, int status, const std::string &message) {
    send_venice_error(resp, status, message);
}

}  // namespace

void handle_admin(SimState &st, Poco::Net::HTTPServerRequest &req, Poco::Net::HTTPServerResponse &resp) {
    if (!req.clientAddress().host().isLoopback()) return error(resp, 403, "admin endpoints answer loopback clients only");
    const std::string path = Poco::URI(req.getURI()).getPath();
    const std::string &method = req.getMethod();
    const std::optional<std::string> body = read_body(req, kMaxAdminBody);
    if (!body) {
        resp.setKeepAlive(false);
        return error(resp, 413, "Request body too large");
    }
    if (path == "/_sim/health" && method == "GET") return send_json(resp, 200, health_json(st));
    if (path == "/_sim/requests" && method == "GET") {
        json::Value list = json::Value::array();
        for (const auto &r : st.log.snapshot()) list.push_back(to_json(r));
        return send_json(resp, 200, list);
    }
    if (path == "/_sim/reset" && method == "POST") {
        st.log.clear();
        json::Value ok = json::Value::object();
        ok.set("status", "ok");
        return send_json(resp, 200, ok);
    }
    if (path == "/_sim/rotate" && method == "POST") {
        std::string model;
        try {
            const json::Value doc = json::parse(*body);
            if (const json::Value *m = doc.find("model"); m && m->is_string()) model = m->as_string();
        } catch (const json::ParseError &) {
        }
        if (!st.keys.rotate(model)) return error(resp, 400, "rotate needs {\"model\": \"<an E2EE model>\"}");
        json::Value ok = json::Value::object();
        ok.set("status", "ok");
        ok.set("model", model);
        ok.set("public_key", st.keys.find(model)->public_hex);
        return send_json(resp, 200, ok);
    }
    if (path == "/_sim/config" && method == "GET") return send_json(resp, 200, settings_json(st.settings.get()));
    if (path == "/_sim/config" && method == "POST") {
        try {
            st.settings.apply_json(*body);
        } catch (const vep::Failure &e) {
            return error(resp, 400, e.what());
        }
        return send_json(resp, 200, settings_json(st.settings.get()));
    }
    error(resp, 404, "unknown admin endpoint " + method + " " + path);
}

}  // namespace vep::sim
