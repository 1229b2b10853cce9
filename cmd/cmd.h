#ifndef REFCTL_CMD_H
#define REFCTL_CMD_H

#include <stdarg.h>
#include <stdio.h>

#include "refctl/advocate.h"
#include "refctl/buf.h"
#include "refctl/common.h"
#include "refctl/output.h"
#include "refctl/period.h"
#include "refctl/record.h"
#include "refctl/store.h"
#include "parse-options.h"

/* Exit codes, for every command. */
enum {
	EXIT_OK = 0,
	EXIT_NOTHING = 1,  /* nothing found, or check found problems */
	EXIT_USAGE = 2,    /* bad usage or bad input; nothing written */
	EXIT_REPO = 3,     /* repository, git or file-system failure; nothing lost */
};

struct refctl_command;
struct refctl_option;

struct refctl_ctx {
	struct refctl_store *store; /* opened by the dispatcher for NEEDS_REPO */
	int color;                  /* stdout is a terminal and NO_COLOR is unset */
	refctl_date today;          /* today, or REFCTL_TODAY */
	int raw_csv;                /* --raw-csv or REFCTL_RAW_CSV=1: no formula guard */
	const struct refctl_command *cmd; /* the command being run */
	/* Why store is NULL for a NEEDS_REPO command asked for help, printed
	 * by parse_options() if it was not help after all. */
	char *repo_error;
	int repo_exit;
	/* The usage of the last parse_options(), for usage_error(). */
	const char *const *usage;
	const struct refctl_option *options;
};

enum {
	NEEDS_REPO = 1 << 0, /* the dispatcher finds the root and opens the store */
	WRITES = 1 << 1,     /* may commit */
};

struct refctl_command {
	const char *name;
	int (*fn)(int argc, char **argv, struct refctl_ctx *ctx);
	unsigned flags;
	const char *summary;
};

/* The command table, in cmd/main.c. */
extern const struct refctl_command refctl_commands[];
const struct refctl_command *find_command(const char *name);

/* Print the last library error in git's voice and map it to an exit code. */
int fail(int error);
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A refctl_warn_fn: the library's warnings, as warn() prints them. */
void warn_cb(const char *msg, void *payload);
/* The write options of every writing command: the library's defaults,
 * warnings through warn_cb. */
#define CMD_WRITE_OPTS_INIT { .warn_cb = warn_cb }
/* Print prefix and the message, its control characters escaped, and a
 * newline: every message to standard error goes through here. */
void vmessage(const char *prefix, const char *fmt, va_list ap);
/* Print "error: ..." (control characters escaped, as fail() and warn() do). */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Render a table with the context's colour and CSV options. */
void render_table_ctx(struct refctl_buf *out, const struct refctl_table *t, enum refctl_format fmt,
		      const struct refctl_ctx *ctx);
/* Write buf to stdout and check the stream: a full disk or closed pipe is an error. */
int emit(const struct refctl_buf *buf);
/* Map a library error to an exit code. */
int exit_code(int error);
/*
 * Read FILE, or standard input for "-", into out: at most max bytes of
 * what (named in the error). Prints the error; returns an exit code.
 */
int read_input(struct refctl_buf *out, const char *file, const char *what, size_t max);
/* A refctl_store_bad_fn: warn once about an advocate file that does not load. */
void warn_bad_file(const char *file, const char *error, void *payload);

/* Register the merge driver of store's repository (refctl_store_setup),
 * saying what changed unless quiet; returns an exit code. */
int setup_merge_driver(struct refctl_store *store, unsigned txn_flags, int quiet);

/*
 * The advocate arg names (an id, advocates/ID.yaml, a unique prefix or
 * name) into id; prints the error (ambiguous: exit 2, none: exit 1) and
 * returns its exit code, EXIT_OK when found.
 */
int resolve_advocate(struct refctl_ctx *ctx, const char *arg, struct refctl_buf *id);

/* Append a line holding names and values from files, escaped, and '\n'. */
void put_line(struct refctl_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The commands. */
int cmd_add(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_check(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_content(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_edit(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_fmt(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_export(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_fsck(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_help(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_import(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_init(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_list(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_log(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_match(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_merge_file(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_referral(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_report(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_request(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_reward(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_schema(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_set(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_setup(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_show(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_value(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_unset(int argc, char **argv, struct refctl_ctx *ctx);

#endif
