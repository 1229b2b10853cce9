/*
 * refctl show: one advocate, as the canonical file (so the output saved and
 * fed back is accepted unchanged), as text (the file and its reward balance)
 * or as JSON (with "balance").
 */
#include <unistd.h>

#include "cmd.h"

static const char *const show_usage[] = {
	"refctl show [--format yaml|text|json] ID",
	"",
	"yaml prints exactly the canonical file; at a terminal the reward balance and",
	"the options below follow on stderr. text adds the balance, the programs the",
	"advocate is in and not yet in (vocabulary.programs of refctl.yaml, else every",
	"program of the repository) and the activities not yet offered; json has",
	"\"balance\", \"programs_not_in\" and \"activities_not_offered\".",
	NULL,
};

static void balance_line(struct refctl_buf *out, long balance)
{
	refctl_buf_printf(out, "# reward balance: %ld point%s\n", balance, balance == 1 ? "" : "s");
}

static void list_line(struct refctl_buf *out, const char *what, const char *const *v, size_t n)
{
	refctl_buf_printf(out, "# %s: ", what);
	for (size_t i = 0; i < n; i++)
		refctl_buf_printf(out, "%s%s", i ? ", " : "", v[i]);
	refctl_buf_puts(out, n ? "\n" : "none\n");
}

/* The options a customer in one program should hear about. */
static void options_lines(struct refctl_buf *out, const struct refctl_advocate *a,
			  const struct refctl_advocate_options *o)
{
	list_line(out, "in programs", a->programs.v, a->programs.n);
	list_line(out, "not yet in programs", (const char *const *)o->programs, o->nprograms);
	list_line(out, "activities not yet offered", o->activities, o->nactivities);
}

int cmd_show(int argc, char **argv, struct refctl_ctx *ctx)
{
	const char *format = NULL;
	const struct refctl_option options[] = {
		OPT_STRING(0, "format", &format, "FMT", "yaml (default: the canonical file), text or json"),
		OPT_END(),
	};
	enum refctl_format fmt = REFCTL_FORMAT_YAML;
	struct refctl_record *rec = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT;
	struct refctl_advocate_options opt = { NULL, 0, NULL, 0 };
	int rc = EXIT_OK, error;

	if ((argc = parse_options(ctx, argc, argv, options, show_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (format && refctl_format_parse(&fmt, format, REFCTL_FMT(REFCTL_FORMAT_YAML) | REFCTL_FMT(REFCTL_FORMAT_TEXT) |
						      REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	if (argc != 1)
		return usage_error(ctx, "expected one advocate id");
	if ((rc = resolve_advocate(ctx, argv[0], &out)) != EXIT_OK)
		goto done;
	if ((error = refctl_store_load(ctx->store, out.ptr, &rec)) < 0) {
		rc = fail(error);
		goto done;
	}
	if ((error = refctl_advocate_options(&opt, ctx->store, &rec->a)) < 0) {
		rc = fail(error);
		goto done;
	}
	refctl_buf_clear(&out);
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *j = refctl_record_to_json(rec), *p = json_array(), *a = json_array();
		json_object_set_new(j, "balance", json_integer(refctl_advocate_balance(&rec->a)));
		for (size_t i = 0; i < opt.nprograms; i++)
			json_array_append_new(p, json_string(opt.programs[i]));
		for (size_t i = 0; i < opt.nactivities; i++)
			json_array_append_new(a, json_string(opt.activities[i]));
		json_object_set_new(j, "programs_not_in", p);
		json_object_set_new(j, "activities_not_offered", a);
		refctl_json_dump(&out, j);
		json_decref(j);
	} else {
		if ((error = refctl_record_format(&out, rec)) < 0) {
			rc = fail(error);
			goto done;
		}
		if (fmt == REFCTL_FORMAT_TEXT) {
			options_lines(&out, &rec->a, &opt);
			balance_line(&out, refctl_advocate_balance(&rec->a));
		}
	}
	rc = emit(&out);
	if (rc == EXIT_OK && fmt == REFCTL_FORMAT_YAML && isatty(STDOUT_FILENO)) {
		/* for the eye only: stdout stays the file */
		refctl_buf_clear(&out);
		options_lines(&out, &rec->a, &opt);
		if (rec->a.nrewards)
			balance_line(&out, refctl_advocate_balance(&rec->a));
		fputs(out.ptr, stderr);
	}
done:
	refctl_advocate_options_release(&opt);
	refctl_record_free(rec);
	refctl_buf_release(&out);
	return rc;
}
