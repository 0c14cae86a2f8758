// See response_context.hpp.
#include "chat/response_context.hpp"

namespace vep::host {

bool ResponseContext::send_chunk(std::string chunk) {
    ResponseEvent event{std::move(chunk), true};
    if (!chain.run_response_event(exchange, event)) return !client.gone();
    return client.event(event.data);
}

void ResponseContext::send_body(std::string body, const HeaderList &extra) {
    ResponseEvent event{std::move(body), false};
    chain.run_response_event(exchange, event);
    HeaderList headers = exchange.response_headers;
    headers.insert(headers.end(), extra.begin(), extra.end());
    client.whole(200, headers, event.data);
}

}  // namespace vep::host
