/* Availability: each hard rule, its reason text, and the boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/avail.h"
#include "refctl/buf.h"
#include "refctl/common.h"

static refctl_date day(const char *s)
{
	refctl_date d;
	assert_int_equal(refctl_date_parse(&d, s), 0);
	return d;
}

/* An active advocate "x" with extra YAML appended. */
static struct refctl_record *advocate(const char *extra)
{
	char text[4096];
	struct refctl_record *rec = NULL;

	snprintf(text, sizeof(text), "id: x\nname: X\ncompany: Acme Corp\nstatus: active\n%s", extra);
	if (refctl_record_parse(&rec, "advocates/x.yaml", text, strlen(text), NULL) < 0)
		fail_msg("fixture does not parse: %s", refctl_error_last());
	return rec;
}

/* The exclusions in words, as match and request show them. */
static const char *text(const struct refctl_availability *av)
{
	static char out[512];
	struct refctl_buf b = REFCTL_BUF_INIT;

	refctl_avail_exclusions_text(&b, av->exclusions, av->nexclusions);
	snprintf(out, sizeof(out), "%s", b.ptr);
	refctl_buf_release(&b);
	return out;
}

static void eval(struct refctl_availability *av, const char *extra, const char *today,
		 const char *activity, const struct refctl_config *cfg)
{
	struct refctl_record *rec = advocate(extra);
	struct refctl_avail_opts opts = REFCTL_AVAIL_OPTS_INIT;

	opts.today = day(today);
	opts.activity = activity;
	refctl_availability(av, &rec->a, cfg, &opts);
	refctl_record_free(rec);
}

static void test_available(void **state)
{
	struct refctl_availability av;
	(void)state;
	eval(&av, "", "2026-11-15", NULL, NULL);
	assert_int_equal(av.reasons, 0);
	assert_int_equal(av.nexclusions, 0);
	assert_string_equal(text(&av), "");
	assert_int_equal(av.quarter_used, 0);
	assert_int_equal(av.quarter_limit, 4);
	assert_int_equal(av.rest_days, 14);
	assert_int_equal(av.last_engaged, REFCTL_DATE_NONE);
	assert_int_equal(av.rest_until, REFCTL_DATE_NONE);
}

static void test_status(void **state)
{
	struct refctl_record *rec;
	struct refctl_avail_opts opts = REFCTL_AVAIL_OPTS_INIT;
	struct refctl_availability av;
	static const char *const texts[] = { "nominated", "paused", "retired" };
	(void)state;

	opts.today = day("2026-11-15");
	for (int i = 0; i < 3; i++) {
		char yaml[256];
		snprintf(yaml, sizeof(yaml), "id: x\nname: X\ncompany: C\nstatus: %s\n", texts[i]);
		assert_int_equal(refctl_record_parse(&rec, "advocates/x.yaml", yaml, strlen(yaml), NULL), 0);
		refctl_availability(&av, &rec->a, NULL, &opts);
		assert_int_equal(av.reasons, REFCTL_AVAIL_STATUS);
		assert_string_equal(text(&av), texts[i]);
		refctl_record_free(rec);
	}
}

static void test_consent(void **state)
{
	struct refctl_availability av;
	(void)state;
	/* the last day of consent is still fine */
	eval(&av, "consent:\n  until: 2026-11-15\n", "2026-11-15", NULL, NULL);
	assert_int_equal(av.reasons, 0);
	eval(&av, "consent:\n  until: 2026-11-14\n", "2026-11-15", NULL, NULL);
	assert_int_equal(av.reasons, REFCTL_AVAIL_CONSENT);
	assert_string_equal(text(&av), "consent expired 2026-11-14");
	/* consent with a scope but no date never expires */
	eval(&av, "consent:\n  scope: [logo]\n", "2026-11-15", NULL, NULL);
	assert_int_equal(av.reasons, 0);
}

static void test_willing(void **state)
{
	struct refctl_availability av;
	(void)state;
	eval(&av, "activities: [reference-call, quote]\n", "2026-11-15", "video", NULL);
	assert_int_equal(av.reasons, REFCTL_AVAIL_WILLING);
	assert_string_equal(text(&av), "not willing: video");
	eval(&av, "activities: [reference-call, quote]\n", "2026-11-15", "quote", NULL);
	assert_int_equal(av.reasons, 0);
	/* vocabulary comparison: case, space, '_' and '-' alike */
	eval(&av, "activities: [reference-call]\n", "2026-11-15", "Reference_Call", NULL);
	assert_int_equal(av.reasons, 0);
	/* no activity asked: no rule */
	eval(&av, "", "2026-11-15", NULL, NULL);
	assert_int_equal(av.reasons, 0);
	/* no activities at all: not willing to do anything */
	eval(&av, "", "2026-11-15", "quote", NULL);
	assert_int_equal(av.reasons, REFCTL_AVAIL_WILLING);
}

#define REQ(n, opened, status, closed) \
	"  - id: x/" #n "\n    opened: " opened "\n    activity: quote\n    status: " status "\n" closed

static const char four_in_q4[] =
	"requests:\n"
	REQ(1, "2026-09-30", "completed", "    closed: 2026-10-02\n")
	REQ(2, "2026-10-01", "completed", "    closed: 2026-10-02\n")
	REQ(3, "2026-10-05", "declined", "    closed: 2026-10-06\n")
	REQ(4, "2026-10-07", "cancelled", "    closed: 2026-10-08\n")
	REQ(5, "2026-10-09", "completed", "    closed: 2026-10-10\n")
	REQ(6, "2026-10-20", "scheduled", "")
	REQ(7, "2026-10-25", "requested", "");

static void test_quarter_limit(void **state)
{
	struct refctl_availability av;
	(void)state;
	/* Q4 2026 runs 2026-10-01 .. 2026-12-31: x/2, x/5, x/6, x/7 count
	 * (x/1 is in Q3, x/3 declined, x/4 cancelled): 4 of 4 */
	eval(&av, four_in_q4, "2026-11-15", NULL, NULL);
	assert_int_equal(av.quarter_used, 4);
	assert_int_equal(av.reasons, REFCTL_AVAIL_QUARTER);
	assert_string_equal(text(&av), "quarter limit 4/4");
	/* the last day of the quarter still counts them */
	eval(&av, four_in_q4, "2026-12-31", NULL, NULL);
	assert_int_equal(av.quarter_used, 4);
	assert_true(av.reasons & REFCTL_AVAIL_QUARTER);
	/* a new quarter starts from zero */
	eval(&av, four_in_q4, "2027-01-01", NULL, NULL);
	assert_int_equal(av.quarter_used, 0);
	assert_int_equal(av.reasons, 0);
}

static void test_quarter_boundary(void **state)
{
	static const char q3[] = "requests:\n"
		REQ(1, "2026-07-01", "completed", "    closed: 2026-07-02\n")
		REQ(2, "2026-08-01", "completed", "    closed: 2026-08-02\n")
		REQ(3, "2026-09-01", "completed", "    closed: 2026-09-02\n")
		REQ(4, "2026-09-10", "completed", "    closed: 2026-09-12\n");
	struct refctl_availability av;
	(void)state;
	/* 2026-09-30 is the last day of Q3: 4 of 4; rest is over (20 days) */
	eval(&av, q3, "2026-09-30", NULL, NULL);
	assert_int_equal(av.quarter_used, 4);
	assert_int_equal(av.reasons, REFCTL_AVAIL_QUARTER);
	/* 2026-10-01 is the first day of Q4: none */
	eval(&av, q3, "2026-10-01", NULL, NULL);
	assert_int_equal(av.quarter_used, 0);
	assert_int_equal(av.reasons, 0);
}

static void test_limits_precedence(void **state)
{
	struct refctl_config cfg;
	struct refctl_availability av;
	static const char two[] = "requests:\n"
		REQ(1, "2026-10-01", "completed", "    closed: 2026-10-02\n")
		REQ(2, "2026-10-02", "completed", "    closed: 2026-10-03\n");
	(void)state;

	refctl_config_defaults(&cfg);
	cfg.per_quarter = 2;
	cfg.rest_days = 30;
	/* the program's limit: 2/2; rest: 2026-10-02 + 30 days = 2026-11-01, over */
	eval(&av, two, "2026-11-15", NULL, &cfg);
	assert_int_equal(av.quarter_limit, 2);
	assert_int_equal(av.rest_days, 30);
	assert_int_equal(av.reasons, REFCTL_AVAIL_QUARTER);
	/* on 2026-10-20 still resting */
	eval(&av, two, "2026-10-20", NULL, &cfg);
	assert_string_equal(text(&av), "quarter limit 2/2; resting until 2026-11-01");
	/* the advocate's own limit wins over the program's */
	eval(&av, "limits:\n  per_quarter: 3\n  rest_days: 0\nrequests:\n"
		  REQ(1, "2026-10-01", "completed", "    closed: 2026-10-02\n")
		  REQ(2, "2026-10-02", "completed", "    closed: 2026-10-03\n"),
	     "2026-10-02", NULL, &cfg);
	assert_int_equal(av.quarter_limit, 3);
	assert_int_equal(av.rest_days, 0);
	assert_int_equal(av.reasons, 0);
	/* a limit of 0 excludes always */
	eval(&av, "limits:\n  per_quarter: 0\n", "2026-11-15", NULL, &cfg);
	assert_string_equal(text(&av), "quarter limit 0/0");
	free(cfg.program);
}

static void test_rest_days(void **state)
{
	struct refctl_availability av;
	static const char last[] = "requests:\n"
		REQ(1, "2026-11-01", "scheduled", "")
		REQ(2, "2026-11-10", "declined", "    closed: 2026-11-11\n");
	(void)state;
	/* the latest engagement is x/1 (x/2 was declined): 2026-11-01 + 14 = 2026-11-15 */
	eval(&av, last, "2026-11-15", NULL, NULL);
	assert_int_equal(av.last_engaged, day("2026-11-01"));
	assert_int_equal(av.rest_until, day("2026-11-15"));
	assert_int_equal(av.reasons, 0);
	/* 13 days since: resting */
	eval(&av, last, "2026-11-14", NULL, NULL);
	assert_int_equal(av.reasons, REFCTL_AVAIL_REST);
	assert_string_equal(text(&av), "resting until 2026-11-15");
}

static void test_company(void **state)
{
	struct refctl_record *rec = advocate("");
	struct refctl_avail_opts opts = REFCTL_AVAIL_OPTS_INIT;
	struct refctl_availability av;
	const char *const ex[] = { "Globex", "ACME corp" };
	(void)state;

	opts.today = day("2026-11-15");
	opts.exclude_companies = ex;
	opts.nexclude = 1;
	refctl_availability(&av, &rec->a, NULL, &opts);
	assert_int_equal(av.reasons, 0);
	opts.nexclude = 2;
	refctl_availability(&av, &rec->a, NULL, &opts);
	assert_int_equal(av.reasons, REFCTL_AVAIL_COMPANY);
	assert_string_equal(text(&av), "company excluded");
	refctl_record_free(rec);
}

static void test_at_risk(void **state)
{
	struct refctl_config *cfg = NULL;
	struct refctl_availability av;
	struct refctl_record *rec;
	struct refctl_avail_opts opts = REFCTL_AVAIL_OPTS_INIT;
	static const char yaml[] = "report:\n  at_risk_nps: 4\n  at_risk_contact_days: 30\n";
	(void)state;

	/* the program's defaults without settings: nps 6 and below */
	eval(&av, "nps: 6\n", "2026-11-15", NULL, NULL);
	assert_int_equal(av.reasons, REFCTL_AVAIL_AT_RISK);
	assert_string_equal(text(&av), "at risk: nps 6");
	eval(&av, "nps: 7\nhealth: yellow\n", "2026-11-15", NULL, NULL);
	assert_int_equal(av.reasons, 0);
	assert_string_equal(av.at_risk, "");
	eval(&av, "health: red\n", "2026-11-15", NULL, NULL);
	assert_string_equal(text(&av), "at risk: health red");
	/* refctl.yaml's threshold */
	assert_int_equal(refctl_config_parse(&cfg, "refctl.yaml", yaml, strlen(yaml)), 0);
	eval(&av, "nps: 5\n", "2026-11-15", NULL, cfg);
	assert_int_equal(av.reasons, 0);
	eval(&av, "nps: 4\nhealth: red\n", "2026-11-15", NULL, cfg);
	assert_string_equal(text(&av), "at risk: nps 4, health red");
	assert_string_equal(av.exclusions[0].detail, "nps 4, health red");
	/* lifted: available, the reason still said */
	rec = advocate("nps: 1\n");
	opts.today = day("2026-11-15");
	opts.include_at_risk = 1;
	refctl_availability(&av, &rec->a, cfg, &opts);
	assert_int_equal(av.reasons, 0);
	assert_string_equal(av.at_risk, "nps 1");
	refctl_record_free(rec);
	refctl_config_free(cfg);
}

static void test_contact(void **state)
{
	struct refctl_config *cfg = NULL;
	struct refctl_availability av;
	static const char yaml[] = "report:\n  at_risk_contact_days: 30\n";
	(void)state;

	eval(&av, "", "2026-11-15", NULL, NULL);
	assert_int_equal(av.contact_days, -1);
	assert_int_equal(av.contact_overdue, 0);
	assert_int_equal(av.contact_limit, 180);
	/* 180 days is the limit, 181 over it; never an exclusion */
	eval(&av, "last_contact: 2026-05-19\n", "2026-11-15", NULL, NULL);
	assert_int_equal(av.contact_days, 180);
	assert_int_equal(av.contact_overdue, 0);
	eval(&av, "last_contact: 2026-05-18\n", "2026-11-15", NULL, NULL);
	assert_int_equal(av.contact_days, 181);
	assert_int_equal(av.contact_overdue, 1);
	assert_int_equal(av.reasons, 0);
	/* a contact planned for a day to come is no contact yet */
	eval(&av, "last_contact: 2026-12-01\n", "2026-11-15", NULL, NULL);
	assert_int_equal(av.contact_days, -1);
	assert_int_equal(refctl_config_parse(&cfg, "refctl.yaml", yaml, strlen(yaml)), 0);
	eval(&av, "last_contact: 2026-10-15\n", "2026-11-15", NULL, cfg);
	assert_int_equal(av.contact_days, 31);
	assert_int_equal(av.contact_overdue, 1);
	assert_int_equal(av.contact_limit, 30);
	refctl_config_free(cfg);
}

/* A public activity needs consent.scope to name it; a private one does not. */
static void test_consent_scope(void **state)
{
	struct refctl_availability av;
	(void)state;

	eval(&av, "activities: [video, reference-call]\n", "2026-11-15", "video", NULL);
	assert_int_equal(av.reasons, REFCTL_AVAIL_SCOPE);
	assert_string_equal(text(&av), "no consent for video");
	assert_string_equal(refctl_avail_reason_name(REFCTL_AVAIL_SCOPE), "consent scope");
	eval(&av, "activities: [video]\nconsent:\n  scope: [name, video]\n", "2026-11-15", "video", NULL);
	assert_int_equal(av.reasons, 0);
	eval(&av, "activities: [video, reference-call]\nconsent:\n  scope: [name, logo]\n", "2026-11-15",
	     "reference-call", NULL);
	assert_int_equal(av.reasons, 0);
	eval(&av, "activities: [speaking]\nconsent:\n  scope: [name]\n", "2026-11-15", "speaking", NULL);
	assert_string_equal(text(&av), "no consent for speaking");
	assert_string_equal(refctl_avail_scope_needed("case-study"), "case-study");
	assert_string_equal(refctl_avail_scope_needed("social"), "social");
	assert_null(refctl_avail_scope_needed("quote"));
	assert_null(refctl_avail_scope_needed("reference-call"));
}

static void test_every_reason(void **state)
{
	char yaml[2048];
	struct refctl_record *rec;
	struct refctl_avail_opts opts = REFCTL_AVAIL_OPTS_INIT;
	struct refctl_availability av;
	const char *const ex[] = { "acme" };
	(void)state;

	snprintf(yaml, sizeof(yaml), "id: x\nname: X\ncompany: Acme\nstatus: paused\nnps: 2\n"
		 "consent:\n  until: 2026-09-30\nlimits:\n  per_quarter: 1\n%s",
		 "requests:\n" REQ(1, "2026-11-10", "requested", ""));
	assert_int_equal(refctl_record_parse(&rec, "advocates/x.yaml", yaml, strlen(yaml), NULL), 0);
	opts.today = day("2026-11-15");
	opts.activity = "video";
	opts.exclude_companies = ex;
	opts.nexclude = 1;
	refctl_availability(&av, &rec->a, NULL, &opts);
	/* every rule but the consent scope, which is only asked of the willing */
	assert_int_equal(av.reasons, ((1 << REFCTL_AVAIL_NREASONS) - 1) & ~REFCTL_AVAIL_SCOPE);
	assert_string_equal(text(&av), "paused; consent expired 2026-09-30; not willing: video; "
				     "quarter limit 1/1; resting until 2026-11-24; company excluded; at risk: nps 2");
	/* the structure behind the words: a code and its particular, in rule order */
	assert_int_equal(av.nexclusions, 7);
	assert_int_equal(av.exclusions[0].code, REFCTL_AVAIL_STATUS);
	assert_string_equal(av.exclusions[0].detail, "paused");
	assert_int_equal(av.exclusions[1].code, REFCTL_AVAIL_CONSENT);
	assert_string_equal(av.exclusions[1].detail, "2026-09-30");
	assert_int_equal(av.exclusions[2].code, REFCTL_AVAIL_WILLING);
	assert_string_equal(av.exclusions[2].detail, "video");
	assert_int_equal(av.exclusions[3].code, REFCTL_AVAIL_QUARTER);
	assert_string_equal(av.exclusions[3].detail, "1/1");
	assert_int_equal(av.exclusions[4].code, REFCTL_AVAIL_REST);
	assert_string_equal(av.exclusions[4].detail, "2026-11-24");
	assert_int_equal(av.exclusions[5].code, REFCTL_AVAIL_COMPANY);
	assert_string_equal(av.exclusions[5].detail, "");
	assert_int_equal(av.exclusions[6].code, REFCTL_AVAIL_AT_RISK);
	assert_string_equal(av.exclusions[6].detail, "nps 2");
	refctl_record_free(rec);
}

static void test_exclusion_text(void **state)
{
	struct refctl_avail_exclusion x[2] = { { REFCTL_AVAIL_REST, "2026-12-01" },
					       { REFCTL_AVAIL_STATUS, "retired" } };
	struct refctl_buf b = REFCTL_BUF_INIT;
	(void)state;

	refctl_avail_exclusion_text(&b, &x[0]);
	assert_string_equal(b.ptr, "resting until 2026-12-01");
	refctl_buf_clear(&b);
	refctl_avail_exclusions_text(&b, x, 2);
	assert_string_equal(b.ptr, "resting until 2026-12-01; retired");
	/* appended, and nothing for none */
	refctl_avail_exclusions_text(&b, x, 0);
	assert_string_equal(b.ptr, "resting until 2026-12-01; retired");
	refctl_buf_release(&b);
}

static void test_reason_names(void **state)
{
	(void)state;
	assert_string_equal(refctl_avail_reason_name(REFCTL_AVAIL_STATUS), "status");
	assert_string_equal(refctl_avail_reason_name(REFCTL_AVAIL_QUARTER), "quarter limit");
	assert_string_equal(refctl_avail_reason_name(REFCTL_AVAIL_REST), "resting");
	assert_string_equal(refctl_avail_reason_name(REFCTL_AVAIL_AT_RISK), "at risk");
	assert_string_equal(refctl_avail_reason_name(0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_available),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_consent),
		cmocka_unit_test(test_willing),
		cmocka_unit_test(test_quarter_limit),
		cmocka_unit_test(test_quarter_boundary),
		cmocka_unit_test(test_limits_precedence),
		cmocka_unit_test(test_rest_days),
		cmocka_unit_test(test_company),
		cmocka_unit_test(test_at_risk),
		cmocka_unit_test(test_contact),
		cmocka_unit_test(test_consent_scope),
		cmocka_unit_test(test_every_reason),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_exclusion_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
