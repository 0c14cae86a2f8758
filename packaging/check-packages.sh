#!/usr/bin/env bash
# Builds the Debian packages from a configured and built build folder (default: build/), installs
# them on this machine, uses them the way an operator and a plugin author would, checks them with
# systemd-analyze and lintian, then purges them and checks that nothing is left behind.
# Run by .ci/run (step 5) as root or with sudo; needs nothing running as PID 1 (the service is
# never started). Usage: packaging/check-packages.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
user=venice-e2ee-proxy
config=/etc/venice-e2ee-proxy/config.toml
unit=/lib/systemd/system/venice-e2ee-proxy.service
template=/lib/systemd/system/venice-e2ee-proxy@.service

fail() {
  echo "check-packages: $*" >&2
  exit 1
}
note() { printf -- '--- %s\n' "$*"; }

# lintian checks the packages; systemd-analyze (package systemd) checks the unit offline.
missing=()
command -v lintian >/dev/null || missing+=(lintian)
command -v systemd-analyze >/dev/null || missing+=(systemd)
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

note "cpack -G DEB in $build"
rm -f "$build"/venice-e2ee-proxy_*.deb "$build"/venice-e2ee-proxy-dev_*.deb "$build"/venice-e2ee-proxy-sim_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
runtime_debs=("$build"/venice-e2ee-proxy_*.deb)
dev_debs=("$build"/venice-e2ee-proxy-dev_*.deb)
sim_debs=("$build"/venice-e2ee-proxy-sim_*.deb)
if [ ${#runtime_debs[@]} -ne 1 ] || [ ! -f "${runtime_debs[0]}" ]; then fail "expected one venice-e2ee-proxy_*.deb in $build"; fi
if [ ${#dev_debs[@]} -ne 1 ] || [ ! -f "${dev_debs[0]}" ]; then fail "expected one venice-e2ee-proxy-dev_*.deb in $build"; fi
if [ ${#sim_debs[@]} -ne 1 ] || [ ! -f "${sim_debs[0]}" ]; then fail "expected one venice-e2ee-proxy-sim_*.deb in $build"; fi
runtime_deb=${runtime_debs[0]}
dev_deb=${dev_debs[0]}
sim_deb=${sim_debs[0]}
version=$(dpkg-deb -f "$runtime_deb" Version)
[ "$(basename "$runtime_deb")" = "venice-e2ee-proxy_${version}_$(dpkg --print-architecture).deb" ] ||
  fail "unexpected package file name $(basename "$runtime_deb")"
dpkg-deb -f "$runtime_deb" Depends
runtime_files=$(dpkg-deb -c "$runtime_deb")
dev_files=$(dpkg-deb -c "$dev_deb")
grep -q '\./etc/venice-e2ee-proxy/config\.toml$' <<<"$runtime_files" || fail "config.toml is not in /etc"
grep -q '\./usr/share/man/man1/venice-e2ee-proxy\.1\.gz$' <<<"$runtime_files" || fail "man page missing"
grep -q '\./usr/share/cmake/VepSdk/VepSdkConfig\.cmake$' <<<"$dev_files" || fail "VepSdkConfig.cmake missing"
grep -q '\./lib/systemd/system/venice-e2ee-proxy@\.service$' <<<"$runtime_files" || fail "template unit missing"
sim_files=$(dpkg-deb -c "$sim_deb")
! grep -q 'venice-sim' <<<"$runtime_files" || fail "venice-sim is in the runtime package"
grep -q '\./usr/bin/venice-sim$' <<<"$sim_files" || fail "venice-sim is not in venice-e2ee-proxy-sim"
grep -q '\./usr/share/man/man1/venice-sim\.1\.gz$' <<<"$sim_files" || fail "venice-sim man page missing"
for deb in "$runtime_deb" "$dev_deb" "$sim_deb"; do
  dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/share/doc/*/copyright' | grep -x 'License: Apache-2.0' >/dev/null ||
    fail "$(basename "$deb") has no Apache-2.0 copyright file"
done

note "lintian"
lintian --fail-on error,warning "$runtime_deb" "$dev_deb" "$sim_deb"

note "apt-get install"
$sudo apt-get install -y -qq "$runtime_deb" "$dev_deb" "$sim_deb"
installed=/usr/bin/venice-e2ee-proxy
[ "$(command -v venice-e2ee-proxy)" = "$installed" ] || fail "venice-e2ee-proxy is not /usr/bin/venice-e2ee-proxy"
getent passwd "$user" >/dev/null || fail "system user $user was not created"
[ "$($sudo stat -c '%a %U %G' /etc/venice-e2ee-proxy/environment)" = "600 root root" ] ||
  fail "/etc/venice-e2ee-proxy/environment is not 0600 root:root"

[ "$($sudo stat -c '%a %U %G' /etc/venice-e2ee-proxy/keys/keys.json)" = "600 $user $user" ] ||
  fail "/etc/venice-e2ee-proxy/keys/keys.json is not 0600 $user:$user"
$sudo grep -qx 'keys_file = "/etc/venice-e2ee-proxy/keys/keys.json"' "$config" ||
  fail "the installed config does not require client keys"

note "keys add as root keeps the service user as the keys file's owner"
$sudo "$installed" keys add --keys-file /etc/venice-e2ee-proxy/keys/keys.json --id package-check >/dev/null
[ "$($sudo stat -c '%a %U' /etc/venice-e2ee-proxy/keys/keys.json)" = "600 $user" ] ||
  fail "keys add as root changed the keys file's owner or mode"
$sudo runuser -u "$user" -- "$installed" keys list --keys-file /etc/venice-e2ee-proxy/keys/keys.json |
  grep -q '^package-check' || fail "the service user cannot read the key added by root"

note "venice-e2ee-proxy --version"
"$installed" --version | grep -qx "venice-e2ee-proxy $version (plugin ABI [0-9]*\.[0-9]*)" ||
  fail "--version does not print $version"
"$installed" --version

note "check-config $config (as the service user)"
$sudo runuser -u "$user" -- "$installed" check-config "$config" >/dev/null

note "venice-sim from venice-e2ee-proxy-sim answers"
sim_log="$build/deb-sim.log"
/usr/bin/venice-sim --port 0 >"$sim_log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do grep -q 'listening on' "$sim_log" && break; sleep 0.1; done
sim_url=$(grep -o 'http://[^ ]*' "$sim_log" | head -1)
curl -fsS --max-time 10 -H "Authorization: Bearer sim-key" "$sim_url/models" | grep '"data"' >/dev/null || fail "the installed venice-sim does not answer /models"
kill "$sim_pid"
wait "$sim_pid" || true

note "plugins list --config $config"
"$installed" plugins list --config "$config" | tee "$build/deb-plugins-list.txt"
grep -q "^directory /usr/lib/venice-e2ee-proxy/plugins$" "$build/deb-plugins-list.txt" || fail "plugin directory is not /usr/lib/venice-e2ee-proxy/plugins"
! grep -q "^FAILED" "$build/deb-plugins-list.txt" || fail "a bundled plugin does not load"

note "example plugins built out of tree against the installed SDK"
examples_build="$build/deb-examples"
rm -rf "$examples_build"
for dir in "$root"/examples/*/; do
  name=$(basename "$dir")
  [ -f "$dir/CMakeLists.txt" ] || continue
  cmake -S "$dir" -B "$examples_build/$name" >/dev/null
  grep -qx "VepSdk_DIR:PATH=/usr/share/cmake/VepSdk" "$examples_build/$name/CMakeCache.txt" ||
    fail "$name did not find the installed SDK in /usr/share/cmake/VepSdk"
  cmake --build "$examples_build/$name" -j2 >/dev/null
  (cd "$examples_build/$name" && ctest --output-on-failure --no-tests=error)
  "$installed" plugins check "$examples_build/$name/$name.so"
done

# Offline: nothing needs to run as PID 1. --man=no: minimal images drop man pages (lintian checks ours).
# The template is verified through an instance, which also expands %i.
for checked in "$unit" venice-e2ee-proxy@8081.service; do
  note "systemd-analyze verify $checked"
  verify_output=$(systemd-analyze verify --man=no "$checked" 2>&1) || {
    echo "$verify_output"
    fail "systemd-analyze verify $checked failed"
  }
  if grep -q "venice-e2ee-proxy" <<<"$verify_output"; then
    echo "$verify_output"
    fail "systemd-analyze verify reported problems in $checked"
  fi
done
grep -qx 'Environment=VENICE_E2EE_PROXY__SERVER__PORT=%i' "$template" || fail "the template unit does not set the port"

note "apt-get purge"
$sudo apt-get purge -y -qq venice-e2ee-proxy venice-e2ee-proxy-dev venice-e2ee-proxy-sim
for pkg in venice-e2ee-proxy venice-e2ee-proxy-dev venice-e2ee-proxy-sim; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ -z "$status" ] || [ "$status" = not-installed ] || fail "$pkg is still $status after purge"
done
for path in /usr/bin/venice-e2ee-proxy /usr/bin/venice-sim /usr/lib/venice-e2ee-proxy /etc/venice-e2ee-proxy \
  /var/lib/venice-e2ee-proxy /var/log/venice-e2ee-proxy /usr/include/vep /usr/share/cmake/VepSdk \
  /usr/share/venice-e2ee-proxy /etc/logrotate.d/venice-e2ee-proxy "$unit" "$template" \
  /etc/systemd/system/venice-e2ee-proxy.service /etc/systemd/system/multi-user.target.wants/venice-e2ee-proxy.service; do
  if [ -e "$path" ] || [ -L "$path" ]; then fail "$path is left after purge"; fi
done
for state in /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked; do
  if [ -n "$(find "$state" -name '*venice-e2ee-proxy*' 2>/dev/null)" ]; then
    fail "deb-systemd-helper state is left after purge in $state"
  fi
done
owned=$($sudo find / -xdev -user "$user" -print 2>/dev/null | head -5 || true)
[ -z "$owned" ] || fail "files owned by $user are left after purge: $owned"
echo "packages OK: $(basename "$runtime_deb") $(basename "$dev_deb") $(basename "$sim_deb")"
