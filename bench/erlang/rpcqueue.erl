%% rpcqueue: the latency of a call (make_ref(), send {self(), Ref, X},
%% receive {Ref, Reply}) when the caller's mailbox holds Q unrelated
%% messages (default 100000) versus when it is empty; C calls each (default
%% 100000).  Since OTP 24 the compiler and runtime skip the messages that
%% were queued before make_ref() in such a receive, like Termite's !?.
%% empty-us / full-us = microseconds per call; ratio = full / empty.
%% result = Q + (R1 + R2 - C(C+1)): the messages left in the mailbox, plus
%% the error in the sum of the replies (0), so that it does not depend on C.
%% Same program as bench/scheme/rpcqueue.scm.
%% Usage: erl -noshell -pa DIR -run rpcqueue main [Q [C]] -s init stop
-module(rpcqueue).
-export([main/0, main/1]).
-compile({nowarn_unused_function, [report_value/2]}).

server() ->
    receive
        stop -> done;
        {From, Ref, X} -> From ! {Ref, X + 1}, server()
    end.

call(Srv, X) ->
    Ref = make_ref(),
    Srv ! {self(), Ref, X},
    receive {Ref, Reply} -> Reply end.

calls(_Srv, N, N, Acc) -> Acc;
calls(Srv, I, N, Acc) -> calls(Srv, I + 1, N, Acc + call(Srv, I)).

send_junk(Me, I, N) when I < N -> Me ! {junk, I}, send_junk(Me, I + 1, N);
send_junk(_Me, _I, _N) -> ok.

run(Args) ->
    Q = arg(Args, 0, 100000),
    C = arg(Args, 1, 100000),
    Srv = spawn(fun server/0),
    calls(Srv, 0, C div 10, 0),
    T0 = now_us(),
    R1 = calls(Srv, 0, C, 0),
    T1 = now_us(),
    send_junk(self(), 0, Q),
    T2 = now_us(),
    R2 = calls(Srv, 0, C, 0),
    T3 = now_us(),
    Srv ! stop,
    {message_queue_len, Left} = erlang:process_info(self(), message_queue_len),
    Empty = T1 - T0,
    Full = T3 - T2,
    report(Left + (R1 + R2 - C * (C + 1)), Empty + Full),
    report_ratio("empty-us", Empty, C),
    report_ratio("full-us", Full, C),
    report_ratio("ratio", Full, Empty).

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
