#!/usr/bin/env bash
# run.sh - runs the image as docs/deployment.md documents it: vigil on the
# whole host from inside a container. Arguments go to vigil (they replace
# the image's default `--config /etc/vigil/vigil.yaml`).
#
# Usage: run.sh [VIGIL ARGS...]
# Environment: DOCKER (the client command, see env.sh), IMAGE (default
# vigil:latest), NAME (the container's name, default vigil), RUN_OPTS
# (more `docker run` options, e.g. a volume for -o), and the host's
# paths that get mounted: DOCKER_SOCKET (default /var/run/docker.sock),
# DOCKER_ROOT (default /var/lib/docker).
#
# The capabilities: Docker 20.10 (Debian 12's docker.io) does not know
# CAP_BPF and CAP_PERFMON, and its default seccomp profile allows bpf()
# and perf_event_open() only with CAP_SYS_ADMIN, so CAP_SYS_ADMIN it is,
# with the seccomp profile kept; CAP_SYS_PTRACE for /proc/PID/exe and
# /proc/PID/ns of the host's processes. AppArmor's docker-default profile
# refuses that ptrace read of processes outside the container, hence
# apparmor=unconfined (a no-op on hosts without AppArmor).
# docs/deployment.md has the measurements and the newer-Docker variant.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"

sock=${DOCKER_SOCKET:-/var/run/docker.sock}
root=${DOCKER_ROOT:-/var/lib/docker}

# shellcheck disable=SC2086
exec $DOCKER run --rm --name "${NAME:-vigil}" ${RUN_OPTS:-} \
  --pid=host --cgroupns=host --network=host \
  --cap-drop=ALL --cap-add=SYS_ADMIN --cap-add=SYS_PTRACE \
  --security-opt apparmor=unconfined --read-only \
  -v /sys/fs/cgroup:/sys/fs/cgroup:ro \
  -v /sys/kernel/btf:/sys/kernel/btf:ro \
  -v "$sock":/var/run/docker.sock:ro \
  -v "$root"/containers:/var/lib/docker/containers:ro \
  "${IMAGE:-vigil:latest}" "$@"
