%% spawn1m: the time to spawn 1000000 processes (default N), twice:
%% finished (each process terminates at once; the last one first sends
%% done) and blocked (each blocks in receive; the last one first sends
%% ready).  finished-cpu-s / blocked-cpu-s = CPU seconds from
%% statistics(runtime) (all threads of the VM, in ms); finished-wall-s /
%% blocked-wall-s = wall-clock seconds.  Needs erl +P 2000000.
%% result = the growth of the process count in the blocked phase (= N).
%% Same protocol as bench/scheme/spawn1m.scm.
%% Usage: erl +P 2000000 -noshell -pa DIR -run spawn1m main [N] -s init stop
-module(spawn1m).
-export([main/0, main/1]).
-compile({nowarn_unused_function, [report_value/2]}).

spawn_finished(N, N, Main) -> spawn(fun() -> Main ! done end);
spawn_finished(I, N, Main) ->
    spawn(fun() -> true end),
    spawn_finished(I + 1, N, Main).

spawn_blocked(N, N, Main) ->
    spawn(fun() -> Main ! ready, receive _ -> ok end end);
spawn_blocked(I, N, Main) ->
    spawn(fun() -> receive _ -> ok end end),
    spawn_blocked(I + 1, N, Main).

cpu_ms() -> {Total, _} = statistics(runtime), Total.

run(Args) ->
    N = arg(Args, 0, 1000000),
    Main = self(),
    C0 = cpu_ms(),
    T0 = now_us(),
    spawn_finished(1, N, Main),
    receive done -> ok end,
    T1 = now_us(),
    C1 = cpu_ms(),
    Count0 = erlang:system_info(process_count),
    C2 = cpu_ms(),
    T2 = now_us(),
    spawn_blocked(1, N, Main),
    receive ready -> ok end,
    T3 = now_us(),
    C3 = cpu_ms(),
    Count1 = erlang:system_info(process_count),
    report(Count1 - Count0, (T1 - T0) + (T3 - T2)),
    report_ratio("finished-cpu-s", C1 - C0, 1000),
    report_ratio("blocked-cpu-s", C3 - C2, 1000),
    report_ratio("finished-wall-s", T1 - T0, 1000000),
    report_ratio("blocked-wall-s", T3 - T2, 1000000).

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
