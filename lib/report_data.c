/* The report for machines: CSV (section,metric,key,value) and JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/types.h>
#include <time.h>

#include "refctl/output.h"
#include "report_int.h"
#include "util.h"

/* ---- CSV ---- */

struct csv {
	struct refctl_table *t;
	struct refctl_buf v;
	const struct refctl_report *r;
};

/* The report's section that a group of figures (JSON's top-level keys,
 * CSV's first column) belongs to: -1 for the head (always there), and
 * REFCTL_SECTION_HEADLINES for the headline-only groups, which an
 * audience's view gives as its headlines instead. */
static int group_section(const char *group)
{
	static const struct {
		const char *group;
		int section;
	} map[] = {
		{ "requests", REFCTL_SECTION_REQUESTS },   { "advocates", REFCTL_SECTION_ADVOCATES },
		{ "value", REFCTL_SECTION_VALUE },         { "programs", REFCTL_SECTION_PROGRAMS },
		{ "coverage", REFCTL_SECTION_COVERAGE },   { "changes", REFCTL_SECTION_ROSTER },
		{ "outcomes", REFCTL_SECTION_HEADLINES },  { "referrals", REFCTL_SECTION_HEADLINES },
		{ "rewards", REFCTL_SECTION_HEADLINES },   { "previous", REFCTL_SECTION_HEADLINES },
		{ "content", REFCTL_SECTION_CONTENT },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].group, group))
			return map[i].section;
	return -1;
}

/* 1 if the view shows the group: every group in the full report; in an
 * audience's, the head and the sections it lists. */
static int shows(const struct refctl_report *r, const char *group)
{
	int s = group_section(group);
	if (!r->audience || s < 0)
		return 1;
	if (s == REFCTL_SECTION_HEADLINES)
		return 0; /* given as its headlines */
	return refctl_report_has_section(r, (enum refctl_report_section)s);
}

static void row(struct csv *c, const char *section, const char *metric, const char *key,
		const char *value)
{
	const char *cells[4] = { section, metric, key ? key : "", value ? value : "" };
	if (shows(c->r, section))
		refctl_table_add(c->t, cells);
}

static void row_num(struct csv *c, const char *section, const char *metric, const char *key, double v)
{
	refctl_buf_clear(&c->v);
	refctl__report_plain(&c->v, v);
	row(c, section, metric, key, c->v.ptr);
}

static void row_counts(struct csv *c, const char *section, const char *metric,
		       const struct refctl_report_counts *k)
{
	for (size_t i = 0; i < k->n; i++)
		row_num(c, section, metric, k->v[i].key, (double)k->v[i].n);
}

static void row_cover(struct csv *c, const char *what, const struct refctl_report_cover *v, size_t n)
{
	char metric[64];
	for (size_t i = 0; i < n; i++) {
		snprintf(metric, sizeof(metric), "%s.requests", what);
		row_num(c, "coverage", metric, v[i].key, (double)v[i].requests);
		snprintf(metric, sizeof(metric), "%s.advocates", what);
		row_num(c, "coverage", metric, v[i].key, (double)v[i].advocates);
		snprintf(metric, sizeof(metric), "%s.declined", what);
		row_num(c, "coverage", metric, v[i].key, (double)v[i].declined);
		snprintf(metric, sizeof(metric), "%s.per_advocate", what);
		row_num(c, "coverage", metric, v[i].key, v[i].per_advocate);
	}
}

static void month_key(char *buf, size_t size, refctl_date first, int i)
{
	int y, m, d;
	refctl_date_to_ymd(&y, &m, &d, refctl_date_add_months(first, i));
	snprintf(buf, size, "%04d-%02d", y, m);
}

void refctl_report_csv(struct refctl_buf *out, const struct refctl_report *r)
{
	static const char *const headers[] = { "section", "metric", "key", "value" };
	const struct refctl_report_figures *f = &r->cur;
	struct csv c = { refctl_table_new(4, headers), REFCTL_BUF_INIT, r };
	char d[11], metric[96];

	row(&c, "report", "program", NULL, r->program);
	if (r->audience) {
		row(&c, "report", "audience", NULL, r->audience);
		row(&c, "report", "title", NULL, r->title);
	}
	if (r->filter)
		row(&c, "report", "filter", NULL, r->filter);
	row(&c, "report", "currency", NULL, r->currency);
	if (r->stamp) {
		refctl_buf_clear(&c.v);
		refctl__report_stamp(&c.v, r->stamp);
		row(&c, "report", "generated", NULL, c.v.ptr);
	}
	row_num(&c, "report", "left_out", NULL, (double)r->left_out);
	row(&c, "period", "from", NULL, refctl_date_format(d, f->period.from));
	row(&c, "period", "to", NULL, refctl_date_format(d, f->period.to));
	if (r->audience)
		for (size_t k = 0; k < r->nheads; k++) {
			const struct refctl_report_headline *h = &refctl_report_headlines[r->heads[k]];
			snprintf(metric, sizeof(metric), "%s.%s", h->section, h->metric);
			row_num(&c, "headlines", metric, "this", refctl_report_headline_value(f, r->heads[k]));
			row_num(&c, "headlines", metric, "previous", refctl_report_headline_value(&r->prev, r->heads[k]));
		}
	row_num(&c, "requests", "opened", NULL, (double)f->opened);
	row_counts(&c, "requests", "by_activity", &f->by_activity);
	row_counts(&c, "requests", "by_region", &f->by_region);
	row_counts(&c, "requests", "by_industry", &f->by_industry);
	row_counts(&c, "requests", "by_requester", &f->by_requester);
	for (int i = 0; i < 12; i++) {
		char m[16];
		month_key(m, sizeof(m), r->months_from, i);
		row_num(&c, "requests", "by_month", m, (double)r->by_month[i]);
	}
	row_num(&c, "requests", "closed", "completed", (double)f->completed);
	row_num(&c, "requests", "closed", "declined", (double)f->declined);
	row_num(&c, "requests", "closed", "cancelled", (double)f->cancelled);
	row_num(&c, "requests", "fulfilment_rate", NULL, f->fulfilment_rate);
	row_num(&c, "requests", "median_days_to_complete", NULL, f->median_days);
	row_num(&c, "requests", "open_at_end", NULL, (double)f->open_at_end);
	row_num(&c, "outcomes", "won", NULL, (double)f->won);
	row_num(&c, "outcomes", "lost", NULL, (double)f->lost);
	row_num(&c, "outcomes", "win_rate", NULL, f->win_rate);
	row_num(&c, "outcomes", "revenue_influenced", NULL, f->revenue);
	row_num(&c, "referrals", "count", NULL, (double)f->referrals);
	row_num(&c, "referrals", "won", NULL, (double)f->referrals_won);
	row_num(&c, "referrals", "value", NULL, f->referrals_value);
	row_num(&c, "value", "created", NULL, f->value_created);
	row_num(&c, "value", "account_value", NULL, f->value_account);
	row_num(&c, "value", "advocates_with_account_value", NULL, (double)f->nvalued);
	row_num(&c, "value", "ratio", NULL, f->value_ratio);
	for (size_t i = 0; i < f->ntop_value; i++) {
		const struct refctl_report_value *x = &f->top_value[i];
		row_num(&c, "value", "top.created", x->id, x->created);
		row_num(&c, "value", "top.influenced", x->id, x->influenced);
		row_num(&c, "value", "top.referrals", x->id, x->referrals);
		row_num(&c, "value", "top.account_value", x->id, x->account_value);
		row_num(&c, "value", "top.ratio", x->id, x->ratio);
	}
	row_num(&c, "advocates", "total", NULL, (double)f->total);
	row_num(&c, "advocates", "active", NULL, (double)f->active);
	row_num(&c, "advocates", "new", NULL, (double)f->new_advocates);
	row_num(&c, "advocates", "used", NULL, (double)f->used);
	row_num(&c, "advocates", "utilisation", NULL, f->utilisation);
	for (size_t i = 0; i < f->ntop; i++)
		row_num(&c, "advocates", "top", f->top[i].id, (double)f->top[i].requests);
	for (long i = 0; i < f->noverused; i++) {
		refctl_buf_clear(&c.v);
		refctl_buf_printf(&c.v, "%ld/%ld", f->overused[i].engagements, f->overused[i].limit);
		row(&c, "advocates", "overused", f->overused[i].id, c.v.ptr);
	}
	for (long i = 0; i < f->nat_risk; i++) {
		refctl_buf_clear(&c.v);
		refctl__report_risk_text(&c.v, &f->at_risk[i]);
		row(&c, "advocates", "at_risk", f->at_risk[i].id, c.v.ptr);
	}
	for (long i = 0; i < f->nconsent; i++)
		row(&c, "advocates", "consent_expiring", f->consent[i].id,
		    refctl_date_format(d, f->consent[i].until));
	row_cover(&c, "industry", f->industries, f->nindustries);
	row_cover(&c, "product", f->products, f->nproducts);
	for (size_t i = 0; i < f->nprograms; i++) {
		const struct refctl_report_program *g = &f->programs[i];
		row_num(&c, "programs", "advocates", g->name, (double)g->advocates);
		row_num(&c, "programs", "active", g->name, (double)g->active);
		row_num(&c, "programs", "requests", g->name, (double)g->opened);
		row_num(&c, "programs", "fulfilment_rate", g->name, g->fulfilment);
		row_num(&c, "programs", "revenue_influenced", g->name, g->revenue);
		row_num(&c, "programs", "at_risk", g->name, (double)g->at_risk);
	}
	row_num(&c, "rewards", "awarded", NULL, (double)f->awarded);
	row_num(&c, "rewards", "redeemed", NULL, (double)f->redeemed);
	for (int k = 0; k < REFCTL_CHANGE_NKINDS; k++) {
		row_num(&c, "changes", refctl_change_kind_names[k], NULL, (double)f->changes[k]);
		snprintf(metric, sizeof(metric), "%s.by", refctl_change_kind_names[k]);
		for (size_t i = 0; i < f->nroster[k]; i++) {
			refctl_buf_clear(&c.v);
			for (size_t j = 0; j < f->roster[k][i].nby; j++)
				refctl_buf_printf(&c.v, "%s%s", j ? "; " : "", f->roster[k][i].by[j]);
			row(&c, "changes", metric, f->roster[k][i].id, c.v.ptr);
		}
	}
	if (r->content.items) {
		const struct refctl_report_content *k = &r->content;
		row_num(&c, "content", "items", NULL, (double)k->items);
		row_num(&c, "content", "published", NULL, (double)k->published);
		for (long i = 0; i < k->published; i++)
			row(&c, "content", "published.item", k->published_items[i].id,
			    refctl_date_format(d, k->published_items[i].date));
		row_num(&c, "content", "expiring", NULL, (double)k->expiring);
		row(&c, "content", "expiring_by", NULL, refctl_date_format(d, k->expiring_by));
		for (long i = 0; i < k->expiring; i++)
			row(&c, "content", "expiring.item", k->expiring_items[i].id,
			    refctl_date_format(d, k->expiring_items[i].date));
		row_num(&c, "content", "used", NULL, (double)k->used);
		row_counts(&c, "content", "used_by_kind", &k->used_by_kind);
		for (size_t i = 0; i < k->ngaps; i++) {
			struct refctl_buf key = REFCTL_BUF_INIT;
			refctl_buf_printf(&key, "%s/%s", k->gaps[i].product, k->gaps[i].lang);
			row_num(&c, "content", "translation_missing", key.ptr, (double)k->gaps[i].advocates);
			refctl_buf_release(&key);
		}
	}
	row(&c, "previous", "period.from", NULL, refctl_date_format(d, r->prev.period.from));
	row(&c, "previous", "period.to", NULL, refctl_date_format(d, r->prev.period.to));
	for (size_t i = 0; i < refctl_report_nheadlines; i++) {
		const struct refctl_report_headline *h = &refctl_report_headlines[i];
		snprintf(metric, sizeof(metric), "%s.%s", h->section, h->metric);
		row_num(&c, "previous", metric, NULL, refctl_report_headline_value(&r->prev, i));
	}
	refctl_table_render_opts(out, c.t, REFCTL_FORMAT_CSV,
				 &(struct refctl_render_opts){ .raw_csv = r->raw_csv });
	refctl_table_free(c.t);
	refctl_buf_release(&c.v);
}

/* ---- JSON ---- */

/* A number: null when undefined, an integer when whole. */
static json_t *num(double v)
{
	if (isnan(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* Money: whole cents, an integer when there are none. */
static json_t *money(double v)
{
	long long cents = llround(v * 100.0);
	if (cents % 100 == 0)
		return json_integer((json_int_t)(cents / 100));
	return json_real((double)cents / 100.0);
}

static json_t *counts_json(const struct refctl_report_counts *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < c->n; i++)
		json_object_set_new(o, c->v[i].key, json_integer(c->v[i].n));
	return o;
}

static json_t *cover_json(const char *what, const struct refctl_report_cover *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, what, json_string(v[i].key));
		json_object_set_new(o, "requests", json_integer(v[i].requests));
		json_object_set_new(o, "advocates", json_integer(v[i].advocates));
		json_object_set_new(o, "declined", json_integer(v[i].declined));
		json_object_set_new(o, "demand_per_advocate", num(v[i].per_advocate));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *period_json(struct refctl_period p)
{
	char d[11];
	json_t *o = json_object();
	json_object_set_new(o, "from", json_string(refctl_date_format(d, p.from)));
	json_object_set_new(o, "to", json_string(refctl_date_format(d, p.to)));
	return o;
}

/* Set section.metric (metric may be dotted once more) in o to v. */
static void set_path(json_t *o, const char *section, const char *metric, json_t *v)
{
	json_t *s = json_object_get(o, section);
	const char *dot = strchr(metric, '.');

	if (!s) {
		s = json_object();
		json_object_set_new(o, section, s);
	}
	if (dot) {
		char head[64];
		json_t *sub;
		snprintf(head, sizeof(head), "%.*s", (int)(dot - metric), metric);
		if (!(sub = json_object_get(s, head))) {
			sub = json_object();
			json_object_set_new(s, head, sub);
		}
		json_object_set_new(sub, dot + 1, v);
	} else {
		json_object_set_new(s, metric, v);
	}
}

/* One change list's entry as json_dumps would indent it at depth 3. */
static void roster_entry(struct refctl_buf *out, const struct refctl_report_roster *ro)
{
	json_t *e = json_object(), *by = json_array();
	char *s;

	json_object_set_new(e, "id", json_string(ro->id));
	json_object_set_new(e, "commits", json_integer(ro->commits));
	for (size_t j = 0; j < ro->nby; j++)
		json_array_append_new(by, json_string(ro->by[j]));
	json_object_set_new(e, "by", by);
	s = json_dumps(e, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(e);
	refctl_buf_puts(out, "      ");
	for (const char *p = s; p && *p; p++) {
		refctl_buf_putc(out, *p);
		if (*p == '\n')
			refctl_buf_puts(out, "      ");
	}
	free(s);
}

/* head with each place holder "NONCE<k>" replaced by change list k. */
static void splice_roster(struct refctl_buf *out, const struct refctl_buf *head,
			  const struct refctl_report_figures *f, const char *nonce)
{
	const char *p = head->ptr, *q;
	size_t nl = strlen(nonce);

	while ((q = strstr(p, nonce)) && q > p && q[-1] == '"' && q[nl] >= '0' &&
	       q[nl] < '0' + REFCTL_CHANGE_NKINDS && q[nl + 1] == '"') {
		int k = q[nl] - '0';
		refctl_buf_put(out, p, (size_t)(q - 1 - p));
		refctl_buf_puts(out, "[\n");
		for (size_t i = 0; i < f->nroster[k]; i++) {
			roster_entry(out, &f->roster[k][i]);
			refctl_buf_puts(out, i + 1 < f->nroster[k] ? ",\n" : "\n");
		}
		refctl_buf_puts(out, "    ]");
		p = q + nl + 2;
	}
	refctl_buf_puts(out, p);
}

void refctl_report_json(struct refctl_buf *out, const struct refctl_report *r)
{
	const struct refctl_report_figures *f = &r->cur;
	json_t *root = json_object(), *o, *a, *prev;
	struct refctl_buf head = REFCTL_BUF_INIT, mark = REFCTL_BUF_INIT;
	char nonce[48], raw[24];
	unsigned char rnd[8] = { 0 };

	/* a place holder no text of the report can hold: a control character
	 * and random bytes (new ones each time) as hex */
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		uintptr_t v = (uintptr_t)&rnd ^ (uintptr_t)time(NULL);
		memcpy(rnd, &v, sizeof(v) < sizeof(rnd) ? sizeof(v) : sizeof(rnd));
	}
	snprintf(raw, sizeof(raw), "%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3], rnd[4],
		 rnd[5], rnd[6], rnd[7]);
	snprintf(nonce, sizeof(nonce), "\\u0001%s", raw);

	json_object_set_new(root, "program", json_string(r->program));
	if (r->audience) {
		json_object_set_new(root, "audience", json_string(r->audience));
		json_object_set_new(root, "title", json_string(r->title));
	}
	if (r->filter)
		json_object_set_new(root, "filter", json_string(r->filter));
	json_object_set_new(root, "currency", json_string(r->currency));
	if (r->stamp) {
		struct refctl_buf s = REFCTL_BUF_INIT;
		refctl__report_stamp(&s, r->stamp);
		json_object_set_new(root, "generated", json_string(s.ptr));
		refctl_buf_release(&s);
	}
	json_object_set_new(root, "period", period_json(f->period));
	json_object_set_new(root, "left_out", json_integer((json_int_t)r->left_out));

	o = json_object();
	json_object_set_new(o, "opened", json_integer(f->opened));
	json_object_set_new(o, "by_activity", counts_json(&f->by_activity));
	json_object_set_new(o, "by_region", counts_json(&f->by_region));
	json_object_set_new(o, "by_industry", counts_json(&f->by_industry));
	json_object_set_new(o, "by_requester", counts_json(&f->by_requester));
	a = json_object();
	for (int i = 0; i < 12; i++) {
		char m[16];
		month_key(m, sizeof(m), r->months_from, i);
		json_object_set_new(a, m, json_integer(r->by_month[i]));
	}
	json_object_set_new(o, "by_month", a);
	a = json_object();
	json_object_set_new(a, "completed", json_integer(f->completed));
	json_object_set_new(a, "declined", json_integer(f->declined));
	json_object_set_new(a, "cancelled", json_integer(f->cancelled));
	json_object_set_new(o, "closed", a);
	json_object_set_new(o, "fulfilment_rate", num(f->fulfilment_rate));
	json_object_set_new(o, "median_days_to_complete", num(f->median_days));
	json_object_set_new(o, "open_at_end", json_integer(f->open_at_end));
	json_object_set_new(root, "requests", o);

	o = json_object();
	json_object_set_new(o, "won", json_integer(f->won));
	json_object_set_new(o, "lost", json_integer(f->lost));
	json_object_set_new(o, "win_rate", num(f->win_rate));
	json_object_set_new(o, "revenue_influenced", money(f->revenue));
	json_object_set_new(root, "outcomes", o);

	o = json_object();
	json_object_set_new(o, "count", json_integer(f->referrals));
	json_object_set_new(o, "won", json_integer(f->referrals_won));
	json_object_set_new(o, "value", money(f->referrals_value));
	json_object_set_new(root, "referrals", o);

	o = json_object();
	json_object_set_new(o, "created", money(f->value_created));
	json_object_set_new(o, "account_value", money(f->value_account));
	json_object_set_new(o, "advocates_with_account_value", json_integer(f->nvalued));
	json_object_set_new(o, "ratio", num(f->value_ratio));
	a = json_array();
	for (size_t i = 0; i < f->ntop_value; i++) {
		const struct refctl_report_value *x = &f->top_value[i];
		json_t *t = json_object();
		json_object_set_new(t, "id", json_string(x->id));
		json_object_set_new(t, "name", json_string(x->name));
		json_object_set_new(t, "company", json_string(x->company));
		json_object_set_new(t, "created", money(x->created));
		json_object_set_new(t, "influenced", money(x->influenced));
		json_object_set_new(t, "referrals", money(x->referrals));
		json_object_set_new(t, "account_value", isnan(x->account_value) ? json_null() : money(x->account_value));
		json_object_set_new(t, "ratio", num(x->ratio));
		json_array_append_new(a, t);
	}
	json_object_set_new(o, "top", a);
	json_object_set_new(root, "value", o);

	o = json_object();
	json_object_set_new(o, "total", json_integer(f->total));
	json_object_set_new(o, "active", json_integer(f->active));
	json_object_set_new(o, "new", json_integer(f->new_advocates));
	json_object_set_new(o, "used", json_integer(f->used));
	json_object_set_new(o, "utilisation", num(f->utilisation));
	a = json_array();
	for (size_t i = 0; i < f->ntop; i++) {
		json_t *t = json_object();
		json_object_set_new(t, "id", json_string(f->top[i].id));
		json_object_set_new(t, "name", json_string(f->top[i].name));
		json_object_set_new(t, "company", json_string(f->top[i].company));
		json_object_set_new(t, "requests", json_integer(f->top[i].requests));
		json_array_append_new(a, t);
	}
	json_object_set_new(o, "top", a);
	a = json_array();
	for (long i = 0; i < f->noverused; i++)
		json_array_append_new(a, json_string(f->overused[i].id));
	json_object_set_new(o, "overused", a);
	a = json_array();
	for (long i = 0; i < f->nat_risk; i++)
		json_array_append_new(a, json_string(f->at_risk[i].id));
	json_object_set_new(o, "at_risk", a);
	a = json_array();
	for (long i = 0; i < f->nconsent; i++)
		json_array_append_new(a, json_string(f->consent[i].id));
	json_object_set_new(o, "consent_expiring", a);
	json_object_set_new(root, "advocates", o);

	o = json_object();
	json_object_set_new(o, "industries", cover_json("industry", f->industries, f->nindustries));
	json_object_set_new(o, "products", cover_json("product", f->products, f->nproducts));
	json_object_set_new(root, "coverage", o);

	a = json_array();
	for (size_t i = 0; i < f->nprograms; i++) {
		const struct refctl_report_program *g = &f->programs[i];
		json_t *x = json_object();
		json_object_set_new(x, "program", json_string(g->name));
		json_object_set_new(x, "advocates", json_integer(g->advocates));
		json_object_set_new(x, "active", json_integer(g->active));
		json_object_set_new(x, "requests", json_integer(g->opened));
		json_object_set_new(x, "fulfilment_rate", num(g->fulfilment));
		json_object_set_new(x, "revenue_influenced", money(g->revenue));
		json_object_set_new(x, "at_risk", json_integer(g->at_risk));
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "programs", a);

	o = json_object();
	json_object_set_new(o, "awarded", json_integer(f->awarded));
	json_object_set_new(o, "redeemed", json_integer(f->redeemed));
	json_object_set_new(root, "rewards", o);

	/* the lists of changes can hold the whole roster: each goes in as a
	 * place holder, replaced by its entries, one at a time, after the dump */
	o = json_object();
	for (int k = 0; k < REFCTL_CHANGE_NKINDS; k++) {
		if (!f->nroster[k]) {
			json_object_set_new(o, refctl_change_kind_names[k], json_array());
			continue;
		}
		refctl_buf_clear(&mark);
		refctl_buf_printf(&mark, "\001%s%d", raw, k);
		json_object_set_new(o, refctl_change_kind_names[k], json_string(mark.ptr));
	}
	json_object_set_new(root, "changes", o);

	if (r->content.items) {
		const struct refctl_report_content *k = &r->content;
		char day[11];
		json_t *items;
		o = json_object();
		json_object_set_new(o, "items", json_integer(k->items));
		for (int w = 0; w < 2; w++) {
			const struct refctl_report_content_item *v = w ? k->expiring_items : k->published_items;
			long n = w ? k->expiring : k->published;
			items = json_array();
			for (long i = 0; i < n; i++) {
				json_t *x = json_object();
				json_object_set_new(x, "id", json_string(v[i].id));
				json_object_set_new(x, "kind", json_string(v[i].kind));
				json_object_set_new(x, "lang", json_string(v[i].lang));
				json_object_set_new(x, "title", json_string(v[i].title));
				json_object_set_new(x, w ? "expires" : "created", json_string(refctl_date_format(day, v[i].date)));
				json_array_append_new(items, x);
			}
			json_object_set_new(o, w ? "expiring" : "published", items);
		}
		json_object_set_new(o, "expiring_by", json_string(refctl_date_format(day, k->expiring_by)));
		json_object_set_new(o, "used", json_integer(k->used));
		a = json_object();
		for (size_t i = 0; i < k->used_by_kind.n; i++)
			json_object_set_new(a, k->used_by_kind.v[i].key, json_integer(k->used_by_kind.v[i].n));
		json_object_set_new(o, "used_by_kind", a);
		a = json_array();
		for (size_t i = 0; i < k->ngaps; i++) {
			json_t *x = json_object();
			json_object_set_new(x, "product", json_string(k->gaps[i].product));
			json_object_set_new(x, "lang", json_string(k->gaps[i].lang));
			json_object_set_new(x, "advocates", json_integer(k->gaps[i].advocates));
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "translations_missing", a);
		json_object_set_new(root, "content", o);
	}

	prev = json_object();
	json_object_set_new(prev, "period", period_json(r->prev.period));
	for (size_t i = 0; i < refctl_report_nheadlines; i++) {
		const struct refctl_report_headline *h = &refctl_report_headlines[i];
		double v = refctl_report_headline_value(&r->prev, i);
		set_path(prev, h->section, h->metric, h->kind == REFCTL_REPORT_MONEY ? money(v) : num(v));
	}
	json_object_set_new(root, "previous", prev);

	if (r->audience) {
		/* the audience's view: its headlines in its order, and its sections */
		const char *key;
		json_t *v, *heads = json_array();
		void *tmp;
		for (size_t k = 0; k < r->nheads; k++) {
			const struct refctl_report_headline *h = &refctl_report_headlines[r->heads[k]];
			double cur = refctl_report_headline_value(f, r->heads[k]);
			double before = refctl_report_headline_value(&r->prev, r->heads[k]);
			char name[96];
			json_t *x = json_object();
			snprintf(name, sizeof(name), "%s.%s", h->section, h->metric);
			json_object_set_new(x, "metric", json_string(name));
			json_object_set_new(x, "label", json_string(h->label));
			json_object_set_new(x, "value", h->kind == REFCTL_REPORT_MONEY ? money(cur) : num(cur));
			json_object_set_new(x, "previous", h->kind == REFCTL_REPORT_MONEY ? money(before) : num(before));
			json_array_append_new(heads, x);
		}
		json_object_foreach_safe(root, tmp, key, v) {
			if (!shows(r, key))
				json_object_del(root, key);
		}
		json_object_set_new(root, "headlines", heads);
	}

	refctl_json_dump(&head, root);
	json_decref(root);
	splice_roster(out, &head, f, nonce);
	refctl_buf_release(&head);
	refctl_buf_release(&mark);
}
