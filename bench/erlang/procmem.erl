%% procmem: memory per blocked process.  Spawns N processes (default
%% 100000), each blocked in receive right after it starts (the last one
%% first tells the main process that it runs).
%%   info-bytes-per-process: erlang:process_info(Pid, memory) of one of them;
%%   bytes-per-process: the growth of erlang:memory(processes), divided by
%%     the number of processes spawned in between.
%% result = the growth of erlang:system_info(process_count) (= N).
%% time-ms = the time to spawn the processes and let them block.
%% Same protocol as bench/scheme/procmem.scm.
%% Usage: erl -noshell -pa DIR -run procmem main [N] -s init stop
-module(procmem).
-export([main/0, main/1]).
-compile({nowarn_unused_function, [report_value/2]}).

spawn_blocked(N, N, Main) ->
    spawn(fun() -> Main ! ready, receive _ -> ok end end);
spawn_blocked(I, N, Main) ->
    spawn(fun() -> receive _ -> ok end end),
    spawn_blocked(I + 1, N, Main).

run(Args) ->
    N = arg(Args, 0, 100000),
    Main = self(),
    Count0 = erlang:system_info(process_count),
    Probe = spawn(fun() -> receive _ -> ok end end),
    Before = erlang:memory(processes),
    T0 = now_us(),
    spawn_blocked(2, N, Main),
    receive ready -> ok end,
    T1 = now_us(),
    After = erlang:memory(processes),
    Count1 = erlang:system_info(process_count),
    {memory, Info} = erlang:process_info(Probe, memory),
    report(Count1 - Count0, T1 - T0),
    report_value("info-bytes-per-process", Info),
    report_ratio("bytes-per-process", After - Before, N - 1).

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
