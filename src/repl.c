/*
 * repl.c — the read-eval-print loop: readline on a terminal (prompts,
 * history, completion of global names), plain line reading otherwise.
 * Input accumulates until it holds complete datums, then is evaluated.
 */
#include "repl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "tm_config.h"

#define PROMPT "> "
#define CONTINUATION_PROMPT "... "
#define HISTORY_FILE ".termite_history"
#define HISTORY_MAX 1000

typedef struct {
    TmNode *node;
    bool tty;            /* stdin is a terminal: readline, prompts, history */
    char *history_path;  /* NULL unless tty */
    GString *text;       /* input of the entry so far: no complete datum
                          * yet, or empty between entries */
    bool timed;          /* ,t: time this entry when it completes */
    bool done;           /* leave the loop with `status` */
    int status;
} Repl;

typedef struct {
    const char *name, *alias;
    const char *args;
    const char *help;
    void (*run)(Repl *r, const char *arg);
} Command;

/*
 * The node whose globals TAB completes.  readline's completion callback
 * takes no user data, so this is the one mutable C global Termite has
 * (ARCHITECTURE.md allows it): it is set only while a terminal REPL runs,
 * read only by complete(), and so one REPL at a time may use readline.
 */
static TmNode *completion_node;

/* ---- output ----------------------------------------------------------- */

/* Our stdout goes through stdio, the node's through its world (write(2));
 * flushing the node first and stdio after keeps them in order. */
static void say(TmNode *n, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void say(TmNode *n, const char *fmt, ...)
{
    va_list ap;
    tm_node_flush(n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

void tm_repl_print_value(TmNode *n, TmValue v)
{
    if (v == TM_VOID)
        return;
    char *s = tm_node_write_string(n, v);
    say(n, "%s\n", s);
    g_free(s);
}

/* ---- completion ------------------------------------------------------- */

/* The longest prefix of a that is also a prefix of b. */
static size_t common_prefix(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

/* readline's answer format: a NULL-terminated malloc'd array whose first
 * string replaces the word being completed (the longest common prefix of
 * the matches), followed by the matches; NULL when nothing matches.  We
 * build it ourselves instead of calling rl_completion_matches, whose
 * generator keeps its position between calls in yet more static state. */
static char **matches_of(GPtrArray *names, const char *text)
{
    size_t len = strlen(text), count = 0, prefix = 0;
    char **m = malloc((names->len + 2) * sizeof *m);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        if (strncmp(name, text, len) != 0)
            continue;
        m[++count] = strdup(name);
        prefix = count == 1 ? strlen(name)
                            : MIN(prefix, common_prefix(m[1], name));
    }
    if (count == 0) {
        free(m);
        return NULL;
    }
    m[0] = strndup(m[1], prefix);
    m[count + 1] = NULL;
    return m;
}

/* Inside a string literal, complete file names (for load); elsewhere only
 * global names, never file names. */
static char **complete(const char *text, int start, int end)
{
    (void)start, (void)end;
    if (rl_completion_quote_character == '"')
        return NULL;
    rl_attempted_completion_over = 1;
    if (!completion_node)
        return NULL;
    GPtrArray *names = tm_node_global_names(completion_node);
    char **m = matches_of(names, text);
    g_ptr_array_free(names, TRUE);
    return m;
}

/* ---- line input ------------------------------------------------------- */

/* Read the history, creating the file if it is missing so that
 * append_history (which does not create files) works from the first
 * entry on.  History is a convenience: errors are ignored. */
static void history_start(Repl *r)
{
    r->history_path = g_build_filename(g_get_home_dir(), HISTORY_FILE, NULL);
    stifle_history(HISTORY_MAX);
    if (read_history(r->history_path) == ENOENT)
        write_history(r->history_path);
}

/* Each non-blank line is its own history entry, saved at once so that a
 * crash or a kill loses nothing. */
static void history_add(Repl *r, const char *line)
{
    if (!r->history_path || line[strspn(line, " \t\r")] == '\0')
        return;
    add_history(line);
    append_history(1, r->history_path);
}

static void readline_start(Repl *r)
{
    completion_node = r->node;
    rl_readline_name = "termite";
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n\"'`,;()[]{}";
    rl_completer_quote_characters = "\"";
    history_start(r);
}

/* One line without its newline (g_free it), or NULL at end of input. */
static char *read_line_tty(const char *prompt)
{
    char *line = readline(prompt);
    char *copy = g_strdup(line);
    free(line);
    return copy;
}

static char *read_line_plain(void)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len = getline(&buf, &cap, stdin);
    char *line = NULL;
    if (len >= 0) {
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            len--;
        line = g_strndup(buf, (gsize)len);
    }
    free(buf);
    return line;
}

static char *read_line(Repl *r)
{
    if (!r->tty)
        return read_line_plain();
    return read_line_tty(r->text->len ? CONTINUATION_PROMPT : PROMPT);
}

/* ---- evaluation ------------------------------------------------------- */

static void leave(Repl *r, int status)
{
    r->done = true;
    r->status = status;
}

/* The entry is complete (or hopeless): show its outcome, start afresh.
 * v is printed before anything else can allocate, as nothing roots it. */
static void finish_entry(Repl *r, TmEvalStatus st, TmValue v, gint64 t0)
{
    gint64 t1 = g_get_monotonic_time();
    if (st == TM_EVAL_OK)
        tm_repl_print_value(r->node, v);
    else if (st == TM_EVAL_EXIT)
        leave(r, tm_node_exit_code(r->node));
    tm_node_flush(r->node);
    if (r->timed && st != TM_EVAL_EXIT)
        say(r->node, "; %.3f ms\n", (double)(t1 - t0) / 1000.0);
    g_string_truncate(r->text, 0);
    r->timed = false;
}

/* Add a line to the entry and evaluate the entry if it is complete.
 * This relies on the contract of tm_node_eval_string: it answers
 * TM_EVAL_INCOMPLETE before evaluating any datum of the text, so an
 * incomplete entry has had no effect and is simply read again, whole,
 * with the next line. */
static void feed(Repl *r, const char *line)
{
    if (r->text->len == 0 && line[strspn(line, " \t\r")] == '\0')
        return;
    if (r->text->len)
        g_string_append_c(r->text, '\n');
    g_string_append(r->text, line);
    TmValue v = TM_VOID;
    gint64 t0 = g_get_monotonic_time();
    TmEvalStatus st = tm_node_eval_string(r->node, r->text->str, "<repl>", &v);
    if (st != TM_EVAL_INCOMPLETE)
        finish_entry(r, st, v, t0);
}

/* ---- commands --------------------------------------------------------- */

static void cmd_quit(Repl *r, const char *arg)
{
    (void)arg;
    leave(r, 0);
}

static void cmd_time(Repl *r, const char *arg)
{
    if (*arg == '\0') {
        fprintf(stderr, "usage: ,t EXPR\n");
        return;
    }
    r->timed = true;
    feed(r, arg);
}

static void cmd_help(Repl *r, const char *arg);

static const Command commands[] = {
    {"help", "h", "", "list these commands", cmd_help},
    {"quit", "q", "", "leave (so do (exit) and Ctrl-D at \"> \")", cmd_quit},
    {"time", "t", " EXPR", "evaluate EXPR and print how long it took",
     cmd_time},
};

static void cmd_help(Repl *r, const char *arg)
{
    (void)arg;
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        const Command *c = &commands[i];
        char *usage = g_strdup_printf(",%s%s  ,%s%s", c->name, c->args,
                                      c->alias, c->args);
        say(r->node, "  %-20s %s\n", usage, c->help);
        g_free(usage);
    }
    say(r->node, "Anything else is Scheme; an expression may span lines "
                 "(Ctrl-D at \"... \" drops it).\n");
}

static bool names_command(const Command *c, const char *name, size_t len)
{
    return (strlen(c->name) == len && memcmp(c->name, name, len) == 0) ||
           (strlen(c->alias) == len && memcmp(c->alias, name, len) == 0);
}

/* line is ",NAME ARG...": run the command called NAME or its alias. */
static void run_command(Repl *r, const char *line)
{
    const char *name = line + 1;
    size_t len = strcspn(name, " \t");
    const char *arg = name + len;
    arg += strspn(arg, " \t");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        if (names_command(&commands[i], name, len)) {
            commands[i].run(r, arg);
            return;
        }
    }
    tm_node_flush(r->node);
    fprintf(stderr, "unknown command ,%.*s (try ,help)\n", (int)len, name);
}

/* ---- the loop --------------------------------------------------------- */

/* Ctrl-D on a terminal leaves a fresh line behind us for the shell.  At
 * a continuation prompt it only drops the unfinished entry, the one way
 * out of an unterminated string short of leaving.  At the end of piped
 * input an unfinished entry is dropped with a word on stderr. */
static void at_end_of_input(Repl *r)
{
    bool pending = r->text->len > 0;
    g_string_truncate(r->text, 0);
    r->timed = false;
    if (r->tty) {
        say(r->node, pending ? "\n; entry dropped\n" : "\n");
        if (pending)
            return;
    } else if (pending) {
        fprintf(stderr, "termite: end of input inside an expression\n");
    }
    leave(r, 0);
}

/* One line of input.  A command is recognized only at the start of an
 * entry, so a comma that begins a line inside a multi-line datum stays
 * Scheme's unquote. */
static void step(Repl *r)
{
    char *line = read_line(r);
    if (!line) {
        at_end_of_input(r);
        return;
    }
    history_add(r, line);
    const char *start = line + strspn(line, " \t");
    if (r->text->len == 0 && *start == ',')
        run_command(r, start);
    else
        feed(r, line);
    g_free(line);
}

static void repl_init(Repl *r, TmNode *n)
{
    *r = (Repl){.node = n, .tty = isatty(STDIN_FILENO) != 0};
    r->text = g_string_new(NULL);
    if (!r->tty)
        return;
    readline_start(r);
    say(n, "Termite %s \xe2\x80\x94 ,help for help, ,q to quit\n",
        TM_VERSION);
}

static void repl_finish(Repl *r)
{
    if (r->history_path) {
        history_truncate_file(r->history_path, HISTORY_MAX);
        clear_history();
    }
    completion_node = NULL;
    g_free(r->history_path);
    g_string_free(r->text, TRUE);
}

int tm_repl_run(TmNode *n)
{
    Repl r;
    repl_init(&r, n);
    while (!r.done)
        step(&r);
    repl_finish(&r);
    return r.status;
}
