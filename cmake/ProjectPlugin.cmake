# vep_project_plugin(<target> SOURCES ... [LIBRARIES ...]): an in-tree plugin. Builds with the SDK's
# vep_add_plugin into ${VEP_PLUGIN_DIR}, installs to lib/venice-e2ee-proxy/plugins, and adds a
# ctest that loads it through the real host binary (`venice-e2ee-proxy plugins check FILE`).
function(vep_project_plugin target)
  vep_add_plugin(${target} ${ARGN} OUTPUT_DIRECTORY ${VEP_PLUGIN_DIR})
  install(TARGETS ${target} LIBRARY DESTINATION lib/venice-e2ee-proxy/plugins COMPONENT runtime)
  if(VEP_BUILD_TESTS)
    add_test(NAME plugin_check.${target} COMMAND venice-e2ee-proxy plugins check $<TARGET_FILE:${target}>)
  endif()
endfunction()

# vep_plugin_test(<name> SOURCES ... LIBRARIES ... [INCLUDES ...]): a gtest executable for one plugin's unit
# tests (nothing when VEP_BUILD_TESTS is off).
function(vep_plugin_test name)
  if(NOT VEP_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;LIBRARIES;INCLUDES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_include_directories(${name} PRIVATE ${T_INCLUDES})
  target_link_libraries(${name} PRIVATE vep::sdk GTest::gtest GTest::gtest_main ${T_LIBRARIES})
  target_compile_definitions(${name} PRIVATE VEP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()
