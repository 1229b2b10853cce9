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

#include "cmd.h"

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
				usage_with_options(stdout, usage, options);
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
				usage_with_options(stdout, usage, options);
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
