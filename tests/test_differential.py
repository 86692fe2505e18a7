"""Differential test of the compiler's fused and open-coded instructions.

TERMITE_PLAIN_CODE=1 makes the compiler emit only plain instructions:
every primitive is called, every test is followed by a plain JMPF, no
superinstructions.  Random expressions (comparisons, arithmetic with
constants, list operations, lets, conds, calls, messages) over values of
every kind must print the same results and errors both ways, also under a
handler that returns a value, which resumes inside the fused
instructions.

    /usr/bin/python3 -m pytest tests/test_differential.py
"""

import os
import random
import subprocess

import pytest

from test_cli import termite_command

VALUES = ['0', '1', '-1', '2', '7', '-7', '100', '4611686018427387903',
          '-4611686018427387904', '(expt 10 30)', '(- (expt 10 30))', '1.5',
          '-2.5', '+nan.0', '+inf.0', '1/3', '-7/2', "'a", '#\\a', '#\\b',
          '"s"', "'()", "'(1 2 3)", "'(1)", '#f', '#t', '0.0', '-0.0']
COMPARE = ['<', '>', '<=', '>=', '=', 'eq?', 'eqv?', 'char=?']
BINARY = ['+', '-', '*', 'quotient', 'remainder', 'modulo', 'max', 'min', 'cons']
UNARY = ['car', 'cdr', 'cadr', 'cddr', 'null?', 'pair?', 'not', 'zero?']


def expression(r, depth, local_vars):
    k = r.random()
    if depth <= 0 or k < 0.25:
        if local_vars and r.random() < 0.6:
            return r.choice(local_vars)
        v = r.choice(VALUES)
        return v if r.random() < 0.5 else '(id %s)' % v
    sub = lambda: expression(r, depth - 1, local_vars)
    if k < 0.45:
        return '(%s %s %s)' % (r.choice(COMPARE), sub(), sub())
    if k < 0.6:
        return '(%s %s %s)' % (r.choice(BINARY), sub(),
                               r.choice(['1', '2', '-1', '3', sub()]))
    if k < 0.7:
        return '(%s %s)' % (r.choice(UNARY), sub())
    if k < 0.82:
        return '(if %s %s %s)' % (sub(), sub(), sub())
    if k < 0.9:
        v = 'v%d' % len(local_vars)
        return '(let ((%s %s)) %s)' % (v, sub(),
                                       expression(r, depth - 1, local_vars + [v]))
    if k < 0.92:
        return '(vector-ref (vector 1 2 3) %s)' % sub()
    if k < 0.94:
        return '(lst %s %s (+ %s 1) %s)' % (sub(), sub(), sub(), sub())
    if k < 0.96:
        return '(begin (! (self) %s) (?))' % sub()
    if k < 0.98 and local_vars:
        a = r.choice(local_vars)
        return '(let* ((w %s) (u (lst %s w))) (lst w u (- w 1)))' % (a, a)
    return '(cond (%s => (lambda (x) x)) (%s) (else %s))' % (sub(), sub(), sub())


def program(seed, count=250):
    r = random.Random(seed)
    lines = [
        '(define (id x) x)',
        '(define (lst . xs) xs)',
        '(define (show thunk)',
        '  (write (with-exception-catcher',
        '          (lambda (e) (list (quote err)',
        '                            (if (error-object? e) (error-object-message e) e)))',
        '          thunk))',
        '  (newline))',
        '(define (h v thunk) (with-exception-handler (lambda (e) v) thunk))',
    ]
    for _ in range(count):
        e = expression(r, 4, [])
        lines.append('(show (lambda () %s))' % e)
        lines.append("(show (lambda () (h 'H (lambda () %s))))" % e)
    return '\n'.join(lines) + '\n'


def run(path, plain):
    env = dict(os.environ)
    env.pop('TERMITE_PLAIN_CODE', None)
    if plain:
        env['TERMITE_PLAIN_CODE'] = '1'
    r = subprocess.run([*termite_command(), str(path)], capture_output=True,
                       text=True, timeout=60, env=env)
    return r.returncode, r.stdout, r.stderr


@pytest.mark.parametrize('seed', range(1, 9))
def test_fused_and_plain_code_agree(tmp_path, seed):
    path = tmp_path / ('random-%d.scm' % seed)
    path.write_text(program(seed))
    fused, plain = run(path, False), run(path, True)
    assert fused[0] == 0, fused[2]
    assert len(fused[1].splitlines()) == 500
    assert fused == plain


def test_plain_code_has_no_fused_instructions():
    env = dict(os.environ, TERMITE_PLAIN_CODE='1')
    expr = ('(begin (define (f n) (if (< n 2) (car (list n)) (+ (f (- n 1)) 1)))'
            ' (display (disassemble f)))')
    out = subprocess.run([*termite_command(), '-e', expr], capture_output=True,
                         text=True, timeout=60, env=env).stdout
    ops = {line.split()[1] for line in out.splitlines()[1:] if line.strip()}
    assert ops <= {'FRAME', 'LREF', 'PUSH', 'FIX', 'GREF', 'CALL', 'TCALL',
                   'JMPF', 'RET', 'JMP'}, ops
