// tools-qwen-xml.so: the plugin entry point for the "qwen-xml" tool_format.
#include "vep/plugin.hpp"

#include "qwen_xml_format.hpp"

VEP_PLUGIN(vep::tools::QwenXmlFormat, "qwen-xml", "1.0.0",
           "Qwen XML-wrapped JSON tool calls with a lenient Hermes fallback")
