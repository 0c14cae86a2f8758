// Zeroising of secret-bearing strings. Used by Secret and by the loader for the buffers that held
// the API key on its way into the Config (file text, TOML nodes, environment value documents).
#pragma once

#include <string>

namespace vep::host {

// Overwrites every byte `value` owns (its whole capacity) with zeros, then empties it.
void wipe_string(std::string &value);

// Zeroises a string that may hold the API key when the scope ends, however it ends.
struct WipeOnExit {
    std::string &text;
    ~WipeOnExit() { wipe_string(text); }
};

}  // namespace vep::host
