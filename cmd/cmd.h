#ifndef REFCTL_CMD_H
#define REFCTL_CMD_H

#include <getopt.h>
#include <stdio.h>

#include "refctl/advocate.h"
#include "refctl/buf.h"
#include "refctl/common.h"
#include "refctl/output.h"
#include "refctl/period.h"
#include "refctl/record.h"
#include "refctl/store.h"

/* Exit codes, for every command. */
enum {
	EXIT_OK = 0,
	EXIT_NOTHING = 1,  /* nothing found, or check found problems */
	EXIT_USAGE = 2,    /* bad usage or bad input; nothing written */
	EXIT_REPO = 3,     /* repository, git or file-system failure; nothing lost */
};

struct refctl_ctx {
	struct refctl_store *store; /* opened by the dispatcher for NEEDS_REPO */
	int color;                  /* stdout is a terminal and NO_COLOR is unset */
	refctl_date today;          /* today, or REFCTL_TODAY */
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
	const char *usage;
};

/* The command table, in cmd/main.c. */
extern const struct refctl_command refctl_commands[];
const struct refctl_command *find_command(const char *name);

/* Print the last library error in git's voice and map it to an exit code. */
int fail(int error);
/* Print "error: ..." and return EXIT_USAGE (after the usage line, for bad usage). */
int usage_error(const struct refctl_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void print_usage(FILE *f, const struct refctl_command *cmd);
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
/* getopt_long with the common -h: returns 1 if usage was printed (exit 0). */
void getopt_reset(void);

/* The commands. */
int cmd_add(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_check(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_edit(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_fmt(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_fsck(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_help(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_init(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_list(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_log(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_match(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_report(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_request(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_reward(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_set(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_show(int argc, char **argv, struct refctl_ctx *ctx);
int cmd_unset(int argc, char **argv, struct refctl_ctx *ctx);

#endif
