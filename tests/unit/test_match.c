/* Matching: relevance, partial credit, aliases, the order, the bounded heap,
 * exclusions and the prospect profile. Expected figures are worked out in
 * the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/match.h"

static refctl_date day(const char *s)
{
	refctl_date d;
	assert_int_equal(refctl_date_parse(&d, s), 0);
	return d;
}

static struct refctl_config *config(const char *yaml)
{
	struct refctl_config *cfg = NULL;
	if (refctl_config_parse(&cfg, "refctl.yaml", yaml, strlen(yaml)) < 0)
		fail_msg("config does not parse: %s", refctl_error_last());
	return cfg;
}

/* An advocate with extra YAML; "status: S" first in extra replaces active. */
static struct refctl_record *advocate(const char *id, const char *extra)
{
	char text[4096], file[128];
	struct refctl_record *rec = NULL;
	int has_status = !strncmp(extra, "status:", 7);

	snprintf(text, sizeof(text), "id: %s\nname: N %s\ncompany: C %s\n%s%s", id, id, id,
		 has_status ? "" : "status: active\n", extra);
	snprintf(file, sizeof(file), "advocates/%s.yaml", id);
	if (refctl_record_parse(&rec, file, text, strlen(text), NULL) < 0)
		fail_msg("fixture does not parse: %s", refctl_error_last());
	return rec;
}

struct fixture {
	struct refctl_config *cfg;
	struct refctl_prospect p;
	struct refctl_match_opts opts;
	struct refctl_matcher *m;
	struct refctl_match_result *r;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct refctl_match_opts init = REFCTL_MATCH_OPTS_INIT;
	f->cfg = config("");
	f->opts = init;
	f->opts.prospect = &f->p;
	f->opts.today = day("2026-11-15");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	refctl_matcher_free(f->m);
	refctl_match_result_free(f->r);
	refctl_prospect_release(&f->p);
	refctl_config_free(f->cfg);
	free(f);
	return 0;
}

static void start(struct fixture *f)
{
	assert_int_equal(refctl_matcher_new(&f->m, f->cfg, &f->opts), 0);
}

static void add(struct fixture *f, const char *id, const char *extra)
{
	struct refctl_record *rec = advocate(id, extra);
	refctl_matcher_add(f->m, &rec->a);
	refctl_record_free(rec);
}

static void finish(struct fixture *f)
{
	refctl_matcher_finish(&f->r, f->m);
	f->m = NULL;
}

/* An entry's exclusions in words. */
static const char *exclusions(const struct refctl_match_entry *e)
{
	static char out[512];
	struct refctl_buf b = REFCTL_BUF_INIT;

	refctl_avail_exclusions_text(&b, e->exclusions, e->nexclusions);
	snprintf(out, sizeof(out), "%s", b.ptr);
	refctl_buf_release(&b);
	return out;
}

static void assert_order(const struct refctl_match_result *r, const char *const *ids, size_t n)
{
	assert_int_equal(r->navailable, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(r->available[i].id, ids[i]);
}

static void test_relevance_and_partial_credit(void **state)
{
	struct fixture *f = *state;

	/* prospect: use_case 4, product 3 (three values), industry 3, language 2 = 12 */
	refctl_prospect_add(&f->p, REFCTL_CRIT_USE_CASE, "supply chain visibility");
	refctl_prospect_add(&f->p, REFCTL_CRIT_PRODUCT, "analytics");
	refctl_prospect_add(&f->p, REFCTL_CRIT_PRODUCT, "ERP");
	refctl_prospect_add(&f->p, REFCTL_CRIT_PRODUCT, "crm");
	refctl_prospect_add(&f->p, REFCTL_CRIT_INDUSTRY, "Manufacturing");
	refctl_prospect_add(&f->p, REFCTL_CRIT_LANGUAGE, "DE");
	f->opts.min_relevance = REFCTL_MATCH_ANY_RELEVANCE; /* c (0%) too */
	start(f);
	/* a: use_case 4 + product 2/3 of 3 = 2 + industry 3 + language 2 = 11 of 12 */
	add(f, "a", "industry: manufacturing\nlanguages: [en, de]\nproducts: [erp, analytics]\n"
		    "use_cases: [supply-chain-visibility]\n");
	/* b: product 1/3 of 3 = 1, language 2 = 3 of 12 */
	add(f, "b", "industry: retail\nlanguages: [de]\nproducts: [crm]\n");
	/* c: nothing = 0 */
	add(f, "c", "");
	finish(f);

	assert_order(f->r, (const char *[]){ "a", "b", "c" }, 3);
	assert_int_equal(f->r->nvalues, 6);
	assert_true(f->r->possible == 12);
	assert_true(f->r->available[0].earned == 11);
	assert_true(f->r->available[0].relevance == 11.0 / 12);
	assert_int_equal(f->r->available[0].crit[REFCTL_CRIT_PRODUCT].nvalues, 3);
	assert_int_equal(f->r->available[0].crit[REFCTL_CRIT_PRODUCT].nmet, 2);
	assert_true(f->r->available[0].crit[REFCTL_CRIT_PRODUCT].earned == 2);
	/* values in criterion order: use_case, product x3, industry, language */
	assert_memory_equal(f->r->available[0].met, "\1\1\1\0\1\1", 6);
	assert_memory_equal(f->r->available[1].met, "\0\0\0\1\0\1", 6);
	assert_true(f->r->available[1].relevance == 3.0 / 12);
	assert_true(f->r->available[2].relevance == 0);
	assert_string_equal(f->r->values[2].text, "ERP");
	assert_string_equal(f->r->values[2].canon, "erp");
}

static void test_single_criteria(void **state)
{
	struct fixture *f = *state;

	/* region 2, country 1, segment 1 = 4 */
	refctl_prospect_add(&f->p, REFCTL_CRIT_REGION, "emea");
	refctl_prospect_add(&f->p, REFCTL_CRIT_COUNTRY, "de");
	refctl_prospect_add(&f->p, REFCTL_CRIT_SEGMENT, "Mid Market");
	start(f);
	add(f, "a", "region: EMEA\ncountry: DE\nsegment: mid-market\n"); /* 4 of 4 */
	add(f, "b", "region: EMEA\ncountry: AT\nsegment: enterprise\n"); /* 2 of 4 */
	add(f, "c", "region: APAC\ncountry: DE\nsegment: mid-market\n"); /* 2 of 4 */
	finish(f);
	assert_order(f->r, (const char *[]){ "a", "b", "c" }, 3);
	assert_true(f->r->available[0].relevance == 1);
	assert_true(f->r->available[1].relevance == 0.5);
	assert_true(f->r->available[2].relevance == 0.5);
}

static void test_aliases_and_weights(void **state)
{
	struct fixture *f = *state;

	refctl_config_free(f->cfg);
	f->cfg = config("match:\n  weights:\n    industry: 5\n    region: 0\n"
			"  aliases:\n    fintech: financial services\n    FS: Financial_Services\n");
	refctl_prospect_add(&f->p, REFCTL_CRIT_INDUSTRY, "FinTech");
	refctl_prospect_add(&f->p, REFCTL_CRIT_REGION, "emea");
	f->opts.min_relevance = REFCTL_MATCH_ANY_RELEVANCE; /* c (0%) too */
	start(f);
	add(f, "a", "industry: fs\n");                 /* alias to alias: 5 of 5 */
	add(f, "b", "industry: Financial-Services\n"); /* 5 of 5 */
	add(f, "c", "industry: banking\nregion: emea\n"); /* region weighs 0: 0 of 5 */
	finish(f);
	assert_true(f->r->possible == 5);
	assert_order(f->r, (const char *[]){ "a", "b", "c" }, 3);
	assert_true(f->r->available[0].relevance == 1);
	assert_true(f->r->available[1].relevance == 1);
	assert_true(f->r->available[2].relevance == 0);
	assert_int_equal(f->r->available[2].crit[REFCTL_CRIT_REGION].nmet, 1);
}

static void test_min_relevance(void **state)
{
	struct fixture *f = *state;

	/* industry 3 + region 2 = 5 points: a 100%, b 60%, c 40%, d 0% */
	refctl_prospect_add(&f->p, REFCTL_CRIT_INDUSTRY, "retail");
	refctl_prospect_add(&f->p, REFCTL_CRIT_REGION, "emea");
	for (int pass = 0; pass < 4; pass++) {
		static const int mins[] = { 0, REFCTL_MATCH_ANY_RELEVANCE, 60, 61 };
		static const size_t kept[] = { 3, 4, 2, 1 };
		f->opts.min_relevance = mins[pass];
		start(f);
		add(f, "a", "industry: retail\nregion: emea\n");
		add(f, "b", "industry: retail\n");
		add(f, "c", "region: emea\n");
		add(f, "d", "industry: banking\n");
		finish(f);
		assert_int_equal(f->r->navailable, kept[pass]);
		assert_int_equal(f->r->nfit, kept[pass]);
		assert_int_equal(f->r->nbelow, 4 - kept[pass]);
		assert_string_equal(f->r->available[0].id, "a");
		refctl_match_result_free(f->r);
		f->r = NULL;
	}
}

static void test_min_relevance_applies_to_all(void **state)
{
	struct fixture *f = *state;

	/* --all lists the excluded relevant ones, not the irrelevant */
	refctl_prospect_add(&f->p, REFCTL_CRIT_INDUSTRY, "retail");
	f->opts.all = 1;
	start(f);
	add(f, "a", "status: paused\nindustry: retail\n");
	add(f, "b", "status: paused\n");
	finish(f);
	assert_int_equal(f->r->navailable, 0);
	assert_int_equal(f->r->nexcluded, 1);
	assert_string_equal(f->r->excluded[0].id, "a");
	assert_int_equal(f->r->excluded_by[0], 2); /* both counted against the status rule */
}

static void test_at_risk_excluded(void **state)
{
	struct fixture *f = *state;

	/* report.at_risk_nps 6 by default: 6 is at risk, 7 is not */
	f->opts.all = 1;
	start(f);
	add(f, "a", "nps: 7\nhealth: yellow\n");
	add(f, "b", "nps: 6\n");
	add(f, "c", "health: red\n");
	add(f, "d", "nps: 0\nhealth: red\n");
	finish(f);
	assert_order(f->r, (const char *[]){ "a" }, 1);
	assert_int_equal(f->r->nexcluded, 3);
	assert_string_equal(exclusions(&f->r->excluded[0]), "at risk: nps 6");
	assert_string_equal(exclusions(&f->r->excluded[1]), "at risk: health red");
	assert_string_equal(exclusions(&f->r->excluded[2]), "at risk: nps 0, health red");
	assert_int_equal(f->r->excluded[2].exclusions[0].code, REFCTL_AVAIL_AT_RISK);
	assert_int_equal(f->r->excluded_by[6], 3);
	assert_int_equal(refctl_match_top_rule(NULL, f->r), REFCTL_AVAIL_AT_RISK);
}

static void test_at_risk_threshold_and_include(void **state)
{
	struct fixture *f = *state;

	refctl_config_free(f->cfg);
	f->cfg = config("report:\n  at_risk_nps: 3\n");
	start(f);
	add(f, "a", "nps: 4\n");
	add(f, "b", "nps: 3\n");
	finish(f);
	assert_order(f->r, (const char *[]){ "a" }, 1);
	refctl_match_result_free(f->r);
	f->r = NULL;

	/* included: available, ranked as any other, the reason kept for --explain */
	f->opts.include_at_risk = 1;
	start(f);
	add(f, "a", "nps: 4\n");
	add(f, "b", "nps: 3\nhealth: red\n");
	finish(f);
	assert_order(f->r, (const char *[]){ "a", "b" }, 2);
	assert_string_equal(f->r->available[0].at_risk, "");
	assert_string_equal(f->r->available[1].at_risk, "nps 3, health red");
	assert_int_equal(f->r->available[1].reasons, 0);
}

static void test_contact_overdue_ranks_after_equals(void **state)
{
	struct fixture *f = *state;

	/* today 2026-11-15; 180 days before is 2026-05-19 */
	refctl_prospect_add(&f->p, REFCTL_CRIT_INDUSTRY, "retail");
	refctl_prospect_add(&f->p, REFCTL_CRIT_REGION, "emea");
	start(f);
	/* a: 100%, no contact for 181 days: after b and c, before d (60%) */
	add(f, "a", "industry: retail\nregion: emea\nlast_contact: 2026-05-18\n");
	/* b: 100%, exactly 180 days: not overdue; loaded, still before a */
	add(f, "b", "industry: retail\nregion: emea\nlast_contact: 2026-05-19\nlimits:\n  rest_days: 0\n"
		    "requests:\n  - id: b/1\n    opened: 2026-11-01\n    activity: quote\n    status: requested\n");
	add(f, "c", "industry: retail\nregion: emea\n"); /* no last_contact: not overdue */
	add(f, "d", "industry: retail\nlast_contact: 2026-11-01\n");
	add(f, "e", "industry: retail\nlast_contact: 2020-01-01\n");
	finish(f);
	assert_order(f->r, (const char *[]){ "c", "b", "a", "d", "e" }, 5);
	assert_int_equal(f->r->available[2].contact_overdue, 1);
	assert_int_equal(f->r->available[2].contact_days, 181);
	assert_int_equal(f->r->available[2].contact_limit, 180);
	assert_int_equal(f->r->available[1].contact_overdue, 0);
	assert_int_equal(f->r->available[1].contact_days, 180);
	assert_int_equal(f->r->available[0].contact_days, -1);
}

static void test_duplicate_values(void **state)
{
	struct fixture *f = *state;

	/* "Analytics" and "analytics" are one value: a share of 1/2, not 2/3 */
	refctl_prospect_add(&f->p, REFCTL_CRIT_PRODUCT, "analytics");
	refctl_prospect_add(&f->p, REFCTL_CRIT_PRODUCT, "Analytics");
	refctl_prospect_add(&f->p, REFCTL_CRIT_PRODUCT, "erp");
	start(f);
	add(f, "a", "products: [analytics]\n");
	finish(f);
	assert_int_equal(f->r->nvalues, 2);
	assert_true(f->r->available[0].relevance == 0.5);
}

static void test_no_criteria(void **state)
{
	struct fixture *f = *state;

	start(f);
	add(f, "b", "");
	add(f, "a", "");
	finish(f);
	assert_true(f->r->possible == 0);
	assert_order(f->r, (const char *[]){ "a", "b" }, 2);
	assert_true(f->r->available[0].relevance == 1);
}

#define REQ(n, opened, status, extra) \
	"  - id: " n "\n    opened: " opened "\n    activity: quote\n    status: " status "\n" extra

static void test_tie_breaks(void **state)
{
	struct fixture *f = *state;

	refctl_prospect_add(&f->p, REFCTL_CRIT_INDUSTRY, "retail");
	start(f);
	/* all 100% relevant. Load in the 90 days ending 2026-11-15
	 * (2026-08-18 .. 2026-11-15): */
	/* d: one engagement on 2026-08-18 (day 90 back is 08-17: not counted
	 * either way): load 1; won 0 lost 0: 1/2 */
	add(f, "d", "industry: retail\nrequests:\n" REQ("d/1", "2026-08-18", "completed",
		    "    closed: 2026-08-20\n"));
	/* e: 2026-08-17 is outside, a declined one inside: load 0; won 1: 2/3 */
	add(f, "e", "industry: retail\nrequests:\n"
		    REQ("e/1", "2026-08-17", "completed", "    closed: 2026-08-20\n    outcome: won\n")
		    REQ("e/2", "2026-11-01", "declined", "    closed: 2026-11-02\n"));
	/* g: load 0; won 2 lost 1: 3/5 < 2/3 */
	add(f, "g", "industry: retail\nrequests:\n"
		    REQ("g/1", "2026-01-10", "completed", "    closed: 2026-01-20\n    outcome: won\n")
		    REQ("g/2", "2026-02-10", "completed", "    closed: 2026-02-20\n    outcome: won\n")
		    REQ("g/3", "2026-03-10", "completed", "    closed: 2026-03-20\n    outcome: lost\n"));
	/* f: load 0; won 1 lost 0 (an open outcome does not count): 2/3, ties e on everything: id */
	add(f, "f", "industry: retail\nrequests:\n"
		    REQ("f/1", "2026-01-10", "completed", "    closed: 2026-01-20\n    outcome: won\n")
		    REQ("f/2", "2026-02-10", "completed", "    closed: 2026-02-20\n    outcome: open\n"));
	/* h: load 0, no outcome: 1/2 */
	add(f, "h", "industry: retail\n");
	finish(f);
	assert_order(f->r, (const char *[]){ "e", "f", "g", "h", "d" }, 5);
	assert_int_equal(f->r->available[4].load_90d, 1);
	assert_int_equal(f->r->available[0].load_90d, 0);
	assert_int_equal(f->r->available[2].won, 2);
	assert_int_equal(f->r->available[2].lost, 1);
	assert_true(f->r->available[2].win_rate == 3.0 / 5);
	assert_int_equal(f->r->available[1].won, 1);
	assert_int_equal(f->r->available[1].lost, 0);
}

static void test_excluded_listed(void **state)
{
	struct fixture *f = *state;
	const char *const ex[] = { "c C" };

	refctl_prospect_set_activity(&f->p, "Reference Call");
	refctl_prospect_add(&f->p, REFCTL_CRIT_INDUSTRY, "retail");
	f->opts.all = 1;
	f->opts.exclude_companies = ex;
	f->opts.nexclude = 1;
	f->opts.min_relevance = REFCTL_MATCH_ANY_RELEVANCE;
	start(f);
	add(f, "a", "activities: [reference-call]\n");
	add(f, "b", "activities: [quote]\nindustry: retail\n");   /* not willing */
	add(f, "c", "activities: [reference-call]\n");            /* company "C c" excluded */
	add(f, "d", "activities: [quote]\nconsent:\n  until: 2026-01-01\n"); /* two rules */
	finish(f);
	assert_int_equal(f->r->nconsidered, 4);
	assert_int_equal(f->r->nfit, 1);
	assert_order(f->r, (const char *[]){ "a" }, 1);
	assert_null(f->r->available[0].exclusions);
	assert_int_equal(f->r->available[0].nexclusions, 0);
	assert_int_equal(f->r->nexcluded, 3);
	/* ranked like the available: b (100%) first, then c and d (0%) by id */
	assert_string_equal(f->r->excluded[0].id, "b");
	assert_string_equal(exclusions(&f->r->excluded[0]), "not willing: reference-call");
	assert_string_equal(f->r->excluded[1].id, "c");
	assert_string_equal(exclusions(&f->r->excluded[1]), "company excluded");
	assert_string_equal(f->r->excluded[2].id, "d");
	assert_string_equal(exclusions(&f->r->excluded[2]),
			    "consent expired 2026-01-01; not willing: reference-call");
	/* the structure behind the words */
	assert_int_equal(f->r->excluded[2].nexclusions, 2);
	assert_int_equal(f->r->excluded[2].exclusions[0].code, REFCTL_AVAIL_CONSENT);
	assert_string_equal(f->r->excluded[2].exclusions[0].detail, "2026-01-01");
	assert_int_equal(f->r->excluded[2].exclusions[1].code, REFCTL_AVAIL_WILLING);
	assert_string_equal(f->r->excluded[2].exclusions[1].detail, "reference-call");
	assert_int_equal(f->r->excluded[2].reasons, REFCTL_AVAIL_CONSENT | REFCTL_AVAIL_WILLING);
	assert_int_equal(f->r->excluded_by[2], 2); /* willing */
	assert_int_equal(f->r->excluded_by[1], 1); /* consent */
	assert_int_equal(f->r->excluded_by[5], 1); /* company */
	size_t n;
	assert_int_equal(refctl_match_top_rule(&n, f->r), REFCTL_AVAIL_WILLING);
	assert_int_equal(n, 2);
}

static void test_excluded_not_kept_without_all(void **state)
{
	struct fixture *f = *state;

	start(f);
	add(f, "a", "status: paused\n");
	add(f, "b", "status: retired\n");
	add(f, "c", "consent:\n  until: 2026-01-01\n");
	add(f, "d", "consent:\n  until: 2026-01-01\n");
	finish(f);
	assert_int_equal(f->r->navailable, 0);
	assert_int_equal(f->r->nexcluded, 0);
	assert_int_equal(f->r->nfit, 0);
	size_t n;
	/* status 2, consent 2: a tie goes to the first rule */
	assert_int_equal(refctl_match_top_rule(&n, f->r), REFCTL_AVAIL_STATUS);
	assert_int_equal(n, 2);
}

static void test_limit_keeps_the_best(void **state)
{
	struct fixture *f = *state;
	struct refctl_match_result *full = NULL;
	char id[16], extra[256];
	static const char *const products[] = { "a", "b", "c", "d" };

	/* 200 advocates with products drawn from 4 and loads from 0..2:
	 * the top 7 kept while streaming equal the first 7 of the full order */
	for (int i = 0; i < 4; i++)
		refctl_prospect_add(&f->p, REFCTL_CRIT_PRODUCT, products[i]);
	for (int pass = 0; pass < 2; pass++) {
		f->opts.limit = pass ? 7 : REFCTL_MATCH_NO_LIMIT;
		f->opts.min_relevance = REFCTL_MATCH_ANY_RELEVANCE;
		start(f);
		srand(42);
		for (int i = 0; i < 200; i++) {
			int mask = rand() % 16, load = rand() % 3, k = 0;
			snprintf(id, sizeof(id), "adv-%03d", (i * 37) % 200);
			k = snprintf(extra, sizeof(extra), "products: [x");
			for (int p = 0; p < 4; p++)
				if (mask & (1 << p))
					k += snprintf(extra + k, sizeof(extra) - (size_t)k, ", %s", products[p]);
			k += snprintf(extra + k, sizeof(extra) - (size_t)k, "]\n");
			if (load) {
				k += snprintf(extra + k, sizeof(extra) - (size_t)k, "limits:\n  rest_days: 0\nrequests:\n");
				for (int l = 0; l < load; l++)
					k += snprintf(extra + k, sizeof(extra) - (size_t)k,
						      "  - id: %s/%d\n    opened: 2026-11-0%d\n    activity: quote\n"
						      "    status: requested\n", id, l + 1, l + 1);
			}
			add(f, id, extra);
		}
		finish(f);
		if (!pass) {
			full = f->r;
			f->r = NULL;
		}
	}
	assert_int_equal(full->navailable, 200);
	assert_int_equal(f->r->navailable, 7);
	assert_int_equal(f->r->nfit, 200);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(f->r->available[i].id, full->available[i].id);
	for (size_t i = 1; i < 200; i++)
		assert_true(refctl_match_entry_cmp(&full->available[i - 1], &full->available[i]) < 0);
	refctl_match_result_free(full);
}

static void test_prospect_parse(void **state)
{
	struct fixture *f = *state;
	static const char yaml[] =
		"industry: Manufacturing\nregion: EMEA\ncountry: DE\nlanguage: de\nsegment: mid-market\n"
		"products: [analytics, erp]\nuse_cases: supply chain visibility\nactivity: reference-call\n";

	assert_int_equal(refctl_prospect_parse(&f->p, "p.yaml", yaml, strlen(yaml)), 0);
	assert_string_equal(f->p.values[REFCTL_CRIT_INDUSTRY].v[0], "Manufacturing");
	assert_int_equal(f->p.values[REFCTL_CRIT_PRODUCT].n, 2);
	assert_string_equal(f->p.values[REFCTL_CRIT_PRODUCT].v[1], "erp");
	assert_int_equal(f->p.values[REFCTL_CRIT_USE_CASE].n, 1);
	assert_string_equal(f->p.activity, "reference-call");
	/* a second profile replaces what it names; null leaves it */
	assert_int_equal(refctl_prospect_parse(&f->p, "p.yaml", "products: [crm]\nregion:\n", 24), 0);
	assert_int_equal(f->p.values[REFCTL_CRIT_PRODUCT].n, 1);
	assert_string_equal(f->p.values[REFCTL_CRIT_REGION].v[0], "EMEA");
	/* empty: nothing */
	assert_int_equal(refctl_prospect_parse(&f->p, "p.yaml", "", 0), 0);
}

static void parse_fails(const char *yaml, const char *message)
{
	struct refctl_prospect p = REFCTL_PROSPECT_INIT;
	assert_int_equal(refctl_prospect_parse(&p, "p.yaml", yaml, strlen(yaml)), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), message);
	refctl_prospect_release(&p);
}

static void test_prospect_errors(void **state)
{
	(void)state;
	parse_fails("industry: retail\nbudget: 10\n",
		    "p.yaml:2:1: unknown key 'budget' (expected industry, region, country, language, "
		    "segment, products, use_cases or activity)");
	parse_fails("- retail\n", "p.yaml:1:1: a prospect must be a map of industry, region, country, "
				  "language, segment, products, use_cases and activity");
	parse_fails("industry: [a, b]\n", "p.yaml:1:11: industry must be a string");
	parse_fails("products: [a, [b]]\n", "p.yaml:1:15: products must be a list of strings");
	parse_fails("segment: huge\n",
		    "p.yaml:1:10: segment must be smb, mid-market or enterprise, not 'huge'");
	parse_fails("activity: golf\n",
		    "p.yaml:1:11: unknown activity 'golf' (expected one of reference-call, case-study, "
		    "quote, video, speaking, press, analyst, advisory-board, beta, referral, site-visit, "
		    "social or community)");
	/* the values are refctl_prospect_add()'s to judge, placed at the value */
	parse_fails("industry: ''\n", "p.yaml:1:11: industry needs a value");
	parse_fails("products: [erp, '']\n", "p.yaml:1:17: product needs a value");
	parse_fails("use_cases: \"a\\nb\"\n", "p.yaml:1:12: use_case must be a single line");
	parse_fails("industry: [\n", "p.yaml:2:1: did not find expected node content while parsing a flow node");
}

/* Every value is checked as it comes in; a refused one leaves the prospect as it was. */
static void test_prospect_values_checked(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(refctl_prospect_set_activity(&f->p, "Site Visit"), 0);
	assert_string_equal(f->p.activity, "Site Visit");
	assert_int_equal(refctl_prospect_set_activity(&f->p, "golf"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "unknown activity 'golf' (expected one of reference-call, case-study, quote, video, "
			    "speaking, press, analyst, advisory-board, beta, referral, site-visit, social "
			    "or community)");
	assert_string_equal(f->p.activity, "Site Visit");
	assert_int_equal(refctl_prospect_set_activity(&f->p, NULL), 0);
	assert_null(f->p.activity);

	assert_int_equal(refctl_prospect_add(&f->p, REFCTL_CRIT_SEGMENT, "smb"), 0);
	assert_int_equal(refctl_prospect_add(&f->p, REFCTL_CRIT_SEGMENT, "huge"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "segment must be smb, mid-market or enterprise, not 'huge'");
	assert_int_equal(f->p.values[REFCTL_CRIT_SEGMENT].n, 1);
	assert_string_equal(f->p.values[REFCTL_CRIT_SEGMENT].v[0], "smb");
	/* single-valued criteria keep the last value */
	assert_int_equal(refctl_prospect_add(&f->p, REFCTL_CRIT_SEGMENT, "Mid Market"), 0);
	assert_int_equal(f->p.values[REFCTL_CRIT_SEGMENT].n, 1);
	assert_string_equal(f->p.values[REFCTL_CRIT_SEGMENT].v[0], "Mid Market");

	assert_int_equal(refctl_prospect_add(&f->p, REFCTL_CRIT_INDUSTRY, ""), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "industry needs a value");
	assert_int_equal(refctl_prospect_add(&f->p, REFCTL_CRIT_PRODUCT, "erp\ncrm"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "product must be a single line");
	assert_int_equal(f->p.values[REFCTL_CRIT_INDUSTRY].n, 0);
	assert_int_equal(f->p.values[REFCTL_CRIT_PRODUCT].n, 0);

	/* the matcher takes what they built */
	assert_int_equal(refctl_matcher_new(&f->m, f->cfg, &f->opts), 0);
}

/* The smoothed win rate, its percentage and its exact order. */
static void test_win_rate(void **state)
{
	(void)state;
	/* no history: 1/2 */
	assert_true(refctl_match_win_rate(0, 0) == 0.5);
	/* 3 won, 1 lost: 4/6 */
	assert_true(refctl_match_win_rate(3, 1) == 4.0 / 6.0);
	assert_int_equal(refctl_match_win_percent(0, 0), 50);
	assert_int_equal(refctl_match_win_percent(3, 1), 67);  /* 66.67 */
	assert_int_equal(refctl_match_win_percent(1, 1), 50);
	/* 0 won, 6 lost: 1/8 = 12.5%, half up to 13 (printf's %.0f would give 12) */
	assert_int_equal(refctl_match_win_percent(0, 6), 13);
	/* 2 won, 0 lost: 3/4 = 75% */
	assert_int_equal(refctl_match_win_percent(2, 0), 75);
	/* 1/2 (0 of 0) equals 2/4 (1 won, 1 lost) exactly; 3/5 beats 2/4 */
	assert_int_equal(refctl_match_win_cmp(0, 0, 1, 1), 0);
	assert_true(refctl_match_win_cmp(2, 1, 1, 1) < 0);
	assert_true(refctl_match_win_cmp(1, 1, 2, 1) > 0);
	/* large counts compare without overflow: 4000000001/4000000002 > 1/2 */
	assert_true(refctl_match_win_cmp(4000000000u, 0, 0, 0) < 0);
}

/* Files that did not load are in the result, in id order. */
static void test_unreadable_in_id_order(void **state)
{
	struct fixture *f = *state;

	start(f);
	refctl_matcher_add_unreadable(f->m, "advocates/b.yaml", "advocates/b.yaml:1:1: bad");
	refctl_matcher_add_unreadable(f->m, "advocates/a-2.yaml", "advocates/a-2.yaml:2:1: bad");
	refctl_matcher_add_unreadable(f->m, "advocates/a.yaml", "advocates/a.yaml:3:1: bad");
	add(f, "c", "");
	finish(f);
	assert_int_equal(f->r->nunreadable, 3);
	/* "a" before "a-2", as the ids sort (bytewise "a-2.yaml" would come first) */
	assert_string_equal(f->r->unreadable[0].file, "advocates/a.yaml");
	assert_string_equal(f->r->unreadable[0].error, "advocates/a.yaml:3:1: bad");
	assert_string_equal(f->r->unreadable[1].file, "advocates/a-2.yaml");
	assert_string_equal(f->r->unreadable[2].file, "advocates/b.yaml");
	assert_int_equal(f->r->nconsidered, 1);
}

/* Zero is the default limit (10); REFCTL_MATCH_NO_LIMIT keeps all. */
static void test_limit_default(void **state)
{
	struct fixture *f = *state;
	char id[16];

	for (int pass = 0; pass < 2; pass++) {
		f->opts.limit = pass ? REFCTL_MATCH_NO_LIMIT : 0;
		start(f);
		for (int i = 0; i < 12; i++) {
			snprintf(id, sizeof(id), "adv-%02d", i);
			add(f, id, "");
		}
		finish(f);
		assert_int_equal(f->r->nfit, 12);
		assert_int_equal(f->r->navailable, pass ? 12 : 10);
		refctl_match_result_free(f->r);
		f->r = NULL;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_relevance_and_partial_credit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_criteria, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aliases_and_weights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_min_relevance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_min_relevance_applies_to_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_at_risk_excluded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_at_risk_threshold_and_include, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contact_overdue_ranks_after_equals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_criteria, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tie_breaks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_excluded_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_excluded_not_kept_without_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_keeps_the_best, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prospect_parse, setup, teardown),
		cmocka_unit_test(test_prospect_errors),
		cmocka_unit_test_setup_teardown(test_prospect_values_checked, setup, teardown),
		cmocka_unit_test(test_win_rate),
		cmocka_unit_test_setup_teardown(test_unreadable_in_id_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_default, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
