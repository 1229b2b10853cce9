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
#include "refctl/schema.h"
#include "refctl/suggest.h"

/* Sorted by name; one row per command. */
const struct refctl_command refctl_commands[] = {
	{ "add", cmd_add, NEEDS_REPO | WRITES, "add advocates from flags or YAML" },
	{ "check", cmd_check, NEEDS_REPO, "validate every advocate file (for CI)" },
	{ "content", cmd_content, NEEDS_REPO | WRITES, "keep quotes, case studies and videos, and find them for a prospect" },
	{ "edit", cmd_edit, NEEDS_REPO | WRITES, "edit an advocate in $VISUAL or $EDITOR" },
	{ "export", cmd_export, NEEDS_REPO, "write every field of the advocates as CSV, TSV or JSON" },
	{ "fmt", cmd_fmt, NEEDS_REPO | WRITES, "rewrite advocate files in the canonical form" },
	{ "fsck", cmd_fsck, NEEDS_REPO | WRITES, "check (and --repair) git's view of refctl's files" },
	{ "help", cmd_help, 0, "show help for refctl or a command" },
	{ "import", cmd_import, NEEDS_REPO | WRITES, "add and update advocates from a CRM export or NPS survey (CSV)" },
	{ "init", cmd_init, WRITES, "make a directory a refctl repository" },
	{ "list", cmd_list, NEEDS_REPO, "list advocates" },
	{ "log", cmd_log, NEEDS_REPO, "show the history of an advocate's file" },
	{ "match", cmd_match, NEEDS_REPO, "rank the available advocates who fit a prospect" },
	{ "merge-file", cmd_merge_file, 0, "git's merge driver for advocate files (see 'refctl setup')" },
	{ "referral", cmd_referral, NEEDS_REPO | WRITES, "record referrals and what came of them" },
	{ "report", cmd_report, NEEDS_REPO, "the program report for a period (for cron)" },
	{ "request", cmd_request, NEEDS_REPO | WRITES, "ask for, approve, schedule and close reference requests" },
	{ "reward", cmd_reward, NEEDS_REPO | WRITES, "award or redeem an advocate's reward points" },
	{ "schema", cmd_schema, 0, "show the fields of an advocate file" },
	{ "set", cmd_set, NEEDS_REPO | WRITES, "set fields of an advocate" },
	{ "setup", cmd_setup, NEEDS_REPO | WRITES, "register the merge driver in this clone (once after cloning)" },
	{ "show", cmd_show, NEEDS_REPO, "show one advocate" },
	{ "unset", cmd_unset, NEEDS_REPO | WRITES, "remove fields of an advocate" },
	{ "value", cmd_value, NEEDS_REPO, "the value advocates created beyond their own purchases" },
	{ NULL, NULL, 0, NULL },
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

void put_line(struct refctl_buf *out, const char *fmt, ...)
{
	struct refctl_buf line = REFCTL_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	refctl_buf_vprintf(&line, fmt, ap);
	va_end(ap);
	refctl_text_escape(out, line.ptr, 0);
	refctl_buf_putc(out, '\n');
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

/*
 * "'lsit' is not a refctl command", with the most similar commands, as
 * git says it; exit 2.
 */
static int not_a_command(const char *name)
{
	const char *names[64];
	struct refctl_buf similar = REFCTL_BUF_INIT;
	size_t n = 0;

	for (const struct refctl_command *c = refctl_commands; c->name && n + 1 < 64; c++)
		names[n++] = c->name;
	names[n] = NULL;
	refctl_suggest(&similar, name, names);
	error_msg("'%s' is not a refctl command (see 'refctl help')", name);
	if (similar.size) {
		int several = strchr(similar.ptr, ',') != NULL;
		fprintf(stderr, "\nThe most similar command%s\n", several ? "s are" : " is");
		for (char *p = similar.ptr, *comma; p; p = comma ? comma + 1 : NULL) {
			comma = strchr(p, ',');
			fprintf(stderr, "\t%.*s\n", comma ? (int)(comma - p) : (int)strlen(p), p);
		}
	}
	refctl_buf_release(&similar);
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

int resolve_advocate(struct refctl_ctx *ctx, const char *arg, struct refctl_buf *id)
{
	int error = refctl_advocate_resolve(id, ctx->store, arg);
	return error < 0 ? fail(error) : EXIT_OK;
}

/* The global options, before the command. */
static struct refctl_strvec global_dirs = REFCTL_STRVEC_INIT;
static int global_version, global_raw_csv, global_no_cache;
static const struct refctl_option global_options[] = {
	OPT_STRING_LIST('C', NULL, &global_dirs, "DIR", "run as if refctl was started in DIR"),
	OPT_BOOL(0, "no-cache", &global_no_cache, "read and parse every file, leaving the parse cache alone (see below)"),
	OPT_BOOL(0, "raw-csv", &global_raw_csv, "CSV cells exactly as stored (see below)"),
	OPT_BOOL(0, "version", &global_version, "print refctl's version"),
	OPT_END(),
};

/*
 * The top-level usage: the synopsis, then as prose the list of commands,
 * made from the command table (so a new command is listed by its row).
 */
static const char **global_usage;
static size_t global_usage_commands; /* the index of the first command's line */

static void global_usage_build(void)
{
	static const char *const head[] = {
		"refctl [-C DIR] [--no-cache] [--raw-csv] [--version] [--help] COMMAND [ARGS]",
		"",
		"Run a customer reference program from one YAML file per advocate in git.",
		"",
		"Commands:",
	};
	static const char *const tail[] = {
		"",
		"See 'refctl help COMMAND' for one command. Exit status: 0 success, 1 nothing",
		"found or problems found, 2 bad usage or input, 3 repository or file-system failure.",
		"--raw-csv (or REFCTL_RAW_CSV=1): CSV cells exactly as stored, formula-like",
		"cells not prefixed with '.",
		"--no-cache (or REFCTL_NO_CACHE=1): do not use .git/refctl-cache, the parse",
		"cache that lets a read parse only the advocate files changed since the last.",
		"REFCTL_JOBS=N: parse advocate files on N threads (default: one per CPU, at most 8).",
	};
	size_t nhead = sizeof(head) / sizeof(head[0]), ntail = sizeof(tail) / sizeof(tail[0]), n = 0, k = 0;
	struct refctl_buf line = REFCTL_BUF_INIT;

	while (refctl_commands[n].name)
		n++;
	if (!(global_usage = calloc(nhead + n + ntail + 1, sizeof(*global_usage)))) {
		fputs("fatal: out of memory\n", stderr);
		abort();
	}
	for (size_t i = 0; i < nhead; i++)
		global_usage[k++] = head[i];
	global_usage_commands = k;
	for (size_t i = 0; i < n; i++) {
		refctl_buf_clear(&line);
		refctl_buf_printf(&line, "  %-8s %s", refctl_commands[i].name, refctl_commands[i].summary);
		global_usage[k++] = refctl_buf_detach(&line);
	}
	for (size_t i = 0; i < ntail; i++)
		global_usage[k++] = tail[i];
	global_usage[k] = NULL;
	refctl_buf_release(&line);
}

static void global_usage_free(void)
{
	for (size_t i = 0; refctl_commands[i].name; i++)
		free((char *)global_usage[global_usage_commands + i]);
	free(global_usage);
	global_usage = NULL;
}

static const char *const help_usage[] = {
	"refctl help [COMMAND]",
	"",
	"Without COMMAND, the list of commands; with one, its summary and its usage",
	"(what 'refctl COMMAND -h' prints).",
	NULL,
};

static void man_upper(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, f);
}

/* The head of refctl(1) (c NULL) or refctl-COMMAND(1). */
static void man_head(const struct refctl_command *c)
{
	printf(".Dd %s\n.Dt REFCTL", usage_man_date());
	if (c) {
		putchar('-');
		man_upper(stdout, c->name);
	}
	printf(" 1\n.Os\n.Sh NAME\n.Nm refctl%s%s\n.Nd %s\n", c ? "-" : "", c ? c->name : "",
	       c ? c->summary : "run a customer reference program from YAML files in git");
}

static void man_tail(const struct refctl_command *c)
{
	fputs(".Sh EXIT STATUS\n.Bl -tag -width Ds -compact\n"
	      ".It 0\nsuccess\n.It 1\nnothing found, or problems found\n"
	      ".It 2\nbad usage or bad input; nothing written\n"
	      ".It 3\nrepository, git or file-system failure\n.El\n.Sh SEE ALSO\n",
	      stdout);
	if (c) {
		fputs(".Xr refctl 1 ,\n", stdout);
	} else {
		for (const struct refctl_command *k = refctl_commands; k->name; k++)
			printf(".Xr refctl-%s 1 ,\n", k->name);
	}
	fputs(".Xr refctl-schema 5\n", stdout);
}

/* The words completion offers that are not options: the vocabularies. */
static void complete_words(void)
{
	fputs("commands", stdout);
	for (const struct refctl_command *c = refctl_commands; c->name; c++)
		printf(" %s", c->name);
	fputs("\nstatuses", stdout);
	for (int i = 1; *refctl_status_name(i); i++)
		printf(" %s", refctl_status_name(i));
	fputs("\nrequest-statuses", stdout);
	for (int i = 1; *refctl_req_status_name(i); i++)
		printf(" %s", refctl_req_status_name(i));
	fputs("\nactivities", stdout);
	for (int i = 0; refctl_activities[i]; i++)
		printf(" %s", refctl_activities[i]);
	fputs("\n", stdout);
}

/*
 * The command's own -h (or its verb's), in the mode given, to f: its
 * option table is the usage.
 */
static int command_help(const struct refctl_command *c, const char *verb, enum usage_mode mode,
			struct refctl_ctx *ctx, FILE *f)
{
	char *hargv[] = { (char *)c->name, verb ? (char *)verb : (char *)"-h", (char *)"-h", NULL };
	struct refctl_ctx hctx;
	int rc;

	memset(&hctx, 0, sizeof(hctx));
	hctx.cmd = c;
	hctx.today = ctx->today;
	parse_options_usage_mode = mode;
	parse_options_usage_out = f;
	rc = c->fn(verb ? 3 : 2, hargv, &hctx);
	parse_options_usage_mode = USAGE_TEXT;
	parse_options_usage_out = NULL;
	return rc;
}

/* In a command's page, a subsection for each verb it has (request's). */
static int man_verbs(const struct refctl_command *c, struct refctl_ctx *ctx)
{
	char *words = NULL, *line, *save = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&words, &size);
	int rc;

	if (!f) {
		error_msg("cannot list the verbs of %s: %s", c->name, strerror(errno));
		return EXIT_REPO;
	}
	rc = command_help(c, NULL, USAGE_COMPLETE, ctx, f);
	fclose(f);
	for (line = strtok_r(words, "\n", &save); rc == EXIT_OK && line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "verb\t", 5))
			continue;
		printf(".Ss %s %s\n", c->name, line + 5);
		rc = command_help(c, line + 5, USAGE_MAN_VERB, ctx, stdout);
	}
	free(words);
	return rc;
}

int cmd_help(int argc, char **argv, struct refctl_ctx *ctx)
{
	/* Hidden: the man pages and the shell completion are made from these. */
	static int mode;
	static const struct refctl_option options[] = {
		{ OPTION_SET_INT, 0, "man", &mode, NULL, "the page as mdoc(7)", OPT_HIDDEN, USAGE_MAN, 0, 0, NULL },
		{ OPTION_SET_INT, 0, "complete", &mode, NULL, "words for shell completion", OPT_HIDDEN,
		  USAGE_COMPLETE, 0, 0, NULL },
		OPT_END(),
	};
	const struct refctl_command *c;
	int rc;

	mode = USAGE_TEXT;
	if ((argc = parse_options(ctx, argc, argv, options, help_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc < 1) {
		if (mode == USAGE_MAN) {
			man_head(NULL);
			usage_man(stdout, global_usage, global_options);
			man_tail(NULL);
		} else if (mode == USAGE_COMPLETE) {
			complete_words();
			usage_complete(stdout, global_usage, global_options);
		} else {
			usage_with_options(stdout, global_usage, global_options);
		}
		return EXIT_OK;
	}
	if (!(c = find_command(argv[0])))
		return not_a_command(argv[0]);
	if (mode == USAGE_MAN)
		man_head(c);
	else if (mode == USAGE_TEXT)
		printf("refctl %s: %s\n\n", c->name, c->summary);
	/* 'help --complete request new': a verb's words */
	rc = command_help(c, argc > 1 ? argv[1] : NULL, (enum usage_mode)mode, ctx, stdout);
	if (mode == USAGE_MAN && rc == EXIT_OK)
		rc = man_verbs(c, ctx);
	if (mode == USAGE_MAN)
		man_tail(c);
	return rc;
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
	int rc, error;

	memset(&ctx, 0, sizeof(ctx));
	raw_csv = getenv("REFCTL_RAW_CSV");
	ctx.raw_csv = raw_csv && *raw_csv && strcmp(raw_csv, "0");
	global_usage_build();
	/* argv[0] is refctl; the command and its arguments are left in argv[0..) */
	if ((argc = parse_options(&ctx, argc, argv, global_options, global_usage,
				  PARSE_OPT_STOP_AT_NON_OPTION)) < 0) {
		rc = PARSE_OPT_EXIT(argc);
		goto done;
	}
	if (global_raw_csv)
		ctx.raw_csv = 1;
	for (size_t k = 0; k < global_dirs.n; k++) {
		int had_pwd = pwd_valid();
		if (chdir(global_dirs.v[k]) < 0) {
			error_msg("cannot change to '%s': %s", global_dirs.v[k], strerror(errno));
			rc = EXIT_USAGE;
			goto done;
		}
		follow_pwd(global_dirs.v[k], had_pwd);
		unsetenv("REFCTL_DIR"); /* -C wins over the environment */
	}
	if (global_version) {
		printf("refctl %s\n", refctl_version());
		rc = fflush(stdout) || ferror(stdout) ? EXIT_REPO : EXIT_OK;
		goto done;
	}
	if (argc < 1) {
		usage_with_options(stderr, global_usage, global_options);
		rc = EXIT_USAGE;
		goto done;
	}
	if (!(cmd = find_command(argv[0]))) {
		rc = not_a_command(argv[0]);
		goto done;
	}
	ctx.color = color_wanted();
	if ((error = refctl_date_today(&ctx.today)) < 0) {
		rc = fail(error);
		goto done;
	}
	if ((error = refctl_store_jobs(&(unsigned){ 0 })) < 0) {
		rc = fail(error);
		goto done;
	}
	ctx.cmd = cmd;
	ctx.usage = NULL;
	ctx.options = NULL;
	if (cmd->flags & NEEDS_REPO) {
		/* -h needs no repository: when there is none, keep the error
		 * for parse_options() to print if it was not help after all */
		int wants_help = 0, exit_rc;
		for (int k = 1; k < argc && strcmp(argv[k], "--"); k++)
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
				rc = exit_rc;
				goto done;
			}
			ctx.repo_error = strdup(refctl_error_last());
			ctx.repo_exit = exit_rc;
		} else {
			refctl_store_set_warn(ctx.store, warn_cb, NULL);
			if (global_no_cache)
				refctl_store_set_cache(ctx.store, 0);
			/* writers find a half-done write under the lock */
			if (!wants_help && !(cmd->flags & WRITES))
				refctl_store_check_interrupted(ctx.store);
		}
	}
	rc = cmd->fn(argc, argv, &ctx);
	refctl_store_free(ctx.store);
	free(ctx.repo_error);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		exit_if_pipe_closed();
		/* emit() has said so already for a write that failed on its way */
		if (rc != EXIT_REPO)
			fprintf(stderr, "error: cannot write output\n");
		rc = EXIT_REPO;
	}
done:
	refctl_strvec_clear(&global_dirs);
	global_usage_free();
	return rc;
}
