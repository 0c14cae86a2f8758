# vep_add_plugin(<target> SOURCES <files...> [LIBRARIES <libs...>] [OUTPUT_DIRECTORY <dir>])
#
# Builds a venice-e2ee-proxy plugin: a MODULE library named <target>.so (no "lib" prefix) that
# exports only `vep_plugin_entry` (version script), hides every other symbol, and links with
# -z defs so that a missing dependency is a link error rather than a load-time surprise.
# Shipped with the SDK (find_package(VepSdk)) and used by the in-tree plugins alike.
set(VEP_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/plugin.map" CACHE INTERNAL "")

function(vep_add_plugin target)
  cmake_parse_arguments(P "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIRECTORY}")
  endif()
  target_link_libraries(${target} PRIVATE vep::sdk ${P_LIBRARIES})
  target_link_options(${target} PRIVATE "LINKER:--version-script=${VEP_PLUGIN_VERSION_SCRIPT}")
  # Sanitizer runtimes are resolved from the executable, so -z defs only holds without them.
  if(NOT VEP_SANITIZE)
    target_link_options(${target} PRIVATE "LINKER:-z,defs")
  endif()
endfunction()
