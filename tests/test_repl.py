"""The REPL on a terminal: banner, prompts, multi-line input, errors,
commands, TAB completion and history, driven through a pty by pexpect.

Each test gets a fresh HOME, so ~/.termite_history is the test's own.
The binary is $TERMITE, else build/termite.
"""

import os
import shlex
import time
from pathlib import Path

import pexpect
import pytest

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 20


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


@pytest.fixture
def home(tmp_path):
    return tmp_path


def spawn(home, *args):
    """Start termite on a pty.  TERM=dumb keeps readline from sending
    escape sequences; INPUTRC=/dev/null ignores the user's key bindings."""
    env = dict(os.environ, HOME=str(home), TERM="dumb", INPUTRC="/dev/null",
               LC_ALL="C.UTF-8")
    command = termite_command()
    return pexpect.spawn(command[0], command[1:] + list(args), env=env,
                         cwd=str(home), encoding="utf-8", timeout=TIMEOUT,
                         dimensions=(24, 200))


@pytest.fixture
def repl(home):
    child = spawn(home)
    child.expect_exact("Termite ")
    child.expect_exact("> ")
    yield child
    child.close(force=True)


def evaluate(child, text, expected):
    """Type text, expect the line `expected` and the next prompt."""
    child.sendline(text)
    child.expect_exact(f"\r\n{expected}\r\n")
    child.expect_exact("> ")


def finished(child):
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_banner(home):
    child = spawn(home)
    child.expect(r"Termite \d+\.\d+\.\d+ \u2014 ,help for help, ,q to quit\r\n")
    child.expect_exact("> ")
    child.sendline(",q")
    assert finished(child) == 0


def test_evaluates_and_prints(repl):
    evaluate(repl, "(+ 1 2)", "3")
    evaluate(repl, '(string-append "a" "b")', '"ab"')


def test_unspecified_value_prints_nothing(repl):
    repl.sendline("(if #f #f)")
    repl.expect_exact("\r\n> ")
    evaluate(repl, "(+ 1 2)", "3")


def test_multi_line_datum(repl):
    repl.sendline("(+ 1")
    repl.expect_exact("... ")
    repl.sendline("2)")
    repl.expect_exact("\r\n3\r\n")
    repl.expect_exact("> ")


def test_error_is_reported_and_the_repl_goes_on(repl):
    repl.sendline("(car 5)")
    repl.expect_exact("car")
    repl.expect_exact("> ")
    evaluate(repl, "(+ 1 2)", "3")


def test_definitions_persist(repl):
    repl.sendline("(define (sq x) (* x x))")
    repl.expect_exact("> ")
    evaluate(repl, "(sq 12)", "144")


def test_help_lists_commands(repl):
    repl.sendline(",help")
    repl.expect_exact(",q")
    repl.expect_exact("> ")


def test_unknown_command(repl):
    repl.sendline(",frobnicate")
    repl.expect_exact("unknown command ,frobnicate (try ,help)")
    repl.expect_exact("> ")


def test_tab_completes_global_names(repl):
    repl.send("(string-app")
    repl.send("\t")
    repl.expect_exact("string-append")
    # Whether the completion was unique (and added a space) or not, what
    # follows makes a call to string-append.
    repl.sendline(' "x" "y")')
    repl.expect_exact('"xy"')


def test_tab_twice_lists_candidates(repl):
    repl.send("(string-le")
    repl.send("\t\t")
    repl.expect_exact("string-length")
    repl.send("\x15")       # Ctrl-U: kill the line
    evaluate(repl, "(+ 1 2)", "3")


def test_history_is_written(repl, home):
    evaluate(repl, "(+ 40 2)", "42")
    repl.sendline(",q")
    assert finished(repl) == 0
    history = (home / ".termite_history").read_text()
    assert "(+ 40 2)" in history


def test_history_is_read(home):
    (home / ".termite_history").write_text("(* 6 7)\n")
    child = spawn(home)
    child.expect_exact("> ")
    child.send("\x10")      # Ctrl-P: previous history entry
    child.send("\r")
    child.expect_exact("\r\n42\r\n")
    child.sendline(",q")
    assert finished(child) == 0


def test_quit_command(repl):
    repl.sendline(",quit")
    assert finished(repl) == 0


def test_exit_leaves_with_status_0(repl):
    repl.sendline("(exit)")
    assert finished(repl) == 0


def test_exit_with_a_status(repl):
    repl.sendline("(exit 3)")
    assert finished(repl) == 3


def test_ctrl_d_leaves(repl):
    repl.sendeof()
    assert finished(repl) == 0


def test_ctrl_d_at_continuation_drops_the_entry(repl):
    repl.sendline('(display "unterminated')
    repl.expect_exact("... ")
    repl.sendeof()
    repl.expect_exact("entry dropped")
    repl.expect_exact("> ")
    evaluate(repl, "(+ 1 2)", "3")


def test_time_command(repl):
    repl.sendline(",t (+ 1 2)")
    repl.expect(r"\r\n3\r\n; [0-9.]+ ms\r\n")
    repl.expect_exact("> ")


def test_interactive_after_a_program(home):
    (home / "prog.scm").write_text("(define answer 42)\n")
    child = spawn(home, "-i", "prog.scm")
    child.expect_exact("> ")
    evaluate(child, "answer", "42")
    child.sendline(",q")
    assert finished(child) == 0


# ---- processes run while the REPL waits for input ---------------------------

def test_background_process_prints_while_the_repl_waits(repl):
    # main is pid 0 and the prelude's service registry pid 1
    evaluate(repl, '(spawn (lambda () (? 0.3 #f) (display "tick") (newline)))',
             "#<pid 2>")
    # nothing more is typed: the process runs and prints on its own
    repl.expect_exact("tick\r\n", timeout=5)
    repl.expect_exact("> ")
    evaluate(repl, "(+ 1 2)", "3")


def test_background_output_keeps_the_line_being_typed(repl):
    evaluate(repl, '(spawn (lambda () (? 0.5 #f) (display "tick") (newline)))',
             "#<pid 2>")
    repl.send("(+ 1")
    repl.expect_exact("tick\r\n", timeout=5)
    # the prompt and the unfinished line come back below the output
    repl.expect_exact("> (+ 1")
    repl.send(" 2)\r")
    repl.expect_exact("\r\n3\r\n")
    repl.expect_exact("> ")


def test_background_process_exit_ends_the_repl(repl):
    repl.sendline("(spawn (lambda () (? 0.2 #f) (exit 7)))")
    assert finished(repl) == 7


# ---- Ctrl-C -------------------------------------------------------------------

def interrupt_entry(child, text):
    """Type text, wait until it is being evaluated, press Ctrl-C and expect
    the interrupted error and a prompt.  (Waiting for readline's newline
    matters: Ctrl-C flushes unread terminal input.)"""
    child.sendline(text)
    child.expect_exact(text + "\r\n")
    time.sleep(0.3)
    child.sendintr()
    child.expect_exact("error: interrupted", timeout=5)
    child.expect_exact("> ")


def test_ctrl_c_interrupts_a_running_evaluation(repl):
    interrupt_entry(repl, "(let loop () (loop))")
    evaluate(repl, "(+ 1 2)", "3")


def test_ctrl_c_interrupts_a_wait(repl):
    # the receive would wait 60 s; the interrupt comes at once
    interrupt_entry(repl, "(? 60 'timeout)")
    evaluate(repl, "(+ 1 2)", "3")


def test_ctrl_c_reaches_the_repl_while_another_process_runs(repl):
    evaluate(repl, "(spawn (lambda () (let loop () (loop))))", "#<pid 2>")
    interrupt_entry(repl, "(?)")
    evaluate(repl, "(+ 1 2)", "3")


def test_ctrl_c_at_the_prompt_clears_the_line(repl):
    repl.send("(+ 1 2")
    repl.expect_exact("(+ 1 2")
    repl.sendintr()
    repl.expect_exact("\r\n> ")
    evaluate(repl, "(* 2 3)", "6")


def test_ctrl_c_at_a_continuation_prompt_drops_the_entry(repl):
    repl.sendline("(+ 1")
    repl.expect_exact("... ")
    repl.sendintr()
    repl.expect_exact("\r\n> ")
    evaluate(repl, "(* 2 3)", "6")


def test_ctrl_d_leaves_after_ctrl_c(repl):
    repl.sendintr()
    repl.expect_exact("\r\n> ")
    repl.sendeof()
    assert finished(repl) == 0


# ---- an error does not leave its dynamic environment behind -----------------

def test_parameter_bindings_end_with_a_failed_entry(repl):
    repl.sendline("(define p (make-parameter 1))")
    repl.expect_exact("> ")
    repl.sendline("(parameterize ((p 2)) (car 5))")
    repl.expect_exact("error: car")
    repl.expect_exact("> ")
    evaluate(repl, "(p)", "1")


def test_parameter_bindings_end_with_an_interrupted_entry(repl):
    repl.sendline("(define p (make-parameter 1))")
    repl.expect_exact("> ")
    interrupt_entry(repl, "(parameterize ((p 2)) (let loop () (loop)))")
    evaluate(repl, "(p)", "1")


def test_after_thunks_run_once_when_an_error_leaves_their_extent(repl):
    repl.sendline('(dynamic-wind (lambda () #f) (lambda () (car 5))'
                  ' (lambda () (display "after") (newline)))')
    repl.expect_exact("error: car")
    repl.expect_exact("after\r\n")
    repl.expect_exact("> ")
    # the extent was left: exit does not run the after thunk again
    repl.sendline("(exit)")
    assert finished(repl) == 0
    assert "after" not in repl.before
