/* refctl match: rank the available advocates who fit a prospect. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/match.h"

static int load_prospect(struct refctl_prospect *p, const char *path)
{
	struct refctl_buf data = REFCTL_BUF_INIT;
	int error = 0;

	if (read_input(&data, path, "the prospect", 1024 * 1024) != EXIT_OK)
		error = -1;
	else if (refctl_prospect_parse(p, strcmp(path, "-") ? path : "<stdin>", data.ptr, data.size) < 0) {
		error_msg("%s", refctl_error_last());
		error = -1;
	}
	refctl_buf_release(&data);
	return error;
}

/* "use_case, product 1/2, industry": the criteria met, at least partly. */
static void matched_summary(struct refctl_buf *b, const struct refctl_match_entry *e)
{
	for (int c = 0; c < REFCTL_CRIT_COUNT; c++) {
		const struct refctl_match_score *sc = &e->crit[c];
		if (!sc->nvalues || !sc->nmet)
			continue;
		refctl_buf_printf(b, "%s%s", b->size ? ", " : "", refctl_criterion_names[c]);
		if (sc->nmet < sc->nvalues)
			refctl_buf_printf(b, " %zu/%zu", sc->nmet, sc->nvalues);
	}
}

/* "criterion=value,..." for the values met (want 1) or missed (want 0). */
static void value_list(struct refctl_buf *b, const struct refctl_match_result *r,
		       const struct refctl_match_entry *e, int want)
{
	for (size_t i = 0; i < r->nvalues; i++)
		if (e->met[i] == want)
			refctl_buf_printf(b, "%s%s=%s", b->size ? "," : "",
					  refctl_criterion_names[r->values[i].crit], r->values[i].text);
}

static json_t *value_array(const struct refctl_match_result *r, const struct refctl_match_entry *e, int want)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	json_t *a = json_array();

	for (size_t i = 0; i < r->nvalues; i++)
		if (e->met[i] == want) {
			refctl_buf_clear(&b);
			refctl_buf_printf(&b, "%s=%s", refctl_criterion_names[r->values[i].crit],
					  r->values[i].text);
			json_array_append_new(a, json_string(b.ptr));
		}
	refctl_buf_release(&b);
	return a;
}

static json_t *entry_json(const struct refctl_match_result *r, const struct refctl_match_entry *e)
{
	json_t *o = json_object(), *ex = json_array();

	json_object_set_new(o, "id", json_string(e->id));
	json_object_set_new(o, "name", json_string(e->name));
	json_object_set_new(o, "company", json_string(e->company));
	json_object_set_new(o, "relevance", json_real(e->relevance));
	json_object_set_new(o, "load_90d", json_integer(e->load_90d));
	json_object_set_new(o, "win_rate", json_real(e->win_rate));
	json_object_set_new(o, "matched", value_array(r, e, 1));
	json_object_set_new(o, "missed", value_array(r, e, 0));
	for (size_t i = 0; i < e->nexclusions; i++) {
		struct refctl_buf text = REFCTL_BUF_INIT;
		refctl_avail_exclusion_text(&text, &e->exclusions[i]);
		json_array_append_new(ex, json_string(text.ptr));
		refctl_buf_release(&text);
	}
	json_object_set_new(o, "excluded", ex);
	json_object_set_new(o, "at_risk", e->at_risk[0] ? json_string(e->at_risk) : json_null());
	json_object_set_new(o, "days_since_contact", e->contact_days >= 0 ? json_integer(e->contact_days) : json_null());
	json_object_set_new(o, "contact_overdue", json_boolean(e->contact_overdue));
	return o;
}

static void render_json(struct refctl_buf *out, const struct refctl_match_result *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < r->navailable; i++)
		json_array_append_new(arr, entry_json(r, &r->available[i]));
	for (size_t i = 0; i < r->nexcluded; i++)
		json_array_append_new(arr, entry_json(r, &r->excluded[i]));
	refctl_json_dump(out, arr);
	json_decref(arr);
}

static void table_row(struct refctl_table *t, const struct refctl_match_result *r,
		      const struct refctl_match_entry *e, size_t rank, enum refctl_format fmt)
{
	struct refctl_buf rk = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT, load = REFCTL_BUF_INIT,
			  win = REFCTL_BUF_INIT, matched = REFCTL_BUF_INIT, missed = REFCTL_BUF_INIT,
			  ex = REFCTL_BUF_INIT;

	if (rank)
		refctl_buf_printf(&rk, "%zu", rank);
	else
		refctl_buf_puts(&rk, "-");
	refctl_buf_printf(&load, "%u", e->load_90d);
	refctl_avail_exclusions_text(&ex, e->exclusions, e->nexclusions);
	if (fmt == REFCTL_FORMAT_TSV) {
		const char *cells[10];
		refctl_buf_printf(&rel, "%.4f", e->relevance);
		refctl_buf_printf(&win, "%.4f", e->win_rate);
		value_list(&matched, r, e, 1);
		value_list(&missed, r, e, 0);
		cells[0] = rk.ptr;
		cells[1] = e->id;
		cells[2] = e->name;
		cells[3] = e->company;
		cells[4] = rel.ptr;
		cells[5] = load.ptr;
		cells[6] = win.ptr;
		cells[7] = matched.ptr;
		cells[8] = missed.ptr;
		cells[9] = ex.ptr;
		refctl_table_add(t, cells);
	} else {
		const char *cells[8];
		refctl_buf_printf(&rel, "%lld%%", refctl_match_percent(e->relevance));
		matched_summary(&matched, e);
		cells[0] = rk.ptr;
		cells[1] = e->id;
		cells[2] = e->name;
		cells[3] = e->company;
		cells[4] = rel.ptr;
		cells[5] = load.ptr;
		cells[6] = matched.ptr;
		cells[7] = ex.ptr;
		refctl_table_add(t, cells);
	}
	refctl_buf_release(&rk);
	refctl_buf_release(&rel);
	refctl_buf_release(&load);
	refctl_buf_release(&win);
	refctl_buf_release(&matched);
	refctl_buf_release(&missed);
	refctl_buf_release(&ex);
}

static void render_table(struct refctl_buf *out, const struct refctl_match_result *r,
			 enum refctl_format fmt, int all, int color)
{
	static const char *const tsv_headers[] = { "rank", "id", "name", "company", "relevance",
						   "load_90d", "win_rate", "matched", "missed", "excluded" };
	static const char *const table_headers[] = { "rank", "id", "name", "company", "relevance",
						     "load", "matched", "excluded" };
	struct refctl_table *t;

	if (fmt == REFCTL_FORMAT_TSV) {
		t = refctl_table_new(10, tsv_headers);
	} else {
		t = refctl_table_new(all ? 8 : 7, table_headers);
		refctl_table_align_right(t, 0);
		refctl_table_align_right(t, 4);
		refctl_table_align_right(t, 5);
	}
	for (size_t i = 0; i < r->navailable; i++)
		table_row(t, r, &r->available[i], i + 1, fmt);
	for (size_t i = 0; i < r->nexcluded; i++)
		table_row(t, r, &r->excluded[i], 0, fmt);
	if (fmt == REFCTL_FORMAT_TSV || refctl_table_rows(t))
		refctl_table_render(out, t, fmt, color);
	refctl_table_free(t);
}

static void render_ids(struct refctl_buf *out, const struct refctl_match_result *r)
{
	for (size_t i = 0; i < r->navailable; i++)
		refctl_buf_printf(out, "%s\n", r->available[i].id);
}

static void explain_entry(struct refctl_buf *out, const struct refctl_match_result *r,
			  const struct refctl_match_entry *e, size_t rank)
{
	struct refctl_buf pts[REFCTL_CRIT_COUNT], tmp = REFCTL_BUF_INIT;
	size_t width = 0;

	if (rank)
		put_line(out, "%zu. %s (%s, %s)", rank, e->id, e->name, e->company);
	else
		put_line(out, "-  %s (%s, %s)", e->id, e->name, e->company);
	if (e->nexclusions) {
		struct refctl_buf ex = REFCTL_BUF_INIT;
		refctl_avail_exclusions_text(&ex, e->exclusions, e->nexclusions);
		put_line(out, "   excluded: %s", ex.ptr);
		refctl_buf_release(&ex);
	}
	refctl_buf_printf(out, "   relevance %lld%%: ", refctl_match_percent(e->relevance));
	refctl_match_points(out, e->earned);
	refctl_buf_puts(out, " of ");
	refctl_match_points(out, r->possible);
	refctl_buf_puts(out, " points\n");
	for (int c = 0; c < REFCTL_CRIT_COUNT; c++) {
		refctl_buf_init(&pts[c]);
		if (!e->crit[c].nvalues)
			continue;
		refctl_match_points(&pts[c], e->crit[c].earned);
		refctl_buf_puts(&pts[c], " of ");
		refctl_match_points(&pts[c], e->crit[c].weight);
		if (pts[c].size > width)
			width = pts[c].size;
	}
	for (int c = 0; c < REFCTL_CRIT_COUNT; c++) {
		const struct refctl_match_score *sc = &e->crit[c];
		if (!sc->nvalues)
			continue;
		refctl_buf_clear(&tmp);
		refctl_match_explain_values(&tmp, r->values, r->nvalues, e->met, (enum refctl_criterion)c);
		put_line(out, "   %-6s  %-8s  %*s  %s",
				  sc->nmet == sc->nvalues ? "met" : sc->nmet ? "partly" : "missed",
				  refctl_criterion_names[c], (int)width, pts[c].ptr, tmp.ptr);
		refctl_buf_release(&pts[c]);
	}
	if (e->at_risk[0] && !(e->reasons & REFCTL_AVAIL_AT_RISK))
		put_line(out, "   at risk: %s (included by --include-at-risk)", e->at_risk);
	if (e->contact_overdue)
		refctl_buf_printf(out, "   contact overdue: last contact %d days ago, more than %d: ranked after equally relevant advocates\n",
				  e->contact_days, e->contact_limit);
	refctl_buf_printf(out, "   load: %u engagement%s in the last 90 days\n", e->load_90d,
			  e->load_90d == 1 ? "" : "s");
	refctl_buf_printf(out, "   win rate: %u%% = (%u won + 1) / (%u won + %u lost + 2)\n",
			  refctl_match_win_percent(e->won, e->lost), e->won, e->won, e->lost);
	refctl_buf_release(&tmp);
}

static void render_explain(struct refctl_buf *out, const struct refctl_match_result *r,
			   const struct refctl_config *cfg)
{
	refctl_match_explain_criteria(out, r->values, r->nvalues, r->possible, cfg->weights, "advocate");
	for (size_t i = 0; i < r->navailable; i++) {
		refctl_buf_putc(out, '\n');
		explain_entry(out, r, &r->available[i], i + 1);
	}
	for (size_t i = 0; i < r->nexcluded; i++) {
		refctl_buf_putc(out, '\n');
		explain_entry(out, r, &r->excluded[i], 0);
	}
}

/* A criterion's value (--industry ...): repeatable, never empty. */
static int push_criterion(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	if (!*arg) {
		refctl_buf_printf(err, "option '--%s' needs a value", opt->long_name);
		return -1;
	}
	refctl_strvec_push(opt->value, arg);
	return 0;
}

static const char *const match_usage[] = {
	"refctl match [--industry I] [--region R] [--country CC] [--language L] [--segment S]\n"
	"                    [--product P]... [--use-case U]... [--activity A] [--prospect FILE|-]\n"
	"                    [--exclude-company C]... [--include-at-risk] [--min-relevance PCT]\n"
	"                    [--limit N] [--all] [--explain] [--format table|tsv|json|ids]",
	"",
	"Relevance is the weighted share of the criteria met (weights in refctl.yaml",
	"match.weights); --product and --use-case give partial credit for the share of",
	"their values met. A --prospect file may have the keys industry, region,",
	"country, language, segment, products, use_cases and activity.",
	"An advocate is available when: status active, consent not expired, willing to",
	"do --activity A, under the quarter limit, rested since the latest engagement,",
	"company not given to --exclude-company, not at risk (health red, or nps at or",
	"below report.at_risk_nps; --include-at-risk lifts that rule alone).",
	"Advocates of 0% relevance are left out (--min-relevance 0 keeps them).",
	"Order: relevance, then contact not overdue (report.at_risk_contact_days), then fewer",
	"engagements in the last 90 days, then higher win rate (won+1)/(won+lost+2), then id.",
	"Exit 1 when no advocate is available.",
	NULL,
};

static int no_available(const struct refctl_match_result *r)
{
	size_t count;
	unsigned rule = refctl_match_top_rule(&count, r);

	if (r->nbelow && !rule)
		fprintf(stderr, "error: no advocate is available: %zu of %zu %s below the minimum relevance (--min-relevance 0 keeps them)\n",
			r->nbelow, r->nconsidered, r->nbelow == 1 ? "is" : "are");
	else if (r->nbelow)
		fprintf(stderr, "error: no advocate is available: the rule that excluded most is '%s' (%zu of %zu), and the %zu others %s below the minimum relevance\n",
			refctl_avail_reason_name(rule), count, r->nconsidered, r->nbelow, r->nbelow == 1 ? "is" : "are");
	else if (!r->nconsidered && r->nunreadable)
		fprintf(stderr, "error: no advocate is available: no advocate file could be read (%zu skipped)\n",
			r->nunreadable);
	else if (!r->nconsidered)
		fprintf(stderr, "error: no advocate is available: there are no advocates in advocates/\n");
	else
		fprintf(stderr, "error: no advocate is available: the rule that excluded most is '%s' (%zu of %zu)\n",
			refctl_avail_reason_name(rule), count, r->nconsidered);
	return EXIT_NOTHING;
}

/* --min-relevance PCT: 1 to 100 as given, 0 for every advocate. */
static int min_relevance_cb(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	char *end;
	long pct;

	errno = 0;
	pct = strtol(arg, &end, 10);
	if (!*arg || *end || errno || pct < 0 || pct > 100 || *arg == '+' || *arg == '-') {
		refctl_buf_printf(err, "--min-relevance must be a whole percentage from 0 to 100, not '%s'", arg);
		return -1;
	}
	*(int *)opt->value = pct ? (int)pct : REFCTL_MATCH_ANY_RELEVANCE;
	return 0;
}

int cmd_match(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_match_opts mopts = REFCTL_MATCH_OPTS_INIT;
	struct refctl_prospect prospect = REFCTL_PROSPECT_INIT;
	struct refctl_match_result *res = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT;
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	const char *prospect_file = NULL, *activity = NULL, *format = NULL;
	struct refctl_strvec crit[REFCTL_CRIT_COUNT], exclude = REFCTL_STRVEC_INIT;
	int rc = EXIT_OK, error, explain = 0, limit = -1;
#define OPT_CRITERION(l, c, a, h) OPT_CALLBACK(0, (l), &crit[(c)], (a), (h), push_criterion)
	const struct refctl_option options[] = {
		OPT_GROUP("Criteria"),
		OPT_CRITERION("industry", REFCTL_CRIT_INDUSTRY, "I", "the prospect's industry"),
		OPT_CRITERION("region", REFCTL_CRIT_REGION, "R", "the prospect's region"),
		OPT_CRITERION("country", REFCTL_CRIT_COUNTRY, "CC", "the prospect's country (ISO 3166 alpha-2)"),
		OPT_CRITERION("language", REFCTL_CRIT_LANGUAGE, "L", "a language the advocate speaks"),
		OPT_CRITERION("segment", REFCTL_CRIT_SEGMENT, "S", "smb, mid-market or enterprise"),
		OPT_CRITERION("product", REFCTL_CRIT_PRODUCT, "P", "a product the prospect needs (repeatable)"),
		OPT_CRITERION("use-case", REFCTL_CRIT_USE_CASE, "U", "a use case of the prospect (repeatable)"),
		OPT_STRING(0, "prospect", &prospect_file, "FILE|-", "the criteria as YAML; flags given win"),
		OPT_GROUP("Availability"),
		OPT_STRING(0, "activity", &activity, "A", "only advocates willing to do this activity"),
		OPT_STRING_LIST(0, "exclude-company", &exclude, "C", "leave out advocates of this company (repeatable)"),
		OPT_BOOL(0, "include-at-risk", &mopts.include_at_risk, "keep advocates at risk (health red or low nps)"),
		OPT_CALLBACK(0, "min-relevance", &mopts.min_relevance, "PCT",
			     "keep advocates at least PCT% relevant (default: above 0%)", min_relevance_cb),
		OPT_GROUP("Output"),
		OPT_INTEGER(0, "limit", &limit, "N", "the best N available (default 10, 0 for all)", 0, INT_MAX),
		OPT_BOOL(0, "all", &mopts.all, "also list the excluded advocates, with the reasons"),
		OPT_BOOL(0, "explain", &explain, "each criterion met or missed, with weights, load, win rate"),
		OPT_STRING(0, "format", &format, "FMT", "table (default), tsv, json or ids (ids of the available)"),
		OPT_END(),
	};
#undef OPT_CRITERION

	memset(crit, 0, sizeof(crit));
	if ((argc = parse_options(ctx, argc, argv, options, match_usage, 0)) < 0) {
		rc = PARSE_OPT_EXIT(argc);
		goto done;
	}
	if (argc > 0) {
		rc = usage_error(ctx, "unexpected argument '%s'", argv[0]);
		goto done;
	}
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_JSON) | REFCTL_FMT(REFCTL_FORMAT_IDS)) < 0) {
		rc = usage_error(ctx, "%s", refctl_error_last());
		goto done;
	}
	if (limit >= 0)
		mopts.limit = limit ? (size_t)limit : REFCTL_MATCH_NO_LIMIT;
	if (explain && format && fmt != REFCTL_FORMAT_TABLE) {
		rc = usage_error(ctx, "--explain prints text and cannot be combined with --format %s",
				 refctl_format_name(fmt));
		goto done;
	}
	if (prospect_file && load_prospect(&prospect, prospect_file) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	/* flags win over the file: a flag given replaces the file's values */
	for (int k = 0; k < REFCTL_CRIT_COUNT; k++) {
		if (!crit[k].n)
			continue;
		refctl_prospect_clear(&prospect, (enum refctl_criterion)k);
		for (size_t i = 0; i < crit[k].n; i++)
			if ((error = refctl_prospect_add(&prospect, (enum refctl_criterion)k, crit[k].v[i])) < 0)
				goto bad_prospect;
	}
	if (activity && (error = refctl_prospect_set_activity(&prospect, activity)) < 0)
		goto bad_prospect;
	mopts.prospect = &prospect;
	mopts.today = ctx->today;
	mopts.exclude_companies = exclude.v;
	mopts.nexclude = exclude.n;
	if ((error = refctl_match(&res, ctx->store, &mopts)) < 0) {
		rc = fail(error);
		goto done;
	}
	for (size_t i = 0; i < res->nunreadable; i++)
		warn_bad_file(res->unreadable[i].file, res->unreadable[i].error, NULL);
	if (explain)
		render_explain(&out, res, refctl_store_config(ctx->store));
	else if (fmt == REFCTL_FORMAT_JSON)
		render_json(&out, res);
	else if (fmt == REFCTL_FORMAT_IDS)
		render_ids(&out, res);
	else
		render_table(&out, res, fmt, mopts.all, ctx->color);
	rc = emit(&out);
	if (rc == EXIT_OK && !res->nfit)
		rc = no_available(res);
	goto done;
bad_prospect:
	rc = usage_error(ctx, "%s", refctl_error_last());
done:
	for (int k = 0; k < REFCTL_CRIT_COUNT; k++)
		refctl_strvec_clear(&crit[k]);
	refctl_strvec_clear(&exclude);
	refctl_prospect_release(&prospect);
	refctl_match_result_free(res);
	refctl_buf_release(&out);
	return rc;
}
