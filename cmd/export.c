/* refctl export: every field of the advocates, for a spreadsheet or a CRM, as import reads it back. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/export.h"
#include "refctl/filter.h"

#define MAX_FILTERS 32

struct export_state {
	struct refctl_strvec flags, values; /* filters as given, added once the store is open */
	char help[MAX_FILTERS][160];
};

static int filter_flag(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	struct export_state *st = opt->value;
	(void)err;
	refctl_strvec_push(&st->flags, opt->long_name);
	refctl_strvec_push(&st->values, arg);
	return 0;
}

static const char *const export_usage[] = {
	"refctl export [FILTERS...] [--format csv|tsv|json] [--rules RULES]",
	"",
	"Every field of every advocate (or of those the filters keep, as list's): one\n"
	"column per field, lists joined by ';'; with --rules, the rules' columns, filled\n"
	"so that 'refctl import --rules RULES' reads the same values back. Cells a\n"
	"spreadsheet would run as formulas get a leading ', which import takes off.\n"
	"JSON without --rules gives whole records.",
	NULL,
};

/* One --FLAG VALUE filter per FILTER row of the schema, as list has. */
static int collect_filter(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
			  void *payload)
{
	void **p = payload;
	struct export_state *st = p[0];
	struct refctl_option *options = p[1];
	size_t *k = p[2];
	(void)path;
	(void)parent;
	if (!(f->flags & REFCTL_FIELD_FILTER) || !f->flag || *k >= MAX_FILTERS)
		return 0;
	snprintf(st->help[*k], sizeof(st->help[0]), "only advocates whose %s %s this (repeatable)", f->name,
		 refctl_schema_is_list(f) ? "include" : "is");
	options[*k] = (struct refctl_option)OPT_CALLBACK(0, f->flag, st, f->argh ? f->argh : "VALUE",
							 st->help[*k], filter_flag);
	(*k)++;
	return 0;
}

int cmd_export(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct export_state st;
	struct refctl_export_opts opts = REFCTL_EXPORT_OPTS_INIT;
	struct refctl_option options[MAX_FILTERS + 4];
	struct refctl_filter *filter = NULL;
	struct refctl_rules *rules = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT, rules_text = REFCTL_BUF_INIT;
	const char *format = NULL, *rules_file = NULL;
	size_t k = 0;
	void *payload[3] = { &st, options, &k };
	int rc, error;

	memset(&st, 0, sizeof(st));
	refctl_schema_foreach(collect_filter, payload);
	options[k++] = (struct refctl_option)OPT_STRING(0, "format", &format, "FMT", "csv (default), tsv or json");
	options[k++] = (struct refctl_option)OPT_STRING(0, "rules", &rules_file, "RULES",
							 "the import rules whose columns to write");
	options[k] = (struct refctl_option)OPT_END();
	if ((rc = parse_options(ctx, argc, argv, options, export_usage, 0)) < 0) {
		rc = PARSE_OPT_EXIT(rc);
		goto done;
	}
	if (rc > 0) {
		rc = usage_error(ctx, "unexpected argument '%s'", argv[0]);
		goto done;
	}
	rc = EXIT_OK;
	if (format && refctl_format_parse(&opts.format, format,
					  REFCTL_FMT(REFCTL_FORMAT_CSV) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0) {
		rc = usage_error(ctx, "%s", refctl_error_last());
		goto done;
	}
	refctl_filter_new(&filter, refctl_store_config(ctx->store));
	for (size_t i = 0; i < st.flags.n; i++)
		if (refctl_filter_add(filter, st.flags.v[i], st.values.v[i]) < 0) {
			rc = usage_error(ctx, "%s", refctl_error_last());
			goto done;
		}
	opts.filter = filter;
	opts.raw_csv = ctx->raw_csv;
	if (rules_file) {
		if ((rc = read_input(&rules_text, rules_file, "the rules file", 1024 * 1024)) != EXIT_OK)
			goto done;
		if ((error = refctl_rules_parse(&rules, rules_file, rules_text.ptr, rules_text.size)) < 0) {
			rc = fail(error);
			goto done;
		}
		opts.rules = rules;
	}
	if ((error = refctl_export(&out, ctx->store, &opts, NULL)) < 0) {
		rc = fail(error);
		goto done;
	}
	rc = emit(&out);
done:
	refctl_filter_free(filter);
	refctl_rules_free(rules);
	refctl_strvec_clear(&st.flags);
	refctl_strvec_clear(&st.values);
	refctl_buf_release(&out);
	refctl_buf_release(&rules_text);
	return rc;
}
