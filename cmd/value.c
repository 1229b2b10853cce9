/* refctl value: the value advocates created beyond their own purchases. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/report.h"

static const char *const value_usage[] = {
	"refctl value [ADVOCATE] [--month YYYY-MM | --quarter YYYY-Qn | --year YYYY | --from D --to D]\n"
	"           [--all] [--format table|tsv|csv|json]",
	"",
	"For each advocate: the won deals they influenced (their requests completed",
	"won) and their won referrals, closed in the period, each opportunity once;",
	"the value created is both, and the ratio is it over the customer's own yearly",
	"spend (account_value). Without a period: the 12 months up to the end of the",
	"previous month. Highest value first; --all lists advocates without any too.",
	"Exit 1 when no advocate created value.",
	NULL,
};

struct period_flags {
	const char *month, *quarter, *year, *from, *to;
};

static void left_out(const char *file, const char *error, void *payload)
{
	(void)file;
	(void)payload;
	warn("left out %s", error);
}

/* Money as plain text: "250000", "20000.50"; "" when absent. */
static void money_cell(struct refctl_buf *b, int64_t cents)
{
	refctl_buf_clear(b);
	if (cents != REFCTL_MONEY_NONE)
		refctl_money_format(b, cents);
}

static void ratio_cell(struct refctl_buf *b, double ratio, int exact)
{
	refctl_buf_clear(b);
	if (isnan(ratio))
		return;
	if (exact)
		refctl_buf_printf(b, "%.4f", ratio);
	else
		refctl_buf_printf(b, "%.1fx", round(ratio * 10.0) / 10.0);
}

static json_t *money_json(int64_t cents)
{
	if (cents == REFCTL_MONEY_NONE)
		return json_null();
	if (cents % 100 == 0)
		return json_integer((json_int_t)(cents / 100));
	return json_real((double)cents / 100.0);
}

static json_t *ratio_json(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static void render_json(struct refctl_buf *out, const struct refctl_value_list *l, const char *currency)
{
	json_t *root = json_object(), *o = json_object(), *a = json_array();
	char d[11];

	json_object_set_new(o, "from", json_string(refctl_date_format(d, l->period.from)));
	json_object_set_new(o, "to", json_string(refctl_date_format(d, l->period.to)));
	json_object_set_new(root, "period", o);
	json_object_set_new(root, "currency", json_string(currency));
	o = json_object();
	json_object_set_new(o, "influenced", money_json(l->influenced));
	json_object_set_new(o, "referrals", money_json(l->referrals));
	json_object_set_new(o, "created", money_json(l->created));
	json_object_set_new(o, "account_value", money_json(l->account_value));
	json_object_set_new(o, "advocates_with_account_value", json_integer((json_int_t)l->nvalued));
	json_object_set_new(o, "ratio", ratio_json(l->ratio));
	json_object_set_new(root, "program", o);
	for (size_t i = 0; i < l->n; i++) {
		const struct refctl_value_entry *e = &l->v[i];
		json_t *x = json_object();
		json_object_set_new(x, "id", json_string(e->id));
		json_object_set_new(x, "name", json_string(e->name));
		json_object_set_new(x, "company", json_string(e->company));
		json_object_set_new(x, "influenced", money_json(e->v.influenced));
		json_object_set_new(x, "referrals", money_json(e->v.referrals));
		json_object_set_new(x, "created", money_json(e->v.created));
		json_object_set_new(x, "deals", json_integer((json_int_t)e->v.ndeals));
		json_object_set_new(x, "account_value", money_json(e->v.account_value));
		json_object_set_new(x, "ratio", ratio_json(e->v.ratio));
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "advocates", a);
	json_object_set_new(root, "left_out", json_integer((json_int_t)l->left_out));
	refctl_json_dump(out, root);
	json_decref(root);
}

static void render_table(struct refctl_buf *out, const struct refctl_value_list *l, const char *currency,
			 enum refctl_format fmt, const struct refctl_ctx *ctx)
{
	static const char *const headers[] = { "rank", "id", "name", "company", "influenced", "referrals",
					       "created", "account_value", "ratio" };
	struct refctl_table *t = refctl_table_new(9, headers);
	struct refctl_buf cells[6];
	int human = fmt == REFCTL_FORMAT_TABLE;

	for (int k = 0; k < 6; k++)
		refctl_buf_init(&cells[k]);
	for (int c = 4; c < 9; c++)
		refctl_table_align_right(t, (size_t)c);
	refctl_table_align_right(t, 0);
	for (size_t i = 0; i < l->n; i++) {
		const struct refctl_value_entry *e = &l->v[i];
		const char *row[9];
		refctl_buf_clear(&cells[0]);
		refctl_buf_printf(&cells[0], "%zu", i + 1);
		money_cell(&cells[1], e->v.influenced);
		money_cell(&cells[2], e->v.referrals);
		money_cell(&cells[3], e->v.created);
		money_cell(&cells[4], e->v.account_value);
		ratio_cell(&cells[5], e->v.ratio, !human);
		row[0] = cells[0].ptr;
		row[1] = e->id;
		row[2] = e->name;
		row[3] = e->company;
		for (int k = 1; k < 6; k++)
			row[3 + k] = cells[k].ptr;
		refctl_table_add(t, row);
	}
	if (!human || l->n)
		render_table_ctx(out, t, fmt, ctx);
	if (human) {
		/* what the program created: each opportunity once across advocates */
		money_cell(&cells[1], l->influenced);
		money_cell(&cells[2], l->referrals);
		money_cell(&cells[3], l->created);
		money_cell(&cells[4], l->account_value);
		ratio_cell(&cells[5], l->ratio, 0);
		refctl_buf_printf(out, "%sprogram (%s, each opportunity once): influenced %s, referrals %s, created %s",
				  l->n ? "\n" : "", currency, cells[1].ptr, cells[2].ptr, cells[3].ptr);
		if (l->nvalued)
			refctl_buf_printf(out, "; %zu advocate%s with an account value spend %s a year, ratio %s\n",
					  l->nvalued, l->nvalued == 1 ? "" : "s", cells[4].ptr,
					  cells[5].size ? cells[5].ptr : "n/a");
		else
			refctl_buf_puts(out, "; no advocate has an account value\n");
	}
	for (int k = 0; k < 6; k++)
		refctl_buf_release(&cells[k]);
	refctl_table_free(t);
}

int cmd_value(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_value_opts o = REFCTL_VALUE_OPTS_INIT;
	struct refctl_value_list *l = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT, advocate = REFCTL_BUF_INIT;
	struct period_flags pf = { NULL, NULL, NULL, NULL, NULL };
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	const char *format = NULL, *currency;
	int all = 0, nunits, rc = EXIT_OK, error;
	const struct refctl_option options[] = {
		OPT_STRING(0, "month", &pf.month, "YYYY-MM", "the period: a calendar month, or last or this"),
		OPT_STRING(0, "quarter", &pf.quarter, "YYYY-Qn", "a calendar quarter, or last or this"),
		OPT_STRING(0, "year", &pf.year, "YYYY", "a calendar year, or last or this"),
		OPT_STRING(0, "from", &pf.from, "D", "the first day (with --to)"),
		OPT_STRING(0, "to", &pf.to, "D", "the last day (with --from)"),
		OPT_BOOL(0, "all", &all, "list the advocates who created no value too"),
		OPT_STRING(0, "format", &format, "FMT", "table (default), tsv, csv or json"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, value_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc > 1)
		return usage_error(ctx, "unexpected argument '%s'", argv[1]);
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_CSV) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	nunits = !!pf.month + !!pf.quarter + !!pf.year;
	if (nunits > 1 || (nunits && (pf.from || pf.to)))
		return usage_error(ctx, "give one period: --month, --quarter, --year or --from and --to");
	if ((pf.month && refctl_period_month_human(&o.period, pf.month, ctx->today) < 0) ||
	    (pf.quarter && refctl_period_quarter_human(&o.period, pf.quarter, ctx->today) < 0) ||
	    (pf.year && refctl_period_year_human(&o.period, pf.year, ctx->today) < 0))
		return usage_error(ctx, "%s", refctl_error_last());
	if (pf.from || pf.to) {
		if (!pf.from || !pf.to)
			return usage_error(ctx, "--from and --to go together");
		if (refctl_date_parse_human(&o.period.from, pf.from, ctx->today) < 0)
			return usage_error(ctx, "--from: %s", refctl_error_last());
		if (refctl_date_parse_human(&o.period.to, pf.to, ctx->today) < 0)
			return usage_error(ctx, "--to: %s", refctl_error_last());
		if (o.period.from > o.period.to)
			return usage_error(ctx, "--from %s is after --to %s", pf.from, pf.to);
	} else if (!nunits) {
		/* a year, as account_value is: the 12 months up to the previous month's end */
		o.period.to = refctl_date_month_start(ctx->today) - 1;
		o.period.from = refctl_date_add_months(refctl_date_month_start(o.period.to), -11);
	}
	if (argc == 1) {
		if ((rc = resolve_advocate(ctx, argv[0], &advocate)) != EXIT_OK)
			goto done;
		o.advocate = advocate.ptr;
	}
	o.all = all;
	o.bad = left_out;
	if ((error = refctl_value_compute(&l, ctx->store, &o)) < 0) {
		rc = fail(error);
		goto done;
	}
	currency = refctl_store_config(ctx->store)->currency;
	if (fmt == REFCTL_FORMAT_JSON)
		render_json(&out, l, currency);
	else
		render_table(&out, l, currency, fmt, ctx);
	rc = emit(&out);
	if (rc == EXIT_OK && !l->n)
		rc = EXIT_NOTHING;
done:
	refctl_value_list_free(l);
	refctl_buf_release(&out);
	refctl_buf_release(&advocate);
	return rc;
}
