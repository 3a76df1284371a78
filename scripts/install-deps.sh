#!/bin/sh
# install-deps.sh - installs what vigil needs to build and test on Debian 12.
# Idempotent: packages already present are not fetched again. With --bench
# it adds the tools the benchmarks compare against; with --containers the
# container runtimes of the container tests (tests/containers/setup.sh).
# The deployment tests (tests/deploy/) need docker.io, debootstrap (the
# local base image), systemd (systemd-analyze), dpkg-dev (dpkg-shlibdeps
# for the package) and python3-yaml.
set -eu

packages="build-essential cmake pkg-config clang llvm libbpf-dev bpftool
libelf-dev zlib1g-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
libyaml-cpp-dev libre2-dev catch2 libcli11-dev libcurl4-openssl-dev gcc-multilib
clang-format strace python3 libcpp-httplib-dev
rsyslog python3-yaml systemd dpkg-dev debootstrap docker.io"
if [ "${1:-}" = "--bench" ]; then
	packages="$packages strace bpftrace hyperfine linux-perf"
fi
if [ "${1:-}" = "--containers" ]; then
	packages="$packages podman runc docker.io busybox-static"
fi

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi
echo "installing:$missing"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
