"""Runs the Scheme test corpus against the termite interpreter.

* tests/lang/*.scm   -- unit tests written with lang/testing.scm; run as
                        `termite -l lang/testing.scm tests/lang/FILE.scm`.
                        Every output line "ok - NAME" is a passed check,
                        "FAIL - NAME: ..." a failed one.  One pytest item per
                        file; it fails if any check fails, if the process
                        exits non-zero or times out, if no check passed, or
                        if the number of checks differs from the file's
                        ";; expect-count: N" directive.
* tests/output/*.scm -- golden tests: stdout must equal the ";; expect:"
                        lines exactly; see tests/README.md for the other
                        directives (exit status, stderr, args, stdin, env).
"""

import difflib
import os
import re

import pytest

from conftest import (
    LANG_DIR,
    OUTPUT_DIR,
    TESTING_LIB,
    TESTS_DIR,
    collect_scm_files,
    parse_directives,
    run_termite,
)

OK_LINE = re.compile(r"^ok - (.*)$")
FAIL_LINE = re.compile(r"^FAIL - (.*)$")


def _ids(paths):
    return [str(p.relative_to(TESTS_DIR)) for p in paths]


# Files that document features not implemented yet ({"file.scm": reason});
# strict, so they fail the suite once the feature works and the mark must
# be removed.  None at present.
KNOWN_GAPS = {}

LANG_FILES = [
    pytest.param(p, marks=pytest.mark.xfail(reason=KNOWN_GAPS[os.path.basename(str(p))], strict=True))
    if os.path.basename(str(p)) in KNOWN_GAPS else p
    for p in collect_scm_files(LANG_DIR)
]
OUTPUT_FILES = collect_scm_files(OUTPUT_DIR)


@pytest.mark.parametrize("path", LANG_FILES, ids=_ids(collect_scm_files(LANG_DIR)))
def test_lang(path):
    directives = parse_directives(path)
    rel = str(path.relative_to(TESTS_DIR.parent))
    result = run_termite(["-l", str(TESTING_LIB), rel])

    lines = result.stdout.splitlines()
    passed = [m.group(1) for m in map(OK_LINE.match, lines) if m]
    failed = [m.group(1) for m in map(FAIL_LINE.match, lines) if m]
    total = len(passed) + len(failed)

    # Make every check visible (shown by pytest on failure, or with -rA / -s).
    print("%s: %d passed, %d failed" % (rel, len(passed), len(failed)))
    for line in lines:
        print("  " + line)

    problems = []
    if result.timed_out:
        problems.append("the interpreter timed out")
    elif result.returncode != 0:
        problems.append("the interpreter exited with status %s" % result.returncode)
    if failed:
        problems.append("%d check(s) failed:\n%s" % (len(failed), "\n".join("  FAIL - " + f for f in failed)))
    if not passed:
        problems.append("no check passed (no 'ok - ' line in the output)")
    if directives.expect_count is not None and total != directives.expect_count:
        last = ("; last check reported: %s" % lines_last_check(lines)) if total else ""
        problems.append(
            "expected %d checks to report, got %d (%d ok, %d FAIL)%s"
            % (directives.expect_count, total, len(passed), len(failed), last)
        )
    if problems:
        pytest.fail(
            "%s\n\n%s" % ("\n".join("* " + p for p in problems), result.describe()),
            pytrace=False,
        )


def lines_last_check(lines):
    for line in reversed(lines):
        if OK_LINE.match(line) or FAIL_LINE.match(line):
            return line
    return "(none)"


@pytest.mark.parametrize("path", OUTPUT_FILES, ids=_ids(OUTPUT_FILES))
def test_output(path):
    d = parse_directives(path)
    rel = str(path.relative_to(TESTS_DIR.parent))
    stdin = "".join(line + "\n" for line in d.stdin)
    result = run_termite([rel] + d.args, stdin=stdin, env_extra=d.env)

    problems = []
    if result.timed_out:
        problems.append("the interpreter timed out")
    else:
        if d.exit == "nonzero":
            if result.returncode == 0:
                problems.append("expected a non-zero exit status, got 0")
        elif result.returncode != int(d.exit):
            problems.append("expected exit status %s, got %s" % (d.exit, result.returncode))

    if not d.any_stdout:
        expected = "".join(line + "\n" for line in d.expect)
        if result.stdout != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(True),
                    result.stdout.splitlines(True),
                    fromfile="expected stdout",
                    tofile="actual stdout",
                )
            )
            if not diff:  # e.g. only a missing final newline
                diff = "expected %r\n     got %r" % (expected, result.stdout)
            problems.append("stdout differs from the ';; expect:' lines:\n" + diff)
    for text in d.stdout_contains:
        if text not in result.stdout:
            problems.append("stdout does not contain %r" % text)
    for text in d.stderr_contains:
        if text not in result.stderr:
            problems.append("stderr does not contain %r" % text)
    for pattern in d.stderr_matches:
        if not re.search(pattern, result.stderr):
            problems.append("stderr does not match the regular expression %r" % pattern)

    if problems:
        pytest.fail(
            "%s\n\n%s" % ("\n".join("* " + p for p in problems), result.describe()),
            pytrace=False,
        )


# ---------------------------------------------------------------------------
# Checks of the harness itself (they do not run the interpreter).


def test_harness_parses_directives(tmp_path):
    source = tmp_path / "sample.scm"
    source.write_text(
        ";;; a comment: not a directive\n"
        ";; expect: first line\n"
        ";; expect:\n"
        ";; expect:  two spaces\n"
        ";; expect-exit: nonzero\n"
        ";; expect-stderr-contains: boom\n"
        ";; expect-stderr-matches: file\\.scm:5:[0-9]+\n"
        ";; args: a \"b c\"\n"
        ";; args: d\n"
        ";; stdin: input line\n"
        ";; env: NAME=value with spaces\n"
        ";; expect-count: 7\n"
        "(display \"x\") ; expect: not a directive (code before the comment)\n",
        encoding="utf-8",
    )
    d = parse_directives(source)
    assert d.expect == ["first line", "", " two spaces"]
    assert d.exit == "nonzero"
    assert d.stderr_contains == ["boom"]
    assert d.stderr_matches == ["file\\.scm:5:[0-9]+"]
    assert d.args == ["a", "b c", "d"]
    assert d.stdin == ["input line"]
    assert d.env == {"NAME": "value with spaces"}
    assert d.expect_count == 7


def test_harness_defaults(tmp_path):
    source = tmp_path / "plain.scm"
    source.write_text("(display 1)\n", encoding="utf-8")
    d = parse_directives(source)
    assert d.expect == [] and d.exit == "0" and d.expect_count is None and d.args == []


def test_harness_collected_the_corpus():
    if os.environ.get("TERMITE_TEST_FILTER"):
        pytest.skip("TERMITE_TEST_FILTER is set")
    assert len(LANG_FILES) >= 25
    assert len(OUTPUT_FILES) >= 15
    for path in collect_scm_files(LANG_DIR):
        assert parse_directives(path).expect_count is not None, "%s has no ';; expect-count:'" % path
