/* refctl show: one advocate, as canonical YAML or JSON. */
#include "cmd.h"

int cmd_show(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct refctl_command *self = find_command("show");
	enum refctl_format fmt = REFCTL_FORMAT_YAML;
	struct refctl_record *rec = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT;
	int c, rc = EXIT_OK, error;

	while ((c = getopt_long(argc, argv, "hf:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (refctl_format_parse(&fmt, optarg,
						REFCTL_FMT(REFCTL_FORMAT_YAML) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
				return usage_error_cmd(self, "%s", refctl_error_last());
			break;
		case 'h':
			print_usage(stdout, self);
			return EXIT_OK;
		default:
			print_usage(stderr, self);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return usage_error_cmd(self, "expected one advocate id");
	if ((error = refctl_store_load(ctx->store, argv[optind], &rec)) < 0)
		return fail(error);
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
