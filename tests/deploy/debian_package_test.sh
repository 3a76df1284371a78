#!/usr/bin/env bash
# debian_package_test.sh - the .deb cpack makes installs into a fresh
# Debian bookworm (a container of the local debian:bookworm-slim image)
# with its dependencies, puts every file where the systemd unit expects
# it, and goes away again with dpkg -r (the conffile stays) and dpkg -P.
#
# Usage: debian_package_test.sh BUILD_DIR REPO_DIR
# Exit status: 0 passed, 1 failed, 77 when docker cannot run here.
set -euo pipefail

build=$(cd "$1" && pwd)
repo=$(cd "$2" && pwd)

[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root" >&2; exit 77; }
set +e
"$repo/tests/containers/setup.sh"
status=$?
set -e
[ $status -eq 77 ] && exit 77
[ $status -eq 0 ] || { echo "FAILED: tests/containers/setup.sh" >&2; exit 1; }
# shellcheck source=../containers/env.sh
. "$repo/tests/containers/env.sh"
"$repo/deploy/docker/build-base.sh"

tmp=$(mktemp -d /var/tmp/vigil-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
(cd "$build" && cpack --config CPackConfig.cmake -B "$tmp" >"$tmp/cpack.log" 2>&1) ||
  { cat "$tmp/cpack.log" >&2; echo "FAILED: cpack" >&2; exit 1; }
deb=$(ls "$tmp"/vigil_*.deb)
echo "package: $(basename "$deb")"

fail() {
  echo "FAILED: $*" >&2
  exit 1
}
contents=$(dpkg-deb -c "$deb")
# Every built-in rule file of the repository.
rules=$(cd "$repo/rules" && ls ./*.yaml | sed 's|^\./|./usr/share/vigil/rules/|')
for f in ./usr/bin/vigil ./lib/systemd/system/vigil.service \
  ./etc/vigil/vigil.yaml $rules \
  ./usr/share/doc/vigil/deployment.md; do
  echo "$contents" | grep -q " $f\$" || fail "the package has no $f"
done
echo "$contents" | grep -q "/usr/etc\|/usr/local" && fail "a file under /usr/etc or /usr/local"
[ "$(dpkg-deb -f "$deb" Package)" = vigil ] || fail "the package is not named vigil"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libbpf1 libyaml-cpp0.7 libcurl4 libre2-9; do
  echo "$depends" | grep -q "$lib" || fail "Depends does not name $lib"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/vigil/vigil.yaml ||
  fail "/etc/vigil/vigil.yaml is not a conffile"

# In a fresh bookworm: install with the dependencies from the archive,
# follow the unit's paths, remove, purge.
$DOCKER run --rm --network=host -v "$tmp":/pkg:ro debian:bookworm-slim bash -euc '
fail() { echo "FAILED: $*" >&2; exit 1; }
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /pkg/'"$(basename "$deb")"' >/dev/null
unit=/lib/systemd/system/vigil.service
[ -f $unit ] || fail "no $unit"
exec_start=$(sed -n "s/^ExecStart=//p" $unit)
bin=${exec_start%% *}
config=$(echo "$exec_start" | sed -n "s/.*--config \([^ ]*\).*/\1/p")
echo "ExecStart: $exec_start"
[ "$bin" = /usr/bin/vigil ] || fail "ExecStart runs $bin"
[ -x "$bin" ] || fail "$bin is not installed"
[ "$config" = /etc/vigil/vigil.yaml ] || fail "--config $config"
[ -f "$config" ] || fail "$config is not installed"
"$bin" config check "$config" || fail "vigil config check $config"
"$bin" --version
[ -f /usr/share/vigil/rules/macros.yaml ] || fail "no rules"
"$bin" rules check /usr/share/vigil/rules || fail "vigil rules check"
dpkg -r vigil >/dev/null
for f in /usr/bin/vigil $unit /usr/share/vigil/rules/macros.yaml; do
  [ ! -e $f ] || fail "$f is still there after dpkg -r"
done
[ -f /etc/vigil/vigil.yaml ] || fail "dpkg -r removed the conffile"
dpkg -P vigil >/dev/null
[ ! -e /etc/vigil/vigil.yaml ] || fail "dpkg -P left /etc/vigil/vigil.yaml"
echo "installed, removed and purged"
'
