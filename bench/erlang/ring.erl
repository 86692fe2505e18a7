%% ring (paper Figure 3): a ring of N processes (default 250000) passing a
%% counter K; each process receives an integer and sends it minus one to the
%% next; on 0 it sends 0 on and terminates.  The process that receives 0
%% first (index K rem N) waits for the 0 to come back and sends the main
%% process how many messages it received: result = K div N + 2.
%% us-per-op = microseconds per process.  Same program (same protocol) as
%% bench/scheme/ring.scm, see the comments there.
%% Usage: erl -noshell -pa DIR -run ring main [K [N]] -s init stop
-module(ring).
-export([main/0, main/1]).
-compile({nowarn_unused_function, [report_value/2]}).

ring_node(First, I, N, Special, Main) ->
    Next = if
               I =:= N - 1 -> Main ! ready, First;
               true -> spawn(fun() -> ring_node(First, I + 1, N, Special, Main) end)
           end,
    relay(Next, I =:= Special, Main, 1).

relay(Next, Special, Main, Count) ->
    receive
        K when K > 0 ->
            Next ! K - 1,
            relay(Next, Special, Main, Count + 1);
        _ ->
            Next ! 0,
            case Special of
                true -> receive _ -> Main ! Count + 1 end;
                false -> ok
            end
    end.

run(Args) ->
    K = arg(Args, 0, 0),
    N = arg(Args, 1, 250000),
    Main = self(),
    T0 = now_us(),
    First = spawn(fun() -> ring_node(self(), 0, N, K rem N, Main) end),
    receive ready -> ok end,
    First ! K,
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
