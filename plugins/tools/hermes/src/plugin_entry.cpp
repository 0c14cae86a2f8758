// tools-hermes.so: the plugin entry point for the "hermes" tool_format.
#include "vep/plugin.hpp"

#include "hermes_format.hpp"

VEP_PLUGIN(vep::tools::HermesFormat, "hermes", "1.0.0",
           "Hermes-style JSON tool calls inside <tool_call> markers (lenient parser)")
