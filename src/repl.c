/*
 * repl.c — the read-eval-print loop: readline on a terminal (prompts,
 * history, completion of global names), plain line reading otherwise.
 * Input accumulates until it holds complete datums, then is evaluated.
 *
 * On a terminal the node's other processes keep running while the REPL
 * waits for input (readline's callback interface inside a poll loop), and
 * Ctrl-C interrupts the evaluation that runs, or clears the line at the
 * prompt.
 */
#include "repl.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "tm_config.h"

#define PROMPT "> "
#define CONTINUATION_PROMPT "... "
#define HISTORY_FILE ".termite_history"
#define HISTORY_MAX 1000

/* How long other processes may run before the REPL looks at its input. */
#define BACKGROUND_NS (20 * 1000 * 1000)

typedef struct Repl Repl;

/* While a terminal REPL runs, the node's world does what it did, except
 * that output first takes the prompt off the screen and waiting ends
 * early for an interrupt.  The REPL puts its own operations in the world
 * object (the console ports keep a pointer to it), each calling the
 * world's own. */
typedef struct {
    TmWorld *world;               /* NULL when not in place */
    const TmWorldOps *own;        /* the world's own operations */
    TmWorldOps ops;
} ReplWorld;

/* Ctrl-C: GLib turns SIGINT into a call of on_sigint in a thread of ours
 * that does nothing else, so no C global is touched by a signal handler of
 * ours.  on_sigint asks the node for an interrupt (an atomic flag) and
 * writes a byte to a pipe, which wakes the REPL's poll or the world's
 * idle wait. */
typedef struct {
    TmNode *node;
    gint echoed;          /* atomic: a Ctrl-C the terminal may have echoed
                           * as ^C, so the next output starts a new line */
    gint stop;            /* atomic: the thread is to end */
    int pipe[2];          /* read end, write end; -1 when not started */
    GMainContext *context;
    GThread *thread;
} Interrupts;

struct Repl {
    TmNode *node;
    bool tty;            /* stdin is a terminal: readline, prompts, history */
    char *history_path;  /* NULL unless tty */
    GString *text;       /* input of the entry so far: no complete datum
                          * yet, or empty between entries */
    bool timed;          /* ,t: time this entry when it completes */
    bool done;           /* leave the loop with `status` */
    int status;
    /* terminal only */
    bool prompting;      /* readline's line handler is installed: the
                          * prompt and the line being edited are shown */
    bool hidden;         /* ... but taken off the screen for output */
    char *hidden_line;   /* the line being edited while hidden */
    int hidden_point;
    bool line_start;     /* the node's last output ended a line */
    ReplWorld world;
    Interrupts intr;
};

typedef struct {
    const char *name, *alias;
    const char *args;
    const char *help;
    void (*run)(Repl *r, const char *arg);
} Command;

/*
 * The REPL on the terminal.  readline's callbacks (completion, the line
 * handler) and the world operations above take no user data, so this is
 * the one mutable C global Termite has (ARCHITECTURE.md allows it): it is
 * set only while a terminal REPL runs, read only by those callbacks, and
 * so one REPL at a time may use readline.  No signal handler touches it.
 */
static Repl *tty_repl;

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
    if (!tty_repl)
        return NULL;
    GPtrArray *names = tm_node_global_names(tty_repl->node);
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
    tty_repl = r;
    rl_readline_name = "termite";
    rl_catch_signals = 0;  /* SIGINT is ours (see Interrupts) */
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n\"'`,;()[]{}";
    rl_completer_quote_characters = "\"";
    history_start(r);
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

/* One line of input, NULL at its end.  A command is recognized only at
 * the start of an entry, so a comma that begins a line inside a
 * multi-line datum stays Scheme's unquote. */
static void take_line(Repl *r, const char *line)
{
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
}

/* ---- the terminal: prompt and output of background processes ------------ */

/* readline calls this with a complete line (malloc'd), or NULL for
 * Ctrl-D on an empty line.  The handler comes off first: that gives the
 * terminal back its ordinary settings for the evaluation (so Ctrl-C sends
 * SIGINT and output is cooked), and the loop puts up the next prompt. */
static void on_line(char *line)
{
    Repl *r = tty_repl;
    rl_callback_handler_remove();
    r->prompting = false;
    take_line(r, line);
    free(line);
}

static void prompt(Repl *r)
{
    rl_callback_handler_install(r->text->len ? CONTINUATION_PROMPT : PROMPT, on_line);
    r->prompting = true;
    r->line_start = true;
}

/* Take the prompt and the line being edited off the screen, keeping
 * them, so that a process's output starts at the beginning of a line. */
static void hide_prompt(Repl *r)
{
    r->hidden_point = rl_point;
    r->hidden_line = rl_copy_text(0, rl_end);
    rl_save_prompt();
    rl_replace_line("", 0);
    rl_redisplay();
    r->hidden = true;
}

/* Put them back below that output. */
static void show_prompt(Repl *r)
{
    if (!r->hidden)
        return;
    if (!r->line_start)
        r->world.own->write(r->world.world, 1, "\n", 1);
    rl_restore_prompt();
    rl_replace_line(r->hidden_line, 0);
    rl_point = r->hidden_point;
    free(r->hidden_line);
    r->hidden_line = NULL;
    r->hidden = false;
    r->line_start = true;
    rl_forced_update_display();
}

/* Ctrl-C at the prompt: drop the line and the unfinished entry. */
static void interrupt_at_prompt(Repl *r)
{
    g_atomic_int_set(&r->intr.echoed, 0);  /* readline turned echo off */
    show_prompt(r);
    g_string_truncate(r->text, 0);
    r->timed = false;
    if (r->prompting) {
        rl_free_line_state();
        rl_callback_sigcleanup();
        rl_replace_line("", 0);
        rl_callback_handler_remove();
        r->prompting = false;
    }
    say(r->node, "\n");
}

/* Let the other processes run for a while; their output goes above the
 * prompt.  Returns how long poll may wait for input (ms, -1: forever). */
static int run_background(Repl *r)
{
    int64_t wait_ns;
    TmEvalStatus st = tm_node_run_background(r->node, BACKGROUND_NS, &wait_ns);
    show_prompt(r);
    if (st == TM_EVAL_EXIT) {
        leave(r, tm_node_exit_code(r->node));
    } else if (st == TM_EVAL_ERROR) {
        interrupt_at_prompt(r);
        return 0;
    }
    if (wait_ns < 0)
        return -1;
    return (int)MIN((wait_ns + 999999) / 1000000, INT_MAX);
}

static void drain(int fd)
{
    char buf[64];
    while (read(fd, buf, sizeof buf) > 0)
        ;
}

/* Wait for a key, a Ctrl-C or the next receive timeout, while the other
 * processes run. */
static void tty_loop(Repl *r)
{
    while (!r->done) {
        if (!r->prompting)
            prompt(r);
        int timeout = run_background(r);
        if (r->done || !r->prompting)
            continue;
        struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                                {.fd = r->intr.pipe[0], .events = POLLIN}};
        if (poll(fds, 2, timeout) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            leave(r, 1);
            break;
        }
        if (fds[1].revents & POLLIN) {
            drain(r->intr.pipe[0]);
            if (tm_node_clear_interrupt(r->node))
                interrupt_at_prompt(r);
            continue;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
            rl_callback_read_char();
    }
    if (r->prompting) {
        rl_callback_handler_remove();
        r->prompting = false;
        say(r->node, "\n");
    }
}

static void plain_loop(Repl *r)
{
    while (!r->done) {
        char *line = read_line_plain();
        take_line(r, line);
        g_free(line);
    }
}

/* ---- Ctrl-C --------------------------------------------------------------- */

static gboolean on_sigint(gpointer data)
{
    Interrupts *in = data;
    tm_node_request_interrupt(in->node);
    g_atomic_int_set(&in->echoed, 1);
    char byte = 0;
    if (write(in->pipe[1], &byte, 1) < 0) {
        /* the pipe is full: a wake-up is pending anyway */
    }
    return G_SOURCE_CONTINUE;
}

static gpointer interrupt_thread(gpointer data)
{
    Interrupts *in = data;
    g_main_context_push_thread_default(in->context);
    while (!g_atomic_int_get(&in->stop))
        g_main_context_iteration(in->context, TRUE);
    g_main_context_pop_thread_default(in->context);
    return NULL;
}

static bool interrupts_start(Interrupts *in, TmNode *n)
{
    *in = (Interrupts){.node = n, .pipe = {-1, -1}};
    if (!g_unix_open_pipe(in->pipe, FD_CLOEXEC, NULL))
        return false;
    g_unix_set_fd_nonblocking(in->pipe[0], TRUE, NULL);
    g_unix_set_fd_nonblocking(in->pipe[1], TRUE, NULL);
    in->context = g_main_context_new();
    GSource *source = g_unix_signal_source_new(SIGINT);
    g_source_set_callback(source, on_sigint, in, NULL);
    g_source_attach(source, in->context);
    g_source_unref(source);
    in->thread = g_thread_new("termite-sigint", interrupt_thread, in);
    return true;
}

static void interrupts_stop(Interrupts *in)
{
    if (in->pipe[0] < 0)
        return;
    /* a flag, not g_main_loop_quit: that is lost if the thread has not
     * started its loop yet */
    g_atomic_int_set(&in->stop, 1);
    g_main_context_wakeup(in->context);
    g_thread_join(in->thread);
    g_main_context_unref(in->context);
    close(in->pipe[0]);
    close(in->pipe[1]);
    in->pipe[0] = in->pipe[1] = -1;
    tm_node_clear_interrupt(in->node);
}

/* ---- the node's world while the terminal REPL runs ------------------------ */

static void rw_write(TmWorld *w, int fd, const char *buf, size_t len)
{
    Repl *r = tty_repl;
    if (len == 0)
        return;
    if (r->prompting && !r->hidden)
        hide_prompt(r);
    else if (!r->prompting && g_atomic_int_compare_and_exchange(&r->intr.echoed, 1, 0))
        r->world.own->write(w, 1, "\n", 1);  /* after the terminal's ^C */
    r->world.own->write(w, fd, buf, len);
    r->line_start = buf[len - 1] == '\n';
}

/* Wait until until_ns, or less when Ctrl-C is pressed: then the request
 * goes to the waiting main program at once. */
static void rw_idle(TmWorld *w, int64_t until_ns)
{
    Repl *r = tty_repl;
    for (;;) {
        int64_t left = until_ns - r->world.own->monotonic_ns(w);
        if (left <= 0)
            break;
        struct pollfd fd = {.fd = r->intr.pipe[0], .events = POLLIN};
        if (poll(&fd, 1, (int)MIN((left + 999999) / 1000000, INT_MAX)) > 0) {
            drain(r->intr.pipe[0]);
            break;
        }
    }
    tm_node_take_interrupt(r->node);
}

static void world_start(Repl *r)
{
    ReplWorld *rw = &r->world;
    rw->world = r->node->world;
    rw->own = rw->world->ops;
    rw->ops = *rw->own;
    rw->ops.write = rw_write;
    rw->ops.idle = rw_idle;
    rw->world->ops = &rw->ops;
}

static void world_stop(Repl *r)
{
    if (r->world.world)
        r->world.world->ops = r->world.own;
    r->world.world = NULL;
}

/* ---- start and end ----------------------------------------------------------- */

static void repl_init(Repl *r, TmNode *n)
{
    *r = (Repl){.node = n, .tty = isatty(STDIN_FILENO) != 0,
                .intr = {.pipe = {-1, -1}}};
    r->text = g_string_new(NULL);
    if (!r->tty)
        return;
    if (!interrupts_start(&r->intr, n)) {
        r->tty = false;  /* no pipe: fall back to plain reading */
        return;
    }
    readline_start(r);
    world_start(r);
    say(n, "Termite %s \xe2\x80\x94 ,help for help, ,q to quit\n",
        TM_VERSION);
}

static void repl_finish(Repl *r)
{
    world_stop(r);
    interrupts_stop(&r->intr);
    if (r->history_path) {
        history_truncate_file(r->history_path, HISTORY_MAX);
        clear_history();
    }
    tty_repl = NULL;
    g_free(r->history_path);
    g_string_free(r->text, TRUE);
}

int tm_repl_run(TmNode *n)
{
    Repl r;
    repl_init(&r, n);
    if (r.tty)
        tty_loop(&r);
    else
        plain_loop(&r);
    repl_finish(&r);
    return r.status;
}
