%% tak(27,18,9): Takeuchi function (function calls + integer arithmetic).
%% The optional size argument X runs tak(X, 2X/3, X/3) (27 -> 27,18,9).
%% Usage: erl -noshell -pa DIR -run tak main [X] -s init stop
-module(tak).
-export([main/0, main/1, tak/3]).

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_X, _Y, Z) -> Z.

main() -> main([]).
main(Args) ->
    X = bench_size(Args, 27),
    Y = (2 * X) div 3,
    Z = X div 3,
    T0 = erlang:monotonic_time(microsecond),
    R = tak(X, Y, Z),
    T1 = erlang:monotonic_time(microsecond),
    report(R, T1 - T0).

bench_size([S | _], _Default) -> list_to_integer(S);
bench_size([], Default) -> Default.

report(R, Us) ->
    io:format("result: ~w~ntime-ms: ~w~n", [R, Us div 1000]).
