// The `plugins` CLI verbs: `plugins list [--config FILE]` loads every .so in the plugin
// directories and prints what loads (name, kind, version, ABI) and why the others do not;
// `plugins check FILE` does the same for one file. Exit status 0 when everything loaded, 1
// otherwise. Called by run_cli().
#pragma once

#include <string>
#include <vector>

namespace vep::host {

int run_plugins_command(const std::vector<std::string> &args);

}  // namespace vep::host
