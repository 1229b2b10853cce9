/* Unit tests for lib/record.c: validation, the typed view, canonical form, edits, ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>

#include "refctl/common.h"
#include "refctl/record.h"

#define FILE_NAME "advocates/acme-jane.yaml"

/* Every field of the schema, in canonical order and form (76 lines). */
static const char full_record[] =
	"id: acme-jane\n"                 /* 1 */
	"name: Jane Doe\n"
	"company: ACME GmbH\n"
	"status: active\n"
	"title: CTO\n"                    /* 5 */
	"email: jane@acme.example\n"
	"phone: +49 30 1234\n"
	"account_owner: Bob\n"
	"industry: manufacturing\n"
	"region: emea\n"                  /* 10 */
	"country: DE\n"
	"segment: enterprise\n"
	"since: 2024-03-01\n"
	"nps: 9\n"
	"health: green\n"                 /* 15 */
	"last_contact: 2026-10-01\n"
	"notes: |\n"
	"  Likes calls.\n"
	"languages:\n"
	"- de\n"                          /* 20 */
	"- en\n"
	"products:\n"
	"- platform\n"
	"use_cases:\n"
	"- analytics\n"                   /* 25 */
	"activities:\n"
	"- reference-call\n"
	"- case-study\n"
	"programs:\n"
	"- champions\n"                   /* 30 */
	"tags:\n"
	"- vip\n"
	"consent:\n"
	"  until: 2027-12-31\n"
	"  scope:\n"                      /* 35 */
	"  - logo\n"
	"  - quote\n"
	"limits:\n"
	"  per_quarter: 2\n"
	"  rest_days: 30\n"               /* 40 */
	"requests:\n"
	"- id: acme-jane/1\n"
	"  opened: 2026-01-05\n"
	"  requester: sam\n"
	"  prospect: Globex\n"            /* 45 */
	"  opportunity: OPP-1\n"
	"  industry: retail\n"
	"  region: na\n"
	"  product: platform\n"
	"  activity: reference-call\n"    /* 50 */
	"  status: completed\n"
	"  approved_by: lee\n"
	"  scheduled: 2026-01-10\n"
	"  closed: 2026-01-12\n"
	"  outcome: won\n"                /* 55 */
	"  deal_value: 12000.5\n"
	"  forced: true\n"
	"  reason: Good fit\n"
	"  notes: Went well\n"
	"- id: acme-jane/2\n"             /* 60 */
	"  opened: 2026-11-01\n"
	"  activity: quote\n"
	"  status: requested\n"
	"rewards:\n"
	"- date: 2026-01-15\n"            /* 65 */
	"  points: 10\n"
	"  reason: call\n"
	"  request: acme-jane/1\n"
	"content:\n"
	"- kind: quote\n"                 /* 70 */
	"  lang: en\n"
	"  title: Jane on ACME\n"
	"  url: https://example.com/q\n"
	"  text: Great.\n"
	"  approved:\n"                  /* 75 */
	"    by: Jane\n"
	"    date: 2026-01-20\n"
	"  expires: 2027-01-20\n";

/* The four required fields: lines 1-4; tests append from line 5. */
#define BASE "id: acme-jane\nname: Jane\ncompany: ACME\nstatus: active\n"
/* BASE and one request on lines 5-8; tests append its other fields from line 9. */
#define REQ BASE "requests:\n- id: acme-jane/1\n  opened: 2026-01-05\n  activity: quote\n"

struct fx {
	struct refctl_record *rec;
	struct refctl_diags diags;
	struct refctl_buf out, tmp;
	struct refctl_node *tree;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	refctl_buf_init(&f->out);
	refctl_buf_init(&f->tmp);
	refctl_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_record_free(f->rec);
	refctl_diags_release(&f->diags);
	refctl_buf_release(&f->out);
	refctl_buf_release(&f->tmp);
	refctl_node_free(f->tree);
	free(f);
	return 0;
}

static int parse_as(struct fx *f, const char *file, const char *text, struct refctl_diags *diags)
{
	refctl_record_free(f->rec);
	f->rec = NULL;
	return refctl_record_parse(&f->rec, file, text, strlen(text), diags);
}

static void parse_ok(struct fx *f, const char *text)
{
	if (parse_as(f, FILE_NAME, text, NULL) < 0)
		fail_msg("'%s' does not parse: %s", text, refctl_error_last());
	assert_non_null(f->rec);
}

static void expect_error_as(struct fx *f, const char *file, const char *text, const char *expected)
{
	int rc = parse_as(f, file, text, NULL);
	if (rc != REFCTL_EINVALID)
		fail_msg("'%s' was accepted (rc %d), expected: %s", text, rc, expected);
	assert_null(f->rec);
	assert_string_equal(refctl_error_last(), expected);
}

static void expect_error(struct fx *f, const char *text, const char *expected)
{
	expect_error_as(f, FILE_NAME, text, expected);
}

static refctl_date ymd(int y, int m, int d)
{
	return refctl_date_from_ymd(y, m, d);
}

/* ---- the typed view ---- */

static void test_full_record_view(void **state)
{
	struct fx *f = *state;
	const struct refctl_advocate *a;
	const struct refctl_request *r;

	parse_ok(f, full_record);
	a = &f->rec->a;
	assert_string_equal(f->rec->file, FILE_NAME);
	assert_int_equal(f->rec->comment_line, 0);
	assert_string_equal(a->id, "acme-jane");
	assert_string_equal(a->name, "Jane Doe");
	assert_string_equal(a->company, "ACME GmbH");
	assert_int_equal(a->status, REFCTL_STATUS_ACTIVE);
	assert_string_equal(a->title, "CTO");
	assert_string_equal(a->email, "jane@acme.example");
	assert_string_equal(a->phone, "+49 30 1234");
	assert_string_equal(a->account_owner, "Bob");
	assert_string_equal(a->industry, "manufacturing");
	assert_string_equal(a->region, "emea");
	assert_string_equal(a->country, "DE");
	assert_string_equal(a->segment, "enterprise");
	assert_int_equal(a->since, ymd(2024, 3, 1));
	assert_int_equal(a->nps, 9);
	assert_string_equal(a->health, "green");
	assert_int_equal(a->last_contact, ymd(2026, 10, 1));
	assert_string_equal(a->notes, "Likes calls.\n");
	assert_int_equal(a->languages.n, 2);
	assert_string_equal(a->languages.v[0], "de");
	assert_string_equal(a->languages.v[1], "en");
	assert_int_equal(a->products.n, 1);
	assert_string_equal(a->products.v[0], "platform");
	assert_int_equal(a->use_cases.n, 1);
	assert_string_equal(a->use_cases.v[0], "analytics");
	assert_int_equal(a->activities.n, 2);
	assert_string_equal(a->activities.v[0], "reference-call");
	assert_string_equal(a->activities.v[1], "case-study");
	assert_int_equal(a->programs.n, 1);
	assert_string_equal(a->programs.v[0], "champions");
	assert_int_equal(a->tags.n, 1);
	assert_string_equal(a->tags.v[0], "vip");
	assert_int_equal(a->consent_until, ymd(2027, 12, 31));
	assert_int_equal(a->consent_scope.n, 2);
	assert_string_equal(a->consent_scope.v[0], "logo");
	assert_string_equal(a->consent_scope.v[1], "quote");
	assert_int_equal(a->per_quarter, 2);
	assert_int_equal(a->rest_days, 30);

	assert_int_equal(a->nrequests, 2);
	r = &a->requests[0];
	assert_string_equal(r->id, "acme-jane/1");
	assert_int_equal(r->seq, 1);
	assert_int_equal(r->opened, ymd(2026, 1, 5));
	assert_int_equal(r->scheduled, ymd(2026, 1, 10));
	assert_int_equal(r->closed, ymd(2026, 1, 12));
	assert_string_equal(r->requester, "sam");
	assert_string_equal(r->prospect, "Globex");
	assert_string_equal(r->opportunity, "OPP-1");
	assert_string_equal(r->industry, "retail");
	assert_string_equal(r->region, "na");
	assert_string_equal(r->product, "platform");
	assert_string_equal(r->activity, "reference-call");
	assert_string_equal(r->approved_by, "lee");
	assert_string_equal(r->reason, "Good fit");
	assert_string_equal(r->notes, "Went well");
	assert_int_equal(r->status, REFCTL_REQ_COMPLETED);
	assert_int_equal(r->outcome, REFCTL_OUTCOME_WON);
	assert_true(r->deal_value == 1200050); /* cents */
	assert_int_equal(r->forced, 1);
	assert_int_equal(r->line, 42);
	r = &a->requests[1];
	assert_string_equal(r->id, "acme-jane/2");
	assert_int_equal(r->seq, 2);
	assert_int_equal(r->status, REFCTL_REQ_REQUESTED);
	assert_int_equal(r->outcome, REFCTL_OUTCOME_NONE);
	assert_int_equal(r->scheduled, REFCTL_DATE_NONE);
	assert_int_equal(r->closed, REFCTL_DATE_NONE);
	assert_true(r->deal_value == REFCTL_MONEY_NONE);
	assert_int_equal(r->forced, 0);
	assert_null(r->requester);
	assert_int_equal(r->line, 60);

	assert_int_equal(a->nrewards, 1);
	assert_int_equal(a->rewards[0].date, ymd(2026, 1, 15));
	assert_int_equal(a->rewards[0].points, 10);
	assert_string_equal(a->rewards[0].reason, "call");
	assert_string_equal(a->rewards[0].request, "acme-jane/1");
	assert_int_equal(a->rewards[0].line, 65);

	assert_int_equal(a->ncontent, 1);
	assert_string_equal(a->content[0].kind, "quote");
	assert_string_equal(a->content[0].lang, "en");
	assert_string_equal(a->content[0].title, "Jane on ACME");
	assert_string_equal(a->content[0].url, "https://example.com/q");
	assert_string_equal(a->content[0].text, "Great.");
	assert_string_equal(a->content[0].approved_by, "Jane");
	assert_int_equal(a->content[0].approved_date, ymd(2026, 1, 20));
	assert_int_equal(a->content[0].expires, ymd(2027, 1, 20));
	assert_int_equal(a->content[0].line, 70);

	assert_ptr_equal(refctl_advocate_request(a, "acme-jane/2", NULL), &a->requests[1]);
	{
		size_t idx = 99;
		assert_ptr_equal(refctl_advocate_request(a, "acme-jane/1", &idx), &a->requests[0]);
		assert_int_equal(idx, 0);
	}
	assert_null(refctl_advocate_request(a, "acme-jane/3", NULL));
	assert_int_equal(refctl_advocate_balance(a), 10);
}

/* Every value of the view at x and y, by the rows, list items too, with
 * what no row describes (an item's line and column, a request's seq). */
static void views_equal(const struct refctl_field *fields, const void *x, const void *y, struct refctl_buf *a,
			struct refctl_buf *b)
{
	for (const struct refctl_field *f = fields; f->name; f++) {
		if (f->storage == REFCTL_STORE_NONE) {
			if (f->type == REFCTL_TYPE_MAP)
				views_equal(f->sub, x, y, a, b);
		} else if (f->storage == REFCTL_STORE_ARRAY) {
			size_t n = *(const size_t *)((const char *)x + f->count_off);
			const char *ex = *(const char *const *)((const char *)x + f->off);
			const char *ey = *(const char *const *)((const char *)y + f->off);
			assert_int_equal(n, *(const size_t *)((const char *)y + f->count_off));
			for (size_t i = 0; i < n; i++) {
				views_equal(f->sub, ex + i * f->elem_size, ey + i * f->elem_size, a, b);
				assert_memory_equal(ex + i * f->elem_size + f->line_off, ey + i * f->elem_size + f->line_off,
						    sizeof(unsigned));
				assert_memory_equal(ex + i * f->elem_size + f->col_off, ey + i * f->elem_size + f->col_off,
						    sizeof(unsigned));
			}
		} else {
			refctl_schema_value_text(a, f, x);
			refctl_schema_value_text(b, f, y);
			assert_string_equal(a->ptr, b->ptr);
		}
	}
}

/* The view as one block for the parse cache, and back: the same values,
 * and a block that is not whole is refused. */
static void test_view_image(void **state)
{
	struct fx *f = *state;
	struct refctl_record *back = NULL;
	struct refctl_buf img = REFCTL_BUF_INIT, d = REFCTL_BUF_INIT;
	struct refctl_diags diags = REFCTL_DIAGS_INIT, again = REFCTL_DIAGS_INIT;
	void *copy;

	assert_int_equal(refctl_record_parse(&f->rec, FILE_NAME, full_record, strlen(full_record), &diags), 0);
	refctl_schema_view_encode(&img, refctl_schema_advocate(), &f->rec->a, sizeof(f->rec->a));
	assert_true(img.size > sizeof(f->rec->a));
	refctl_diags_add(&diags, REFCTL_DIAG_WARNING, FILE_NAME, 7, 3, "phone", "a warning, %d", 1);
	refctl_diags_add(&diags, REFCTL_DIAG_WARNING, FILE_NAME, 9, 1, NULL, "another");
	refctl_diags_encode(&d, &diags);

	copy = malloc(img.size);
	memcpy(copy, img.ptr, img.size);
	assert_int_equal(refctl_record_from_image(&back, FILE_NAME, copy, img.size, d.ptr, d.size, &again), 0);
	views_equal(refctl_schema_advocate(), &f->rec->a, &back->a, &f->out, &f->tmp);
	assert_true(f->rec->a.nrequests > 0);
	assert_int_equal(back->a.requests[0].seq, f->rec->a.requests[0].seq);
	assert_null(back->root); /* no tree: no load_tree either */
	assert_null(refctl_record_tree(back));
	assert_int_equal(again.n, diags.n);
	for (size_t i = 0; i < diags.n; i++) {
		assert_int_equal(again.v[i].line, diags.v[i].line);
		assert_int_equal(again.v[i].col, diags.v[i].col);
		assert_int_equal(again.v[i].severity, diags.v[i].severity);
		assert_string_equal(again.v[i].message, diags.v[i].message);
		if (diags.v[i].field)
			assert_string_equal(again.v[i].field, diags.v[i].field);
		else
			assert_null(again.v[i].field);
	}
	refctl_record_free(back);

	/* cut short, its last byte not a NUL, an offset past the end, garbled diagnostics */
	for (int k = 0; k < 4; k++) {
		size_t len = k == 0 ? (img.size / 2 + 7) / 8 * 8 : img.size;
		copy = malloc(img.size);
		memcpy(copy, img.ptr, img.size);
		if (k == 1)
			((char *)copy)[img.size - 1] = 'x';
		if (k == 2) {
			uint64_t far = img.size + 100;
			memcpy((char *)copy + offsetof(struct refctl_advocate, name), &far, sizeof(far));
		}
		back = (struct refctl_record *)1;
		assert_int_equal(refctl_record_from_image(&back, FILE_NAME, copy, len, d.ptr, k == 3 ? d.size - 1 : d.size,
							  NULL), -1);
		assert_null(back);
	}
	refctl_diags_release(&diags);
	refctl_diags_release(&again);
	refctl_buf_release(&img);
	refctl_buf_release(&d);
}

static void test_minimal_record_defaults(void **state)
{
	struct fx *f = *state;
	const struct refctl_advocate *a;

	parse_ok(f, BASE);
	a = &f->rec->a;
	assert_int_equal(a->nps, -1);
	assert_int_equal(a->per_quarter, -1);
	assert_int_equal(a->rest_days, -1);
	assert_int_equal(a->since, REFCTL_DATE_NONE);
	assert_int_equal(a->last_contact, REFCTL_DATE_NONE);
	assert_int_equal(a->consent_until, REFCTL_DATE_NONE);
	assert_null(a->email);
	assert_null(a->segment);
	assert_int_equal(a->languages.n, 0);
	assert_int_equal(a->nrequests, 0);
	assert_int_equal(a->nrewards, 0);
	assert_int_equal(a->ncontent, 0);
	assert_int_equal(refctl_advocate_balance(a), 0);

	/* an empty value counts as absent */
	parse_ok(f, BASE "nps:\nsince: ~\nlanguages:\nconsent:\n");
	assert_int_equal(f->rec->a.nps, -1);
	assert_int_equal(f->rec->a.since, REFCTL_DATE_NONE);
	assert_int_equal(f->rec->a.languages.n, 0);

	/* boundaries that are valid */
	parse_ok(f, BASE "nps: 0\nsince: 2024-02-29\nlimits:\n  per_quarter: 0\n  rest_days: 3660\n");
	assert_int_equal(f->rec->a.nps, 0);
	assert_int_equal(f->rec->a.since, ymd(2024, 2, 29));
	assert_int_equal(f->rec->a.per_quarter, 0);
	assert_int_equal(f->rec->a.rest_days, 3660);
	parse_ok(f, BASE "nps: 10\nstatus_note: x\n");
	assert_int_equal(f->rec->a.nps, 10);

	/* quoted dates are still dates; a quoted country still a country */
	parse_ok(f, BASE "since: '2024-01-31'\ncountry: \"NO\"\n");
	assert_int_equal(f->rec->a.since, ymd(2024, 1, 31));
	assert_string_equal(f->rec->a.country, "NO");
}

/* ---- validation errors, one class at a time ---- */

static void test_error_required_fields(void **state)
{
	struct fx *f = *state;

	expect_error(f, "id: acme-jane\nname: Jane\nstatus: active\n",
		     FILE_NAME ":1:1: missing required field 'company'");
	expect_error(f, "name: Jane\ncompany: ACME\nstatus: active\n",
		     FILE_NAME ":1:1: missing required field 'id'");
	expect_error(f, "id: acme-jane\nname: ''\ncompany: ACME\nstatus: active\n",
		     FILE_NAME ":2:7: name must not be empty");
	expect_error(f, "", FILE_NAME ":1:1: file is empty");
	expect_error(f, "- a\n- b\n",
		     FILE_NAME ":1:1: an advocate file must be a map of fields (id, name, company, status, ...)");
	/* required fields of requests and rewards */
	expect_error(f, BASE "requests:\n- id: acme-jane/1\n  opened: 2026-01-05\n  status: requested\n",
		     FILE_NAME ":6:3: missing required field 'requests[1].activity'");
	expect_error(f, BASE "rewards:\n- date: 2026-01-05\n",
		     FILE_NAME ":6:3: missing required field 'rewards[1].points'");
	expect_error(f, BASE "content:\n- title: x\n",
		     FILE_NAME ":6:3: missing required field 'content[1].kind'");
}

static void test_error_enum_values(void **state)
{
	struct fx *f = *state;

	expect_error(f, "id: acme-jane\nname: Jane\ncompany: ACME\nstatus: enabled\n",
		     FILE_NAME ":4:9: status must be one of nominated, active, paused or retired, not 'enabled'");
	expect_error(f, BASE "segment: huge\n",
		     FILE_NAME ":5:10: segment must be one of smb, mid-market or enterprise, not 'huge'");
	expect_error(f, BASE "health: blue\n",
		     FILE_NAME ":5:9: health must be one of green, yellow or red, not 'blue'");
	expect_error(f, REQ "  status: done\n",
		     FILE_NAME ":9:11: requests[1].status must be one of requested, approved, scheduled, "
			       "completed, declined or cancelled, not 'done'");
	expect_error(f, REQ "  status: completed\n  closed: 2026-01-06\n  outcome: tie\n",
		     FILE_NAME ":11:12: requests[1].outcome must be one of won, lost or open, not 'tie'");
	expect_error(f, BASE "requests:\n- id: acme-jane/1\n  opened: 2026-01-05\n  activity: webinar\n  status: requested\n",
		     FILE_NAME ":8:13: requests[1].activity must be one of reference-call, case-study, quote, "
			       "video, speaking, press, analyst, advisory-board, beta, referral, site-visit, "
			       "social or community, not 'webinar'");
	/* values are case-sensitive */
	expect_error(f, "id: acme-jane\nname: Jane\ncompany: ACME\nstatus: Active\n",
		     FILE_NAME ":4:9: status must be one of nominated, active, paused or retired, not 'Active'");
	expect_error(f, "id: acme-jane\nname: Jane\ncompany: ACME\nstatus: [active]\n",
		     FILE_NAME ":4:9: status must be one of nominated, active, paused or retired");
}

static void test_error_nps_range(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "11", "-1", "'9'", "08", "9.0", "ten", "[9]", "+9", "0x9" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), BASE "nps: %s\n", bad[i]);
		expect_error(f, text, FILE_NAME ":5:6: nps must be an integer from 0 to 10");
	}
	expect_error(f, BASE "limits:\n  per_quarter: 1001\n",
		     FILE_NAME ":6:16: limits.per_quarter must be an integer from 0 to 1000");
	expect_error(f, BASE "rewards:\n- date: 2026-01-05\n  points: lots\n",
		     FILE_NAME ":7:11: rewards[1].points must be an integer from -1000000 to 1000000");
}

static void test_error_dates(void **state)
{
	struct fx *f = *state;

	expect_error(f, BASE "since: 2026-02-30\n",
		     FILE_NAME ":5:8: since must be a date YYYY-MM-DD, not '2026-02-30'");
	expect_error(f, BASE "since: 2025-02-29\n",
		     FILE_NAME ":5:8: since must be a date YYYY-MM-DD, not '2025-02-29'");
	expect_error(f, BASE "last_contact: 2026-13-01\n",
		     FILE_NAME ":5:15: last_contact must be a date YYYY-MM-DD, not '2026-13-01'");
	expect_error(f, BASE "since: 2026-1-5\n",
		     FILE_NAME ":5:8: since must be a date YYYY-MM-DD, not '2026-1-5'");
	expect_error(f, BASE "since: 2026-04-31\n",
		     FILE_NAME ":5:8: since must be a date YYYY-MM-DD, not '2026-04-31'");
	expect_error(f, BASE "since: [2026-01-01]\n",
		     FILE_NAME ":5:8: since must be a date YYYY-MM-DD");
	expect_error(f, REQ "  status: requested\n  scheduled: 2026-00-10\n",
		     FILE_NAME ":10:14: requests[1].scheduled must be a date YYYY-MM-DD, not '2026-00-10'");
	expect_error(f, BASE "content:\n- kind: quote\n  approved: maybe\n",
		     FILE_NAME ":7:13: content[1].approved must be a map of by, date (the customer's approval: by whom and when)");
	expect_error(f, BASE "content:\n- kind: quote\n  approved: {by: Ann, date: 2026-02-30}\n",
		     FILE_NAME ":7:29: content[1].approved.date must be a date YYYY-MM-DD, not '2026-02-30'");
	parse_ok(f, BASE "content:\n- kind: quote\n  approved: {by: Ann, date: 2026-01-01}\n- kind: logo\n");
	assert_string_equal(f->rec->a.content[0].approved_by, "Ann");
	assert_int_equal(f->rec->a.content[0].approved_date, ymd(2026, 1, 1));
	assert_null(f->rec->a.content[1].approved_by);
	assert_int_equal(f->rec->a.content[0].expires, REFCTL_DATE_NONE);
}

static void test_error_country_language_activity(void **state)
{
	struct fx *f = *state;

	expect_error(f, BASE "country: XX\n",
		     FILE_NAME ":5:10: country must be an ISO 3166 alpha-2 code such as DE, not 'XX'");
	expect_error(f, BASE "country: DEU\n",
		     FILE_NAME ":5:10: country must be an ISO 3166 alpha-2 code such as DE, not 'DEU'");
	expect_error(f, BASE "country: Germany\n",
		     FILE_NAME ":5:10: country must be an ISO 3166 alpha-2 code such as DE, not 'Germany'");
	parse_ok(f, BASE "country: NO\n"); /* Norway, even unquoted */
	assert_string_equal(f->rec->a.country, "NO");

	expect_error(f, BASE "languages:\n- de\n- english\n",
		     FILE_NAME ":7:3: languages: 'english' is not an ISO 639-1 code such as de");
	expect_error(f, BASE "languages: [de, xx]\n",
		     FILE_NAME ":5:17: languages: 'xx' is not an ISO 639-1 code such as de");
	expect_error(f, BASE "content:\n- kind: quote\n  lang: english\n",
		     FILE_NAME ":7:9: content[1].lang must be an ISO 639-1 code such as en, not 'english'");

	expect_error(f, BASE "activities: [quote, webinar]\n",
		     FILE_NAME ":5:21: activities: 'webinar' is not one of reference-call, case-study, quote, "
			       "video, speaking, press, analyst, advisory-board, beta, referral, site-visit, "
			       "social or community");
	expect_error(f, BASE "activities:\n- Quote\n",
		     FILE_NAME ":6:3: activities: 'Quote' is not one of reference-call, case-study, quote, "
			       "video, speaking, press, analyst, advisory-board, beta, referral, site-visit, "
			       "social or community");
}

static void test_error_email(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "jane", "jane@acme", "'@acme.com'", "a@b@c.com", "'a b@c.com'",
					   "'<a@b.com>'", "'a@b.com,c@d.com'", "jane@" };
	static const char *const good[] = { "jane@acme.example", "jane.doe+x@sub.acme.co.uk", "J@X.DE" };

	expect_error(f, BASE "email: jane\n",
		     FILE_NAME ":5:8: email must be an address like name@example.com, not 'jane'");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), BASE "email: %s\n", bad[i]);
		if (parse_as(f, FILE_NAME, text, NULL) != REFCTL_EINVALID)
			fail_msg("email %s was accepted", bad[i]);
		if (!strstr(refctl_error_last(), ":5:8: email must be an address like name@example.com"))
			fail_msg("email %s: %s", bad[i], refctl_error_last());
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), BASE "email: %s\n", good[i]);
		parse_ok(f, text);
		assert_string_equal(f->rec->a.email, good[i]);
	}
}

static void test_error_lists_and_maps(void **state)
{
	struct fx *f = *state;

	expect_error(f, BASE "products: platform\n", FILE_NAME ":5:11: products must be a list of strings");
	expect_error(f, BASE "tags:\n- [a]\n", FILE_NAME ":6:3: tags must be a list of strings");
	expect_error(f, BASE "tags:\n- a: b\n", FILE_NAME ":6:3: tags must be a list of strings");
	expect_error(f, BASE "tags:\n- ~\n", FILE_NAME ":6:3: tags must be a list of strings");
	expect_error(f, BASE "tags:\n- |\n  two\n  lines\n", FILE_NAME ":6:3: tags must be a list of strings");
	expect_error(f, BASE "consent: yes\n", FILE_NAME ":5:10: consent must be a map of until, scope (what the advocate agreed to, and until when)");
	expect_error(f, BASE "limits: [1]\n", FILE_NAME ":5:9: limits must be a map of per_quarter, rest_days (this advocate's own limits, overriding the program's)");
	expect_error(f, BASE "requests: none\n", FILE_NAME ":5:11: requests must be a list of maps");
	expect_error(f, BASE "requests:\n- x\n", FILE_NAME ":6:3: requests[1] must be a map");
	expect_error(f, BASE "rewards: {a: 1}\n", FILE_NAME ":5:10: rewards must be a list of maps");
	expect_error(f, BASE "title: [CTO]\n", FILE_NAME ":5:8: title must be a string");
	expect_error(f, BASE "title: |\n  two\n  lines\n", FILE_NAME ":5:8: title must be a single line");
	expect_error(f, REQ "  status: requested\n  forced: yes\n",
		     FILE_NAME ":10:11: requests[1].forced must be true or false");
	expect_error(f, REQ "  status: requested\n  deal_value: 1e3\n",
		     FILE_NAME ":10:15: requests[1].deal_value must be an amount from 0 to 10000000000000 with at most two decimals");
	expect_error(f, REQ "  status: requested\n  deal_value: 0x10\n",
		     FILE_NAME ":10:15: requests[1].deal_value must be an amount from 0 to 10000000000000 with at most two decimals");
	expect_error(f, REQ "  status: requested\n  deal_value: -5\n",
		     FILE_NAME ":10:15: requests[1].deal_value must be an amount from 0 to 10000000000000 with at most two decimals");
	expect_error(f, REQ "  status: requested\n  deal_value: '100'\n",
		     FILE_NAME ":10:15: requests[1].deal_value must be an amount from 0 to 10000000000000 with at most two decimals");
	/* notes may span lines */
	parse_ok(f, BASE "notes: |\n  two\n  lines\n");
	assert_string_equal(f->rec->a.notes, "two\nlines\n");
}

static void test_error_id(void **state)
{
	struct fx *f = *state;

	expect_error_as(f, "advocates/other.yaml", BASE,
			"advocates/other.yaml:1:5: id 'acme-jane' does not match the file name 'other.yaml'");
	expect_error(f, "id: Acme-Jane\nname: Jane\ncompany: ACME\nstatus: active\n",
		     FILE_NAME ":1:5: id 'Acme-Jane' must be lowercase letters, digits and '-' "
			       "(at most 63, not starting with '-')");
	/* input that is not a file of the store is not compared with an id */
	assert_int_equal(parse_as(f, "-", BASE, NULL), 0);
	assert_int_equal(parse_as(f, "acme-jane.yaml", BASE, NULL), 0);
	expect_error_as(f, "elsewhere.yaml", BASE,
			"elsewhere.yaml:1:5: id 'acme-jane' does not match the file name 'elsewhere.yaml'");
}

static void test_error_request_ids(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "acme-jane/0", "other/1", "acme-jane/x", "acme-jane/01",
					   "acme-jane/1a", "acme-jane-1", "acme-jane/", "acme-janet/1",
					   "acme-jane/-1" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256], expected[256];
		snprintf(text, sizeof(text),
			 BASE "requests:\n- id: %s\n  opened: 2026-01-05\n  activity: quote\n  status: requested\n",
			 bad[i]);
		snprintf(expected, sizeof(expected),
			 FILE_NAME ":6:7: requests[1].id must be acme-jane/YYMMDD-XXXXXXXX or acme-jane/N, not '%s'",
			 bad[i]);
		expect_error(f, text, expected);
	}
	/* a large sequence number is fine */
	parse_ok(f, BASE "requests:\n- id: acme-jane/123\n  opened: 2026-01-05\n  activity: quote\n  status: requested\n");
	assert_int_equal(f->rec->a.requests[0].seq, 123);

	/* the second use of an id names the line of the first */
	expect_error(f, REQ "  status: requested\n"
			    "- id: acme-jane/1\n"
			    "  opened: 2026-01-06\n"
			    "  activity: quote\n"
			    "  status: requested\n",
		     FILE_NAME ":10:7: duplicate request id 'acme-jane/1' (also on line 6)");
}

static void test_error_request_dates_and_status(void **state)
{
	struct fx *f = *state;

	expect_error(f, REQ "  status: completed\n  closed: 2026-01-01\n",
		     FILE_NAME ":10:11: requests[1]: closed before opened");
	expect_error(f, REQ "  status: scheduled\n  scheduled: 2026-01-01\n",
		     FILE_NAME ":10:14: requests[1]: scheduled before opened");
	expect_error(f, REQ "  status: requested\n  closed: 2026-01-06\n",
		     FILE_NAME ":10:11: requests[1] is requested but has a closed date");
	expect_error(f, REQ "  status: approved\n  closed: 2026-01-06\n",
		     FILE_NAME ":10:11: requests[1] is approved but has a closed date");
	expect_error(f, REQ "  status: completed\n",
		     FILE_NAME ":9:11: requests[1] is completed but has no closed date");
	expect_error(f, REQ "  status: declined\n  closed: 2026-01-06\n  outcome: won\n",
		     FILE_NAME ":11:12: requests[1] has an outcome but is declined, not completed");
	expect_error(f, REQ "  status: cancelled\n  closed: 2026-01-06\n  outcome: lost\n",
		     FILE_NAME ":11:12: requests[1] has an outcome but is cancelled, not completed");
	/* closed on the day it opened is fine, and so is an outcome on a completed request */
	parse_ok(f, REQ "  status: completed\n  closed: 2026-01-05\n  outcome: open\n");
	assert_int_equal(f->rec->a.requests[0].outcome, REFCTL_OUTCOME_OPEN);
}

/* ---- collecting every problem ---- */

static const char many_problems[] =
	"id: acme-jane\n"            /* 1: the map lacks company */
	"name: Jane\n"
	"status: enabled\n"          /* 3:9 */
	"nps: 11\n"                  /* 4:6 */
	"country: XX\n"              /* 5:10 */
	"languages: [de, xx]\n"      /* 6:17 */
	"colour: blue\n"             /* 7:1 warning */
	"requests:\n"
	"- id: acme-jane/1\n"
	"  opened: 2026-01-05\n"
	"  activity: quote\n"
	"  status: requested\n"
	"  closed: 2026-01-04\n";    /* 13:11 twice: before opened, and open with a closed date */

static void test_diags_collects_everything(void **state)
{
	struct fx *f = *state;
	static const struct {
		unsigned line, col;
		enum refctl_severity sev;
		const char *field, *message;
	} want[] = {
		{ 1, 1, REFCTL_DIAG_ERROR, "company", "missing required field 'company'" },
		{ 3, 9, REFCTL_DIAG_ERROR, "status",
		  "status must be one of nominated, active, paused or retired, not 'enabled'" },
		{ 4, 6, REFCTL_DIAG_ERROR, "nps", "nps must be an integer from 0 to 10" },
		{ 5, 10, REFCTL_DIAG_ERROR, "country",
		  "country must be an ISO 3166 alpha-2 code such as DE, not 'XX'" },
		{ 6, 17, REFCTL_DIAG_ERROR, "languages", "languages: 'xx' is not an ISO 639-1 code such as de" },
		{ 7, 1, REFCTL_DIAG_WARNING, "colour", "unknown key 'colour'" },
		{ 13, 11, REFCTL_DIAG_ERROR, "requests[1]", "requests[1]: closed before opened" },
		{ 13, 11, REFCTL_DIAG_ERROR, "requests[1]", "requests[1] is requested but has a closed date" },
	};

	assert_int_equal(parse_as(f, FILE_NAME, many_problems, &f->diags), REFCTL_EINVALID);
	assert_null(f->rec);
	assert_int_equal(f->diags.n, 8);
	assert_int_equal(f->diags.nerrors, 7);
	assert_int_equal(f->diags.nwarnings, 1);
	refctl_diags_sort(&f->diags);
	for (size_t i = 0; i < f->diags.n; i++) {
		const struct refctl_diag *d = &f->diags.v[i];
		assert_string_equal(d->file, FILE_NAME);
		assert_int_equal(d->line, want[i].line);
		assert_int_equal(d->col, want[i].col);
		assert_int_equal(d->severity, want[i].sev);
		assert_string_equal(d->field, want[i].field);
		assert_string_equal(d->message, want[i].message);
	}

	/* without diags: the first error in file order */
	expect_error(f, many_problems,
		     FILE_NAME ":3:9: status must be one of nominated, active, paused or retired, not 'enabled'");
}

static void test_diags_yaml_error(void **state)
{
	struct fx *f = *state;

	assert_int_equal(parse_as(f, FILE_NAME, BASE "a: 1\na: 2\n", &f->diags), REFCTL_EINVALID);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.nerrors, 1);
	assert_int_equal(f->diags.v[0].line, 6);
	assert_int_equal(f->diags.v[0].col, 1);
	assert_string_equal(f->diags.v[0].message, "duplicate key 'a'");
}

static void test_unknown_keys_are_warnings(void **state)
{
	struct fx *f = *state;
	const char *text = BASE "colour: blue\n"          /* 5 */
			   "consent:\n"
			   "  until: 2027-01-01\n"
			   "tags: [a, b, A]\n"             /* 8 */
			   "requests:\n"
			   "- id: acme-jane/1\n"
			   "  opened: 2026-01-05\n"
			   "  activity: quote\n"
			   "  status: requested\n"
			   "  approved_by: lee\n"          /* 14 */
			   "  colour: red\n";              /* 15 */

	/* without diags warnings do not stop anything */
	parse_ok(f, text);
	assert_int_equal(f->rec->a.consent_until, ymd(2027, 1, 1));
	assert_int_equal(f->rec->a.tags.n, 3);

	assert_int_equal(parse_as(f, FILE_NAME, text, &f->diags), 0);
	assert_non_null(f->rec);
	assert_int_equal(f->diags.nerrors, 0);
	assert_int_equal(f->diags.nwarnings, 4);
	assert_int_equal(f->diags.n, 4);
	refctl_diags_sort(&f->diags);
	assert_int_equal(f->diags.v[0].line, 5);
	assert_int_equal(f->diags.v[0].col, 1);
	assert_string_equal(f->diags.v[0].field, "colour");
	assert_string_equal(f->diags.v[0].message, "unknown key 'colour'");
	assert_int_equal(f->diags.v[0].severity, REFCTL_DIAG_WARNING);
	assert_int_equal(f->diags.v[1].line, 8);
	assert_int_equal(f->diags.v[1].col, 14);
	assert_string_equal(f->diags.v[1].message, "tags: 'A' is listed twice");
	assert_int_equal(f->diags.v[2].line, 14);
	assert_int_equal(f->diags.v[2].col, 16);
	assert_string_equal(f->diags.v[2].message, "requests[1] is requested but names approved_by");
	assert_int_equal(f->diags.v[3].line, 15);
	assert_int_equal(f->diags.v[3].col, 3);
	assert_string_equal(f->diags.v[3].field, "requests[1].colour");
	assert_string_equal(f->diags.v[3].message, "unknown key 'requests[1].colour'");
}

static void test_conflict_markers(void **state)
{
	struct fx *f = *state;
	const char *text = "id: acme-jane\n"
			   "<<<<<<< HEAD\n"
			   "name: Jane\n"
			   "=======\n"
			   "name: Janet\n"
			   ">>>>>>> feature\n"
			   "company: ACME\n"
			   "status: active\n";

	expect_error(f, text, FILE_NAME ":2:1: unresolved git merge conflict (conflict marker '<<<<<<<'); "
				  "resolve it and remove the markers");
	assert_int_equal(parse_as(f, FILE_NAME, text, &f->diags), REFCTL_EINVALID);
	assert_int_equal(f->diags.n, 3);
	assert_int_equal(f->diags.nerrors, 3);
	assert_int_equal(f->diags.v[0].line, 2);
	assert_int_equal(f->diags.v[1].line, 4);
	assert_string_equal(f->diags.v[1].message, "unresolved git merge conflict (conflict marker '======='); "
						   "resolve it and remove the markers");
	assert_int_equal(f->diags.v[2].line, 6);
	assert_string_equal(f->diags.v[2].message, "unresolved git merge conflict (conflict marker '>>>>>>>'); "
						   "resolve it and remove the markers");

	/* a diff3 conflict has a base marker too */
	refctl_diags_release(&f->diags);
	assert_int_equal(parse_as(f, FILE_NAME, "id: acme-jane\n"
						"<<<<<<< HEAD\n"
						"name: Jane\n"
						"||||||| base\n"
						"name: J\n"
						"=======\n"
						"name: Janet\n"
						">>>>>>> feature\n", &f->diags), REFCTL_EINVALID);
	assert_int_equal(f->diags.n, 4);
	assert_int_equal(f->diags.v[1].line, 4);
	assert_string_equal(f->diags.v[1].message, "unresolved git merge conflict (conflict marker '|||||||'); "
						   "resolve it and remove the markers");
	/* marker-like text inside a value is not a marker */
	parse_ok(f, BASE "notes: |\n  <<<<<<<< eight\n  =======x\n");
}

/* ---- canonical form ---- */

static void test_format_canonical_order(void **state)
{
	struct fx *f = *state;

	parse_ok(f, "zeta: 1\n"
		    "status: active\n"
		    "name: \"Jane\"\n"
		    "alpha: 'x'\n"
		    "tags: [yes, b]\n"
		    "country: NO\n"
		    "company: ACME\n"
		    "since: '2024-01-31'\n"
		    "id: acme-jane\n"
		    "nps: 9\n"
		    "limits:\n"
		    "  rest_days: 3\n"
		    "  per_quarter: 1\n"
		    "requests:\n"
		    "- status: requested\n"
		    "  note2: n\n"
		    "  activity: quote\n"
		    "  opened: 2026-01-01\n"
		    "  id: acme-jane/1\n"
		    "mid: [1, 2]\n");
	assert_int_equal(refctl_record_format(&f->out, f->rec), 0);
	assert_string_equal(f->out.ptr,
			    "id: acme-jane\n"
			    "name: Jane\n"
			    "company: ACME\n"
			    "status: active\n"
			    "country: \"NO\"\n"
			    "since: 2024-01-31\n"
			    "nps: 9\n"
			    "tags:\n"
			    "- \"yes\"\n"
			    "- b\n"
			    "limits:\n"
			    "  per_quarter: 1\n"
			    "  rest_days: 3\n"
			    "requests:\n"
			    "- id: acme-jane/1\n"
			    "  opened: 2026-01-01\n"
			    "  activity: quote\n"
			    "  status: requested\n"
			    "  note2: n\n"
			    "zeta: 1\n"
			    "alpha: x\n"
			    "mid:\n"
			    "- 1\n"
			    "- 2\n");

	/* the formatted text is canonical itself */
	refctl_buf_puts(&f->tmp, f->out.ptr);
	parse_ok(f, f->tmp.ptr);
	refctl_buf_clear(&f->out);
	assert_int_equal(refctl_record_format(&f->out, f->rec), 0);
	assert_string_equal(f->out.ptr, f->tmp.ptr);
}

static void test_format_identical_on_canonical_input(void **state)
{
	struct fx *f = *state;

	parse_ok(f, full_record);
	assert_int_equal(refctl_record_format(&f->out, f->rec), 0);
	assert_string_equal(f->out.ptr, full_record);
	assert_int_equal(f->out.size, strlen(full_record));
}

/* ---- edits ---- */

static void format_into(struct fx *f, struct refctl_buf *b)
{
	refctl_buf_clear(b);
	assert_int_equal(refctl_record_format(b, f->rec), 0);
}

/* A failed edit leaves the record as it was, with this error. */
static void expect_set_refused(struct fx *f, const char *path, const char *value, const char *expected)
{
	struct refctl_buf before = REFCTL_BUF_INIT, after = REFCTL_BUF_INIT;
	int nps = f->rec->a.nps;
	int rc;

	format_into(f, &before);
	rc = value ? refctl_record_set(f->rec, path, value) : refctl_record_unset(f->rec, path);
	if (rc != REFCTL_EINVALID)
		fail_msg("%s %s=%s: rc %d, expected %s", value ? "set" : "unset", path, value ? value : "",
			 rc, expected);
	assert_string_equal(refctl_error_last(), expected);
	format_into(f, &after);
	assert_string_equal(after.ptr, before.ptr);
	/* the typed view still describes the record */
	assert_int_equal(f->rec->a.nps, nps);
	assert_string_equal(f->rec->a.id, "acme-jane");
	refctl_buf_release(&before);
	refctl_buf_release(&after);
}

static void test_set_fields(void **state)
{
	struct fx *f = *state;
	const struct refctl_advocate *a;

	parse_ok(f, BASE "nps: 5\n");
	a = &f->rec->a;
	assert_int_equal(refctl_record_set(f->rec, "name", "Janet Roe"), 0);
	assert_string_equal(a->name, "Janet Roe");
	assert_int_equal(refctl_record_set(f->rec, "nps", "7"), 0);
	assert_int_equal(a->nps, 7);
	assert_int_equal(refctl_node_get(f->rec->root, "nps")->is_string, 0);
	assert_int_equal(refctl_record_set(f->rec, "country", "NO"), 0);
	assert_string_equal(a->country, "NO");
	assert_int_equal(refctl_record_set(f->rec, "since", "2024-02-29"), 0);
	assert_int_equal(a->since, ymd(2024, 2, 29));
	assert_int_equal(refctl_record_set(f->rec, "products", " a, b ,c,, "), 0);
	assert_int_equal(a->products.n, 3);
	assert_string_equal(a->products.v[0], "a");
	assert_string_equal(a->products.v[1], "b");
	assert_string_equal(a->products.v[2], "c");
	assert_int_equal(refctl_record_set(f->rec, "limits.per_quarter", "3"), 0);
	assert_int_equal(a->per_quarter, 3);
	assert_int_equal(refctl_record_set(f->rec, "consent.until", "2027-01-01"), 0);
	assert_int_equal(refctl_record_set(f->rec, "consent.scope", "logo,quote"), 0);
	assert_int_equal(a->consent_until, ymd(2027, 1, 1));
	assert_int_equal(a->consent_scope.n, 2);
	assert_int_equal(refctl_record_set(f->rec, "notes", "two\nlines"), 0);
	assert_string_equal(a->notes, "two\nlines");

	format_into(f, &f->out);
	assert_string_equal(f->out.ptr,
			    "id: acme-jane\n"
			    "name: Janet Roe\n"
			    "company: ACME\n"
			    "status: active\n"
			    "country: \"NO\"\n"
			    "since: 2024-02-29\n"
			    "nps: 7\n"
			    "notes: |-\n"
			    "  two\n"
			    "  lines\n"
			    "products:\n"
			    "- a\n"
			    "- b\n"
			    "- c\n"
			    "consent:\n"
			    "  until: 2027-01-01\n"
			    "  scope:\n"
			    "  - logo\n"
			    "  - quote\n"
			    "limits:\n"
			    "  per_quarter: 3\n");

	/* an empty value empties a list: the key goes */
	assert_int_equal(refctl_record_set(f->rec, "products", ""), 0);
	assert_int_equal(a->products.n, 0);
	assert_null(refctl_node_get(f->rec->root, "products"));
}

static void test_set_refused(void **state)
{
	struct fx *f = *state;

	parse_ok(f, BASE "nps: 5\nlanguages: [de]\n");
	expect_set_refused(f, "id", "other", "the id cannot be changed: it names the file and the request ids");
	expect_set_refused(f, "colour", "blue", "unknown field 'colour' (see 'refctl help set')");
	expect_set_refused(f, "name.first", "x", "unknown field 'name.first' (see 'refctl help set')");
	expect_set_refused(f, "limits.max", "1", "unknown field 'limits.max' (see 'refctl help set')");
	expect_set_refused(f, "requests", "x", "'requests' is changed with 'refctl request' and 'refctl reward'");
	expect_set_refused(f, "rewards", "x", "'rewards' is changed with 'refctl request' and 'refctl reward'");
	expect_set_refused(f, "nps", "11", "nps must be an integer from 0 to 10");
	expect_set_refused(f, "status", "gone", "status must be one of nominated, active, paused or retired, not 'gone'");
	expect_set_refused(f, "languages", "de,xx", "languages: 'xx' is not an ISO 639-1 code such as de");
	expect_set_refused(f, "since", "2026-02-30", "since must be a date YYYY-MM-DD, not '2026-02-30'");
	expect_set_refused(f, "name", "two\nlines", "name must be a single line");
	expect_set_refused(f, "limits.per_quarter", "-1", "limits.per_quarter must be an integer from 0 to 1000");
	/* the refused nested set made no empty limits map */
	assert_null(refctl_node_get(f->rec->root, "limits"));
	expect_set_refused(f, "name", "", "name must not be empty");
	assert_int_equal(f->rec->a.languages.n, 1);
}

/* Problems inside consent: and limits: are reported once (regression). */
static void test_map_problems_reported_once(void **state)
{
	struct fx *f = *state;
	struct refctl_record *rec = NULL;
	const char *text = BASE "consent:\n  until: 2026-02-30\n  foo: 1\n";

	assert_int_equal(refctl_record_parse(&rec, FILE_NAME, text, strlen(text), &f->diags),
			 REFCTL_EINVALID);
	assert_int_equal(f->diags.nerrors, 1);
	assert_int_equal(f->diags.nwarnings, 1);
	refctl_record_free(rec);
}

/* Errors about the second of two flow-style requests on one line point at it. */
static void test_flow_requests_positions(void **state)
{
	struct fx *f = *state;
	struct refctl_record *rec = NULL;
	const char *text = BASE "requests: [{id: acme-jane/1, opened: 2026-01-05, status: requested, "
		"activity: quote}, {id: acme-jane/1, opened: 2026-01-05, status: requested, "
		"activity: quote}]\n";

	assert_int_equal(refctl_record_parse(&rec, FILE_NAME, text, strlen(text), &f->diags),
			 REFCTL_EINVALID);
	assert_int_equal(f->diags.nerrors, 1);
	/* the second map starts at column 87, its id value at 92 */
	assert_int_equal(f->diags.v[0].line, 5);
	assert_int_equal(f->diags.v[0].col, 92);
	refctl_record_free(rec);
}

static void test_unset_fields(void **state)
{
	struct fx *f = *state;

	parse_ok(f, BASE "title: CTO\nconsent:\n  until: 2027-01-01\nlimits:\n  per_quarter: 2\n  rest_days: 7\n");
	assert_int_equal(refctl_record_unset(f->rec, "title"), 0);
	assert_null(f->rec->a.title);
	assert_null(refctl_node_get(f->rec->root, "title"));
	/* absent already: fine */
	assert_int_equal(refctl_record_unset(f->rec, "title"), 0);
	assert_int_equal(refctl_record_unset(f->rec, "limits.per_quarter"), 0);
	assert_int_equal(f->rec->a.per_quarter, -1);
	assert_int_equal(f->rec->a.rest_days, 7);
	/* the last key of a map takes the map with it */
	assert_int_equal(refctl_record_unset(f->rec, "limits.rest_days"), 0);
	assert_null(refctl_node_get(f->rec->root, "limits"));
	assert_int_equal(refctl_record_unset(f->rec, "consent"), 0);
	assert_null(refctl_node_get(f->rec->root, "consent"));
	assert_int_equal(f->rec->a.consent_until, REFCTL_DATE_NONE);

	expect_set_refused(f, "name", NULL, "'name' is required and cannot be unset");
	expect_set_refused(f, "company", NULL, "'company' is required and cannot be unset");
	expect_set_refused(f, "status", NULL, "'status' is required and cannot be unset");
	expect_set_refused(f, "id", NULL, "the id cannot be changed: it names the file and the request ids");
	expect_set_refused(f, "colour", NULL, "unknown field 'colour' (see 'refctl help set')");

	format_into(f, &f->out);
	assert_string_equal(f->out.ptr, BASE);
}

static void test_tree_set(void **state)
{
	struct fx *f = *state;
	struct refctl_buf fields = REFCTL_BUF_INIT;
	size_t n = 1;

	f->tree = refctl_node_map();
	assert_int_equal(refctl_record_tree_set(f->tree, "id", "acme-jane", 0), 0);
	assert_int_equal(refctl_record_tree_set(f->tree, "name", "Jane", 0), 0);
	assert_int_equal(refctl_record_tree_set(f->tree, "company", "ACME", 0), 0);
	assert_int_equal(refctl_record_tree_set(f->tree, "status", "active", 0), 0);
	assert_int_equal(refctl_record_tree_set(f->tree, "tags", "a", 1), 0);
	assert_int_equal(refctl_record_tree_set(f->tree, "tags", "b, c", 1), 0);
	assert_int_equal(refctl_record_tree_set(f->tree, "nps", "8", 0), 0);
	assert_int_equal(refctl_record_tree_set(f->tree, "limits.rest_days", "9", 0), 0);
	assert_int_equal(refctl_record_tree_set(f->tree, "colour", "x", 0), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "unknown field 'colour'");
	assert_int_equal(refctl_record_tree_set(f->tree, "requests", "x", 0), REFCTL_EINVALID);

	assert_int_equal(refctl_record_from_node(&f->rec, FILE_NAME, f->tree, NULL), 0);
	f->tree = NULL; /* owned by the record now */
	assert_int_equal(f->rec->a.tags.n, 2);
	assert_string_equal(f->rec->a.tags.v[1], "b, c"); /* appended as one item */
	assert_int_equal(f->rec->a.nps, 8);
	assert_int_equal(f->rec->a.rest_days, 9);

	assert_true(refctl_record_field_is_list("products"));
	assert_true(refctl_record_field_is_list("consent.scope"));
	assert_false(refctl_record_field_is_list("name"));
	assert_false(refctl_record_field_is_list("limits.per_quarter"));
	assert_false(refctl_record_field_is_list("nothing"));
	refctl_record_settable_fields(&fields);
	assert_int_not_equal(strncmp(fields.ptr, "id,", 3), 0);
	assert_null(strstr(fields.ptr, ",id,"));
	assert_non_null(strstr(fields.ptr, "name,company,status,"));
	assert_non_null(strstr(fields.ptr, ",consent.until,consent.scope,limits.per_quarter,limits.rest_days"));
	for (const char *p = fields.ptr; (p = strchr(p, ',')); p++)
		n++;
	assert_int_equal(n, 33);
	refctl_buf_release(&fields);
}

static void test_from_node_error_takes_ownership(void **state)
{
	struct fx *f = *state;
	struct refctl_node *root = refctl_node_map();

	refctl_node_set(root, "name", refctl_node_scalar("Jane", 1));
	/* root passes to the function even though it fails: no leak */
	assert_int_equal(refctl_record_from_node(&f->rec, FILE_NAME, root, NULL), REFCTL_EINVALID);
	assert_null(f->rec);
}

/* ---- ids and vocabularies ---- */

static void derive(struct fx *f, const char *name, const char *company, const char *expected)
{
	refctl_id_derive(&f->out, name, company);
	assert_string_equal(f->out.ptr, expected);
	assert_true(refctl_id_valid(f->out.ptr));
}

static void test_id_derive(void **state)
{
	struct fx *f = *state;
	char longname[128];

	derive(f, "J\xc3\xbcrgen M\xc3\xbcller", "\xc3\x84rzte AG", "jurgen-muller-arzte-ag");
	derive(f, "Jane Doe", "ACME GmbH", "jane-doe-acme-gmbh");
	derive(f, "Pat O'Brien", "Acme", "pat-obrien-acme");
	/* the typographic apostrophe, U+2019, is dropped like the ASCII one */
	derive(f, "Pat O\xe2\x80\x99" "Brien", "Acme", "pat-obrien-acme");
	/* Latin Extended-A beyond U+0141 (regression: the table was shifted) */
	derive(f, "\xc5\x81ukasz \xc5\xbb\xc3\xb3\xc5\x82\xc4\x87", "", "lukasz-zolc");
	derive(f, "Anton\xc3\xadn Dvo\xc5\x99\xc3\xa1k", "", "antonin-dvorak");
	derive(f, "Paul Erd\xc5\x91s", "", "paul-erdos");
	derive(f, "Slavoj \xc5\xbdi\xc5\xbe" "ek", "", "slavoj-zizek");
	derive(f, "  Jane -- Doe  ", "(ACME) Inc.", "jane-doe-acme-inc");
	derive(f, "Stra\xc3\x9f" "e", "\xc3\x86on", "strasse-aeon");
	derive(f, "\xc4\x8c" "apek", "\xc4\x90or\xc4\x91" "e", "capek-dorde");
	derive(f, "\xc5\x92uvre", "\xc4\xb2ssel", "oeuvre-ijssel");
	derive(f, "Jane", NULL, "jane");
	derive(f, NULL, "ACME", "acme");
	derive(f, "", "", "advocate");
	derive(f, "!!!", "???", "advocate");
	derive(f, "\xe6\x97\xa5\xe6\x9c\xac", "", "advocate");
	derive(f, "Anna \xe6\x97\xa5 Berg", "", "anna-berg");

	/* at most 63 characters, and no '-' left at the end by the cut:
	 * 62 a's, "-b", "-c" is 66 long; cut to 63 it ends in '-' */
	memset(longname, 'a', 62);
	strcpy(longname + 62, " b");
	refctl_id_derive(&f->out, longname, "c");
	assert_int_equal(f->out.size, 62);
	assert_int_equal(strspn(f->out.ptr, "a"), 62);
	memset(longname, 'a', 70);
	longname[70] = '\0';
	refctl_id_derive(&f->out, longname, "");
	assert_int_equal(f->out.size, 63);
	assert_true(refctl_id_valid(f->out.ptr));
}

static void test_id_valid(void **state)
{
	char s[80];

	(void)state;
	assert_true(refctl_id_valid("a"));
	assert_true(refctl_id_valid("0abc"));
	assert_true(refctl_id_valid("acme-jane-2"));
	assert_true(refctl_id_valid("a--b"));
	assert_false(refctl_id_valid(""));
	assert_false(refctl_id_valid("-a"));
	assert_false(refctl_id_valid("A"));
	assert_false(refctl_id_valid("acme_jane"));
	assert_false(refctl_id_valid("acme jane"));
	assert_false(refctl_id_valid("acme/jane"));
	assert_false(refctl_id_valid("j\xc3\xbcrgen"));
	assert_false(refctl_id_valid("../x"));
	memset(s, 'a', 63);
	s[63] = '\0';
	assert_true(refctl_id_valid(s));
	s[63] = 'a';
	s[64] = '\0';
	assert_false(refctl_id_valid(s));
}

static void test_vocab(void **state)
{
	struct fx *f = *state;

	assert_true(refctl_vocab_eq("Use Case", "use-case"));
	assert_true(refctl_vocab_eq("use_case", "USE CASE"));
	assert_true(refctl_vocab_eq("", ""));
	assert_false(refctl_vocab_eq("abc", "abcd"));
	assert_false(refctl_vocab_eq("abcd", "abc"));
	assert_false(refctl_vocab_eq("a b", "ab"));
	assert_false(refctl_vocab_eq("a.b", "a-b"));
	refctl_vocab_norm(&f->out, "Financial Services_EU");
	assert_string_equal(f->out.ptr, "financial-services-eu");
}

static void test_balance_never_below_zero(void **state)
{
	struct fx *f = *state;

	/* 10, then -30 would reach -20: held at 0; then +5: 5 (a plain sum says -15) */
	parse_ok(f, BASE "rewards:\n"
			 "- date: 2026-01-01\n  points: 10\n"
			 "- date: 2026-02-01\n  points: -30\n"
			 "- date: 2026-03-01\n  points: 5\n");
	assert_int_equal(refctl_advocate_balance(&f->rec->a), 5);

	/* spending first does not make a debt: -5 held at 0, then +10: 10 */
	parse_ok(f, BASE "rewards:\n"
			 "- date: 2026-01-01\n  points: -5\n"
			 "- date: 2026-02-01\n  points: 10\n");
	assert_int_equal(refctl_advocate_balance(&f->rec->a), 10);

	/* 100 - 40 - 70 + 20 = 0 after the third step (not -10), then 20 */
	parse_ok(f, BASE "rewards:\n"
			 "- date: 2026-01-01\n  points: 100\n"
			 "- date: 2026-01-02\n  points: -40\n"
			 "- date: 2026-01-03\n  points: -70\n"
			 "- date: 2026-01-04\n  points: 20\n");
	assert_int_equal(refctl_advocate_balance(&f->rec->a), 20);
}

static void test_names_and_predicates(void **state)
{
	(void)state;
	assert_string_equal(refctl_status_name(REFCTL_STATUS_NOMINATED), "nominated");
	assert_string_equal(refctl_status_name(REFCTL_STATUS_RETIRED), "retired");
	assert_string_equal(refctl_status_name(0), "");
	assert_string_equal(refctl_req_status_name(REFCTL_REQ_CANCELLED), "cancelled");
	assert_int_equal(refctl_req_status_parse("scheduled"), REFCTL_REQ_SCHEDULED);
	assert_int_equal(refctl_req_status_parse("done"), 0);
	assert_string_equal(refctl_outcome_name(REFCTL_OUTCOME_LOST), "lost");
	assert_true(refctl_req_is_open(REFCTL_REQ_REQUESTED));
	assert_true(refctl_req_is_open(REFCTL_REQ_APPROVED));
	assert_true(refctl_req_is_open(REFCTL_REQ_SCHEDULED));
	assert_false(refctl_req_is_open(REFCTL_REQ_COMPLETED));
	assert_true(refctl_req_is_engagement(REFCTL_REQ_COMPLETED));
	assert_false(refctl_req_is_engagement(REFCTL_REQ_DECLINED));
	assert_false(refctl_req_is_engagement(REFCTL_REQ_CANCELLED));
	assert_true(refctl_activity_valid("site-visit"));
	assert_false(refctl_activity_valid("webinar"));
}


/* ---- item ids ---- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Thousands of ids for one advocate and one day, drawn by processes at
 * once (as clones would, with no counter between them): none twice. */
static void test_item_ids_unique_across_processes(void **state)
{
	enum { PROCS = 8, EACH = 1000, LEN = 40 };
	char (*ids)[LEN] = calloc(PROCS * EACH, LEN);
	char **sorted = calloc(PROCS * EACH, sizeof(*sorted));
	int fds[PROCS];
	refctl_date day;
	size_t n = 0;

	(void)state;
	assert_int_equal(refctl_date_parse(&day, "2026-11-15"), 0);
	for (int p = 0; p < PROCS; p++) {
		int pipefd[2];
		assert_int_equal(pipe(pipefd), 0);
		if (fork() == 0) {
			struct refctl_buf b = REFCTL_BUF_INIT;
			FILE *out = fdopen(pipefd[1], "w");
			close(pipefd[0]);
			for (int i = 0; i < EACH; i++) {
				if (refctl_item_id_new(&b, "acme-jane", day) < 0)
					_exit(1);
				fprintf(out, "%s\n", b.ptr);
			}
			refctl_buf_release(&b);
			fclose(out);
			free(sorted); /* the parent's, copied into the child */
			free(ids);
			_exit(0);
		}
		close(pipefd[1]);
		fds[p] = pipefd[0];
	}
	for (int p = 0; p < PROCS; p++) {
		FILE *in = fdopen(fds[p], "r");
		while (n < PROCS * EACH && fgets(ids[n], LEN, in)) {
			ids[n][strcspn(ids[n], "\n")] = '\0';
			sorted[n] = ids[n];
			n++;
		}
		fclose(in);
	}
	while (wait(NULL) > 0)
		;
	assert_int_equal(n, PROCS * EACH);
	for (size_t i = 0; i < n; i++) {
		unsigned long seq = 1;
		assert_int_equal(strlen(sorted[i]), strlen("acme-jane/261115-") + 8);
		assert_int_equal(strncmp(sorted[i], "acme-jane/261115-", 17), 0);
		assert_int_equal(refctl_item_id_kind(&seq, sorted[i], "acme-jane"), 1);
		assert_int_equal(seq, 0);
	}
	qsort(sorted, n, sizeof(*sorted), str_cmp);
	for (size_t i = 1; i < n; i++)
		assert_string_not_equal(sorted[i - 1], sorted[i]);
	free(sorted);
	free(ids);
}

static void test_item_ids_sort_by_day(void **state)
{
	struct refctl_buf a = REFCTL_BUF_INIT, b = REFCTL_BUF_INIT;
	refctl_date d1, d2;

	(void)state;
	refctl_date_parse(&d1, "2026-09-30");
	refctl_date_parse(&d2, "2026-10-01");
	for (int i = 0; i < 200; i++) {
		assert_int_equal(refctl_item_id_new(&a, "x", d1), 0);
		assert_int_equal(refctl_item_id_new(&b, "x", d2), 0);
		assert_true(strcmp(a.ptr, b.ptr) < 0);
	}
	assert_int_equal(refctl_item_id_kind(NULL, "x/3", "x"), 2);
	assert_int_equal(refctl_item_id_kind(NULL, "y/260930-00000000", "x"), 0);
	refctl_buf_release(&a);
	refctl_buf_release(&b);
}

/* Rewards and content: an id is optional, of the request's form, unique. */
static void test_reward_and_content_ids(void **state)
{
	struct refctl_record *rec = NULL;
	static const char ok[] = "id: ann\nname: A\ncompany: C\nstatus: active\n"
				 "rewards:\n- {date: 2025-01-01, points: 5}\n"
				 "- {id: ann/261115-7kq2m9xd, date: 2026-11-15, points: 5}\n"
				 "content:\n- {kind: quote}\n- {id: ann/261115-7kq2m9xd, kind: video}\n";
	static const char bad[] = "id: ann\nname: A\ncompany: C\nstatus: active\n"
				  "rewards:\n- {id: ann/1x, date: 2026-11-15, points: 5}\n"
				  "content:\n- {id: ann/261115-7kq2m9xd, kind: quote}\n"
				  "- {id: ann/261115-7kq2m9xd, kind: video}\n";
	struct refctl_diags d = REFCTL_DIAGS_INIT;

	(void)state;
	assert_int_equal(refctl_record_parse(&rec, "advocates/ann.yaml", ok, strlen(ok), NULL), 0);
	assert_null(rec->a.rewards[0].id);
	assert_string_equal(rec->a.rewards[1].id, "ann/261115-7kq2m9xd");
	assert_string_equal(rec->a.content[1].id, "ann/261115-7kq2m9xd");
	refctl_record_free(rec);
	assert_int_equal(refctl_record_parse(&rec, "advocates/ann.yaml", bad, strlen(bad), &d), REFCTL_EINVALID);
	assert_int_equal(d.nerrors, 2);
	assert_string_equal(d.v[0].message, "rewards[1].id must be ann/YYMMDD-XXXXXXXX, not 'ann/1x'");
	assert_string_equal(d.v[1].message, "duplicate content id 'ann/261115-7kq2m9xd' (also on line 8)");
	refctl_diags_release(&d);
}

/* New entries written without an id get one; older ones keep having none. */
static void test_assign_ids(void **state)
{
	struct refctl_yaml_docs before, after;
	static const char old[] = "id: ann\nrewards:\n- {date: 2025-01-01, points: 5}\n";
	static const char now[] = "id: ann\nrewards:\n- {date: 2025-01-01, points: 5}\n- {date: 2026-03-04, points: 9}\n"
				  "content:\n- {kind: quote}\n";
	refctl_date today;
	const struct refctl_node *w, *c;

	(void)state;
	refctl_date_parse(&today, "2026-11-15");
	assert_int_equal(refctl_yaml_load(&before, "b", old, strlen(old), 0), 0);
	assert_int_equal(refctl_yaml_load(&after, "a", now, strlen(now), 0), 0);
	assert_int_equal(refctl_record_assign_ids(after.v[0], before.v[0], today), 2);
	w = refctl_node_get(after.v[0], "rewards");
	c = refctl_node_get(after.v[0], "content");
	assert_null(refctl_node_get(w->items[0], "id"));
	/* dated by the entry's own date, else today */
	assert_int_equal(strncmp(refctl_node_get(w->items[1], "id")->str, "ann/260304-", 11), 0);
	assert_int_equal(strncmp(refctl_node_get(c->items[0], "id")->str, "ann/261115-", 11), 0);
	/* again: nothing new */
	assert_int_equal(refctl_record_assign_ids(after.v[0], after.v[0], today), 0);
	refctl_yaml_docs_release(&before);
	refctl_yaml_docs_release(&after);
}

/* The one definition of the unknown-activity message, and the outcome names. */
static void test_activity_check_and_outcomes(void **state)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	(void)state;

	assert_int_equal(refctl_activity_check("site-visit"), 0);
	/* as vocabulary: case, ' ', '_' and '-' alike */
	assert_int_equal(refctl_activity_check("Site Visit"), 0);
	assert_int_equal(refctl_activity_check("advisory_board"), 0);
	assert_int_equal(refctl_activity_check("webinar"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "unknown activity 'webinar' (expected one of reference-call, case-study, quote, "
			    "video, speaking, press, analyst, advisory-board, beta, referral, site-visit, social "
			    "or community)");

	assert_int_equal(refctl_outcome_parse("won"), REFCTL_OUTCOME_WON);
	assert_int_equal(refctl_outcome_parse("lost"), REFCTL_OUTCOME_LOST);
	assert_int_equal(refctl_outcome_parse("open"), REFCTL_OUTCOME_OPEN);
	assert_int_equal(refctl_outcome_parse("Won"), 0);
	assert_int_equal(refctl_outcome_parse(""), 0);
	refctl_outcome_names(&b, (1u << REFCTL_OUTCOME_WON) | (1u << REFCTL_OUTCOME_LOST) |
				 (1u << REFCTL_OUTCOME_OPEN));
	assert_string_equal(b.ptr, "won, lost or open");
	refctl_buf_clear(&b);
	refctl_outcome_names(&b, (1u << REFCTL_OUTCOME_WON) | (1u << REFCTL_OUTCOME_LOST));
	assert_string_equal(b.ptr, "won or lost");
	refctl_buf_clear(&b);
	refctl_outcome_names(&b, 1u << REFCTL_OUTCOME_OPEN);
	assert_string_equal(b.ptr, "open");
	refctl_buf_release(&b);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_full_record_view),
		T(test_view_image),
		T(test_minimal_record_defaults),
		T(test_error_required_fields),
		T(test_error_enum_values),
		T(test_error_nps_range),
		T(test_error_dates),
		T(test_error_country_language_activity),
		T(test_error_email),
		T(test_error_lists_and_maps),
		T(test_error_id),
		T(test_error_request_ids),
		T(test_error_request_dates_and_status),
		T(test_diags_collects_everything),
		T(test_diags_yaml_error),
		T(test_unknown_keys_are_warnings),
		T(test_conflict_markers),
		T(test_format_canonical_order),
		T(test_format_identical_on_canonical_input),
		T(test_set_fields),
		T(test_set_refused),
		T(test_unset_fields),
		T(test_map_problems_reported_once),
		T(test_flow_requests_positions),
		T(test_tree_set),
		T(test_from_node_error_takes_ownership),
		T(test_id_derive),
		T(test_id_valid),
		T(test_vocab),
		T(test_balance_never_below_zero),
		T(test_names_and_predicates),
		T(test_item_ids_unique_across_processes),
		T(test_item_ids_sort_by_day),
		T(test_reward_and_content_ids),
		T(test_assign_ids),
		T(test_activity_check_and_outcomes),
	};
	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
