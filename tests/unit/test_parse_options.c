/*
 * Unit tests for cmd/parse-options.c: the option tables every command
 * parses its arguments with and builds its usage from.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* before cmocka.h, whose fail() macro would clash with cmd.h's fail() */
#include "cmd.h"

#include <cmocka.h>

/*
 * The message sink of cmd/main.c, which escapes control characters (tested
 * with the commands); the parser's messages here have none.
 */
void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
}

/* The values the options write into; zeroed before each test. */
static struct values {
	int all, secret, top, limit, offset, verbose;
	const char *message, *format, *fields, *to, *id, *even;
	struct refctl_strvec tags;
} v;

static int cb_even(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	size_t n = strlen(arg);

	if (!n || (arg[n - 1] - '0') % 2) {
		refctl_buf_printf(err, "--%s wants an even number, not '%s'", opt->long_name, arg);
		return -1;
	}
	*(const char **)opt->value = arg;
	return 0;
}

/* A callback without a placeholder is a flag: it gets no value. */
static int cb_flag(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	(void)err;
	*(int *)opt->value = arg ? -1 : (int)opt->defval;
	return 0;
}

static const struct refctl_option options[] = {
	OPT_BOOL('a', "all", &v.all, "every one"),
	OPT_STRING('m', "message", &v.message, "TEXT", "the message"),
	OPT_STRING(0, "format", &v.format, "FMT", "the format"),
	OPT_STRING(0, "fields", &v.fields, "F", "the fields"),
	OPT_STRING_LIST('t', "tag", &v.tags, "T", "a tag (repeatable)"),
	OPT_INTEGER(0, "top", &v.top, "N", "how many", 0, 1000),
	OPT_INTEGER(0, "limit", &v.limit, "N", "at most N", 0, INT_MAX),
	OPT_INTEGER(0, "offset", &v.offset, "N", "a shift", INT_MIN, INT_MAX),
	OPT_STRING(0, "to", &v.to, "D", "until"),
	OPT_STRING_F(0, "id", &v.id, "ID", "once only", OPT_ONCE),
	OPT_CALLBACK(0, "even", &v.even, "N", "an even number", cb_even),
	OPT_CALLBACK_F(0, "verbose", &v.verbose, NULL, "say more", cb_flag, 0, 7),
	OPT_END(),
};

static const char *const usage[] = {
	"refctl t [<options>] ARG...",
	"refctl t --other",
	"",
	"Prose line.",
	NULL,
};

struct fx {
	struct refctl_ctx ctx;
	struct refctl_command cmd;
	char *out, *err;
	int saved_out, saved_err;
	FILE *tout, *terr;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	memset(&v, 0, sizeof(v));
	f->cmd.name = "t";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	refctl_strvec_clear(&v.tags);
	free(f->out);
	free(f->err);
	free(f);
	return 0;
}

static char *slurp(FILE *t)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	char chunk[4096];
	size_t n;

	rewind(t);
	while ((n = fread(chunk, 1, sizeof(chunk), t)) > 0)
		refctl_buf_put(&b, chunk, n);
	fclose(t);
	return refctl_buf_detach(&b);
}

/*
 * Run parse_options() on the NULL-terminated argv with stdout and stderr
 * captured into f->out and f->err. Returns what a command returns: the
 * number of arguments left, or the exit code PARSE_OPT_EXIT() gives.
 */
static int parse(struct fx *f, char **argv, unsigned flags)
{
	int argc = 0, rc;

	while (argv[argc])
		argc++;
	free(f->out);
	free(f->err);
	fflush(stdout);
	fflush(stderr);
	f->saved_out = dup(STDOUT_FILENO);
	f->saved_err = dup(STDERR_FILENO);
	f->tout = tmpfile();
	f->terr = tmpfile();
	dup2(fileno(f->tout), STDOUT_FILENO);
	dup2(fileno(f->terr), STDERR_FILENO);
	rc = parse_options(&f->ctx, argc, argv, options, usage, flags);
	fflush(stdout);
	fflush(stderr);
	dup2(f->saved_out, STDOUT_FILENO);
	dup2(f->saved_err, STDERR_FILENO);
	close(f->saved_out);
	close(f->saved_err);
	f->out = slurp(f->tout);
	f->err = slurp(f->terr);
	return rc < 0 ? PARSE_OPT_EXIT(rc) + 1000 : rc;
}
/* parse() adds 1000 to an exit code, to tell it from a count of arguments. */
#define EXITED(code) (1000 + (code))

/* The first line of s, for error messages followed by the usage. */
static const char *first_line(const char *s)
{
	static char line[512];
	size_t n = strcspn(s, "\n");

	snprintf(line, sizeof(line), "%.*s", (int)n, s);
	return line;
}

static void assert_usage_error(struct fx *f, const char *message)
{
	assert_string_equal(first_line(f->err), message);
	assert_non_null(strstr(f->err, "\nusage: refctl t [<options>] ARG...\n"));
	assert_string_equal(f->out, "");
}

static void test_options_and_arguments_mix(void **state)
{
	struct fx *f = *state;
	char *argv[] = { "t", "a", "--all", "b", "-m", "x", "c", NULL };

	assert_int_equal(parse(f, argv, 0), 3);
	assert_string_equal(argv[0], "a");
	assert_string_equal(argv[1], "b");
	assert_string_equal(argv[2], "c");
	assert_null(argv[3]);
	assert_int_equal(v.all, 1);
	assert_string_equal(v.message, "x");
	assert_string_equal(f->out, "");
	assert_string_equal(f->err, "");
}

static void test_long_values(void **state)
{
	struct fx *f = *state;
	char *argv[] = { "t", "--format=json", "--fields", "a,b", "--to=", "--format", "tsv", NULL };

	assert_int_equal(parse(f, argv, 0), 0);
	assert_string_equal(v.format, "tsv"); /* the last one wins */
	assert_string_equal(v.fields, "a,b");
	assert_string_equal(v.to, "");        /* an empty value is a value */
}

static void test_short_values_and_clusters(void **state)
{
	struct fx *f = *state;
	char *glued[] = { "t", "-mTEXT", NULL };
	char *apart[] = { "t", "-m", "-a", NULL };
	char *cluster[] = { "t", "-atone", "-t", "two", NULL };

	assert_int_equal(parse(f, glued, 0), 0);
	assert_string_equal(v.message, "TEXT");
	/* the next argument is the value, even when it looks like an option */
	assert_int_equal(parse(f, apart, 0), 0);
	assert_string_equal(v.message, "-a");
	assert_int_equal(v.all, 0);
	/* flags, then a value option that takes the rest of the cluster */
	assert_int_equal(parse(f, cluster, 0), 0);
	assert_int_equal(v.all, 1);
	assert_int_equal(v.tags.n, 2);
	assert_string_equal(v.tags.v[0], "one");
	assert_string_equal(v.tags.v[1], "two");
}

static void test_abbreviations(void **state)
{
	struct fx *f = *state;
	char *unique[] = { "t", "--mess", "hi", "--fo=json", NULL };
	char *exact[] = { "t", "--to", "D", NULL };
	char *ambiguous[] = { "t", "--f", "x", NULL };

	assert_int_equal(parse(f, unique, 0), 0);
	assert_string_equal(v.message, "hi");
	assert_string_equal(v.format, "json");
	/* "--to" is an option, not an ambiguous prefix of --top */
	assert_int_equal(parse(f, exact, 0), 0);
	assert_string_equal(v.to, "D");
	assert_int_equal(v.top, 0);
	assert_int_equal(parse(f, ambiguous, 0), EXITED(2));
	assert_usage_error(f, "error: ambiguous option '--f' (could be --format, --fields)");
}

static void test_double_dash_and_dash(void **state)
{
	struct fx *f = *state;
	char *argv[] = { "t", "-", "-m", "-", "--", "--all", "-x", NULL };

	assert_int_equal(parse(f, argv, 0), 3);
	assert_string_equal(argv[0], "-"); /* standard input, an argument */
	assert_string_equal(argv[1], "--all");
	assert_string_equal(argv[2], "-x");
	assert_string_equal(v.message, "-");
	assert_int_equal(v.all, 0);
}

static void test_unknown_options(void **state)
{
	struct fx *f = *state;
	char *lng[] = { "t", "--nope", NULL };
	char *with_value[] = { "t", "--nope=3", NULL };
	char *shrt[] = { "t", "-ax", NULL };
	char *no_name[] = { "t", "--=json", NULL };
	char *help_value[] = { "t", "--help=x", NULL };

	assert_int_equal(parse(f, lng, 0), EXITED(2));
	assert_string_equal(f->err, "error: unknown option '--nope'\n"
				    "usage: refctl t [<options>] ARG...\n"
				    "   or: refctl t --other\n"
				    "\n"
				    "    -a, --all               every one\n"
				    "    -m, --message TEXT      the message\n"
				    "    --format FMT            the format\n"
				    "    --fields F              the fields\n"
				    "    -t, --tag T             a tag (repeatable)\n"
				    "    --top N                 how many\n"
				    "    --limit N               at most N\n"
				    "    --offset N              a shift\n"
				    "    --to D                  until\n"
				    "    --id ID                 once only\n"
				    "    --even N                an even number\n"
				    "    --verbose               say more\n"
				    "    -h, --help              show this help\n"
				    "\n"
				    "Prose line.\n");
	assert_string_equal(f->out, "");
	assert_int_equal(parse(f, with_value, 0), EXITED(2));
	assert_usage_error(f, "error: unknown option '--nope'");
	assert_int_equal(parse(f, shrt, 0), EXITED(2));
	assert_usage_error(f, "error: unknown option '-x'");
	/* an empty name is a prefix of every name: not an abbreviation */
	assert_int_equal(parse(f, no_name, 0), EXITED(2));
	assert_usage_error(f, "error: unknown option '--=json'");
	assert_null(v.format);
	assert_int_equal(parse(f, help_value, 0), EXITED(2));
	assert_usage_error(f, "error: unknown option '--help'");
}

static void test_missing_and_extra_values(void **state)
{
	struct fx *f = *state;
	char *lng[] = { "t", "a", "--format", NULL };
	char *shrt[] = { "t", "-m", NULL };
	char *flag[] = { "t", "--all=yes", NULL };

	assert_int_equal(parse(f, lng, 0), EXITED(2));
	assert_usage_error(f, "error: option '--format' needs a value");
	assert_int_equal(parse(f, shrt, 0), EXITED(2));
	assert_usage_error(f, "error: option '-m' needs a value");
	assert_int_equal(parse(f, flag, 0), EXITED(2));
	assert_usage_error(f, "error: option '--all' takes no value");
	assert_int_equal(v.all, 0);
}

static void test_once(void **state)
{
	struct fx *f = *state;
	char *once[] = { "t", "--id", "a", NULL };
	char *twice[] = { "t", "--id", "a", "--id=b", NULL };

	assert_int_equal(parse(f, once, 0), 0);
	assert_string_equal(v.id, "a");
	assert_int_equal(parse(f, twice, 0), EXITED(2));
	assert_usage_error(f, "error: option '--id' given twice");
}

static void test_integer_bounds(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *opt, *arg, *error; /* error NULL: accepted */
		int value;
	} cases[] = {
		{ "--top", "0", NULL, 0 },
		{ "--top", "1000", NULL, 1000 },
		{ "--top", "1001", "error: option '--top' expects an integer from 0 to 1000, not '1001'", 0 },
		{ "--top", "-1", "error: option '--top' expects an integer from 0 to 1000, not '-1'", 0 },
		{ "--top", "+5", "error: option '--top' expects an integer from 0 to 1000, not '+5'", 0 },
		{ "--top", " 5", "error: option '--top' expects an integer from 0 to 1000, not ' 5'", 0 },
		{ "--top", "\t5", "error: option '--top' expects an integer from 0 to 1000, not '\t5'", 0 },
		{ "--top", "5x", "error: option '--top' expects an integer from 0 to 1000, not '5x'", 0 },
		{ "--top", "", "error: option '--top' expects an integer from 0 to 1000, not ''", 0 },
		{ "--limit", "2147483647", NULL, INT_MAX },
		{ "--limit", "-1", "error: option '--limit' expects an integer of 0 or more, not '-1'", 0 },
		{ "--limit", "2147483648", "error: option '--limit' expects an integer of 0 or more, not '2147483648'", 0 },
		{ "--offset", "-2147483648", NULL, INT_MIN },
		{ "--offset", "-2147483649", "error: option '--offset' expects an integer, not '-2147483649'", 0 },
		{ "--offset", "ten", "error: option '--offset' expects an integer, not 'ten'", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[] = { "t", (char *)cases[i].opt, (char *)cases[i].arg, NULL };
		int rc;

		memset(&v, 0, sizeof(v));
		rc = parse(f, argv, 0);
		if (!cases[i].error) {
			assert_int_equal(rc, 0);
			assert_int_equal(strcmp(cases[i].opt, "--top") ? strcmp(cases[i].opt, "--limit") ? v.offset
											       : v.limit
								      : v.top,
					 cases[i].value);
		} else {
			assert_int_equal(rc, EXITED(2));
			assert_usage_error(f, cases[i].error);
			assert_int_equal(v.top + v.limit + v.offset, 0);
		}
	}
}

static void test_callbacks(void **state)
{
	struct fx *f = *state;
	char *good[] = { "t", "--even", "42", "--verbose", NULL };
	char *bad[] = { "t", "--even=3", NULL };

	assert_int_equal(parse(f, good, 0), 0);
	assert_string_equal(v.even, "42");
	assert_int_equal(v.verbose, 7); /* the datum, and no value */
	assert_int_equal(parse(f, bad, 0), EXITED(2));
	assert_usage_error(f, "error: --even wants an even number, not '3'");
}

static void test_help(void **state)
{
	struct fx *f = *state;
	char *lng[] = { "t", "x", "--all", "--help", "--nope", NULL };
	char *shrt[] = { "t", "-ah", NULL };
	char *value[] = { "t", "-m", "-h", NULL };

	assert_int_equal(parse(f, lng, 0), EXITED(0));
	assert_string_equal(first_line(f->out), "usage: refctl t [<options>] ARG...");
	assert_non_null(strstr(f->out, "\n    -h, --help              show this help\n\nProse line.\n"));
	assert_string_equal(f->err, "");
	assert_int_equal(parse(f, shrt, 0), EXITED(0));
	assert_string_equal(first_line(f->out), "usage: refctl t [<options>] ARG...");
	/* -h as the value of an option is that value */
	assert_int_equal(parse(f, value, 0), 0);
	assert_string_equal(v.message, "-h");
	assert_string_equal(f->out, "");
}

static void test_stop_at_non_option(void **state)
{
	struct fx *f = *state;
	char *argv[] = { "t", "--all", "verb", "--nope", "-h", NULL };

	assert_int_equal(parse(f, argv, PARSE_OPT_STOP_AT_NON_OPTION), 3);
	assert_string_equal(argv[0], "verb");
	assert_string_equal(argv[1], "--nope");
	assert_string_equal(argv[2], "-h");
	assert_int_equal(v.all, 1);
}

/* A command that needs a repository, run where there is none. */
static void no_repository(struct fx *f, int exit_code)
{
	f->cmd.flags = NEEDS_REPO;
	f->ctx.cmd = &f->cmd;
	f->ctx.repo_error = "not a refctl repository";
	f->ctx.repo_exit = exit_code;
}

static void test_repository_error_waits_for_help(void **state)
{
	struct fx *f = *state;
	char *flag[] = { "t", "--all", NULL };
	char *help[] = { "t", "--all", "-h", NULL };
	char *verb[] = { "t", "verb", "-h", NULL };
	char *no_verb[] = { "t", "--all", NULL };

	no_repository(f, 2);
	assert_int_equal(parse(f, flag, 0), EXITED(2));
	assert_string_equal(f->err, "error: not a refctl repository\n");
	no_repository(f, 3);
	assert_int_equal(parse(f, flag, 0), EXITED(3));
	assert_int_equal(parse(f, help, 0), EXITED(0));
	assert_string_equal(f->err, "");
	assert_string_equal(first_line(f->out), "usage: refctl t [<options>] ARG...");
	/* the verb's options are not parsed yet: its parse_options() decides */
	assert_int_equal(parse(f, verb, PARSE_OPT_STOP_AT_NON_OPTION), 2);
	assert_string_equal(f->err, "");
	assert_int_equal(parse(f, no_verb, PARSE_OPT_STOP_AT_NON_OPTION), EXITED(3));
	assert_string_equal(f->err, "error: not a refctl repository\n");
}

static void test_usage_layout(void **state)
{
	static int all, secret;
	static const char *exclude, *message;
	static const struct refctl_option layout[] = {
		OPT_GROUP("Input"),
		OPT_BOOL('a', "all", &all, "every one"),
		OPT_STRING(0, "exclude-everything", &exclude, "PATTERN", "leave out what matches"),
		{ OPTION_BOOL, 0, "secret", &secret, NULL, "not listed", OPT_HIDDEN, 0, 0, 0, NULL },
		OPT_GROUP("Output"),
		OPT_STRING('m', "message", &message, "TEXT", "the message"),
		OPT_END(),
	};
	static const char *const synopsis_only[] = { "refctl t", NULL };
	static const struct refctl_option none[] = { OPT_END() };
	char *text = NULL;
	size_t size = 0;
	FILE *m;

	(void)state;
	m = open_memstream(&text, &size);
	usage_with_options(m, usage, layout);
	fclose(m);
	assert_string_equal(text, "usage: refctl t [<options>] ARG...\n"
				  "   or: refctl t --other\n"
				  "\n"
				  "Input\n"
				  "    -a, --all               every one\n"
				  "    --exclude-everything PATTERN\n"
				  "                            leave out what matches\n"
				  "\n"
				  "Output\n"
				  "    -m, --message TEXT      the message\n"
				  "    -h, --help              show this help\n"
				  "\n"
				  "Prose line.\n");
	free(text);
	m = open_memstream(&text, &size);
	usage_with_options(m, synopsis_only, none);
	fclose(m);
	assert_string_equal(text, "usage: refctl t\n"
				  "\n"
				  "    -h, --help              show this help\n");
	free(text);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_options_and_arguments_mix),
		T(test_long_values),
		T(test_short_values_and_clusters),
		T(test_abbreviations),
		T(test_double_dash_and_dash),
		T(test_unknown_options),
		T(test_missing_and_extra_values),
		T(test_once),
		T(test_integer_bounds),
		T(test_callbacks),
		T(test_help),
		T(test_stop_at_non_option),
		T(test_repository_error_waits_for_help),
		T(test_usage_layout),
	};
	return cmocka_run_group_tests_name("parse_options", tests, NULL, NULL);
}
