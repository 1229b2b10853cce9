/* Unit tests for lib/report*.c: rates, the median, deal de-duplication, the
 * step API on in-memory advocates, roster classification and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/report.h"
#include "report_int.h"

struct fx {
	struct refctl_config cfg;
	struct refctl_report *r;
	struct refctl_record *recs[8];
	size_t nrecs;
	struct refctl_buf b;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	refctl_config_defaults(&f->cfg);
	refctl_buf_init(&f->b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_report_free(f->r);
	for (size_t i = 0; i < f->nrecs; i++)
		refctl_record_free(f->recs[i]);
	free(f->cfg.program);
	refctl_buf_release(&f->b);
	free(f);
	return 0;
}

static refctl_date d(const char *s)
{
	refctl_date v;
	assert_int_equal(refctl_date_parse(&v, s), 0);
	return v;
}

/* A report of [from, to] over these advocate files (YAML texts). */
static void report_of(struct fx *f, const char *from, const char *to, const char *const *files,
		      size_t n)
{
	struct refctl_report_opts opts = REFCTL_REPORT_OPTS_INIT;

	opts.period.from = d(from);
	opts.period.to = d(to);
	f->r = refctl_report_new(&f->cfg, &opts);
	for (size_t i = 0; i < n; i++) {
		struct refctl_record *rec;
		assert_int_equal(refctl_record_parse(&rec, "fixture", files[i], strlen(files[i]), NULL), 0);
		f->recs[f->nrecs++] = rec;
		refctl_report_add(f->r, &rec->a);
	}
}

/* ---- rates and the median ---- */

static void test_rate(void **state)
{
	(void)state;
	assert_true(isnan(refctl_report_rate(0, 0)));
	assert_true(isnan(refctl_report_rate(5, 0)));
	assert_true(refctl_report_rate(0, 4) == 0.0);
	assert_true(refctl_report_rate(3, 4) == 0.75);
	assert_true(refctl_report_rate(8, 9) == 8.0 / 9.0);
}

static void test_median(void **state)
{
	int none[1] = { 0 }, one[] = { 7 }, odd[] = { 9, 1, 5 }, even[] = { 14, 1, 4, 10, 5, 8, 4, 14 };
	int two[] = { 2, 3 }, same[] = { 4, 4, 4, 4 };
	(void)state;
	assert_true(isnan(refctl_report_median(none, 0)));
	assert_true(refctl_report_median(one, 1) == 7);
	assert_true(refctl_report_median(odd, 3) == 5);          /* 1 5 9 */
	assert_true(refctl_report_median(even, 8) == 6.5);       /* 1 4 4 5 8 10 14 14: (5+8)/2 */
	assert_true(refctl_report_median(two, 2) == 2.5);
	assert_true(refctl_report_median(same, 4) == 4);
	assert_int_equal(odd[0], 1); /* sorted in place */
	assert_int_equal(odd[2], 9);
}

/* ---- deals ---- */

static void test_deals_one_deal_three_references(void **state)
{
	struct refctl_deals *dl = refctl_deals_new();
	(void)state;
	refctl_deals_add(dl, "OPP-1", 10000000); /* cents */
	refctl_deals_add(dl, "OPP-1", 25000000);
	refctl_deals_add(dl, "OPP-1", 18000000);
	assert_true(refctl_deals_total(dl) == 250000); /* not 530000 */
	refctl_deals_free(dl);
}

static void test_deals_alone_and_mixed(void **state)
{
	struct refctl_deals *dl = refctl_deals_new();
	(void)state;
	assert_true(refctl_deals_total(dl) == 0);
	refctl_deals_add(dl, NULL, 3000000);    /* alone */
	refctl_deals_add(dl, "", 2000050);      /* empty: alone too */
	refctl_deals_add(dl, NULL, 3000000);    /* another request without one: counts again */
	refctl_deals_add(dl, "OPP-7", 0);       /* won without a value */
	refctl_deals_add(dl, "OPP-2", 1010);
	refctl_deals_add(dl, "OPP-2", 1020);
	refctl_deals_add(dl, "opp-2", 100);     /* opportunity ids are compared exactly */
	/* 30000 + 20000.5 + 30000 + 0 + 10.2 + 1 */
	assert_true(refctl_deals_total(dl) == 80011.7);
	refctl_deals_free(dl);
	refctl_deals_free(NULL);
}

static void test_deals_many(void **state)
{
	struct refctl_deals *dl = refctl_deals_new();
	char key[32];
	(void)state;
	/* 1000 opportunities, each used twice (the hash table grows) */
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "OPP-%d", i);
		refctl_deals_add(dl, key, 100);
		refctl_deals_add(dl, key, 200);
	}
	assert_true(refctl_deals_total(dl) == 2000);
	refctl_deals_free(dl);
}

static void test_deals_overflow_clamps(void **state)
{
	struct refctl_deals *dl = refctl_deals_new();
	char key[32];
	(void)state;
	/* 10,000 deals at the largest amount: past INT64_MAX cents */
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "OPP-%d", i);
		refctl_deals_add(dl, key, REFCTL_MONEY_MAX);
	}
	assert_true(refctl_deals_total(dl) == (double)INT64_MAX / 100.0);
	refctl_deals_free(dl);
}

/* ---- the step API ---- */

static const char *const ann =
	"id: ann\nname: Ann\ncompany: A\nstatus: active\nindustry: Retail\nregion: EMEA\n"
	"products: [api]\nnps: 6\nsince: 2026-10-31\nconsent:\n  until: 2026-12-30\n"
	"requests:\n"
	"  - {id: ann/1, opened: 2026-10-01, activity: reference-call, status: completed, closed: 2026-10-03,"
	" outcome: won, opportunity: X, deal_value: 10}\n"
	"  - {id: ann/2, opened: 2026-10-31, activity: reference-call, status: completed, closed: 2026-11-02,"
	" outcome: won, opportunity: X, deal_value: 99}\n"
	"  - {id: ann/3, opened: 2026-09-30, activity: referral, status: completed, closed: 2026-10-02,"
	" outcome: won, deal_value: 500}\n"
	"  - {id: ann/4, opened: 2026-10-10, activity: quote, status: declined, closed: 2026-10-11}\n"
	"  - {id: ann/5, opened: 2026-10-12, activity: quote, status: cancelled, closed: 2026-10-12}\n"
	"rewards:\n  - {date: 2026-10-01, points: 10}\n  - {date: 2026-10-31, points: -4}\n"
	"  - {date: 2026-11-01, points: 100}\n";
static const char *const bob =
	"id: bob\nname: Bob\ncompany: B\nstatus: paused\nindustry: retail\nhealth: red\n"
	"requests:\n"
	"  - {id: bob/1, opened: 2026-10-05, activity: video, status: completed, closed: 2026-10-09,"
	" outcome: lost}\n"
	"  - {id: bob/2, opened: 2026-10-06, activity: video, status: approved}\n"
	"  - {id: bob/3, opened: 2026-10-07, activity: video, status: requested}\n"
	"  - {id: bob/4, opened: 2026-10-08, activity: video, status: scheduled}\n";
static const char *const cy =
	"id: cy\nname: Cy\ncompany: C\nstatus: active\nlast_contact: 2026-05-03\n"
	"consent:\n  until: 2026-10-31\n";

static void test_figures(void **state)
{
	struct fx *f = *state;
	const char *const files[] = { ann, bob, cy };
	const struct refctl_report_figures *c;

	report_of(f, "2026-10-01", "2026-10-31", files, 3);
	refctl_report_finish(f->r);
	c = &f->r->cur;
	/* opened in October: ann/1 (first day), ann/2 (last day), ann/4, ann/5, bob/1-4 */
	assert_int_equal(c->opened, 8);
	/* closed in October: ann/1, ann/3, bob/1 completed; ann/4 declined; ann/5 cancelled;
	 * ann/2 closed 11-02 is after */
	assert_int_equal(c->completed, 3);
	assert_int_equal(c->declined, 1);
	assert_int_equal(c->cancelled, 1);
	assert_true(c->fulfilment_rate == 0.75);
	/* days: ann/1 2, ann/3 2, bob/1 4 -> 2 */
	assert_true(c->median_days == 2);
	/* open at 10-31: ann/2 (closed later), bob/2-4 */
	assert_int_equal(c->open_at_end, 4);
	/* outcomes: ann/1 won (ann/3 is a referral), bob/1 lost */
	assert_int_equal(c->won, 1);
	assert_int_equal(c->lost, 1);
	assert_true(c->win_rate == 0.5);
	assert_true(c->revenue == 10);
	/* ann/3 was opened in September: not a referral of October */
	assert_int_equal(c->referrals, 0);
	assert_int_equal(c->total, 3);
	assert_int_equal(c->active, 2);
	assert_int_equal(c->new_advocates, 1);
	assert_int_equal(c->used, 2);
	assert_true(c->utilisation == 1.0); /* bob is paused but was used: 2 / 2 */
	assert_int_equal(c->awarded, 10);
	assert_int_equal(c->redeemed, 4);
	/* bob: 4 engagements (bob/1-4) >= 4; ann: ann/1, ann/2 = 2 */
	assert_int_equal(c->noverused, 1);
	assert_string_equal(c->overused[0].id, "bob");
	assert_int_equal(c->overused[0].engagements, 4);
	assert_int_equal(c->overused[0].limit, 4);
	/* ann nps 6 <= 6; bob is red but paused; cy's last contact is 181 days before */
	assert_int_equal(c->nat_risk, 2);
	assert_string_equal(c->at_risk[0].id, "ann");
	assert_int_equal(c->at_risk[0].reasons, REFCTL_RISK_NPS);
	assert_string_equal(c->at_risk[1].id, "cy");
	assert_int_equal(c->at_risk[1].reasons, REFCTL_RISK_CONTACT);
	/* ann's consent ends on 12-30, the last day of the window; cy's on 10-31 */
	assert_int_equal(c->nconsent, 1);
	assert_string_equal(c->consent[0].id, "ann");
	/* top: bob 4, ann 4 -> ann first (ties by id) */
	assert_int_equal(c->ntop, 2);
	assert_string_equal(c->top[0].id, "ann");
	assert_string_equal(c->top[1].id, "bob");
	/* coverage: retail 8 requests (Retail and retail are one value), 1 active advocate */
	assert_int_equal(c->nindustries, 1);
	assert_string_equal(c->industries[0].key, "retail");
	assert_int_equal(c->industries[0].requests, 8);
	assert_int_equal(c->industries[0].advocates, 1);
	assert_int_equal(c->industries[0].declined, 1);
	assert_true(c->industries[0].per_advocate == 8);
	/* products: ann's api for ann's 4; bob has none */
	assert_int_equal(c->nproducts, 1);
	assert_int_equal(c->products[0].requests, 4);
	/* the previous period (September): ann/3 opened, nothing closed */
	assert_int_equal(f->r->prev.opened, 1);
	assert_int_equal(f->r->prev.referrals, 1);
	assert_true(isnan(f->r->prev.fulfilment_rate));
	assert_true(isnan(f->r->prev.median_days));
	assert_true(isnan(f->r->prev.win_rate));
}

static void test_empty(void **state)
{
	struct fx *f = *state;
	report_of(f, "2026-10-01", "2026-10-31", NULL, 0);
	refctl_report_finish(f->r);
	assert_int_equal(f->r->cur.total, 0);
	assert_true(isnan(f->r->cur.utilisation));
	assert_true(isnan(f->r->cur.fulfilment_rate));
	assert_true(f->r->cur.revenue == 0);
	assert_int_equal(f->r->cur.nindustries, 0);
	refctl_report_finish(f->r); /* twice is harmless */
}

static void test_top_limit(void **state)
{
	struct fx *f = *state;
	static const char *const files[] = {
		"id: a\nname: A\ncompany: A\nstatus: active\nrequests:\n"
		"  - {id: a/1, opened: 2026-10-01, activity: quote, status: requested}\n",
		"id: b\nname: B\ncompany: B\nstatus: active\nrequests:\n"
		"  - {id: b/1, opened: 2026-10-01, activity: quote, status: requested}\n"
		"  - {id: b/2, opened: 2026-10-01, activity: quote, status: requested}\n",
		"id: c\nname: C\ncompany: C\nstatus: active\nrequests:\n"
		"  - {id: c/1, opened: 2026-10-01, activity: quote, status: requested}\n",
		"id: d\nname: D\ncompany: D\nstatus: active\nrequests:\n"
		"  - {id: d/1, opened: 2026-10-01, activity: quote, status: requested}\n"
		"  - {id: d/2, opened: 2026-10-01, activity: quote, status: requested}\n"
		"  - {id: d/3, opened: 2026-10-01, activity: quote, status: requested}\n",
	};
	struct refctl_report_opts opts = REFCTL_REPORT_OPTS_INIT;

	opts.period.from = d("2026-10-01");
	opts.period.to = d("2026-10-31");
	opts.top = 3;
	f->r = refctl_report_new(&f->cfg, &opts);
	for (size_t i = 0; i < 4; i++) {
		struct refctl_record *rec;
		assert_int_equal(refctl_record_parse(&rec, "fixture", files[i], strlen(files[i]), NULL), 0);
		f->recs[f->nrecs++] = rec;
		refctl_report_add(f->r, &rec->a);
	}
	refctl_report_finish(f->r);
	/* d 3, b 2, then a and c tie at 1: a by id; c does not fit */
	assert_int_equal(f->r->cur.ntop, 3);
	assert_string_equal(f->r->cur.top[0].id, "d");
	assert_string_equal(f->r->cur.top[1].id, "b");
	assert_string_equal(f->r->cur.top[2].id, "a");
}

static void test_changes(void **state)
{
	struct fx *f = *state;
	const char *active = "id: x\nstatus: active\n", *retired = "id: x\nstatus: retired\n";
	int64_t oct1 = (int64_t)d("2026-10-01") * 86400, nov1 = (int64_t)d("2026-11-01") * 86400;
	struct refctl_change c;
	int64_t from, to;

	report_of(f, "2026-10-01", "2026-10-31", NULL, 0);
	refctl_report_history_window(f->r, &from, &to);
	assert_true(from == (int64_t)d("2026-09-01") * 86400);
	assert_true(to == nov1);
	memset(&c, 0, sizeof(c));
	c.commit = "0000";
	/* added, by two people in two commits */
	c.id = "x";
	c.time = oct1;
	c.author = "P";
	c.new_data = active;
	c.new_len = strlen(active);
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	c.author = "A";
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	/* retired at the last second of October */
	c.time = nov1 - 1;
	c.old_data = active;
	c.old_len = strlen(active);
	c.new_data = retired;
	c.new_len = strlen(retired);
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	/* an edit of a retired file stays an edit */
	c.old_data = retired;
	c.old_len = strlen(retired);
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	/* only requests changed (an approval): a request change, not a roster edit */
	c.id = "w";
	c.old_data = "id: w\nname: Wu\ncompany: Co\nstatus: active\nrequests:\n- id: w/1\n  status: requested\n";
	c.old_len = strlen(c.old_data);
	c.new_data = "id: w\nname: Wu\ncompany: Co\nstatus: active\nrequests:\n- id: w/1\n  status: approved\n";
	c.new_len = strlen(c.new_data);
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	/* and a reward with it, still; a name changed too: an edit */
	c.new_data = "id: w\nname: Wu\ncompany: Co\nstatus: active\nrequests:\n- id: w/1\n  status: approved\n"
		     "rewards:\n- {date: 2026-10-02, points: 5}\n";
	c.new_len = strlen(c.new_data);
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	c.id = "v";
	c.old_data = "id: v\nname: Vi\ncompany: Co\nstatus: active\n";
	c.old_len = strlen(c.old_data);
	c.new_data = "id: v\nname: Vy\ncompany: Co\nstatus: active\nreferrals: []\n";
	c.new_len = strlen(c.new_data);
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	/* removed */
	c.id = "y";
	c.old_data = retired;
	c.old_len = strlen(retired);
	c.new_data = NULL;
	c.new_len = 0;
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	/* after the period: ignored; in the previous one: counted there */
	c.id = "z";
	c.time = nov1;
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	c.time = oct1 - 1;
	assert_int_equal(refctl_report_add_change(f->r, &c), 0);
	refctl_report_finish(f->r);

	assert_int_equal(f->r->cur.changes[REFCTL_CHANGE_ADDED], 1);
	assert_int_equal(f->r->cur.roster[REFCTL_CHANGE_ADDED][0].commits, 2);
	assert_int_equal(f->r->cur.roster[REFCTL_CHANGE_ADDED][0].nby, 2);
	assert_string_equal(f->r->cur.roster[REFCTL_CHANGE_ADDED][0].by[0], "A");
	assert_string_equal(f->r->cur.roster[REFCTL_CHANGE_ADDED][0].by[1], "P");
	assert_int_equal(f->r->cur.changes[REFCTL_CHANGE_RETIRED], 1);
	assert_int_equal(f->r->cur.changes[REFCTL_CHANGE_EDITED], 2); /* x (unchanged content), v */
	assert_int_equal(f->r->cur.changes[REFCTL_CHANGE_REQUESTS], 1);
	assert_string_equal(f->r->cur.roster[REFCTL_CHANGE_REQUESTS][0].id, "w");
	assert_int_equal(f->r->cur.roster[REFCTL_CHANGE_REQUESTS][0].commits, 2);
	assert_string_equal(f->r->cur.roster[REFCTL_CHANGE_REQUESTS][0].name, "Wu, Co");
	assert_string_equal(f->r->cur.roster[REFCTL_CHANGE_EDITED][0].name, "Vy, Co"); /* v, then x */
	assert_null(f->r->cur.roster[REFCTL_CHANGE_EDITED][1].name); /* x has no name */
	assert_int_equal(f->r->cur.changes[REFCTL_CHANGE_REMOVED], 1);
	assert_string_equal(f->r->cur.roster[REFCTL_CHANGE_REMOVED][0].id, "y");
	assert_int_equal(f->r->prev.changes[REFCTL_CHANGE_REMOVED], 1);
	assert_int_equal(f->r->prev.changes[REFCTL_CHANGE_ADDED], 0);
}

/* ---- formatting ---- */

static const char *fmt_value(struct fx *f, enum refctl_report_kind k, double v)
{
	refctl_buf_clear(&f->b);
	refctl__report_value(&f->b, k, v, NULL);
	return f->b.ptr;
}

static const char *fmt_change(struct fx *f, enum refctl_report_kind k, double cur, double prev)
{
	refctl_buf_clear(&f->b);
	refctl__report_change(&f->b, k, cur, prev, NULL);
	return f->b.ptr;
}

static void test_format_values(void **state)
{
	struct fx *f = *state;
	assert_string_equal(fmt_value(f, REFCTL_REPORT_COUNT, 1234567), "1,234,567");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_COUNT, 0), "0");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_MONEY, 300000.5), "300,000.50");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_MONEY, 999.999), "1,000");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_RATE, 8.0 / 9.0), "88.9%");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_RATE, 1), "100.0%");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_DAYS, 6.5), "6.5");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_DAYS, 2), "2");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_RATE, NAN), "n/a");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_COUNT, 11, 2), "+9");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_COUNT, 35, 50), "-15");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_COUNT, 3, 3), "0");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_RATE, 8.0 / 9.0, 1), "-11.1 pts");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_RATE, 0.8, 0.4), "+40 pts");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_RATE, 0.5, 0.5), "0 pts");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_RATE, 0.5, NAN), "n/a");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_MONEY, 300000.5, 5000), "+295,000.50");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_MONEY, 0, 1500), "-1,500");
	/* the currency follows every amount; ratios are multiples */
	refctl_buf_clear(&f->b);
	refctl__report_value(&f->b, REFCTL_REPORT_MONEY, 1234.5, "EUR");
	assert_string_equal(f->b.ptr, "1,234.50 EUR");
	refctl_buf_clear(&f->b);
	refctl__report_change(&f->b, REFCTL_REPORT_MONEY, 0, 1500, "GBP");
	assert_string_equal(f->b.ptr, "-1,500 GBP");
	refctl_buf_clear(&f->b);
	refctl__report_value(&f->b, REFCTL_REPORT_MONEY, NAN, "EUR");
	assert_string_equal(f->b.ptr, "n/a");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_RATIO, 65000.0 / 15000.0), "4.3x");
	assert_string_equal(fmt_value(f, REFCTL_REPORT_RATIO, 14), "14.0x");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_RATIO, 6.5, 4), "+2.5x");
	assert_string_equal(fmt_change(f, REFCTL_REPORT_DAYS, 6.5, 2), "+4.5");
	refctl_buf_clear(&f->b);
	refctl__report_plain(&f->b, 8.0 / 9.0);
	assert_string_equal(f->b.ptr, "0.888889");
	refctl_buf_clear(&f->b);
	refctl__report_plain(&f->b, 40000);
	assert_string_equal(f->b.ptr, "40000");
}

static void test_format_labels(void **state)
{
	struct fx *f = *state;
	struct refctl_period p;

	assert_int_equal(refctl_period_month(&p, "2026-10"), 0);
	refctl__report_period_label(&f->b, p);
	assert_string_equal(f->b.ptr, "October 2026");
	refctl_buf_clear(&f->b);
	assert_int_equal(refctl_period_quarter(&p, "2026-Q4"), 0);
	refctl__report_period_label(&f->b, p);
	assert_string_equal(f->b.ptr, "2026-Q4");
	refctl_buf_clear(&f->b);
	assert_int_equal(refctl_period_year(&p, "2025"), 0);
	refctl__report_period_label(&f->b, p);
	assert_string_equal(f->b.ptr, "2025");
	refctl_buf_clear(&f->b);
	p.from = d("2026-10-02");
	p.to = d("2026-10-30");
	refctl__report_period_label(&f->b, p);
	assert_string_equal(f->b.ptr, "2026-10-02 to 2026-10-30");
	refctl_buf_clear(&f->b);
	refctl__report_clip(&f->b, "abcdefghij", 8);
	assert_string_equal(f->b.ptr, "abcde...");
	refctl_buf_clear(&f->b);
	refctl__report_clip(&f->b, "h\xc3\xa9llo w\xc3\xb6rld", 8); /* cut on characters */
	assert_string_equal(f->b.ptr, "h\xc3\xa9llo...");
	refctl_buf_clear(&f->b);
	refctl__report_clip(&f->b, "short", 8);
	assert_string_equal(f->b.ptr, "short");
}

static void test_format_for(void **state)
{
	enum refctl_format fmt;
	(void)state;
	assert_int_equal(refctl_report_format_for(&fmt, "/srv/www/refs/2026-10.html"), 0);
	assert_int_equal(fmt, REFCTL_FORMAT_HTML);
	assert_int_equal(refctl_report_format_for(&fmt, "r.JSON"), 0);
	assert_int_equal(fmt, REFCTL_FORMAT_JSON);
	assert_int_equal(refctl_report_format_for(&fmt, "r.md"), 0);
	assert_int_equal(fmt, REFCTL_FORMAT_MARKDOWN);
	assert_int_equal(refctl_report_format_for(&fmt, "r.csv"), 0);
	assert_int_equal(fmt, REFCTL_FORMAT_CSV);
	assert_int_equal(refctl_report_format_for(&fmt, "dir.d/report"), 0);
	assert_int_equal(fmt, REFCTL_FORMAT_TEXT);
	assert_int_equal(refctl_report_format_for(&fmt, ".hidden"), 0);
	assert_int_equal(fmt, REFCTL_FORMAT_TEXT);
	assert_int_equal(refctl_report_format_for(&fmt, "r.pdf"), REFCTL_EUSAGE);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_rate),
		T(test_median),
		T(test_deals_one_deal_three_references),
		T(test_deals_alone_and_mixed),
		T(test_deals_many),
		T(test_deals_overflow_clamps),
		T(test_figures),
		T(test_empty),
		T(test_top_limit),
		T(test_changes),
		T(test_format_values),
		T(test_format_labels),
		T(test_format_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
