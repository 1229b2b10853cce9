/* refctl list: advocates, filtered, as a table, TSV, CSV or JSON. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct list_state {
	const struct refctl_config *cfg;
	const char *status, *industry, *region, *product, *activity;
	char **fields;
	size_t nfields;
	int full_json;
	struct refctl_table *table;
	json_t *json;
	size_t count;
};

static int has_value(const struct refctl_config *cfg, const struct refctl_strlist *l, const char *want)
{
	struct refctl_buf a = REFCTL_BUF_INIT, b = REFCTL_BUF_INIT;
	int found = 0;
	refctl_config_canon(cfg, &a, want);
	for (size_t i = 0; i < l->n && !found; i++) {
		refctl_config_canon(cfg, &b, l->v[i]);
		found = !strcmp(a.ptr, b.ptr);
	}
	refctl_buf_release(&a);
	refctl_buf_release(&b);
	return found;
}

static int same_value(const struct refctl_config *cfg, const char *have, const char *want)
{
	struct refctl_strlist l = { &have, have ? 1 : 0 };
	return has_value(cfg, &l, want);
}

static int visit(const struct refctl_record *rec, void *payload)
{
	struct list_state *st = payload;
	const struct refctl_advocate *a = &rec->a;
	struct refctl_buf text = REFCTL_BUF_INIT;

	if ((st->status && strcmp(refctl_status_name(a->status), st->status)) ||
	    (st->industry && !same_value(st->cfg, a->industry, st->industry)) ||
	    (st->region && !same_value(st->cfg, a->region, st->region)) ||
	    (st->product && !has_value(st->cfg, &a->products, st->product)) ||
	    (st->activity && !has_value(st->cfg, &a->activities, st->activity)))
		return 0;
	st->count++;
	if (st->json && st->full_json) {
		json_t *j = refctl_record_to_json((struct refctl_record *)rec);
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
	}
	refctl_buf_release(&text);
	return 0;
}

static int split_fields(struct list_state *st, const char *spec)
{
	char *copy = strdup(spec), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!refctl_record_field_known(tok)) {
			fprintf(stderr, "error: unknown field '%s' in --fields\n", tok);
			free(copy);
			return -1;
		}
		st->fields = realloc(st->fields, (st->nfields + 1) * sizeof(*st->fields));
		st->fields[st->nfields++] = strdup(tok);
	}
	free(copy);
	return st->nfields ? 0 : -1;
}

static const char *const list_usage[] = {
	"refctl list [--status S] [--industry I] [--region R] [--product P] [--activity A]\n"
	"            [--format table|tsv|csv|json] [--fields id,name,...]",
	NULL,
};

int cmd_list(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct list_state st;
	const char *fields = NULL, *format = NULL;
	const struct refctl_option options[] = {
		OPT_STRING(0, "status", &st.status, "S", "only advocates with this status"),
		OPT_STRING(0, "industry", &st.industry, "I", "only advocates in this industry"),
		OPT_STRING(0, "region", &st.region, "R", "only advocates in this region"),
		OPT_STRING(0, "product", &st.product, "P", "only advocates using this product"),
		OPT_STRING(0, "activity", &st.activity, "A", "only advocates willing to do this activity"),
		OPT_STRING(0, "format", &format, "FMT", "table (default), tsv, csv or json"),
		OPT_STRING(0, "fields", &fields, "F,...", "the columns, comma-separated"),
		OPT_END(),
	};
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	struct refctl_buf out = REFCTL_BUF_INIT;
	int rc = EXIT_OK, error;

	memset(&st, 0, sizeof(st));
	if ((argc = parse_options(ctx, argc, argv, options, list_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc > 0)
		return usage_error(ctx, "unexpected argument '%s'", argv[0]);
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_CSV) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	st.cfg = refctl_store_config(ctx->store);
	if (st.status && strcmp(st.status, "nominated") && strcmp(st.status, "active") &&
	    strcmp(st.status, "paused") && strcmp(st.status, "retired"))
		return usage_error(ctx, "--status must be nominated, active, paused or retired");
	if (st.activity && !refctl_activity_valid(st.activity))
		return usage_error(ctx, "unknown activity '%s'", st.activity);
	if (split_fields(&st, fields ? fields : "id,name,company,status,industry,region") < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (fmt == REFCTL_FORMAT_JSON) {
		st.json = json_array();
		st.full_json = fields == NULL;
	} else {
		st.table = refctl_table_new(st.nfields, (const char *const *)st.fields);
	}
	if ((error = refctl_store_foreach(ctx->store, visit, warn_bad_file, &st)) < 0) {
		rc = fail(error);
		goto done;
	}
	if (st.json)
		refctl_json_dump(&out, st.json);
	else if (st.count || fmt != REFCTL_FORMAT_TABLE)
		refctl_table_render(&out, st.table, fmt, ctx->color);
	rc = emit(&out);
	if (rc == EXIT_OK && !st.count)
		rc = EXIT_NOTHING;
done:
	for (size_t i = 0; i < st.nfields; i++)
		free(st.fields[i]);
	free(st.fields);
	refctl_table_free(st.table);
	json_decref(st.json);
	refctl_buf_release(&out);
	return rc;
}
