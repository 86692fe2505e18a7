%% smith(600): Smith-Waterman local alignment score of two 600-character
%% DNA strings (match +2, mismatch -1, linear gap -1), row by row, each row a
%% list, repeated ?REPS times (result = sum of scores).  Strings come from the
%% Park-Miller LCG (x' = 16807*x mod (2^31-1)): character = "ACGT"[x rem 4],
%% seeds 1234 and 5678, accumulated in reverse generation order.
%% Usage: erl -noshell -pa DIR -run smith main [N] -s init stop
-module(smith).
-export([main/0, main/1, smith/2]).

-define(REPS, 10).

next_rand(X) -> (X * 16807) rem 2147483647.

rand_string(0, _X, Acc) -> Acc;
rand_string(N, X, Acc) ->
    X1 = next_rand(X),
    rand_string(N - 1, X1, [lists:nth(X1 rem 4 + 1, "ACGT") | Acc]).

score(C, C) -> 2;
score(_, _) -> -1.

%% cells(Ai, Bs, [Diag, Up | _] = PrevRowFromJminus1, Left) -> rest of new row
cells(_Ai, [], _Prev, _Left) -> [];
cells(Ai, [Bj | Bs], [Diag | [Up | _] = Prev], Left) ->
    H = max(max(0, Diag + score(Ai, Bj)), max(Up - 1, Left - 1)),
    [H | cells(Ai, Bs, Prev, H)].

list_max([], M) -> M;
list_max([X | T], M) -> list_max(T, max(X, M)).

zeros(0, Acc) -> Acc;
zeros(N, Acc) -> zeros(N - 1, [0 | Acc]).

rows([], _Bs, _Prev, Best) -> Best;
rows([Ai | As], Bs, Prev, Best) ->
    Row = [0 | cells(Ai, Bs, Prev, 0)],
    rows(As, Bs, Row, list_max(Row, Best)).

smith(A, B) -> rows(A, B, zeros(length(B) + 1, []), 0).

repeat(0, _A, _B, Acc) -> Acc;
repeat(K, A, B, Acc) -> repeat(K - 1, A, B, Acc + smith(A, B)).

main() -> main([]).
main(Args) ->
    N = bench_size(Args, 600),
    A = rand_string(N, 1234, []),
    B = rand_string(N, 5678, []),
    T0 = erlang:monotonic_time(microsecond),
    R = repeat(?REPS, A, B, 0),
    T1 = erlang:monotonic_time(microsecond),
    report(R, T1 - T0).

bench_size([S | _], _Default) -> list_to_integer(S);
bench_size([], Default) -> Default.

report(R, Us) ->
    io:format("result: ~w~ntime-ms: ~w~n", [R, Us div 1000]).
