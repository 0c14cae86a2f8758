// Loads a cipher plugin (<plugin-dir>/e2ee-<name>.so) through its C ABI entry point and wraps it in
// the SDK's CipherClient. The returned client keeps the library and the host API table alive.
// Called once by SimServer's constructor.
#pragma once

#include <memory>
#include <string>

#include "vep/client.hpp"

namespace vep::sim {

// Throws vep::Failure("cipher_plugin_load_failed", ...) naming the file and the reason.
std::shared_ptr<vep::client::CipherClient> load_cipher_plugin(const std::string &plugin_dir,
                                                              const std::string &cipher_name);

}  // namespace vep::sim
