"""The termite command line: options, exit statuses, (command-line) and
the REPL reading a pipe.

The binary is $TERMITE, else build/termite under the repository.  Run with
    /usr/bin/python3 -m pytest tests/test_cli.py
"""

import math
import os
import re
import shlex
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def termite_command():
    """$TERMITE split like a shell word list (as in conftest.py), so that
    a wrapper with arguments works; else build/termite."""
    if os.environ.get("TERMITE"):
        return shlex.split(os.environ["TERMITE"])
    path = REPO / "build" / "termite"
    if not path.exists():
        pytest.fail(f"no termite binary at {path}: build it (ninja -C build)"
                    " or set TERMITE", pytrace=False)
    return [str(path)]


def termite(*args, stdin="", cwd=None):
    """Run termite with args; stdin is a pipe (so never a terminal)."""
    return subprocess.run([*termite_command(), *args], input=stdin, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def project_version():
    text = (REPO / "meson.build").read_text()
    return re.search(r"version\s*:\s*'([^']+)'", text).group(1)


# ---- options ---------------------------------------------------------------

def test_help_lists_usage_and_options():
    r = termite("--help")
    assert r.returncode == 0
    assert "Usage" in r.stdout
    for option in ("-e", "--eval", "-l", "--load", "-i", "--interactive",
                   "--seed", "--version"):
        assert option in r.stdout
    assert ",help" in r.stdout          # the description lists REPL commands


def test_version():
    r = termite("--version")
    assert r.returncode == 0
    assert r.stdout == f"termite {project_version()}\n"


def test_unknown_option_is_a_usage_error():
    r = termite("--no-such-option")
    assert r.returncode == 64
    assert "no-such-option" in r.stderr
    assert r.stdout == ""


def test_bad_seed_is_a_usage_error():
    r = termite("--seed", "abc", "-e", "1")
    assert r.returncode == 64
    assert "seed" in r.stderr


def test_seed_is_accepted():
    r = termite("--seed", "42", "-e", "(+ 1 2)")
    assert r.returncode == 0
    assert r.stdout == "3\n"


# ---- -e --------------------------------------------------------------------

def test_eval_prints_the_value():
    r = termite("-e", "(+ 1 2)")
    assert (r.returncode, r.stdout) == (0, "3\n")


def test_eval_writes_strings():
    r = termite("-e", '"hi"')
    assert (r.returncode, r.stdout) == (0, '"hi"\n')


def test_eval_prints_nothing_for_the_unspecified_value():
    r = termite("-e", "(if #f #f)")
    assert (r.returncode, r.stdout) == (0, "")


def test_eval_is_repeatable_and_shares_globals():
    r = termite("-e", "(define x 4)", "-e", "(* x x)")
    assert (r.returncode, r.stdout) == (0, "16\n")


def test_eval_output_comes_before_the_value():
    r = termite("-e", '(begin (display "hi") 5)')
    assert (r.returncode, r.stdout) == (0, "hi5\n")


def test_eval_does_not_start_the_repl():
    r = termite("-e", "(+ 1 2)", stdin="(+ 40 2)\n")
    assert (r.returncode, r.stdout) == (0, "3\n")


def test_eval_error_exits_70():
    r = termite("-e", "(car 5)", "-e", "(display 'not-reached)")
    assert r.returncode == 70
    assert "car" in r.stderr
    assert "not-reached" not in r.stdout


@pytest.mark.parametrize("expr, first_line", [
    ("(car 5)", "error: car: argument 1 must be a pair, got 5"),
    ('(+ 1 "a")', 'error: +: argument 2 must be a number, got "a"'),
    ('(string-ref "abc" 10)',
     "error: string-ref: index 10 out of range for string of length 3"),
    ("(vector-ref (vector 1 2) 5)",
     "error: vector-ref: index 5 out of range for vector of length 2"),
    ("(if)",
     "error: <command line>:1:1: bad syntax, expected (if test then [else]): (if)"),
    ("(error \"something went wrong\" 42 'too-big)",
     "error: something went wrong 42 too-big"),
    ("(5 1)", "error: attempt to call a non-procedure 5"),
])
def test_error_report_shows_the_culprit_once(expr, first_line):
    r = termite("-e", expr)
    assert r.returncode == 70
    assert r.stderr.splitlines()[0] == first_line


def test_process_death_report_shows_the_culprit_once():
    # main is pid 0 and the prelude's service registry pid 1
    r = termite("-e", "(spawn (lambda () (car 5)))", "-e", "(? 1 #f)")
    assert r.returncode == 0
    assert r.stderr == "process #<pid 2> died: car: argument 1 must be a pair, got 5\n"


def test_eval_incomplete_exits_70():
    r = termite("-e", "(+ 1")
    assert r.returncode == 70
    assert r.stderr != ""


def test_eval_exit():
    r = termite("-e", "(exit 5)", "-e", "(display 'not-reached)")
    assert r.returncode == 5
    assert "not-reached" not in r.stdout


def test_eval_command_line_is_termite():
    r = termite("-e", "(command-line)")
    assert (r.returncode, r.stdout) == (0, '("termite")\n')


def test_interactive_after_eval_reads_stdin():
    r = termite("-i", "-e", "(define x 2)", stdin="(* x 21)\n")
    assert (r.returncode, r.stdout) == (0, "42\n")


# ---- programs ----------------------------------------------------------------

def test_program_gets_its_arguments(tmp_path):
    (tmp_path / "prog.scm").write_text("(write (command-line)) (newline)\n")
    # Options after FILE belong to the program, not to termite.
    r = termite("prog.scm", "a", "-x", "--help", "-e", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == '("prog.scm" "a" "-x" "--help" "-e")\n'


def test_double_dash_ends_termite_options(tmp_path):
    (tmp_path / "-odd.scm").write_text("(write (command-line)) (newline)\n")
    r = termite("--", "-odd.scm", "b", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == '("-odd.scm" "b")\n'


def test_program_exit_status(tmp_path):
    (tmp_path / "exit3.scm").write_text("(display \"bye\")\n(exit 3)\n"
                                        "(display \"not-reached\")\n")
    r = termite(str(tmp_path / "exit3.scm"))
    assert r.returncode == 3
    assert r.stdout == "bye"


def test_uncaught_error_exits_70(tmp_path):
    (tmp_path / "bad.scm").write_text("(car 5)\n")
    r = termite(str(tmp_path / "bad.scm"))
    assert r.returncode == 70
    assert "error" in r.stderr.lower()


def test_backtrace_shows_the_programs_frames_innermost_first(tmp_path):
    # f's (car x) fails inside g's non-tail call; the library's frames
    # around them (raise, the loader) are left out
    prog = tmp_path / "bt.scm"
    prog.write_text("(define (f x) (car x))\n"
                    "(define (g y) (+ 1 (f y)))\n"
                    "(g 5)\n")
    r = termite(str(prog))
    assert r.returncode == 70
    lines = r.stderr.splitlines()
    bt = lines[lines.index("backtrace:") + 1:]
    assert bt[0] == "  0: f at %s:1" % prog
    assert bt[1] == "  1: g at %s:2" % prog
    assert not any("prelude" in line for line in bt)


def test_nodes_and_pids_print_their_identity():
    # a node without a network is localhost:0; the main program is pid 0
    r = termite("-e", "(list (current-node) (self))")
    assert r.returncode == 0
    assert r.stdout == "(#<node localhost:0> #<pid 0>)\n"


def test_errors_in_the_librarys_code_show_no_library_locations(tmp_path):
    # a reader error's message has its own file:line:column; the loader's
    # frames and location are the library's and are left out
    prog = tmp_path / "deep.scm"
    prog.write_text("(define x '" + "(" * 20000 + ")" * 20000 + ")\n")
    r = termite(str(prog))
    assert r.returncode == 70
    assert r.stderr.startswith("error: read: %s:1:10010: nesting too deep" % prog)
    assert "prelude" not in r.stderr and "backtrace" not in r.stderr


def test_a_call_with_too_many_arguments_is_a_compile_error(tmp_path):
    prog = tmp_path / "big.scm"
    prog.write_text("(display (list " + "1 " * 60000 + "))\n")
    r = termite(str(prog))
    assert r.returncode == 70
    assert ("%s:1:10: too many arguments in a call (60000; at most 50000)" % prog) in r.stderr
    r = termite("-e", "(length (apply list (make-list 60000 1)))")
    assert r.returncode == 70
    assert "apply: too many arguments (60000; a call takes at most 50000)" in r.stderr
    r = termite("-e", "(length (apply list (make-list 40000 1)))")
    assert (r.returncode, r.stdout) == (0, "40000\n")


def test_an_error_inside_the_library_shows_the_programs_form(tmp_path):
    # car fails inside vector-map (library code) called in tail position
    # of a top-level form: the form's frame is kept for the backtrace
    prog = tmp_path / "tl.scm"
    prog.write_text("(define v #(1 2))\n(vector-map car v)\n")
    r = termite(str(prog))
    assert r.returncode == 70
    assert r.stderr.splitlines()[:3] == [
        "error: car: argument 1 must be a pair, got 1",
        "backtrace:",
        "  0: <top level> at %s:2" % prog]


def test_missing_file_exits_66(tmp_path):
    missing = tmp_path / "no-such-file.scm"
    r = termite(str(missing))
    assert r.returncode == 66
    assert "no-such-file.scm" in r.stderr


def test_program_does_not_read_stdin(tmp_path):
    (tmp_path / "p.scm").write_text("(display 1)\n")
    r = termite(str(tmp_path / "p.scm"), stdin="(display 2)\n")
    assert (r.returncode, r.stdout) == (0, "1")


def test_load_before_program(tmp_path):
    (tmp_path / "lib.scm").write_text('(define (greet) "hello")\n')
    (tmp_path / "prog.scm").write_text("(display (greet)) (newline)\n")
    r = termite("-l", "lib.scm", "prog.scm", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "hello\n"), r.stderr


def test_loads_run_in_order_before_eval(tmp_path):
    (tmp_path / "a.scm").write_text("(define a 1)\n")
    (tmp_path / "b.scm").write_text("(define b (+ a 1))\n")
    r = termite("-l", "a.scm", "--load", "b.scm", "-e", "(list a b)",
                cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "(1 2)\n"), r.stderr


def test_failing_load_stops_before_the_program(tmp_path):
    (tmp_path / "bad.scm").write_text("(car 5)\n")
    (tmp_path / "prog.scm").write_text("(display 'not-reached)\n")
    r = termite("-l", "bad.scm", "prog.scm", cwd=tmp_path)
    assert r.returncode == 70
    assert "not-reached" not in r.stdout


def test_load_testing_library(tmp_path):
    (tmp_path / "t.scm").write_text("(test 3 (+ 1 2))\n")
    r = termite("-l", str(REPO / "lang" / "testing.scm"), str(tmp_path / "t.scm"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok - ")


# ---- the REPL on a pipe ----------------------------------------------------

def test_piped_repl_prints_results_only():
    r = termite(stdin="(define x 5) (* x x)\n")
    assert (r.returncode, r.stdout) == (0, "25\n")


def test_piped_repl_one_result_per_entry():
    r = termite(stdin="(+ 1 2)\n\n(if #f #f)\n\"s\"\n")
    assert (r.returncode, r.stdout) == (0, '3\n"s"\n')


def test_piped_repl_accumulates_incomplete_datums():
    r = termite(stdin="(+ 1\n   2)\n(string-append \"a\n\" \"b\")\n")
    assert (r.returncode, r.stdout) == (0, '3\n"a\\nb"\n')


def test_piped_repl_evaluates_an_entry_once():
    # A complete datum followed by an incomplete one on the same line:
    # nothing may run until the entry is complete, and then only once.
    r = termite(stdin='(display "a") (display\n"b")\n')
    assert (r.returncode, r.stdout) == (0, "ab")


def test_piped_repl_continues_after_an_error():
    r = termite(stdin="(car 5)\n(+ 1 2)\n")
    assert (r.returncode, r.stdout) == (0, "3\n")
    assert "car" in r.stderr


def test_piped_repl_goes_on_in_a_new_main_process_after_terminate():
    # the terminated main process (pid 0) is replaced by a new one, which
    # gets the next pid and can send to itself and receive
    r = termite(stdin="(terminate! (self))\n(self)\n(! (self) 'x)\n(? 1 'none)\n")
    assert r.returncode == 0
    assert r.stdout == "#<pid 2>\nx\n"
    assert "the main process was terminated #<pid 0>" in r.stderr


def test_program_ends_when_its_main_process_is_terminated(tmp_path):
    prog = tmp_path / "t.scm"
    prog.write_text("(display 1)\n(terminate! (self))\n(display 2)\n")
    r = termite(str(prog))
    assert (r.returncode, r.stdout) == (70, "1")
    assert "the main process was terminated" in r.stderr


def test_piped_repl_output_order():
    r = termite(stdin='(display "hi")\n(+ 1 2)\n')
    assert (r.returncode, r.stdout) == (0, "hi3\n")


def test_piped_repl_exit():
    r = termite(stdin="(exit 7)\n(display 'not-reached)\n")
    assert r.returncode == 7
    assert "not-reached" not in r.stdout


def test_piped_repl_commands():
    r = termite(stdin=",help\n,nope\n(+ 1 2)\n,q\n(display 'not-reached)\n")
    assert r.returncode == 0
    assert ",q" in r.stdout and r.stdout.endswith("3\n")
    assert "unknown command ,nope (try ,help)" in r.stderr


def test_piped_repl_time_command():
    r = termite(stdin=",t (+ 1 2)\n")
    assert r.returncode == 0
    assert re.fullmatch(r"3\n; [0-9.]+ ms\n", r.stdout)


def test_piped_repl_has_no_banner_or_prompt():
    r = termite(stdin="")
    assert (r.returncode, r.stdout) == (0, "")


def test_piped_repl_reports_an_unfinished_datum():
    r = termite(stdin="(+ 1\n")
    assert r.returncode == 0
    assert r.stdout == ""
    assert "end of input" in r.stderr


# ---- startup time (measured, not asserted: see bench/) ----------------------

def test_startup_time():
    times = []
    for _ in range(5):
        start = time.perf_counter()
        r = termite("-e", "1")
        times.append(time.perf_counter() - start)
        assert r.returncode == 0
    print(f"\nstartup of `termite -e 1`: best {min(times) * 1000:.1f} ms, "
          f"median {sorted(times)[2] * 1000:.1f} ms")


def test_the_flagship_demo_runs():
    r = termite(str(REPO / "examples" / "demo.scm"))
    assert r.returncode == 0, r.stderr
    for line in ["  (factorial 100) => %d" % math.factorial(100),
                 "  token after 3 laps => 30000",
                 "  (!? pong-server '(add 20 22)) => 42",
                 "  then (? 0) (? 0) => (first second)",
                 "  exit signal from a spawn-link'ed child => (failure oops)",
                 "  crash (no reply) => no-reply",
                 "  ping after the restart => pong",
                 "  ((u8vector->object bytes) 1) => 43"]:
        assert line in r.stdout.splitlines(), line
    assert "(info: restarting...)" in r.stderr
