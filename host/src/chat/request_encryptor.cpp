// See request_encryptor.hpp.
#include "chat/request_encryptor.hpp"

#include <algorithm>

#include "chain/exchange.hpp"
#include "openai/history_rendering.hpp"
#include "openai/upstream_chat_body.hpp"
#include "runtime/generation.hpp"
#include "tools/prompts.hpp"
#include "tools/tool_context.hpp"

namespace vep::host {

std::string build_encrypted_request(const Exchange &ex, std::string_view correction) {
    if (!ex.chat || !ex.attested)
        throw ProxyError::of("internal_error", "the encrypt stage needs the parse and attest stages before it");
    std::vector<UpstreamMessage> messages =
        ex.messages.empty() ? render_messages(ex.chat->messages, default_history_renderer()) : ex.messages;
    if (ex.tool_context && ex.tool_format) {
        std::string prompt = tools::controller_prompt(*ex.tool_format, *ex.tool_context);
        if (!correction.empty()) {
            prompt += "\n\n";
            prompt += correction;
        }
        auto system = std::find_if(messages.begin(), messages.end(), [](const UpstreamMessage &m) { return m.role == "system"; });
        if (system != messages.end()) {
            system->content += "\n\n" + prompt;
        } else {
            messages.insert(messages.begin(), UpstreamMessage{"system", std::move(prompt)});
        }
    }
    const Generation &g = ex.generation;
    const auto &cipher = g.cipher();
    std::shared_ptr<const vep::client::CipherClient::Key> ephemeral;
    if (g.config().e2ee.ephemeral_key_per == EphemeralKeyPer::Request) ephemeral = cipher.generate();
    try {
        for (auto &m : messages) {
            std::string hex;
            hex.reserve(186 + m.content.size() * 2);
            cipher.encrypt(ex.attested->model_public_key, m.content, hex, ephemeral.get());
            m.content = std::move(hex);
        }
    } catch (const vep::Failure &f) {
        throw ProxyError::of("e2ee_request_encryption_failed",
                             std::string("failed to encrypt the request for Venice E2EE: ") + f.what());
    }
    return build_upstream_body(*ex.chat, messages);
}

}  // namespace vep::host
