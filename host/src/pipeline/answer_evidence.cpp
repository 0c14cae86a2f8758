// See answer_evidence.hpp.
#include "pipeline/answer_evidence.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "errors/proxy_error.hpp"
#include "vep/hex.hpp"

namespace vep::host {
namespace {

void restart(EVP_MD_CTX *ctx) {
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
        throw ProxyError::of("internal_error", "SHA-256 could not be initialised");
}

}  // namespace

AnswerEvidence::AnswerEvidence() : response_hash_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!response_hash_) throw ProxyError::of("internal_error", "SHA-256 context could not be allocated");
    restart(response_hash_.get());
}

AnswerEvidence::~AnswerEvidence() = default;

void AnswerEvidence::attempt_sent(std::string_view request_body) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(request_body.data()), request_body.size(), digest);
    request_sha256_ = hex::encode(digest, sizeof digest);
    completion_id_.clear();
    restart(response_hash_.get());
}

void AnswerEvidence::received(std::string_view body_bytes) {
    EVP_DigestUpdate(response_hash_.get(), body_bytes.data(), body_bytes.size());
}

void AnswerEvidence::observe(const DecryptedEvent &event) {
    if (!completion_id_.empty()) return;
    if (const auto *choice = std::get_if<DecryptedChoice>(&event); choice && choice->identity.id)
        completion_id_ = std::string(*choice->identity.id);
}

ReceiptEvidence AnswerEvidence::evidence() const {
    ReceiptEvidence out;
    out.completion_id = completion_id_;
    out.request_sha256 = request_sha256_;
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> copy(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (copy && EVP_MD_CTX_copy_ex(copy.get(), response_hash_.get()) == 1 &&
        EVP_DigestFinal_ex(copy.get(), digest, &len) == 1)
        out.response_sha256 = hex::encode(digest, len);
    return out;
}

}  // namespace vep::host
