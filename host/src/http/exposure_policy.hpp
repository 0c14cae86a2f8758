// check_exposure(): refuses a configuration that would let anyone who can reach the port spend
// the operator's Venice key — a listener on a non-loopback address with no client keys — unless
// server.allow_unauthenticated says so on purpose; and an admin listener on a non-loopback address
// without admin.token_file. The error names where the host was set and the ways out. Called wherever a configuration is about to serve: start-up, SIGHUP reload and
// `check-config` (app/).
#pragma once

#include "config/config.hpp"

namespace vep::host {

// Throws std::runtime_error when the configuration exposes an unauthenticated proxy or admin listener.
void check_exposure(const Config &config);

}  // namespace vep::host
