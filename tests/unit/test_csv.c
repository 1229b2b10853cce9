/* Unit tests for lib/csv.c: CSV as spreadsheets and CRMs write it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/csv.h"

struct fx {
	struct refctl_csv *csv;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fx));
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_csv_free(f->csv);
	free(f);
	return 0;
}

static int parse(struct fx *f, const char *data, size_t len, const struct refctl_csv_opts *opts)
{
	refctl_csv_free(f->csv);
	f->csv = NULL;
	return refctl_csv_parse(&f->csv, "t.csv", data, len, opts);
}

#define PARSE(f, s) parse((f), (s), sizeof(s) - 1, NULL)

static void assert_row(const struct refctl_csv_row *r, unsigned row, size_t n, ...)
{
	va_list ap;

	assert_int_equal(r->row, row);
	assert_int_equal(r->n, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(r->cells[i], va_arg(ap, const char *));
	va_end(ap);
}

static void test_rfc4180_quoting_and_newlines(void **state)
{
	struct fx *f = *state;

	assert_int_equal(PARSE(f, "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast, ,\"\"\n"), 0);
	assert_int_equal(f->csv->nrows, 3);
	assert_int_equal(f->csv->delimiter, ',');
	assert_row(&f->csv->rows[0], 1, 3, "a", "b", "c");
	assert_row(&f->csv->rows[1], 2, 3, "x, y", "say \"hi\"", "two\nlines");
	/* spaces are part of a cell; an empty quoted cell is a cell */
	assert_row(&f->csv->rows[2], 3, 3, "last", " ", "");
}

static void test_crlf_bom_and_rows_as_a_spreadsheet_counts_them(void **state)
{
	struct fx *f = *state;

	/* a CRLF is one line end; an empty line is a row; a quoted CRLF is read as LF
	 * and starts no row; no line end after the last row */
	assert_int_equal(PARSE(f, "\xef\xbb\xbfName,Notes\r\nAnn,\"one\r\ntwo\"\r\n\r\nBo,x"), 0);
	assert_int_equal(f->csv->nrows, 3);
	assert_row(&f->csv->rows[0], 1, 2, "Name", "Notes");
	assert_row(&f->csv->rows[1], 2, 2, "Ann", "one\ntwo");
	assert_row(&f->csv->rows[2], 4, 2, "Bo", "x");
}

static void test_delimiters_detected_or_given(void **state)
{
	struct fx *f = *state;
	struct refctl_csv_opts o = REFCTL_CSV_OPTS_INIT;

	assert_int_equal(PARSE(f, "Name;Firma;Land\r\n\"Müller; Jürgen\";Ärzte AG;DE\r\n"), 0);
	assert_int_equal(f->csv->delimiter, ';');
	assert_row(&f->csv->rows[1], 2, 3, "Müller; Jürgen", "Ärzte AG", "DE");

	assert_int_equal(PARSE(f, "a\tb,c\td\n1\t2,3\t4\n"), 0);
	assert_int_equal(f->csv->delimiter, '\t');
	assert_row(&f->csv->rows[1], 2, 3, "1", "2,3", "4");

	/* delimiters inside quotes do not count */
	assert_int_equal(PARSE(f, "\"a;b;c\",d\n"), 0);
	assert_int_equal(f->csv->delimiter, ',');

	o.delimiter = ';';
	assert_int_equal(parse(f, "a,b;c\n", 6, &o), 0);
	assert_row(&f->csv->rows[0], 1, 2, "a,b", "c");
}

static void test_excel_sep_line(void **state)
{
	struct fx *f = *state;

	assert_int_equal(PARSE(f, "sep=;\r\nName;Email\r\nAnn;ann@example.com\r\n"), 0);
	assert_int_equal(f->csv->delimiter, ';');
	assert_int_equal(f->csv->nrows, 2);
	assert_row(&f->csv->rows[0], 2, 2, "Name", "Email");
	assert_row(&f->csv->rows[1], 3, 2, "Ann", "ann@example.com");
}

static void test_encodings(void **state)
{
	struct fx *f = *state;
	struct refctl_csv_opts o = REFCTL_CSV_OPTS_INIT;
	/* "Name;Ort\nJürgen;Köln" in Windows-1252 */
	static const char latin1[] = "Name;Ort\nJ\xfcrgen;K\xf6ln\n";
	/* "a,b\nä,c" in UTF-16LE with its byte-order mark */
	static const char utf16[] = "\xff\xfe" "a\0,\0b\0\n\0\xe4\0,\0c\0\n\0";

	assert_int_equal(parse(f, latin1, sizeof(latin1) - 1, NULL), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "t.csv:2:1: the cell is not UTF-8 (byte 0xFC); if the file is in another encoding, name it in the rules (encoding: windows-1252)");
	o.encoding = "windows-1252";
	assert_int_equal(parse(f, latin1, sizeof(latin1) - 1, &o), 0);
	assert_row(&f->csv->rows[1], 2, 2, "Jürgen", "Köln");
	o.encoding = "latin1";
	assert_int_equal(parse(f, latin1, sizeof(latin1) - 1, &o), 0);
	assert_row(&f->csv->rows[1], 2, 2, "Jürgen", "Köln");

	assert_int_equal(parse(f, utf16, sizeof(utf16) - 1, NULL), 0);
	assert_row(&f->csv->rows[1], 2, 2, "ä", "c");

	o.encoding = "no-such-encoding";
	assert_int_equal(parse(f, "a\n", 2, &o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "t.csv: unknown encoding 'no-such-encoding'");
	assert_true(refctl_csv_encoding_known("ISO-8859-1"));
	assert_true(refctl_csv_encoding_known("utf8"));
	assert_false(refctl_csv_encoding_known("no-such-encoding"));
}

static void test_bad_input_names_row_and_column(void **state)
{
	struct fx *f = *state;
	struct refctl_csv_opts o = REFCTL_CSV_OPTS_INIT;
	static const char nul[] = "a,b\nx,y\0z\n";

	assert_int_equal(PARSE(f, "a,b\n1,2\"x\n"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "t.csv:2:2: a quote inside an unquoted cell, or text after a closing quote (quote the whole cell and double each quote in it)");
	assert_int_equal(PARSE(f, "a,b\n1,\"2\"x\n"), REFCTL_EINVALID);
	assert_int_equal(refctl_error_last_line(), 2);
	assert_int_equal(refctl_error_last_col(), 2);

	assert_int_equal(PARSE(f, "a,b\n\n1,\"open\nstill\n"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "t.csv:3:2: a quoted cell is not closed (a '\"' is missing)");

	assert_int_equal(parse(f, nul, sizeof(nul) - 1, NULL), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "t.csv:2:2: a NUL byte in the cell (is this a text file?)");

	assert_int_equal(PARSE(f, "a,b\n1,\xed\xa0\x80\n"), REFCTL_EINVALID); /* a UTF-16 surrogate */
	assert_int_equal(refctl_error_last_col(), 2);

	o.max_cell = 4;
	assert_int_equal(parse(f, "a,b\nabcd,abcde\n", 15, &o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "t.csv:2:2: a cell of 5 bytes is over the limit of 4");

	o.max_cell = 0;
	o.max_size = 10;
	assert_int_equal(parse(f, "a,b\n1,2\n3,4\n5,6\n", 16, &o), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "t.csv:3:2: the input is over the limit of 10 bytes");

	o.max_size = 0;
	o.delimiter = '|';
	assert_int_equal(parse(f, "a|b\n", 4, &o), REFCTL_EINVALID);
}

static void test_empty_input(void **state)
{
	struct fx *f = *state;

	assert_int_equal(parse(f, "", 0, NULL), 0);
	assert_int_equal(f->csv->nrows, 0);
	assert_int_equal(PARSE(f, "\xef\xbb\xbf\r\n\r\n"), 0);
	assert_int_equal(f->csv->nrows, 0);
}

static void test_utf8_validation(void **state)
{
	size_t bad = 99;
	(void)state;

	assert_true(refctl_csv_utf8_valid("plain ascii", 11, &bad));
	assert_true(refctl_csv_utf8_valid("\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80", 9, &bad));
	assert_false(refctl_csv_utf8_valid("ab\xc0\xaf", 4, &bad)); /* overlong */
	assert_int_equal(bad, 2);
	assert_false(refctl_csv_utf8_valid("\xe2\x82", 2, &bad)); /* cut short */
	assert_int_equal(bad, 0);
	assert_false(refctl_csv_utf8_valid("\xf4\x90\x80\x80", 4, &bad)); /* past U+10FFFF */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_rfc4180_quoting_and_newlines),
		T(test_crlf_bom_and_rows_as_a_spreadsheet_counts_them),
		T(test_delimiters_detected_or_given),
		T(test_excel_sep_line),
		T(test_encodings),
		T(test_bad_input_names_row_and_column),
		T(test_empty_input),
		T(test_utf8_validation),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
