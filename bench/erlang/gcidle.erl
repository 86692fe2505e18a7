%% gcidle: ping-pong (R round trips, default 500000, each with a fresh
%% 10-element list) alone, then beside M idle processes (default 1000000)
%% blocked in receive.  alone-us / idle-us = microseconds per round trip;
%% ratio = idle / alone.  A short warm-up run comes first.
%% result = R(R-1) + M.  Needs erl +P 2000000.
%% Same program as bench/scheme/gcidle.scm.
%% Usage: erl +P 2000000 -noshell -pa DIR -run gcidle main [M [R]] -s init stop
-module(gcidle).
-export([main/0, main/1]).
-compile({nowarn_unused_function, [report_value/2]}).

pong(Main) ->
    receive
        stop -> done;
        M -> Main ! M, pong(Main)
    end.

%% [I, I+1, ..., I+9]
make_msg(_I, 10) -> [];
make_msg(I, K) -> [I + K | make_msg(I, K + 1)].

ping(_Other, N, N, Acc) -> Acc;
ping(Other, I, N, Acc) ->
    Other ! make_msg(I, 0),
    receive [X | _] -> ping(Other, I + 1, N, Acc + X) end.

spawn_blocked(N, N, Main) ->
    spawn(fun() -> Main ! ready, receive _ -> ok end end);
spawn_blocked(I, N, Main) ->
    spawn(fun() -> receive _ -> ok end end),
    spawn_blocked(I + 1, N, Main).

run(Args) ->
    M = arg(Args, 0, 1000000),
    Rounds = arg(Args, 1, 500000),
    Main = self(),
    Other = spawn(fun() -> pong(Main) end),
    ping(Other, 0, Rounds div 10, 0),
    T0 = now_us(),
    R1 = ping(Other, 0, Rounds, 0),
    T1 = now_us(),
    Count0 = erlang:system_info(process_count),
    spawn_blocked(1, M, Main),
    receive ready -> ok end,
    Count1 = erlang:system_info(process_count),
    T2 = now_us(),
    R2 = ping(Other, 0, Rounds, 0),
    T3 = now_us(),
    Other ! stop,
    Alone = T1 - T0,
    Idle = T3 - T2,
    report(R1 + R2 + (Count1 - Count0), Alone + Idle),
    report_ratio("alone-us", Alone, Rounds),
    report_ratio("idle-us", Idle, Rounds),
    report_ratio("ratio", Idle, Alone).

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
