// See metrics_exposition.hpp.
#include "http/metrics_exposition.hpp"

#include "plugin/plugin_loader.hpp"
#include "stats/prometheus_text.hpp"
#include "vep/abi.h"

namespace vep::host {
namespace {

void write_build(PrometheusText &out, const Generation *generation) {
    out.family("vep_build_info", "The proxy's version and plugin ABI version.", "gauge");
    out.sample("vep_build_info",
               {{"version", VEP_VERSION},
                {"abi_version", std::to_string(VEP_ABI_MAJOR) + "." + std::to_string(VEP_ABI_MINOR)}},
               uint64_t{1});
    out.family("vep_plugin_info", "Plugins the serving configuration loaded, with their versions.", "gauge");
    if (!generation) return;
    for (const auto &plugin : generation->plugins().all())
        out.sample("vep_plugin_info",
                   {{"name", plugin->name},
                    {"kind", kind_name(plugin->kind)},
                    {"version", plugin->version},
                    {"abi_version", std::to_string(plugin->abi_major) + "." + std::to_string(plugin->abi_minor)}},
                   uint64_t{1});
}

void write_config(PrometheusText &out, const ConfigCounters &config, bool draining) {
    out.gauge("vep_config_generation", "The configuration generation serving: 1 at start-up, +1 per reload.",
              static_cast<double>(config.generation.load()));
    out.counter("vep_config_reloads_total", "Reloads (SIGHUP or POST /admin/reload) that took effect.",
                config.reloads.load());
    out.counter("vep_config_reload_failures_total", "Reloads refused; the running configuration kept serving.",
                config.reload_failures.load());
    out.gauge("vep_draining", "1 while the proxy drains for shutdown.", draining ? 1.0 : 0.0);
}

void write_requests(PrometheusText &out, const RouteServices &s) {
    const ProxyStats &stats = s.stats;
    out.counters("vep_requests_total", "Requests answered, by route, HTTP status and error code.",
                 stats.requests.by_route);
    out.gauge("vep_requests_in_flight", "Requests being handled or relayed now.",
              static_cast<double>(stats.requests_in_flight.load()));
    out.gauge("vep_chat_streams_active", "Chat requests holding a concurrency slot.",
              static_cast<double>(s.gate.active()));
    out.gauge("vep_chat_streams_limit", "Chat requests answered at once before 503 server_overloaded.",
              static_cast<double>(s.gate.limit()));
}

void write_chat(PrometheusText &out, const ChatCounters &chat) {
    out.counters("vep_chat_requests_total",
                 "Chat requests completed, by client key id, model and outcome (succeeded, failed, client_gone); "
                 "key and model values past their caps are \"other\".",
                 chat.by_key_model);
    out.counter("vep_chat_upstream_attempts_total", "Upstream chat attempts opened (first attempts and retries).",
                chat.upstream_attempts.load());
    out.counter("vep_chat_tool_retries_total", "Tool-call correction attempts.", chat.tool_retries.load());
    out.counter("vep_chat_chunks_relayed_total", "Streamed chunks handed to clients.", chat.chunks_relayed.load());
    out.counter("vep_chat_decrypt_failures_total", "Answers failed because an upstream chunk did not decrypt.",
                chat.decrypt_failures.load());
    out.counter("vep_chat_reattestations_total",
                "Chat requests whose session was attested anew (Venice refused the key, or attestation.max_age).",
                chat.reattestations.load());
    out.counter("vep_chat_tee_only_total", "Chat requests of models the operator configured tee-only (no E2EE).",
                chat.tee_only.load());
    out.family("vep_chat_time_to_first_byte_seconds",
               "From the request's arrival to the first answer byte handed to the client.", "histogram");
    out.histogram("vep_chat_time_to_first_byte_seconds", {{"stream", "true"}}, chat.ttfb_streamed.snapshot());
    out.histogram("vep_chat_time_to_first_byte_seconds", {{"stream", "false"}}, chat.ttfb_buffered.snapshot());
    out.family("vep_chat_duration_seconds", "From the request's arrival to the end of its answer.", "histogram");
    out.histogram("vep_chat_duration_seconds", {{"stream", "true"}}, chat.duration_streamed.snapshot());
    out.histogram("vep_chat_duration_seconds", {{"stream", "false"}}, chat.duration_buffered.snapshot());
}

void write_relay_and_sessions(PrometheusText &out, const ProxyStats &stats, const Generation *generation) {
    out.gauge("vep_relay_answers_open", "Answers being relayed now.", static_cast<double>(stats.relay.open.load()));
    out.gauge("vep_relay_connections_kept_alive",
              "Client connections whose answer ended and that wait on the relay for their next request.",
              static_cast<double>(stats.relay.kept_alive.load()));
    out.gauge("vep_relay_answers_paused", "Relayed answers whose upstream reads are paused (slow client).",
              static_cast<double>(stats.relay.paused.load()));
    out.counter("vep_relay_pauses_total", "Times an answer's upstream reads were paused.", stats.relay.pauses.load());
    out.gauge("vep_sessions_open", "Sessions held by the serving configuration.",
              generation ? static_cast<double>(generation->sessions().size()) : 0.0);
    out.counter("vep_sessions_evicted_total", "Sessions evicted beyond session.max_sessions.",
                stats.sessions.evicted.load());
}

// The connection pool's traffic (process-wide: it survives reloads) and the serving
// configuration's idle connections.
void write_upstream_pool(PrometheusText &out, const UpstreamCounters &c, const Generation *generation) {
    out.counter("vep_upstream_connections_opened_total", "New connections to Venice (TCP connect and TLS handshake).",
                c.opened.load());
    out.counter("vep_upstream_connections_reused_total", "Requests sent on a pooled keep-alive connection.",
                c.reused.load());
    out.counter("vep_upstream_tls_resumed_total", "New TLS connections to Venice that resumed a session.",
                c.resumed.load());
    out.counter("vep_upstream_connections_dropped_total",
                "Pooled connections closed unused: expired, closed by Venice, or failed when sending.",
                c.dropped.load());
    out.gauge("vep_upstream_connections_idle", "Keep-alive connections waiting in the pool.",
              generation ? static_cast<double>(generation->venice().pool().idle()) : 0.0);
}

// The models whose latest attestation under the serving configuration was rejected: how many,
// and one series per model (the first kMaxModelLabels by name).
void write_failing_models(PrometheusText &out, const Generation *generation) {
    const std::vector<std::string> failing =
        generation ? generation->attestation().failing_models() : std::vector<std::string>();
    out.gauge("vep_attestation_models_failing",
              "Models whose latest attestation under the serving configuration was rejected.",
              static_cast<double>(failing.size()));
    out.family("vep_attestation_model_failing",
               "1 for each model whose latest attestation under the serving configuration was rejected (at most "
               "50 models, by name).",
               "gauge");
    for (size_t i = 0; i < failing.size() && i < kMaxModelLabels; ++i)
        out.sample("vep_attestation_model_failing", {{"model", failing[i]}}, uint64_t{1});
}

void write_attestation_and_upstream(PrometheusText &out, const ProxyStats &stats) {
    out.counters("vep_attestation_checks_total", "Attestation checks run, by verifier, check and outcome (pass, fail).",
                 stats.attestation.checks);
    out.counters("vep_attestation_rounds_total", "Attestation rounds, by outcome (verified, rejected) and error code.",
                 stats.attestation.rounds);
    out.counters("vep_receipt_checks_total",
                 "Signed response records (receipts) checked, by mode (audit, require) and outcome (verified, "
                 "failed, fetch_failed, skipped).",
                 stats.attestation.receipts);
    out.family("vep_attestation_fetch_seconds", "Time to fetch attestation evidence from Venice.", "histogram");
    out.histogram("vep_attestation_fetch_seconds", {}, stats.attestation.fetch_seconds.snapshot());
    out.family("vep_upstream_connect_seconds", "TCP connect time to Venice.", "histogram");
    out.histogram("vep_upstream_connect_seconds", {}, stats.upstream.connect_seconds.snapshot());
    out.family("vep_upstream_tls_handshake_seconds", "TLS handshake time with Venice.", "histogram");
    out.histogram("vep_upstream_tls_handshake_seconds", {}, stats.upstream.tls_handshake_seconds.snapshot());
    out.counters("vep_tool_calls_total",
                 "Tool-emulated chat requests, by tool format and outcome (parsed: valid on the first attempt, "
                 "corrected: valid after correction retries, failed: invalid_tool_call).",
                 stats.tools.outcomes);
}

}  // namespace

std::string metrics_exposition(const RouteServices &services) {
    const auto generation = services.generations.current();
    PrometheusText out;
    write_build(out, generation.get());
    write_config(out, services.stats.config, services.guard.draining());
    write_requests(out, services);
    write_chat(out, services.stats.chat);
    write_relay_and_sessions(out, services.stats, generation.get());
    write_attestation_and_upstream(out, services.stats);
    write_failing_models(out, generation.get());
    write_upstream_pool(out, services.stats.upstream, generation.get());
    return out.text();
}

}  // namespace vep::host
