// See direct_e2ee_client.hpp.
#include "direct_e2ee_client.hpp"

#include <istream>
#include <stdexcept>

#include <openssl/rand.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "plugin/host_services.hpp"
#include "plugin/plugin_loader.hpp"
#include "vep/json.hpp"

namespace vep::bench {
namespace {

std::string random_nonce_hex() {
    unsigned char nonce[32];
    if (RAND_bytes(nonce, sizeof nonce) != 1) throw std::runtime_error("RAND_bytes failed");
    static const char *digits = "0123456789abcdef";
    std::string hex;
    for (unsigned char b : nonce) {
        hex += digits[b >> 4];
        hex += digits[b & 15];
    }
    return hex;
}

std::string fetch_attested_key(uint16_t port, const std::string &model) {
    const std::string nonce = random_nonce_hex();
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(20, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                   "/api/v1/tee/attestation?model=" + model + "&nonce=" + nonce,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer sim-key");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
        throw std::runtime_error("attestation fetch answered " + std::to_string(response.getStatus()));
    const json::Value doc = json::parse(body);
    const json::Value *echo = doc.find("nonce");
    const json::Value *key = doc.find("signing_public_key");
    if (!echo || !echo->is_string() || echo->as_string() != nonce)
        throw std::runtime_error("attestation does not echo the nonce");
    if (!key || !key->is_string() || key->as_string().size() != 130)
        throw std::runtime_error("attestation carries no 130-hex signing_public_key");
    return key->as_string();
}

}  // namespace

DirectE2eeClient::DirectE2eeClient(const std::string &plugin_dir, uint16_t sim_port, const std::string &model) {
    static const host::PluginLoader loader(host::host_services());
    try {
        auto loaded = loader.load_file(host::PluginLoader::resolve("e2ee-secp256k1", {plugin_dir}, "."));
        cipher_ = vep::client::CipherClient::create(loaded->descriptor, R"({"hkdf_info":"ecdsa_encryption"})", loaded);
        plugin_ = loaded;
    } catch (const host::PluginLoadError &e) {
        throw std::runtime_error(e.what());
    }
    key_ = cipher_->generate();
    model_key_ = fetch_attested_key(sim_port, model);
}

std::string DirectE2eeClient::encrypted_body(const ConversationShape &shape) const {
    return chat_body(
        shape,
        [this](const std::string &text) {
            std::string out;
            cipher_->encrypt(model_key_, text, out);
            return out;
        },
        true);
}

std::map<std::string, std::string> DirectE2eeClient::headers() const {
    return {{"Authorization", "Bearer sim-key"},
            {"X-Venice-TEE-Client-Pub-Key", key_->public_hex()},
            {"X-Venice-TEE-Model-Pub-Key", model_key_},
            {"X-Venice-TEE-Signing-Algo", "ecdsa"}};
}

EventJudge DirectE2eeClient::judge(int chunk_bytes) const {
    return [this, chunk_bytes](const SseClientEvent &event, size_t index, std::string &why) {
        std::string sealed;
        const EventVerdict verdict = classify_chat_event(event, sealed, why);
        if (verdict != EventVerdict::Content) return verdict;
        std::string plain;
        try {
            cipher_->decrypt(*key_, sealed, plain);
        } catch (const vep::Failure &f) {
            why = "content chunk " + std::to_string(index) + " does not decrypt: " + f.code();
            return EventVerdict::Failure;
        }
        if (plain != long_chunk_text(index, chunk_bytes)) {
            why = "content chunk " + std::to_string(index) + " differs from what venice-sim sent";
            return EventVerdict::Failure;
        }
        return EventVerdict::Content;
    };
}

}  // namespace vep::bench
