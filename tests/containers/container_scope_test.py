#!/usr/bin/env python3
"""container_scope_test - --container and --no-container on real containers.

A podman container that reads /etc/hostname in a loop is started before
vigil. Then, under each scope below, the host reads /etc/hostname too and
a new container (docker, or podman) is run that reads it once; the test
checks whose reads, and which execs, the scope let through:

- --container new: the new container's entrypoint exec and its reads,
  and nothing from the host or from the container that was already
  running;
- --container (any): both containers, not the host;
- --container NAME: the named container only (the running one);
- --no-container: the host only.

Usage: container_scope_test.py --vigil PATH
Exit status: 0 passed, 1 failed, 77 when containers cannot run here.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

from harness import (IMAGE, prepare, read_events, run_container, shell_env,
                     start_vigil, stop_vigil)

LOOP = "while true; do cat /etc/hostname >/dev/null; sleep 0.2; done"
ONCE = "cat /etc/hostname; sleep 0.5; cat /etc/hostname"
EVENTS = "openat,execve,sched_process_exec"


def hostname_readers(events):
    """container id (or None for the host) of every read of /etc/hostname."""
    return [e.get("container", {}).get("id") for e in events
            if e.get("event") == "openat"
            and e.get("args", {}).get("filename") == "/etc/hostname"]


def host_reads(n):
    for _ in range(n):
        subprocess.run(["cat", "/etc/hostname"], stdout=subprocess.DEVNULL,
                       check=True)
        time.sleep(0.1)


def run_scope(vigil, env, flags, new_cmd, tmp, name):
    """The events of one vigil run: host reads and a new container."""
    out_path = os.path.join(tmp, name + ".json")
    proc = start_vigil(vigil, env, out_path, [*flags, "--events", EVENTS])
    try:
        time.sleep(0.5)
        host_reads(3)
        new_id = run_container(new_cmd, env).strip().splitlines()[-1]
        host_reads(2)
        time.sleep(0.5)
    finally:
        status, err = stop_vigil(proc)
    if status != 0:
        raise RuntimeError(f"vigil {' '.join(flags)} exited {status}:\n{err}")
    return read_events(out_path), new_id


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    args = ap.parse_args()
    verdict = prepare()
    if verdict is not None:
        return verdict
    env = shell_env()
    docker = env["DOCKER"].split()
    suffix = str(os.getpid())
    old_name = "vigil-scope-old-" + suffix
    tmp = tempfile.mkdtemp(prefix="vigil-container-scope-")
    failures = []

    old_id = run_container(
        ["podman", "run", "-d", "--name", old_name, IMAGE, "sh", "-c", LOOP],
        env).strip()
    try:
        time.sleep(1)

        def new_container(tag):
            return docker + ["run", "--rm", "--cidfile",
                             os.path.join(tmp, tag + ".cid"),
                             "--network=none", IMAGE, "sh", "-c", ONCE]

        def cid_of(tag):
            with open(os.path.join(tmp, tag + ".cid"), encoding="utf-8") as f:
                return f.read().strip()

        # --container new
        events, _ = run_scope(args.vigil, env, ["--container", "new"],
                              new_container("new"), tmp, "new")
        new_id = cid_of("new")
        readers = hostname_readers(events)
        if readers.count(new_id) != 2:
            failures.append(f"--container new: {readers.count(new_id)} reads "
                            f"of the new container, want 2")
        if old_id in readers:
            failures.append("--container new: the running container's reads "
                            "came through")
        if None in readers or any(not e.get("container") for e in events):
            failures.append("--container new: host events came through")
        execs = [e for e in events if e.get("event") == "sched_process_exec"
                 and e.get("container", {}).get("id") == new_id]
        if not any(e["args"].get("argv", [None])[0] == "sh" for e in execs):
            failures.append("--container new: no exec of the entrypoint sh "
                            f"(execs seen: {[e['args'] for e in execs]})")
        print(f"--container new: {len(events)} events, reads "
              f"{readers.count(new_id)}, entrypoint execs {len(execs)}")

        # --container (any)
        events, _ = run_scope(args.vigil, env, ["--container"],
                              new_container("any"), tmp, "any")
        readers = hostname_readers(events)
        any_id = cid_of("any")
        if readers.count(any_id) != 2 or old_id not in readers:
            failures.append(f"--container: reads of the new container "
                            f"{readers.count(any_id)} (want 2), of the "
                            f"running one {readers.count(old_id)} (want >0)")
        if None in readers:
            failures.append("--container: host reads came through")
        print(f"--container: new {readers.count(any_id)}, running "
              f"{readers.count(old_id)}")

        # --container NAME
        events, _ = run_scope(args.vigil, env, ["--container", old_name],
                              new_container("named"), tmp, "named")
        readers = hostname_readers(events)
        if old_id not in readers or set(readers) != {old_id}:
            failures.append(f"--container {old_name}: readers "
                            f"{sorted(set(map(str, readers)))}")
        print(f"--container NAME: running {readers.count(old_id)}, others "
              f"{len(readers) - readers.count(old_id)}")

        # --no-container
        events, _ = run_scope(args.vigil, env, ["--no-container"],
                              new_container("host"), tmp, "host")
        readers = hostname_readers(events)
        if readers.count(None) < 5 or set(readers) != {None}:
            failures.append(f"--no-container: host reads {readers.count(None)} "
                            f"(want >= 5), container reads "
                            f"{len(readers) - readers.count(None)} (want 0)")
        print(f"--no-container: host {readers.count(None)}, containers "
              f"{len(readers) - readers.count(None)}")
    finally:
        subprocess.run(["podman", "rm", "-f", old_name], env=env,
                       capture_output=True)
    for f in failures:
        print("FAILED: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
