/* Unit tests for lib/config.c: refctl.yaml defaults, overrides, rejections, aliases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/config.h"
#include "refctl/record.h"

struct fx {
	struct refctl_config *cfg;
	struct refctl_buf out;
	struct refctl_record *rec;
	struct refctl_diags diags;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	refctl_buf_init(&f->out);
	refctl_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_config_free(f->cfg);
	refctl_buf_release(&f->out);
	refctl_record_free(f->rec);
	refctl_diags_release(&f->diags);
	free(f);
	return 0;
}

static int parse(struct fx *f, const char *text)
{
	refctl_config_free(f->cfg);
	f->cfg = NULL;
	return refctl_config_parse(&f->cfg, "refctl.yaml", text, strlen(text));
}

static void parse_ok(struct fx *f, const char *text)
{
	if (parse(f, text) < 0)
		fail_msg("'%s' does not parse: %s", text, refctl_error_last());
	assert_non_null(f->cfg);
}

static void expect_reject(struct fx *f, const char *text, const char *expected)
{
	int rc = parse(f, text);
	if (rc != REFCTL_EINVALID)
		fail_msg("'%s' was accepted (rc %d), expected: %s", text, rc, expected);
	assert_null(f->cfg);
	assert_string_equal(refctl_error_last(), expected);
}

static long points(const struct refctl_config *cfg, const char *activity)
{
	return refctl_config_points(cfg, activity);
}

/* The documented defaults, written out by hand. */
static void assert_defaults(const struct refctl_config *c)
{
	static const double weights[REFCTL_CRIT_COUNT] = { 4, 3, 3, 2, 2, 1, 1 };

	assert_string_equal(c->program, "Customer reference program");
	assert_int_equal(c->per_quarter, 4);
	assert_int_equal(c->rest_days, 14);
	for (int i = 0; i < REFCTL_CRIT_COUNT; i++)
		if (c->weights[i] != weights[i])
			fail_msg("weight %s is %g, expected %g", refctl_criterion_names[i], c->weights[i],
				 weights[i]);
	assert_int_equal(points(c, "reference-call"), 10);
	assert_int_equal(points(c, "case-study"), 50);
	assert_int_equal(points(c, "quote"), 10);
	assert_int_equal(points(c, "video"), 50);
	assert_int_equal(points(c, "speaking"), 75);
	assert_int_equal(points(c, "press"), 50);
	assert_int_equal(points(c, "analyst"), 50);
	assert_int_equal(points(c, "advisory-board"), 50);
	assert_int_equal(points(c, "beta"), 25);
	assert_int_equal(points(c, "referral"), 25);
	assert_int_equal(points(c, "site-visit"), 100);
	assert_int_equal(points(c, "social"), 5);
	assert_int_equal(points(c, "community"), 5);
	assert_int_equal(c->consent_warning_days, 60);
	assert_int_equal(c->at_risk_nps, 6);
	assert_int_equal(c->at_risk_contact_days, 180);
	assert_string_equal(c->currency, "USD");
	assert_int_equal(c->referral_qualified, 0);
	assert_int_equal(c->referral_won, 25);
	assert_int_equal(c->naliases, 0);
	assert_int_equal(c->industries.n, 0);
	assert_int_equal(c->regions.n, 0);
	assert_int_equal(c->products.n, 0);
	assert_int_equal(c->use_cases.n, 0);
}

static void test_defaults(void **state)
{
	struct fx *f = *state;

	f->cfg = calloc(1, sizeof(*f->cfg));
	refctl_config_defaults(f->cfg);
	assert_defaults(f->cfg);
	assert_string_equal(refctl_criterion_names[REFCTL_CRIT_USE_CASE], "use_case");
	assert_string_equal(refctl_criterion_names[REFCTL_CRIT_SEGMENT], "segment");
	assert_int_equal(points(f->cfg, "webinar"), 0);
}

static void test_template_and_empty_give_defaults(void **state)
{
	struct fx *f = *state;

	parse_ok(f, refctl_config_template());
	assert_defaults(f->cfg);
	parse_ok(f, "");
	assert_defaults(f->cfg);
	parse_ok(f, "~\n");
	assert_defaults(f->cfg);
	parse_ok(f, "# only a comment\n");
	assert_defaults(f->cfg);
	parse_ok(f, "limits:\nmatch:\n  weights:\n");
	assert_defaults(f->cfg);
}

static void test_overrides(void **state)
{
	struct fx *f = *state;
	const struct refctl_config *c;

	parse_ok(f, "program: ACME advocates\n"
		    "limits:\n"
		    "  per_quarter: 2\n"
		    "match:\n"
		    "  weights:\n"
		    "    use_case: 5\n"
		    "    region: 1.5\n"
		    "    segment: 0\n"
		    "rewards:\n"
		    "  points:\n"
		    "    quote: 20\n"
		    "    social: 0\n"
		    "report:\n"
		    "  at_risk_nps: -1\n"
		    "  at_risk_contact_days: 90\n"
		    "vocabulary:\n"
		    "  industries: [Financial Services, retail]\n"
		    "  use_cases:\n"
		    "  - Data_Lake\n");
	c = f->cfg;
	assert_string_equal(c->program, "ACME advocates");
	assert_int_equal(c->per_quarter, 2);
	assert_int_equal(c->rest_days, 14); /* not given: default */
	assert_true(c->weights[REFCTL_CRIT_USE_CASE] == 5);
	assert_true(c->weights[REFCTL_CRIT_PRODUCT] == 3);
	assert_true(c->weights[REFCTL_CRIT_REGION] == 1.5);
	assert_true(c->weights[REFCTL_CRIT_SEGMENT] == 0);
	assert_int_equal(points(c, "quote"), 20);
	assert_int_equal(points(c, "social"), 0);
	assert_int_equal(points(c, "site-visit"), 100);
	assert_int_equal(c->at_risk_nps, -1);
	assert_int_equal(c->at_risk_contact_days, 90);
	assert_int_equal(c->consent_warning_days, 60);
	/* vocabularies are kept normalised */
	assert_int_equal(c->industries.n, 2);
	assert_string_equal(c->industries.v[0], "financial-services");
	assert_string_equal(c->industries.v[1], "retail");
	assert_int_equal(c->use_cases.n, 1);
	assert_string_equal(c->use_cases.v[0], "data-lake");
	assert_int_equal(c->regions.n, 0);
}

static void test_reject_weights(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "-1", "-0.5", "lots", "'2'", "\"2\"", "[2]", "inf", ".inf", "nan",
					   "1e400", "2x" };

	expect_reject(f, "match:\n  weights:\n    use_case: -1\n",
		      "refctl.yaml:3:15: match.weights.use_case must be a number from 0 to 1000");
	expect_reject(f, "match:\n  weights:\n    product: lots\n",
		      "refctl.yaml:3:14: match.weights.product must be a number from 0 to 1000");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "match:\n  weights:\n    region: %s\n", bad[i]);
		expect_reject(f, text, "refctl.yaml:3:13: match.weights.region must be a number from 0 to 1000");
	}
	/* "region:" with no value counts as a bad weight, not as absent */
	expect_reject(f, "match:\n  weights:\n    region:\n", "refctl.yaml:3:12: match.weights.region must be a number from 0 to 1000");
}

static void test_reject_numbers(void **state)
{
	struct fx *f = *state;

	expect_reject(f, "limits:\n  per_quarter: -1\n",
		      "refctl.yaml:2:16: limits.per_quarter must be a whole number from 0 to 1000");
	expect_reject(f, "limits:\n  per_quarter: four\n",
		      "refctl.yaml:2:16: limits.per_quarter must be a whole number from 0 to 1000");
	expect_reject(f, "limits:\n  per_quarter: 2.5\n",
		      "refctl.yaml:2:16: limits.per_quarter must be a whole number from 0 to 1000");
	expect_reject(f, "limits:\n  per_quarter: '4'\n",
		      "refctl.yaml:2:16: limits.per_quarter must be a whole number");
	expect_reject(f, "limits:\n  rest_days: 3661\n",
		      "refctl.yaml:2:14: limits.rest_days must be a whole number from 0 to 3660");
	expect_reject(f, "rewards:\n  points:\n    quote: -5\n",
		      "refctl.yaml:3:12: rewards.points.quote must be a whole number from 0 to 1000000");
	expect_reject(f, "report:\n  at_risk_nps: 11\n",
		      "refctl.yaml:2:16: report.at_risk_nps must be a whole number from -1 to 10");
	expect_reject(f, "report:\n  consent_warning_days: x\n",
		      "refctl.yaml:2:25: report.consent_warning_days must be a whole number from 0 to 3660");
}

static void test_reject_unknown_keys(void **state)
{
	struct fx *f = *state;

	expect_reject(f, "program: x\ncolour: red\n", "refctl.yaml:2:1: unknown setting 'colour'");
	expect_reject(f, "limits:\n  per_month: 3\n", "refctl.yaml:2:3: unknown setting 'limits.per_month'");
	expect_reject(f, "match:\n  weights:\n    use_case: 1\n    price: 1\n",
		      "refctl.yaml:4:5: unknown setting 'match.weights.price'");
	expect_reject(f, "match:\n  ranking: x\n", "refctl.yaml:2:3: unknown setting 'match.ranking'");
	expect_reject(f, "rewards:\n  points:\n    webinar: 5\n",
		      "refctl.yaml:3:5: unknown setting 'rewards.points.webinar'");
	expect_reject(f, "report:\n  at_risk: 1\n", "refctl.yaml:2:3: unknown setting 'report.at_risk'");
	expect_reject(f, "vocabulary:\n  countries: [DE]\n",
		      "refctl.yaml:2:3: unknown setting 'vocabulary.countries'");
	/* criterion names are exact */
	expect_reject(f, "match:\n  weights:\n    use-case: 1\n",
		      "refctl.yaml:3:5: unknown setting 'match.weights.use-case'");
}

static void test_reject_shapes(void **state)
{
	struct fx *f = *state;

	expect_reject(f, "limits: 5\n", "refctl.yaml:1:9: limits must be a map");
	expect_reject(f, "- a\n", "refctl.yaml:1:1: the settings file must be a map");
	/* a top level that is not a map is refused at 1:1 (the wording of the
	 * message is not checked: it still lacks its subject) */
	assert_int_equal(parse(f, "- a\n"), REFCTL_EINVALID);
	assert_null(f->cfg);
	assert_string_equal(refctl_error_last_file(), "refctl.yaml");
	assert_int_equal(refctl_error_last_line(), 1);
	assert_int_equal(refctl_error_last_col(), 1);
	expect_reject(f, "program: [a]\n", "refctl.yaml:1:10: program must be a string");
	expect_reject(f, "vocabulary:\n  industries: retail\n",
		      "refctl.yaml:2:15: vocabulary.industries must be a list of strings");
	expect_reject(f, "vocabulary:\n  regions: [emea, [x]]\n",
		      "refctl.yaml:2:19: vocabulary.regions must be a list of strings");
	expect_reject(f, "match:\n  aliases: [a]\n",
		      "refctl.yaml:2:12: match.aliases must be a map of value: canonical value");
	expect_reject(f, "match:\n  aliases:\n    finserv: [a]\n",
		      "refctl.yaml:3:14: match.aliases must be a map of value: canonical value");
	/* YAML errors name the file too */
	expect_reject(f, "limits:\n  per_quarter: 1\n  per_quarter: 2\n",
		      "refctl.yaml:3:3: duplicate key 'per_quarter'");
}

static void test_aliases_normalised(void **state)
{
	struct fx *f = *state;

	parse_ok(f, "match:\n"
		    "  aliases:\n"
		    "    FinServ: Financial Services\n"
		    "    Fin_Tech: financial_services\n"
		    "    NA: North America\n");
	assert_int_equal(f->cfg->naliases, 3);
	assert_string_equal(f->cfg->aliases[0].from, "finserv");
	assert_string_equal(f->cfg->aliases[0].to, "financial-services");
	assert_string_equal(f->cfg->aliases[1].from, "fin-tech");
	assert_string_equal(f->cfg->aliases[1].to, "financial-services");
	assert_string_equal(f->cfg->aliases[2].from, "na");
	assert_string_equal(f->cfg->aliases[2].to, "north-america");
}

static void canon(struct fx *f, const struct refctl_config *cfg, const char *in, const char *expected)
{
	refctl_config_canon(&f->out, cfg, in);
	assert_string_equal(f->out.ptr, expected);
}

static void test_canon(void **state)
{
	struct fx *f = *state;

	parse_ok(f, "match:\n  aliases:\n    FinServ: Financial Services\n    Fin Tech: FinServ\n");
	canon(f, f->cfg, "FinServ", "financial-services");
	canon(f, f->cfg, "FINSERV", "financial-services");
	canon(f, f->cfg, "fin_tech", "finserv"); /* one step, not transitive */
	canon(f, f->cfg, "Financial Services", "financial-services");
	canon(f, f->cfg, "Retail", "retail");
	canon(f, f->cfg, "", "");
	/* without a configuration: only normalised */
	canon(f, NULL, "FinServ", "finserv");
	canon(f, NULL, "Use_Case X", "use-case-x");
}

static void test_check_vocab(void **state)
{
	struct fx *f = *state;
	const char *text = "id: acme-jane\n"
			   "name: Jane\n"
			   "company: ACME\n"
			   "status: active\n"
			   "industry: FinServ\n"       /* an alias of an allowed value */
			   "region: APAC\n"            /* 6:9 not allowed */
			   "products: [Platform, Mobile]\n" /* 7:22 Mobile not allowed */
			   "use_cases: [anything]\n";  /* no use_cases vocabulary: anything goes */

	parse_ok(f, "match:\n  aliases:\n    FinServ: Financial Services\n"
		    "vocabulary:\n  industries: [Financial Services]\n  regions: [EMEA, NA]\n"
		    "  products: [platform]\n");
	assert_int_equal(refctl_record_parse(&f->rec, "advocates/acme-jane.yaml", text, strlen(text), NULL), 0);
	refctl_config_check_vocab(f->cfg, f->rec, &f->diags);
	assert_int_equal(f->diags.n, 2);
	assert_int_equal(f->diags.nwarnings, 2);
	assert_int_equal(f->diags.nerrors, 0);
	assert_string_equal(f->diags.v[0].file, "advocates/acme-jane.yaml");
	assert_int_equal(f->diags.v[0].line, 6);
	assert_int_equal(f->diags.v[0].col, 9);
	assert_string_equal(f->diags.v[0].field, "region");
	assert_string_equal(f->diags.v[0].message, "region: 'APAC' is not in vocabulary.regions of refctl.yaml");
	assert_int_equal(f->diags.v[1].line, 7);
	assert_string_equal(f->diags.v[1].message, "products: 'Mobile' is not in vocabulary.products of refctl.yaml");
}

static void test_currency(void **state)
{
	struct fx *f = *state;

	parse_ok(f, "currency: EUR\n");
	assert_string_equal(f->cfg->currency, "EUR");
	parse_ok(f, "currency: JPY\n");
	assert_string_equal(f->cfg->currency, "JPY");
	expect_reject(f, "currency: eur\n",
		      "refctl.yaml:1:11: currency must be an ISO 4217 currency code such as USD, EUR or GBP");
	expect_reject(f, "currency: EURO\n",
		      "refctl.yaml:1:11: currency must be an ISO 4217 currency code such as USD, EUR or GBP");
	expect_reject(f, "currency: ABC\n",
		      "refctl.yaml:1:11: currency must be an ISO 4217 currency code such as USD, EUR or GBP");
	expect_reject(f, "currency: [USD]\n",
		      "refctl.yaml:1:11: currency must be an ISO 4217 currency code such as USD, EUR or GBP");
	assert_true(refctl_currency_valid("GBP"));
	assert_false(refctl_currency_valid("GB"));
	assert_false(refctl_currency_valid(""));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_template_and_empty_give_defaults),
		T(test_overrides),
		T(test_reject_weights),
		T(test_reject_numbers),
		T(test_reject_unknown_keys),
		T(test_reject_shapes),
		T(test_aliases_normalised),
		T(test_canon),
		T(test_check_vocab),
		T(test_currency),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
