# shellcheck shell=bash
# env.sh - the docker client deploy/docker/*.sh use; sourced.
#
# DOCKER is the client command. It defaults to the private dockerd that
# tests/containers/setup.sh starts (when its socket exists), else to the
# system's /usr/bin/docker. /usr/bin/docker, not the first docker in PATH:
# another client earlier in PATH may lack buildx.
if [ -z "${DOCKER:-}" ]; then
  if [ -S /run/vigil-test-docker.sock ]; then
    DOCKER="/usr/bin/docker -H unix:///run/vigil-test-docker.sock"
  else
    DOCKER=/usr/bin/docker
  fi
fi
export DOCKER
