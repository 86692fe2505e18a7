"""Shared helpers for the Termite Scheme test suite.

Configuration (environment variables):

  TERMITE               the interpreter command (default: <repo>/build/termite).
                        It is split like a shell word list, so a wrapper with
                        arguments ("/path/run-termite --flag") works too.
  TERMITE_TEST_FILTER   only collect .scm files whose path (relative to
                        tests/) matches this regular expression (re.search).
  TERMITE_TEST_TIMEOUT  seconds allowed per Scheme file (default: 60).

See tests/README.md for the file formats.
"""

import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
LANG_DIR = TESTS_DIR / "lang"
OUTPUT_DIR = TESTS_DIR / "output"
TESTING_LIB = Path("lang") / "testing.scm"  # relative to REPO_ROOT (the cwd)


def termite_command() -> List[str]:
    value = os.environ.get("TERMITE")
    if value:
        return shlex.split(value)
    return [str(REPO_ROOT / "build" / "termite")]


def timeout_seconds() -> float:
    return float(os.environ.get("TERMITE_TEST_TIMEOUT", "60"))


def collect_scm_files(directory: Path) -> List[Path]:
    """The .scm files of DIRECTORY, sorted, restricted by TERMITE_TEST_FILTER."""
    files = sorted(directory.glob("*.scm"))
    pattern = os.environ.get("TERMITE_TEST_FILTER")
    if pattern:
        regex = re.compile(pattern)
        files = [f for f in files if regex.search(str(f.relative_to(TESTS_DIR)))]
    return files


@dataclass
class RunResult:
    argv: List[str]
    returncode: Optional[int]  # None when the process timed out
    stdout: str
    stderr: str
    timed_out: bool = False

    def describe(self, max_chars: int = 4000) -> str:
        def tail(text: str) -> str:
            if len(text) > max_chars:
                return "[... %d characters omitted ...]\n" % (len(text) - max_chars) + text[-max_chars:]
            return text

        status = "TIMED OUT" if self.timed_out else "exit status %s" % self.returncode
        return (
            "command: %s\n%s\n--- stdout ---\n%s\n--- stderr ---\n%s"
            % (" ".join(shlex.quote(a) for a in self.argv), status, tail(self.stdout), tail(self.stderr))
        )


def run_termite(args: List[str], stdin: str = "", env_extra: Optional[dict] = None) -> RunResult:
    """Runs the interpreter with ARGS in the repository root."""
    argv = termite_command() + args
    executable = Path(argv[0])
    if os.sep in argv[0] and not executable.exists():
        pytest.fail(
            "termite interpreter not found at %s (build it, or set TERMITE=/path/to/termite)" % argv[0],
            pytrace=False,
        )
    env = dict(os.environ)
    if env_extra:
        env.update(env_extra)
    try:
        proc = subprocess.run(
            argv,
            cwd=str(REPO_ROOT),
            input=stdin.encode("utf-8"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=timeout_seconds(),
            env=env,
        )
    except subprocess.TimeoutExpired as exc:
        return RunResult(
            argv,
            None,
            (exc.stdout or b"").decode("utf-8", "replace"),
            (exc.stderr or b"").decode("utf-8", "replace"),
            timed_out=True,
        )
    except OSError as exc:
        pytest.fail("cannot run %s: %s" % (argv[0], exc), pytrace=False)
    return RunResult(
        argv,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


# ---------------------------------------------------------------------------
# Directives written as comments in the .scm files.

_DIRECTIVE = re.compile(r"^\s*;+\s*([a-z][a-z-]*):(?: ?(.*))?$")


@dataclass
class Directives:
    expect: List[str] = field(default_factory=list)  # ";; expect: TEXT", in order
    stderr_contains: List[str] = field(default_factory=list)
    stderr_matches: List[str] = field(default_factory=list)
    stdout_contains: List[str] = field(default_factory=list)
    exit: str = "0"  # a number, or "nonzero"
    args: List[str] = field(default_factory=list)
    stdin: List[str] = field(default_factory=list)
    env: dict = field(default_factory=dict)
    expect_count: Optional[int] = None
    any_stdout: bool = False


KNOWN_DIRECTIVES = {
    "expect",
    "expect-stderr-contains",
    "expect-stderr-matches",
    "expect-stdout-contains",
    "expect-exit",
    "expect-count",
    "expect-any-stdout",
    "args",
    "stdin",
    "env",
}


def parse_directives(path: Path) -> Directives:
    d = Directives()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _DIRECTIVE.match(line)
        if not m or m.group(1) not in KNOWN_DIRECTIVES:
            continue
        name, value = m.group(1), m.group(2) or ""
        if name == "expect":
            d.expect.append(value)
        elif name == "expect-stderr-contains":
            d.stderr_contains.append(value)
        elif name == "expect-stderr-matches":
            d.stderr_matches.append(value)
        elif name == "expect-stdout-contains":
            d.stdout_contains.append(value)
        elif name == "expect-exit":
            d.exit = value.strip()
            if d.exit != "nonzero" and not re.fullmatch(r"-?\d+", d.exit):
                raise ValueError("%s:%d: bad expect-exit value %r" % (path, lineno, value))
        elif name == "expect-count":
            d.expect_count = int(value.strip())
        elif name == "expect-any-stdout":
            d.any_stdout = True
        elif name == "args":
            d.args.extend(shlex.split(value))
        elif name == "stdin":
            d.stdin.append(value)
        elif name == "env":
            key, _, val = value.partition("=")
            d.env[key.strip()] = val
    return d
