// venice-sim: a local Venice upstream with real E2EE, scenarios and faults (see sim/README.md).
// Parses the command line, starts a SimServer, prints its URL line, waits for SIGTERM/SIGINT.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include <pthread.h>

#include "vep/sdk.hpp"
#include "vep/sim/sim_server.hpp"

namespace {

constexpr const char *kUsage =
    "usage: venice-sim [--host HOST] [--port PORT] [--api-key KEY] [--plugin-dir DIR] [--cipher NAME]\n"
    "                  [--scenario-file FILE] [--threads N] [--keep-alive-ms MS] [--tls-cert FILE --tls-key FILE]\n"
    "                  [--latency-ms MS] [--debug-plaintext]\n"
    "  --host HOST           listen address (default 127.0.0.1)\n"
    "  --port PORT           listen port, 0 = ephemeral (default 0)\n"
    "  --api-key KEY         bearer token clients must send (default sim-key)\n"
    "  --plugin-dir DIR      directory of e2ee-<cipher>.so (default $ORIGIN/../lib/venice-e2ee-proxy/plugins)\n"
    "  --cipher NAME         cipher plugin name (default secp256k1)\n"
    "  --scenario-file FILE  JSON: {\"default\": {...}, \"models\": {\"<id>\": {...}}}\n"
    "  --threads N           HTTP worker threads (default 64)\n"
    "  --keep-alive-ms MS    idle keep-alive connections are closed after MS (default 5000)\n"
    "  --latency-ms MS       simulated network round trip: every /api/v1 answer starts MS later (default 0)\n"
    "  --tls-cert FILE       serve HTTPS with this PEM certificate (needs --tls-key)\n"
    "  --tls-key FILE        the certificate's PEM private key\n"
    "  --debug-plaintext     keep decrypted message texts in /_sim/requests (tests only)\n";

struct Usage {
    std::string message;
};

int to_int(const std::string &flag, const std::string &value) {
    try {
        size_t used = 0;
        const int v = std::stoi(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
        return v;
    } catch (const std::exception &) {
        throw Usage{flag + " needs an integer, got \"" + value + "\""};
    }
}

std::optional<vep::sim::SimOptions> parse(int argc, char **argv) {
    vep::sim::SimOptions o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") return std::nullopt;
        if (arg == "--debug-plaintext") {
            o.debug_plaintext = true;
            continue;
        }
        std::string value;
        if (const size_t eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            throw Usage{"missing value for " + arg};
        }
        if (arg == "--host") o.host = value;
        else if (arg == "--port") {
            const int port = to_int(arg, value);
            if (port < 0 || port > 65535) throw Usage{"--port must be within [0, 65535]"};
            o.port = static_cast<uint16_t>(port);
        } else if (arg == "--api-key") o.api_key = value;
        else if (arg == "--plugin-dir") o.plugin_dir = value;
        else if (arg == "--cipher") o.cipher = value;
        else if (arg == "--scenario-file") o.scenario_file = value;
        else if (arg == "--tls-cert") o.tls_cert_file = value;
        else if (arg == "--tls-key") o.tls_key_file = value;
        else if (arg == "--threads") o.threads = to_int(arg, value);
        else if (arg == "--keep-alive-ms") o.keep_alive_ms = to_int(arg, value);
        else if (arg == "--latency-ms") o.latency_ms = to_int(arg, value);
        else throw Usage{"unknown option " + arg};
    }
    return o;
}

}  // namespace

int main(int argc, char **argv) {
    std::optional<vep::sim::SimOptions> options;
    try {
        options = parse(argc, argv);
    } catch (const Usage &u) {
        std::cerr << "venice-sim: " << u.message << '\n' << kUsage;
        return 2;
    }
    if (!options) {
        std::cout << kUsage;
        return 0;
    }

    // Block the termination signals before any thread starts, then wait for them synchronously.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    try {
        vep::sim::SimServer server(std::move(*options));
        server.start();
        std::cout << "venice-sim listening on " << server.base_url() << std::endl;
        int received = 0;
        sigwait(&signals, &received);
        std::cerr << "venice-sim: signal " << received << ", shutting down\n";
        server.stop();
    } catch (const vep::Failure &e) {
        std::cerr << "venice-sim: " << e.code() << ": " << e.what() << '\n';
        return 1;
    } catch (const std::exception &e) {
        std::cerr << "venice-sim: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
