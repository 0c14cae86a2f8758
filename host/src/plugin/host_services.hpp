// The vep_host_api this process hands to every plugin: logging into "plugin.<name>" loggers and
// the wall clock. One static instance, owned here, alive for the whole process (plugins keep the
// pointer). Used by PluginLoader.
#pragma once

#include "vep/abi.h"

namespace vep::host {

const vep_host_api *host_services();

}  // namespace vep::host
