// See response_context.hpp.
#include "chat/response_context.hpp"

#include "runtime/generation.hpp"

namespace vep::host {

UpstreamReader ResponseContext::open_attempt(const std::string &body) {
    const Generation &g = exchange.generation;
    auto stream = g.venice().open_chat(body, exchange.client_key->public_hex(), exchange.attested->model_public_key);
    return UpstreamReader(std::move(stream), g.cipher(), *exchange.client_key, [this] { return client.alive(); });
}

bool ResponseContext::send_chunk(std::string chunk) {
    ResponseEvent event{std::move(chunk), true};
    if (!chain.run_response_event(exchange, event)) return client.alive();
    return client.write_event(event.data);
}

void ResponseContext::send_body(std::string body, const std::vector<std::pair<std::string, std::string>> &extra) {
    ResponseEvent event{std::move(body), false};
    chain.run_response_event(exchange, event);
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("application/json");
    for (const auto &h : exchange.response_headers) response.set(h.first, h.second);
    for (const auto &h : extra) response.set(h.first, h.second);
    response.setContentLength(static_cast<std::streamsize>(event.data.size()));
    response.send() << event.data;
}

}  // namespace vep::host
