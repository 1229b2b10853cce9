/* refctl check: every problem of every advocate file; read-only, for CI. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char *const check_usage[] = {
	"refctl check [--format text|json] [--cache]",
	"",
	"Exit 1 when a file has an error; warnings alone exit 0. With --cache, also",
	"check the parse cache (.git/refctl-cache) against a parse of every file it",
	"would be trusted for: each disagreement is an error.",
	NULL,
};

/* Output is written as the check goes, in pieces of about this size. */
#define CHUNK ((size_t)64 << 10)
/* JSON's counts come before its problems: problems beyond this wait in a
 * temporary file, not in memory, until the counts are known. */
#define SPOOL_AT ((size_t)1 << 20)

struct check_out {
	enum refctl_format fmt;
	struct refctl_buf buf, line;
	size_t nproblems;
	FILE *spool;
	int rc;
};

/* buf to the spool; EXIT_REPO when it cannot take it. */
static int spool_put(struct check_out *o)
{
	if (!o->spool && !(o->spool = tmpfile())) {
		error_msg("cannot make a temporary file for the JSON output: %s", strerror(errno));
		return EXIT_REPO;
	}
	if (fwrite(o->buf.ptr, 1, o->buf.size, o->spool) != o->buf.size) {
		error_msg("cannot write a temporary file for the JSON output: %s", strerror(errno));
		return EXIT_REPO;
	}
	refctl_buf_clear(&o->buf);
	return EXIT_OK;
}

/* One problem as `refctl_json_dump` of the whole answer indents it, at
 * the depth of the "problems" array's items. */
static void json_problem(struct refctl_buf *out, const struct refctl_diag *d, size_t nth)
{
	json_t *o = json_object();
	struct refctl_buf item = REFCTL_BUF_INIT;

	json_object_set_new(o, "file", json_string(d->file));
	json_object_set_new(o, "line", json_integer(d->line));
	json_object_set_new(o, "column", json_integer(d->col));
	json_object_set_new(o, "severity", json_string(d->severity == REFCTL_DIAG_ERROR ? "error" : "warning"));
	json_object_set_new(o, "field", d->field ? json_string(d->field) : json_null());
	json_object_set_new(o, "message", json_string(d->message));
	refctl_json_dump(&item, o);
	json_decref(o);
	refctl_buf_puts(out, nth ? ",\n    " : "\n    ");
	/* strings in JSON hold no raw newline: every newline is indentation */
	for (size_t i = 0; i + 1 < item.size; i++) {
		refctl_buf_putc(out, item.ptr[i]);
		if (item.ptr[i] == '\n')
			refctl_buf_puts(out, "    ");
	}
	refctl_buf_release(&item);
}

static int put_problem(const struct refctl_diag *d, void *payload)
{
	struct check_out *o = payload;

	if (o->fmt == REFCTL_FORMAT_JSON) {
		json_problem(&o->buf, d, o->nproblems);
		if (o->buf.size >= SPOOL_AT && (o->rc = spool_put(o)) != EXIT_OK)
			return 1;
	} else {
		const char *sev = d->severity == REFCTL_DIAG_ERROR ? "error" : "warning";
		refctl_buf_clear(&o->line);
		if (d->line && d->col)
			refctl_buf_printf(&o->line, "%s:%u:%u: %s: %s", d->file, d->line, d->col, sev, d->message);
		else if (d->line)
			refctl_buf_printf(&o->line, "%s:%u: %s: %s", d->file, d->line, sev, d->message);
		else
			refctl_buf_printf(&o->line, "%s: %s: %s", d->file, sev, d->message);
		/* one problem, one line: a key holding a newline cannot fake another */
		refctl_text_escape(&o->buf, o->line.ptr, 0);
		refctl_buf_putc(&o->buf, '\n');
		if (o->buf.size >= CHUNK) {
			if ((o->rc = emit(&o->buf)) != EXIT_OK)
				return 1;
			refctl_buf_clear(&o->buf);
		}
	}
	o->nproblems++;
	return 0;
}

/* The JSON answer: the counts, then the problems the spool and buf hold. */
static int put_json(struct check_out *o, const struct refctl_check_result *res)
{
	struct refctl_buf head = REFCTL_BUF_INIT;
	char chunk[CHUNK];
	size_t n;
	int rc;

	refctl_buf_printf(&head, "{\n  \"files\": %zu,\n  \"errors\": %zu,\n  \"warnings\": %zu,\n  \"problems\": [",
			  res->files, res->errors, res->warnings);
	rc = emit(&head);
	if (rc == EXIT_OK && o->spool) {
		if (fflush(o->spool) != 0 || fseek(o->spool, 0, SEEK_SET) != 0) {
			error_msg("cannot read back the temporary file of the JSON output: %s", strerror(errno));
			rc = EXIT_REPO;
		}
		while (rc == EXIT_OK && (n = fread(chunk, 1, sizeof(chunk), o->spool)) > 0) {
			refctl_buf_clear(&head);
			refctl_buf_put(&head, chunk, n);
			rc = emit(&head);
		}
		if (rc == EXIT_OK && ferror(o->spool)) {
			error_msg("cannot read back the temporary file of the JSON output: %s", strerror(errno));
			rc = EXIT_REPO;
		}
	}
	refctl_buf_puts(&o->buf, o->nproblems ? "\n  ]\n}\n" : "]\n}\n");
	if (rc == EXIT_OK)
		rc = emit(&o->buf);
	refctl_buf_release(&head);
	return rc;
}

int cmd_check(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_check_opts copts = REFCTL_CHECK_OPTS_INIT;
	struct refctl_check_result res;
	struct check_out o;
	const char *format = NULL;
	int rc, error, cache = 0;
	const struct refctl_option options[] = {
		OPT_STRING('f', "format", &format, "FMT", "text (default) or json"),
		OPT_BOOL(0, "cache", &cache, "also verify the parse cache against the files"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, check_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc > 0)
		return usage_error(ctx, "unexpected argument '%s'", argv[0]);
	memset(&o, 0, sizeof(o));
	o.fmt = REFCTL_FORMAT_TEXT;
	if (format && refctl_format_parse(&o.fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TEXT) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	refctl_buf_init(&o.buf);
	refctl_buf_init(&o.line);
	copts.verify_cache = cache;
	error = refctl_check_foreach(&res, ctx->store, &copts, put_problem, &o);
	if (error < 0) {
		rc = fail(error);
	} else if (error > 0) {
		rc = o.rc; /* the output could not be written: said */
	} else if (o.fmt == REFCTL_FORMAT_JSON) {
		rc = put_json(&o, &res);
	} else {
		rc = emit(&o.buf);
		fprintf(stderr, "%zu file%s checked: %zu error%s, %zu warning%s\n", res.files,
			res.files == 1 ? "" : "s", res.errors, res.errors == 1 ? "" : "s", res.warnings,
			res.warnings == 1 ? "" : "s");
	}
	if (rc == EXIT_OK && res.errors)
		rc = EXIT_NOTHING;
	if (o.spool)
		fclose(o.spool);
	refctl_buf_release(&o.buf);
	refctl_buf_release(&o.line);
	return rc;
}
