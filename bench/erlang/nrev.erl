%% nrev(5000): naive reverse of a 5000-element list (allocation + GC),
%% repeated ?REPS times.  Uses its own append (app/2), not ++.
%% Usage: erl -noshell -pa DIR -run nrev main [N] -s init stop
-module(nrev).
-export([main/0, main/1, nrev/1, app/2]).

-define(REPS, 5).

app([], L) -> L;
app([H | T], L) -> [H | app(T, L)].

nrev([]) -> [];
nrev([H | T]) -> app(nrev(T), [H]).

%% (1 2 ... N)
iota(N) -> iota(N, []).
iota(0, Acc) -> Acc;
iota(I, Acc) -> iota(I - 1, [I | Acc]).

%% Run nrev Reps times; returns {LastResult, SumOfFirstElements}.
repeat(0, _L, Last, Acc) -> {Last, Acc};
repeat(K, L, _Last, Acc) ->
    R = nrev(L),
    repeat(K - 1, L, R, Acc + hd(R)).

hash([], H) -> H;
hash([X | T], H) -> hash(T, (H * 31 + X) rem 1000000007).

main() -> main([]).
main(Args) ->
    N = bench_size(Args, 5000),
    L = iota(N),
    T0 = erlang:monotonic_time(microsecond),
    {Last, Acc} = repeat(?REPS, L, [], 0),
    T1 = erlang:monotonic_time(microsecond),
    report(hash(Last, 0) + Acc, T1 - T0).

bench_size([S | _], _Default) -> list_to_integer(S);
bench_size([], Default) -> Default.

report(R, Us) ->
    io:format("result: ~w~ntime-ms: ~w~n", [R, Us div 1000]).
