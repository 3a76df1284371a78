"""harness - what the container tests share: the environment that
tests/containers/env.sh sets up, a vigil monitor writing JSON to a file,
running a container command, and reading the events back."""

import json
import os
import subprocess
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE = "vigil-test-busybox"


def shell_env():
    """The variables tests/containers/env.sh sets."""
    out = subprocess.run(
        ["bash", "-c", f". {HERE}/env.sh && env"],
        check=True, capture_output=True, text=True).stdout
    env = dict(os.environ)
    for line in out.splitlines():
        key, _, value = line.partition("=")
        if key.startswith("VIGIL_") or key in ("CONTAINERS_CONF", "DOCKER"):
            env[key] = value
    return env


def start_vigil(vigil, env, out_path, flags=()):
    """vigil with flags, once it says its programs are attached."""
    proc = subprocess.Popen(
        [vigil, "--format", "json", "-o", out_path,
         "--docker-socket", env["VIGIL_DOCKER_SOCKET"],
         "--docker-root", env["VIGIL_DOCKER_ROOT"], *flags],
        stderr=subprocess.PIPE, text=True)
    started, err = wait_started(proc, 30)
    if started:
        return proc
    proc.kill()
    raise RuntimeError("vigil did not start:\n" + err)


def wait_started(proc, timeout):
    """Whether vigil said it is tracing within timeout seconds, and what
    it wrote on stderr until then."""
    deadline = time.monotonic() + timeout
    err = ""
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        err += line
        if "info: tracing " in line:
            return True, err
    return False, err


def run_container(cmd, env):
    res = subprocess.run(cmd, env=env, capture_output=True, text=True,
                         timeout=120)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {res.stderr}")
    return res.stdout


def read_events(path):
    events = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise RuntimeError(f"{path}:{n}: not JSON: {e}")
    return events



def prepare():
    """setup.sh's verdict: None when containers can run, else the exit
    status the test should leave with."""
    if os.geteuid() != 0:
        print("skipped: needs root")
        return SKIP
    setup = subprocess.run([f"{HERE}/setup.sh"])
    if setup.returncode == SKIP:
        return SKIP
    if setup.returncode != 0:
        print("setup.sh failed")
        return 1
    return None


def stop_vigil(proc):
    """SIGTERM, then its exit status and stderr."""
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err
