/* Unit tests for lib/iso.c: ISO codes and the names written for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/iso.h"

static void assert_country(const char *name, const char *code)
{
	const char *got = refctl_iso_country_code(name);
	if (!code)
		assert_null(got);
	else
		assert_string_equal(got ? got : "(null)", code);
}

static void assert_language(const char *name, const char *code)
{
	const char *got = refctl_iso_language_code(name);
	if (!code)
		assert_null(got);
	else
		assert_string_equal(got ? got : "(null)", code);
}

static void test_codes(void **state)
{
	(void)state;
	assert_true(refctl_iso_country_valid("DE"));
	assert_true(refctl_iso_country_valid("XK"));
	assert_false(refctl_iso_country_valid("de"));
	assert_false(refctl_iso_country_valid("UK")); /* GB is the code */
	assert_false(refctl_iso_country_valid("DEU"));
	assert_true(refctl_iso_language_valid("no"));
	assert_false(refctl_iso_language_valid("EN"));
	assert_false(refctl_iso_language_valid("xx"));
}

static void test_country_names(void **state)
{
	(void)state;
	assert_country("Germany", "DE");
	assert_country(" germany ", "DE");
	assert_country("Deutschland", "DE");
	assert_country("de", "DE");
	assert_country("United States of America", "US");
	assert_country("U.S.A.", "US");
	assert_country("USA", "US");
	assert_country("United Kingdom", "GB");
	assert_country("UK", "GB");
	assert_country("The Netherlands", "NL");
	assert_country("Côte d'Ivoire", "CI");
	assert_country("Cote d'Ivoire", "CI");
	assert_country("cote divoire", "CI");
	assert_country("Korea, Republic of", "KR");
	assert_country("Bosnia & Herzegovina", "BA");
	assert_country("Österreich", "AT");
	assert_country("Türkiye", "TR");
	assert_country("Norway", "NO");
	assert_country("Germny", NULL);
	assert_country("", NULL);
	assert_country("Atlantis", NULL);
}

static void test_language_names(void **state)
{
	(void)state;
	assert_language("German", "de");
	assert_language("Deutsch", "de");
	assert_language("DE", "de");
	assert_language("de-DE", "de");
	assert_language("pt_BR", "pt");
	assert_language("zh-Hant-TW", "zh");
	assert_language("Português", "pt");
	assert_language("Français", "fr");
	assert_language("Norwegian", "no");
	assert_language("Japanese", "ja");
	assert_language("日本語", "ja");
	assert_language("Klingon", NULL);
	assert_language("xx-XX", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_country_names),
		cmocka_unit_test(test_language_names),
	};
	return cmocka_run_group_tests_name("iso", tests, NULL, NULL);
}
