%% serialize: term_to_binary / binary_to_term throughput and size, the
%% counterpart of bench/scheme/serialize.scm.  Cases: lists of 10, 100 and
%% 1000 small integers, a 1 MB string (a binary, Erlang's string of
%% bytes), a closure (fun with a free variable).  Erlang cannot serialize
%% a continuation; that case prints n/a.
%% result = sum of the decoded lists + byte size of the decoded string +
%% the decoded closure applied to 1.
%% Usage: erl -noshell -pa DIR -run serialize main [SCALE] -s init stop
-module(serialize).
-export([main/0, main/1]).

now_us() -> erlang:monotonic_time(microsecond).

encode_loop(_T, 0, B) -> B;
encode_loop(T, N, _) -> encode_loop(T, N - 1, term_to_binary(T)).

decode_loop(_B, 0, V) -> V;
decode_loop(B, N, _) -> decode_loop(B, N - 1, binary_to_term(B)).

report(Key, Num, Den) ->
    Scaled = (Num * 1000 + Den div 2) div Den,
    io:format("~s: ~w.~3..0w~n", [Key, Scaled div 1000, Scaled rem 1000]).

run_case(Name, Term, Reps) ->
    T0 = now_us(),
    B = encode_loop(Term, Reps, none),
    T1 = now_us(),
    V = decode_loop(B, Reps, none),
    T2 = now_us(),
    io:format("~s-bytes: ~w~n", [Name, byte_size(B)]),
    report(Name ++ "-encode-us", T1 - T0, Reps),
    report(Name ++ "-decode-us", T2 - T1, Reps),
    V.

make_adder(K) -> fun(X) -> X + K end.

main() -> main([]).
main(Args) ->
    Scale = case Args of [S | _] -> list_to_integer(S); [] -> 1 end,
    L10 = lists:seq(1, 10),
    L100 = lists:seq(1, 100),
    L1000 = lists:seq(1, 1000),
    Str = binary:copy(<<"a">>, 1048576),
    Adder = make_adder(41),
    T0 = now_us(),
    R10 = run_case("list10", L10, Scale * 200000),
    R100 = run_case("list100", L100, Scale * 50000),
    R1000 = run_case("list1000", L1000, Scale * 5000),
    RStr = run_case("string1m", Str, Scale * 50),
    RClo = run_case("closure", Adder, Scale * 100000),
    T1 = now_us(),
    io:format("continuation-bytes: n/a~n"),
    io:format("result: ~w~n", [lists:sum(R10) + lists:sum(R100) + lists:sum(R1000)
                               + byte_size(RStr) + RClo(1)]),
    io:format("time-ms: ~w~n", [(T1 - T0) div 1000]).
