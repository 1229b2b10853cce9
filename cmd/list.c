/* refctl list: advocates, filtered, as a table, TSV, CSV or JSON. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/filter.h"

#define MAX_FILTERS 32

struct list_state {
	struct refctl_filter *filter;
	char **fields;
	size_t nfields;
	int full_json, ids_only;
	struct refctl_buf ids;
	struct refctl_table *table;
	json_t *json;
	size_t count;
	/* tsv, csv and ids are written as they come, a chunk of rows at a
	 * time, so memory stays flat however many advocates there are */
	enum refctl_format stream;
	const struct refctl_ctx *ctx;
	int streamed, stream_error;
	/* filters as given: flag and value pairs, added once the store is open */
	struct refctl_strvec filter_flags, filter_values;
	char help[MAX_FILTERS][160];
};

static int filter_flag(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	struct list_state *st = opt->value;
	(void)err;
	refctl_strvec_push(&st->filter_flags, opt->long_name);
	refctl_strvec_push(&st->filter_values, arg);
	return 0;
}

#define STREAM_ROWS 4096

/* Write the rows so far (the header only the first time) and start again. */
static void flush_rows(struct list_state *st)
{
	struct refctl_buf out = REFCTL_BUF_INIT;
	size_t skip = 0;

	if (st->ids_only) {
		if (!st->stream_error && emit(&st->ids) != EXIT_OK)
			st->stream_error = 1;
		refctl_buf_clear(&st->ids);
		return;
	}
	render_table_ctx(&out, st->table, st->stream, st->ctx);
	if (st->streamed) {
		const char *eol = strchr(out.ptr, '\n');
		skip = eol ? (size_t)(eol + 1 - out.ptr) : out.size;
		memmove(out.ptr, out.ptr + skip, out.size - skip);
		refctl_buf_truncate(&out, out.size - skip);
	}
	if (!st->stream_error && emit(&out) != EXIT_OK)
		st->stream_error = 1;
	st->streamed = 1;
	refctl_table_free(st->table);
	st->table = refctl_table_new(st->nfields, (const char *const *)st->fields);
	refctl_buf_release(&out);
}

static int visit(const struct refctl_record *rec, void *payload)
{
	struct list_state *st = payload;
	struct refctl_buf text = REFCTL_BUF_INIT;

	if (!refctl_filter_match(st->filter, &rec->a))
		return 0;
	st->count++;
	if (st->ids_only) {
		refctl_buf_printf(&st->ids, "%s\n", rec->a.id);
		return 0;
	}
	if (st->json && st->full_json) {
		json_t *j = refctl_record_to_json((struct refctl_record *)rec);
		if (!j)
			return REFCTL_EIO; /* the file went away while listed: the last error says so */
		json_array_append_new(st->json, j);
	} else if (st->json) {
		json_t *o = json_object();
		for (size_t i = 0; i < st->nfields; i++) {
			refctl_record_field_text(&text, rec, st->fields[i]);
			if (refctl_record_field_is_list(st->fields[i])) {
				json_t *arr = json_array();
				for (char *p = text.ptr, *comma; *p; p = comma + 1) {
					comma = strchr(p, ',');
					json_array_append_new(arr, json_stringn(p, comma ? (size_t)(comma - p) : strlen(p)));
					if (!comma)
						break;
				}
				json_object_set_new(o, st->fields[i], arr);
			} else {
				json_object_set_new(o, st->fields[i], text.size ? json_string(text.ptr) : json_null());
			}
		}
		json_array_append_new(st->json, o);
	} else {
		char **cells = calloc(st->nfields, sizeof(*cells));
		for (size_t i = 0; i < st->nfields; i++) {
			refctl_record_field_text(&text, rec, st->fields[i]);
			cells[i] = strdup(text.ptr);
		}
		refctl_table_add(st->table, (const char *const *)cells);
		for (size_t i = 0; i < st->nfields; i++)
			free(cells[i]);
		free(cells);
		if (st->stream && refctl_table_rows(st->table) >= STREAM_ROWS)
			flush_rows(st);
	}
	if (st->ids_only && st->ids.size >= STREAM_ROWS * 32)
		flush_rows(st);
	refctl_buf_release(&text);
	return 0;
}

static int split_fields(struct refctl_ctx *ctx, struct list_state *st, const char *spec)
{
	struct refctl_buf all = REFCTL_BUF_INIT;
	char *copy, *save = NULL;

	if (!strcmp(spec, "all")) {
		refctl_record_columns(&all, 1);
		spec = all.ptr;
	}
	copy = strdup(spec);
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!refctl_record_field_known(tok)) {
			usage_error(ctx, "unknown field '%s' in --fields", tok);
			free(copy);
			refctl_buf_release(&all);
			return -1;
		}
		st->fields = realloc(st->fields, (st->nfields + 1) * sizeof(*st->fields));
		st->fields[st->nfields++] = strdup(tok);
	}
	free(copy);
	refctl_buf_release(&all);
	if (!st->nfields)
		usage_error(ctx, "--fields names no field");
	return st->nfields ? 0 : -1;
}

static const char *const list_usage[] = {
	"refctl list [FILTERS...] [--format table|tsv|csv|json|ids] [--fields F,...|all]",
	"",
	"The same filter given twice keeps advocates with either value (OR); different",
	"filters must all hold (AND). Free vocabularies (industry, region, products ...)",
	"compare case-insensitively through refctl.yaml's aliases. An advocate without",
	"an nps or a consent date passes no filter on it. --fields all lists every",
	"column; the default is id,name,company,status,industry,region.",
	NULL,
};

static int collect_filter(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
			  void *payload)
{
	void **p = payload;
	struct list_state *st = p[0];
	struct refctl_option *options = p[1];
	size_t *k = p[2];
	(void)path;
	(void)parent;
	if (!(f->flags & REFCTL_FIELD_FILTER) || !f->flag || *k >= MAX_FILTERS)
		return 0;
	snprintf(st->help[*k], sizeof(st->help[0]), "only advocates whose %s %s this (repeatable)",
		 f->name, refctl_schema_is_list(f) ? "include" : "is");
	options[*k] = (struct refctl_option)OPT_CALLBACK(0, f->flag, st, f->argh ? f->argh : "VALUE",
							 st->help[*k], filter_flag);
	(*k)++;
	return 0;
}

int cmd_list(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct list_state st;
	const char *fields = NULL, *format = NULL;
	struct refctl_option options[MAX_FILTERS + 7];
	int nps_below = -1, nps_at_least = -1, consent_days = -1;
	size_t k = 0;
	void *payload[3] = { &st, options, &k };
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	struct refctl_buf out = REFCTL_BUF_INIT, defaults = REFCTL_BUF_INIT;
	int rc = EXIT_OK, error;

	memset(&st, 0, sizeof(st));
	refctl_buf_init(&st.ids);
	refctl_schema_foreach(collect_filter, payload);
	options[k++] = (struct refctl_option)OPT_INTEGER(0, "nps-below", &nps_below, "N", "only advocates whose nps is below N", 0, 11);
	options[k++] = (struct refctl_option)OPT_INTEGER(0, "nps-at-least", &nps_at_least, "N", "only advocates whose nps is N or more", 0, 10);
	options[k++] = (struct refctl_option)OPT_INTEGER(0, "consent-expiring", &consent_days, "DAYS",
							 "only advocates whose consent ends within DAYS days from today", 0, 36600);
	options[k++] = (struct refctl_option)OPT_STRING(0, "format", &format, "FMT", "table (default), tsv, csv, json or ids");
	options[k++] = (struct refctl_option)OPT_STRING(0, "fields", &fields, "F,...|all", "the columns, comma-separated, or all");
	options[k] = (struct refctl_option)OPT_END();
	if ((rc = parse_options(ctx, argc, argv, options, list_usage, 0)) < 0) {
		rc = PARSE_OPT_EXIT(rc);
		goto done;
	}
	argc = rc;
	rc = EXIT_OK;
	if (argc > 0) {
		rc = usage_error(ctx, "unexpected argument '%s'", argv[0]);
		goto done;
	}
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_CSV) | REFCTL_FMT(REFCTL_FORMAT_JSON) |
					  REFCTL_FMT(REFCTL_FORMAT_IDS)) < 0) {
		rc = usage_error(ctx, "%s", refctl_error_last());
		goto done;
	}
	refctl_filter_new(&st.filter, refctl_store_config(ctx->store));
	for (size_t i = 0; i < st.filter_flags.n; i++)
		if (refctl_filter_add(st.filter, st.filter_flags.v[i], st.filter_values.v[i]) < 0) {
			rc = usage_error(ctx, "%s", refctl_error_last());
			goto done;
		}
	if ((nps_below >= 0 && refctl_filter_add_int_range(st.filter, "nps", 0, nps_below) < 0) ||
	    (nps_at_least >= 0 && refctl_filter_add_int_range(st.filter, "nps", nps_at_least, 11) < 0) ||
	    (consent_days >= 0 &&
	     refctl_filter_add_date_range(st.filter, "consent.until", ctx->today, ctx->today + consent_days) < 0)) {
		rc = fail(REFCTL_EINVALID);
		goto done;
	}
	refctl_record_columns(&defaults, 0);
	if (fmt == REFCTL_FORMAT_IDS) {
		/* one id a line, for pipelines: refctl list ... --format ids | refctl set - ... */
		if (fields) {
			rc = usage_error(ctx, "--format ids takes no --fields");
			goto done;
		}
		st.ids_only = 1;
		fields = "id";
	}
	if (split_fields(ctx, &st, fields ? fields : defaults.ptr) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (fmt == REFCTL_FORMAT_JSON) {
		st.json = json_array();
		st.full_json = fields == NULL;
	} else {
		st.table = refctl_table_new(st.nfields, (const char *const *)st.fields);
	}
	if (fmt == REFCTL_FORMAT_TSV || fmt == REFCTL_FORMAT_CSV || fmt == REFCTL_FORMAT_IDS)
		st.stream = fmt;
	st.ctx = ctx;
	if ((error = refctl_store_foreach(ctx->store, visit, warn_bad_file, &st)) < 0) {
		rc = fail(error);
		goto done;
	}
	if (st.json)
		refctl_json_dump(&out, st.json);
	else if (st.ids_only)
		refctl_buf_put(&out, st.ids.ptr, st.ids.size);
	else if (st.stream && st.streamed)
		flush_rows(&st);
	else if (st.count || fmt != REFCTL_FORMAT_TABLE)
		render_table_ctx(&out, st.table, fmt, ctx);
	rc = st.stream_error ? EXIT_REPO : emit(&out);
	if (rc == EXIT_OK && !st.count)
		rc = EXIT_NOTHING;
done:
	for (size_t i = 0; i < st.nfields; i++)
		free(st.fields[i]);
	free(st.fields);
	refctl_table_free(st.table);
	refctl_filter_free(st.filter);
	refctl_strvec_clear(&st.filter_flags);
	refctl_strvec_clear(&st.filter_values);
	json_decref(st.json);
	refctl_buf_release(&out);
	refctl_buf_release(&defaults);
	refctl_buf_release(&st.ids);
	return rc;
}
