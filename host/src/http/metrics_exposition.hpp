// metrics_exposition(): the whole GET /metrics answer in the Prometheus text format (0.0.4) —
// every family of ProxyStats plus gauges read at scrape time (the concurrency gate, sessions open,
// draining, the models failing attestation) and the build (version, ABI version, the current generation's plugins). Names carry
// the `vep_` prefix and their unit (`_seconds`, `_total`). Labels hold only route paths, status
// and error codes, client key ids and model names (both capped), verifier, check and plugin names
// — never a prompt, an answer, a key or a nonce. Served by the admin listener.
#pragma once

#include <string>

#include "http/request_router.hpp"

namespace vep::host {

std::string metrics_exposition(const RouteServices &services);

// The Content-Type of the exposition.
inline constexpr const char *kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace vep::host
