/* Unit tests for lib/request.c and lib/reward.c: ids, the transition table,
 * new requests and their refusals, transitions, rewards, filters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/request.h"
#include "refctl/reward.h"

struct fx {
	struct refctl_config *cfg;
	struct refctl_record *rec;
	struct refctl_request_result res;
	struct refctl_buf buf, before;
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
	refctl_request_result_init(&f->res);
	refctl_buf_init(&f->buf);
	refctl_buf_init(&f->before);
	refctl_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_config_free(f->cfg);
	refctl_record_free(f->rec);
	refctl_request_result_release(&f->res);
	refctl_buf_release(&f->buf);
	refctl_buf_release(&f->before);
	free(f);
	return 0;
}

static const char ann[] =
	"id: ann\n"
	"name: Ann Lee\n"
	"company: Initech\n"
	"status: active\n"
	"account_owner: Dana Owner\n"
	"activities:\n"
	"- reference-call\n"
	"- case-study\n";

static void load(struct fx *f, const char *text)
{
	refctl_record_free(f->rec);
	f->rec = NULL;
	assert_int_equal(refctl_record_parse(&f->rec, "advocates/ann.yaml", text, strlen(text), NULL), 0);
}

/* The record as canonical YAML, in f->buf. */
static const char *yaml(struct fx *f)
{
	refctl_buf_clear(&f->buf);
	assert_int_equal(refctl_record_format(&f->buf, f->rec), 0);
	return f->buf.ptr;
}

static void remember(struct fx *f)
{
	refctl_buf_clear(&f->before);
	refctl_buf_puts(&f->before, yaml(f));
}

static void assert_unchanged(struct fx *f)
{
	assert_string_equal(yaml(f), f->before.ptr);
}

static struct refctl_request_new_opts new_opts(void)
{
	struct refctl_request_new_opts o = REFCTL_REQUEST_NEW_OPTS_INIT;
	o.advocate = "ann";
	o.prospect = "Globex";
	o.activity = "reference-call";
	o.requester = "Sam Rep";
	o.today = D(2026, 11, 15);
	return o;
}

static int change(struct fx *f, enum refctl_request_verb verb, const char *id, const char *fallback,
		  void (*tweak)(struct refctl_request_change *))
{
	struct refctl_request_change ch = REFCTL_REQUEST_CHANGE_INIT;
	ch.verb = verb;
	ch.id = id;
	ch.today = D(2026, 11, 15);
	if (tweak)
		tweak(&ch);
	return refctl_request_apply_change(&f->res, f->rec, f->cfg, &ch, fallback);
}

/* ---- ids and values ---- */

static void test_id_parse(void **state)
{
	struct fx *f = *state;
	unsigned long seq = 0;

	assert_int_equal(refctl_request_id_parse(&f->buf, &seq, "jurgen-muller-arzte-ag/3"), 0);
	assert_string_equal(f->buf.ptr, "jurgen-muller-arzte-ag");
	assert_int_equal(seq, 3);
	assert_int_equal(refctl_request_id_parse(NULL, &seq, "a/1000000000"), 0);
	assert_int_equal(seq, 1000000000UL);
	assert_int_equal(refctl_request_id_parse(&f->buf, &seq, "ann/261115-7kq2m9xd"), 0);
	assert_string_equal(f->buf.ptr, "ann");
	assert_int_equal(seq, 0);
	static const char *const bad[] = {
		"ann", "ann/", "/3", "ann/0", "ann/03", "ann/3x", "ann/-3", "Ann/3", "ann/1000000001",
		"ann/3/4", "-ann/3", "ann/ 3",
		/* the token: 6 digits, '-', 8 of Crockford's base32 in lowercase */
		"ann/261115-7kq2m9x", "ann/261115-7kq2m9xdd", "ann/26111-57kq2m9xd", "ann/261115_7kq2m9xd",
		"ann/261115-7kq2m9xi", "ann/261115-7kq2m9xl", "ann/261115-7kq2m9xo", "ann/261115-7kq2m9xu",
		"ann/261115-7KQ2M9XD", "ann/2611a5-7kq2m9xd",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(refctl_request_id_parse(NULL, NULL, bad[i]), REFCTL_EUSAGE);
		assert_non_null(strstr(refctl_error_last(),
				       "is not a request id (expected ADVOCATE/YYMMDD-XXXXXXXX or ADVOCATE/N"));
	}
}

/* ADVOCATE/YYMMDD-XXXXXXXX, 8 characters of 0-9 a-z less i l o u */
static int is_new_id(const char *id, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(id, prefix, n) || strlen(id) != n + 8)
		return 0;
	for (size_t i = n; i < n + 8; i++)
		if (!strchr("0123456789abcdefghjkmnpqrstvwxyz", id[i]))
			return 0;
	return 1;
}

static void test_next_id(void **state)
{
	struct fx *f = *state;
	char first[REFCTL_REQUEST_ID_MAX];
	refctl_date d;

	load(f, ann);
	refctl_date_parse(&d, "2026-11-15");
	assert_int_equal(refctl_request_next_id(&f->buf, &f->rec->a, d), 0);
	assert_true(is_new_id(f->buf.ptr, "ann/261115-"));
	snprintf(first, sizeof(first), "%s", f->buf.ptr);
	/* the opening day, not today, and not the file's other ids */
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nrequests:\n"
		"- {id: ann/2, opened: 2026-01-01, activity: quote, status: requested}\n"
		"- {id: ann/7, opened: 2026-01-02, activity: quote, status: requested}\n");
	refctl_date_parse(&d, "2027-01-09");
	assert_int_equal(refctl_request_next_id(&f->buf, &f->rec->a, d), 0);
	assert_true(is_new_id(f->buf.ptr, "ann/270109-"));
	refctl_date_parse(&d, "2026-11-15");
	assert_int_equal(refctl_request_next_id(&f->buf, &f->rec->a, d), 0);
	assert_string_not_equal(f->buf.ptr, first);
}

static void test_value_check(void **state)
{
	static const char *const good[] = { "0", "250000", "1250.50", "0.5", "99" };
	static const char *const bad[] = { "", "-1", "+1", "007", "1e5", "1,000", ".5", "5.", "1.2.3", "abc",
					   "0x10", " 1" };
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(refctl_request_value_check(good[i]), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(refctl_request_value_check(bad[i]), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "deal value must be an amount from 0 to 10000000000000 with at most two decimals, such as 250000 or 1250.50, not ' 1'");
}

/* ---- the transition table ---- */

static void test_transition_table(void **state)
{
	/* rows: verbs; columns: requested approved scheduled completed declined cancelled */
	static const struct {
		enum refctl_request_verb verb;
		const char *allowed;
	} table[] = {
		{ REFCTL_REQUEST_APPROVE, "100000" },
		{ REFCTL_REQUEST_SCHEDULE, "010000" },
		{ REFCTL_REQUEST_DECLINE, "110000" },
		{ REFCTL_REQUEST_CANCEL, "111000" },
		{ REFCTL_REQUEST_COMPLETE, "011000" },
		{ REFCTL_REQUEST_OUTCOME, "000100" },
	};
	(void)state;
	for (size_t v = 0; v < sizeof(table) / sizeof(table[0]); v++) {
		for (int st = REFCTL_REQ_REQUESTED; st <= REFCTL_REQ_CANCELLED; st++)
			assert_int_equal(refctl_request_verb_allowed(table[v].verb, st),
					 table[v].allowed[st - 1] == '1');
		assert_int_equal(refctl_request_verb_allowed(table[v].verb, 0), 0);
	}
	assert_string_equal(refctl_request_verb_name(REFCTL_REQUEST_SCHEDULE), "schedule");
	assert_string_equal(refctl_request_verb_from(REFCTL_REQUEST_CANCEL), "requested, approved or scheduled");
}

/* ---- new ---- */

static void test_new_appends(void **state)
{
	struct fx *f = *state;
	struct refctl_request_new_opts o = new_opts();
	char want[2048];

	load(f, ann);
	o.opportunity = "OPP-1";
	o.industry = "healthcare";
	o.region = "emea";
	o.product = "analytics";
	o.value = "250000";
	o.activity = "Reference Call"; /* vocabulary: case and spaces do not matter */
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	assert_true(is_new_id(f->res.id, "ann/261115-"));
	assert_int_equal(f->res.status, REFCTL_REQ_REQUESTED);
	assert_int_equal(f->res.forced, 0);
	assert_int_equal(f->res.nexclusions, 0);
	snprintf(want, sizeof(want), "refctl: request %s for Globex (reference-call)", f->res.id);
	assert_string_equal(f->res.subject.ptr, want);
	assert_string_equal(f->res.body.ptr, "");
	snprintf(want, sizeof(want),
			    "id: ann\n"
			    "name: Ann Lee\n"
			    "company: Initech\n"
			    "status: active\n"
			    "account_owner: Dana Owner\n"
			    "activities:\n"
			    "- reference-call\n"
			    "- case-study\n"
			    "requests:\n"
			    "- id: %s\n"
			    "  opened: 2026-11-15\n"
			    "  requester: Sam Rep\n"
			    "  prospect: Globex\n"
			    "  opportunity: OPP-1\n"
			    "  industry: healthcare\n"
			    "  region: emea\n"
			    "  product: analytics\n"
			    "  activity: reference-call\n"
			    "  status: requested\n"
			    "  deal_value: 250000\n", f->res.id);
	assert_string_equal(yaml(f), want);
	assert_int_equal(f->rec->a.nrequests, 1);
	assert_true(f->rec->a.requests[0].deal_value == 25000000); /* cents */
}

static void test_new_into_empty_lists(void **state)
{
	struct fx *f = *state;
	struct refctl_request_new_opts o = new_opts();
	long bal;

	char want[512];

	/* "requests:" and "rewards:" with no value are empty lists */
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nactivities: [reference-call]\n"
		"requests:\nrewards:\n");
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	assert_true(is_new_id(f->res.id, "ann/261115-"));
	snprintf(want, sizeof(want), "requests:\n- id: %s\n", f->res.id);
	assert_non_null(strstr(yaml(f), want));
	assert_int_equal(refctl_reward_apply(&bal, f->rec, 5, "survey", NULL, D(2026, 11, 15)), 0);
	assert_int_equal(bal, 5);
	/* a reward of its own gets an id of its own */
	assert_true(is_new_id(f->rec->a.rewards[0].id, "ann/261115-"));
	assert_string_not_equal(f->rec->a.rewards[0].id, f->res.id);
	snprintf(want, sizeof(want), "rewards:\n- id: %s\n  date: 2026-11-15\n  points: 5\n  reason: survey\n",
		 f->rec->a.rewards[0].id);
	assert_non_null(strstr(yaml(f), want));
}

static void test_new_date_and_quoting(void **state)
{
	struct fx *f = *state;
	struct refctl_request_new_opts o = new_opts();

	load(f, ann);
	o.prospect = "1984"; /* a string that looks like a number stays a string */
	o.opened = D(2026, 10, 2);
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	assert_non_null(strstr(yaml(f), "  opened: 2026-10-02\n  requester: Sam Rep\n  prospect: \"1984\"\n"));
}

static void test_new_refusals(void **state)
{
	static const struct {
		const char *extra;   /* appended to the advocate */
		const char *status;  /* replaces active */
		const char *activity;
		const char *text;
	} cases[] = {
		{ "", "paused", "reference-call", "paused" },
		{ "consent:\n  until: 2026-11-14\n", "active", "reference-call", "consent expired 2026-11-14" },
		{ "", "active", "video", "not willing: video" },
		/* 2 engagements this quarter (Q4: October to December) with a limit of 2;
		 * the declined one does not count; rest days 0 so only the limit applies */
		{ "limits:\n  per_quarter: 2\n  rest_days: 0\nrequests:\n"
		  "- {id: ann/1, opened: 2026-10-01, activity: quote, status: completed, closed: 2026-10-02}\n"
		  "- {id: ann/2, opened: 2026-10-05, activity: quote, status: declined, closed: 2026-10-06}\n"
		  "- {id: ann/3, opened: 2026-11-01, activity: quote, status: requested}\n",
		  "active", "reference-call", "quarter limit 2/2" },
		/* latest engagement 2026-11-05 + 14 rest days = 2026-11-19 > 2026-11-15 */
		{ "requests:\n- {id: ann/1, opened: 2026-11-05, activity: quote, status: requested}\n", "active",
		  "reference-call", "resting until 2026-11-19" },
		{ "", "retired", "video", "retired; not willing: video" },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct refctl_request_new_opts o = new_opts();
		char text[1024], msg[512];
		snprintf(text, sizeof(text),
			 "id: ann\nname: Ann Lee\ncompany: Initech\nstatus: %s\nactivities: [reference-call, quote]\n%s",
			 cases[i].status, cases[i].extra);
		load(f, text);
		remember(f);
		o.activity = cases[i].activity;
		assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EREFUSED);
		snprintf(msg, sizeof(msg),
			 "ann is not available for %s: %s (--force with -m REASON records the request anyway)",
			 cases[i].activity, cases[i].text);
		assert_string_equal(refctl_error_last(), msg);
		/* the refusal's rules, as a structure too */
		assert_true(f->res.nexclusions > 0);
		assert_int_equal(f->res.forced, 0);
		assert_unchanged(f);
	}
	/* the last: retired and not willing, in rule order */
	assert_int_equal(f->res.nexclusions, 2);
	assert_int_equal(f->res.exclusions[0].code, REFCTL_AVAIL_STATUS);
	assert_string_equal(f->res.exclusions[0].detail, "retired");
	assert_int_equal(f->res.exclusions[1].code, REFCTL_AVAIL_WILLING);
	assert_string_equal(f->res.exclusions[1].detail, "video");
}

static void test_new_limits_from_config(void **state)
{
	struct fx *f = *state;
	struct refctl_request_new_opts o = new_opts();

	/* the program's limit of 1 a quarter, rest 0: one engagement in Q4 is enough */
	f->cfg->per_quarter = 1;
	f->cfg->rest_days = 0;
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nactivities: [reference-call]\nrequests:\n"
		"- {id: ann/1, opened: 2026-10-01, activity: reference-call, status: requested}\n");
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EREFUSED);
	assert_non_null(strstr(refctl_error_last(), "quarter limit 1/1"));
	/* opened in the next quarter, the same request is fine: rules apply as of opened */
	o.opened = D(2027, 1, 4);
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	assert_true(is_new_id(f->res.id, "ann/270104-"));
}

static void test_new_backdated(void **state)
{
	struct fx *f = *state;
	struct refctl_request_new_opts o = new_opts();

	/* a request recorded after the fact is judged as of today: the later
	 * engagement on 2026-11-10 with 0 rest days does not make 2026-11-02 "resting" */
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nactivities: [reference-call]\n"
		"limits: {rest_days: 0}\nrequests:\n"
		"- {id: ann/1, opened: 2026-11-10, activity: reference-call, status: requested}\n");
	o.opened = D(2026, 11, 2);
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	assert_true(is_new_id(f->res.id, "ann/261102-"));
}

static void test_new_force(void **state)
{
	struct fx *f = *state;
	struct refctl_request_new_opts o = new_opts();
	char want[256];

	load(f, "id: ann\nname: A\ncompany: C\nstatus: paused\nactivities: [reference-call]\n");
	o.force = 1;
	o.reason = "the CEO asked for her";
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	assert_int_equal(f->res.forced, 1);
	assert_int_equal(f->res.nexclusions, 1);
	assert_int_equal(f->res.exclusions[0].code, REFCTL_AVAIL_STATUS);
	assert_string_equal(f->res.exclusions[0].detail, "paused");
	snprintf(want, sizeof(want), "refctl: request %s for Globex (reference-call), forced", f->res.id);
	assert_string_equal(f->res.subject.ptr, want);
	assert_string_equal(f->res.body.ptr, "Forced past the availability rules: paused\n");
	assert_non_null(strstr(yaml(f), "  status: requested\n  forced: true\n  reason: the CEO asked for her\n"));
	assert_int_equal(f->rec->a.requests[0].forced, 1);

	/* forcing an available advocate records nothing special */
	load(f, ann);
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	assert_int_equal(f->res.forced, 0);
	assert_int_equal(f->res.nexclusions, 0);
	assert_null(strstr(yaml(f), "forced"));
	assert_null(strstr(yaml(f), "reason"));
}

static void test_new_bad_input(void **state)
{
	struct fx *f = *state;
	struct refctl_request_new_opts o;

	load(f, ann);
	remember(f);
	o = new_opts();
	o.activity = "webinar";
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	assert_non_null(strstr(refctl_error_last(), "unknown activity 'webinar' (expected one of reference-call, "));
	o = new_opts();
	o.prospect = "";
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "a request needs a prospect");
	/* not given at all is bad usage rather than a bad value */
	o = new_opts();
	o.requester = NULL;
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "a request needs a requester");
	o = new_opts();
	o.activity = NULL;
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "a request needs an activity");
	/* force needs a reason */
	o = new_opts();
	o.force = 1;
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "forcing a request needs a reason");
	o.reason = "";
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "forcing a request needs a reason");
	o = new_opts();
	o.product = "two\nlines";
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "product must be a single line");
	o = new_opts();
	o.value = "1,000";
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), REFCTL_EINVALID);
	assert_unchanged(f);
}

/* ---- transitions ---- */

static const char lifecycle[] =
	"id: ann\n"
	"name: Ann Lee\n"
	"company: Initech\n"
	"status: active\n"
	"account_owner: Dana Owner\n"
	"activities: [reference-call, case-study]\n"
	"requests:\n"
	"- {id: ann/1, opened: 2026-11-01, requester: Sam, prospect: Globex, activity: reference-call, status: requested}\n"
	"- {id: ann/2, opened: 2026-11-02, prospect: Acme, activity: case-study, status: approved, approved_by: Dana}\n"
	"- {id: ann/3, opened: 2026-11-03, prospect: Umbrella, activity: reference-call, status: scheduled, approved_by: Dana, scheduled: 2026-11-20, deal_value: 90000}\n"
	"- {id: ann/4, opened: 2026-10-01, prospect: Hooli, activity: reference-call, status: completed, approved_by: Dana, closed: 2026-10-10}\n"
	"- {id: ann/5, opened: 2026-10-01, prospect: Vandelay, activity: quote, status: declined, closed: 2026-10-02, reason: busy}\n"
	"- {id: ann/6, opened: 2026-10-01, prospect: Soylent, activity: quote, status: cancelled, closed: 2026-10-02, reason: lost deal}\n";

static void date_nov20(struct refctl_request_change *ch)
{
	ch->date = refctl_date_from_ymd(2026, 11, 20);
}

static void test_approve(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	assert_int_equal(change(f, REFCTL_REQUEST_APPROVE, "ann/1", "Git User", NULL), 0);
	assert_int_equal(f->res.status, REFCTL_REQ_APPROVED);
	/* the account owner comes before the git user */
	assert_string_equal(f->res.approved_by.ptr, "Dana Owner");
	assert_string_equal(f->res.subject.ptr, "refctl: approve ann/1 by Dana Owner");
	assert_non_null(strstr(yaml(f), "  status: approved\n  approved_by: Dana Owner\n"));
}

static void by_lee(struct refctl_request_change *ch)
{
	ch->by = "Lee Manager";
}

static void test_approve_approver(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	assert_int_equal(change(f, REFCTL_REQUEST_APPROVE, "ann/1", "Git User", by_lee), 0);
	assert_string_equal(f->res.approved_by.ptr, "Lee Manager");
	/* without an account owner: the git user */
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nrequests:\n"
		"- {id: ann/1, opened: 2026-11-01, activity: quote, status: requested}\n");
	assert_int_equal(change(f, REFCTL_REQUEST_APPROVE, "ann/1", "Git User", NULL), 0);
	assert_string_equal(f->res.approved_by.ptr, "Git User");
	/* and without either: an error naming the way out */
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nrequests:\n"
		"- {id: ann/1, opened: 2026-11-01, activity: quote, status: requested}\n");
	remember(f);
	assert_int_equal(change(f, REFCTL_REQUEST_APPROVE, "ann/1", NULL, NULL), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "who approves ann/1? advocates/ann.yaml names no account_owner and git has no user.name: use --by NAME");
	assert_unchanged(f);
}

static void test_schedule(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	assert_int_equal(change(f, REFCTL_REQUEST_SCHEDULE, "ann/2", NULL, date_nov20), 0);
	assert_int_equal(f->res.status, REFCTL_REQ_SCHEDULED);
	assert_string_equal(f->res.subject.ptr, "refctl: schedule ann/2 for 2026-11-20");
	assert_non_null(strstr(yaml(f), "  status: scheduled\n  approved_by: Dana\n  scheduled: 2026-11-20\n"));
}

static void date_oct1(struct refctl_request_change *ch)
{
	ch->date = refctl_date_from_ymd(2026, 10, 1);
}

static void test_schedule_before_opened(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	remember(f);
	assert_int_equal(change(f, REFCTL_REQUEST_SCHEDULE, "ann/2", NULL, date_oct1), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "cannot schedule ann/2 on 2026-10-01: it was opened on 2026-11-02");
	assert_unchanged(f);
}

static void reason_busy(struct refctl_request_change *ch)
{
	ch->reason = "advocate is on leave";
}

static void reason_empty(struct refctl_request_change *ch)
{
	ch->reason = "";
}

static void test_decline_cancel(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	assert_int_equal(change(f, REFCTL_REQUEST_DECLINE, "ann/2", NULL, reason_busy), 0);
	assert_int_equal(f->res.status, REFCTL_REQ_DECLINED);
	assert_string_equal(f->res.subject.ptr, "refctl: decline ann/2: advocate is on leave");
	assert_non_null(strstr(yaml(f), "  status: declined\n  approved_by: Dana\n  closed: 2026-11-15\n"
					"  reason: advocate is on leave\n"));
	assert_int_equal(change(f, REFCTL_REQUEST_CANCEL, "ann/3", NULL, reason_busy), 0);
	assert_int_equal(f->res.status, REFCTL_REQ_CANCELLED);
	assert_string_equal(f->res.subject.ptr, "refctl: cancel ann/3: advocate is on leave");
	/* a cancelled request keeps the date it was scheduled for */
	assert_non_null(strstr(yaml(f), "  status: cancelled\n  approved_by: Dana\n  scheduled: 2026-11-20\n"
					"  closed: 2026-11-15\n"));
	/* a reason not given is bad usage, an empty one a bad value */
	assert_int_equal(change(f, REFCTL_REQUEST_CANCEL, "ann/1", NULL, NULL), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "cancelling ann/1 needs a reason");
	assert_int_equal(change(f, REFCTL_REQUEST_DECLINE, "ann/1", NULL, reason_empty), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "declining ann/1 needs a reason");
}

static void test_cancel_future_request(void **state)
{
	struct fx *f = *state;

	/* planned for 2026-12-01, cancelled on 2026-11-15: closed on the day it was to open */
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nrequests:\n"
		"- {id: ann/1, opened: 2026-12-01, activity: quote, status: requested}\n");
	assert_int_equal(change(f, REFCTL_REQUEST_CANCEL, "ann/1", NULL, reason_busy), 0);
	assert_non_null(strstr(yaml(f), "  status: cancelled\n  closed: 2026-12-01\n"));
}

static void test_decline_keeps_forced_reason(void **state)
{
	struct fx *f = *state;

	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nrequests:\n"
		"- {id: ann/1, opened: 2026-11-01, activity: quote, status: requested, forced: true, "
		"reason: CEO asked, notes: call before 10}\n");
	assert_int_equal(change(f, REFCTL_REQUEST_DECLINE, "ann/1", NULL, reason_busy), 0);
	assert_non_null(strstr(yaml(f), "  forced: true\n  reason: advocate is on leave\n"
					"  notes: |-\n    call before 10\n    forced: CEO asked\n"));
}

static void complete_won(struct refctl_request_change *ch)
{
	ch->today = refctl_date_from_ymd(2026, 11, 20);
	ch->date = refctl_date_from_ymd(2026, 11, 20);
	ch->outcome = REFCTL_OUTCOME_WON;
	ch->value = "250000";
}

static void test_complete_awards_points(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	assert_int_equal(change(f, REFCTL_REQUEST_COMPLETE, "ann/3", NULL, complete_won), 0);
	assert_int_equal(f->res.status, REFCTL_REQ_COMPLETED);
	assert_int_equal(f->res.outcome, REFCTL_OUTCOME_WON);
	/* reference-call: 10 points by default; no rewards before, so the balance is 10 */
	assert_int_equal(f->res.points, 10);
	assert_int_equal(f->res.balance, 10);
	assert_string_equal(f->res.value.ptr, "250000");
	assert_string_equal(f->res.subject.ptr, "refctl: complete ann/3: won 250000");
	assert_string_equal(f->res.body.ptr, "Awarded 10 points for the reference-call.\n");
	assert_non_null(strstr(yaml(f), "  status: completed\n  approved_by: Dana\n  scheduled: 2026-11-20\n"
					"  closed: 2026-11-20\n  outcome: won\n  deal_value: 250000\n"));
	/* the reward takes the request's id */
	assert_non_null(strstr(yaml(f), "rewards:\n- id: ann/3\n  date: 2026-11-20\n  points: 10\n"
					"  reason: reference-call for Umbrella\n  request: ann/3\n"));

	/* case-study from approved, configured at 70 points: 10 + 70 = 80 */
	f->cfg->points[1] = 70; /* refctl_activities[1] is case-study */
	assert_int_equal(change(f, REFCTL_REQUEST_COMPLETE, "ann/2", NULL, NULL), 0);
	assert_int_equal(f->res.points, 70);
	assert_int_equal(f->res.balance, 80);
	assert_int_equal(f->res.outcome, 0);
	assert_string_equal(f->res.subject.ptr, "refctl: complete ann/2");
	assert_int_equal(f->rec->a.nrewards, 2);
}

static void test_complete_zero_points(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	f->cfg->points[0] = 0; /* reference-call */
	assert_int_equal(change(f, REFCTL_REQUEST_COMPLETE, "ann/3", NULL, NULL), 0);
	assert_int_equal(f->res.points, 0);
	assert_string_equal(f->res.body.ptr, "");
	assert_null(strstr(yaml(f), "rewards:"));
	/* the scheduled request's value from `new` shows in the subject once it has an outcome */
}

static void outcome_open(struct refctl_request_change *ch)
{
	ch->outcome = REFCTL_OUTCOME_OPEN;
}

static void test_complete_value_from_new(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	assert_int_equal(change(f, REFCTL_REQUEST_COMPLETE, "ann/3", NULL, outcome_open), 0);
	assert_string_equal(f->res.subject.ptr, "refctl: complete ann/3: open 90000");
	assert_string_equal(f->res.value.ptr, "90000");
}

static void date_oct31(struct refctl_request_change *ch)
{
	ch->date = refctl_date_from_ymd(2026, 10, 31);
}

static void test_complete_before_opened(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	remember(f);
	assert_int_equal(change(f, REFCTL_REQUEST_COMPLETE, "ann/3", NULL, date_oct31), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "cannot complete ann/3 on 2026-10-31: it was opened on 2026-11-03");
	assert_unchanged(f);
}

static void outcome_lost(struct refctl_request_change *ch)
{
	ch->outcome = REFCTL_OUTCOME_LOST;
}

static void outcome_won_120k(struct refctl_request_change *ch)
{
	ch->outcome = REFCTL_OUTCOME_WON;
	ch->value = "120000";
}

static void test_outcome(void **state)
{
	struct fx *f = *state;

	load(f, lifecycle);
	assert_int_equal(change(f, REFCTL_REQUEST_OUTCOME, "ann/4", NULL, outcome_won_120k), 0);
	assert_int_equal(f->res.changed, 1);
	assert_string_equal(f->res.subject.ptr, "refctl: outcome ann/4: won 120000");
	assert_non_null(strstr(yaml(f), "  closed: 2026-10-10\n  outcome: won\n  deal_value: 120000\n"));
	/* the same again changes nothing */
	assert_int_equal(change(f, REFCTL_REQUEST_OUTCOME, "ann/4", NULL, outcome_won_120k), 0);
	assert_int_equal(f->res.changed, 0);
	/* a correction keeps the value */
	assert_int_equal(change(f, REFCTL_REQUEST_OUTCOME, "ann/4", NULL, outcome_lost), 0);
	assert_string_equal(f->res.subject.ptr, "refctl: outcome ann/4: lost 120000");
	/* no points for an outcome */
	assert_int_equal(f->res.points, 0);
	assert_null(strstr(yaml(f), "rewards:"));
	/* open is not an outcome to record later */
	assert_int_equal(change(f, REFCTL_REQUEST_OUTCOME, "ann/4", NULL, outcome_open), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "the outcome of ann/4 must be won or lost, not 'open'");
	/* and some outcome is needed */
	assert_int_equal(change(f, REFCTL_REQUEST_OUTCOME, "ann/4", NULL, NULL), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "recording the outcome of ann/4 needs won or lost");
}

/* What each verb needs: the refusals come after the input is found well-formed. */
static void every_input(struct refctl_request_change *ch)
{
	ch->date = refctl_date_from_ymd(2026, 11, 20);
	ch->reason = "busy";
	ch->outcome = REFCTL_OUTCOME_WON;
}

static void test_refused_transitions(void **state)
{
	/* every transition the table does not allow, and its message */
	static const struct {
		enum refctl_request_verb verb;
		const char *id;
		const char *message;
	} cases[] = {
		{ REFCTL_REQUEST_APPROVE, "ann/2", "cannot approve ann/2: it is approved (only a requested request can be approved)" },
		{ REFCTL_REQUEST_APPROVE, "ann/4", "cannot approve ann/4: it is completed (only a requested request can be approved)" },
		{ REFCTL_REQUEST_SCHEDULE, "ann/1", "cannot schedule ann/1: it is requested (only an approved request can be scheduled)" },
		{ REFCTL_REQUEST_SCHEDULE, "ann/3", "cannot schedule ann/3: it is scheduled (only an approved request can be scheduled)" },
		{ REFCTL_REQUEST_DECLINE, "ann/3", "cannot decline ann/3: it is scheduled (only a requested or approved request can be declined)" },
		{ REFCTL_REQUEST_DECLINE, "ann/5", "cannot decline ann/5: it is declined (only a requested or approved request can be declined)" },
		{ REFCTL_REQUEST_CANCEL, "ann/4", "cannot cancel ann/4: it is completed (only a requested, approved or scheduled request can be cancelled)" },
		{ REFCTL_REQUEST_CANCEL, "ann/6", "cannot cancel ann/6: it is cancelled (only a requested, approved or scheduled request can be cancelled)" },
		{ REFCTL_REQUEST_COMPLETE, "ann/1", "cannot complete ann/1: it is requested (only an approved or scheduled request can be completed)" },
		{ REFCTL_REQUEST_COMPLETE, "ann/5", "cannot complete ann/5: it is declined (only an approved or scheduled request can be completed)" },
		{ REFCTL_REQUEST_OUTCOME, "ann/3", "cannot record the outcome of ann/3: it is scheduled, not completed (complete it first)" },
	};
	struct fx *f = *state;

	load(f, lifecycle);
	remember(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(change(f, cases[i].verb, cases[i].id, "Git User", every_input), REFCTL_EREFUSED);
		assert_string_equal(refctl_error_last(), cases[i].message);
	}
	assert_unchanged(f);
	assert_int_equal(change(f, REFCTL_REQUEST_APPROVE, "ann/9", NULL, NULL), REFCTL_ENOTFOUND);
	assert_string_equal(refctl_error_last(), "no request 'ann/9' in advocates/ann.yaml");
}

/* ---- rewards ---- */

static void test_reward(void **state)
{
	struct fx *f = *state;
	long bal = -1;
	char want[512];

	load(f, ann);
	assert_int_equal(refctl_reward_apply(&bal, f->rec, 30, "spoke at the summit", NULL, D(2026, 11, 15)), 0);
	assert_int_equal(bal, 30);
	assert_int_equal(refctl_reward_apply(&bal, f->rec, -20, "gift card", NULL, D(2026, 11, 16)), 0);
	assert_int_equal(bal, 10);
	assert_true(is_new_id(f->rec->a.rewards[0].id, "ann/261115-"));
	assert_true(is_new_id(f->rec->a.rewards[1].id, "ann/261116-"));
	snprintf(want, sizeof(want),
		 "rewards:\n- id: %s\n  date: 2026-11-15\n  points: 30\n  reason: spoke at the summit\n"
		 "- id: %s\n  date: 2026-11-16\n  points: -20\n  reason: gift card\n",
		 f->rec->a.rewards[0].id, f->rec->a.rewards[1].id);
	assert_non_null(strstr(yaml(f), want));
	remember(f);
	/* 10 left: redeeming 11 is refused, nothing written */
	assert_int_equal(refctl_reward_apply(&bal, f->rec, -11, "mug", NULL, D(2026, 11, 16)), REFCTL_EREFUSED);
	assert_string_equal(refctl_error_last(), "cannot redeem 11 points: ann has a balance of 10 points");
	assert_unchanged(f);
	/* exactly the balance is fine */
	assert_int_equal(refctl_reward_apply(&bal, f->rec, -10, "mug", NULL, D(2026, 11, 16)), 0);
	assert_int_equal(bal, 0);
	assert_int_equal(refctl_reward_apply(&bal, f->rec, -1, "pen", NULL, D(2026, 11, 16)), REFCTL_EREFUSED);
	assert_string_equal(refctl_error_last(), "cannot redeem 1 points: ann has a balance of 0 points");
}

static void test_reward_bad_input(void **state)
{
	struct fx *f = *state;

	load(f, ann);
	remember(f);
	assert_int_equal(refctl_reward_apply(NULL, f->rec, 0, "x", NULL, D(2026, 11, 15)), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "points must not be 0");
	assert_int_equal(refctl_reward_apply(NULL, f->rec, 1000001, "x", NULL, D(2026, 11, 15)), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "points must be from -1000000 to 1000000, not 1000001");
	assert_int_equal(refctl_reward_apply(NULL, f->rec, 5, "", NULL, D(2026, 11, 15)), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "a reward needs a reason");
	assert_unchanged(f);
}

static void test_balance_floor(void **state)
{
	struct fx *f = *state;

	/* hand-written history: 10, -30 (floored at 0), +5 = 5, not -15 */
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nrewards:\n"
		"- {date: 2026-01-01, points: 10}\n- {date: 2026-02-01, points: -30}\n"
		"- {date: 2026-03-01, points: 5}\n");
	assert_int_equal(refctl_advocate_balance(&f->rec->a), 5);
}

/* ---- filters ---- */

static void test_filter(void **state)
{
	struct refctl_request r;
	struct refctl_request_filter flt = REFCTL_REQUEST_FILTER_INIT;
	(void)state;

	memset(&r, 0, sizeof(r));
	r.status = REFCTL_REQ_SCHEDULED;
	r.opened = refctl_date_from_ymd(2026, 11, 1);
	r.requester = "Sam Rep";
	assert_true(refctl_request_filter_match(&flt, "ann", &r));
	flt.statuses = REFCTL_REQUEST_OPEN_MASK;
	assert_true(refctl_request_filter_match(&flt, "ann", &r));
	flt.statuses = 1u << REFCTL_REQ_COMPLETED;
	assert_false(refctl_request_filter_match(&flt, "ann", &r));
	flt.statuses = 0;
	{
		const char *sam[] = { "sam rep" }, *two[] = { "Sam", "SAM REP" }, *other[] = { "Sam" };
		const char *calls[] = { "Reference Call" }, *quotes[] = { "quote" };
		const char *globex[] = { "initech", "GLOBEX" };
		flt.requesters = sam;
		flt.nrequesters = 1;
		assert_true(refctl_request_filter_match(&flt, "ann", &r));
		flt.requesters = other;
		assert_false(refctl_request_filter_match(&flt, "ann", &r));
		flt.requesters = two; /* either */
		flt.nrequesters = 2;
		assert_true(refctl_request_filter_match(&flt, "ann", &r));
		flt.requesters = NULL;
		flt.nrequesters = 0;
		r.activity = "reference-call";
		r.prospect = "Globex";
		r.outcome = REFCTL_OUTCOME_WON;
		flt.activities = calls; /* as vocabulary */
		flt.nactivities = 1;
		assert_true(refctl_request_filter_match(&flt, "ann", &r));
		flt.activities = quotes;
		assert_false(refctl_request_filter_match(&flt, "ann", &r));
		flt.nactivities = 0;
		flt.prospects = globex;
		flt.nprospects = 2;
		assert_true(refctl_request_filter_match(&flt, "ann", &r));
		flt.nprospects = 0;
		flt.outcomes = (1u << REFCTL_OUTCOME_LOST) | (1u << REFCTL_OUTCOME_OPEN);
		assert_false(refctl_request_filter_match(&flt, "ann", &r));
		flt.outcomes |= 1u << REFCTL_OUTCOME_WON;
		assert_true(refctl_request_filter_match(&flt, "ann", &r));
		flt.outcomes = 0;
		r.outcome = REFCTL_OUTCOME_NONE;
	}
	flt.advocate = "bob";
	assert_false(refctl_request_filter_match(&flt, "ann", &r));
	flt.advocate = NULL;
	/* since and until are inclusive */
	flt.since = flt.until = refctl_date_from_ymd(2026, 11, 1);
	assert_true(refctl_request_filter_match(&flt, "ann", &r));
	flt.since = refctl_date_from_ymd(2026, 11, 2);
	assert_false(refctl_request_filter_match(&flt, "ann", &r));
	flt.since = REFCTL_DATE_NONE;
	flt.until = refctl_date_from_ymd(2026, 10, 31);
	assert_false(refctl_request_filter_match(&flt, "ann", &r));
}

static void test_item(void **state)
{
	struct fx *f = *state;
	struct refctl_request_item it;

	/* fields out of order in the file come out in canonical order */
	load(f, "id: ann\nname: A\ncompany: C\nstatus: active\nrequests:\n"
		"- {status: requested, activity: quote, opened: 2026-11-01, id: ann/1, prospect: Globex}\n");
	assert_int_equal(refctl_request_item_from(&it, f->rec, 0), 0);
	assert_string_equal(it.advocate, "ann");
	assert_int_equal(it.seq, 1);
	assert_string_equal(refctl_request_item_field(&it, "prospect"), "Globex");
	assert_string_equal(refctl_request_item_field(&it, "closed"), "");
	refctl_buf_clear(&f->buf);
	assert_int_equal(refctl_yaml_emit(&f->buf, it.node), 0);
	assert_string_equal(f->buf.ptr,
			    "id: ann/1\nopened: 2026-11-01\nprospect: Globex\nactivity: quote\nstatus: requested\n");
	refctl_request_item_release(&it);
	assert_int_equal(refctl_request_item_from(&it, f->rec, 1), REFCTL_ENOTFOUND);
	refctl_request_item_release(&it);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* ---- the checks that need no file ---- */

static void test_new_check(void **state)
{
	struct refctl_request_new_opts o = new_opts();
	(void)state;

	assert_int_equal(refctl_request_new_check(&o), 0);
	o.prospect = NULL;
	assert_int_equal(refctl_request_new_check(&o), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "a request needs a prospect");
	o = new_opts();
	o.requester = "";
	assert_int_equal(refctl_request_new_check(&o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "a request needs a requester");
	o = new_opts();
	o.activity = "Site Visit";
	assert_int_equal(refctl_request_new_check(&o), 0);
	o.activity = "golf";
	assert_int_equal(refctl_request_new_check(&o), REFCTL_EINVALID);
	assert_non_null(strstr(refctl_error_last(), "unknown activity 'golf' (expected one of "));
	o = new_opts();
	o.opportunity = "OPP\n1";
	assert_int_equal(refctl_request_new_check(&o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "opportunity must be a single line");
	o = new_opts();
	o.value = "-5";
	assert_int_equal(refctl_request_new_check(&o), REFCTL_EINVALID);
	o = new_opts();
	o.force = 1;
	assert_int_equal(refctl_request_new_check(&o), REFCTL_EUSAGE);
	o.reason = "asked by name";
	assert_int_equal(refctl_request_new_check(&o), 0);
}

static void test_change_check(void **state)
{
	static const struct {
		enum refctl_request_verb verb;
		const char *id;
		int date, outcome;
		const char *reason, *value;
		int error;
		const char *message;
	} cases[] = {
		{ 0, "ann/1", 0, 0, NULL, NULL, REFCTL_EUSAGE, "no transition given" },
		{ REFCTL_REQUEST_APPROVE, NULL, 0, 0, NULL, NULL, REFCTL_EUSAGE, "no request given" },
		/* a prefix of an advocate's id is a name; what no id can start with is not */
		{ REFCTL_REQUEST_APPROVE, "ann", 0, 0, NULL, NULL, 0, NULL },
		{ REFCTL_REQUEST_APPROVE, "ann/2611", 0, 0, NULL, NULL, 0, NULL },
		{ REFCTL_REQUEST_APPROVE, "Ann/1", 0, 0, NULL, NULL, REFCTL_EUSAGE,
		  "'Ann/1' is not a request id (expected ADVOCATE/YYMMDD-XXXXXXXX or ADVOCATE/N, such as "
		  "acme-jane/261115-7kq2m9xd or acme-jane/3)" },
		{ REFCTL_REQUEST_APPROVE, "ann/26.1", 0, 0, NULL, NULL, REFCTL_EUSAGE,
		  "'ann/26.1' is not a request id (expected ADVOCATE/YYMMDD-XXXXXXXX or ADVOCATE/N, such as "
		  "acme-jane/261115-7kq2m9xd or acme-jane/3)" },
		{ REFCTL_REQUEST_APPROVE, "ann/1", 0, 0, NULL, NULL, 0, NULL },
		{ REFCTL_REQUEST_SCHEDULE, "ann/1", 0, 0, NULL, NULL, REFCTL_EUSAGE, "scheduling ann/1 needs a date" },
		{ REFCTL_REQUEST_SCHEDULE, "ann/1", 1, 0, NULL, NULL, 0, NULL },
		{ REFCTL_REQUEST_DECLINE, "ann/1", 0, 0, NULL, NULL, REFCTL_EUSAGE, "declining ann/1 needs a reason" },
		{ REFCTL_REQUEST_CANCEL, "ann/1", 0, 0, "", NULL, REFCTL_EINVALID, "cancelling ann/1 needs a reason" },
		{ REFCTL_REQUEST_CANCEL, "ann/1", 0, 0, "busy", NULL, 0, NULL },
		{ REFCTL_REQUEST_COMPLETE, "ann/1", 0, 0, NULL, NULL, 0, NULL },
		{ REFCTL_REQUEST_COMPLETE, "ann/1", 0, REFCTL_OUTCOME_OPEN, NULL, "10", 0, NULL },
		{ REFCTL_REQUEST_COMPLETE, "ann/1", 0, 9, NULL, NULL, REFCTL_EINVALID,
		  "the outcome of ann/1 must be won, lost or open, not ''" },
		{ REFCTL_REQUEST_COMPLETE, "ann/1", 0, 0, NULL, "1,000", REFCTL_EINVALID,
		  "deal value must be an amount from 0 to 10000000000000 with at most two decimals, such as "
		  "250000 or 1250.50, not '1,000'" },
		{ REFCTL_REQUEST_OUTCOME, "ann/1", 0, 0, NULL, NULL, REFCTL_EUSAGE,
		  "recording the outcome of ann/1 needs won or lost" },
		{ REFCTL_REQUEST_OUTCOME, "ann/1", 0, REFCTL_OUTCOME_OPEN, NULL, NULL, REFCTL_EINVALID,
		  "the outcome of ann/1 must be won or lost, not 'open'" },
		{ REFCTL_REQUEST_OUTCOME, "ann/1", 0, REFCTL_OUTCOME_LOST, NULL, "40000", 0, NULL },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct refctl_request_change ch = REFCTL_REQUEST_CHANGE_INIT;
		ch.verb = cases[i].verb;
		ch.id = cases[i].id;
		if (cases[i].date)
			ch.date = D(2026, 11, 20);
		ch.outcome = cases[i].outcome;
		ch.reason = cases[i].reason;
		ch.value = cases[i].value;
		refctl_error_clear();
		if (refctl_request_change_check(&ch) != cases[i].error)
			fail_msg("case %zu: expected %d, got %d (%s)", i, cases[i].error,
				 refctl_request_change_check(&ch), refctl_error_last());
		if (cases[i].message)
			assert_string_equal(refctl_error_last(), cases[i].message);
	}
}

/* today left to REFCTL_DATE_NONE is the clock's (REFCTL_TODAY) */
static void test_today_default(void **state)
{
	struct fx *f = *state;
	struct refctl_request_new_opts o = new_opts();
	char *saved = getenv("REFCTL_TODAY") ? strdup(getenv("REFCTL_TODAY")) : NULL;

	load(f, ann);
	setenv("REFCTL_TODAY", "2026-12-01", 1);
	o.today = REFCTL_DATE_NONE;
	assert_int_equal(refctl_request_apply_new(&f->res, f->rec, f->cfg, &o), 0);
	assert_non_null(strstr(yaml(f), "  opened: 2026-12-01\n"));
	if (saved)
		setenv("REFCTL_TODAY", saved, 1);
	else
		unsetenv("REFCTL_TODAY");
	free(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_id_parse),
		T(test_new_check),
		T(test_change_check),
		T(test_today_default),
		T(test_next_id),
		T(test_value_check),
		T(test_transition_table),
		T(test_new_appends),
		T(test_new_into_empty_lists),
		T(test_new_date_and_quoting),
		T(test_new_refusals),
		T(test_new_limits_from_config),
		T(test_new_backdated),
		T(test_new_force),
		T(test_new_bad_input),
		T(test_approve),
		T(test_approve_approver),
		T(test_schedule),
		T(test_schedule_before_opened),
		T(test_decline_cancel),
		T(test_cancel_future_request),
		T(test_decline_keeps_forced_reason),
		T(test_complete_awards_points),
		T(test_complete_zero_points),
		T(test_complete_value_from_new),
		T(test_complete_before_opened),
		T(test_outcome),
		T(test_refused_transitions),
		T(test_reward),
		T(test_reward_bad_input),
		T(test_balance_floor),
		T(test_filter),
		T(test_item),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
