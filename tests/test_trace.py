"""Process events written to the trace sink (termite --trace FILE), the
format of docs/internals/trace.md.

    /usr/bin/python3 -m pytest tests/test_trace.py
"""

import json

from test_cli import termite

PROGRAM = """
(define me (self))
(define worker
  (spawn (lambda ()
           (let ((m (?)))
             (! me (list 'got m))
             (car m)))            ; fails: m is a symbol
         name: 'worker))
(monitor worker)
(! worker 'hello)
(display (?))
(display (car (?)))
"""


def run_traced(tmp_path, program=PROGRAM, name="prog.scm"):
    prog = tmp_path / name
    prog.write_text(program)
    trace = tmp_path / (name + ".jsonl")
    r = termite("--trace", str(trace), str(prog))
    return r, [json.loads(line) for line in trace.read_text().splitlines()]


def pid(n):
    return {"node": "localhost:0", "n": n}


def without_time(events):
    return [{k: v for k, v in e.items() if k != "t"} for e in events]


def test_every_line_has_the_common_keys_in_order(tmp_path):
    r, events = run_traced(tmp_path)
    assert r.returncode == 0
    assert [e["seq"] for e in events] == list(range(len(events)))
    for e in events:
        assert list(e)[:4] == ["seq", "t", "node", "ev"]
        assert e["node"] == "localhost:0"
        assert isinstance(e["t"], int) and e["t"] >= 0
    times = [e["t"] for e in events]
    assert times == sorted(times)


def test_the_story_of_a_failing_worker(tmp_path):
    r, events = run_traced(tmp_path)
    assert r.stdout == "(got hello)DOWN"
    # the program's own events, after the prelude's (main, registry)
    story = [e for e in without_time(events)
             if e["ev"] != "spawn" or e.get("name") == "worker"]
    expected = [
        {"ev": "spawn", "pid": pid(2), "parent": pid(0), "name": "worker"},
        {"ev": "link", "from": pid(2), "to": pid(0), "kind": "monitor"},
        {"ev": "send", "from": pid(0), "to": pid(2), "msg": "hello"},
        {"ev": "deliver", "to": pid(2), "msg": "hello"},
        {"ev": "receive", "pid": pid(2), "msg": "hello"},
        {"ev": "send", "from": pid(2), "to": pid(0), "msg": "(got hello)"},
        {"ev": "deliver", "to": pid(0), "msg": "(got hello)"},
        {"ev": "exit", "pid": pid(2), "reason": "failure"},
        {"ev": "deliver", "to": pid(0)},
        {"ev": "receive", "pid": pid(0), "msg": "(got hello)"},
        {"ev": "receive", "pid": pid(0)},
    ]
    assert len(story) == len(expected)
    for got, want in zip(story, expected):
        for key, value in want.items():
            assert got[key] == value, (got, want)
    exit_event = story[7]
    assert "must be a pair" in exit_event["value"]
    assert story[8]["msg"].startswith("(DOWN #<pid 2>")


def test_links_and_signals(tmp_path):
    program = """
(define child (spawn-link (lambda () (raise 'boom))))
(with-exception-catcher (lambda (e) (display (termite-exception-reason e)))
                        (lambda () (? 5)))
"""
    r, events = run_traced(tmp_path, program)
    assert r.stdout == "failure"
    links = [e for e in events if e["ev"] == "link"]
    assert {(l["from"]["n"], l["to"]["n"]) for l in links} >= {(2, 0)}
    (signal,) = [e for e in events if e["ev"] == "signal"]
    assert signal["from"] == pid(2) and signal["to"] == pid(0)
    assert signal["reason"] == "failure"
    exits = [e for e in events if e["ev"] == "exit"]
    assert exits[0]["pid"] == pid(2) and exits[0]["value"] == "boom"


def test_a_send_to_a_dead_process_is_not_delivered(tmp_path):
    program = """
(define p (spawn (lambda () 'done)))
(? 0.05 #f)                      ; p runs and ends meanwhile
(! p 'late)
"""
    r, events = run_traced(tmp_path, program)
    sends = [e for e in events if e["ev"] == "send" and e["msg"] == "late"]
    assert len(sends) == 1 and sends[0]["to"] == pid(2)
    assert not [e for e in events if e["ev"] == "deliver" and e["msg"] == "late"]
    assert [e["reason"] for e in events if e["ev"] == "exit"] == ["normal"]


def test_traces_are_the_same_every_run_but_for_time(tmp_path):
    _, first = run_traced(tmp_path, name="a.scm")
    _, second = run_traced(tmp_path, name="b.scm")
    assert without_time(first) == without_time(second)


def test_trace_to_stderr_and_bad_paths():
    r = termite("--trace", "-", "-e", "(! (self) 'x)")
    lines = [json.loads(l) for l in r.stderr.splitlines() if l.startswith("{")]
    assert [l["ev"] for l in lines if l["ev"] in ("send", "deliver")] == ["send", "deliver"]
    r = termite("--trace", "/nonexistent-dir/t.jsonl", "-e", "1")
    assert r.returncode == 73
    assert "cannot write the trace" in r.stderr


def test_no_trace_without_the_option(tmp_path):
    r = termite("-e", "(! (self) 'x)")
    assert r.returncode == 0 and r.stderr == ""
