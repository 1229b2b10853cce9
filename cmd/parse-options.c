/*
 * Option tables: one parser and one usage text from each command's table
 * (git's parse-options.c). See parse-options.h for the conventions.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "refctl/suggest.h"

void refctl_strvec_push(struct refctl_strvec *sv, const char *s)
{
	if (sv->n + 1 > sv->alloc) {
		size_t na = sv->alloc ? sv->alloc * 2 : 8;
		const char **v = realloc(sv->v, na * sizeof(*v));
		if (!v) {
			fputs("fatal: out of memory\n", stderr);
			abort();
		}
		sv->v = v;
		sv->alloc = na;
	}
	sv->v[sv->n++] = s;
}

void refctl_strvec_clear(struct refctl_strvec *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

static int takes_value(const struct refctl_option *o)
{
	return o->type == OPTION_STRING || o->type == OPTION_STRING_LIST ||
	       o->type == OPTION_INTEGER || (o->type == OPTION_CALLBACK && o->argh);
}

/* "--format" or "-f" as the user would name the option. */
static void option_name(struct refctl_buf *b, const struct refctl_option *o, int as_short)
{
	if (as_short || !o->long_name)
		refctl_buf_printf(b, "-%c", o->short_name);
	else
		refctl_buf_printf(b, "--%s", o->long_name);
}

static int parse_error(struct refctl_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int parse_error(struct refctl_ctx *ctx, const char *fmt, ...)
{
	struct refctl_buf msg = REFCTL_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	refctl_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	usage_error(ctx, "%s", msg.ptr);
	refctl_buf_release(&msg);
	return -1 - EXIT_USAGE;
}

static int parse_integer(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	/* strtol would skip leading white space and take a sign '+' */
	if (!*s || isspace((unsigned char)*s) || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	/* the target is an int, whatever the range says */
	if (errno || *end || v < min || v > max || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Store a value (or, for flags, the fact) into the option's target. */
static int apply(struct refctl_ctx *ctx, const struct refctl_option *o, const char *arg, int as_short,
		 unsigned *count)
{
	struct refctl_buf name = REFCTL_BUF_INIT, err = REFCTL_BUF_INIT;
	int rc = 0;
	long v;

	option_name(&name, o, as_short);
	if ((o->flags & OPT_ONCE) && (*count)++) {
		rc = parse_error(ctx, "option '%s' given twice", name.ptr);
		goto done;
	}
	switch (o->type) {
	case OPTION_BOOL:
		*(int *)o->value = 1;
		break;
	case OPTION_SET_INT:
		*(int *)o->value = (int)o->defval;
		break;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		break;
	case OPTION_STRING_LIST:
		refctl_strvec_push(o->value, arg);
		break;
	case OPTION_INTEGER:
		if (parse_integer(arg, o->min, o->max, &v) < 0) {
			if (o->min <= INT_MIN && o->max >= INT_MAX)
				rc = parse_error(ctx, "option '%s' expects an integer, not '%s'", name.ptr, arg);
			else if (o->max >= INT_MAX)
				rc = parse_error(ctx, "option '%s' expects an integer of %ld or more, not '%s'",
						 name.ptr, o->min, arg);
			else
				rc = parse_error(ctx, "option '%s' expects an integer from %ld to %ld, not '%s'",
						 name.ptr, o->min, o->max, arg);
			goto done;
		}
		*(int *)o->value = (int)v;
		break;
	case OPTION_CALLBACK:
		if (o->callback(o, arg, &err)) {
			rc = parse_error(ctx, "%s", err.size ? err.ptr : "bad value");
			goto done;
		}
		break;
	case OPTION_END:
	case OPTION_GROUP:
		break;
	}
done:
	refctl_buf_release(&name);
	refctl_buf_release(&err);
	return rc;
}

static size_t count_options(const struct refctl_option *options)
{
	size_t n = 0;
	while (options[n].type != OPTION_END)
		n++;
	return n;
}

/* The option a long name (exact, else a unique prefix) stands for. */
static int find_long(struct refctl_ctx *ctx, const struct refctl_option *options, const char *name,
		     size_t len, const struct refctl_option **out)
{
	const struct refctl_option *found = NULL;
	struct refctl_buf alts = REFCTL_BUF_INIT;
	int nfound = 0;

	*out = NULL;
	for (const struct refctl_option *o = options; o->type != OPTION_END; o++) {
		if (!o->long_name || strncmp(o->long_name, name, len))
			continue;
		if (o->long_name[len] == '\0') {
			*out = o;
			refctl_buf_release(&alts);
			return 0;
		}
		refctl_buf_printf(&alts, "%s--%s", nfound ? ", " : "", o->long_name);
		found = o;
		nfound++;
	}
	if (nfound == 1) {
		*out = found;
	} else if (nfound > 1) {
		int rc = parse_error(ctx, "ambiguous option '--%.*s' (could be %s)", (int)len, name, alts.ptr);
		refctl_buf_release(&alts);
		return rc;
	}
	refctl_buf_release(&alts);
	return 0;
}

enum usage_mode parse_options_usage_mode = USAGE_TEXT;
FILE *parse_options_usage_out;

static void usage_help(FILE *f, const char *const *usage, const struct refctl_option *options)
{
	switch (parse_options_usage_mode) {
	case USAGE_MAN:
		usage_man(f, usage, options);
		break;
	case USAGE_MAN_VERB:
		usage_man_verb(f, usage, options);
		break;
	case USAGE_COMPLETE:
		usage_complete(f, usage, options);
		break;
	case USAGE_TEXT:
		usage_with_options(f, usage, options);
		break;
	}
}

static int needs_repo_error(struct refctl_ctx *ctx)
{
	if (!ctx->cmd || !(ctx->cmd->flags & NEEDS_REPO) || ctx->store)
		return 0;
	error_msg("%s", ctx->repo_error ? ctx->repo_error : "no refctl repository");
	return -1 - (ctx->repo_exit ? ctx->repo_exit : EXIT_USAGE);
}

int parse_options(struct refctl_ctx *ctx, int argc, char **argv, const struct refctl_option *options,
		  const char *const *usage, unsigned flags)
{
	size_t nopts = count_options(options);
	unsigned *counts = calloc(nopts + 1, sizeof(*counts));
	int nargs = 0, i, rc = 0, stopped = 0;

	if (!counts) {
		fputs("fatal: out of memory\n", stderr);
		abort();
	}
	ctx->usage = usage;
	ctx->options = options;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct refctl_option *o = NULL;

		if (a[0] != '-' || !a[1]) {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION) {
				stopped = 1;
				break;
			}
			argv[nargs++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			if (!(flags & PARSE_OPT_KEEP_DASHDASH))
				i++;
			break;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *arg = eq ? eq + 1 : NULL;

			if (len == 4 && !strncmp(name, "help", 4) && !eq) {
				usage_help(parse_options_usage_out ? parse_options_usage_out : stdout, usage, options);
				rc = -1 - EXIT_OK;
				goto done;
			}
			if (!len) { /* "--=x": no name, and every name begins with "" */
				rc = parse_error(ctx, "unknown option '%s'", a);
				goto done;
			}
			if ((rc = find_long(ctx, options, name, len, &o)) < 0)
				goto done;
			if (!o) {
				rc = parse_error(ctx, "unknown option '--%.*s'", (int)len, name);
				goto done;
			}
			if (takes_value(o)) {
				if (!arg) {
					if (i + 1 >= argc) {
						rc = parse_error(ctx, "option '--%s' needs a value", o->long_name);
						goto done;
					}
					arg = argv[++i];
				}
			} else if (arg) {
				rc = parse_error(ctx, "option '--%s' takes no value", o->long_name);
				goto done;
			}
			if ((rc = apply(ctx, o, arg, 0, &counts[o - options])) < 0)
				goto done;
			continue;
		}
		/* one or more short options: -abc, -mTEXT, -m TEXT */
		for (const char *p = a + 1; *p; p++) {
			const char *arg = NULL;
			if (*p == 'h') {
				usage_help(parse_options_usage_out ? parse_options_usage_out : stdout, usage, options);
				rc = -1 - EXIT_OK;
				goto done;
			}
			for (o = options; o->type != OPTION_END; o++)
				if (o->short_name == *p)
					break;
			if (o->type == OPTION_END) {
				rc = parse_error(ctx, "unknown option '-%c'", *p);
				goto done;
			}
			if (takes_value(o)) {
				if (p[1])
					arg = p + 1;
				else if (i + 1 < argc)
					arg = argv[++i];
				else {
					rc = parse_error(ctx, "option '-%c' needs a value", *p);
					goto done;
				}
			}
			if ((rc = apply(ctx, o, arg, 1, &counts[o - options])) < 0)
				goto done;
			if (arg)
				break;
		}
	}
	while (i < argc)
		argv[nargs++] = argv[i++];
	argv[nargs] = NULL;
	/* Stopped at a verb: its own options, parsed next, may still ask for help. */
	if (!stopped && (rc = needs_repo_error(ctx)) < 0)
		goto done;
	rc = nargs;
done:
	free(counts);
	return rc;
}

#define USAGE_OPTS_WIDTH 24
#define USAGE_GAP 2

void usage_with_options(FILE *f, const char *const *usage, const struct refctl_option *options)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	size_t k = 0;
	int listed = 0;

	if (usage && usage[0]) {
		fprintf(f, "usage: %s\n", usage[0]);
		for (k = 1; usage[k] && *usage[k]; k++)
			fprintf(f, "   or: %s\n", usage[k]);
	}
	for (const struct refctl_option *o = options; o && o->type != OPTION_END; o++) {
		if (o->flags & OPT_HIDDEN)
			continue;
		if (!listed++)
			fputc('\n', f);
		if (o->type == OPTION_GROUP) {
			fprintf(f, "%s%s\n", o == options ? "" : "\n", o->help);
			continue;
		}
		refctl_buf_clear(&b);
		refctl_buf_puts(&b, "    ");
		if (o->short_name)
			refctl_buf_printf(&b, "-%c%s", o->short_name, o->long_name ? ", " : "");
		if (o->long_name)
			refctl_buf_printf(&b, "--%s", o->long_name);
		if (takes_value(o))
			refctl_buf_printf(&b, " %s", o->argh ? o->argh : "VALUE");
		if (b.size + USAGE_GAP > 4 + USAGE_OPTS_WIDTH)
			fprintf(f, "%s\n%*s%s\n", b.ptr, 4 + USAGE_OPTS_WIDTH, "", o->help ? o->help : "");
		else
			fprintf(f, "%-*s%s\n", 4 + USAGE_OPTS_WIDTH, b.ptr, o->help ? o->help : "");
	}
	if (options) {
		if (!listed)
			fputc('\n', f);
		fprintf(f, "%-*s%s\n", 4 + USAGE_OPTS_WIDTH, "    -h, --help", "show this help");
	}
	if (usage && usage[k]) {
		fputc('\n', f);
		for (k++; usage[k]; k++)
			fprintf(f, "%s\n", usage[k]);
	}
	refctl_buf_release(&b);
}

/* ---- the usage as mdoc(7) ---- */

/* s escaped for roff, on a macro line or inside a text line. */
static void man_escape(FILE *f, const char *s, size_t len, size_t *col)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\') {
			fputs("\\e", f);
			*col += 2;
		} else if (s[i] == '-') {
			fputs("\\-", f);
			*col += 2;
		} else {
			fputc(s[i], f);
			(*col)++;
		}
	}
}

/*
 * Text lines: the words of s escaped, runs of white space as one space,
 * wrapped before 72 columns (mandoc's style: no line longer than 80).
 */
static void man_text(FILE *f, const char *s)
{
	size_t col = 0;

	for (;;) {
		size_t len;
		while (*s == ' ' || *s == '\n' || *s == '\t')
			s++;
		if (!*s)
			break;
		len = strcspn(s, " \n\t");
		if (col && col + 1 + len > 72) {
			fputc('\n', f);
			col = 0;
		} else if (col) {
			fputc(' ', f);
			col++;
		}
		if (!col && (*s == '.' || *s == '\'')) {
			fputs("\\&", f);
			col += 2;
		}
		man_escape(f, s, len, &col);
		/* a sentence ends the line (mandoc: "new sentence, new line") */
		if (len > 1 && strchr(".?!", s[len - 1]) && s[len] && !(len > 2 && !strncmp(s + len - 3, "...", 3))) {
			fputc('\n', f);
			col = 0;
		}
		s += len;
	}
	if (col)
		fputc('\n', f);
}

static void man_macro_arg(FILE *f, const char *s)
{
	size_t col = 0;
	int quote = strchr(s, ' ') != NULL;

	if (quote)
		fputc('"', f);
	man_escape(f, s, strlen(s), &col);
	if (quote)
		fputc('"', f);
}

/* "    WORD   text": a row of a table in the prose (commands, verbs). */
static int prose_row(const char *line, size_t *word, const char **text)
{
	const char *p = line, *w;

	if (p[0] != ' ' || p[1] != ' ')
		return 0;
	while (*p == ' ')
		p++;
	w = p;
	while (*p && *p != ' ')
		p++;
	if (p == w || p[0] != ' ' || p[1] != ' ')
		return 0;
	*word = (size_t)(p - w);
	while (*p == ' ')
		p++;
	if (!*p)
		return 0;
	*text = p;
	return (int)(w - line);
}

static void man_option(FILE *f, const struct refctl_option *o)
{
	fputs(".It", f);
	if (o->short_name)
		fprintf(f, " Fl %c%s", o->short_name, o->long_name ? " ," : "");
	if (o->long_name) {
		fputs(" Fl \\-", f);
		man_macro_arg(f, o->long_name);
	}
	if (takes_value(o)) {
		fputs(" Ar ", f);
		man_macro_arg(f, o->argh ? o->argh : "VALUE");
	}
	fputc('\n', f);
	if (o->help && *o->help)
		man_text(f, o->help);
}

static void man_synopsis(FILE *f, const char *const *usage, size_t *k)
{
	for (*k = 0; usage && usage[*k] && (*k == 0 || *usage[*k]); (*k)++) {
		const char *s = usage[*k];
		if (!strncmp(s, "refctl ", 7)) {
			fputs(".Nm refctl\n", f);
			s += 7;
		}
		man_text(f, s);
	}
}

/*
 * The prose after the synopses (usage[k] is the empty line or NULL), after
 * a paragraph break if para; returns whether there was any.
 */
static int man_prose(FILE *f, const char *const *usage, size_t k, int para)
{
	int rows = 0;

	if (!usage || !usage[k])
		return 0;
	for (k++; usage[k]; k++) {
		const char *text;
		size_t word;
		int at = prose_row(usage[k], &word, &text);

		if (at && !rows) {
			fputs(".Bl -tag -width Ds\n", f);
			rows = 1;
		} else if (!at && rows) {
			fputs(".El\n", f);
			rows = 0;
		}
		if (at) {
			size_t col = 0;
			fputs(".It Cm ", f);
			man_escape(f, usage[k] + at, word, &col);
			fputc('\n', f);
			man_text(f, text);
		} else if (!*usage[k]) {
			para = 1;
		} else {
			if (para)
				fputs(".Pp\n", f);
			para = 0;
			man_text(f, usage[k]);
		}
	}
	if (rows)
		fputs(".El\n", f);
	return 1;
}

/* The options as a tag list, with OPTION_GROUP headings as subsections. */
static void man_options(FILE *f, const struct refctl_option *options, int groups, int with_help)
{
	int open = 0;

	for (const struct refctl_option *o = options; o && o->type != OPTION_END; o++) {
		if (o->flags & OPT_HIDDEN)
			continue;
		if (o->type == OPTION_GROUP) {
			size_t col = 0;
			if (!groups)
				continue;
			if (open)
				fputs(".El\n", f);
			fputs(".Ss ", f);
			/* "Output:" as a heading; \& keeps a ")" from being a trailing delimiter */
			man_escape(f, o->help, strlen(o->help) - (strchr(o->help, ':') && !strchr(o->help, ':')[1]), &col);
			fputs("\\&\n", f);
			open = 0;
			continue;
		}
		if (!open++)
			fputs(".Bl -tag -width Ds\n", f);
		man_option(f, o);
	}
	if (!with_help) {
		if (open)
			fputs(".El\n", f);
		return;
	}
	if (!open)
		fputs(".Bl -tag -width Ds\n", f);
	fputs(".It Fl h , Fl \\-help\nshow this help\n.El\n", f);
}

void usage_man(FILE *f, const char *const *usage, const struct refctl_option *options)
{
	size_t k;

	fputs(".Sh SYNOPSIS\n", f);
	man_synopsis(f, usage, &k);
	fputs(".Sh DESCRIPTION\n", f);
	if (man_prose(f, usage, k, 0))
		fputs(".Pp\n", f);
	fputs("The options:\n", f);
	man_options(f, options, 1, 1);
}

void usage_man_verb(FILE *f, const char *const *usage, const struct refctl_option *options)
{
	size_t k;

	man_synopsis(f, usage, &k);
	man_prose(f, usage, k, 1);
	man_options(f, options, 0, 0);
}

const char *usage_man_date(void)
{
	static char date[64];
	const char *env = getenv("REFCTL_MAN_DATE");
	time_t now = time(NULL);
	struct tm tm;

	if (env && *env)
		return env;
	if (!gmtime_r(&now, &tm) || !strftime(date, sizeof(date), "%B %d, %Y", &tm))
		return "January 1, 1970";
	if (date[strcspn(date, " ") + 1] == '0') /* "December 01" -> "December 1" */
		memmove(date + strcspn(date, " ") + 1, date + strcspn(date, " ") + 2,
			strlen(date + strcspn(date, " ") + 2) + 1);
	return date;
}

/* ---- the usage for shell completion ---- */

/* The values "--NAME a|b|c" lists in the synopsis, as "a b c". */
static void synopsis_choices(FILE *f, const char *const *usage, const char *name)
{
	size_t len = strlen(name);

	for (size_t k = 0; usage && usage[k] && (k == 0 || *usage[k]); k++) {
		for (const char *p = usage[k]; (p = strstr(p, "--")); p += 2) {
			const char *v;
			size_t n;
			if (strncmp(p + 2, name, len) || p[2 + len] != ' ')
				continue;
			v = p + 3 + len;
			n = strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-|");
			if (!memchr(v, '|', n))
				continue;
			for (size_t i = 0; i < n; i++)
				fputc(v[i] == '|' ? ' ' : v[i], f);
			return;
		}
	}
}

void usage_complete(FILE *f, const char *const *usage, const struct refctl_option *options)
{
	size_t k;
	int verbs = 0;

	for (const struct refctl_option *o = options; o && o->type != OPTION_END; o++) {
		if ((o->flags & OPT_HIDDEN) || o->type == OPTION_GROUP)
			continue;
		if (o->short_name)
			fprintf(f, "-%c%s", o->short_name, o->long_name ? " " : "");
		if (o->long_name)
			fprintf(f, "--%s", o->long_name);
		fputc('\t', f);
		if (takes_value(o)) {
			fputs(o->argh ? o->argh : "VALUE", f);
			fputc('\t', f);
			if (o->long_name)
				synopsis_choices(f, usage, o->long_name);
		}
		fputc('\n', f);
	}
	fputs("-h --help\t\n", f);
	/* the verbs a command lists under "Verbs:" in its prose */
	for (k = 0; usage && usage[k] && (k == 0 || *usage[k]); k++)
		;
	for (; usage && usage[k]; k++) {
		const char *text;
		size_t word;
		int at;
		if (!strcmp(usage[k], "Verbs:")) {
			verbs = 1;
			continue;
		}
		at = prose_row(usage[k], &word, &text);
		if (verbs && at)
			fprintf(f, "verb\t%.*s\n", (int)word, usage[k] + at);
		else
			verbs = 0;
	}
}

int usage_error(struct refctl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
	if (ctx && ctx->usage)
		usage_with_options(stderr, ctx->usage, ctx->options);
	return EXIT_USAGE;
}

/* "a, b, ... or z" (sep ", or "), or "a, b, ..., z" (sep ", ") */
static void verb_names(struct refctl_buf *out, const struct cmd_verb *verbs, size_t n, int or)
{
	for (size_t i = 0; i < n; i++)
		refctl_buf_printf(out, "%s%s", i == 0 ? "" : or && i == n - 1 ? " or " : ", ", verbs[i].name);
}

int parse_verb(struct refctl_ctx *ctx, int *argc, char **argv, const char *cmd,
	       const struct cmd_verb *verbs, size_t n, const char *const *prose, int *rc)
{
	enum { MAX_VERBS = 16, MAX_PROSE = 32 };
	size_t nprose = 0, k = 0;
	const char *usage[MAX_VERBS + 2 + MAX_VERBS + MAX_PROSE + 1];
	struct refctl_buf lines[MAX_VERBS], names = REFCTL_BUF_INIT;
	const struct refctl_option no_options[] = { OPT_END() };
	/* Before the verb only -h: a verb's own -h needs no repository, so
	 * this parse must not ask for one (the verb's parse does). */
	struct refctl_ctx top = *ctx;
	int found = -1;

	while (prose && prose[nprose] && nprose < MAX_PROSE)
		nprose++;
	if (n > MAX_VERBS)
		n = MAX_VERBS;
	for (size_t i = 0; i < n; i++)
		usage[k++] = verbs[i].usage[0];
	usage[k++] = "";
	usage[k++] = "Verbs:";
	for (size_t i = 0; i < n; i++) {
		refctl_buf_init(&lines[i]);
		refctl_buf_printf(&lines[i], "    %-10s%s", verbs[i].name, verbs[i].summary);
		usage[k++] = lines[i].ptr;
	}
	for (size_t i = 0; i < nprose; i++)
		usage[k++] = prose[i];
	usage[k] = NULL;

	top.cmd = NULL;
	if ((*argc = parse_options(&top, *argc, argv, no_options, usage, PARSE_OPT_STOP_AT_NON_OPTION)) < 0) {
		*rc = PARSE_OPT_EXIT(*argc);
		goto done;
	}
	if (!*argc) {
		verb_names(&names, verbs, n, 1);
		*rc = usage_error(&top, "expected a verb: %s", names.ptr);
		goto done;
	}
	for (size_t i = 0; i < n && found < 0; i++)
		if (!strcmp(argv[0], verbs[i].name))
			found = (int)i;
	if (found < 0) {
		const char *all[MAX_VERBS + 1];
		struct refctl_buf similar = REFCTL_BUF_INIT;
		for (size_t i = 0; i < n; i++)
			all[i] = verbs[i].name;
		all[n] = NULL;
		refctl_suggest(&similar, argv[0], all);
		verb_names(&names, verbs, n, 0);
		if (similar.size) {
			/* "find,show": "find or show" */
			struct refctl_buf or = REFCTL_BUF_INIT;
			for (const char *p = similar.ptr, *c; *p; p = c + !!*c) {
				c = p + strcspn(p, ",");
				refctl_buf_printf(&or, "%s%.*s", or.size ? " or " : "", (int)(c - p), p);
			}
			*rc = usage_error(&top, "'%s' is not a %s verb; the most similar is %s", argv[0], cmd, or.ptr);
			refctl_buf_release(&or);
		} else {
			*rc = usage_error(&top, "'%s' is not a %s verb (%s)", argv[0], cmd, names.ptr);
		}
		refctl_buf_release(&similar);
	}
done:
	for (size_t i = 0; i < n; i++)
		refctl_buf_release(&lines[i]);
	refctl_buf_release(&names);
	return found;
}
