// tools-glm-xml.so: the plugin entry point for the "glm-xml" tool_format.
#include "vep/plugin.hpp"

#include "glm_xml_format.hpp"

VEP_PLUGIN(vep::tools::GlmXmlFormat, "glm-xml", "1.0.0",
           "GLM-4.7 XML tool calls (<arg_key>/<arg_value>) with a lenient Hermes fallback")
