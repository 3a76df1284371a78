#!/usr/bin/env python3
"""run_fidelity - shows how closely `vigil trace -f` matches strace 6.1.

Every command of a fixed corpus runs twice in one temporary directory, once
as `strace -f -o FILE CMD` and once as `vigil trace -f -o FILE -- CMD`. The
two traces are parsed, their processes paired, each pair's syscalls aligned
by name, and the aligned lines compared in two ways: name and return value,
and decoded arguments. A line that only one run has counts against both
rates.

Only what legitimately differs between two runs of the same command is
normalised: pointers and mapped addresses, pids and tids (through the
pairing of processes), the bytes getrandom returns, inode numbers and
timestamps. Anything else that differs is a disagreement and is printed.

Usage: run_fidelity.py --vigil PATH --programs DIR [--only NAME ...]
                       [--max-listed N] [--keep]
Exit status: 0 when name+return agreement is at least 99% and argument
agreement at least 95% overall, 1 when not (or when a run failed), 77 when
the test cannot run here (not root, or strace missing).
"""

import argparse
import dataclasses
import difflib
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile

SKIP = 77
NAME_RET_GOAL = 99.0
ARGS_GOAL = 95.0
RUN_TIMEOUT_S = 300

# Every input file gets this mtime, so listings and archives are the same
# in both runs and in every run of the test.
FIXED_MTIME = 1700000000

# The environment of both runs. PYTHONHASHSEED fixes the order of Python's
# sets and dicts, which otherwise comes from getrandom at start-up.
RUN_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LC_ALL": "C",
    "TZ": "UTC",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}

# Syscalls whose arguments or return value carry pids or tids.
PID_SYSCALLS = {
    "getpid", "gettid", "getppid", "getpgid", "getsid", "getpgrp",
    "setpgid", "set_tid_address", "clone", "clone3", "fork", "vfork",
    "wait4", "waitid", "kill", "tkill", "tgkill", "prlimit64",
    "sched_getaffinity", "sched_setaffinity", "sched_getscheduler",
    "sched_setscheduler", "sched_getparam", "sched_setparam",
    "pidfd_open", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "ioprio_get",
    "ioprio_set",
}
FORK_SYSCALLS = {"clone", "clone3", "fork", "vfork"}
# Which child a wait returns first depends on which exits first, and that
# on the schedule: their returns are compared as "one of my children".
WAIT_SYSCALLS = {"wait4", "waitid"}

HEX_POINTER = re.compile(r"0x[0-9a-f]{6,}")
NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")
INODE_OR_TIME = re.compile(
    r"\b(st_ino|stx_ino|st_[amc]time|stx_[abcm]time)(_nsec)?=[^,}]*")
QUOTED_PREFIX = re.compile(r'^"(?:[^"\\]|\\.)*"(?:\.\.\.)?')

# Machine state a call reports, which moves between any two runs: the load,
# free memory and process count of sysinfo, the free blocks and inodes of
# statfs, and the address ranges of /proc/*/maps (ASLR places every mapping
# anew, as it does for the pointers HEX_POINTER replaces). Each rule names
# the calls it applies to; no other field of those calls is touched.
VOLATILE_FIELDS = [
    ({"sysinfo"}, re.compile(
        r"\b(uptime|loads|freeram|sharedram|bufferram|freeswap|procs|"
        r"freehigh)=(\[[^]]*\]|\d+)"), r"\1=<varies>"),
    ({"statfs", "fstatfs"},
     re.compile(r"\b(f_bfree|f_bavail|f_ffree)=\d+"), r"\1=<varies>"),
    ({"read", "pread64"},
     re.compile(r"\b[0-9a-f]{8,16}-[0-9a-f]{8,16}\b"), "<address range>"),
]


@dataclasses.dataclass
class Case:
    name: str
    argv: list


@dataclasses.dataclass
class Call:
    """One syscall line of a trace, raw and split."""
    raw: str
    name: str
    args: str
    ret: str


@dataclasses.dataclass
class Process:
    pid: int
    calls: list
    key: str = ""
    children: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Tally:
    compared: int = 0
    name_ret_ok: int = 0
    args_ok: int = 0

    def add(self, other):
        self.compared += other.compared
        self.name_ret_ok += other.name_ret_ok
        self.args_ok += other.args_ok

    def rate(self, part):
        return 100.0 * part / self.compared if self.compared else 100.0


# --- the corpus ------------------------------------------------------------

PY_FILE_IO = """
import os
with open('work/py.txt', 'w') as f:
    f.write('line of text\\n' * 50)
with open('work/py.txt') as f:
    data = f.read()
os.rename('work/py.txt', 'work/py2.txt')
os.unlink('work/py2.txt')
print(len(data))
"""

# The client binds a fixed port too, and both sockets reset on close, so
# that the addresses in connect and accept are the same in both runs and
# no TIME_WAIT keeps the second run from binding them again.
PY_SOCKET = """
import socket, struct
port = {port}
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', port))
srv.listen(1)
cli = socket.socket()
cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
cli.bind(('127.0.0.1', port + 1))
cli.connect(('127.0.0.1', port))
conn, peer = srv.accept()
cli.sendall(b'ping')
got = conn.recv(16)
conn.sendall(got.upper())
reply = cli.recv(16)
reset = struct.pack('ii', 1, 0)
for s in (cli, conn):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset)
    s.close()
srv.close()
print(reply, peer[0])
"""

PY_LISTDIR = """
import os
names = sorted(os.listdir('data/tree'))
sizes = [os.stat(os.path.join('data/tree', n)).st_size for n in names]
kinds = sorted(e.name for e in os.scandir('data') if e.is_dir())
print(names, sizes, kinds)
"""


def corpus(programs, port):
    py = shutil.which("python3", path="/usr/bin") or "python3"
    return [
        Case("ls -la", ["ls", "-la", "/usr/share/doc"]),
        Case("cat", ["cat", "data/in.txt"]),
        Case("cp", ["cp", "data/in.txt", "work/copy.txt"]),
        Case("tar cf", ["tar", "cf", "work/tree.tar", "-C", "data", "tree"]),
        Case("tar tf", ["tar", "tf", "data/tree.tar"]),
        Case("sh passwd pipeline",
             ["sh", "-c", "cat /etc/passwd | grep root | wc -l"]),
        Case("sh sort pipeline",
             ["sh", "-c", "sort data/words.txt | uniq -c | sort -rn | "
              "head -n 3"]),
        Case("python file io", [py, "-c", PY_FILE_IO]),
        Case("python socket", [py, "-c", PY_SOCKET.format(port=port)]),
        Case("python listdir", [py, "-c", PY_LISTDIR]),
        # status=noxfer: the transfer line carries the elapsed time, which
        # differs between any two runs.
        Case("dd", ["dd", "if=/dev/zero", "of=/dev/null", "bs=4k",
                    "count=100", "status=noxfer"]),
        Case("find", ["find", "/usr/share/doc", "-maxdepth", "2", "-name",
                      "*.gz"]),
        Case("sort", ["sort", "data/words.txt"]),
        Case("uniq", ["uniq", "-c", "data/sorted.txt"]),
        Case("stat", ["stat", "data/in.txt"]),
        # A fixed date: the current one is written out and would differ.
        Case("date", ["date", "-u", "-d", "@%d" % FIXED_MTIME]),
        Case("head", ["head", "-n", "3", "data/in.txt"]),
        Case("32-bit static", [os.path.join(programs, "vt-m32"),
                               "data/in.txt"]),
        Case("threads", [os.path.join(programs, "vt-threads"),
                         "data/in.txt"]),
    ]


def free_port_pair():
    """A port p such that p and p + 1 are both free on 127.0.0.1."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port < 65535 and port_is_free(port) and port_is_free(port + 1):
            return port
    raise RuntimeError("no two adjacent free ports on 127.0.0.1")


def port_is_free(port):
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def make_inputs(data):
    """Writes the corpus' input files, all with the same fixed mtime."""
    tree = os.path.join(data, "tree")
    os.makedirs(os.path.join(tree, "sub"))
    write(os.path.join(data, "in.txt"),
          "".join("line %02d of the input file\n" % i for i in range(20)))
    words = ["w%d" % ((i * 7) % 23) for i in range(300)]
    write(os.path.join(data, "words.txt"), "\n".join(words) + "\n")
    write(os.path.join(data, "sorted.txt"), "\n".join(sorted(words)) + "\n")
    write(os.path.join(tree, "a.txt"), "alpha\n" * 10)
    write(os.path.join(tree, "b.txt"), "beta\n" * 200)
    write(os.path.join(tree, "sub", "c.txt"), "gamma\n")
    for root, dirs, files in os.walk(data):
        for name in dirs + files:
            os.utime(os.path.join(root, name), (FIXED_MTIME, FIXED_MTIME))
    with tarfile.open(os.path.join(data, "tree.tar"), "w",
                      format=tarfile.GNU_FORMAT) as tar:
        tar.add(tree, arcname="tree")
    for path in (os.path.join(data, "tree.tar"), tree, data):
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


# --- running ---------------------------------------------------------------

def run_traced(tracer_argv, case, top, label):
    """Runs one case under one tracer in top, with a fresh work/ folder.

    Returns the trace's path, the command's exit status and the tracer's
    own pid (the traced command's parent).
    """
    work = os.path.join(top, "work")
    shutil.rmtree(work, ignore_errors=True)
    os.mkdir(work)
    stem = os.path.join(top, "out", slug(case.name) + "." + label)
    trace = stem + ".trace"
    argv = list(case.argv)
    argv[0] = shutil.which(argv[0], path=RUN_ENV["PATH"]) or argv[0]
    with open(stem + ".stdout", "w") as out, \
            open(stem + ".stderr", "w") as err:
        child = subprocess.Popen(tracer_argv(trace, argv), cwd=top,
                                 env=RUN_ENV, stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err)
        try:
            status = child.wait(timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise
    return trace, status, child.pid


def strace_argv(trace, argv):
    return ["strace", "-f", "-o", trace] + argv


def vigil_argv_for(vigil):
    def vigil_argv(trace, argv):
        return [vigil, "trace", "-f", "-o", trace, "--"] + argv
    return vigil_argv


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --- parsing ---------------------------------------------------------------

STRACE_PREFIX = re.compile(r"^(\d+) +(.*)$")
VIGIL_PREFIX = re.compile(r"^\[pid +(\d+)\] (.*)$")
COMPLETE = re.compile(r"^(\w+)\((.*)\) += (.*)$")
UNFINISHED = " <unfinished ...>"
RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>(.*)$")


def parse_trace(path):
    """Returns {pid: Process} and the pids in order of first appearance."""
    processes = {}
    pending = {}
    with open(path, errors="replace") as f:
        for line in f:
            pid, body = split_prefix(line.rstrip("\n"))
            if body is None or is_noise(body):
                continue
            body = join_resumed(pid, body, pending)
            if body is None:
                continue
            process = processes.setdefault(pid, Process(pid, []))
            process.calls.append(parse_call(body))
    for pid, (name, head) in pending.items():
        call = Call(head + UNFINISHED, name, head[len(name) + 1:],
                    "<unfinished>")
        processes.setdefault(pid, Process(pid, [])).calls.append(call)
    return processes


def split_prefix(line):
    for prefix in (VIGIL_PREFIX, STRACE_PREFIX):
        match = prefix.match(line)
        if match:
            return int(match.group(1)), match.group(2)
    if not line.strip():
        return 0, None
    return 0, line


def is_noise(body):
    """Signal deliveries, exits and the tracers' own messages."""
    return (body.startswith("--- ") or body.startswith("+++ ")
            or body.startswith("strace: ") or body.startswith("[ Process"))


def join_resumed(pid, body, pending):
    """Joins `<unfinished ...>` and `<... NAME resumed>` halves of a call.

    Returns the whole line, or None while the first half waits for its end.
    """
    if body.endswith(UNFINISHED):
        head = body[:-len(UNFINISHED)]
        pending[pid] = (head.split("(", 1)[0], head)
        return None
    match = RESUMED.match(body)
    if match and pid in pending and pending[pid][0] == match.group(1):
        head = pending.pop(pid)[1]
        return head + match.group(2)
    return body


def parse_call(body):
    match = COMPLETE.match(body)
    if not match:
        return Call(body, "<unparsed>", body, "")
    return Call(body, match.group(1), match.group(2), match.group(3))


# --- pairing processes -----------------------------------------------------

def assign_keys(processes):
    """Names each process by its place in the fork tree: the root is "P",
    the n-th child a process forks or a thread it starts is "KEY.n".

    Pids differ between runs, the fork tree does not. A process that no
    clone in the trace returned and that is not the root is keyed by its
    order of first appearance.
    """
    children = {}
    created = set()
    for process in processes.values():
        kids = [int(c.ret.split()[0]) for c in process.calls
                if c.name in FORK_SYSCALLS and c.ret.split()
                and c.ret.split()[0].isdigit()]
        children[process.pid] = kids
        process.children = kids
        created.update(kids)
    roots = [pid for pid in processes if pid not in created]
    for index, pid in enumerate(roots):
        label_tree(processes, children, pid,
                   "P" if index == 0 else "orphan%d" % index)
    return {p.key: p for p in processes.values() if p.key}


def label_tree(processes, children, pid, key):
    if pid not in processes or processes[pid].key:
        return
    processes[pid].key = key
    for index, kid in enumerate(children[pid], start=1):
        label_tree(processes, children, kid, "%s.%d" % (key, index))


def pair_processes(strace_keys, vigil_keys):
    """Pairs processes by key; a key one run lacks pairs with None."""
    keys = list(strace_keys) + [k for k in vigil_keys if k not in strace_keys]
    return [(k, strace_keys.get(k), vigil_keys.get(k)) for k in keys]


# --- normalising -----------------------------------------------------------

def normalise(call, pid_labels, children=()):
    """The call's (name, args, ret) with run-specific values replaced;
    children are the pids of the calling process' children."""
    args, ret = call.args, call.ret
    if call.name in WAIT_SYSCALLS and ret.isdigit() and int(ret) in children:
        ret = "<a child's pid>"
    if call.name == "getrandom":
        args = QUOTED_PREFIX.sub('"<random bytes>"', args)
    if call.name in PID_SYSCALLS:
        args = relabel_pids(args, pid_labels)
        ret = relabel_pids(ret, pid_labels)
    args = INODE_OR_TIME.sub(r"\1\2=<varies>", args)
    for names, field, replacement in VOLATILE_FIELDS:
        if call.name in names:
            args = field.sub(replacement, args)
    args = HEX_POINTER.sub("0x<addr>", args)
    ret = HEX_POINTER.sub("0x<addr>", ret)
    return call.name, args, ret


def relabel_pids(text, pid_labels):
    def swap(match):
        return pid_labels.get(int(match.group(0)), match.group(0))
    return NUMBER.sub(swap, text)


def pid_labels_of(processes, tracer_pid):
    labels = {p.pid: "<pid %s>" % p.key for p in processes.values()}
    labels[tracer_pid] = "<tracer pid>"
    return labels


# --- comparing -------------------------------------------------------------

@dataclasses.dataclass
class Finding:
    """A disagreeing pair of lines; either side may be missing."""
    key: str
    strace: Call
    vigil: Call
    what: str
    # Both lines after normalisation, which group equal findings.
    shape: tuple


def compare_process(key, s_proc, v_proc, s_labels, v_labels):
    strace_calls = s_proc.calls if s_proc else []
    vigil_calls = v_proc.calls if v_proc else []
    s_norm = [normalise(c, s_labels, s_proc.children) for c in strace_calls]
    v_norm = [normalise(c, v_labels, v_proc.children) for c in vigil_calls]
    matcher = difflib.SequenceMatcher(
        None, [n[0] for n in s_norm], [n[0] for n in v_norm],
        autojunk=False)
    tally, findings = Tally(), []
    for tag, s0, s1, v0, v1 in matcher.get_opcodes():
        pairs = list(zip(range(s0, s1), range(v0, v1)))
        for si, vi in pairs:
            tally.compared += 1
            same_name_ret = s_norm[si][::2] == v_norm[vi][::2]
            same_args = s_norm[si][:2] == v_norm[vi][:2]
            tally.name_ret_ok += same_name_ret
            tally.args_ok += same_args
            if not (same_name_ret and same_args):
                what = "name/return" if not same_name_ret else "arguments"
                if not (same_name_ret or same_args):
                    what = "name/return and arguments"
                findings.append(Finding(key, strace_calls[si],
                                        vigil_calls[vi], what,
                                        (s_norm[si], v_norm[vi])))
        for si in range(s0 + len(pairs), s1):
            tally.compared += 1
            findings.append(Finding(key, strace_calls[si], None,
                                    "only in strace", (s_norm[si], None)))
        for vi in range(v0 + len(pairs), v1):
            tally.compared += 1
            findings.append(Finding(key, None, vigil_calls[vi],
                                    "only in vigil", (None, v_norm[vi])))
    return tally, findings


def compare_case(strace_trace, vigil_trace, strace_pid, vigil_pid):
    s_procs = parse_trace(strace_trace)
    v_procs = parse_trace(vigil_trace)
    s_keys, v_keys = assign_keys(s_procs), assign_keys(v_procs)
    s_labels = pid_labels_of(s_procs, strace_pid)
    v_labels = pid_labels_of(v_procs, vigil_pid)
    tally, findings = Tally(), []
    for key, s_proc, v_proc in pair_processes(s_keys, v_keys):
        one, more = compare_process(key, s_proc, v_proc, s_labels,
                                    v_labels)
        tally.add(one)
        findings.extend(more)
    return tally, findings, len(s_keys), len(v_keys)


# --- reporting -------------------------------------------------------------

def report_case(case, tally, findings, counts, statuses, max_listed):
    print("== %s: %s" % (case.name, " ".join(case.argv)[:100]
                         .replace("\n", " ")))
    print("   processes/threads: strace %d, vigil %d; exit status: "
          "strace %d, vigil %d%s" % (counts + statuses + (
              "" if statuses[0] == statuses[1] else "  <-- DIFFER",)))
    print("   lines compared %d, name+return %.2f%%, arguments %.2f%%, "
          "disagreements %d" % (
              tally.compared, tally.rate(tally.name_ret_ok),
              tally.rate(tally.args_ok), len(findings)))
    groups = group_findings(findings)
    for (finding, count) in groups[:max_listed]:
        times = " (x%d)" % count if count > 1 else ""
        print("   - [%s] %s%s" % (finding.key, finding.what, times))
        print("       strace: %s" % shorten(finding.strace))
        print("       vigil : %s" % shorten(finding.vigil))
    if len(groups) > max_listed:
        print("   ... %d more kinds of disagreement not listed"
              % (len(groups) - max_listed))


def group_findings(findings):
    """Folds disagreements that are the same after normalisation."""
    groups = {}
    for finding in findings:
        ident = (finding.what,) + finding.shape
        if ident in groups:
            groups[ident][1] += 1
        else:
            groups[ident] = [finding, 1]
    return [tuple(g) for g in groups.values()]


def shorten(call, width=600):
    if call is None:
        return "(no such line)"
    return call.raw if len(call.raw) <= width else call.raw[:width] + "..."


# --- main ------------------------------------------------------------------

def print_tail(path, lines=5):
    """The end of a tracer's stderr, where it says why it failed."""
    with open(path, errors="replace") as f:
        for line in f.readlines()[-lines:]:
            print("   %s: %s" % (os.path.basename(path), line.rstrip()))


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vigil", required=True, help="the vigil binary")
    parser.add_argument("--programs", required=True,
                        help="folder of the built test programs")
    parser.add_argument("--only", action="append", default=[],
                        help="run only the cases of this name (repeatable)")
    parser.add_argument("--max-listed", type=int, default=25,
                        help="kinds of disagreement listed per command")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder and print its path")
    return parser.parse_args()


def skip_reason():
    if os.geteuid() != 0:
        return "needs root (both tracers do)"
    if shutil.which("strace") is None:
        return "strace is not installed"
    return None


def select_cases(cases, only, programs):
    chosen = []
    for case in cases:
        if only and case.name not in only:
            continue
        if case.argv[0].startswith(programs) and \
                not os.access(case.argv[0], os.X_OK):
            print("note: %s not built, case %r left out"
                  % (case.argv[0], case.name))
            continue
        chosen.append(case)
    return chosen


def run_all(options, top):
    os.mkdir(os.path.join(top, "out"))
    make_inputs(os.path.join(top, "data"))
    programs = os.path.abspath(options.programs)
    cases = select_cases(corpus(programs, free_port_pair()), options.only,
                         programs)
    vigil_argv = vigil_argv_for(os.path.abspath(options.vigil))
    total, failures, rates = Tally(), 0, []
    for case in cases:
        try:
            s_trace, s_status, s_pid = run_traced(strace_argv, case, top,
                                                  "strace")
            v_trace, v_status, v_pid = run_traced(vigil_argv, case, top,
                                                  "vigil")
        except (OSError, subprocess.TimeoutExpired) as error:
            print("== %s: could not run: %s" % (case.name, error))
            failures += 1
            continue
        if not os.path.exists(v_trace) or not os.path.exists(s_trace):
            print("== %s: a tracer wrote no trace (strace status %d, vigil "
                  "status %d)" % (case.name, s_status, v_status))
            for trace in (s_trace, v_trace):
                print_tail(trace[:-len(".trace")] + ".stderr")
            failures += 1
            continue
        tally, findings, s_count, v_count = compare_case(
            s_trace, v_trace, s_pid, v_pid)
        report_case(case, tally, findings, (s_count, v_count),
                    (s_status, v_status), options.max_listed)
        total.add(tally)
        rates.append((tally.rate(tally.name_ret_ok), tally.rate(tally.args_ok)))
    return total, failures, rates


def main():
    options = parse_options()
    reason = skip_reason()
    if reason:
        print("skipped: " + reason)
        return SKIP
    top = tempfile.mkdtemp(prefix="vigil-fidelity-")
    try:
        total, failures, rates = run_all(options, top)
    finally:
        if options.keep:
            print("traces kept in " + top)
        else:
            shutil.rmtree(top, ignore_errors=True)
    name_ret, args = total.rate(total.name_ret_ok), total.rate(total.args_ok)
    print("== overall: %d commands, lines compared %d, name+return %.2f%% "
          "(goal %.0f%%), arguments %.2f%% (goal %.0f%%)" % (
              len(rates), total.compared, name_ret, NAME_RET_GOAL, args,
              ARGS_GOAL))
    if rates:
        # Two long listings make most of the lines; the mean over commands
        # shows the others their weight. It is not what the goals judge.
        print("== mean over commands: name+return %.2f%%, arguments %.2f%%"
              % (sum(r[0] for r in rates) / len(rates),
                 sum(r[1] for r in rates) / len(rates)))
    ok = name_ret >= NAME_RET_GOAL and args >= ARGS_GOAL and not failures
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
