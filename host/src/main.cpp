// venice-e2ee-proxy entry point: dispatches CLI verbs, else runs the server application.
#include "app/cli.hpp"

int main(int argc, char **argv) { return vep::host::run_cli(argc, argv); }
