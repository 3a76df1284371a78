# env.sh - the locations setup.sh and teardown.sh share; sourced.
VIGIL_TEST_IMAGE=vigil-test-busybox
VIGIL_DOCKER_ROOT=/var/lib/vigil-test-docker
VIGIL_DOCKER_EXEC_ROOT=/run/vigil-test-docker
VIGIL_DOCKER_SOCKET=/run/vigil-test-docker.sock
VIGIL_DOCKER_PIDFILE=/run/vigil-test-docker.pid
VIGIL_DOCKER_LOG=/var/log/vigil-test-dockerd.log
VIGIL_WORK=/var/lib/vigil-test-containers
CONTAINERS_CONF="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)/containers.conf"
export CONTAINERS_CONF
# Another docker client earlier in PATH may lack what the tests use.
DOCKER="/usr/bin/docker -H unix://$VIGIL_DOCKER_SOCKET"
export VIGIL_TEST_IMAGE VIGIL_DOCKER_ROOT VIGIL_DOCKER_EXEC_ROOT \
  VIGIL_DOCKER_SOCKET VIGIL_DOCKER_PIDFILE VIGIL_DOCKER_LOG VIGIL_WORK DOCKER
