/*
 * refctl: the dispatcher. It parses the global options, finds the
 * command in the table, finds the repository and opens the store for the
 * commands that need one, and turns library errors into messages.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

/* Sorted by name; one row per command. */
const struct refctl_command refctl_commands[] = {
	{ "add", cmd_add, NEEDS_REPO | WRITES, "add advocates from flags or YAML", NULL },
	{ "check", cmd_check, NEEDS_REPO, "validate every advocate file (for CI)",
	  "refctl check [--format text|json]" },
	{ "edit", cmd_edit, NEEDS_REPO | WRITES, "edit an advocate in $VISUAL or $EDITOR",
	  "refctl edit ID [--no-commit] [-m TEXT]" },
	{ "export", cmd_export, NEEDS_REPO, "write every field of the advocates as CSV, TSV or JSON", NULL },
	{ "fmt", cmd_fmt, NEEDS_REPO | WRITES, "rewrite advocate files in the canonical form",
	  "refctl fmt [--check] [--no-commit] [-m TEXT] [ID...]" },
	{ "help", cmd_help, 0, "show help for refctl or a command", "refctl help [COMMAND]" },
	{ "import", cmd_import, NEEDS_REPO | WRITES, "add and update advocates from a CRM export or NPS survey (CSV)",
	  NULL },
	{ "init", cmd_init, WRITES, "make a directory a refctl repository",
	  "refctl init [--no-commit] [DIR]" },
	{ "list", cmd_list, NEEDS_REPO, "list advocates", NULL },
	{ "log", cmd_log, NEEDS_REPO, "show the history of an advocate's file",
	  "refctl log [--format table|tsv|json] ID" },
	{ "match", cmd_match, NEEDS_REPO, "rank the available advocates who fit a prospect",
	  "refctl match [--industry I] [--region R] [--country CC] [--language L] [--segment S]\n"
	  "                    [--product P]... [--use-case U]... [--activity A] [--prospect FILE|-]\n"
	  "                    [--exclude-company C]... [--limit N] [--all] [--explain]\n"
	  "                    [--format table|tsv|json|ids]\n"
	  "\n"
	  "Criteria (relevance is the weighted share met; weights in refctl.yaml match.weights):\n"
	  "  --use-case U, --product P   repeatable; partial credit for the share of values met\n"
	  "  --industry I, --region R, --language L, --country CC, --segment S\n"
	  "  --prospect FILE|-           the same as YAML (keys industry, region, country, language,\n"
	  "                              segment, products, use_cases, activity); flags win\n"
	  "Availability (an advocate failing one is excluded):\n"
	  "  status active, consent not expired, willing to do --activity A, under the quarter\n"
	  "  limit, rested since the latest engagement, company not given to --exclude-company\n"
	  "Output:\n"
	  "  --limit N    the best N available advocates (default 10, 0 for all)\n"
	  "  --all        also list the excluded advocates, with the reasons\n"
	  "  --explain    each criterion met or missed with its weight, load and win rate\n"
	  "  --format     table (default), tsv, json, or ids (available advocates only)\n"
	  "Order: relevance, then fewer engagements in the last 90 days, then higher win rate\n"
	  "(won+1)/(won+lost+2), then id. Exit 1 when no advocate is available." },
	{ "merge-file", cmd_merge_file, 0, "git's merge driver for advocate files (see 'refctl setup')", NULL },
	{ "report", cmd_report, NEEDS_REPO, "the program report for a period (for cron)",
	  "refctl report [--month YYYY-MM | --quarter YYYY-Qn | --year YYYY | --from D --to D]\n"
	  "              [--format text|markdown|html|csv|json] [-o FILE] [--top N] [--stamp]\n"
	  "\n"
	  "Without a period: the previous calendar month. The previous period of the same\n"
	  "length is shown beside it. -o writes FILE atomically, in the format of its\n"
	  "extension (.txt, .md, .html, .csv, .json) unless --format says otherwise.\n"
	  "Cron: 0 6 1 * * refctl -C /srv/refs report --format html -o /srv/www/refs/$(date +\\%Y-\\%m).html" },
	{ "request", cmd_request, NEEDS_REPO | WRITES, "ask for, approve, schedule and close reference requests",
	  NULL },
	{ "reward", cmd_reward, NEEDS_REPO | WRITES, "award or redeem an advocate's reward points", NULL },
	{ "schema", cmd_schema, 0, "show the fields of an advocate file", NULL },
	{ "set", cmd_set, NEEDS_REPO | WRITES, "set fields of an advocate", NULL },
	{ "setup", cmd_setup, NEEDS_REPO | WRITES, "register the merge driver in this clone (once after cloning)", NULL },
	{ "show", cmd_show, NEEDS_REPO, "show one advocate", NULL },
	{ "unset", cmd_unset, NEEDS_REPO | WRITES, "remove fields of an advocate", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct refctl_command *find_command(const char *name)
{
	for (const struct refctl_command *c = refctl_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int exit_code(int error)
{
	switch (error) {
	case 0:
		return EXIT_OK;
	case REFCTL_ENOTFOUND:
	case REFCTL_EREFUSED:
		return EXIT_NOTHING;
	case REFCTL_EINVALID:
	case REFCTL_EUSAGE:
	case REFCTL_EEXISTS:
		return EXIT_USAGE;
	default:
		return EXIT_REPO;
	}
}

/*
 * Every message goes out through here: its text comes from files, git and
 * the command line, so control characters are shown escaped (a file can
 * neither drive the terminal nor fake a line of output), once, here.
 */
void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	struct refctl_buf raw = REFCTL_BUF_INIT, line = REFCTL_BUF_INIT;

	refctl_buf_vprintf(&raw, fmt, ap);
	refctl_buf_puts(&line, prefix);
	refctl_text_escape(&line, raw.ptr, 0);
	refctl_buf_putc(&line, '\n');
	fwrite(line.ptr, 1, line.size, stderr);
	refctl_buf_release(&raw);
	refctl_buf_release(&line);
}

void error_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
}

int fail(int error)
{
	error_msg("%s", refctl_error_last());
	return exit_code(error);
}

void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

void render_table_ctx(struct refctl_buf *out, const struct refctl_table *t, enum refctl_format fmt,
		      const struct refctl_ctx *ctx)
{
	struct refctl_render_opts opts = REFCTL_RENDER_OPTS_INIT;
	opts.color = ctx->color;
	opts.raw_csv = ctx->raw_csv;
	refctl_table_render_opts(out, t, fmt, &opts);
}

void warn_cb(const char *msg, void *payload)
{
	(void)payload;
	warn("%s", msg);
}

void print_usage(FILE *f, const struct refctl_command *cmd)
{
	fprintf(f, "usage: %s\n", cmd->usage);
}

int usage_error_cmd(const struct refctl_command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
	if (cmd)
		print_usage(stderr, cmd);
	return EXIT_USAGE;
}

/*
 * The reader of our output went away (`refctl match --format ids | head -1`).
 * With SIGPIPE at its default the kernel has already ended us quietly; if
 * it was ignored, the write failed with EPIPE: end the same way, without a
 * message, as git does.
 */
static void exit_if_pipe_closed(void)
{
	if (errno != EPIPE)
		return;
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE);
}

int emit(const struct refctl_buf *buf)
{
	if (buf->size && fwrite(buf->ptr, 1, buf->size, stdout) != buf->size) {
		exit_if_pipe_closed();
		fprintf(stderr, "error: cannot write output\n");
		return EXIT_REPO;
	}
	return EXIT_OK;
}

int read_input(struct refctl_buf *out, const char *file, const char *what, size_t max)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	const char *name = f == stdin ? "<stdin>" : file;
	char chunk[8192];
	size_t n;
	int rc = EXIT_OK;

	refctl_buf_clear(out);
	if (!f) {
		fprintf(stderr, "error: cannot open '%s': %s\n", file, strerror(errno));
		return EXIT_USAGE;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		refctl_buf_put(out, chunk, n);
		if (out->size > max) {
			fprintf(stderr, "error: %s: %s is larger than %zu bytes\n", name, what, max);
			rc = EXIT_USAGE;
			break;
		}
	}
	if (rc == EXIT_OK && ferror(f)) {
		fprintf(stderr, "error: cannot read %s: %s\n", name, strerror(errno));
		rc = EXIT_USAGE;
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

void warn_bad_file(const char *file, const char *error, void *payload)
{
	(void)file;
	(void)payload;
	warn("skipped %s (run 'refctl check')", error);
}

void getopt_reset(void)
{
	optind = 0; /* GNU: full reinitialisation */
	opterr = 1;
}

int resolve_advocate(struct refctl_ctx *ctx, const char *arg, struct refctl_buf *id)
{
	int error = refctl_advocate_resolve(id, ctx->store, arg);
	return error < 0 ? fail(error) : EXIT_OK;
}

static void print_help(FILE *f)
{
	fprintf(f, "usage: refctl [-C DIR] [--raw-csv] [--version] [--help] COMMAND [ARGS]\n\n"
		   "Run a customer reference program from one YAML file per advocate in git.\n\n"
		   "Commands:\n");
	for (const struct refctl_command *c = refctl_commands; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->summary);
	fprintf(f, "\nSee 'refctl help COMMAND' for one command. Exit status: 0 success, 1 nothing\n"
		   "found or problems found, 2 bad usage or input, 3 repository or file-system failure.\n"
		   "--raw-csv (or REFCTL_RAW_CSV=1): CSV cells exactly as stored, formula-like\n"
		   "cells not prefixed with '.\n");
}

int cmd_help(int argc, char **argv, struct refctl_ctx *ctx)
{
	const struct refctl_command *c;
	if (argc < 2) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (!(c = find_command(argv[1])))
		return usage_error_cmd(NULL, "'%s' is not a refctl command (see 'refctl help')", argv[1]);
	printf("refctl %s: %s\n\n", c->name, c->summary);
	if (!c->usage) {
		/* the command's own -h: its option table is the usage */
		char *hargv[] = { (char *)c->name, (char *)"-h", NULL };
		struct refctl_ctx hctx;
		memset(&hctx, 0, sizeof(hctx));
		hctx.cmd = c;
		hctx.today = ctx->today;
		getopt_reset();
		return c->fn(2, hargv, &hctx);
	}
	print_usage(stdout, c);
	return EXIT_OK;
}

/*
 * After chdir(dir), keep $PWD naming the folder as the user does, through
 * any links, so the store can tell a link inside the repository (the
 * kernel's working directory has them resolved).
 */
static void follow_pwd(const char *dir, int pwd_was_valid)
{
	struct refctl_buf p = REFCTL_BUF_INIT;

	if (dir[0] == '/')
		refctl_buf_puts(&p, dir);
	else if (pwd_was_valid)
		refctl_buf_printf(&p, "%s/%s", getenv("PWD"), dir);
	if (p.size)
		setenv("PWD", p.ptr, 1);
	else
		unsetenv("PWD");
	refctl_buf_release(&p);
}

static int pwd_valid(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;
	return pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int color_wanted(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

int main(int argc, char **argv)
{
	struct refctl_ctx ctx;
	const struct refctl_command *cmd;
	char *root = NULL;
	const char *raw_csv;
	int i = 1, rc, error;

	memset(&ctx, 0, sizeof(ctx));
	raw_csv = getenv("REFCTL_RAW_CSV");
	ctx.raw_csv = raw_csv && *raw_csv && strcmp(raw_csv, "0");
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-C")) {
			int had_pwd = pwd_valid();
			if (i + 1 >= argc)
				return usage_error_cmd(NULL, "-C needs a directory");
			if (chdir(argv[i + 1]) < 0) {
				error_msg("cannot change to '%s': %s", argv[i + 1], strerror(errno));
				return EXIT_USAGE;
			}
			follow_pwd(argv[i + 1], had_pwd);
			unsetenv("REFCTL_DIR"); /* -C wins over the environment */
			i += 2;
		} else if (!strcmp(argv[i], "--raw-csv")) {
			ctx.raw_csv = 1;
			i++;
		} else if (!strcmp(argv[i], "--version")) {
			printf("refctl %s\n", refctl_version());
			return fflush(stdout) || ferror(stdout) ? EXIT_REPO : EXIT_OK;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_help(stdout);
			return EXIT_OK;
		} else {
			return usage_error_cmd(NULL, "unknown option '%s' (see 'refctl help')", argv[i]);
		}
	}
	if (i >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (!(cmd = find_command(argv[i])))
		return usage_error_cmd(NULL, "'%s' is not a refctl command (see 'refctl help')", argv[i]);
	ctx.color = color_wanted();
	if ((error = refctl_date_today(&ctx.today)) < 0)
		return fail(error);
	ctx.cmd = cmd;
	if (cmd->flags & NEEDS_REPO) {
		/* -h needs no repository: when there is none, keep the error
		 * for parse_options() to print if it was not help after all */
		int wants_help = 0, exit_rc;
		for (int k = i + 1; k < argc && strcmp(argv[k], "--"); k++)
			if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help"))
				wants_help = 1;
		if ((error = refctl_store_discover(&root)) < 0)
			exit_rc = error == REFCTL_ENOTFOUND ? EXIT_USAGE : exit_code(error);
		else if ((error = refctl_store_open(&ctx.store, root)) < 0)
			exit_rc = exit_code(error);
		free(root);
		if (error < 0) {
			if (!wants_help) {
				fail(error);
				return exit_rc;
			}
			ctx.repo_error = strdup(refctl_error_last());
			ctx.repo_exit = exit_rc;
		}
	}
	getopt_reset();
	rc = cmd->fn(argc - i, argv + i, &ctx);
	refctl_store_free(ctx.store);
	free(ctx.repo_error);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		exit_if_pipe_closed();
		fprintf(stderr, "error: cannot write output\n");
		return EXIT_REPO;
	}
	return rc;
}
