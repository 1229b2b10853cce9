#ifndef REFCTL_PARSE_OPTIONS_H
#define REFCTL_PARSE_OPTIONS_H

/*
 * Declarative option tables, in the manner of git's parse-options: one
 * static table per command gives both the parser and the usage text, so
 * the two can never disagree.
 *
 *	static const char *const list_usage[] = {
 *		"refctl list [<options>]",
 *		NULL,
 *	};
 *	const struct refctl_option options[] = {
 *		OPT_STRING_LIST(0, "status", &statuses, "S", "only advocates with this status"),
 *		OPT_BOOL(0, "no-commit", &no_commit, "write the file, do not commit"),
 *		OPT_END(),
 *	};
 *	if ((argc = parse_options(ctx, argc, argv, options, list_usage, 0)) < 0)
 *		return PARSE_OPT_EXIT(argc);
 *
 * After the call argv[0..argc) holds the arguments that were not options,
 * in order. Options and arguments may be mixed ("set ID --no-commit x=1");
 * "--" ends the options. Long options may be abbreviated to any unique
 * prefix and take their value as "--format=json" or "--format json"; short
 * ones as "-mTEXT" or "-m TEXT".
 *
 * -h and --help print the usage to stdout (the caller exits 0). Unknown
 * options, missing or bad values print one "error: ..." line and the usage
 * to stderr (the caller exits 2). For a command that needs a repository,
 * the repository error the dispatcher kept is printed once options are
 * known not to ask for help.
 *
 * OPT_INTEGER stores an int: the range is also bounded by INT_MIN..INT_MAX.
 * A callback without argh is a flag and gets a NULL value.
 *
 * Usage arrays: the first string is the synopsis, the next non-empty ones
 * are alternative synopses ("   or: ..."); after an empty string "" every
 * line is prose, printed after the list of options.
 */

#include <stdint.h>
#include <stdio.h>

struct refctl_ctx;
struct refctl_option;

enum refctl_option_type {
	OPTION_END = 0,
	OPTION_GROUP,       /* a heading in the usage text */
	OPTION_BOOL,        /* int *: set to 1 */
	OPTION_SET_INT,     /* int *: set to defval */
	OPTION_STRING,      /* const char **: the value, the last one given wins */
	OPTION_STRING_LIST, /* struct refctl_strvec *: every value, in order */
	OPTION_INTEGER,     /* int *: a decimal integer in [min, max] */
	OPTION_CALLBACK,    /* callback(opt, value) decides */
};

enum {
	OPT_HIDDEN = 1 << 0,  /* parsed, but not listed in the usage */
	OPT_ONCE = 1 << 1,    /* an error if given twice */
};

/*
 * A callback's verdict: 0 to accept, or non-zero after putting a message
 * (without "error: ") into err; it is printed with the usage.
 */
struct refctl_buf;
typedef int (*refctl_option_cb)(const struct refctl_option *opt, const char *arg,
				struct refctl_buf *err);

struct refctl_option {
	enum refctl_option_type type;
	int short_name;         /* 0 for none */
	const char *long_name;  /* NULL for none */
	void *value;
	const char *argh;       /* the value's placeholder in the usage: "N", "FILE" */
	const char *help;
	unsigned flags;         /* OPT_HIDDEN, OPT_ONCE */
	intptr_t defval;        /* OPTION_SET_INT's value, or a callback's datum */
	long min, max;          /* OPTION_INTEGER's range */
	refctl_option_cb callback;
};

/* A growable list of strings borrowed from argv (OPTION_STRING_LIST). */
struct refctl_strvec {
	const char **v;
	size_t n, alloc;
};
#define REFCTL_STRVEC_INIT { NULL, 0, 0 }
void refctl_strvec_push(struct refctl_strvec *sv, const char *s);
void refctl_strvec_clear(struct refctl_strvec *sv);

#define OPT_END() { OPTION_END, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL }
#define OPT_GROUP(h) { OPTION_GROUP, 0, NULL, NULL, NULL, (h), 0, 0, 0, 0, NULL }
#define OPT_BOOL(s, l, v, h) { OPTION_BOOL, (s), (l), (v), NULL, (h), 0, 0, 0, 0, NULL }
#define OPT_SET_INT(s, l, v, h, i) { OPTION_SET_INT, (s), (l), (v), NULL, (h), 0, (i), 0, 0, NULL }
#define OPT_STRING(s, l, v, a, h) { OPTION_STRING, (s), (l), (v), (a), (h), 0, 0, 0, 0, NULL }
#define OPT_STRING_LIST(s, l, v, a, h) { OPTION_STRING_LIST, (s), (l), (v), (a), (h), 0, 0, 0, 0, NULL }
#define OPT_INTEGER(s, l, v, a, h, lo, hi) { OPTION_INTEGER, (s), (l), (v), (a), (h), 0, 0, (lo), (hi), NULL }
#define OPT_CALLBACK(s, l, v, a, h, cb) { OPTION_CALLBACK, (s), (l), (v), (a), (h), 0, 0, 0, 0, (cb) }
/* The same with flags (OPT_HIDDEN, OPT_ONCE). */
#define OPT_STRING_F(s, l, v, a, h, f) { OPTION_STRING, (s), (l), (v), (a), (h), (f), 0, 0, 0, NULL }
#define OPT_CALLBACK_F(s, l, v, a, h, cb, f, d) { OPTION_CALLBACK, (s), (l), (v), (a), (h), (f), (d), 0, 0, (cb) }

/* The commit options every writing command takes. */
#define OPT_WRITE(no_commit, message) \
	OPT_BOOL(0, "no-commit", (no_commit), "write the files, leave committing to you"), \
	OPT_STRING('m', "message", (message), "TEXT", "the commit message body")

enum {
	/* Stop at the first argument that is not an option (for commands with
	 * verbs, whose options follow the verb). The repository check then
	 * waits for the verb's own parse_options(), which must follow. */
	PARSE_OPT_STOP_AT_NON_OPTION = 1 << 0,
	/* Keep the "--" that ends the options among the arguments (for
	 * commands where it separates two lists: set ID... -- FIELD=VALUE...). */
	PARSE_OPT_KEEP_DASHDASH = 1 << 1,
};

/*
 * Parse argv[1..argc) (argv[0] is the command's name). Returns the number
 * of arguments left in argv[0..), or a negative value: the command
 * returns PARSE_OPT_EXIT(value), 0 after help, 2 after a usage error.
 */
int parse_options(struct refctl_ctx *ctx, int argc, char **argv, const struct refctl_option *options,
		  const char *const *usage, unsigned flags);
#define PARSE_OPT_EXIT(n) (-(n) - 1)

/* The usage text: synopsis, options, prose. */
void usage_with_options(FILE *f, const char *const *usage, const struct refctl_option *options);

/*
 * The same usage as mdoc(7), for the man pages: the SYNOPSIS, OPTIONS and
 * DESCRIPTION sections (the caller writes the page's head and tail).
 */
void usage_man(FILE *f, const char *const *usage, const struct refctl_option *options);
/* The same for a verb, inside its command's page: synopsis, prose, options. */
void usage_man_verb(FILE *f, const char *const *usage, const struct refctl_option *options);
/* The pages' date (.Dd): $REFCTL_MAN_DATE, else today's. */
const char *usage_man_date(void);

/*
 * The same usage for shell completion, one option a line: its names
 * ("-m --message"), then, for an option that takes a value, "=" and the
 * value's placeholder, then the values the synopsis allows when it lists
 * them ("--format=FMT table tsv csv json").
 */
void usage_complete(FILE *f, const char *const *usage, const struct refctl_option *options);

/* What -h and --help print: set by 'refctl help --man' and '--complete'. */
enum usage_mode { USAGE_TEXT = 0, USAGE_MAN, USAGE_MAN_VERB, USAGE_COMPLETE };
extern enum usage_mode parse_options_usage_mode;
/* Where -h prints in those modes: stdout when NULL. */
extern FILE *parse_options_usage_out;

/*
 * "error: MSG" and the usage of the last parse_options() on ctx, on
 * stderr; returns 2 (EXIT_USAGE).
 */
int usage_error(struct refctl_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A verb of a command of verbs (request, referral, content). */
struct cmd_verb {
	const char *name, *summary;
	const char *const *usage; /* its synopsis; usage[0] goes into the command's */
	int id;                   /* what the command does with it */
};

/*
 * The part of a command of verbs before its verb: only -h, whose usage is
 * every verb's first synopsis line, the verbs with their summaries, then
 * prose. Returns the verb's index, argv[0] being the verb and *argc what
 * is left; or -1 with *rc the exit status: -h, no verb, or one that is not
 * a verb of cmd (with the most similar, if one is).
 */
int parse_verb(struct refctl_ctx *ctx, int *argc, char **argv, const char *cmd,
	       const struct cmd_verb *verbs, size_t n, const char *const *prose, int *rc);

#endif
