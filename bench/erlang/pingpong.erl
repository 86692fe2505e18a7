%% pingpong (paper Figure 4): local ping-pong between two processes with a
%% list of L small integers [1, ..., L] as the message, R round trips per
%% length (default 100000), L = 0 10 20 50 100 200 500 1000.
%% len-L-us = microseconds per message (time of R round trips / 2R).
%% A warm-up of 5R round trips with [] comes first (untimed).
%% Erlang copies every message into the receiver's heap, so its time grows
%% with L.  result = sum of the elements of the lists that came back (652440).
%% Same program as bench/scheme/pingpong.scm.
%% Usage: erl -noshell -pa DIR -run pingpong main [R] -s init stop
-module(pingpong).
-export([main/0, main/1]).
-compile({nowarn_unused_function, [report_value/2]}).

pong(Main) ->
    receive
        stop -> done;
        M -> Main ! M, pong(Main)
    end.

ping(_Other, Msg, 0) -> Msg;
ping(Other, Msg, I) ->
    Other ! Msg,
    receive M -> ping(Other, M, I - 1) end.

iota_from(I, N) when I > N -> [];
iota_from(I, N) -> [I | iota_from(I + 1, N)].

sum([], Acc) -> Acc;
sum([X | T], Acc) -> sum(T, Acc + X).

run_lengths([], _Other, _Rounds, Acc, Total) -> {Acc, Total};
run_lengths([Len | Lens], Other, Rounds, Acc, Total) ->
    Msg = iota_from(1, Len),
    T0 = now_us(),
    Back = ping(Other, Msg, Rounds),
    T1 = now_us(),
    Us = T1 - T0,
    report_ratio("len-" ++ integer_to_list(Len) ++ "-us", Us, 2 * Rounds),
    run_lengths(Lens, Other, Rounds, Acc + sum(Back, 0), Total + Us).

run(Args) ->
    Rounds = arg(Args, 0, 100000),
    Main = self(),
    Other = spawn(fun() -> pong(Main) end),
    ping(Other, [], 5 * Rounds),
    {R, Us} = run_lengths([0, 10, 20, 50, 100, 200, 500, 1000], Other, Rounds, 0, 0),
    Other ! stop,
    report(R, Us).

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
