/* Unit tests for lib/value.c: deals counted once per opportunity, and an
 * advocate's value against their own spend, on hand-computed fixtures. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/record.h"
#include "refctl/value.h"

static struct refctl_record *parse(const char *text)
{
	struct refctl_record *rec = NULL;
	if (refctl_record_parse(&rec, "advocates/ann.yaml", text, strlen(text), NULL) < 0)
		fail_msg("fixture does not parse: %s", refctl_error_last());
	return rec;
}

static struct refctl_period year(int y)
{
	struct refctl_period p = { refctl_date_from_ymd(y, 1, 1), refctl_date_from_ymd(y, 12, 31) };
	return p;
}

static void test_deals(void **state)
{
	struct refctl_deals *d = refctl_deals_new();
	(void)state;

	assert_int_equal(refctl_deals_cents(d), 0);
	assert_int_equal(refctl_deals_count(d), 0);
	refctl_deals_add(d, "OPP-1", 100);
	refctl_deals_add(d, "OPP-1", 300); /* once, at the largest */
	refctl_deals_add(d, "OPP-1", 200);
	refctl_deals_add(d, NULL, 50);     /* alone, each */
	refctl_deals_add(d, "", 50);
	refctl_deals_add(d, "OPP-2", -5);  /* never negative */
	assert_int_equal(refctl_deals_cents(d), 400);
	assert_int_equal(refctl_deals_count(d), 4);
	assert_true(refctl_deals_total(d) == 4.0);
	refctl_deals_clear(d);
	assert_int_equal(refctl_deals_cents(d), 0);
	refctl_deals_add(d, "OPP-1", INT64_MAX);
	refctl_deals_add(d, "OPP-9", 1); /* clamped, not wrapped */
	assert_int_equal(refctl_deals_cents(d), INT64_MAX);
	refctl_deals_free(d);
	refctl_deals_free(NULL);
}

static void test_advocate_value(void **state)
{
	/* OPP-1 in two won requests (500, 300) and a won referral (200): once, 500.
	 * OPP-2 lost; OPP-3 won in 2025 (outside); OPP-8 a won referral 150; a
	 * referral request won with no opportunity 70; an open referral 999.
	 * influenced 500; referrals 200 (OPP-1) + 150 + 70 = 420; created
	 * 500 + 150 + 70 = 720; ratio 720 / 360 = 2. */
	static const char yaml[] =
		"id: ann\nname: A\ncompany: C\nstatus: active\naccount_value: 360\n"
		"requests:\n"
		"- {id: ann/1, opened: 2026-01-01, activity: quote, status: completed, closed: 2026-02-01, outcome: won, deal_value: 500, opportunity: OPP-1}\n"
		"- {id: ann/2, opened: 2026-01-01, activity: quote, status: completed, closed: 2026-03-01, outcome: won, deal_value: 300, opportunity: OPP-1}\n"
		"- {id: ann/3, opened: 2026-01-01, activity: quote, status: completed, closed: 2026-03-01, outcome: lost, deal_value: 900, opportunity: OPP-2}\n"
		"- {id: ann/4, opened: 2025-01-01, activity: quote, status: completed, closed: 2025-12-31, outcome: won, deal_value: 800, opportunity: OPP-3}\n"
		"- {id: ann/5, opened: 2026-01-01, activity: referral, status: completed, closed: 2026-04-01, outcome: won, deal_value: 70}\n"
		"referrals:\n"
		"- {id: ann/260101-aaaaaaaa, opened: 2026-01-01, prospect: G, opportunity: OPP-1, status: won, closed: 2026-05-01, value: 200}\n"
		"- {id: ann/260101-bbbbbbbb, opened: 2026-01-01, prospect: H, opportunity: OPP-8, status: won, closed: 2026-05-01, value: 150}\n"
		"- {id: ann/260101-cccccccc, opened: 2026-01-01, prospect: I, status: open, value: 999}\n";
	struct refctl_record *rec = parse(yaml);
	struct refctl_period p = year(2026);
	struct refctl_advocate_value v;
	(void)state;

	refctl_advocate_value(&v, &rec->a, &p);
	assert_int_equal(v.influenced, 50000);
	assert_int_equal(v.referrals, 42000);
	assert_int_equal(v.created, 72000);
	assert_int_equal(v.ndeals, 3);
	assert_int_equal(v.account_value, 36000);
	assert_true(v.ratio == 2.0);
	p = year(2025);
	refctl_advocate_value(&v, &rec->a, &p);
	assert_int_equal(v.created, 80000);
	assert_int_equal(v.influenced, 80000);
	refctl_record_free(rec);
}

static void test_empty_denominators(void **state)
{
	struct refctl_record *rec;
	struct refctl_period p = year(2026);
	struct refctl_advocate_value v;
	(void)state;

	/* no account_value, or one of 0: null (NAN), not 0 */
	rec = parse("id: ann\nname: A\ncompany: C\nstatus: active\n");
	refctl_advocate_value(&v, &rec->a, &p);
	assert_int_equal(v.created, 0);
	assert_int_equal(v.account_value, REFCTL_MONEY_NONE);
	assert_true(isnan(v.ratio));
	refctl_record_free(rec);
	rec = parse("id: ann\nname: A\ncompany: C\nstatus: active\naccount_value: 0\n");
	refctl_advocate_value(&v, &rec->a, &p);
	assert_true(isnan(v.ratio));
	refctl_record_free(rec);
	/* a denominator but nothing created: 0 */
	rec = parse("id: ann\nname: A\ncompany: C\nstatus: active\naccount_value: 10\n");
	refctl_advocate_value(&v, &rec->a, &p);
	assert_true(v.ratio == 0.0);
	refctl_record_free(rec);
	assert_true(isnan(refctl_value_ratio(5, 0)));
	assert_true(isnan(refctl_value_ratio(5, REFCTL_MONEY_NONE)));
	assert_true(refctl_value_ratio(5, 2) == 2.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deals),
		cmocka_unit_test(test_advocate_value),
		cmocka_unit_test(test_empty_denominators),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
