// The `attest` CLI verb: verifies one attestation offline (`--evidence FILE` with the nonce and
// model it was fetched for, or a bare TDX quote with `--quote FILE`) or live (`--live MODEL`
// fetches from the configured upstream with a fresh nonce) through the configured verifier
// plugins and the host policy, exactly as the proxy would, and prints a one-line JSON report of
// every check that ran. Exit status 0 verified, 1 rejected or failed, 2 usage. Called by run_cli().
#pragma once

#include <string>
#include <vector>

namespace vep::host {

int run_attest_command(const std::vector<std::string> &args);

}  // namespace vep::host
