// See upstream_decoder.hpp.
#include "chat/upstream_decoder.hpp"

#include "errors/proxy_error.hpp"

namespace vep::host {

std::string UpstreamDecoder::decrypt(std::string text) const {
    if (!cipher_) return text;
    std::string plain;
    try {
        cipher_->decrypt(*key_, text, plain);
    } catch (const vep::Failure &f) {
        throw ProxyError::of("e2ee_response_decryption_failed",
                             "failed to decrypt Venice E2EE response chunk: " + f.code());
    }
    return plain;
}

std::optional<DecryptedEvent> UpstreamDecoder::next() {
    if (done_) return std::nullopt;
    auto event = parser_.next();
    if (!event) return std::nullopt;
    UpstreamEvent classified = classify_upstream_event(std::move(*event));
    if (std::holds_alternative<upstream_event::Done>(classified)) {
        done_ = true;
        return upstream_event::Done{};
    }
    if (auto *error = std::get_if<upstream_event::Error>(&classified)) throw stream_error(*error);
    if (auto *usage = std::get_if<upstream_event::UsageOnly>(&classified)) return std::move(*usage);
    auto &choice = std::get<upstream_event::Choice>(classified);
    DecryptedChoice out;
    out.identity = std::move(choice.identity);
    out.index = choice.index;
    out.finish_reason = std::move(choice.finish_reason);
    if (choice.reasoning_content) out.reasoning_content = decrypt(std::move(*choice.reasoning_content));
    if (choice.content) out.content = decrypt(std::move(*choice.content));
    if (!cipher_) out.tool_calls = std::move(choice.tool_calls);
    return out;
}

void UpstreamDecoder::end_of_body() const {
    if (!done_) parser_.fail_at_end_of_stream();
}

}  // namespace vep::host
