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
			error_msg("unknown field '%s' in --fields", tok);
			free(copy);
			return -1;
		}
		st->fields = realloc(st->fields, (st->nfields + 1) * sizeof(*st->fields));
		st->fields[st->nfields++] = strdup(tok);
	}
	free(copy);
	return st->nfields ? 0 : -1;
}

int cmd_list(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "industry", required_argument, NULL, 'i' },
		{ "region", required_argument, NULL, 'r' },
		{ "product", required_argument, NULL, 'p' },
		{ "activity", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "fields", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct refctl_command *self = find_command("list");
	struct list_state st;
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	struct refctl_buf out = REFCTL_BUF_INIT;
	const char *fields = NULL;
	int c, rc = EXIT_OK, error;

	memset(&st, 0, sizeof(st));
	st.cfg = refctl_store_config(ctx->store);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			st.status = optarg;
			break;
		case 'i':
			st.industry = optarg;
			break;
		case 'r':
			st.region = optarg;
			break;
		case 'p':
			st.product = optarg;
			break;
		case 'a':
			st.activity = optarg;
			break;
		case 'F':
			fields = optarg;
			break;
		case 'f':
			if (refctl_format_parse(&fmt, optarg,
						REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
						REFCTL_FMT(REFCTL_FORMAT_CSV) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
				return usage_error(self, "%s", refctl_error_last());
			break;
		case 'h':
			print_usage(stdout, self);
			return EXIT_OK;
		default:
			print_usage(stderr, self);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error(self, "unexpected argument '%s'", argv[optind]);
	if (st.status && strcmp(st.status, "nominated") && strcmp(st.status, "active") &&
	    strcmp(st.status, "paused") && strcmp(st.status, "retired"))
		return usage_error(self, "--status must be nominated, active, paused or retired");
	if (st.activity && !refctl_activity_valid(st.activity))
		return usage_error(self, "unknown activity '%s'", st.activity);
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
		render_table_ctx(&out, st.table, fmt, ctx);
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
