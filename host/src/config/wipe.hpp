// Zeroising of secret-bearing strings. Used by Secret and by the loader for the buffers that held
// the API key on its way into the Config (file text, TOML nodes, environment value documents).
#pragma once

#include <string>

namespace vep::host {

// Overwrites every byte `value` owns (its whole capacity) with zeros, then empties it.
void wipe_string(std::string &value);

}  // namespace vep::host
