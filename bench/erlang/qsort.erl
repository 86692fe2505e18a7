%% qsort(250000): quicksort of a list of 250000 pseudo-random integers.
%% The list is produced by the Park-Miller LCG x' = 16807*x mod (2^31-1),
%% seed 42, accumulated so that the list is [x_N, ..., x_2, x_1].
%% Quicksort: first element as pivot, one partition pass into two lists
%% (elements < pivot, elements >= pivot), and an accumulator instead of append.
%% Usage: erl -noshell -pa DIR -run qsort main [N] -s init stop
-module(qsort).
-export([main/0, main/1, qsort/1]).

next_rand(X) -> (X * 16807) rem 2147483647.

rand_list(0, _X, Acc) -> Acc;
rand_list(N, X, Acc) ->
    X1 = next_rand(X),
    rand_list(N - 1, X1, [X1 | Acc]).

%% partition(Pivot, List, Less, GreaterOrEqual) -> {Less, GreaterOrEqual}
partition(_P, [], Lo, Hi) -> {Lo, Hi};
partition(P, [X | T], Lo, Hi) when X < P -> partition(P, T, [X | Lo], Hi);
partition(P, [X | T], Lo, Hi) -> partition(P, T, Lo, [X | Hi]).

%% qs(List, Rest) = sorted(List) ++ Rest
qs([], Rest) -> Rest;
qs([P | T], Rest) ->
    {Lo, Hi} = partition(P, T, [], []),
    qs(Lo, [P | qs(Hi, Rest)]).

qsort(L) -> qs(L, []).

hash([], H) -> H;
hash([X | T], H) -> hash(T, (H * 31 + X) rem 1000000007).

main() -> main([]).
main(Args) ->
    N = bench_size(Args, 250000),
    L = rand_list(N, 42, []),
    T0 = erlang:monotonic_time(microsecond),
    S = qsort(L),
    T1 = erlang:monotonic_time(microsecond),
    report(hash(S, 0), T1 - T0).

bench_size([S | _], _Default) -> list_to_integer(S);
bench_size([], Default) -> Default.

report(R, Us) ->
    io:format("result: ~w~ntime-ms: ~w~n", [R, Us div 1000]).
