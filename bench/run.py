#!/usr/bin/env python3
"""Runner for the benchmarks of the Termite paper.

Two groups (--group basic|concurrency|all, default all):

* basic: the Figure 1 benchmarks.  Each is run with our Termite
  implementation (build/termite), Erlang/OTP, Gambit gsi (interpreter) and
  Gambit gsc -exe (compiled).  Every program prints exactly two lines:
      result: <checksum>
      time-ms: <milliseconds of the timed part>
* concurrency: the Figures 2-4 benchmarks (spawn, send, ring, pingpong) and
  the extra process measurements (procmem, spawn1m, gcidle, rpcqueue), run
  with termite, Erlang and gsc.  These programs print `result:` and
  `time-ms:` plus `key: value` lines (us-per-op, len-10-us, ...), one table
  row per measure, with the target of each row.

The `result:` checksums must agree between systems.  All programs accept
optional size arguments (used by --quick).  Standard library only.

See bench/README.md.
"""

import argparse
import os
import re
import resource
import statistics
import shutil
import subprocess
import sys
import tempfile

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)

# name, label in the table, size argument used by --quick
BENCHMARKS = [
    ("fib", "fib (34)", "20"),
    ("tak", "tak (27, 18, 9)", "18"),
    ("nrev", "nrev (5000) x5", "500"),
    ("qsort", "qsort (250000)", "10000"),
    ("smith", "smith (600) x10", "100"),
]

SYSTEMS = ["termite", "erlang", "gsi", "gsc"]

# Targets from bench/README.md.
TARGET_TERMITE_OVER_ERLANG = 5.0   # termite/erlang must be <= 5
TARGET_GSI_OVER_TERMITE = 4.0      # gsi/termite must be >= 4

RESULT_RE = re.compile(r"^result:\s*(.*?)\s*$", re.M)
TIME_RE = re.compile(r"^time-ms:\s*(-?\d+)\s*$", re.M)


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


class Outcome(object):
    """Result of running one benchmark on one system (best of N runs)."""

    def __init__(self):
        self.ms = None        # best time in ms (int) or None
        self.result = None    # checksum string of the first successful run
        self.error = None     # short error string, or None
        self.inconsistent = False  # checksum changed between repeated runs

    def cell(self):
        if self.error is not None:
            return "error"
        if self.ms is None:
            return "-"
        return str(self.ms)


def short(text, limit=300):
    text = (text or "").strip()
    if len(text) > limit:
        text = text[:limit] + "..."
    return text.replace("\n", " | ")


def run_program(cmd, cwd, timeout, env=None):
    """Run cmd; return (result, ms, error)."""
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, "timeout after %ss" % timeout
    except OSError as e:
        return None, None, "cannot run %s: %s" % (cmd[0], e)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode < 0:
        return None, None, "killed by signal %d: %s" % (
            -proc.returncode, short(err or out))
    if proc.returncode != 0:
        return None, None, "exit status %d: %s" % (
            proc.returncode, short(err or out))
    m_res = RESULT_RE.search(out)
    m_time = TIME_RE.search(out)
    if not m_res or not m_time:
        return None, None, "bad output (expected result:/time-ms: lines): %s" % short(out + " " + err)
    return m_res.group(1), int(m_time.group(1)), None


def find_tool(name):
    return shutil.which(name)


class Runner(object):
    def __init__(self, opts):
        self.opts = opts
        self.tmp = tempfile.mkdtemp(prefix="termite-bench-")
        self.erl = find_tool("erl")
        self.erlc = find_tool("erlc")
        self.gsi = find_tool("gsi")
        self.gsc = find_tool("gsc")
        self.erl_dir = os.path.join(self.tmp, "erlang")
        self.gsc_dir = os.path.join(self.tmp, "gambit")
        os.makedirs(self.erl_dir)
        os.makedirs(self.gsc_dir)
        # Erlang: no crash dumps in the working directory.
        self.erl_env = dict(os.environ)
        self.erl_env["ERL_CRASH_DUMP_BYTES"] = "0"
        self.erl_env["ERL_CRASH_DUMP"] = os.path.join(self.tmp, "erl_crash.dump")
        self.termite = self.resolve_termite(opts.termite)

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def resolve_termite(path):
        if os.path.isabs(path):
            return path
        # Relative paths: relative to the current directory if it exists
        # there, otherwise relative to the repository root.
        if os.path.exists(path):
            return os.path.abspath(path)
        return os.path.join(ROOT, path)

    def available_systems(self):
        systems = []
        for s in self.opts.systems:
            if s == "termite":
                systems.append(s)  # always shown; "error" if missing
            elif s == "erlang":
                if self.erl and self.erlc:
                    systems.append(s)
                else:
                    log("note: erl/erlc not found, skipping the Erlang column")
            elif s == "gsi":
                if self.gsi:
                    systems.append(s)
                else:
                    log("note: gsi not found, skipping the gsi column")
            elif s == "gsc":
                if self.gsc:
                    systems.append(s)
                else:
                    log("note: gsc not found, skipping the gsc column")
        return systems

    # -- preparation (compilation); returns (cmd, cwd, env) or raises --

    def prepare(self, system, name):
        size = []
        if self.opts.quick:
            size = [dict((b[0], b[2]) for b in BENCHMARKS)[name]]
        return self.command(system, name, size, self.basic_erl_flags())

    def basic_erl_flags(self):
        if self.opts.erl_flags is None:
            return []
        return self.opts.erl_flags.split()

    def command(self, system, name, size, erl_flags):
        """(cmd, cwd, env) to run bench/<system dir>/<name> with the
        arguments size (a list of strings), compiling it first if needed."""
        if system == "termite":
            if not (os.path.isfile(self.termite) and os.access(self.termite, os.X_OK)):
                raise PrepError("termite binary not found: %s" % self.termite)
            src = os.path.join("bench", "scheme", name + ".scm")
            return [self.termite, src] + size, ROOT, None
        if system == "erlang":
            src = os.path.join(BENCH_DIR, "erlang", name + ".erl")
            beam = os.path.join(self.erl_dir, name + ".beam")
            if not os.path.exists(beam):
                log("[%s] compiling with erlc" % name)
                self.compile(["erlc", "-o", self.erl_dir, src], self.erl_dir, "erlc")
            cmd = ["erl", "-noshell"] + list(erl_flags) + [
                "-pa", self.erl_dir, "-run", name, "main"] + size + ["-s", "init", "stop"]
            return cmd, self.erl_dir, self.erl_env
        if system == "gsi":
            src = os.path.join("bench", "gambit", name + ".scm")
            return ["gsi", src] + size, ROOT, None
        if system == "gsc":
            exe = os.path.join(self.gsc_dir, name)
            if not os.path.exists(exe):
                log("[%s] compiling with gsc -exe" % name)
                # Compile a copy so that gsc's intermediate .c files stay in
                # the temporary directory.
                src = os.path.join(self.gsc_dir, name + ".scm")
                shutil.copyfile(os.path.join(BENCH_DIR, "gambit", name + ".scm"), src)
                self.compile(["gsc", "-exe", "-o", exe, src], self.gsc_dir, "gsc")
                if not os.path.exists(exe):
                    raise PrepError("gsc produced no executable")
            return [exe] + size, self.gsc_dir, None
        raise PrepError("unknown system %s" % system)

    def compile(self, cmd, cwd, what):
        try:
            proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=self.opts.timeout)
        except subprocess.TimeoutExpired:
            raise PrepError("%s timed out" % what)
        except OSError as e:
            raise PrepError("cannot run %s: %s" % (what, e))
        if proc.returncode != 0:
            raise PrepError("%s failed: %s" % (
                what, short(proc.stderr.decode("utf-8", "replace") +
                            proc.stdout.decode("utf-8", "replace"))))

    def run(self, system, name):
        outcome = Outcome()
        try:
            cmd, cwd, env = self.prepare(system, name)
        except PrepError as e:
            outcome.error = str(e)
            log("[%s] %s: error: %s" % (name, system, e))
            return outcome
        except Exception as e:  # never crash
            outcome.error = "internal error: %r" % (e,)
            log("[%s] %s: error: %s" % (name, system, outcome.error))
            return outcome
        for i in range(self.opts.repeat):
            log("[%s] %s: run %d/%d: %s" % (name, system, i + 1, self.opts.repeat,
                                             " ".join(cmd)))
            try:
                res, ms, err = run_program(cmd, cwd, self.opts.timeout, env)
            except Exception as e:  # never crash
                res, ms, err = None, None, "internal error: %r" % (e,)
            if err is not None:
                outcome.error = err
                outcome.ms = None
                log("[%s] %s: error: %s" % (name, system, err))
                return outcome
            log("[%s] %s:   result: %s  time-ms: %d" % (name, system, res, ms))
            if outcome.result is None:
                outcome.result = res
            elif outcome.result != res:
                outcome.inconsistent = True
            if outcome.ms is None or ms < outcome.ms:
                outcome.ms = ms
        return outcome


class PrepError(Exception):
    pass


def ratio(num, den):
    """num/den formatted, or None when not computable."""
    if num is None or den is None or num.ms is None or den.ms is None:
        return None
    if num.error is not None or den.error is not None:
        return None
    if den.ms <= 0 or num.ms <= 0:
        return None
    return float(num.ms) / float(den.ms)


def fmt_ratio(value, bad=False):
    if value is None:
        return "-"
    return "%.2f%s" % (value, " *" if bad else "")


def print_table(headers, rows):
    widths = [len(h) for h in headers]
    for row in rows:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            out.append(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]))
        return "  ".join(out).rstrip()

    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def parse_args(argv):
    names = [b[0] for b in BENCHMARKS]
    conc_names = CONC_NAMES + sorted(CONC_ALIASES)
    p = argparse.ArgumentParser(
        description="Run the Termite paper's benchmarks: Figure 1 (basic) "
                    "and Figures 2-4 plus process measurements (concurrency), "
                    "termite vs Erlang vs Gambit gsi/gsc.")
    p.add_argument("--group", choices=["basic", "concurrency", "all"], default="all",
                   help="which benchmarks: basic (Figure 1), concurrency "
                        "(Figures 2-4 and the process measurements) or all (default)")
    p.add_argument("--termite", default="build/termite",
                   help="path to the termite binary (default: build/termite "
                        "relative to the repository root)")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="run only this benchmark (basic: %s; concurrency: %s); "
                        "may be repeated or comma-separated"
                        % (", ".join(names), ", ".join(conc_names)))
    p.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="run each program N times and keep the best time")
    p.add_argument("--quick", action="store_true",
                   help="small inputs (smoke test); times are meaningless")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 if any run failed or checksums disagree")
    p.add_argument("--systems", default=None,
                   help="comma-separated subset of %s (default: all for the basic "
                        "group, %s for the concurrency group)"
                        % (",".join(SYSTEMS), ",".join(CONC_SYSTEMS)))
    p.add_argument("--timeout", type=float, default=300.0, metavar="SEC",
                   help="timeout per run in seconds (default 300)")
    p.add_argument("--erl-flags", default=None, metavar="FLAGS",
                   help="extra flags for erl, e.g. '+S 1' (default: none for the "
                        "basic group, '%s' for the concurrency group)" % CONC_ERL_FLAGS)
    opts = p.parse_args(argv)
    only = []
    for item in opts.only:
        only.extend(x.strip() for x in item.split(",") if x.strip())
    for n in only:
        if n not in names and n not in conc_names:
            p.error("unknown benchmark %r (choose from %s)"
                    % (n, ", ".join(names + conc_names)))
    opts.only = only
    opts.systems_given = opts.systems is not None
    systems = [s.strip() for s in (opts.systems or ",".join(SYSTEMS)).split(",") if s.strip()]
    for s in systems:
        if s not in SYSTEMS:
            p.error("unknown system %r (choose from %s)" % (s, ", ".join(SYSTEMS)))
    opts.systems = [s for s in SYSTEMS if s in systems]
    if opts.repeat < 1:
        p.error("--repeat must be >= 1")
    return opts



# ---------------------------------------------------------------------------
# The concurrency group (Figures 2-4 and the extra process measurements).
# See bench/README.md, "Concurrency benchmarks".

PINGPONG_LENGTHS = [0, 10, 20, 50, 100, 200, 500, 1000]

# id, program (bench/*/<program>), arguments, --quick arguments, extra erl
# flags.  Ring with K = 0 and K = 1000000 is one program run twice.
CONC_PROGRAMS = [
    ("spawn", "spawn", [], ["10000"], []),
    ("send", "send", [], ["100000"], []),
    ("ring-k0", "ring", ["0"], ["0", "10000"], []),
    ("ring-k1m", "ring", ["1000000"], ["40000", "10000"], []),
    ("pingpong", "pingpong", [], ["2000"], []),
    ("procmem", "procmem", [], ["10000"], []),
    ("spawn1m", "spawn1m", [], ["10000"], ["+P", "2000000"]),
    ("gcidle", "gcidle", [], ["10000", "10000"], ["+P", "2000000"]),
    ("rpcqueue", "rpcqueue", [], ["10000", "1000"], []),
]
CONC_NAMES = [p[0] for p in CONC_PROGRAMS]
# --only aliases
CONC_ALIASES = {"ring": ["ring-k0", "ring-k1m"]}
CONC_SYSTEMS = ["termite", "erlang", "gsc"]     # default columns
CONC_ERL_FLAGS = "+S 1"   # the paper ran Erlang without SMP; faster here too

# Targets (bench/README.md).  ("faster", f): termite <= f * the best of
# erlang and gsc; ("max", v): termite <= v; ("below", v): termite < v.
FASTER = ("faster", 0.8)

# program id, key printed by the program (or a derived key), row label,
# unit, target or None.
CONC_ROWS = (
    [("spawn", "us-per-op", "spawn (Fig. 2)", "us/process", FASTER),
     ("send", "us-per-op", "send (Fig. 2)", "us/message", FASTER),
     ("ring-k0", "us-per-op", "ring K=0 (Fig. 3)", "us/process", FASTER),
     ("ring-k1m", "us-per-op", "ring K=1000000 (Fig. 3)", "us/process", FASTER)]
    + [("pingpong", "len-%d-us" % n, "pingpong len %d (Fig. 4)" % n, "us/message", FASTER)
       for n in PINGPONG_LENGTHS]
    + [("pingpong", "=flat", "pingpong max/min over lengths", "x", ("max", 1.2)),
       ("procmem", "bytes-per-process", "procmem: heap growth", "B/process", ("max", 400)),
       ("procmem", "info-bytes-per-process", "procmem: process-info", "B/process", ("max", 400)),
       ("spawn1m", "finished-cpu-s", "spawn1m: 1M finished", "CPU s", ("below", 1.0)),
       ("spawn1m", "blocked-cpu-s", "spawn1m: 1M blocked", "CPU s", ("below", 1.0)),
       ("gcidle", "alone-us", "gcidle: ping-pong alone", "us/round trip", None),
       ("gcidle", "idle-us", "gcidle: beside 1M idle", "us/round trip", None),
       ("gcidle", "ratio", "gcidle: idle/alone", "x", ("max", 1.2)),
       ("rpcqueue", "empty-us", "rpcqueue: empty mailbox", "us/call", None),
       ("rpcqueue", "full-us", "rpcqueue: 100k queued", "us/call", None),
       ("rpcqueue", "ratio", "rpcqueue: queued/empty", "x", ("max", 2.0))])

# Keys whose value over repeated runs is the median (ratios measured within
# one run); the others keep the lowest value.
MEDIAN_KEYS = ("ratio",)

KV_RE = re.compile(r"^([A-Za-z0-9_-]+):\s*(\S.*?)\s*$", re.M)


def run_program_kv(cmd, cwd, timeout, env=None):
    """Run cmd; return (dict of key: value strings, cpu seconds, wall
    seconds, error).  The cpu time is that of the whole child (rusage)."""
    import time
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, None, "timeout after %ss" % timeout
    except OSError as e:
        return None, None, None, "cannot run %s: %s" % (cmd[0], e)
    wall = time.monotonic() - w0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode < 0:
        return None, cpu, wall, "killed by signal %d: %s" % (
            -proc.returncode, short(err or out))
    if proc.returncode != 0:
        return None, cpu, wall, "exit status %d: %s" % (
            proc.returncode, short(err or out))
    kv = dict(KV_RE.findall(out))
    if "result" not in kv or not TIME_RE.search(out):
        return None, cpu, wall, "bad output (expected result:/time-ms: lines): %s" % short(out + " " + err)
    return kv, cpu, wall, None


class ConcOutcome(object):
    """All runs of one program on one system."""

    def __init__(self):
        self.runs = []        # list of dicts key -> value string
        self.error = None
        self.result = None
        self.inconsistent = False

    def value(self, key):
        if self.error is not None:
            return None
        if key == "=flat":
            vals = [self.value("len-%d-us" % n) for n in PINGPONG_LENGTHS]
            if any(v is None for v in vals) or min(vals) <= 0:
                return None
            return max(vals) / min(vals)
        vals = []
        for r in self.runs:
            try:
                vals.append(float(r[key]))
            except (KeyError, ValueError):
                pass
        if not vals:
            return None
        if key in MEDIAN_KEYS:
            return statistics.median(vals)
        return min(vals)


def run_conc_program(runner, system, prog):
    pid, name, args, quick_args, erl_extra = prog
    outcome = ConcOutcome()
    size = quick_args if runner.opts.quick else args
    erl_flags = (CONC_ERL_FLAGS if runner.opts.erl_flags is None
                 else runner.opts.erl_flags).split() + list(erl_extra)
    try:
        cmd, cwd, env = runner.command(system, name, size, erl_flags)
    except PrepError as e:
        outcome.error = str(e)
        log("[%s] %s: error: %s" % (pid, system, e))
        return outcome
    except Exception as e:  # never crash
        outcome.error = "internal error: %r" % (e,)
        log("[%s] %s: error: %s" % (pid, system, outcome.error))
        return outcome
    for i in range(runner.opts.repeat):
        log("[%s] %s: run %d/%d: %s" % (pid, system, i + 1, runner.opts.repeat,
                                         " ".join(cmd)))
        try:
            kv, cpu, wall, err = run_program_kv(cmd, cwd, runner.opts.timeout, env)
        except Exception as e:  # never crash
            kv, cpu, wall, err = None, None, None, "internal error: %r" % (e,)
        if err is not None:
            outcome.error = err
            log("[%s] %s: error: %s" % (pid, system, err))
            return outcome
        log("[%s] %s:   %s  (process: %.2f s CPU, %.2f s wall)" % (
            pid, system, "  ".join("%s: %s" % kv_item for kv_item in sorted(kv.items())),
            cpu, wall))
        if outcome.result is None:
            outcome.result = kv["result"]
        elif outcome.result != kv["result"]:
            outcome.inconsistent = True
        outcome.runs.append(kv)
    return outcome


def fmt_value(v):
    if v is None:
        return "-"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.3f" % v


def target_text(target):
    if target is None:
        return ""
    kind, v = target
    if kind == "faster":
        return "<= %gx best" % v
    if kind == "max":
        return "<= %g" % v
    return "< %g" % v


def conc_only(opts):
    """The concurrency program ids selected by --only (all if none)."""
    if not opts.only:
        return list(CONC_NAMES)
    chosen = []
    for n in opts.only:
        chosen.extend(CONC_ALIASES.get(n, [n] if n in CONC_NAMES else []))
    return [p for p in CONC_NAMES if p in chosen]


def run_concurrency(opts, runner):
    """Runs the concurrency group and prints its table; returns True if a
    run failed or checksums disagreed."""
    failed = False
    if opts.systems_given:
        wanted = opts.systems
    else:
        wanted = CONC_SYSTEMS
    systems = [s for s in runner.available_systems() if s in wanted]
    ids = conc_only(opts)
    if not ids:
        return False
    outcomes = {}   # (program id, system) -> ConcOutcome
    for prog in CONC_PROGRAMS:
        if prog[0] not in ids:
            continue
        for s in systems:
            outcomes[(prog[0], s)] = run_conc_program(runner, s, prog)

    others = [s for s in ("erlang", "gsc") if s in systems]
    headers = (["measure", "unit"] + systems +
               (["termite/best"] if "termite" in systems and others else []) +
               ["target", "status", "results"])
    rows = []
    notes = []
    met = missed = unknown = 0
    seen_programs = set()
    for pid, key, label, unit, target in CONC_ROWS:
        if pid not in ids:
            continue
        row = [label, unit]
        values = {}
        for s in systems:
            o = outcomes[(pid, s)]
            if o.error is not None:
                row.append("error")
                continue
            v = o.value(key)
            values[s] = v
            row.append(fmt_value(v))
        best = None
        vs = [values.get(s) for s in others if values.get(s) is not None]
        if vs:
            best = min(vs)
        t = values.get("termite")
        rel = None
        if t is not None and best is not None and best > 0 and unit not in ("x",) \
                and not unit.startswith("B/"):
            rel = t / best
        if "termite/best" in headers:
            row.append("-" if rel is None else "%.3f" % rel)
        row.append(target_text(target))
        status = ""
        if target is not None:
            kind, lim = target
            ok = None
            if kind == "faster" and rel is not None:
                ok = rel <= lim
            elif kind == "max" and t is not None:
                ok = t <= lim
            elif kind == "below" and t is not None:
                ok = t < lim
            if opts.quick:
                status = "(quick)"
            elif ok is None:
                status = "?"
                unknown += 1
            elif ok:
                status = "met"
                met += 1
            else:
                status = "MISSED"
                missed += 1
        row.append(status)
        # checksums, once per program
        if pid in seen_programs:
            row.append("")
        else:
            seen_programs.add(pid)
            checks = {}
            inconsistent = []
            for s in systems:
                o = outcomes[(pid, s)]
                if o.error is not None:
                    failed = True
                    continue
                if o.result is not None:
                    checks[s] = o.result
                if o.inconsistent:
                    inconsistent.append(s)
            distinct = set(checks.values())
            if len(distinct) > 1 or inconsistent:
                row.append("MISMATCH !!")
                failed = True
                notes.append("%s: results differ: %s%s" % (
                    pid, ", ".join("%s=%s" % (s, checks[s]) for s in systems if s in checks),
                    (" (varied between runs: %s)" % ", ".join(inconsistent))
                    if inconsistent else ""))
            elif len(checks) >= 2:
                row.append("ok (%s)" % next(iter(distinct)))
            elif len(checks) == 1:
                row.append("only %s" % next(iter(distinct)))
            else:
                row.append("-")
        rows.append(row)

    load = os.getloadavg()
    print("")
    print("Concurrency benchmarks%s, best of %d run(s); erl flags: %s; load average %.1f"
          % (" (QUICK sizes)" if opts.quick else "", opts.repeat,
             CONC_ERL_FLAGS if opts.erl_flags is None else (opts.erl_flags or "(none)"),
             load[0]))
    print_table(headers, rows)
    print("termite/best = termite / the best of %s (lower is better); "
          "ratio rows (unit x) are the median over runs"
          % " and ".join(others or ["-"]))
    if not opts.quick:
        print("targets: %d met, %d MISSED%s" % (
            met, missed, (", %d unknown (missing values)" % unknown) if unknown else ""))
    for n in notes:
        print("WARNING: " + n)
    if any(o.error is not None for o in outcomes.values()):
        print("(some runs failed: see the error messages on stderr)")
    return failed

def run_basic(opts, runner):
    """Runs the Figure 1 group and prints its table; returns True if a run
    failed or checksums disagreed."""
    failed = False
    systems = runner.available_systems()
    benches = [b for b in BENCHMARKS if not opts.only or b[0] in opts.only]
    if not benches:
        return False
    results = []  # (bench, {system: Outcome})
    for name, label, quick_size in benches:
        if opts.quick:
            label = "%s (quick: %s)" % (label.split(" (")[0], quick_size)
        outcomes = {}
        for s in systems:
            outcomes[s] = runner.run(s, name)
        results.append(((name, label), outcomes))

    headers = ["benchmark"] + ["%s ms" % s for s in systems]
    ratio_cols = []
    if "termite" in systems and "erlang" in systems:
        ratio_cols.append(("termite/erlang", "termite", "erlang"))
    if "termite" in systems and "gsi" in systems:
        ratio_cols.append(("gsi/termite", "gsi", "termite"))
    if "termite" in systems and "gsc" in systems:
        ratio_cols.append(("termite/gsc", "termite", "gsc"))
    headers += [c[0] for c in ratio_cols] + ["results"]

    rows = []
    notes = []
    missed = False
    for (name, label), outcomes in results:
        row = [label]
        for s in systems:
            o = outcomes[s]
            row.append(o.cell())
            if o.error is not None:
                failed = True
        for col, a, b in ratio_cols:
            r = ratio(outcomes[a], outcomes[b])
            bad = False
            if r is not None and not opts.quick:
                if col == "termite/erlang" and r > TARGET_TERMITE_OVER_ERLANG:
                    bad = True
                if col == "gsi/termite" and r < TARGET_GSI_OVER_TERMITE:
                    bad = True
            missed = missed or bad
            row.append(fmt_ratio(r, bad))
        checks = dict((s, o.result) for s, o in outcomes.items()
                      if o.error is None and o.result is not None)
        distinct = set(checks.values())
        inconsistent = [s for s, o in outcomes.items() if o.inconsistent]
        if len(distinct) > 1 or inconsistent:
            row.append("MISMATCH !!")
            failed = True
            notes.append("%s: results differ: %s%s" % (
                name,
                ", ".join("%s=%s" % (s, checks[s]) for s in systems if s in checks),
                (" (varied between runs: %s)" % ", ".join(inconsistent))
                if inconsistent else ""))
        elif len(checks) >= 2:
            row.append("ok (%s)" % next(iter(distinct)))
        elif len(checks) == 1:
            row.append("only %s" % next(iter(distinct)))
        else:
            row.append("-")
        rows.append(row)

    print("")
    print("Figure 1 basic benchmarks%s, best of %d run(s), times in ms"
          % (" (QUICK sizes)" if opts.quick else "", opts.repeat))
    print_table(headers, rows)
    if missed:
        print("* = target missed (termite/erlang <= %g, gsi/termite >= %g)"
              % (TARGET_TERMITE_OVER_ERLANG, TARGET_GSI_OVER_TERMITE))
    for n in notes:
        print("WARNING: " + n)
    if any(o.error is not None for _, outs in results for o in outs.values()):
        print("(some runs failed: see the error messages on stderr)")
    return failed


def main(argv):
    opts = parse_args(argv)
    runner = Runner(opts)
    failed = False
    try:
        if opts.group in ("basic", "all"):
            failed = run_basic(opts, runner) or failed
        if opts.group in ("concurrency", "all"):
            failed = run_concurrency(opts, runner) or failed
    except KeyboardInterrupt:
        log("interrupted")
        failed = True
    finally:
        runner.cleanup()
    sys.stdout.flush()
    if opts.strict and failed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
