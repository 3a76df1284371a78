#!/usr/bin/env bash
# setup.sh - makes real podman and Docker containers possible for vigil's
# runtime tests, without any image registry: installs podman, runc,
# docker.io and busybox-static, builds a busybox root filesystem, imports
# it as the image vigil-test-busybox into podman and into a dockerd of its
# own (own data root, socket and pidfile), started in the background when
# it is not running yet. Idempotent; tests/containers/teardown.sh undoes
# the daemon and the images.
#
# Exit status: 0 ready; 77 when it cannot be made ready here (not root,
# no apt-get, a daemon that does not start), with the reason on stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"

skip() {
  echo "setup.sh: $*" >&2
  exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root"

install_packages() {
  local missing=""
  for p in podman runc docker.io busybox-static; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
      missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  command -v apt-get >/dev/null || skip "no apt-get to install$missing"
  echo "installing:$missing" >&2
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends $missing >&2
}

build_rootfs() {
  local tar="$VIGIL_WORK/busybox-rootfs.tar"
  [ -s "$tar" ] && return 0
  local dir="$VIGIL_WORK/rootfs"
  rm -rf "$dir"
  mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/proc" "$dir/sys" "$dir/dev"
  cp /bin/busybox "$dir/bin/busybox"
  chroot "$dir" /bin/busybox --install -s /bin
  echo "root:x:0:0:root:/root:/bin/sh" >"$dir/etc/passwd"
  echo "root:x:0:" >"$dir/etc/group"
  tar -C "$dir" -cf "$tar.tmp" .
  mv "$tar.tmp" "$tar"
}

import_podman() {
  podman image exists "$VIGIL_TEST_IMAGE" && return 0
  podman import --quiet "$VIGIL_WORK/busybox-rootfs.tar" \
    "$VIGIL_TEST_IMAGE" >/dev/null
}

dockerd_running() {
  [ -s "$VIGIL_DOCKER_PIDFILE" ] &&
    kill -0 "$(cat "$VIGIL_DOCKER_PIDFILE")" 2>/dev/null &&
    $DOCKER version >/dev/null 2>&1
}

start_dockerd() {
  dockerd_running && return 0
  mkdir -p "$VIGIL_DOCKER_ROOT" "$VIGIL_DOCKER_EXEC_ROOT"
  # Backgrounded with its own session: it outlives this script and is
  # stopped by teardown.sh through its pidfile.
  setsid dockerd --iptables=false --ip6tables=false --bridge=none \
    --storage-driver=overlay2 --data-root="$VIGIL_DOCKER_ROOT" \
    --exec-root="$VIGIL_DOCKER_EXEC_ROOT" --pidfile="$VIGIL_DOCKER_PIDFILE" \
    -H "unix://$VIGIL_DOCKER_SOCKET" >>"$VIGIL_DOCKER_LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    dockerd_running && return 0
    sleep 0.5
  done
  skip "dockerd did not start; see $VIGIL_DOCKER_LOG"
}

import_docker() {
  $DOCKER image inspect "$VIGIL_TEST_IMAGE" >/dev/null 2>&1 && return 0
  $DOCKER import "$VIGIL_WORK/busybox-rootfs.tar" "$VIGIL_TEST_IMAGE" \
    >/dev/null
}

mkdir -p "$VIGIL_WORK"
install_packages
build_rootfs
import_podman
start_dockerd
import_docker
echo "containers ready: podman and docker image $VIGIL_TEST_IMAGE," \
  "dockerd on $VIGIL_DOCKER_SOCKET" >&2
