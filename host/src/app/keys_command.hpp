// `venice-e2ee-proxy keys add|list|revoke --keys-file FILE`: manages the client keys file
// (auth/client_keys.hpp). `add [--label L] [--models m1,m2] [--id ID] [--rpm N] [--max-streams N]`
// creates a key and prints its
// secret once (only its SHA-256 is stored); `list` shows ids, labels and allowed models; `revoke ID`
// removes a key (a running proxy drops it on SIGHUP). Called by run_cli().
#pragma once

#include <string>
#include <vector>

namespace vep::host {

// Exit status: 0 done, 1 failed (reason on stderr), 2 bad usage.
int run_keys_command(const std::vector<std::string> &args);

}  // namespace vep::host
