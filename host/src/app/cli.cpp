// See cli.hpp.
#include "app/cli.hpp"

#include <iostream>
#include <string>

namespace vep::host {

int run_cli(int argc, char **argv) {
    if (argc >= 2 && std::string(argv[1]) == "--version") {
        std::cout << "venice-e2ee-proxy " << VEP_VERSION << "\n";
        return 0;
    }
    std::cerr << "usage: venice-e2ee-proxy <config.toml>\n";
    return 2;
}

}  // namespace vep::host
