/* The content library's rules: usability, scope, text, and the changes in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/buf.h"
#include "refctl/common.h"
#include "refctl/content.h"

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

	snprintf(text, sizeof(text), "id: x\nname: X\ncompany: Acme\nstatus: active\nindustry: retail\n%s", extra);
	if (refctl_record_parse(&rec, "advocates/x.yaml", text, strlen(text), NULL) < 0)
		fail_msg("fixture does not parse: %s", refctl_error_last());
	return rec;
}

/* The rules item 0 of the fixture fails, in words, on today for country. */
static unsigned why(char *out, size_t size, const char *extra, const char *country, const char *today)
{
	struct refctl_record *rec = advocate(extra);
	struct refctl_buf b = REFCTL_BUF_INIT;
	unsigned rules = refctl_content_usable(&b, &rec->a, &rec->a.content[0], country, day(today));

	snprintf(out, size, "%s", b.ptr);
	refctl_buf_release(&b);
	refctl_record_free(rec);
	return rules;
}

#define OK "  approved: {by: A, date: 2026-01-02}\n  legal: {by: L, date: 2026-01-03}\n"

static void test_usable(void **state)
{
	char w[256];
	(void)state;

	assert_int_equal(why(w, sizeof(w), "consent: {scope: [quote]}\ncontent:\n- kind: quote\n" OK, NULL, "2026-11-15"), 0);
	assert_string_equal(w, "");
	assert_int_equal(why(w, sizeof(w), "content:\n- kind: quote\n", NULL, "2026-11-15"),
			 REFCTL_CONTENT_UNAPPROVED | REFCTL_CONTENT_NO_LEGAL | REFCTL_CONTENT_SCOPE);
	assert_string_equal(w, "not approved; no legal review; no consent for quote");
	/* expires: the day it may no longer be used */
	assert_int_equal(why(w, sizeof(w), "consent: {scope: [quote]}\ncontent:\n- kind: quote\n" OK "  expires: 2026-11-16\n",
			     NULL, "2026-11-15"), 0);
	assert_int_equal(why(w, sizeof(w), "consent: {scope: [quote]}\ncontent:\n- kind: quote\n" OK "  expires: 2026-11-15\n",
			     NULL, "2026-11-15"), REFCTL_CONTENT_EXPIRED);
	assert_string_equal(w, "expired 2026-11-15");
	/* consent until: the last day it covers */
	assert_int_equal(why(w, sizeof(w), "consent: {until: 2026-11-15, scope: [logo]}\ncontent:\n- kind: logo\n" OK,
			     NULL, "2026-11-15"), 0);
	assert_int_equal(why(w, sizeof(w), "consent: {until: 2026-11-14, scope: [logo]}\ncontent:\n- kind: logo\n" OK,
			     NULL, "2026-11-15"), REFCTL_CONTENT_CONSENT);
	assert_string_equal(w, "consent expired 2026-11-14");
}

static void test_countries(void **state)
{
	char w[256];
	const char *cleared = "consent: {scope: [video]}\ncontent:\n- kind: video\n"
			      "  approved: {by: A, date: 2026-01-02}\n"
			      "  legal: {by: L, date: 2026-01-03, countries: [DE, AT]}\n";
	(void)state;

	assert_int_equal(why(w, sizeof(w), cleared, "DE", "2026-11-15"), 0);
	assert_int_equal(why(w, sizeof(w), cleared, "at", "2026-11-15"), 0);
	assert_int_equal(why(w, sizeof(w), cleared, NULL, "2026-11-15"), 0);
	assert_int_equal(why(w, sizeof(w), cleared, "FR", "2026-11-15"), REFCTL_CONTENT_COUNTRY);
	assert_string_equal(w, "not cleared for FR (only DE, AT)");
}

static void test_scope_and_names(void **state)
{
	(void)state;
	assert_string_equal(refctl_content_scope_needed("quote"), "quote");
	assert_string_equal(refctl_content_scope_needed("logo"), "logo");
	assert_string_equal(refctl_content_scope_needed("video"), "video");
	assert_string_equal(refctl_content_scope_needed("case-study"), "case-study");
	assert_string_equal(refctl_content_scope_needed("review"), "name");
	assert_string_equal(refctl_content_scope_needed("article"), "name");
	assert_string_equal(refctl_content_rule_name(REFCTL_CONTENT_LANGUAGE), "language");
	assert_string_equal(refctl_content_rule_name(REFCTL_CONTENT_COUNTRY), "not cleared for the country");
	assert_string_equal(refctl_content_rule_name(0), "");
}

static void test_text(void **state)
{
	char *big;
	(void)state;

	assert_int_equal(refctl_content_check_text("Gr\xc3\xbc\xc3\x9f" "e", 6), 0);
	assert_int_equal(refctl_content_check_text("caf\xe9", 4), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "text is not valid UTF-8 (at byte 4)");
	assert_int_equal(refctl_content_check_text("a\0b", 3), REFCTL_EINVALID);
	assert_int_equal(refctl_content_check_text("", 0), REFCTL_EINVALID);
	big = malloc(REFCTL_CONTENT_TEXT_MAX + 1);
	memset(big, 'a', REFCTL_CONTENT_TEXT_MAX + 1);
	assert_int_equal(refctl_content_check_text(big, REFCTL_CONTENT_TEXT_MAX), 0);
	assert_int_equal(refctl_content_check_text(big, REFCTL_CONTENT_TEXT_MAX + 1), REFCTL_EINVALID);
	free(big);
}

/* add, translate, approve in memory: the tree, and the rules that refuse. */
static void test_apply(void **state)
{
	struct refctl_record *rec = advocate("consent: {scope: [quote]}\n");
	struct refctl_content_add_opts o = REFCTL_CONTENT_ADD_OPTS_INIT;
	struct refctl_content_change ch = REFCTL_CONTENT_CHANGE_INIT;
	struct refctl_content_result res;
	char orig[REFCTL_CONTENT_ID_MAX];
	(void)state;

	refctl_content_result_init(&res);
	o.kind = "quote";
	o.lang = "en";
	o.title = "T";
	o.text = "Fine.";
	o.today = day("2026-11-15");
	assert_int_equal(refctl_content_apply_add(&res, rec, &o), 0);
	snprintf(orig, sizeof(orig), "%s", res.id);
	assert_int_equal(strncmp(orig, "x/261115-", 9), 0);
	assert_int_equal(rec->a.ncontent, 1);
	assert_string_equal(rec->a.content[0].industry ? rec->a.content[0].industry : "(none)", "(none)");
	assert_string_equal(refctl_content_industry(&rec->a, &rec->a.content[0]), "retail");
	assert_int_equal(rec->a.content[0].created, day("2026-11-15"));

	o.url = "https://x.example";
	assert_int_equal(refctl_content_apply_add(&res, rec, &o), REFCTL_EUSAGE);
	o.url = NULL;
	o.kind = "poem";
	assert_int_equal(refctl_content_apply_add(&res, rec, &o), REFCTL_EINVALID);
	assert_int_equal(rec->a.ncontent, 1);

	ch.verb = REFCTL_CONTENT_TRANSLATE;
	ch.id = orig;
	ch.lang = "de";
	ch.text = "Gut.";
	ch.today = day("2026-11-15");
	assert_int_equal(refctl_content_apply_change(&res, rec, &ch), 0);
	assert_int_equal(rec->a.ncontent, 2);
	assert_string_equal(rec->a.content[1].translation_of, orig);
	assert_int_equal(refctl_content_apply_change(&res, rec, &ch), REFCTL_EEXISTS);
	ch.lang = "en";
	assert_int_equal(refctl_content_apply_change(&res, rec, &ch), REFCTL_EINVALID);
	assert_int_equal(rec->a.ncontent, 2);

	/* use: refused while not usable, rec unchanged */
	memset(&ch, 0, sizeof(ch));
	ch.verb = REFCTL_CONTENT_USE;
	ch.id = orig;
	ch.request = "x/261115-aaaaaaaa";
	ch.date = REFCTL_DATE_NONE;
	ch.today = day("2026-11-15");
	assert_int_equal(refctl_content_apply_change(&res, rec, &ch), REFCTL_EREFUSED);
	assert_non_null(strstr(refctl_error_last(), ": not approved; no legal review"));
	assert_int_equal(rec->a.content[0].used.n, 0);
	ch.id = "x/261115-zzzzzzzz";
	assert_int_equal(refctl_content_apply_change(&res, rec, &ch), REFCTL_ENOTFOUND);

	refctl_content_result_release(&res);
	refctl_record_free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usable),
		cmocka_unit_test(test_countries),
		cmocka_unit_test(test_scope_and_names),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
