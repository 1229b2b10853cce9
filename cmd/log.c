/* refctl log: the history of one advocate's file, newest first. */
#include <limits.h>
#include <stdlib.h>

#include "cmd.h"

static const char *const log_usage[] = {
	"refctl log [--format table|tsv|json] [-n N] [--since DATE] ID",
	NULL,
};

int cmd_log(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const char *const headers[] = { "date", "commit", "author", "summary" };
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	struct refctl_log_entry *v = NULL;
	struct refctl_history hist;
	struct refctl_buf out = REFCTL_BUF_INIT, path = REFCTL_BUF_INIT, resolved = REFCTL_BUF_INIT;
	struct refctl_log_opts lopts = REFCTL_LOG_OPTS_INIT;
	const char *format = NULL, *since_arg = NULL, *id;
	size_t n = 0;
	int max_count = 0, rc, error;
	const struct refctl_option options[] = {
		OPT_STRING('f', "format", &format, "FMT", "table (default), tsv or json"),
		OPT_INTEGER('n', "max-count", &max_count, "N", "only the newest N commits (0 for all)", 0, INT_MAX),
		OPT_STRING(0, "since", &since_arg, "DATE",
			   "only commits from DATE on (committer date, from 00:00 UTC; 2026-11-01, today, 30d)"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, log_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	if (argc != 1)
		return usage_error(ctx, "expected one advocate id");
	lopts.max_count = (size_t)max_count;
	if (since_arg) {
		refctl_date day;
		if (refctl_date_parse_human(&day, since_arg, ctx->today) < 0)
			return usage_error(ctx, "--since: %s", refctl_error_last());
		lopts.has_since = 1;
		lopts.since = (int64_t)day * 86400;
	}
	id = argv[0];
	/* a name, path or prefix of an advocate that exists; else the id of one
	 * that may exist only in history */
	if (!refctl_id_valid(id) || !refctl_store_exists(ctx->store, id)) {
		if (refctl_advocate_resolve(&resolved, ctx->store, id) == 0)
			id = resolved.ptr;
		else if (!refctl_id_valid(id))
			return fail(REFCTL_ENOTFOUND);
	}
	refctl_store_path(&path, id);
	if ((error = refctl_store_log(ctx->store, path.ptr, &lopts, &v, &n, &hist)) < 0) {
		rc = fail(error);
		goto done;
	}
	if (!n && !refctl_store_exists(ctx->store, id)) {
		error_msg("no advocate '%s' and no history of %s", id, path.ptr);
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
			if (hist.shallow) {
				/* a shallow clone: the list may stop short */
				json_object_set_new(o, "shallow", json_true());
				if (hist.since_id[0]) {
					char since[REFCTL_TIME_MAX];
					refctl_time_format(since, hist.since, 0);
					json_object_set_new(o, "history_since", json_string(since));
				}
			}
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
	refctl_buf_release(&resolved);
	return rc;
}
