/* Unit tests for lib/referral.c: ids, new referrals, the transitions, their
 * refusals and reward points, and the validation of the referrals list. */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/referral.h"

struct fx {
	struct refctl_config *cfg;
	struct refctl_record *rec;
	struct refctl_referral_result res;
	struct refctl_buf buf;
};

static refctl_date D(int y, int m, int d)
{
	return refctl_date_from_ymd(y, m, d);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->cfg = malloc(sizeof(*f->cfg));
	refctl_config_defaults(f->cfg);
	refctl_referral_result_init(&f->res);
	refctl_buf_init(&f->buf);
	refctl_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_config_free(f->cfg);
	refctl_record_free(f->rec);
	refctl_referral_result_release(&f->res);
	refctl_buf_release(&f->buf);
	free(f);
	return 0;
}

static const char ann[] = "id: ann\nname: Ann Lee\ncompany: Initech\nstatus: active\n";

static void load(struct fx *f, const char *text)
{
	refctl_record_free(f->rec);
	f->rec = NULL;
	assert_int_equal(refctl_record_parse(&f->rec, "advocates/ann.yaml", text, strlen(text), NULL), 0);
}

static const char *yaml(struct fx *f)
{
	refctl_buf_clear(&f->buf);
	assert_int_equal(refctl_record_format(&f->buf, f->rec), 0);
	return f->buf.ptr;
}

/* A new referral opened on 2026-11-02, today 2026-11-15; its id into id. */
static void new_referral(struct fx *f, char *id, size_t size, const char *value)
{
	struct refctl_referral_new_opts o = REFCTL_REFERRAL_NEW_OPTS_INIT;

	o.prospect = "Globex";
	o.contact = "Hank Scorpio";
	o.opportunity = "OPP-7";
	o.value = value;
	o.opened = D(2026, 11, 2);
	o.today = D(2026, 11, 15);
	assert_int_equal(refctl_referral_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	snprintf(id, size, "%s", f->res.id);
}

static int change(struct fx *f, enum refctl_referral_verb verb, const char *id, refctl_date date, const char *value)
{
	struct refctl_referral_change ch = REFCTL_REFERRAL_CHANGE_INIT;

	ch.verb = verb;
	ch.id = id;
	ch.date = date;
	ch.value = value;
	ch.today = D(2026, 11, 15);
	return refctl_referral_apply_change(&f->res, f->rec, f->cfg, &ch);
}

static void test_new(void **state)
{
	struct fx *f = *state;
	char id[REFCTL_REFERRAL_ID_MAX], expect[1024];
	regex_t re;

	load(f, ann);
	new_referral(f, id, sizeof(id), "80000");
	/* the date of the referral and 40 random bits in Crockford's base32 */
	assert_int_equal(regcomp(&re, "^ann/261102-[0-9a-hjkmnp-tv-z]{8}$", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regexec(&re, id, 0, NULL, 0), 0);
	regfree(&re);
	assert_int_equal(f->res.status, REFCTL_REF_OPEN);
	assert_string_equal(f->res.value.ptr, "80000");
	snprintf(expect, sizeof(expect), "refctl: referral %s of Globex", id);
	assert_string_equal(f->res.subject.ptr, expect);
	snprintf(expect, sizeof(expect),
		 "%sreferrals:\n- id: %s\n  opened: 2026-11-02\n  prospect: Globex\n  contact: Hank Scorpio\n"
		 "  opportunity: OPP-7\n  status: open\n  value: 80000\n",
		 ann, id);
	assert_string_equal(yaml(f), expect);
	/* the typed view */
	assert_int_equal(f->rec->a.nreferrals, 1);
	assert_int_equal(f->rec->a.referrals[0].value, 8000000);
	assert_int_equal(f->rec->a.referrals[0].opened, D(2026, 11, 2));
}

static void test_new_ids_differ(void **state)
{
	struct fx *f = *state;
	char a[REFCTL_REFERRAL_ID_MAX], b[REFCTL_REFERRAL_ID_MAX];

	load(f, ann);
	new_referral(f, a, sizeof(a), NULL);
	new_referral(f, b, sizeof(b), NULL);
	assert_string_not_equal(a, b);
	assert_int_equal(f->rec->a.nreferrals, 2);
}

static void test_new_refused(void **state)
{
	struct fx *f = *state;
	struct refctl_referral_new_opts o = REFCTL_REFERRAL_NEW_OPTS_INIT;

	load(f, ann);
	o.today = D(2026, 11, 15);
	assert_int_equal(refctl_referral_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "a referral needs a prospect");
	o.prospect = "";
	assert_int_equal(refctl_referral_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	o.prospect = "Two\nlines";
	assert_int_equal(refctl_referral_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "prospect must be a single line");
	o.prospect = "Globex";
	o.value = "-5";
	assert_int_equal(refctl_referral_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	o.value = NULL;
	o.opened = D(2026, 11, 16);
	assert_int_equal(refctl_referral_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "a referral cannot be opened on 2026-11-16: that is after today (2026-11-15)");
	assert_int_equal(f->rec->a.nreferrals, 0);
	assert_string_equal(yaml(f), ann);
}

static void test_qualify_then_won_no_approval(void **state)
{
	struct fx *f = *state;
	char id[REFCTL_REFERRAL_ID_MAX];

	load(f, ann);
	new_referral(f, id, sizeof(id), NULL);
	/* no points for qualifying by default */
	assert_int_equal(change(f, REFCTL_REFERRAL_QUALIFY, id, D(2026, 11, 5), NULL), 0);
	assert_int_equal(f->res.status, REFCTL_REF_QUALIFIED);
	assert_int_equal(f->res.points, 0);
	assert_int_equal(f->rec->a.referrals[0].qualified, D(2026, 11, 5));
	assert_int_equal(f->rec->a.nrewards, 0);
	/* won: 25 points by default, a reward naming the referral */
	assert_int_equal(change(f, REFCTL_REFERRAL_WON, id, D(2026, 11, 10), "120000.50"), 0);
	assert_int_equal(f->res.status, REFCTL_REF_WON);
	assert_int_equal(f->res.points, 25);
	assert_int_equal(f->res.balance, 25);
	assert_string_equal(f->res.value.ptr, "120000.50");
	assert_int_equal(f->rec->a.referrals[0].closed, D(2026, 11, 10));
	assert_int_equal(f->rec->a.referrals[0].value, 12000050);
	assert_int_equal(f->rec->a.nrewards, 1);
	assert_string_equal(f->rec->a.rewards[0].referral, id);
	assert_string_equal(f->rec->a.rewards[0].reason, "referral of Globex won");
	assert_int_equal(f->rec->a.rewards[0].date, D(2026, 11, 10));
	assert_null(f->rec->a.rewards[0].request);
	/* the won reward takes the referral's id: won on two branches, one reward once merged */
	assert_string_equal(f->rec->a.rewards[0].id, id);
}

static void test_won_straight_from_open(void **state)
{
	struct fx *f = *state;
	char id[REFCTL_REFERRAL_ID_MAX];

	load(f, ann);
	new_referral(f, id, sizeof(id), "500");
	assert_int_equal(change(f, REFCTL_REFERRAL_WON, id, REFCTL_DATE_NONE, NULL), 0);
	/* the value given at new stands; today is the default date */
	assert_string_equal(f->res.value.ptr, "500");
	assert_int_equal(f->rec->a.referrals[0].closed, D(2026, 11, 15));
	assert_int_equal(f->rec->a.referrals[0].qualified, REFCTL_DATE_NONE);
}

static void test_points_from_config(void **state)
{
	struct fx *f = *state;
	static const char cfg[] = "rewards:\n  referrals:\n    qualified: 5\n    won: 40\n";
	char id[REFCTL_REFERRAL_ID_MAX];

	refctl_config_free(f->cfg);
	assert_int_equal(refctl_config_parse(&f->cfg, "refctl.yaml", cfg, strlen(cfg)), 0);
	load(f, ann);
	new_referral(f, id, sizeof(id), NULL);
	assert_int_equal(change(f, REFCTL_REFERRAL_QUALIFY, id, REFCTL_DATE_NONE, NULL), 0);
	assert_int_equal(f->res.points, 5);
	assert_int_equal(change(f, REFCTL_REFERRAL_WON, id, REFCTL_DATE_NONE, NULL), 0);
	assert_int_equal(f->res.points, 40);
	assert_int_equal(f->res.balance, 45);
	/* two rewards for one referral: qualify's has an id of its own */
	assert_int_equal(f->rec->a.nrewards, 2);
	assert_string_not_equal(f->rec->a.rewards[0].id, id);
	assert_string_equal(f->rec->a.rewards[1].id, id);
	/* lost and cancelled referrals earn nothing */
	new_referral(f, id, sizeof(id), NULL);
	assert_int_equal(change(f, REFCTL_REFERRAL_LOST, id, REFCTL_DATE_NONE, NULL), 0);
	assert_int_equal(f->res.points, 0);
	assert_int_equal(f->res.balance, 45);
}

static void test_config_range(void **state)
{
	struct refctl_config *cfg = NULL;
	static const char bad[] = "rewards:\n  referrals:\n    won: -1\n";
	static const char unknown[] = "rewards:\n  referrals:\n    approved: 1\n";
	(void)state;

	assert_int_equal(refctl_config_parse(&cfg, "refctl.yaml", bad, strlen(bad)), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "refctl.yaml:3:10: rewards.referrals.won must be a whole number from 0 to 1000000");
	assert_int_equal(refctl_config_parse(&cfg, "refctl.yaml", unknown, strlen(unknown)), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "refctl.yaml:3:5: unknown setting 'rewards.referrals.approved'");
}

static void test_refusals(void **state)
{
	struct fx *f = *state;
	char id[REFCTL_REFERRAL_ID_MAX], msg[512];

	load(f, ann);
	new_referral(f, id, sizeof(id), NULL);
	assert_int_equal(change(f, REFCTL_REFERRAL_WON, id, D(2026, 11, 1), NULL), REFCTL_EINVALID);
	snprintf(msg, sizeof(msg), "cannot mark %s as won on 2026-11-01: it was opened on 2026-11-02", id);
	assert_string_equal(refctl_error_last(), msg);
	assert_int_equal(change(f, REFCTL_REFERRAL_QUALIFY, id, D(2026, 11, 16), NULL), REFCTL_EINVALID);
	snprintf(msg, sizeof(msg), "cannot qualify %s on 2026-11-16: that is after today (2026-11-15)", id);
	assert_string_equal(refctl_error_last(), msg);
	assert_int_equal(change(f, REFCTL_REFERRAL_QUALIFY, id, D(2026, 11, 8), NULL), 0);
	/* after qualifying: not before the qualified day */
	assert_int_equal(change(f, REFCTL_REFERRAL_LOST, id, D(2026, 11, 7), NULL), REFCTL_EINVALID);
	snprintf(msg, sizeof(msg), "cannot mark %s as lost on 2026-11-07: it was qualified on 2026-11-08", id);
	assert_string_equal(refctl_error_last(), msg);
	assert_int_equal(change(f, REFCTL_REFERRAL_QUALIFY, id, REFCTL_DATE_NONE, NULL), REFCTL_EREFUSED);
	snprintf(msg, sizeof(msg), "cannot qualify %s: it is qualified (only an open referral can be qualified)", id);
	assert_string_equal(refctl_error_last(), msg);
	assert_int_equal(change(f, REFCTL_REFERRAL_CANCEL, id, REFCTL_DATE_NONE, NULL), 0);
	assert_int_equal(change(f, REFCTL_REFERRAL_WON, id, REFCTL_DATE_NONE, NULL), REFCTL_EREFUSED);
	snprintf(msg, sizeof(msg), "cannot mark %s as won: it is cancelled (only an open or qualified referral can be won)", id);
	assert_string_equal(refctl_error_last(), msg);
	assert_int_equal(change(f, REFCTL_REFERRAL_WON, "ann/nope", REFCTL_DATE_NONE, NULL), REFCTL_ENOTFOUND);
	assert_string_equal(refctl_error_last(), "no referral 'ann/nope' in advocates/ann.yaml");
	assert_int_equal(change(f, REFCTL_REFERRAL_WON, "nope", REFCTL_DATE_NONE, NULL), REFCTL_EUSAGE);
	assert_int_equal(change(f, REFCTL_REFERRAL_WON, id, REFCTL_DATE_NONE, "1,5"), REFCTL_EINVALID);
}

static void test_id_parse(void **state)
{
	struct refctl_buf adv = REFCTL_BUF_INIT;
	(void)state;

	assert_int_equal(refctl_referral_id_parse(&adv, "acme-jane/261115-7kq2m9xd"), 0);
	assert_string_equal(adv.ptr, "acme-jane");
	assert_int_equal(refctl_referral_id_parse(NULL, "acme-jane"), REFCTL_EUSAGE);
	assert_int_equal(refctl_referral_id_parse(NULL, "/x"), REFCTL_EUSAGE);
	assert_int_equal(refctl_referral_id_parse(NULL, "Acme/x"), REFCTL_EUSAGE);
	assert_int_equal(refctl_referral_id_parse(NULL, "a/b/c"), REFCTL_EUSAGE);
	assert_int_equal(refctl_referral_id_parse(NULL, "a/"), REFCTL_EUSAGE);
	refctl_buf_release(&adv);
}

/* A file's first error, as validation words it. */
static const char *first_error(const char *text)
{
	static char msg[512];
	struct refctl_record *rec = NULL;

	if (refctl_record_parse(&rec, "advocates/ann.yaml", text, strlen(text), NULL) == 0) {
		refctl_record_free(rec);
		return "";
	}
	snprintf(msg, sizeof(msg), "%s", refctl_error_last());
	return msg;
}

static void test_validation(void **state)
{
	char text[2048];
	(void)state;

#define REF(rest) "id: ann\nname: A\ncompany: C\nstatus: active\nreferrals:\n- id: ann/261102-aaaaaaaa\n" \
		  "  opened: 2026-11-02\n  prospect: Globex\n" rest
	assert_string_equal(first_error(REF("  status: open\n")), "");
	assert_string_equal(first_error(REF("  status: won\n  closed: 2026-11-01\n")),
			    "advocates/ann.yaml:10:11: referrals[1]: closed before opened");
	assert_string_equal(first_error(REF("  status: won\n")),
			    "advocates/ann.yaml:9:11: referrals[1] is won but has no closed date");
	assert_string_equal(first_error(REF("  status: open\n  closed: 2026-11-03\n")),
			    "advocates/ann.yaml:10:11: referrals[1] is open but has a closed date");
	assert_string_equal(first_error(REF("  status: qualified\n")),
			    "advocates/ann.yaml:9:11: referrals[1] is qualified but has no qualified date");
	assert_string_equal(first_error(REF("  status: approved\n")),
			    "advocates/ann.yaml:9:11: referrals[1].status must be one of open, qualified, won, lost or cancelled, not 'approved'");
	assert_string_equal(first_error(REF("  status: open\n  value: lots\n")),
			    "advocates/ann.yaml:10:10: referrals[1].value must be an amount from 0 to 10000000000000 with at most two decimals");
	snprintf(text, sizeof(text), "%s", REF("  status: open\n- id: ann/261102-aaaaaaaa\n  opened: 2026-11-02\n"
					       "  prospect: Initech\n  status: open\n"));
	assert_string_equal(first_error(text), "advocates/ann.yaml:10:7: duplicate referrals id 'ann/261102-aaaaaaaa' (also on line 6)");
	assert_string_equal(first_error("id: ann\nname: A\ncompany: C\nstatus: active\nreferrals:\n- id: bob/1\n"
					"  opened: 2026-11-02\n  prospect: G\n  status: open\n"),
			    "advocates/ann.yaml:6:7: referrals[1].id must be ann/YYMMDD-XXXXXXXX, not 'bob/1'");
	assert_string_equal(first_error("id: ann\nname: A\ncompany: C\nstatus: active\nreferred_by: ann\n"),
			    "advocates/ann.yaml:5:14: referred_by names the advocate itself");
	assert_string_equal(first_error("id: ann\nname: A\ncompany: C\nstatus: active\nreferred_by: Bob Smith\n"),
			    "advocates/ann.yaml:5:14: referred_by must be an advocate's id, not 'Bob Smith'");
	assert_string_equal(first_error("id: ann\nname: A\ncompany: C\nstatus: active\nreferred_by: bob-smith\n"), "");
#undef REF
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_ids_differ, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qualify_then_won_no_approval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_won_straight_from_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_points_from_config, setup, teardown),
		cmocka_unit_test(test_config_range),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
