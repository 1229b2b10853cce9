/* Unit tests for lib/rules.c: import rules, a row's values, and the inverse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/import.h"
#include "refctl/rules.h"

static const char rules_yaml[] =
	"key: [crm_id, email]\n"
	"fields:\n"
	"  crm_id: Id\n"
	"  name: \"{First} {Last}\"\n"
	"  email: Email\n"
	"  country: Country\n"
	"  languages: Languages\n"
	"  industry: Industry\n"
	"  segment: Size\n"
	"  since: Since\n"
	"  last_contact: Seen\n"
	"  notes: Notes\n"
	"date_format: \"%d.%m.%Y\"\n"
	"values:\n"
	"  industry:\n"
	"    Banking: financial-services\n"
	"    Financial Services: financial-services\n"
	"    N/A: \"\"\n"
	"  languages:\n"
	"    Englisch: en\n"
	"owns: [email, country, industry]\n"
	"defaults:\n"
	"  status: nominated\n"
	"  tags: [crm]\n";

static const char *const header_cells[] = {
	"Id", "First", "Last", "Email", "Country", "Languages", "Industry", "Size", "Since", "Seen", "Notes",
};

struct fx {
	struct refctl_rules *r;
	struct refctl_buf out;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct refctl_csv_row header = { 1, sizeof(header_cells) / sizeof(header_cells[0]), (const char **)header_cells };

	refctl_buf_init(&f->out);
	assert_int_equal(refctl_rules_parse(&f->r, "r.yaml", rules_yaml, sizeof(rules_yaml) - 1), 0);
	assert_int_equal(refctl_rules_bind(f->r, "t.csv", &header), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_rules_free(f->r);
	refctl_buf_release(&f->out);
	free(f);
	return 0;
}

/* The value of path's rule for a row whose every other cell is empty. */
static const char *value_of(struct fx *f, const char *path, const char *column, const char *cell, unsigned *col)
{
	const char *cells[sizeof(header_cells) / sizeof(header_cells[0])];
	unsigned c;

	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		cells[i] = strcmp(header_cells[i], column) ? "" : cell;
	refctl_rules_value(&f->out, col ? col : &c, f->r, refctl_rules_find(f->r, path), cells);
	return f->out.ptr;
}

static void test_parse(void **state)
{
	struct fx *f = *state;
	const struct refctl_rule *name = refctl_rules_find(f->r, "name");

	assert_int_equal(f->r->n, 10);
	assert_int_equal(f->r->nkeys, 2);
	assert_string_equal(f->r->v[f->r->keys[0]].path, "crm_id");
	assert_string_equal(f->r->v[f->r->keys[1]].path, "email");
	assert_int_equal(name->ncols, 2);
	assert_string_equal(name->cols[1], "Last");
	assert_string_equal(name->lits[1], " ");
	assert_false(name->owned);
	assert_true(refctl_rules_find(f->r, "email")->owned);
	assert_int_equal(f->r->ncolumns, 11);
	assert_string_equal(f->r->columns[2], "Last");
	assert_non_null(f->r->defaults);
}

static void test_templates(void **state)
{
	struct fx *f = *state;
	const char *cells[11] = { "", " Mary Ann ", "Smith", "", "", "", "", "", "", "", "" };
	unsigned col;

	refctl_rules_value(&f->out, &col, f->r, refctl_rules_find(f->r, "name"), cells);
	assert_string_equal(f->out.ptr, "Mary Ann Smith");
	assert_int_equal(col, 2);
	/* an empty cell takes its separator with it */
	cells[1] = "";
	refctl_rules_value(&f->out, &col, f->r, refctl_rules_find(f->r, "name"), cells);
	assert_string_equal(f->out.ptr, "Smith");
	assert_int_equal(col, 3);
	cells[2] = "";
	refctl_rules_value(&f->out, &col, f->r, refctl_rules_find(f->r, "name"), cells);
	assert_string_equal(f->out.ptr, "");
}

static void test_maps_names_enums(void **state)
{
	struct fx *f = *state;
	unsigned col;

	assert_string_equal(value_of(f, "industry", "Industry", "  banking ", &col), "financial-services");
	assert_int_equal(col, 7);
	assert_string_equal(value_of(f, "industry", "Industry", "Retail", NULL), "Retail");
	assert_string_equal(value_of(f, "industry", "Industry", "N/A", NULL), "");
	assert_string_equal(value_of(f, "country", "Country", "Deutschland", NULL), "DE");
	assert_string_equal(value_of(f, "country", "Country", "de", NULL), "DE");
	assert_string_equal(value_of(f, "country", "Country", "Germny", NULL), "Germny");
	assert_string_equal(value_of(f, "segment", "Size", "Mid Market", NULL), "mid-market");
	assert_string_equal(value_of(f, "segment", "Size", "Huge", NULL), "Huge");
	assert_string_equal(value_of(f, "email", "Email", " a@b.example ", NULL), "a@b.example");
	/* text keeps its spaces and lines */
	assert_string_equal(value_of(f, "notes", "Notes", " one\ntwo ", NULL), " one\ntwo ");
}

static void test_lists(void **state)
{
	struct fx *f = *state;

	assert_string_equal(value_of(f, "languages", "Languages", "German; Englisch;;pt_BR ;", NULL), "de\nen\npt\n");
	assert_string_equal(value_of(f, "languages", "Languages", "", NULL), "");
}

static void test_dates(void **state)
{
	struct fx *f = *state;

	assert_string_equal(value_of(f, "since", "Since", "2026-10-03", NULL), "2026-10-03");
	assert_string_equal(value_of(f, "since", "Since", "2026-10-03 14:22:01 UTC", NULL), "2026-10-03");
	assert_string_equal(value_of(f, "since", "Since", "2026-10-03T14:22:01Z", NULL), "2026-10-03");
	assert_string_equal(value_of(f, "since", "Since", "03.10.2026", NULL), "2026-10-03");
	/* not a date: left for validation to name */
	assert_string_equal(value_of(f, "since", "Since", "31.02.2026", NULL), "31.02.2026");
	assert_string_equal(value_of(f, "since", "Since", "soon", NULL), "soon");
}

static void test_inverse(void **state)
{
	struct fx *f = *state;
	struct refctl_rules *r = NULL;
	char *cells[11] = { 0 };
	static const char yaml[] =
		"fields:\n  email: Email\n  name: \"{First} {Last}\"\n  industry: Industry\n  languages: Languages\n"
		"values:\n  industry:\n    Banking: financial-services\n    Financial Services: financial-services\n";
	const char *names[] = { "Email", "First", "Last", "Industry", "Languages" };
	struct refctl_csv_row header = { 1, 5, names };
	(void)f;

	assert_int_equal(refctl_rules_parse(&r, "r.yaml", yaml, sizeof(yaml) - 1), 0);
	assert_int_equal(refctl_rules_bind(r, "export", &header), 0);
	assert_int_equal(refctl_rules_cells(cells, r, refctl_rules_find(r, "name"), "Mary Ann Smith"), 0);
	assert_string_equal(cells[1], "Mary");
	assert_string_equal(cells[2], "Ann Smith");
	assert_int_equal(refctl_rules_cells(cells, r, refctl_rules_find(r, "industry"), "financial-services"), 0);
	assert_string_equal(cells[3], "Banking");
	assert_int_equal(refctl_rules_cells(cells, r, refctl_rules_find(r, "languages"), "de\nen\n"), 0);
	assert_string_equal(cells[4], "de;en");
	for (int i = 0; i < 5; i++) {
		free(cells[i]);
		cells[i] = NULL;
	}
	/* a name the template cannot split goes whole into the first column */
	assert_int_equal(refctl_rules_cells(cells, r, refctl_rules_find(r, "name"), "Cher"), 0);
	assert_string_equal(cells[1], "Cher");
	assert_string_equal(cells[2], "");
	assert_int_equal(refctl_rules_cells(cells, r, refctl_rules_find(r, "languages"), "a;b\n"), REFCTL_EINVALID);
	for (int i = 0; i < 5; i++)
		free(cells[i]);
	refctl_rules_free(r);
}

static void test_errors(void **state)
{
	struct refctl_rules *r = NULL;
	static const char nokey[] = "fields:\n  title: Title\n";
	static const char nps_owns[] = "kind: nps\nfields:\n  email: Email\n  nps: S\n  last_contact: D\nowns: [nps]\n";
	static const char delim[] = "delimiter: \"|\"\nfields:\n  email: Email\n";
	static const char empty[] = "";
	(void)state;

	assert_int_equal(refctl_rules_parse(&r, "r.yaml", nokey, sizeof(nokey) - 1), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "r.yaml:1:1: the rules feed no field that identifies an advocate: map crm_id or email, or name the key (key: FIELD)");
	assert_int_equal(refctl_rules_parse(&r, "r.yaml", nps_owns, sizeof(nps_owns) - 1), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "r.yaml:6:7: owns: an NPS import owns nps and last_contact, and nothing else");
	assert_int_equal(refctl_rules_parse(&r, "r.yaml", delim, sizeof(delim) - 1), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "r.yaml:1:12: delimiter must be \",\", \";\" or tab");
	assert_int_equal(refctl_rules_parse(&r, "r.yaml", empty, 0), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "r.yaml:1:1: the rules file is empty");
	assert_null(r);
}

static void test_from_header(void **state)
{
	struct refctl_rules *r = NULL;
	const char *a[] = { "email", "name", "crm_id", "consent.until" };
	const char *b[] = { "name", "id", "email" };
	const char *c[] = { "name", "requests" };
	struct refctl_csv_row ha = { 1, 4, a }, hb = { 1, 3, b }, hc = { 1, 2, c };
	(void)state;

	assert_int_equal(refctl_rules_from_header(&r, "t.csv", &ha), 0);
	/* crm_id, else email */
	assert_int_equal(r->nkeys, 2);
	assert_string_equal(r->v[r->keys[0]].path, "crm_id");
	assert_string_equal(r->v[r->keys[1]].path, "email");
	assert_true(refctl_rules_find(r, "consent.until")->owned);
	refctl_rules_free(r);
	assert_int_equal(refctl_rules_from_header(&r, "t.csv", &hb), 0);
	assert_int_equal(r->nkeys, 1);
	assert_string_equal(r->v[r->keys[0]].path, "id");
	assert_false(refctl_rules_find(r, "id")->owned);
	refctl_rules_free(r);
	assert_int_equal(refctl_rules_from_header(&r, "t.csv", &hc), REFCTL_EINVALID);
	assert_int_equal(refctl_error_last_col(), 2);
}

static void test_formulas(void **state)
{
	(void)state;
	assert_true(refctl_import_is_formula("=1+1"));
	assert_true(refctl_import_is_formula("@SUM(A1)"));
	assert_true(refctl_import_is_formula("  =cmd|' /C calc'!A0"));
	assert_true(refctl_import_is_formula("\t=1"));
	assert_true(refctl_import_is_formula("+SUM(1)"));
	assert_true(refctl_import_is_formula("-2+3"));
	assert_false(refctl_import_is_formula("+49 30 1234567"));
	assert_false(refctl_import_is_formula("+1 (555) 010-2345"));
	assert_false(refctl_import_is_formula("-5"));
	assert_false(refctl_import_is_formula("-"));
	assert_false(refctl_import_is_formula("a=b"));
	assert_false(refctl_import_is_formula(""));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse),
		T(test_templates),
		T(test_maps_names_enums),
		T(test_lists),
		T(test_dates),
		T(test_inverse),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_from_header),
		cmocka_unit_test(test_formulas),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
