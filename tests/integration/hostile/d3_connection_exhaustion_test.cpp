// D3, slowloris and connection exhaustion on a small server (max_threads 8, max_queued 8):
// (a) 40 connections dripping a request head one byte per 500 ms neither starve /healthz (it is
//     answered at once: 503 server_overloaded while they hold every worker, 200 once they are
//     cut) nor live past server.request_read_timeout + 2 s (closed bare, after a 408, or after
//     the 503 of (c) when refused at the door);
// (b) server.max_connections_per_client = 16: idle connections beyond 16 from one address get a
//     quick "503 server_overloaded, Connection: close" and EOF without sending anything;
// (c) a full accept queue answers that same 503 instead of a bare reset or silence;
// (d) the worker pool shrinks back after a burst (idle workers exit).
#include <gtest/gtest.h>

#include <mutex>

#include "hostile_harness.hpp"

using namespace vep::hostile;
using namespace std::chrono_literals;

namespace {

// `n` connections that send the start of a chat request head, then one more header byte every
// `every` from a thread, watching each for the server's answer or close.
class SlowLoris {
  public:
    SlowLoris(uint16_t port, size_t n, Ms every)
        : conns_(open_many(port, n, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")),
          thread_([this, every] { run(every); }) {}
    ~SlowLoris() { stop(); }

    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    // A copy of the connections' state (without descriptors).
    struct View {
        Clock::time_point opened;
        std::optional<Clock::time_point> closed;
        ReadEnd end;
        std::string received;
    };
    std::vector<View> view() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<View> out;
        for (const auto &t : conns_) out.push_back({t.opened, t.closed, t.end, t.received});
        return out;
    }
    size_t open_count() const {
        std::lock_guard<std::mutex> lock(mutex_);
        size_t n = 0;
        for (const auto &t : conns_) n += t.open() ? 1 : 0;
        return n;
    }

  private:
    void run(Ms every) {
        static const std::string kDrip = "X-Slow: y\r\n";
        size_t step = 0;
        auto next_drip = Clock::now() + every;
        while (!stop_) {
            std::this_thread::sleep_for(20ms);
            std::lock_guard<std::mutex> lock(mutex_);
            const bool drip = Clock::now() >= next_drip;
            for (auto &t : conns_) {
                poll_one(t);
                if (drip && t.open() && !t.conn.send_some(std::string_view(&kDrip[step % kDrip.size()], 1))) {
                    t.closed = Clock::now();
                    t.end = ReadEnd::Reset;
                    t.conn.close();
                }
            }
            if (drip) {
                ++step;
                next_drip += every;
            }
        }
    }

    mutable std::mutex mutex_;
    std::vector<Tracked> conns_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

enum class Outcome { Open, Overloaded503, BareClose, Other };

Outcome classify(const Tracked &t) {
    if (t.received.empty()) return t.open() ? Outcome::Open : Outcome::BareClose;
    const auto r = parse_response(t.received, !t.open());
    return r.status == 503 && r.error_code() == "server_overloaded" ? Outcome::Overloaded503 : Outcome::Other;
}

std::string describe(const Tracked &t) {
    return std::string(to_string(t.end)) + " after " + std::to_string(t.received.size()) + " bytes: " +
           t.received.substr(0, 200);
}

Settings small_server(const std::string &per_client, const std::string &read_timeout) {
    return {{"server.max_threads", "8"},
            {"server.max_queued", "8"},
            {"server.request_read_timeout", read_timeout},
            {"server.max_connections_per_client", per_client}};
}

}  // namespace

TEST(Hostile, D3a_Slowloris_HealthzStaysUpAndSlowHeadsAreCut) {
    HostileStack stack(small_server("0", "\"2s\""));
    SlowLoris loris(stack.port(), 40, 500ms);
    std::this_thread::sleep_for(1s);

    // Every worker is held by a slow head (no per-client cap here: think of many addresses), so a
    // health check is answered at once — 503 server_overloaded while saturated, never silence.
    const auto health = exchange(stack.port(), http_request("GET", "/healthz"), 1500ms);
    EXPECT_TRUE(health.response.status == 200 ||
                (health.response.status == 503 && health.response.error_code() == "server_overloaded"))
        << "GET /healthz while 40 slow heads are open: " << to_string(health.end) << ", " << health.raw.size()
        << " bytes";
    EXPECT_LT(health.elapsed, 1500ms);

    // request_read_timeout (2 s) + 2 s from the last connection's opening.
    eventually(4500ms, [&] { return loris.open_count() == 0; });
    loris.stop();
    size_t late = 0;
    std::string first_late;
    for (const auto &v : loris.view()) {
        const bool in_time = v.closed && *v.closed - v.opened <= 4s;
        if (!in_time && late++ == 0)
            first_late = v.closed ? "closed after " +
                                        std::to_string(std::chrono::duration_cast<Ms>(*v.closed - v.opened).count()) +
                                        " ms"
                                  : "still open";
        if (!v.received.empty()) {
            const auto r = parse_response(v.received, true);
            const bool allowed = r.status == 408 || (r.status == 503 && r.error_code() == "server_overloaded");
            EXPECT_TRUE(allowed) << "a slow head may only be answered 408 (or 503 server_overloaded) before the close: "
                                 << v.received.substr(0, 200);
        }
    }
    EXPECT_EQ(late, 0u) << late << " of 40 slow connections were not closed within 4 s of opening (first: "
                        << first_late << ")";
    // The slow heads are cut by request_read_timeout: the server is free again.
    const auto after = exchange(stack.port(), http_request("GET", "/healthz"), 1500ms);
    EXPECT_EQ(after.response.status, 200) << to_string(after.end) << ", " << after.raw.size() << " bytes";
}

TEST(Hostile, D3b_PerClientCap_ConnectionsBeyond16Get503AndEof) {
    HostileStack stack(small_server("16", "\"2s\""));
    auto conns = open_many(stack.port(), 40);
    // Before request_read_timeout (2 s) closes the admitted ones.
    pump(conns, conns.front().opened + 1600ms);

    size_t open = 0, refused = 0;
    for (size_t i = 0; i < conns.size(); ++i) {
        const auto &t = conns[i];
        SCOPED_TRACE("connection " + std::to_string(i));
        switch (classify(t)) {
        case Outcome::Open: ++open; break;
        case Outcome::Overloaded503: {
            ++refused;
            const auto r = parse_response(t.received, true);
            EXPECT_EQ(r.version + " " + std::to_string(r.status), "HTTP/1.1 503");
            EXPECT_EQ(r.header("Connection"), "close");
            EXPECT_LE(*t.first_byte - t.opened, 1s);
            EXPECT_EQ(t.end, ReadEnd::Eof) << describe(t);
            break;
        }
        case Outcome::BareClose:
        case Outcome::Other: ADD_FAILURE() << "neither open nor 503 server_overloaded: " << describe(t); break;
        }
    }
    EXPECT_LE(open, 16u) << "connections from one client kept open beyond max_connections_per_client";
    EXPECT_EQ(refused, conns.size() - open);
}

TEST(Hostile, D3c_QueueOverflow_Answers503InsteadOfReset) {
    HostileStack stack({{"server.max_threads", "2"},
                        {"server.max_queued", "2"},
                        {"server.max_connections_per_client", "0"},
                        {"server.request_read_timeout", "\"10s\""}});
    auto conns = open_many(stack.port(), 12);
    pump(conns, conns.back().opened + 1500ms);

    // Which ones the server can hold depends on how it queues; none may be cut without an answer.
    for (size_t i = 0; i < conns.size(); ++i) {
        const auto &t = conns[i];
        SCOPED_TRACE("connection " + std::to_string(i));
        switch (classify(t)) {
        case Outcome::Open: break;
        case Outcome::Overloaded503: EXPECT_LE(*t.first_byte - t.opened, 1s); break;
        case Outcome::BareClose:
        case Outcome::Other: ADD_FAILURE() << "neither open nor 503 server_overloaded: " << describe(t); break;
        }
    }
}

TEST(Hostile, D3d_WorkerPool_ShrinksBackAfterABurst) {
    // More threads than (a) so the burst's growth stands well clear of the +4 tolerance.
    HostileStack stack({{"server.max_threads", "32"}, {"server.max_queued", "8"}});
    ASSERT_TRUE(healthz(stack.port()).has_value());
    std::this_thread::sleep_for(500ms);
    const size_t before = proc_stats(stack.proxy_pid()).threads;

    size_t peak = before;
    {
        SlowLoris loris(stack.port(), 40, 500ms);
        const auto end = Clock::now() + 3s;
        while (Clock::now() < end) {
            peak = std::max(peak, proc_stats(stack.proxy_pid()).threads);
            std::this_thread::sleep_for(100ms);
        }
    }  // the burst ends: every slow connection is closed by the client

    size_t now = peak;
    const bool shrank = eventually(30s, [&] {
        now = proc_stats(stack.proxy_pid()).threads;
        return now <= before + 4;
    });
    EXPECT_TRUE(shrank) << "threads: " << before << " before the burst, " << peak << " at its peak, still " << now
                        << " 30 s after it ended";
}
