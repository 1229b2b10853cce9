/* refctl schema: the fields of an advocate file, from the schema table. */
#include <string.h>

#include "cmd.h"

struct schema_out {
	enum refctl_format fmt;
	struct refctl_table *table;
	json_t *json;
	struct refctl_buf values, rules;
};

static int add_row(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
		   void *payload)
{
	struct schema_out *o = payload;
	struct refctl_buf flag = REFCTL_BUF_INIT;

	refctl_schema_describe(&o->values, &o->rules, f, parent);
	if (f->flag)
		refctl_buf_printf(&flag, "--%s", f->flag);
	if (o->json) {
		json_t *j = json_object();
		json_object_set_new(j, "field", json_string(path));
		json_object_set_new(j, "type", json_string(refctl_schema_type_name(f->type)));
		json_object_set_new(j, "json", json_string(refctl_schema_json_type(f)));
		if (f->values) {
			json_t *v = json_array();
			for (int i = 0; f->values[i]; i++)
				json_array_append_new(v, json_string(f->values[i]));
			json_object_set_new(j, "values", v);
		}
		if (f->type == REFCTL_TYPE_INTEGER) {
			json_object_set_new(j, "min", json_integer(f->min));
			json_object_set_new(j, "max", json_integer(f->max));
		}
		json_object_set_new(j, "flag", f->flag ? json_string(flag.ptr) : json_null());
		json_object_set_new(j, "required", json_boolean(f->flags & REFCTL_FIELD_REQUIRED));
		json_object_set_new(j, "settable", json_boolean(f->flags & REFCTL_FIELD_SETTABLE));
		json_object_set_new(j, "filter", json_boolean(f->flags & REFCTL_FIELD_FILTER));
		json_object_set_new(j, "unique", json_boolean(f->flags & REFCTL_FIELD_UNIQUE));
		json_object_set_new(j, "description", json_string(f->help ? f->help : ""));
		json_array_append_new(o->json, j);
	} else {
		const char *cells[6] = { path, refctl_schema_type_name(f->type), o->values.ptr, flag.ptr,
					 o->rules.ptr, f->help ? f->help : "" };
		refctl_table_add(o->table, cells);
	}
	refctl_buf_release(&flag);
	return 0;
}

static const char *const schema_usage[] = {
	"refctl schema [--format table|tsv|json|markdown|man]",
	"",
	"The fields of an advocate file in canonical order: type, allowed values,",
	"add's flag, whether set/unset may change it, and what it means. markdown is",
	"the README's table, man the source of refctl-schema(5).",
	NULL,
};

int cmd_schema(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const char *const headers[] = { "field", "type", "values", "flag", "rules", "description" };
	const char *format = "table";
	const struct refctl_option options[] = {
		OPT_STRING(0, "format", &format, "FMT", "table (default), tsv, json, markdown or man"),
		OPT_END(),
	};
	struct schema_out o;
	struct refctl_buf out = REFCTL_BUF_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((argc = parse_options(ctx, argc, argv, options, schema_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc > 0)
		return usage_error(ctx, "unexpected argument '%s'", argv[0]);
	if (!strcmp(format, "markdown")) {
		refctl_schema_markdown(&out);
	} else if (!strcmp(format, "man")) {
		refctl_schema_man(&out, usage_man_date());
	} else {
		if (refctl_format_parse(&o.fmt, format, REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
							       REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
			return usage_error(ctx, "--format must be table, tsv, json, markdown or man, not '%s'", format);
		if (o.fmt == REFCTL_FORMAT_JSON)
			o.json = json_array();
		else
			o.table = refctl_table_new(6, headers);
		refctl_schema_foreach_all(add_row, &o);
		if (o.json)
			refctl_json_dump(&out, o.json);
		else
			refctl_table_render(&out, o.table, o.fmt, ctx->color);
	}
	rc = emit(&out);
	json_decref(o.json);
	refctl_table_free(o.table);
	refctl_buf_release(&o.values);
	refctl_buf_release(&o.rules);
	refctl_buf_release(&out);
	return rc;
}
