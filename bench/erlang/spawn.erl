%% spawn (paper Figure 2): process creation.  A chain of N processes: the
%% first process creates the second and terminates, the second creates the
%% third and terminates, and so on.  The last one sends N to the main
%% process.  us-per-op = microseconds per process.  result = N.
%% Same program as bench/scheme/spawn.scm.
%% Usage: erl -noshell -pa DIR -run spawn main [N] -s init stop
-module(spawn).
-export([main/0, main/1]).
-compile({nowarn_unused_function, [report_value/2]}).

chain(I, N, Main) when I < N -> spawn(fun() -> chain(I + 1, N, Main) end);
chain(I, _N, Main) -> Main ! I.

run(Args) ->
    N = arg(Args, 0, 1000000),
    Main = self(),
    T0 = now_us(),
    spawn(fun() -> chain(1, N, Main) end),
    R = receive X -> X end,
    T1 = now_us(),
    report(R, T1 - T0),
    report_ratio("us-per-op", T1 - T0, N).

%% ---- helpers shared by the concurrency benchmarks (bench/README.md) ----

%% The benchmark runs in a fresh process (not in the process that -run uses).
main() -> main([]).
main(Args) ->
    Parent = self(),
    Ref = make_ref(),
    spawn(fun() -> run(Args), Parent ! Ref end),
    receive Ref -> ok end.

%% Argument I (0-based), if it is an integer; otherwise Default.
arg(Args, I, Default) when length(Args) > I ->
    case string:to_integer(lists:nth(I + 1, Args)) of
        {N, []} -> N;
        _ -> Default
    end;
arg(_Args, _I, Default) -> Default.

now_us() -> erlang:monotonic_time(microsecond).

%% Num/Den (non-negative integers, Den > 0) rounded to 3 decimals.
fmt3(Num, Den) ->
    S = (Num * 1000 + Den div 2) div Den,
    io_lib:format("~w.~3..0w", [S div 1000, S rem 1000]).

report_ratio(Key, Num, Den) -> io:format("~s: ~s~n", [Key, fmt3(Num, Den)]).

report_value(Key, V) -> io:format("~s: ~w~n", [Key, V]).

report(Result, Us) ->
    io:format("result: ~w~ntime-ms: ~w~n", [Result, Us div 1000]).
