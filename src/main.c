/*
 * main.c — the termite command: parse options, make a world and a node,
 * then load files, evaluate -e expressions, run the program or the REPL.
 *
 *   termite [OPTIONS] [FILE [ARGS...]]
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"
#include "termite.h"
#include "tm_config.h"

/* Exit statuses from sysexits.h, spelt out so that the meaning shows. */
enum {
    EXIT_USAGE = 64,    /* EX_USAGE: bad command line */
    EXIT_SOFTWARE = 70, /* EX_SOFTWARE: an error escaped */
    EXIT_CANTCREAT = 73, /* EX_CANTCREAT: an output file cannot be made */
};

/* Everything the command line says.  The string arrays are NULL when the
 * option was not given; free with options_clear. */
typedef struct {
    char **evals;         /* -e EXPR, in order */
    char **loads;         /* -l FILE, in order */
    char *seed_text;      /* --seed N as given */
    char *trace;          /* --trace FILE */
    gboolean interactive; /* -i */
    gboolean version;     /* --version */
    uint64_t seed;        /* parsed --seed; 0 lets the world ask the OS */
} Options;

static const char summary[] =
    "Run a Termite Scheme program, evaluate expressions or start the REPL.\n"
    "Arguments after FILE are given to the program: (command-line) returns\n"
    "(\"FILE\" \"ARG\" ...).";

static const char description[] =
    "Without FILE and without -e, or with -i, termite starts a REPL.  On a\n"
    "terminal it has line editing, history in ~/.termite_history and TAB\n"
    "completion of global names; an expression may span several lines\n"
    "(prompt \"... \"; Ctrl-D there drops it).  Processes keep running\n"
    "while the REPL waits; Ctrl-C interrupts an evaluation, or clears the\n"
    "line at the prompt.  REPL commands:\n"
    "  ,help  ,h        list the commands\n"
    "  ,quit  ,q        leave (so do (exit) and Ctrl-D at \"> \")\n"
    "  ,time  ,t EXPR   evaluate EXPR and print how long it took\n"
    "\n"
    "Exit status: 0 on success, N after (exit N), 64 for a bad command\n"
    "line, 66 when FILE cannot be read, 70 after an uncaught error.\n"
    "\n"
    "Examples:\n"
    "  termite                        start the REPL\n"
    "  termite -e '(+ 1 2)'           print 3\n"
    "  termite prog.scm a b           run prog.scm with the arguments a b\n"
    "  termite -l lib.scm prog.scm    load lib.scm, then run prog.scm\n"
    "  termite -i prog.scm            run prog.scm, then start the REPL\n"
    "  echo '(* 6 7)' | termite       evaluate standard input\n";

/* Strict POSIX parsing stops at the first non-option argument, so that
 * options after FILE (termite prog.scm -x) belong to the program.  The
 * entries point into *o, which must outlive the context. */
static GOptionContext *make_context(Options *o)
{
    const GOptionEntry entries[] = {
        {"eval", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &o->evals,
         "Evaluate EXPR and print its value (repeatable)", "EXPR"},
        {"load", 'l', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->loads,
         "Load FILE before the program (repeatable)", "FILE"},
        {"interactive", 'i', 0, G_OPTION_ARG_NONE, &o->interactive,
         "Start the REPL after the files and expressions", NULL},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &o->seed_text,
         "Seed the world's random numbers (default: from the OS)", "N"},
        {"trace", 0, 0, G_OPTION_ARG_FILENAME, &o->trace,
         "Write process events (spawn, send, receive, link, exit) to FILE "
         "as JSON lines; - is stderr", "FILE"},
        {"version", 0, 0, G_OPTION_ARG_NONE, &o->version,
         "Print the version and exit", NULL},
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new("[FILE [ARGS...]]");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_summary(ctx, summary);
    g_option_context_set_description(ctx, description);
    g_option_context_set_strict_posix(ctx, TRUE);
    return ctx;
}

/* --seed must be a whole decimal number that fits 64 bits. */
static gboolean parse_seed(Options *o, GError **error)
{
    if (!o->seed_text)
        return TRUE;
    guint64 v;
    if (!g_ascii_string_to_unsigned(o->seed_text, 10, 0, G_MAXUINT64, &v,
                                    error)) {
        g_prefix_error(error, "--seed: ");
        return FALSE;
    }
    o->seed = v;
    return TRUE;
}

/* A "--" that ends termite's options is not the program file: drop it,
 * so that `termite -- -odd-name.scm` runs the file "-odd-name.scm".
 * Strict POSIX parsing leaves it in argv. */
static void drop_double_dash(int *argc, char **argv)
{
    if (*argc < 2 || strcmp(argv[1], "--") != 0)
        return;
    memmove(argv + 1, argv + 2, (size_t)(*argc - 1) * sizeof *argv);
    (*argc)--;
}

/* Leaves in argc and argv the program name followed by FILE and its
 * arguments. */
static gboolean parse_options(Options *o, int *argc, char ***argv)
{
    GOptionContext *ctx = make_context(o);
    GError *error = NULL;
    gboolean ok = g_option_context_parse(ctx, argc, argv, &error) &&
                  parse_seed(o, &error);
    if (ok) {
        drop_double_dash(argc, *argv);
    } else {
        fprintf(stderr, "termite: %s\nTry 'termite --help'.\n",
                error->message);
        g_error_free(error);
    }
    g_option_context_free(ctx);
    return ok;
}

static void options_clear(Options *o)
{
    g_strfreev(o->evals);
    g_strfreev(o->loads);
    g_free(o->seed_text);
    g_free(o->trace);
}

/* (command-line) is FILE and its arguments for a program, ("termite")
 * for the REPL and -e. */
static void set_command_line(TmNode *n, int argc, char **argv)
{
    static char *const repl_argv[] = {"termite", NULL};
    if (argc > 1)
        tm_node_set_command_line(n, argc - 1, argv + 1);
    else
        tm_node_set_command_line(n, 1, (char **)repl_argv);
}

/* Each -l file runs to completion before the next; the first failure
 * stops everything with its status. */
static int load_files(TmNode *n, char **files)
{
    for (char **f = files; f && *f; f++) {
        int status = tm_node_run_file(n, *f);
        if (status != 0 || n->vm.exiting)
            return status;
    }
    return 0;
}

/* Returns 0 to go on, else the exit status.  The runtime has already
 * reported an error on stderr; only an incomplete expression, which is
 * not an error to the runtime, needs a message here. */
static int eval_expr(TmNode *n, const char *expr)
{
    TmValue result = TM_VOID;
    switch (tm_node_eval_string(n, expr, "<command line>", &result)) {
    case TM_EVAL_OK:
        tm_repl_print_value(n, result);
        return 0;
    case TM_EVAL_EXIT:
        return tm_node_exit_code(n);
    case TM_EVAL_INCOMPLETE:
        tm_node_flush(n);
        fprintf(stderr, "termite: -e: incomplete expression: %s\n", expr);
        return EXIT_SOFTWARE;
    case TM_EVAL_ERROR:
    default:
        return EXIT_SOFTWARE;
    }
}

static int eval_exprs(TmNode *n, char **exprs)
{
    for (char **e = exprs; e && *e; e++) {
        int status = eval_expr(n, *e);
        if (status != 0 || n->vm.exiting)
            return status;
    }
    return 0;
}

/* The order is fixed: -l files, -e expressions, FILE, then the REPL when
 * there was nothing else to do or -i asks for it.  Any non-zero status or
 * a call to (exit), even (exit 0), ends the run: -i does not start the
 * REPL after it. */
static int run(TmNode *n, const Options *o, int argc, char **argv)
{
    int status = load_files(n, o->loads);
    if (status == 0 && !n->vm.exiting)
        status = eval_exprs(n, o->evals);
    if (status != 0 || n->vm.exiting)
        return status;
    if (argc > 1) {
        status = tm_node_run_file(n, argv[1]);
        if (status != 0 || n->vm.exiting)
            return status;
    }
    if (o->interactive || (argc <= 1 && !o->evals))
        status = tm_repl_run(n);
    return status;
}

int main(int argc, char **argv)
{
    /* Only the character type: readline needs it for UTF-8 input, while
     * LC_NUMERIC must stay "C" for the number printer. */
    setlocale(LC_CTYPE, "");
    Options o = {0};
    if (!parse_options(&o, &argc, &argv)) {
        options_clear(&o);
        return EXIT_USAGE;
    }
    if (o.version) {
        printf("termite %s\n", TM_VERSION);
        options_clear(&o);
        return 0;
    }
    TmWorld *world = tm_world_real_new(o.seed);
    GError *error = NULL;
    if (o.trace && !tm_world_real_trace_to(world, o.trace, &error)) {
        fprintf(stderr, "termite: %s\n", error->message);
        g_error_free(error);
        tm_world_free(world);
        options_clear(&o);
        return EXIT_CANTCREAT;
    }
    TmNode *n = tm_node_new(world);
    set_command_line(n, argc, argv);
    int status = run(n, &o, argc, argv);
    tm_node_flush(n);
    tm_node_free(n);
    tm_world_free(world);
    options_clear(&o);
    return status;
}
