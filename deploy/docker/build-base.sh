#!/usr/bin/env bash
# build-base.sh - makes the image debian:bookworm-slim locally, with
# debootstrap --variant=minbase, when the docker daemon does not have it.
# No registry is needed: the Dockerfile's FROM line finds it locally.
# Idempotent: an image already present is left alone (--force remakes it).
#
# Usage: build-base.sh [--force]
# Environment: DOCKER (the client command, see env.sh), MIRROR (the
# Debian mirror, default http://deb.debian.org/debian), BASE_IMAGE
# (default debian:bookworm-slim).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"

image=${BASE_IMAGE:-debian:bookworm-slim}
mirror=${MIRROR:-http://deb.debian.org/debian}

if [ "${1:-}" != "--force" ] && $DOCKER image inspect "$image" >/dev/null 2>&1; then
  echo "build-base.sh: $image is present" >&2
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "build-base.sh: debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null ||
  { echo "build-base.sh: debootstrap is not installed (scripts/install-deps.sh)" >&2; exit 1; }

work=$(mktemp -d /var/tmp/vigil-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "build-base.sh: debootstrap --variant=minbase bookworm (about a minute)" >&2
debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$work/log" 2>&1 ||
  { tail -n 20 "$work/log" >&2; exit 1; }
# Slim like the registry's image: no package lists, caches or docs.
chroot "$work/root" apt-get clean
rm -rf "$work/root"/var/lib/apt/lists/* "$work/root"/usr/share/doc/* \
  "$work/root"/usr/share/man/* "$work/root"/var/cache/apt/*.bin
tar -C "$work/root" --numeric-owner -cf "$work/rootfs.tar" .
$DOCKER import --change 'CMD ["bash"]' "$work/rootfs.tar" "$image" >/dev/null
echo "build-base.sh: imported $image" >&2
