// venice-sim: stream faults (plaintext chunk, wrong-key chunk, event: error, error chunk, malformed
// JSON, cut connection, stall) and noticing a client that disconnects mid-stream.
#include <chrono>
#include <thread>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>

#include "sim_client.hpp"

namespace vep::sim::test {
namespace {

constexpr const char *kQwen = "e2ee-qwen3-235b-a22b-p";

class FaultTest : public SimFixture {
  protected:
    // Every byte the server sends for one encrypted chat request, read until the socket closes.
    std::string raw_chat_bytes(const std::string &model, const std::string &text) {
        std::string content;
        cipher_->encrypt(server_->model_public_key(model), text, content);
        const std::string body = R"({"model":")" + model + R"(","stream":true,"messages":[{"role":"user","content":")" +
                                 content + R"("}]})";
        const std::string request = "POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "Authorization: Bearer sim-key\r\nContent-Type: application/json\r\n"
                                    "X-Venice-TEE-Client-Pub-Key: " + client_key_->public_hex() + "\r\n"
                                    "X-Venice-TEE-Model-Pub-Key: " + server_->model_public_key(model) + "\r\n"
                                    "X-Venice-TEE-Signing-Algo: ecdsa\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body;
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
        socket.setReceiveTimeout(Poco::Timespan(10, 0));
        socket.sendBytes(request.data(), static_cast<int>(request.size()));
        std::string raw;
        char buffer[4096];
        for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) raw.append(buffer, static_cast<size_t>(n));
        return raw;
    }
};

TEST_F(FaultTest, PlaintextChunk) {
    const ChatResult r = chat(kQwen, "sim:fault=plaintext_chunk fault_after=1\nhello there");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.decrypt_failed);
    bool seen = false;
    for (const auto &ev : r.events) seen = seen || ev.data.find("plaintext chunk from venice-sim") != std::string::npos;
    EXPECT_TRUE(seen);
    EXPECT_EQ(last_record().fault, "plaintext_chunk");
}

TEST_F(FaultTest, WrongKeyChunkIsHexThatDoesNotDecrypt) {
    const ChatResult r = chat(kQwen, "sim:fault=wrong_key_chunk\nhello");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.decrypt_failed);
    EXPECT_EQ(r.content(), "hello");
    EXPECT_TRUE(r.done);
}

TEST_F(FaultTest, EventErrorEndsWithoutDone) {
    const ChatResult r = chat(kQwen, "sim:fault=event_error fault_after=0\nhello");
    ASSERT_EQ(r.status, 200);
    ASSERT_FALSE(r.events.empty());
    EXPECT_EQ(r.events.back().event, "error");
    EXPECT_FALSE(r.done);
    EXPECT_TRUE(r.content_chunks.empty());
}

TEST_F(FaultTest, ErrorChunkEndsWithoutDone) {
    const ChatResult r = chat(kQwen, "sim:fault=error_chunk\nhello");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(json::parse(r.events.back().data).find("error"), nullptr);
    EXPECT_FALSE(r.done);
}

TEST_F(FaultTest, MalformedJsonChunkThenContinues) {
    const ChatResult r = chat(kQwen, "sim:fault=malformed_json\nhello");
    ASSERT_EQ(r.status, 200);
    size_t unparsable = 0;
    for (const auto &ev : r.events) {
        if (ev.data == "[DONE]") continue;
        try {
            json::parse(ev.data);
        } catch (const json::ParseError &) {
            ++unparsable;
        }
    }
    EXPECT_EQ(unparsable, 1u);
    EXPECT_TRUE(r.done);
}

TEST_F(FaultTest, DisconnectCutsTheBody) {
    const std::string directive = "sim:fault=disconnect fault_after=2 chunk_bytes=1\nhello";
    const ChatResult r = chat(kQwen, directive);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.done);
    EXPECT_EQ(r.content(), "he");

    // On the wire: the chunked body never gets its terminating "0\r\n\r\n".
    const std::string raw = raw_chat_bytes(kQwen, directive);
    ASSERT_NE(raw.find("200 OK"), std::string::npos);
    EXPECT_EQ(raw.find("[DONE]"), std::string::npos);
    EXPECT_NE(raw.substr(raw.size() - 5), "0\r\n\r\n");
}

TEST_F(FaultTest, StallPausesTheStream) {
    const auto start = std::chrono::steady_clock::now();
    const ChatResult r = chat(kQwen, "sim:fault=stall stall_ms=600\nhi");
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(600));
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.content(), "hi");
}

TEST_F(FaultTest, PlaintextReasoningChunk) {
    const ChatResult r = chat(kQwen, "sim:fault=plaintext_reasoning\nhello");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.decrypt_failed);
    bool seen = false;
    for (const auto &ev : r.events)
        seen = seen || (ev.data.find("\"reasoning_content\":\"plaintext chunk from venice-sim\"") != std::string::npos);
    EXPECT_TRUE(seen);
    EXPECT_TRUE(r.done);
}

TEST_F(FaultTest, EmptyDeltasAreNullThenEmptyContent) {
    const ChatResult r = chat(kQwen, "sim:fault=empty_deltas\nhello");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.decrypt_failed);
    EXPECT_EQ(r.content(), "hello");
    int null_content = 0, empty_content = 0;
    for (const auto &ev : r.events) {
        null_content += ev.data.find("\"content\":null") != std::string::npos;
        empty_content += ev.data.find("\"content\":\"\"") != std::string::npos;
    }
    EXPECT_EQ(null_content, 1);
    EXPECT_EQ(empty_content, 1);
}

TEST_F(FaultTest, BadChoicesIsAnObject) {
    const ChatResult r = chat(kQwen, "sim:fault=bad_choices\nhello");
    ASSERT_EQ(r.status, 200);
    bool seen = false;
    for (const auto &ev : r.events) {
        if (ev.data == "[DONE]") continue;
        const json::Value chunk = json::parse(ev.data);
        seen = seen || chunk.find("choices")->is_object();
    }
    EXPECT_TRUE(seen);
    EXPECT_TRUE(r.done);
}

TEST_F(FaultTest, NoFinishOmitsOnlyTheFinishChunk) {
    const ChatResult r = chat(kQwen, "sim:fault=no_finish\nhello");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.content(), "hello");
    EXPECT_EQ(r.finish_reason, "");
    EXPECT_TRUE(r.done);
}

TEST_F(FaultTest, SplitEventsArriveInSeveralReads) {
    // Each half goes out as its own HTTP chunk, so the chunk framing lands inside the event.
    const std::string raw = raw_chat_bytes(kQwen, "sim:fault=split_events\nhello");
    EXPECT_EQ(raw.find("data: [DONE]"), std::string::npos);
    EXPECT_NE(raw.find("data: [\r\n7\r\nDONE]\n\n"), std::string::npos);
    const ChatResult r = chat(kQwen, "sim:fault=split_events\nhello");
    EXPECT_EQ(r.content(), "hello");
    EXPECT_TRUE(r.done);
    EXPECT_EQ(last_record().fault, "split_events");
}

TEST_F(FaultTest, NoticesClientDisconnect) {
    std::string content;
    cipher_->encrypt(server_->model_public_key(kQwen), "sim:scenario=long chunks=200 interval_ms=50", content);
    json::Value msg = json::Value::object();
    msg.set("role", "user");
    msg.set("content", content);
    json::Value body = json::Value::object();
    body.set("model", kQwen);
    body.set("messages", json::Array{msg});
    body.set("stream", true);
    const std::string text = json::dump(body);
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
        Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/api/v1/chat/completions",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
        req.set("Authorization", "Bearer sim-key");
        req.set("X-Venice-TEE-Client-Pub-Key", client_key_->public_hex());
        req.set("X-Venice-TEE-Model-Pub-Key", server_->model_public_key(kQwen));
        req.set("X-Venice-TEE-Signing-Algo", "ecdsa");
        req.setContentLength64(static_cast<Poco::Int64>(text.size()));
        session.sendRequest(req) << text;
        Poco::Net::HTTPResponse resp;
        std::istream &in = session.receiveResponse(resp);
        ASSERT_EQ(resp.getStatus(), 200);
        std::string line;
        for (int i = 0; i < 6 && std::getline(in, line); ++i) {
        }
        session.abort();
    }
    const int64_t closed_at = unix_millis();
    RequestRecord rec;
    for (int i = 0; i < 100; ++i) {
        rec = last_record();
        if (rec.client_disconnected) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(rec.client_disconnected);
    ASSERT_TRUE(rec.disconnect_noticed_at_ms.has_value());
    EXPECT_GE(*rec.disconnect_noticed_at_ms + 5, closed_at);
    EXPECT_LT(*rec.disconnect_noticed_at_ms - closed_at, 2000);
    EXPECT_FALSE(rec.completed);
    EXPECT_LT(rec.chunks_sent, 200u);
}

}  // namespace
}  // namespace vep::sim::test
