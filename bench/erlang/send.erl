%% send (paper Figure 2): one process sends itself a message and retrieves
%% it, N times (the integers 0..N-1).  us-per-op = microseconds per send +
%% retrieve.  result = N(N-1)/2.  Same program as bench/scheme/send.scm.
%% Usage: erl -noshell -pa DIR -run send main [N] -s init stop
-module(send).
-export([main/0, main/1]).
-compile({nowarn_unused_function, [report_value/2]}).

send_loop(I, N, Me, Acc) when I < N ->
    Me ! I,
    receive X -> send_loop(I + 1, N, Me, Acc + X) end;
send_loop(_I, _N, _Me, Acc) -> Acc.

run(Args) ->
    N = arg(Args, 0, 1000000),
    Me = self(),
    T0 = now_us(),
    R = send_loop(0, N, Me, 0),
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
