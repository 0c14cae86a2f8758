#include "sse_stream.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <openssl/evp.h>

#include "vep/hex.hpp"
#include "vep/sdk.hpp"

#include "request_log.hpp"

namespace vep::sim {
namespace {

constexpr int kPollSliceMs = 50;
constexpr int kSendTimeoutSeconds = 30;
constexpr int kSplitGapMs = 5;

}  // namespace

SseStream::SseStream(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
                     const std::atomic<bool> &stopping)
    : response_(response),
      socket_(static_cast<Poco::Net::HTTPServerRequestImpl &>(request).socket()),
      stopping_(stopping), body_hash_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    socket_.setSendTimeout(Poco::Timespan(kSendTimeoutSeconds, 0));
    if (!body_hash_ || EVP_DigestInit_ex(body_hash_.get(), EVP_sha256(), nullptr) != 1)
        throw vep::Failure("sim_hash_failed", "SHA-256 could not be initialised");
}

std::string SseStream::body_sha256() const {
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> copy(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!copy || EVP_MD_CTX_copy_ex(copy.get(), body_hash_.get()) != 1 || EVP_DigestFinal_ex(copy.get(), digest, &len) != 1)
        throw vep::Failure("sim_hash_failed", "SHA-256 could not be finished");
    return vep::hex::encode(digest, len);
}

bool SseStream::start() {
    response_.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response_.setContentType("text/event-stream");
    response_.set("Cache-Control", "no-cache");
    response_.setChunkedTransferEncoding(true);
    out_ = &response_.send();
    if (!*out_) mark_gone();
    return !client_gone_;
}

void SseStream::mark_gone() {
    if (client_gone_) return;
    client_gone_ = true;
    gone_at_ms_ = unix_millis();
}

bool SseStream::write(std::string_view text) {
    if (client_gone_ || !out_) return false;
    EVP_DigestUpdate(body_hash_.get(), text.data(), text.size());
    if (split_writes_ && text.size() > 1) {
        const size_t half = text.size() / 2;
        out_->write(text.data(), static_cast<std::streamsize>(half));
        out_->flush();
        if (!*out_) mark_gone();
        if (client_gone_) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(kSplitGapMs));
        text.remove_prefix(half);
    }
    out_->write(text.data(), static_cast<std::streamsize>(text.size()));
    out_->flush();
    if (!*out_) mark_gone();
    return !client_gone_;
}

bool SseStream::data(std::string_view data) {
    std::string text;
    text.reserve(data.size() + 8);
    text.append("data: ").append(data).append("\n\n");
    return write(text);
}

bool SseStream::event(std::string_view event, std::string_view data) {
    std::string text;
    text.append("event: ").append(event).append("\ndata: ").append(data).append("\n\n");
    return write(text);
}

bool SseStream::pause(int ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!client_gone_ && !stopping_.load()) {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return true;
        const int64_t slice_us = std::min<int64_t>(left.count(), int64_t{kPollSliceMs} * 1000);
        try {
            if (socket_.poll(Poco::Timespan(0, slice_us), Poco::Net::Socket::SELECT_READ)) {
                if (socket_.available() == 0) {
                    mark_gone();
                    break;
                }
                std::this_thread::sleep_for(std::chrono::microseconds(slice_us));
            }
        } catch (const Poco::Exception &) {
            mark_gone();
        }
    }
    return false;
}

void SseStream::cut_connection() {
    if (out_) out_->flush();
    try {
        socket_.shutdown();
    } catch (const Poco::Exception &) {
        // The peer may already be gone; the connection is closed either way.
    }
}

}  // namespace vep::sim
