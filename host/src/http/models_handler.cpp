// GET /v1/models: Venice's model list filtered to attested E2EE text models, with the [aliases]
// that stand for them, cached for venice.models_cache_ttl; a model (or alias of one) whose latest
// attestation under the serving configuration failed is left out (models.list_only_attested) or
// marked; narrowed to the models the caller's client key may use; upstream failures as
// OpenAI-style errors.
#include "http/error_response.hpp"
#include "http/request_router.hpp"
#include "openai/model_list.hpp"

namespace vep::host {
namespace {

class ModelsHandler final : public RouteHandler {
  public:
    explicit ModelsHandler(const RouteServices &services) : s_(services) {}
    void handle(Poco::Net::HTTPServerRequest &, Poco::Net::HTTPServerResponse &response, RequestScope &scope) override {
        scope.request_read();
        const auto g = s_.generations.current();
        try {
            const auto &aliases = g->config().aliases;
            std::string body = g->model_list();
            if (!g->attestation().failing_models().empty())
                body = apply_failed_attestations(
                    body,
                    [&](std::string_view id) -> std::optional<FailedAttestation> {
                        const auto alias = aliases.find(std::string(id));
                        const auto status = g->attestation().status(alias != aliases.end() ? alias->second : std::string(id));
                        if (!status || status->verified) return std::nullopt;
                        return FailedAttestation{status->code, status->time, status->last_verified};
                    },
                    g->config().model_list.list_only_attested);
            if (scope.caller && !scope.caller->models.empty())
                body = filter_models(body, [&](std::string_view id) {
                    const auto alias = aliases.find(std::string(id));
                    return scope.caller->allows_model(alias != aliases.end() ? alias->second : id);
                });
            response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
            response.setContentType("application/json");
            response.set("X-Venice-Proxy-Attestation-Mode", g->config().attestation.mode);
            response.set("X-Venice-Proxy-Tool-Mode", g->config().tools.enabled ? g->config().tools.mode : "none");
            response.setContentLength(static_cast<std::streamsize>(body.size()));
            response.send() << body;
        } catch (const ProxyError &e) {
            send_error(response, e);
        }
    }

  private:
    const RouteServices &s_;
};

}  // namespace

std::unique_ptr<RouteHandler> make_models_handler(const RouteServices &services) {
    return std::make_unique<ModelsHandler>(services);
}

}  // namespace vep::host
