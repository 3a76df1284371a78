#!/usr/bin/env python3
"""gen_syscall_table.py - generate vigil's x86_64 and i386 syscall tables.

The userspace decoder needs, for every syscall number of both x86 ABIs, the
syscall's name and (where known) the kernel's own argument names and C types.
Numbers and names come from the kernel source's syscall tables; argument
names and types come from the running kernel's tracefs syscall event formats
(sys_enter_*/format), which are the only machine-readable description of the
SYSCALL_DEFINEx() prototypes that a built kernel exposes.

Outputs (C++ fragments, rows of VIGIL_SYSCALL(nr, "name", nargs, 6 pairs)):
  userspace/decode/syscalls_x86_64.inc
  userspace/decode/syscalls_i386.inc

Rules:
  * x86_64 takes the "common" and "64" rows of syscall_64.tbl; "x32" rows
    are a different ABI and are skipped.
  * i386 takes every row of syscall_32.tbl, named by the table's name column
    (_llseek, mmap2, socketcall, oldstat, ...).
  * Arguments come from the format of the syscall with the same name; failing
    that, from the format named after the table's entry point (sys_ and
    compat_sys_ prefixes stripped, e.g. sys_newstat -> newstat); failing that
    nargs is -1 ("unknown") but the row, and its name, is still emitted.
    The syscalls left unknown are listed on stderr.

Only the Python standard library is used.

Regenerate (as root, tracefs mounted: mount -t tracefs tracefs
/sys/kernel/tracing) from the top of the vigil tree:

  tools/gen_syscall_table.py \\
      --tbl64 LINUX/arch/x86/entry/syscalls/syscall_64.tbl \\
      --tbl32 LINUX/arch/x86/entry/syscalls/syscall_32.tbl \\
      --tree-label "Linux 6.18.y"

where LINUX is a Linux source tree matching the kernel vigil targets.  Note
that the formats describe the kernel the script runs on, so run it on a
kernel of the same version as the .tbl files.
"""

import argparse
import hashlib
import os
import re
import sys
import textwrap

MAX_ARGS = 6
WRAP = 80

# Entry points that mean "not implemented"; never look up a format for them.
NI_ENTRIES = {"sys_ni_syscall", "-", ""}


def parse_tbl(path, abis):
    """Return [(nr, name, [entry points...])] for rows whose ABI is in abis."""
    rows = []
    seen = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) < 3:
                sys.exit(f"{path}:{lineno}: malformed row: {line.rstrip()}")
            nr, abi, name = int(fields[0]), fields[1], fields[2]
            if abi not in abis:
                continue
            if nr in seen:
                sys.exit(f"{path}:{lineno}: number {nr} defined twice")
            seen[nr] = name
            # Columns 4 and 5 are the native and compat entry points; a
            # trailing "noreturn" flag is not an entry point.
            entries = [e for e in fields[3:5] if e not in NI_ENTRIES]
            rows.append((nr, name, entries))
    rows.sort()
    names = [r[1] for r in rows]
    dups = {n for n in names if names.count(n) > 1}
    if dups:
        sys.exit(f"{path}: duplicate names {sorted(dups)}")
    return rows


FIELD_RE = re.compile(r"^\s*field:(.*?);\s*offset:")


def parse_format(path):
    """Return [(argname, ctype)] from one sys_enter_*/format file."""
    args = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = FIELD_RE.match(line)
            if not m:
                continue
            decl = m.group(1).strip()
            name_m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)$", decl)
            if not name_m:
                sys.exit(f"{path}: cannot parse field '{decl}'")
            name = name_m.group(1)
            if name.startswith("common_") or name == "__syscall_nr":
                continue
            ctype = decl[: name_m.start()].strip()
            args.append((name, ctype))
    if len(args) > MAX_ARGS:
        sys.exit(f"{path}: {len(args)} arguments, more than {MAX_ARGS}")
    return args


def load_formats(tracefs):
    """Map syscall name (without sys_enter_) to its argument list."""
    events = os.path.join(tracefs, "events", "syscalls")
    if not os.path.isdir(events):
        sys.exit(
            f"{events} not found: mount tracefs first "
            f"(mount -t tracefs tracefs {tracefs}) and run as root"
        )
    formats = {}
    for ev in sorted(os.listdir(events)):
        if not ev.startswith("sys_enter_"):
            continue
        fmt = os.path.join(events, ev, "format")
        if os.path.isfile(fmt):
            formats[ev[len("sys_enter_"):]] = parse_format(fmt)
    if not formats:
        sys.exit(f"no sys_enter_*/format files under {events}")
    return formats


def strip_entry(entry):
    for prefix in ("compat_sys_", "sys_"):
        if entry.startswith(prefix):
            return entry[len(prefix):]
    return entry


def resolve_args(name, entries, formats):
    """Arguments for a syscall, or None when no format describes it."""
    for candidate in [name] + [strip_entry(e) for e in entries]:
        if candidate in formats:
            return formats[candidate]
    return None


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_row(nr, name, args):
    nargs = -1 if args is None else len(args)
    pairs = list(args or [])
    pairs += [("", "")] * (MAX_ARGS - len(pairs))
    head = f"VIGIL_SYSCALL({nr}, {c_str(name)}, {nargs},"
    items = [f"{c_str(n)}, {c_str(t)}" for n, t in pairs]
    # Greedy wrap so the fragment stays within 80 columns like the rest of
    # the tree; every pair is kept on one line so rows stay greppable.
    lines, cur = [], head
    for i, item in enumerate(items):
        piece = item + ("," if i + 1 < len(items) else ")")
        if len(cur) + 1 + len(piece) <= WRAP:
            cur += " " + piece
        else:
            lines.append(cur)
            cur = "    " + piece
    lines.append(cur)
    return "\n".join(lines)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_inc(out_path, abi, tbl_path, tree_label, tracefs, rows, formats):
    unknown = []
    body = []
    for nr, name, entries in rows:
        args = resolve_args(name, entries, formats)
        if args is None:
            unknown.append((nr, name))
        body.append(format_row(nr, name, args))
    release = os.uname().release
    header = [
        f"// {os.path.basename(out_path)} - {abi} syscall table for the "
        "vigil decoder.",
        "//",
        "// GENERATED FILE - DO NOT EDIT BY HAND.",
        "// Generated by tools/gen_syscall_table.py from:",
        f"//   {os.path.basename(tbl_path)}, sha256",
        f"//     {sha256(tbl_path)}",
    ]
    header += textwrap.wrap(f"from {tree_label}", WRAP,
                            initial_indent="//     ",
                            subsequent_indent="//     ")
    header += [
        f"//   {tracefs}/events/syscalls/sys_enter_*/format",
        f"//     of kernel {release}",
        "// Rows: VIGIL_SYSCALL(nr, name, nargs, 6 x (argname, ctype));",
        "// nargs -1 means no tracefs format describes the arguments.",
        "",
    ]
    text = "\n".join(header + body) + "\n"
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    return unknown


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(os.path.dirname(here), "userspace", "decode")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tbl64", required=True, help="syscall_64.tbl")
    ap.add_argument("--tbl32", required=True, help="syscall_32.tbl")
    ap.add_argument("--tracefs", default="/sys/kernel/tracing",
                    help="tracefs mount point (default %(default)s)")
    ap.add_argument("--tree-label", default="Linux source tree",
                    help="kernel tree the .tbl files came from, for the "
                    "generated header")
    ap.add_argument("--out-dir", default=default_out,
                    help="output directory (default userspace/decode)")
    opts = ap.parse_args()

    formats = load_formats(opts.tracefs)
    jobs = [
        ("x86_64", opts.tbl64, {"common", "64"}, "syscalls_x86_64.inc"),
        ("i386", opts.tbl32, {"i386"}, "syscalls_i386.inc"),
    ]
    for abi, tbl, abis, out_name in jobs:
        rows = parse_tbl(tbl, abis)
        out = os.path.join(opts.out_dir, out_name)
        unknown = write_inc(out, abi, tbl, opts.tree_label, opts.tracefs,
                            rows, formats)
        print(f"{out}: {len(rows)} syscalls, {len(unknown)} with unknown "
              "arguments", file=sys.stderr)
        for nr, name in unknown:
            print(f"  {abi} {nr} {name}", file=sys.stderr)


if __name__ == "__main__":
    main()
