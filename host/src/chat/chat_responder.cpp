// See chat_responder.hpp.
#include "chat/chat_responder.hpp"

#include "chat/buffered_transformer.hpp"
#include "chat/client_stream.hpp"
#include "chat/response_context.hpp"
#include "chat/streaming_transformer.hpp"
#include "chat/tool_responder.hpp"
#include "chat/upstream_reader.hpp"
#include "http/error_response.hpp"
#include "runtime/generation.hpp"

namespace vep::host {
namespace {

ChatOutcome failed(const ProxyError &e) { return ChatOutcome{false, e.status(), e.code(), false}; }

// Streams a plain answer. The response has not started when this is called.
ChatOutcome stream_plain(ResponseContext &rc) {
    Exchange &ex = rc.exchange;
    const Config &c = ex.generation.config();
    UpstreamReader reader = rc.open_attempt(ex.upstream_body);
    StreamingTransformer transformer(ex.chat->model, ex.chat->include_usage.value_or(false),
                                     c.e2ee.require_encrypted_response_content);
    rc.client.start(ex.response_headers);
    try {
        for (;;) {
            DecryptedEvent event = reader.next();
            std::vector<std::string> chunks;
            if (auto *choice = std::get_if<DecryptedChoice>(&event)) chunks = transformer.on_choice(*choice);
            else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) chunks = transformer.on_usage(*usage);
            else chunks = transformer.on_done();
            for (auto &chunk : chunks)
                if (!rc.send_chunk(std::move(chunk))) {
                    reader.abort();
                    return ChatOutcome{false, 200, "client_disconnected", true};
                }
            if (std::holds_alternative<upstream_event::Done>(event)) break;
        }
        if (!rc.client.write_done()) return ChatOutcome{false, 200, "client_disconnected", true};
        return ChatOutcome{true, 200, "", false};
    } catch (const ProxyError &e) {
        reader.abort();
        rc.client.write_error(e);
        return failed(e);
    }
}

// Buffers a plain answer into one completion body.
ChatOutcome buffer_plain(ResponseContext &rc) {
    Exchange &ex = rc.exchange;
    UpstreamReader reader = rc.open_attempt(ex.upstream_body);
    BufferedTransformer transformer(ex.chat->model, ex.generation.config().e2ee.require_encrypted_response_content);
    for (;;) {
        DecryptedEvent event = reader.next();
        if (auto *choice = std::get_if<DecryptedChoice>(&event)) transformer.on_choice(*choice);
        else if (auto *usage = std::get_if<upstream_event::UsageOnly>(&event)) transformer.on_usage(*usage);
        else break;
    }
    transformer.check_complete();
    rc.send_body(transformer.body(), {});
    return ChatOutcome{true, 200, "", false};
}

}  // namespace

ChatOutcome respond_to_chat(Exchange &ex, ChainRun &chain, Poco::Net::HTTPServerResponse &response,
                            Poco::Net::StreamSocket &client_socket) {
    ClientStream client(response, client_socket);
    ResponseContext rc{ex, chain, response, client};
    try {
        if (ex.tool_context) return respond_with_tools(rc);
        return ex.chat->stream ? stream_plain(rc) : buffer_plain(rc);
    } catch (const ClientGone &) {
        return ChatOutcome{false, 200, "client_disconnected", true};
    } catch (const ProxyError &e) {
        if (client.started()) {
            client.write_error(e);
        } else {
            send_error(response, e, ex.request_id);
        }
        return failed(e);
    }
}

}  // namespace vep::host
