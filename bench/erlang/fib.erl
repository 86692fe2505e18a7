%% fib(34): recursive Fibonacci (function calls + integer arithmetic).
%% Usage: erl -noshell -pa DIR -run fib main [N] -s init stop
-module(fib).
-export([main/0, main/1, fib/1]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

main() -> main([]).
main(Args) ->
    N = bench_size(Args, 34),
    T0 = erlang:monotonic_time(microsecond),
    R = fib(N),
    T1 = erlang:monotonic_time(microsecond),
    report(R, T1 - T0).

bench_size([S | _], _Default) -> list_to_integer(S);
bench_size([], Default) -> Default.

report(R, Us) ->
    io:format("result: ~w~ntime-ms: ~w~n", [R, Us div 1000]).
