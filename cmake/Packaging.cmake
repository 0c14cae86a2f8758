# Debian packages: `cpack -G DEB` in the build folder makes
#   venice-e2ee-proxy_<version>_<arch>.deb   the proxy, its plugins, the service, config and docs
#   venice-e2ee-proxy-dev_<version>_all.deb  the plugin SDK (headers, CMake package config,
#                                            vep_add_plugin) with the example plugins
#   venice-e2ee-proxy-sim_<version>_<arch>.deb  venice-sim, the local Venice simulator (testing)
# from the install components `runtime`, `dev` and `sim`. Maintainer scripts, the systemd unit, the key
# file template, man pages and the package check (check-packages.sh) live in packaging/. Included
# once from the top-level CMakeLists.txt after every install() rule.

set(VEP_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(VEP_PACKAGE_NAME venice-e2ee-proxy)
set(VEP_PACKAGE_MAINTAINER "venice-e2ee-proxy maintainers <venice-e2ee-proxy@users.noreply.github.com>"
  CACHE STRING "Maintainer field of the Debian packages")

# vep_install_system_file(<file> <dir> [RENAME <name>] [SYSTEM_FILE <file>] COMPONENT <component>)
# Installs a file (mode 0644) whose home is outside the prefix on a Debian system (etc/...,
# lib/systemd/...). <dir> is relative to the file system root: with the prefix /usr (what cpack
# and the Debian layout use) it lands in /<dir>, as GNUInstallDirs does for /etc; with any other
# prefix in <prefix>/<dir>, so `cmake --install build --prefix ~/x` never writes outside ~/x.
# SYSTEM_FILE, when given, is installed instead of <file> with the prefix /usr.
function(vep_install_system_file file dir)
  cmake_parse_arguments(F "" "RENAME;SYSTEM_FILE;COMPONENT" "" ${ARGN})
  get_filename_component(name "${file}" NAME)
  if(F_RENAME)
    set(name "${F_RENAME}")
  endif()
  if(NOT F_SYSTEM_FILE)
    set(F_SYSTEM_FILE "${file}")
  endif()
  install(CODE "
    if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
      set(vep_system_root \"\")
      set(vep_source \"${F_SYSTEM_FILE}\")
    else()
      set(vep_system_root \"\${CMAKE_INSTALL_PREFIX}\")
      set(vep_source \"${file}\")
    endif()
    file(INSTALL DESTINATION \"\${vep_system_root}/${dir}\" TYPE FILE RENAME \"${name}\" FILES \"\${vep_source}\")
  " COMPONENT ${F_COMPONENT})
endfunction()

# vep_write_edited_file(<input> <output> <change>...)
# Writes <input> to <output> with each change "<line>|<replacement>" applied; a line that is no
# longer in <input> is a configure error, so the edits cannot silently go stale. At least one change.
function(vep_write_edited_file input output)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${input})
  file(READ ${input} text)
  set(text "\n${text}")  # so that the first line matches "\n<line>\n" too
  math(EXPR last "${ARGC} - 1")
  foreach(index RANGE 2 ${last})
    # ARGV<n>, not ARGN: a change may contain ";", which would split a list.
    set(change "${ARGV${index}}")
    string(FIND "${change}" "|" bar)
    string(SUBSTRING "${change}" 0 ${bar} from)
    math(EXPR after "${bar} + 1")
    string(SUBSTRING "${change}" ${after} -1 to)
    string(FIND "${text}" "\n${from}\n" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "Packaging: ${input} no longer contains the line '${from}'")
    endif()
    string(REPLACE "\n${from}\n" "\n${to}\n" text "${text}")
  endforeach()
  string(SUBSTRING "${text}" 1 -1 text)
  # Written beside CMake's own files, then copied only when it changed (keeps timestamps).
  get_filename_component(name ${output} NAME)
  file(WRITE ${PROJECT_BINARY_DIR}/CMakeFiles/vep-edited/${name} "${text}")
  configure_file(${PROJECT_BINARY_DIR}/CMakeFiles/vep-edited/${name} ${output} COPYONLY)
endfunction()

# The configuration of the system service (prefix /usr, the Debian package): config/default.toml
# with three service defaults changed — listen on loopback only and require client keys (the
# proxy spends the operator's Venice key for whoever can reach it), and write the attestation
# audit log into the service's LogsDirectory. Other prefixes get config/default.toml unchanged.
vep_write_edited_file(${PROJECT_SOURCE_DIR}/config/default.toml ${PROJECT_BINARY_DIR}/packaging/config.toml
  "host = \"0.0.0.0\"|# Installed default: loopback only; see the operator guide before widening it.\nhost = \"127.0.0.1\""
  "audit_log = \"\"|# Installed default: the service's LogsDirectory (rotated by /etc/logrotate.d/venice-e2ee-proxy).\naudit_log = \"/var/log/venice-e2ee-proxy/audit.jsonl\""
  "keys_file = \"\"|# Installed default: client keys required (the package creates the file with no keys). Add one with\n#   sudo -u venice-e2ee-proxy venice-e2ee-proxy keys add --keys-file /etc/venice-e2ee-proxy/keys/keys.json\n# then `sudo systemctl reload venice-e2ee-proxy`.\nkeys_file = \"/etc/venice-e2ee-proxy/keys/keys.json\"")

# The configuration of the container image (Dockerfile, /etc/venice-e2ee-proxy/config.toml):
# config/default.toml (listening on 0.0.0.0:8080 like the reference image) with client keys
# required from the keys volume, and the plugin volume searched after the bundled plugins.
vep_write_edited_file(${PROJECT_SOURCE_DIR}/config/default.toml ${PROJECT_BINARY_DIR}/packaging/container-config.toml
  "keys_file = \"\"|# Container image: client keys required, from the volume /var/lib/venice-e2ee-proxy/keys. Make one with\n#   docker run --rm -v vep-keys:/var/lib/venice-e2ee-proxy/keys IMAGE keys add --keys-file /var/lib/venice-e2ee-proxy/keys/keys.json\n# (see the operator guide, \"Run the container image\"), or set VENICE_E2EE_PROXY__AUTH__KEYS_FILE=\"\" and\n# VENICE_E2EE_PROXY__SERVER__ALLOW_UNAUTHENTICATED=true to serve without keys on purpose.\nkeys_file = \"/var/lib/venice-e2ee-proxy/keys/keys.json\""
  "directories = [\"$ORIGIN/../lib/venice-e2ee-proxy/plugins\"]|# Container image: the volume /var/lib/venice-e2ee-proxy/plugins holds extra plugins (name them in load).\ndirectories = [\"$ORIGIN/../lib/venice-e2ee-proxy/plugins\", \"/var/lib/venice-e2ee-proxy/plugins\"]")

# The template unit venice-e2ee-proxy@.service: the service unit, one replica per instance name,
# which is the port (venice-e2ee-proxy@8081 listens on 8081) and names its own audit log; for
# several replicas on one host behind a load balancer (deploy/haproxy).
vep_write_edited_file(${VEP_PACKAGING_DIR}/venice-e2ee-proxy.service ${PROJECT_BINARY_DIR}/packaging/venice-e2ee-proxy@.service
  "# venice-e2ee-proxy.service — installed by the venice-e2ee-proxy Debian package.|# venice-e2ee-proxy@.service — installed by the venice-e2ee-proxy Debian package: one replica per\n# instance, named by its port (`systemctl enable --now venice-e2ee-proxy@8081`), for several\n# replicas behind a load balancer (operator guide, \"Run replicas\"). Generated from\n# venice-e2ee-proxy.service; the shared config and key files are that unit's."
  "# Local changes belong in a drop-in (`systemctl edit venice-e2ee-proxy`), not in this file.|# Local changes belong in a drop-in (`systemctl edit venice-e2ee-proxy@`), not in this file."
  "Description=OpenAI-compatible gateway to Venice.ai end-to-end-encrypted TEE models|Description=venice-e2ee-proxy replica on port %i"
  "ExecStart=/usr/bin/venice-e2ee-proxy /etc/venice-e2ee-proxy/config.toml|Environment=VENICE_E2EE_PROXY__SERVER__PORT=%i\nEnvironment=VENICE_E2EE_PROXY__LOGGING__AUDIT_LOG=/var/log/venice-e2ee-proxy/audit-%i.jsonl\nExecStart=/usr/bin/venice-e2ee-proxy /etc/venice-e2ee-proxy/config.toml")

# Debian changelog and man pages, compressed reproducibly (gzip -n) as Debian wants them.
file(STRINGS ${VEP_PACKAGING_DIR}/changelog vep_changelog_head LIMIT_COUNT 1)
if(NOT vep_changelog_head MATCHES "^venice-e2ee-proxy \\(${PROJECT_VERSION}\\) ")
  message(WARNING "Packaging: packaging/changelog does not start with version ${PROJECT_VERSION}; add an entry")
endif()
foreach(doc IN ITEMS changelog venice-e2ee-proxy.1 venice-sim.1)
  configure_file(${VEP_PACKAGING_DIR}/${doc} ${PROJECT_BINARY_DIR}/packaging/${doc} COPYONLY)
  execute_process(COMMAND gzip -9nf ${PROJECT_BINARY_DIR}/packaging/${doc} RESULT_VARIABLE gzip_status)
  if(NOT gzip_status EQUAL 0)
    message(FATAL_ERROR "Packaging: gzip of packaging/${doc} failed")
  endif()
endforeach()

# ---- runtime: /usr/bin, /usr/lib/venice-e2ee-proxy/plugins (installed by host/ and plugins/) ----
vep_install_system_file(${PROJECT_SOURCE_DIR}/config/default.toml etc/venice-e2ee-proxy RENAME config.toml
  SYSTEM_FILE ${PROJECT_BINARY_DIR}/packaging/config.toml COMPONENT runtime)
vep_install_system_file(${VEP_PACKAGING_DIR}/venice-e2ee-proxy.logrotate etc/logrotate.d
  RENAME venice-e2ee-proxy COMPONENT runtime)
vep_install_system_file(${VEP_PACKAGING_DIR}/venice-e2ee-proxy.service lib/systemd/system COMPONENT runtime)
vep_install_system_file(${PROJECT_BINARY_DIR}/packaging/venice-e2ee-proxy@.service lib/systemd/system COMPONENT runtime)
install(FILES ${VEP_PACKAGING_DIR}/environment.template
  DESTINATION ${CMAKE_INSTALL_DATADIR}/venice-e2ee-proxy COMPONENT runtime)
install(FILES ${PROJECT_BINARY_DIR}/packaging/venice-e2ee-proxy.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
install(FILES ${VEP_PACKAGING_DIR}/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  ${PROJECT_SOURCE_DIR}/docs/operator-guide.md
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/venice-e2ee-proxy COMPONENT runtime)

# ---- dev: the SDK (installed by sdk/CMakeLists.txt) plus its guide and the example plugins ----
install(FILES ${VEP_PACKAGING_DIR}/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  ${PROJECT_SOURCE_DIR}/docs/plugin-author-guide.md
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/venice-e2ee-proxy-dev COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/venice-e2ee-proxy-dev/examples COMPONENT dev)

# ---- sim: venice-sim (installed by sim/CMakeLists.txt), its man page and the copyright ----
install(FILES ${PROJECT_BINARY_DIR}/packaging/venice-sim.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT sim)
install(FILES ${VEP_PACKAGING_DIR}/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/venice-e2ee-proxy-sim COMPONENT sim)

# ---- CPack ----
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${VEP_PACKAGE_NAME})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${VEP_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VENDOR "venice-e2ee-proxy")
# Each package's synopsis is the first line of its component description below. CPackDeb puts a
# summary in front unless it equals CPack's default summary, so that one is used.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev sim)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${VEP_PACKAGE_NAME})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION net)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
  ${VEP_PACKAGING_DIR}/postinst ${VEP_PACKAGING_DIR}/prerm ${VEP_PACKAGING_DIR}/postrm
  ${VEP_PACKAGING_DIR}/conffiles)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
  "OpenAI-compatible gateway to Venice.ai end-to-end-encrypted TEE models
Lets any OpenAI client talk to Venice.ai's end-to-end-encrypted models: the
proxy attests the model's enclave, encrypts every prompt to the attested key,
decrypts the streamed answer and emulates OpenAI tool calls.
.
Attestation policies, tool-call formats and cipher backends are plugins in
/usr/lib/venice-e2ee-proxy/plugins, swapped by editing the configuration and
reloading the service. Runs as the hardened systemd service
venice-e2ee-proxy.service; the Venice API key is read from
/etc/venice-e2ee-proxy/environment.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME ${VEP_PACKAGE_NAME}-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "cmake (>= 3.20), g++")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "${VEP_PACKAGE_NAME}")
set(CPACK_COMPONENT_DEV_DESCRIPTION
  "plugin SDK for venice-e2ee-proxy
Header-only C++ SDK for writing venice-e2ee-proxy plugins (cipher,
attestation, tool_format and filter): the C ABI header, the C++ base
classes, test fakes, and the CMake package VepSdk whose vep_add_plugin()
builds a loadable plugin out of tree with find_package(VepSdk).
.
Example plugins of every kind are in
/usr/share/doc/venice-e2ee-proxy-dev/examples.")

set(CPACK_DEBIAN_SIM_PACKAGE_NAME ${VEP_PACKAGE_NAME}-sim)
set(CPACK_DEBIAN_SIM_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_SIM_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_SIM_PACKAGE_SUGGESTS "${VEP_PACKAGE_NAME}")
set(CPACK_COMPONENT_SIM_DESCRIPTION
  "local Venice.ai simulator for testing venice-e2ee-proxy
venice-sim serves the Venice.ai API on a local port with real end-to-end
encryption and attestation evidence signed by its own test keys, plus
scripted scenarios and faults, so venice-e2ee-proxy can be tried and tested
without a Venice account. For testing only: its attestation proves nothing.")

include(CPack)
