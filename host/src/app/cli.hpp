// The command line: `venice-e2ee-proxy <config.toml>` runs the server; verbs (`check-config`,
// `plugins list|check`, `attest`, `--version`, `--help`) run once and exit. Called by main().
#pragma once

namespace vep::host {

int run_cli(int argc, char **argv);

}  // namespace vep::host
