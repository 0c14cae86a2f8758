#include "api_handlers.hpp"

#include <chrono>
#include <thread>

#include <Poco/URI.h>

#include "attestation_document.hpp"
#include "http_util.hpp"
#include "vep/hex.hpp"

namespace vep::sim {
namespace {

constexpr int kSlowModelsMs = 2000;  // models_fault=slow: delay before the normal answer

std::string query_value(const Poco::Net::HTTPServerRequest &request, const std::string &name) {
    for (const auto &[key, value] : Poco::URI(request.getURI()).getQueryParameters())
        if (key == name) return value;
    return {};
}

void close_record(SimState &st, const std::shared_ptr<RequestRecord> &record, bool authorized, int status,
                  const std::string &model, const std::string &error) {
    st.log.update(record, [&](RequestRecord &r) {
        r.authorized = authorized;
        r.status = status;
        r.model = model;
        r.error = error;
        r.finished_at_ms = unix_millis();
    });
}

const std::string &other_model_than(const SimState &st, const std::string &model) {
    for (const auto &m : st.catalog.models())
        if (m.tee && m.id != model) return m.id;
    return model;
}

}  // namespace

void handle_models(SimState &st, Poco::Net::HTTPServerRequest &req, Poco::Net::HTTPServerResponse &resp,
                   const std::shared_ptr<RequestRecord> &record) {
    const bool authorized = bearer_matches(req, st.options.api_key);
    auto error = [&](int status, const std::string &message) {
        close_record(st, record, authorized, status, "", message);
        send_venice_error(resp, status, message);
    };
    if (!authorized) return error(401, "Authentication failed");
    switch (st.settings.get().models_fault) {
    case ModelsFault::Unauthorized: return error(401, "Authentication failed");
    case ModelsFault::ServerError: return error(500, "Internal server error");
    case ModelsFault::Malformed:
        close_record(st, record, authorized, 200, "", "");
        send_json_text(resp, 200, R"({"object":"list","data":[{"id":42,"type":"text","model_spec":"none"}]})");
        return;
    case ModelsFault::InvalidJson:
        close_record(st, record, authorized, 200, "", "");
        send_json_text(resp, 200, R"({"object":"list","data":[{"id":"e2ee-)");
        return;
    case ModelsFault::Slow:
        for (int waited = 0; waited < kSlowModelsMs && !st.stopping.load(); waited += 50)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        break;
    case ModelsFault::None: break;
    }
    close_record(st, record, authorized, 200, "", "");
    send_json(resp, 200, st.catalog.models_json(query_value(req, "type")));
}

void handle_attestation(SimState &st, Poco::Net::HTTPServerRequest &req, Poco::Net::HTTPServerResponse &resp,
                        const std::shared_ptr<RequestRecord> &record) {
    const bool authorized = bearer_matches(req, st.options.api_key);
    const std::string model = query_value(req, "model");
    const std::string nonce_hex = query_value(req, "nonce");
    auto error = [&](int status, const std::string &message) {
        close_record(st, record, authorized, status, model, message);
        send_venice_error(resp, status, message);
    };
    if (!authorized) return error(401, "Authentication failed");
    const RuntimeSettingsValues settings = st.settings.get();
    const AttestationFault fault =
        settings.attestation_fault_model.empty() || settings.attestation_fault_model == model ? settings.attestation_fault
                                                                                               : AttestationFault::None;
    if (fault == AttestationFault::Unauthorized) return error(401, "Authentication failed");
    if (fault == AttestationFault::ServerError) return error(500, "TEE attestation verification failed");
    if (model.empty()) return error(400, "model is required");
    const ModelInfo *info = st.catalog.find(model);
    if (!info) return error(404, "Specified model not found");
    const std::shared_ptr<const ModelKey> key = st.keys.find(model);
    if (!info->tee || !key) return error(400, "Model does not support TEE attestation");
    const auto nonce = vep::hex::decode(nonce_hex);
    if (!nonce || nonce->size() != 32) return error(400, "Nonce must be exactly 32 bytes");

    AttestationRequest request;
    request.model = model;
    request.nonce_hex = nonce_hex;
    std::copy(nonce->begin(), nonce->end(), request.nonce.begin());
    const AttestationShape shape = st.scenarios.attestation_shape(model).value_or(settings.attestation_shape);
    const json::Value doc = build_attestation_document(request, *key, st.decoy, other_model_than(st, model),
                                                       fault, shape,
                                                       st.receipts.workload_keyset(model, *key));
    close_record(st, record, authorized, 200, model, "");
    send_json(resp, 200, doc);
}

}  // namespace vep::sim

namespace vep::sim {

void handle_signature(SimState &st, Poco::Net::HTTPServerRequest &req, Poco::Net::HTTPServerResponse &resp,
                      const std::shared_ptr<RequestRecord> &record) {
    const std::string model = query_value(req, "model");
    const std::string request_id = query_value(req, "request_id");
    auto error = [&](int status, const std::string &message) {
        close_record(st, record, true, status, model, message);
        send_venice_error(resp, status, message);
    };
    const ReceiptFault fault = st.settings.get().receipt_fault;
    if (model.empty() || request_id.empty()) return error(400, "model and request_id are required");
    const std::optional<SignedExchange> exchange = st.signed_exchanges.find(request_id);
    if (!exchange || exchange->model != model || fault == ReceiptFault::Missing)
        return error(404, "Signature not found");
    const std::shared_ptr<const ModelKey> key = st.keys.find(model);
    if (!key) return error(404, "Signature not found");
    close_record(st, record, true, 200, model, "");
    send_json(resp, 200, st.receipts.signature_document(request_id, *exchange, *key, st.decoy, fault));
}

}  // namespace vep::sim
