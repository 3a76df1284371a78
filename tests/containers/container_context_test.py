#!/usr/bin/env python3
"""container_context_test - vigil's container context on real containers.

Prepares podman and Docker with tests/containers/setup.sh, starts the
vigil monitor (JSON, to a file), runs one podman and one Docker container
of the image vigil-test-busybox, each reading /etc/hostname a few times,
stops vigil, and checks that:

- the openat of /etc/hostname inside each container carries a container
  object with the container's full 64-hex id, its runtime, its name and
  its image (the name and image from the runtime, so at least one of the
  container's events must have them: the first may come before the
  runtime was asked);
- a container_create and a container_remove event name each container.

Usage: container_context_test.py --vigil PATH [--keep]
Exit status: 0 passed, 1 failed, 77 when containers cannot run here (not
root, no packages, a daemon that does not start).
"""

import argparse
import os
import re
import sys
import tempfile
import time

from harness import (IMAGE, prepare, read_events, run_container, shell_env,
                     start_vigil, stop_vigil)

ID_RE = re.compile(r"^[0-9a-f]{64}$")
# The container reads the file more than once, a while apart, so that
# some of its events come after the runtime has been asked.
SCRIPT = "cat /etc/hostname; sleep 1; cat /etc/hostname; sleep 1; cat /etc/hostname"


def hostname_reads(events, cid):
    return [e for e in events
            if e.get("event") in ("openat", "open")
            and e.get("args", {}).get("filename") == "/etc/hostname"
            and e.get("container", {}).get("id") == cid]


def check_container(events, cid, runtime, name, failures):
    label = f"{runtime} container {name} ({cid[:12]})"
    if not ID_RE.match(cid):
        failures.append(f"{label}: the runtime's id is not 64 hex digits")
        return
    reads = hostname_reads(events, cid)
    if not reads:
        failures.append(f"{label}: no openat of /etc/hostname carries "
                        f"container.id {cid}")
        return
    for e in reads:
        c = e["container"]
        if c.get("runtime") != runtime:
            failures.append(f"{label}: runtime {c.get('runtime')!r}")
    named = [e for e in reads if e["container"].get("name") == name]
    if not named:
        failures.append(f"{label}: no read carries container.name {name}")
    imaged = [e for e in reads if IMAGE in e["container"].get("image", "")]
    if not imaged:
        failures.append(f"{label}: no read carries container.image {IMAGE}")
    print(f"{label}: {len(reads)} reads with its id, {len(named)} with its "
          f"name, {len(imaged)} with its image")

    for kind in ("container_create", "container_remove"):
        found = [e for e in events if e.get("event") == kind
                 and e.get("container", {}).get("id") == cid]
        if not found:
            failures.append(f"{label}: no {kind} event")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--keep", action="store_true",
                    help="keep the event file and say where it is")
    args = ap.parse_args()

    verdict = prepare()
    if verdict is not None:
        return verdict
    env = shell_env()
    docker = env["DOCKER"].split()

    tmp = tempfile.mkdtemp(prefix="vigil-containers-")
    out_path = os.path.join(tmp, "events.json")
    suffix = str(os.getpid())
    pod_name = "vigil-ctx-podman-" + suffix
    dock_name = "vigil-ctx-docker-" + suffix

    vigil = start_vigil(args.vigil, env, out_path)
    try:
        # Created first, so that the runtime's id is known; started after.
        pod_id = run_container(
            ["podman", "create", "--name", pod_name, IMAGE, "sh", "-c",
             SCRIPT], env).strip()
        run_container(["podman", "start", "--attach", pod_name], env)
        dock_id = run_container(
            docker + ["create", "--name", dock_name, "--network=none", IMAGE,
                      "sh", "-c", SCRIPT], env).strip()
        run_container(docker + ["start", "--attach", dock_name], env)
        run_container(["podman", "rm", pod_name], env)
        run_container(docker + ["rm", dock_name], env)
        time.sleep(1)  # the last cgroup removals reach vigil
    finally:
        status, err = stop_vigil(vigil)
    if status != 0:
        print(f"vigil exited with {status}:\n{err}", file=sys.stderr)
        return 1

    events = read_events(out_path)
    failures = []
    check_container(events, pod_id, "podman", pod_name, failures)
    check_container(events, dock_id, "docker", dock_name, failures)
    if args.keep:
        print(f"events kept in {out_path}")
    else:
        os.remove(out_path)
        os.rmdir(tmp)
    for f in failures:
        print("FAILED: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
