#!/usr/bin/env bash
# teardown.sh - undoes setup.sh: removes the test image and containers,
# stops the dockerd setup.sh started (by its pid, nothing else) and
# deletes the root filesystem tar. The installed packages stay.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"

if command -v podman >/dev/null; then
  podman ps -aq --filter "ancestor=$VIGIL_TEST_IMAGE" | xargs -r podman rm -f \
    >/dev/null
  podman rmi -f "$VIGIL_TEST_IMAGE" >/dev/null 2>&1
fi

if [ -s "$VIGIL_DOCKER_PIDFILE" ]; then
  pid=$(cat "$VIGIL_DOCKER_PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    $DOCKER ps -aq | xargs -r $DOCKER rm -f >/dev/null 2>&1
    kill "$pid"
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
  fi
fi

rm -rf "$VIGIL_WORK"
