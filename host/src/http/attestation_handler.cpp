// GET /v1/attestation/{model}: the verification document (docs/verification-document.md) of the
// model's latest attestation round under the serving configuration — every check with its result
// and detail, the TDX measurements and TCB status, the GPU evidence result, the model key's
// fingerprint and address, the nonce and the time, the verifiers and the policy. `?refresh=1` (or the
// first request for a model) runs a new round first; a rejected round's document is answered
// too (outcome "rejected"). 404 not_found for a model that is not one of the upstream's attested
// E2EE models, 403 model_not_allowed for a model the caller's client key may not use; behind
// client auth like every route.
#include <Poco/URI.h>

#include "http/error_response.hpp"
#include "http/request_router.hpp"
#include "openai/model_list.hpp"

namespace vep::host {
namespace {

constexpr size_t kMaxModelBytes = 256;

// Whether `model` is in the upstream's (cached) list of attested E2EE models.
bool listed_model(const Generation &g, const std::string &model) {
    const std::string body = g.models_cache().get([&] { return map_models_response(g.venice().get_models()); });
    const json::Value list = json::parse(body);
    const json::Value *data = list.find("data");
    if (!data || !data->is_array()) return false;
    for (const auto &entry : data->as_array())
        if (const json::Value *id = entry.find("id"); id && id->is_string() && id->as_string() == model) return true;
    return false;
}

class AttestationHandler final : public RouteHandler {
  public:
    explicit AttestationHandler(const RouteServices &services) : s_(services) {}

    void handle(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                RequestScope &scope) override {
        scope.request_read();
        const auto g = s_.generations.current();
        try {
            const Poco::URI uri(request.getURI());
            const std::string model = uri.getPath().substr(std::string_view(kAttestationRoutePrefix).size());
            bool refresh = false;
            for (const auto &[name, value] : uri.getQueryParameters())
                if (name == "refresh") refresh = value == "1" || value == "true";
            if (model.empty() || model.size() > kMaxModelBytes || model.find('/') != std::string::npos)
                throw ProxyError::of("not_found", "route " + uri.getPath() + " was not found");
            if (scope.caller && !scope.caller->allows_model(model))
                throw ProxyError::of("model_not_allowed", "this client key may not use model " + model);
            if (!listed_model(*g, model))
                throw ProxyError::of("not_found", "model " + model + " is not an attested E2EE model of the upstream");
            send_document(response, document(*g, model, refresh, scope));
        } catch (const ProxyError &e) {
            send_error(response, e);
        } catch (const Poco::SyntaxException &) {
            send_error(response, ProxyError::of("not_found", "the request target is not a valid URI"));
        }
    }

  private:
    // The latest document, after a new round when asked or when there is none. Throws the round's
    // ProxyError when it left no document.
    static json::Value document(const Generation &g, const std::string &model, bool refresh, const RequestScope &scope) {
        if (!refresh)
            if (auto latest = g.attestation().latest_document(model)) return std::move(*latest);
        try {
            g.attestation().attest(model, scope.caller ? scope.caller->id : std::string());
        } catch (const ProxyError &) {
            if (auto rejected = g.attestation().latest_document(model)) return std::move(*rejected);
            throw;
        }
        if (auto latest = g.attestation().latest_document(model)) return std::move(*latest);
        throw ProxyError::of("internal_error", "the attestation round left no verification document");
    }

    static void send_document(Poco::Net::HTTPServerResponse &response, const json::Value &doc) {
        const std::string text = json::dump(doc);
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(text.size()));
        response.send() << text;
    }

    const RouteServices &s_;
};

}  // namespace

std::unique_ptr<RouteHandler> make_attestation_handler(const RouteServices &services) {
    return std::make_unique<AttestationHandler>(services);
}

}  // namespace vep::host
