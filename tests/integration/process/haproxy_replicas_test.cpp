// Three proxy replicas (started on the environment alone) and venice-sim behind a real HAProxy
// running deploy/haproxy/haproxy.cfg unchanged. Concurrent streams with and without session ids
// run while one replica gets SIGTERM. Checks: no stream failed or was cut; a session's requests
// stayed on one replica until that replica drained (the other sessions never moved), and settled
// on one other replica once it was gone; requests started after the SIGTERM never reached the
// draining replica (those HAProxy still sent it were refused with 503 and retried elsewhere); the
// others took the new requests; the drained replica exited 0 without cutting a stream. Needs
// /usr/sbin/haproxy (Debian package haproxy; scripts/setup.sh installs it).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include <Poco/String.h>

#include "proxy_stack.hpp"

using namespace vep::test;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kHaproxy = "/usr/sbin/haproxy";
const std::string kHaproxyConfig = std::string(VEP_SOURCE_DIR) + "/deploy/haproxy/haproxy.cfg";
const std::string kReplicaHeader = "X-Venice-Proxy-Replica";
constexpr int kChunks = 12;
constexpr int kChunkBytes = 4;

// A TCP port on 127.0.0.1 that was free a moment ago (for HAProxy's frontend).
uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        throw std::runtime_error("cannot find a free port");
    ::close(fd);
    return ntohs(addr.sin_port);
}

// One finished request through the load balancer.
struct Record {
    std::string session;  // "" when sent without a session id
    Clock::time_point start;
    Clock::time_point end;
    int status = 0;
    std::string replica;
    bool complete = false;  // the whole answer arrived, up to data: [DONE]
    std::string error;
};

// A paced stream of kChunks chunks, 100 ms apart.
const std::string kChatBody =
    R"({"model":"e2ee-qwen3-235b-a22b-p","stream":true,"messages":[{"role":"user","content":"sim:scenario=long chunks=)" +
    std::to_string(kChunks) + " chunk_bytes=" + std::to_string(kChunkBytes) + R"( interval_ms=100"}]})";

Record one_request(uint16_t lb_port, const std::string &session) {
    Record r;
    r.session = session;
    r.start = Clock::now();
    try {
        std::map<std::string, std::string> headers;
        if (!session.empty()) headers["X-Venice-Proxy-Session-Id"] = session;
        const Result result = http(lb_port, "POST", "/v1/chat/completions", kChatBody, headers);
        r.status = result.status;
        for (const auto &[name, value] : result.headers)
            if (Poco::icompare(name, kReplicaHeader) == 0) r.replica = value;
        r.complete = result.body.find("data: [DONE]") != std::string::npos &&
                     streamed_content(result.body).size() == static_cast<size_t>(kChunks * kChunkBytes);
        if (!r.complete) r.error = result.body.substr(0, 300);
    } catch (const std::exception &e) {
        r.error = e.what();
    }
    r.end = Clock::now();
    return r;
}

std::string describe(const Record &r, Clock::time_point t0) {
    const auto ms = [&](Clock::time_point t) {
        return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(t - t0).count());
    };
    return "[" + (r.session.empty() ? std::string("anonymous") : r.session) + " " + ms(r.start) + "-" + ms(r.end) +
           "ms status " + std::to_string(r.status) + " on " + r.replica + (r.error.empty() ? "" : " error " + r.error) + "]";
}

}  // namespace

TEST(HaproxyReplicas, SessionsStayOnAReplicaAndADrainingReplicaLosesNothing) {
    ASSERT_TRUE(std::filesystem::exists(kHaproxy)) << "install haproxy (Debian package haproxy; scripts/setup.sh)";
    ChildProcess sim(kSim, {"--port", "0"});
    const auto sim_line = sim.wait_for_line("listening on", 30s);
    ASSERT_TRUE(sim_line.has_value()) << sim.output();
    const std::string sim_url = sim_line->substr(sim_line->find("http"));

    std::vector<std::unique_ptr<ChildProcess>> replicas;
    std::map<std::string, std::string> haproxy_env;
    for (int i = 1; i <= 3; ++i) {
        replicas.push_back(std::make_unique<ChildProcess>(
            kProxy, std::vector<std::string>{},
            std::map<std::string, std::string>{{"VENICE_E2EE_PROXY__VENICE__BASE_URL", sim_url},
                                               {"VENICE_E2EE_PROXY__VENICE__API_KEY", "sim-key"},
                                               {"VENICE_E2EE_PROXY__SERVER__HOST", "127.0.0.1"},
                                               {"VENICE_E2EE_PROXY__SERVER__PORT", "0"},
                                               {"VENICE_E2EE_PROXY__SERVER__SHUTDOWN_GRACE", "15s"}}));
        const auto line = replicas.back()->wait_for_line("listening on", 30s);
        ASSERT_TRUE(line.has_value()) << replicas.back()->output();
        haproxy_env["VEP_REPLICA_" + std::to_string(i)] = "127.0.0.1:" + std::to_string(port_of(*line));
    }
    const uint16_t lb_port = free_port();
    haproxy_env["VEP_LB_BIND"] = "127.0.0.1:" + std::to_string(lb_port);
    ChildProcess haproxy(kHaproxy, {"-db", "-f", kHaproxyConfig}, haproxy_env);
    bool lb_up = false;
    for (int attempt = 0; attempt < 100 && !lb_up; ++attempt) {
        try {
            lb_up = http(lb_port, "GET", "/healthz").status == 200;
        } catch (const std::exception &) {
            std::this_thread::sleep_for(100ms);
        }
    }
    ASSERT_TRUE(lb_up) << haproxy.output();

    // Six sessions and three anonymous clients, each sending one stream after the other.
    const auto t0 = Clock::now();
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<Record> records;
    std::vector<std::thread> clients;
    // Stops and joins the clients on every way out of the test, an early ASSERT included.
    struct Joiner {
        std::atomic<bool> &stop;
        std::vector<std::thread> &threads;
        ~Joiner() {
            stop = true;
            for (auto &t : threads)
                if (t.joinable()) t.join();
        }
    } joiner{stop, clients};
    std::vector<std::string> sessions;
    for (int i = 0; i < 6; ++i) sessions.push_back("session-" + std::to_string(i));
    std::vector<std::string> senders = sessions;
    for (int i = 0; i < 3; ++i) senders.emplace_back();
    // Staggered starts, so that streams are open on every replica at any moment.
    for (size_t i = 0; i < senders.size(); ++i)
        clients.emplace_back([&, session = senders[i], delay = i * 130ms] {
            std::this_thread::sleep_for(delay);
            while (!stop) {
                Record r = one_request(lb_port, session);
                std::lock_guard lock(mutex);
                records.push_back(std::move(r));
            }
        });

    // After every session has finished a request, the victim is the replica of session-0.
    std::string victim;
    std::vector<std::string> victim_sessions;
    for (const auto deadline = Clock::now() + 30s; victim.empty() && Clock::now() < deadline;) {
        std::this_thread::sleep_for(100ms);
        std::lock_guard lock(mutex);
        std::map<std::string, std::string> replica_of;
        for (const Record &r : records)
            if (!r.session.empty() && r.status == 200 && !r.replica.empty()) replica_of[r.session] = r.replica;
        if (replica_of.size() < sessions.size() || Clock::now() - t0 < 2500ms) continue;
        victim = replica_of["session-0"];
        for (const auto &[session, replica] : replica_of)
            if (replica == victim) victim_sessions.push_back(session);
    }
    ASSERT_FALSE(victim.empty()) << "not every session finished a request: "
                                 << (records.empty() ? std::string("none at all") : describe(records.front(), t0));
    const size_t victim_index = static_cast<size_t>(victim.back() - '1');
    ASSERT_LT(victim_index, replicas.size()) << victim;
    const auto sigterm_at = Clock::now();
    replicas[victim_index]->signal(SIGTERM);
    // Requests of the victim's sessions right after the SIGTERM: HAProxy takes a replica out after
    // two failed /healthz checks a second apart, so it still counts the victim in; the victim
    // refuses them with 503 (it is draining) and HAProxy must retry them on another replica.
    std::this_thread::sleep_for(20ms);
    std::vector<std::future<Record>> probes;
    for (const std::string &session : victim_sessions)
        probes.push_back(std::async(std::launch::async, [&, session] { return one_request(lb_port, session); }));
    std::vector<Record> probe_records;
    for (auto &probe : probes) probe_records.push_back(probe.get());
    const auto exit_status = replicas[victim_index]->wait_exit(30s);
    const auto exited_at = Clock::now();
    std::this_thread::sleep_for(4s);  // new requests after the replica is gone
    stop = true;
    for (auto &client : clients) client.join();

    ASSERT_TRUE(exit_status.has_value()) << replicas[victim_index]->output();
    EXPECT_EQ(*exit_status, 0) << replicas[victim_index]->output();
    EXPECT_THAT(replicas[victim_index]->output(), Not(HasSubstr("were cut off")));

    std::map<std::string, std::vector<const Record *>> by_session;
    size_t drained_on_victim = 0;
    std::set<std::string> replicas_after_exit;
    for (const Record &r : records) {
        EXPECT_EQ(r.status, 200) << describe(r, t0);
        EXPECT_TRUE(r.complete) << describe(r, t0);
        // 100 ms for the signal to reach the replica and its drain to begin.
        if (r.start > sigterm_at + 100ms) {
            EXPECT_NE(r.replica, victim) << describe(r, t0);
        }
        if (r.replica == victim && r.start < sigterm_at && r.end > sigterm_at) ++drained_on_victim;
        if (r.start > exited_at) replicas_after_exit.insert(r.replica);
        if (!r.session.empty()) by_session[r.session].push_back(&r);
    }
    EXPECT_GE(drained_on_victim, 1u) << "no stream was open on " << victim << " when it got SIGTERM";
    for (const Record &probe : probe_records) {
        EXPECT_EQ(probe.status, 200) << "right after the SIGTERM " << describe(probe, t0);
        EXPECT_TRUE(probe.complete) << describe(probe, t0);
        EXPECT_NE(probe.replica, victim) << describe(probe, t0);
    }
    EXPECT_EQ(replicas_after_exit.size(), 2u) << "new requests should go to both remaining replicas";

    // A session stays on its replica; the victim's sessions land elsewhere from the SIGTERM on
    // (while the victim drains, a retried request may go to either other replica) and, once the
    // victim is gone, stay on the one replica the hash now picks.
    size_t moved_sessions = 0;
    for (const auto &[session, list] : by_session) {
        std::set<std::string> before, during, after;
        for (const Record *r : list) {
            if (r->start < sigterm_at) before.insert(r->replica);
            else if (r->start > sigterm_at + 100ms && r->start < exited_at) during.insert(r->replica);
            else if (r->start > exited_at) after.insert(r->replica);
        }
        ASSERT_EQ(before.size(), 1u) << session << " was served by several replicas before the SIGTERM";
        ASSERT_EQ(after.size(), 1u) << session << " was served by several replicas after the victim stopped";
        if (*before.begin() == victim) {
            ++moved_sessions;
            EXPECT_NE(*after.begin(), victim) << session;
        } else {
            EXPECT_EQ(*after.begin(), *before.begin()) << session << " moved although its replica kept serving";
            EXPECT_TRUE(during.empty() || during == before) << session << " moved while " << victim << " drained";
        }
    }
    EXPECT_EQ(by_session.size(), sessions.size());
    EXPECT_GE(moved_sessions, 1u);

    haproxy.signal(SIGTERM);
    EXPECT_TRUE(haproxy.wait_exit(10s).has_value());
    for (auto &replica : replicas) replica->signal(SIGTERM);
    for (auto &replica : replicas) replica->wait_exit(20s);
}
