// See cli.hpp.
#include "app/cli.hpp"

#include <iostream>
#include <string>
#include <vector>

#include "app/attest_command.hpp"
#include "app/config_commands.hpp"
#include "app/keys_command.hpp"
#include "app/plugin_commands.hpp"
#include "app/proxy_app.hpp"
#include "vep/abi.h"

namespace vep::host {
namespace {

void print_help() {
    std::cout << "venice-e2ee-proxy " << VEP_VERSION
              << " — OpenAI-compatible gateway to Venice.ai end-to-end-encrypted TEE models\n\n"
                 "usage:\n"
                 "  venice-e2ee-proxy [config.toml] [--daemon] [--pidfile=FILE]   run the server; without a file\n"
                 "                                                  on the defaults and the environment\n"
                 "  venice-e2ee-proxy check-config <config.toml>    validate the config, load its plugins,\n"
                 "                                                  print the effective config (key redacted)\n"
                 "  venice-e2ee-proxy plugins list [--config FILE]  show which plugins load and why not\n"
                 "  venice-e2ee-proxy plugins check <plugin.so>     load one plugin file and report\n"
                 "  venice-e2ee-proxy attest --evidence FILE --nonce HEX --model ID [--config FILE]\n"
                 "  venice-e2ee-proxy attest --quote FILE --nonce HEX [--signing-address HEX] [--config FILE]\n"
                 "  venice-e2ee-proxy attest --live MODEL [--config FILE]\n"
                 "  venice-e2ee-proxy keys add|list|revoke --keys-file FILE ...\n"
                 "                                                  manage client keys ([auth] keys_file)\n"
                 "                                                  verify an attestation; prints a JSON report\n"
                 "  venice-e2ee-proxy --version | --help\n\n"
                 "Settings can be overridden with VENICE_E2EE_PROXY__SECTION__KEY environment variables\n"
                 "(e.g. VENICE_E2EE_PROXY__VENICE__API_KEY). Signals: SIGHUP reloads the configuration,\n"
                 "SIGTERM/SIGINT drain in-flight requests and stop.\n";
}

}  // namespace

int run_cli(int argc, char **argv) {
    block_server_signals();
    std::vector<std::string> args(argv + 1, argv + argc);
    const std::string verb = args.empty() ? std::string() : args[0];
    if (verb == "--version" || verb == "-V") {
        std::cout << "venice-e2ee-proxy " << VEP_VERSION << " (plugin ABI " << VEP_ABI_MAJOR << "." << VEP_ABI_MINOR
                  << ")\n";
        return 0;
    }
    if (verb == "--help" || verb == "-h") {
        print_help();
        return 0;
    }
    if (verb == "check-config") return run_check_config(std::vector<std::string>(args.begin() + 1, args.end()));
    if (verb == "attest") return run_attest_command(std::vector<std::string>(args.begin() + 1, args.end()));
    if (verb == "keys") return run_keys_command(std::vector<std::string>(args.begin() + 1, args.end()));
    if (verb == "plugins") return run_plugins_command(std::vector<std::string>(args.begin() + 1, args.end()));
    ProxyApp app;
    return app.run(argc, argv);
}

}  // namespace vep::host
