#!/usr/bin/env python3
"""docker_image_test - the vigil:latest image traces the host from inside
a container, run the way docs/deployment.md says (deploy/docker/run.sh).

Builds the image (deploy/docker/build.sh, with the base made locally by
debootstrap; the daemon's layer cache makes a rebuild without source
changes compile nothing), starts it with run.sh writing JSON to a
mounted directory, and while it runs:

- on the host, a copy of cat with a name of its own reads a file of its
  own: its openat must come out with the host's pid, the name and the
  executable's path, and no container object;
- on the host, a copy of sh started before vigil opens a file of its
  own: vigil knows that process only from the host's /proc, so its
  openat must carry its pid, name, exe, cmdline and namespaces;
- in a Docker container of the image vigil-test-busybox, cat reads
  another file of its own: that openat must carry container.id (the
  runtime's 64-hex id) and runtime docker;
- /healthz answers 200 while vigil runs;

and the docker run lines of docs/deployment.md and README.md must be
run.sh's.

Usage: docker_image_test.py --repo DIR
Exit status: 0 passed, 1 failed, 77 when docker cannot run here.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

# The container tests' harness: their private dockerd's environment, and
# the wait for vigil's start.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "containers"))
from harness import shell_env, wait_started  # noqa: E402

SKIP = 77


def run_line(text):
    """The `docker run` command of a text, its continuations joined."""
    text = text.replace("\\\n", " ")
    for line in text.splitlines():
        if re.search(r"\bdocker\b.*\brun\b.*--pid=host", line, re.I):
            return " ".join(line.split())
    return None


def check_documented_line(repo, failures):
    with open(os.path.join(repo, "deploy/docker/run.sh"), encoding="utf-8") as f:
        script = run_line(f.read())
    # run.sh's own variables stand for the documented defaults.
    for var, value in (('"${NAME:-vigil}"', "vigil"), ("${RUN_OPTS:-} ", ""),
                       ('"$sock"', "/var/run/docker.sock"),
                       ('"$root"', "/var/lib/docker"),
                       ('"${IMAGE:-vigil:latest}" "$@"', "vigil:latest"),
                       ("exec $DOCKER", "docker")):
        script = script.replace(var, value)
    for name in ("docs/deployment.md", "README.md"):
        with open(os.path.join(repo, name), encoding="utf-8") as f:
            doc = run_line(f.read())
        if doc is None:
            failures.append(f"{name} has no docker run line")
        elif doc != script:
            failures.append(f"the docker run line of {name} is not run.sh's:"
                            f"\n  doc:    {doc}\n  run.sh: {script}")


def healthz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz",
                                    timeout=5) as r:
            return r.status
    except OSError as e:
        return str(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)

    if os.geteuid() != 0:
        print("skipped: needs root", file=sys.stderr)
        return SKIP
    setup = subprocess.run([f"{repo}/tests/containers/setup.sh"])
    if setup.returncode == SKIP:
        return SKIP
    if setup.returncode != 0:
        print("tests/containers/setup.sh failed", file=sys.stderr)
        return 1
    env = shell_env()
    docker = env["DOCKER"].split()

    failures = []
    check_documented_line(repo, failures)

    t0 = time.monotonic()
    build = subprocess.run([f"{repo}/deploy/docker/build.sh"], env=env)
    if build.returncode != 0:
        print("deploy/docker/build.sh failed", file=sys.stderr)
        return 1
    print(f"image built in {time.monotonic() - t0:.0f}s")

    tag = f"vdk{os.getpid()}"
    tmp = tempfile.mkdtemp(prefix="vigil-docker-")
    os.chmod(tmp, 0o755)
    out_dir = os.path.join(tmp, "out")
    os.mkdir(out_dir)
    host_file = os.path.join(tmp, f"host-{tag}")
    with open(host_file, "w") as f:
        f.write("host\n")
    host_prog = os.path.join(tmp, tag)
    shutil.copy("/bin/cat", host_prog)
    # A shell started before vigil, which opens its file when told to:
    # vigil knows it only from the host's /proc (--pid=host, and
    # CAP_SYS_PTRACE for its exe and namespaces).
    pre_tag = f"vdkpre{os.getpid()}"
    pre_prog = os.path.join(tmp, pre_tag)
    shutil.copy("/bin/sh", pre_prog)
    pre_file = os.path.join(tmp, f"pre-{tag}")
    with open(pre_file, "w") as f:
        f.write("pre\n")
    pre = subprocess.Popen([pre_prog, "-c", f"read x; exec 3< {pre_file}"],
                           stdin=subprocess.PIPE, text=True)
    cont_file = f"/tmp/cont-{tag}"
    port = 19000 + os.getpid() % 1000
    name = f"vigil-image-test-{tag}"
    cont_name = f"vigil-image-workload-{tag}"

    run_env = dict(env)
    run_env.update(NAME=name, RUN_OPTS=f"-v {out_dir}:/out",
                   DOCKER_SOCKET=env["VIGIL_DOCKER_SOCKET"],
                   DOCKER_ROOT=env["VIGIL_DOCKER_ROOT"])
    vigil = subprocess.Popen(
        [f"{repo}/deploy/docker/run.sh", "--config", "/etc/vigil/vigil.yaml",
         "--events", "openat,open", "-o", "/out/events.json",
         "--metrics-address", f"127.0.0.1:{port}"],
        env=run_env, stderr=subprocess.PIPE, text=True)
    cont_id = None
    host_pid = None
    try:
        started, err = wait_started(vigil, 60)
        if not started:
            print("vigil in its container did not start:\n" + err,
                  file=sys.stderr)
            return 1
        status = healthz(port)
        if status != 200:
            failures.append(f"/healthz answered {status}, not 200")

        pre.communicate("go\n", timeout=30)
        host = subprocess.Popen([host_prog, host_file], stdout=subprocess.PIPE)
        host_pid = host.pid
        host.communicate(timeout=30)
        cont = subprocess.run(
            docker + ["run", "-d", "--network=none", "--name", cont_name,
                      "vigil-test-busybox",
                      "sh", "-c", f"echo c > {cont_file}; cat {cont_file}; "
                      f"sleep 1; cat {cont_file}"],
            capture_output=True, text=True, timeout=120)
        if cont.returncode != 0:
            print("docker run of the workload failed: " + cont.stderr,
                  file=sys.stderr)
            return 1
        cont_id = cont.stdout.strip()
        subprocess.run(docker + ["wait", cont_id], capture_output=True,
                       timeout=60)
        time.sleep(1)
    finally:
        subprocess.run(docker + ["stop", "-t", "20", name],
                       capture_output=True)
        try:
            _, err = vigil.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            vigil.kill()
            _, err = vigil.communicate()
        if cont_id:
            subprocess.run(docker + ["rm", "-f", cont_id], capture_output=True)
    if vigil.returncode not in (0, 143):
        failures.append(f"vigil's container exited with {vigil.returncode}:\n"
                        + err[-2000:])

    events = []
    path = os.path.join(out_dir, "events.json")
    if not os.path.exists(path):
        failures.append("vigil wrote no /out/events.json")
    else:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                try:
                    events.append(json.loads(line))
                except json.JSONDecodeError as e:
                    failures.append(f"events.json:{n}: not JSON: {e}")
    print(f"{len(events)} events from the container")

    def opens(filename):
        return [e for e in events
                if e.get("args", {}).get("filename") == filename]

    host_reads = opens(host_file)
    if not host_reads:
        failures.append(f"no openat of {host_file} by the host's {tag}")
    for e in host_reads:
        p = e.get("process", {})
        if p.get("pid") != host_pid:
            failures.append(f"host read: pid {p.get('pid')}, the host's is "
                            f"{host_pid}")
        if p.get("comm") != tag:
            failures.append(f"host read: comm {p.get('comm')!r}, not {tag!r}")
        if p.get("exe") != host_prog:
            failures.append(f"host read: exe {p.get('exe')!r}, not {host_prog}")
        if "container" in e:
            failures.append(f"host read carries a container: {e['container']}")

    pre_reads = opens(pre_file)
    if not pre_reads:
        failures.append(f"no openat of {pre_file} by the host's {pre_tag}")
    for e in pre_reads:
        p = e.get("process", {})
        want = {"pid": pre.pid, "comm": pre_tag, "exe": pre_prog}
        for key, value in want.items():
            if p.get(key) != value:
                failures.append(f"read by a process older than vigil: "
                                f"{key} {p.get(key)!r}, not {value!r}")
        if pre_prog not in p.get("cmdline", ""):
            failures.append(f"read by a process older than vigil: cmdline "
                            f"{p.get('cmdline')!r}")
        if "pid" not in p.get("namespaces", {}):
            failures.append("read by a process older than vigil: no "
                            "namespaces (vigil could not read its /proc)")

    cont_reads = opens(cont_file)
    if not cont_reads:
        failures.append(f"no openat of {cont_file} from the docker container")
    for e in cont_reads:
        c = e.get("container", {})
        if c.get("id") != cont_id:
            failures.append(f"container read: container.id {c.get('id')!r}, "
                            f"not {cont_id}")
        if c.get("runtime") != "docker":
            failures.append(f"container read: runtime {c.get('runtime')!r}")
    # The name and image come from the runtime (the mounted socket and
    # data root), asked in the background: the first read may come before.
    if cont_reads and not any(e.get("container", {}).get("name") == cont_name
                              for e in cont_reads):
        failures.append(f"no container read carries container.name {cont_name}")
    if cont_reads and not any("vigil-test-busybox" in
                              e.get("container", {}).get("image", "")
                              for e in cont_reads):
        failures.append("no container read carries container.image "
                        "vigil-test-busybox")
    if cont_reads:
        print(f"container reads: {len(cont_reads)}, e.g. "
              f"{json.dumps(cont_reads[0].get('container'))}")

    shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAILED: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
