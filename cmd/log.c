/* refctl log: the history of one advocate's file, newest first. */
#include <stdlib.h>

#include "cmd.h"

int cmd_log(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const headers[] = { "date", "commit", "author", "summary" };
	const struct refctl_command *self = find_command("log");
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	struct refctl_log_entry *v = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT, path = REFCTL_BUF_INIT;
	size_t n = 0;
	int c, rc, error;

	while ((c = getopt_long(argc, argv, "hf:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (refctl_format_parse(&fmt, optarg,
						REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
						REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
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
	if (!refctl_id_valid(argv[optind]))
		return usage_error_cmd(self, "'%s' is not a valid advocate id", argv[optind]);
	refctl_store_path(&path, argv[optind]);
	if ((error = refctl_store_log(ctx->store, path.ptr, &v, &n)) < 0) {
		rc = fail(error);
		goto done;
	}
	if (!n && !refctl_store_exists(ctx->store, argv[optind])) {
		error_msg("no advocate '%s' and no history of %s", argv[optind], path.ptr);
		rc = EXIT_NOTHING;
		goto done;
	}
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();
			char when[REFCTL_TIME_MAX];
			refctl_time_format(when, v[i].time, v[i].offset);
			json_object_set_new(o, "commit", json_string(v[i].id));
			json_object_set_new(o, "date", json_string(when));
			json_object_set_new(o, "author", json_string(v[i].author));
			json_object_set_new(o, "email", json_string(v[i].email));
			json_object_set_new(o, "summary", json_string(v[i].summary));
			json_array_append_new(arr, o);
		}
		refctl_json_dump(&out, arr);
		json_decref(arr);
	} else {
		struct refctl_table *t = refctl_table_new(4, headers);
		for (size_t i = 0; i < n; i++) {
			char date[11], shortid[8];
			const char *cells[4];
			refctl_date_format(date, refctl_time_date(v[i].time, v[i].offset));
			snprintf(shortid, sizeof(shortid), "%.7s", v[i].id);
			cells[0] = date;
			cells[1] = shortid;
			cells[2] = v[i].author;
			cells[3] = v[i].summary;
			refctl_table_add(t, cells);
		}
		refctl_table_render(&out, t, fmt, ctx->color);
		refctl_table_free(t);
	}
	rc = emit(&out);
done:
	refctl_log_entries_free(v, n);
	refctl_buf_release(&out);
	refctl_buf_release(&path);
	return rc;
}
