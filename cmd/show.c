/* refctl show: one advocate, as canonical YAML or JSON. */
#include "cmd.h"

static const char *const show_usage[] = {
	"refctl show [--format yaml|json] ID",
	NULL,
};

int cmd_show(int argc, char **argv, struct refctl_ctx *ctx)
{
	const char *format = NULL;
	const struct refctl_option options[] = {
		OPT_STRING(0, "format", &format, "FMT", "yaml (default: the canonical file) or json"),
		OPT_END(),
	};
	enum refctl_format fmt = REFCTL_FORMAT_YAML;
	struct refctl_record *rec = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT;
	int rc = EXIT_OK, error;

	if ((argc = parse_options(ctx, argc, argv, options, show_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (format && refctl_format_parse(&fmt, format, REFCTL_FMT(REFCTL_FORMAT_YAML) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	if (argc != 1)
		return usage_error(ctx, "expected one advocate id");
	if ((rc = resolve_advocate(ctx, argv[0], &out)) != EXIT_OK)
		goto done;
	if ((error = refctl_store_load(ctx->store, out.ptr, &rec)) < 0) {
		rc = fail(error);
		goto done;
	}
	refctl_buf_clear(&out);
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *j = refctl_record_to_json(rec);
		json_object_set_new(j, "balance", json_integer(refctl_advocate_balance(&rec->a)));
		refctl_json_dump(&out, j);
		json_decref(j);
	} else {
		if ((error = refctl_record_format(&out, rec)) < 0) {
			rc = fail(error);
			goto done;
		}
		if (rec->a.nrewards)
			refctl_buf_printf(&out, "# reward balance: %ld point%s\n",
					  refctl_advocate_balance(&rec->a),
					  refctl_advocate_balance(&rec->a) == 1 ? "" : "s");
	}
	rc = emit(&out);
done:
	refctl_record_free(rec);
	refctl_buf_release(&out);
	return rc;
}
