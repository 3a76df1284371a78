#!/usr/bin/env bash
# build.sh - builds the container image vigil:latest from the repository's
# Dockerfile, first making the base image debian:bookworm-slim locally
# (build-base.sh) when the daemon does not have it. Layers are cached by
# the daemon: a second run without source changes compiles nothing, and
# the builder images of earlier sources are removed.
#
# Usage: build.sh [IMAGE]   (default vigil:latest)
# Environment: DOCKER (the client command, see env.sh), VIGIL_JOBS
# (compile jobs, default 2).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=env.sh
. "$here/env.sh"

image=${1:-vigil:latest}
"$here/build-base.sh"
# The classic builder, explicitly: Debian 12's Docker (20.10) has no
# buildx, and the Dockerfile needs nothing BuildKit adds.
# The builder stage is tagged too (vigil-builder:latest), so that the
# builders of earlier sources become untagged and can go: each is about
# 1.4 GB. The newest stays, as the cache of the next build.
build() {
  DOCKER_BUILDKIT=0 $DOCKER build --network=host \
    --build-arg "VIGIL_JOBS=${VIGIL_JOBS:-2}" "$@" "$repo"
}
build --target builder -t vigil-builder:latest
build -t "$image"
$DOCKER image prune -f --filter label=org.vigil.stage=builder >/dev/null
