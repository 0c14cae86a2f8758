// Writes one chunked text/event-stream response and notices a client that went away: a failed
// write, or (while pacing) the peer closing its socket. Also cuts the connection on purpose for the
// disconnect fault. Owned by the chat handler for one request.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <optional>
#include <ostream>
#include <string_view>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

struct evp_md_ctx_st;

namespace vep::sim {

class SseStream {
  public:
    SseStream(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response,
              const std::atomic<bool> &stopping);
    // Sends status 200 and the SSE headers.
    bool start();
    // "data: <data>\n\n", flushed. False once the client is gone.
    bool data(std::string_view data);
    // "event: <event>\ndata: <data>\n\n", flushed.
    bool event(std::string_view event, std::string_view data);
    // Waits `ms`, watching for the peer closing and for the server stopping. False if either.
    bool pause(int ms);
    // Closes the connection mid-body (no terminating chunk reaches the client).
    void cut_connection();
    // When on, every event goes out in two flushed writes a few milliseconds apart, so the reader
    // sees an event split across network reads (the split_events fault).
    void split_writes(bool on) { split_writes_ = on; }

    bool client_gone() const { return client_gone_; }
    // Hex SHA-256 of every body byte written so far (what a signed record's response hash covers).
    std::string body_sha256() const;
    std::optional<int64_t> gone_noticed_at_ms() const { return gone_at_ms_; }

  private:
    bool write(std::string_view text);
    void mark_gone();

    Poco::Net::HTTPServerResponse &response_;
    Poco::Net::StreamSocket socket_;
    const std::atomic<bool> &stopping_;
    std::ostream *out_ = nullptr;
    bool client_gone_ = false;
    bool split_writes_ = false;
    std::optional<int64_t> gone_at_ms_;
    std::shared_ptr<evp_md_ctx_st> body_hash_;
};

}  // namespace vep::sim
