/* refctl check: every problem of every advocate file; read-only, for CI. */
#include "cmd.h"

static const char *const check_usage[] = {
	"refctl check [--format text|json] [--cache]",
	"",
	"Exit 1 when a file has an error; warnings alone exit 0. With --cache, also",
	"check the parse cache (.git/refctl-cache) against a parse of every file it",
	"would be trusted for: each disagreement is an error.",
	NULL,
};

int cmd_check(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_diags diags = REFCTL_DIAGS_INIT;
	enum refctl_format fmt = REFCTL_FORMAT_TEXT;
	struct refctl_buf out = REFCTL_BUF_INIT;
	const char *format = NULL;
	size_t nfiles = 0;
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
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TEXT) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	/* before the check, which brings the cache up to date */
	if (cache)
		refctl_check_cache(ctx->store, &diags);
	if ((error = refctl_check(ctx->store, &diags, &nfiles)) < 0)
		return fail(error);
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *j = json_object(), *arr = json_array();
		for (size_t i = 0; i < diags.n; i++) {
			const struct refctl_diag *d = &diags.v[i];
			json_t *o = json_object();
			json_object_set_new(o, "file", json_string(d->file));
			json_object_set_new(o, "line", json_integer(d->line));
			json_object_set_new(o, "column", json_integer(d->col));
			json_object_set_new(o, "severity",
					    json_string(d->severity == REFCTL_DIAG_ERROR ? "error" : "warning"));
			json_object_set_new(o, "field", d->field ? json_string(d->field) : json_null());
			json_object_set_new(o, "message", json_string(d->message));
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "files", json_integer((json_int_t)nfiles));
		json_object_set_new(j, "errors", json_integer((json_int_t)diags.nerrors));
		json_object_set_new(j, "warnings", json_integer((json_int_t)diags.nwarnings));
		json_object_set_new(j, "problems", arr);
		refctl_json_dump(&out, j);
		json_decref(j);
	} else {
		struct refctl_buf line = REFCTL_BUF_INIT;
		for (size_t i = 0; i < diags.n; i++) {
			const struct refctl_diag *d = &diags.v[i];
			const char *sev = d->severity == REFCTL_DIAG_ERROR ? "error" : "warning";
			refctl_buf_clear(&line);
			if (d->line && d->col)
				refctl_buf_printf(&line, "%s:%u:%u: %s: %s", d->file, d->line, d->col, sev, d->message);
			else if (d->line)
				refctl_buf_printf(&line, "%s:%u: %s: %s", d->file, d->line, sev, d->message);
			else
				refctl_buf_printf(&line, "%s: %s: %s", d->file, sev, d->message);
			/* one problem, one line: a key holding a newline cannot fake another */
			refctl_text_escape(&out, line.ptr, 0);
			refctl_buf_putc(&out, '\n');
		}
		refctl_buf_release(&line);
		fprintf(stderr, "%zu file%s checked: %zu error%s, %zu warning%s\n", nfiles,
			nfiles == 1 ? "" : "s", diags.nerrors, diags.nerrors == 1 ? "" : "s",
			diags.nwarnings, diags.nwarnings == 1 ? "" : "s");
	}
	rc = emit(&out);
	if (rc == EXIT_OK && diags.nerrors)
		rc = EXIT_NOTHING;
	refctl_diags_release(&diags);
	refctl_buf_release(&out);
	return rc;
}
