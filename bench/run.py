#!/usr/bin/env python3
"""Runner for the Figure 1 basic benchmarks of the Termite paper.

Runs each benchmark with our Termite implementation (build/termite), Erlang/OTP,
Gambit gsi (interpreter) and Gambit gsc -exe (compiled), checks that the
`result:` checksums agree, and prints one table.  Standard library only.

Every benchmark program prints exactly two lines on stdout:
    result: <checksum>
    time-ms: <milliseconds of the timed part>
and accepts an optional size argument (used by --quick).

See bench/README.md.
"""

import argparse
import os
import re
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
            cmd = ["erl", "-noshell"] + self.opts.erl_flags.split() + [
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
    p = argparse.ArgumentParser(
        description="Run the Termite paper's Figure 1 benchmarks "
                    "(termite vs Erlang vs Gambit gsi/gsc).")
    p.add_argument("--termite", default="build/termite",
                   help="path to the termite binary (default: build/termite "
                        "relative to the repository root)")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="run only this benchmark (%s); may be repeated or "
                        "comma-separated" % ", ".join(names))
    p.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="run each program N times and keep the best time")
    p.add_argument("--quick", action="store_true",
                   help="small inputs (smoke test); times are meaningless")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 if any run failed or checksums disagree")
    p.add_argument("--systems", default=",".join(SYSTEMS),
                   help="comma-separated subset of %s (default: all)" % ",".join(SYSTEMS))
    p.add_argument("--timeout", type=float, default=300.0, metavar="SEC",
                   help="timeout per run in seconds (default 300)")
    p.add_argument("--erl-flags", default="", metavar="FLAGS",
                   help="extra flags for erl, e.g. '+S 1' (default: none)")
    opts = p.parse_args(argv)
    only = []
    for item in opts.only:
        only.extend(x.strip() for x in item.split(",") if x.strip())
    for n in only:
        if n not in names:
            p.error("unknown benchmark %r (choose from %s)" % (n, ", ".join(names)))
    opts.only = only
    systems = [s.strip() for s in opts.systems.split(",") if s.strip()]
    for s in systems:
        if s not in SYSTEMS:
            p.error("unknown system %r (choose from %s)" % (s, ", ".join(SYSTEMS)))
    opts.systems = [s for s in SYSTEMS if s in systems]
    if opts.repeat < 1:
        p.error("--repeat must be >= 1")
    return opts


def main(argv):
    opts = parse_args(argv)
    runner = Runner(opts)
    failed = False
    try:
        systems = runner.available_systems()
        benches = [b for b in BENCHMARKS if not opts.only or b[0] in opts.only]
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
