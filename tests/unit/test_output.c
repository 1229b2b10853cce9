/* Unit tests for lib/output.c: formats, tables (aligned, TSV, CSV) and JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/output.h"
#include "refctl/record.h"

struct fx {
	struct refctl_table *t;
	struct refctl_buf out;
	struct refctl_record *rec;
	json_t *j;
	struct refctl_node *tree;
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
	refctl_table_free(f->t);
	refctl_buf_release(&f->out);
	refctl_record_free(f->rec);
	json_decref(f->j);
	refctl_node_free(f->tree);
	free(f);
	return 0;
}

static void add_row(struct refctl_table *t, const char *a, const char *b, const char *c)
{
	const char *row[3] = { a, b, c };
	refctl_table_add(t, row);
}

static void new_table(struct fx *f)
{
	static const char *const headers[] = { "ID", "NAME", "N" };
	f->t = refctl_table_new(3, headers);
}

static void render(struct fx *f, enum refctl_format fmt, int color)
{
	refctl_buf_clear(&f->out);
	refctl_table_render(&f->out, f->t, fmt, color);
}

/* ---- formats ---- */

static void test_format_parse(void **state)
{
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	unsigned allowed = REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
			   REFCTL_FMT(REFCTL_FORMAT_JSON);

	(void)state;
	assert_int_equal(refctl_format_parse(&fmt, "json", allowed), 0);
	assert_int_equal(fmt, REFCTL_FORMAT_JSON);
	assert_int_equal(refctl_format_parse(&fmt, "tsv", allowed), 0);
	assert_int_equal(fmt, REFCTL_FORMAT_TSV);
	assert_int_equal(refctl_format_parse(&fmt, "yaml", allowed), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "unknown format 'yaml' (expected table, tsv, json)");
	assert_int_equal(refctl_format_parse(&fmt, "JSON", allowed), REFCTL_EUSAGE);
	assert_int_equal(refctl_format_parse(&fmt, "", allowed), REFCTL_EUSAGE);
	assert_string_equal(refctl_format_name(REFCTL_FORMAT_CSV), "csv");
	assert_string_equal(refctl_format_name(REFCTL_FORMAT_MARKDOWN), "markdown");
	assert_string_equal(refctl_format_name(REFCTL_FORMAT_HTML), "html");
}

/* ---- tables ---- */

static void test_text_width(void **state)
{
	(void)state;
	assert_int_equal(refctl_text_width(""), 0);
	assert_int_equal(refctl_text_width("abc"), 3);
	assert_int_equal(refctl_text_width("J\xc3\xbcrgen"), 6);
	assert_int_equal(refctl_text_width("\xe2\x82\xac" "5"), 2);       /* euro sign */
	assert_int_equal(refctl_text_width("\xf0\x9f\x98\x80"), 1);       /* one 4-byte character */
}

static void test_table_aligned_utf8(void **state)
{
	struct fx *f = *state;

	new_table(f);
	refctl_table_align_right(f->t, 2);
	add_row(f->t, "a", "J\xc3\xbcrgen", "1");
	add_row(f->t, "bb", "Al", "10");
	assert_int_equal(refctl_table_rows(f->t), 2);
	render(f, REFCTL_FORMAT_TABLE, 0);
	/* widths 2, 6 ("Jürgen" is six characters, seven bytes) and 2 (right) */
	assert_string_equal(f->out.ptr,
			    "ID  NAME     N\n"
			    "a   J\xc3\xbcrgen   1\n"
			    "bb  Al      10\n");
}

static void test_table_no_trailing_blanks(void **state)
{
	struct fx *f = *state;

	new_table(f);
	add_row(f->t, "a", "", "");
	add_row(f->t, "b", "long name", "");
	add_row(f->t, NULL, "x", "3");
	render(f, REFCTL_FORMAT_TABLE, 0);
	assert_string_equal(f->out.ptr,
			    "ID  NAME       N\n"
			    "a\n"
			    "b   long name\n"
			    "    x          3\n");
}

static void test_table_cells_are_one_line(void **state)
{
	struct fx *f = *state;

	new_table(f);
	add_row(f->t, "a", "two\nlines", "t\tab");
	render(f, REFCTL_FORMAT_TABLE, 0);
	assert_string_equal(f->out.ptr,
			    "ID  NAME       N\n"
			    "a   two lines  t ab\n");
}

static void test_table_header_only_and_color(void **state)
{
	struct fx *f = *state;

	new_table(f);
	assert_int_equal(refctl_table_rows(f->t), 0);
	render(f, REFCTL_FORMAT_TABLE, 0);
	assert_string_equal(f->out.ptr, "ID  NAME  N\n");
	render(f, REFCTL_FORMAT_TABLE, 1);
	assert_string_equal(f->out.ptr, "\033[1mID  NAME  N\033[0m\n");
	add_row(f->t, "a", "b", "c");
	render(f, REFCTL_FORMAT_TABLE, 1);
	assert_string_equal(f->out.ptr, "\033[1mID  NAME  N\033[0m\na   b     c\n");
}

static void test_tsv_escaping(void **state)
{
	struct fx *f = *state;

	new_table(f);
	refctl_table_align_right(f->t, 2); /* no effect on TSV */
	add_row(f->t, "a", "tab\there", "new\nline");
	add_row(f->t, "b", "back\\slash", "cr\rx");
	add_row(f->t, "c", "", "J\xc3\xbcrgen, \"q\"");
	render(f, REFCTL_FORMAT_TSV, 1); /* and no colour either */
	assert_string_equal(f->out.ptr,
			    "ID\tNAME\tN\n"
			    "a\ttab\\there\tnew\\nline\n"
			    "b\tback\\\\slash\tcr\\rx\n"
			    "c\t\tJ\xc3\xbcrgen, \"q\"\n");
}

static void test_csv_quoting(void **state)
{
	struct fx *f = *state;

	new_table(f);
	add_row(f->t, "a", "Doe, Jane", "say \"hi\"");
	add_row(f->t, "b", "two\nlines", "cr\rx");
	add_row(f->t, "c", " lead", "trail ");
	add_row(f->t, "d", "", "plain text");
	add_row(f->t, "e", "J\xc3\xbcrgen", "a\tb");
	render(f, REFCTL_FORMAT_CSV, 0);
	assert_string_equal(f->out.ptr,
			    "ID,NAME,N\r\n"
			    "a,\"Doe, Jane\",\"say \"\"hi\"\"\"\r\n"
			    "b,\"two\nlines\",\"cr\rx\"\r\n"
			    "c,\" lead\",\"trail \"\r\n"
			    "d,,plain text\r\n"
			    "e,J\xc3\xbcrgen,a\tb\r\n");
}

/* ---- escaping for people ---- */

static void assert_escaped(const char *in, unsigned flags, const char *want)
{
	struct refctl_buf b = REFCTL_BUF_INIT;

	/* appends to what is there */
	refctl_buf_puts(&b, "<");
	refctl_text_escape(&b, in, flags);
	refctl_buf_puts(&b, ">");
	if (b.size != strlen(want) + 2 || memcmp(b.ptr + 1, want, b.size - 2))
		fail_msg("escape of '%s': expected <%s>, got %s", in, want, b.ptr);
	/* and says whether it changes anything */
	assert_int_equal(refctl_text_is_safe(in, flags), !strcmp(in, want));
	refctl_buf_release(&b);
}

static void test_escape_control_characters(void **state)
{
	(void)state;
	/* printable ASCII, backslashes and UTF-8 text stay as they are */
	assert_escaped("plain text ~!@#$%^&*()", 0, "plain text ~!@#$%^&*()");
	assert_escaped("C:\\dir\\x1b", 0, "C:\\dir\\x1b");
	assert_escaped("J\xc3\xbcrgen \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", 0,
		       "J\xc3\xbcrgen \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	assert_escaped("", 0, "");
	/* C0 and DEL */
	assert_escaped("Ev\033[31mil\a", 0, "Ev\\x1b[31mil\\x07");
	assert_escaped("\001\002\010\013\014\016\037\177", 0, "\\x01\\x02\\x08\\x0b\\x0c\\x0e\\x1f\\x7f");
	assert_escaped("a\nb\rc\td", 0, "a\\nb\\rc\\td");
	/* kept, or made spaces */
	assert_escaped("a\nb\rc\td", REFCTL_ESCAPE_KEEP_NEWLINE, "a\nb\\rc\\td");
	assert_escaped("a\nb\rc\td", REFCTL_ESCAPE_KEEP_TAB, "a\\nb\\rc\td");
	assert_escaped("a\nb\rc\td\033", REFCTL_ESCAPE_SPACES, "a b c d\\x1b");
	/* C1, in UTF-8: U+0080, U+009B (CSI), U+009F; U+00A0 is text */
	assert_escaped("\xc2\x80|\xc2\x9b" "31m|\xc2\x9f|\xc2\xa0", 0, "\\u0080|\\u009b31m|\\u009f|\xc2\xa0");
	/* bidirectional embeddings, overrides and isolates; their neighbours are text */
	assert_escaped("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae", 0,
		       "\\u202a\\u202b\\u202c\\u202d\\u202e");
	assert_escaped("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0,
		       "\\u2066\\u2067\\u2068\\u2069");
	assert_escaped("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa", 0,
		       "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa");
	assert_escaped("abc\xe2\x80\xae" "fdp.exe", 0, "abc\\u202efdp.exe");
}

static void test_escape_invalid_utf8(void **state)
{
	(void)state;
	/* a byte that starts no valid sequence is shown as \xNN, one by one */
	assert_escaped("\x9b" "31m", 0, "\\x9b31m");              /* a lone C1 byte */
	assert_escaped("\xff\xfe", 0, "\\xff\\xfe");
	assert_escaped("\xc0\x9b", 0, "\\xc0\\x9b");              /* overlong ESC-like */
	assert_escaped("\xe0\x80\xaf", 0, "\\xe0\\x80\\xaf");      /* overlong '/' */
	assert_escaped("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");      /* a surrogate */
	assert_escaped("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80"); /* beyond U+10FFFF */
	assert_escaped("cut \xe2\x80", 0, "cut \\xe2\\x80");      /* cut at the end */
	assert_escaped("\xc3", 0, "\\xc3");
}

static void test_escape_is_idempotent(void **state)
{
	static const char *const inputs[] = {
		"Ev\033[31mil\a", "a\nb", "\xc2\x9b\xe2\x80\xae\xff", "\\x1b", "plain",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct refctl_buf once = REFCTL_BUF_INIT, twice = REFCTL_BUF_INIT;
		refctl_text_escape(&once, inputs[i], 0);
		refctl_text_escape(&twice, once.ptr, 0);
		assert_string_equal(once.ptr, twice.ptr);
		assert_true(refctl_text_is_safe(once.ptr, 0));
		refctl_buf_release(&once);
		refctl_buf_release(&twice);
	}
}

static void test_table_escapes_control_characters(void **state)
{
	struct fx *f = *state;

	new_table(f);
	refctl_table_align_right(f->t, 2);
	add_row(f->t, "a", "Ev\033[31mil\a", "1");
	add_row(f->t, "b", "Co\xe2\x80\xae" "X", "\xc2\x9b");
	add_row(f->t, "c", "two\nlines", "10");
	render(f, REFCTL_FORMAT_TABLE, 0);
	/* aligned on the escaped text: "Ev\x1b[31mil\x07" is 16 columns, "\u009b" 6 */
	assert_string_equal(f->out.ptr,
			    "ID  NAME                   N\n"
			    "a   Ev\\x1b[31mil\\x07       1\n"
			    "b   Co\\u202eX         \\u009b\n"
			    "c   two lines             10\n");
	/* TSV and JSON are for machines: the bytes as stored */
	render(f, REFCTL_FORMAT_TSV, 0);
	assert_non_null(strstr(f->out.ptr, "a\tEv\033[31mil\a\t1\n"));
}

/* ---- CSV and spreadsheets ---- */

static void test_csv_is_formula(void **state)
{
	static const char *const formulas[] = {
		"=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0", "+cmd", "-2+3", "@SUM(A1)",
		"\tx", "\rx", "=", "+", "-", "@", "-1e3", "+49 30 1234", "-.5", "-5.", "--5", "-5 ",
		"-0x10",
	};
	static const char *const plain[] = {
		"", "a=b", " =1", "'=1", "5", "-5", "+5", "-12.50", "0.25", "-0", "12", "x-1", "#1",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(formulas) / sizeof(formulas[0]); i++)
		if (!refctl_csv_is_formula(formulas[i]))
			fail_msg("'%s' should count as a formula", formulas[i]);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (refctl_csv_is_formula(plain[i]))
			fail_msg("'%s' should not count as a formula", plain[i]);
}

static void test_csv_neutralises_formulas(void **state)
{
	struct fx *f = *state;
	struct refctl_render_opts opts = REFCTL_RENDER_OPTS_INIT;

	new_table(f);
	add_row(f->t, "a", "=HYPERLINK(\"http://x\",\"y\")", "-5");
	add_row(f->t, "b", "@SUM(A1)", "+cmd");
	add_row(f->t, "c", "-2+3", "-12.50");
	add_row(f->t, "d", "\tx", "\rx");
	render(f, REFCTL_FORMAT_CSV, 0);
	assert_string_equal(f->out.ptr,
			    "ID,NAME,N\r\n"
			    "a,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-5\r\n"
			    "b,'@SUM(A1),'+cmd\r\n"
			    "c,'-2+3,-12.50\r\n"
			    "d,'\tx,\"'\rx\"\r\n");
	/* raw: every cell as stored */
	opts.raw_csv = 1;
	refctl_buf_clear(&f->out);
	refctl_table_render_opts(&f->out, f->t, REFCTL_FORMAT_CSV, &opts);
	assert_string_equal(f->out.ptr,
			    "ID,NAME,N\r\n"
			    "a,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-5\r\n"
			    "b,@SUM(A1),+cmd\r\n"
			    "c,-2+3,-12.50\r\n"
			    "d,\tx,\"\rx\"\r\n");
	/* TSV is not touched; neither is the table */
	render(f, REFCTL_FORMAT_TSV, 0);
	assert_non_null(strstr(f->out.ptr, "b\t@SUM(A1)\t+cmd\n"));
	refctl_buf_clear(&f->out);
	refctl_table_render_opts(&f->out, f->t, REFCTL_FORMAT_TABLE, NULL);
	assert_non_null(strstr(f->out.ptr, "b   @SUM(A1)"));
}

/* ---- JSON ---- */

static const char json_record[] =
	"id: acme-jane\n"
	"name: Jane Doe\n"
	"company: 2024\n"          /* a string by the schema, though it looks like a number */
	"status: active\n"
	"title: 'yes'\n"
	"phone: +49 30 1234\n"
	"country: NO\n"
	"since: 2024-03-01\n"
	"nps: 9\n"
	"notes: |\n"
	"  two\n"
	"  lines\n"
	"languages: [de, en]\n"
	"products: []\n"
	"tags: [yes, 1, true]\n"
	"consent:\n"
	"  until: 2027-12-31\n"
	"  scope: [logo]\n"
	"limits:\n"
	"  per_quarter: 2\n"
	"requests:\n"
	"- id: acme-jane/1\n"
	"  opened: 2026-01-05\n"
	"  activity: quote\n"
	"  status: completed\n"
	"  closed: 2026-01-12\n"
	"  outcome: won\n"
	"  deal_value: 12000.5\n"
	"  forced: true\n"
	"- id: acme-jane/2\n"
	"  opened: 2026-02-05\n"
	"  activity: quote\n"
	"  status: requested\n"
	"  deal_value: 5000\n"
	"  forced: false\n"
	"rewards:\n"
	"- date: 2026-01-15\n"
	"  points: -5\n"
	"content:\n"
	"- kind: quote\n"
	"  approved:\n"
	"    by: Kim\n"
	"    date: 2026-01-20\n"
	"- kind: logo\n"
	"  used: [2026-01-20]\n"
	"extra: 5\n"
	"extra_quoted: '5'\n";

static const json_t *jget(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		fail_msg("no key '%s' in JSON", key);
	return v;
}

static void assert_json_string(const json_t *v, const char *s)
{
	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), s);
}

static void test_record_to_json_typing(void **state)
{
	struct fx *f = *state;
	const json_t *r, *v, *req;

	assert_int_equal(refctl_record_parse(&f->rec, "advocates/acme-jane.yaml", json_record,
					     strlen(json_record), NULL), 0);
	f->j = refctl_record_to_json(f->rec);
	assert_true(json_is_object(f->j));
	r = f->j;

	/* keys in canonical order */
	{
		static const char *const order[] = { "id", "name", "company", "status", "title", "phone",
						     "country", "since", "nps", "notes", "languages",
						     "products", "tags", "consent", "limits", "requests",
						     "rewards", "content", "extra", "extra_quoted" };
		size_t i = 0;
		const char *key;
		json_t *val;
		json_object_foreach((json_t *)r, key, val) {
			assert_true(i < sizeof(order) / sizeof(order[0]));
			assert_string_equal(key, order[i]);
			i++;
		}
		assert_int_equal(i, sizeof(order) / sizeof(order[0]));
	}

	assert_json_string(jget(r, "id"), "acme-jane");
	assert_json_string(jget(r, "company"), "2024");
	assert_json_string(jget(r, "title"), "yes");
	assert_json_string(jget(r, "phone"), "+49 30 1234");
	assert_json_string(jget(r, "country"), "NO");
	assert_json_string(jget(r, "status"), "active");
	assert_json_string(jget(r, "since"), "2024-03-01");
	assert_json_string(jget(r, "notes"), "two\nlines\n");
	v = jget(r, "nps");
	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), 9);

	v = jget(r, "languages");
	assert_true(json_is_array(v));
	assert_int_equal(json_array_size(v), 2);
	assert_json_string(json_array_get(v, 0), "de");
	assert_json_string(json_array_get(v, 1), "en");
	v = jget(r, "products");
	assert_true(json_is_array(v));
	assert_int_equal(json_array_size(v), 0);
	v = jget(r, "tags"); /* list items are strings, whatever they look like */
	assert_json_string(json_array_get(v, 0), "yes");
	assert_json_string(json_array_get(v, 1), "1");
	assert_json_string(json_array_get(v, 2), "true");

	v = jget(r, "consent");
	assert_true(json_is_object(v));
	assert_json_string(jget(v, "until"), "2027-12-31");
	assert_json_string(json_array_get(jget(v, "scope"), 0), "logo");
	v = jget(jget(r, "limits"), "per_quarter");
	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), 2);

	v = jget(r, "requests");
	assert_int_equal(json_array_size(v), 2);
	req = json_array_get(v, 0);
	assert_json_string(jget(req, "id"), "acme-jane/1");
	assert_json_string(jget(req, "opened"), "2026-01-05");
	assert_json_string(jget(req, "closed"), "2026-01-12");
	assert_json_string(jget(req, "status"), "completed");
	assert_json_string(jget(req, "outcome"), "won");
	assert_true(json_is_number(jget(req, "deal_value")));
	assert_true(json_number_value(jget(req, "deal_value")) == 12000.5);
	assert_true(json_is_true(jget(req, "forced")));
	req = json_array_get(v, 1);
	assert_true(json_is_number(jget(req, "deal_value")));
	assert_true(json_number_value(jget(req, "deal_value")) == 5000);
	assert_true(json_is_false(jget(req, "forced")));

	v = json_array_get(jget(r, "rewards"), 0);
	assert_true(json_is_integer(jget(v, "points")));
	assert_int_equal(json_integer_value(jget(v, "points")), -5);
	assert_json_string(jget(v, "date"), "2026-01-15");

	v = jget(r, "content");
	assert_json_string(jget(jget(json_array_get(v, 0), "approved"), "by"), "Kim");
	assert_json_string(jget(jget(json_array_get(v, 0), "approved"), "date"), "2026-01-20");
	/* a date in a list of strings stays a string */
	assert_json_string(json_array_get(jget(json_array_get(v, 1), "used"), 0), "2026-01-20");

	/* unknown keys as YAML reads them */
	assert_true(json_is_integer(jget(r, "extra")));
	assert_json_string(jget(r, "extra_quoted"), "5");
}

static void test_json_dump(void **state)
{
	struct fx *f = *state;
	const char *text = "id: acme-jane\nname: Jane\ncompany: ACME\nstatus: active\nnps: 7\n"
			   "tags: [a]\nproducts: []\n";

	assert_int_equal(refctl_record_parse(&f->rec, "advocates/acme-jane.yaml", text, strlen(text), NULL), 0);
	f->j = refctl_record_to_json(f->rec);
	refctl_json_dump(&f->out, f->j);
	assert_string_equal(f->out.ptr,
			    "{\n"
			    "  \"id\": \"acme-jane\",\n"
			    "  \"name\": \"Jane\",\n"
			    "  \"company\": \"ACME\",\n"
			    "  \"status\": \"active\",\n"
			    "  \"nps\": 7,\n"
			    "  \"products\": [],\n"
			    "  \"tags\": [\n"
			    "    \"a\"\n"
			    "  ]\n"
			    "}\n");

	/* an empty result is still valid output */
	json_decref(f->j);
	f->j = json_array();
	refctl_buf_clear(&f->out);
	refctl_json_dump(&f->out, f->j);
	assert_string_equal(f->out.ptr, "[]\n");
}

static void test_node_to_json(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *text;
		int quoted;
		json_type type;
	} cases[] = {
		{ "42", 0, JSON_INTEGER }, { "-7", 0, JSON_INTEGER }, { "1.5", 0, JSON_REAL },
		{ "true", 0, JSON_TRUE },  { "false", 0, JSON_FALSE }, { "~", 0, JSON_NULL },
		{ "", 0, JSON_NULL },      { "null", 0, JSON_NULL },   { "42", 1, JSON_STRING },
		{ "true", 1, JSON_STRING }, { "", 1, JSON_STRING },    { "abc", 0, JSON_STRING },
		{ "12:30", 0, JSON_STRING }, { "2026-01-01", 0, JSON_STRING },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct refctl_node *n = refctl_node_scalar(cases[i].text, cases[i].quoted);
		json_t *j = refctl_node_to_json(n);
		if (json_typeof(j) != cases[i].type)
			fail_msg("'%s' (quoted %d) gave JSON type %d, expected %d", cases[i].text,
				 cases[i].quoted, json_typeof(j), cases[i].type);
		json_decref(j);
		refctl_node_free(n);
	}

	f->tree = refctl_node_map();
	refctl_node_set(f->tree, "s", refctl_node_seq());
	refctl_node_append(refctl_node_get(f->tree, "s"), refctl_node_scalar("1", 0));
	refctl_node_set(f->tree, "m", refctl_node_map());
	f->j = refctl_node_to_json(f->tree);
	assert_true(json_is_array(jget(f->j, "s")));
	assert_int_equal(json_integer_value(json_array_get(jget(f->j, "s"), 0)), 1);
	assert_true(json_is_object(jget(f->j, "m")));
	assert_int_equal(json_object_size(jget(f->j, "m")), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_format_parse),
		T(test_text_width),
		T(test_table_aligned_utf8),
		T(test_table_no_trailing_blanks),
		T(test_table_cells_are_one_line),
		T(test_table_header_only_and_color),
		T(test_tsv_escaping),
		T(test_csv_quoting),
		T(test_escape_control_characters),
		T(test_escape_invalid_utf8),
		T(test_escape_is_idempotent),
		T(test_table_escapes_control_characters),
		T(test_csv_is_formula),
		T(test_csv_neutralises_formulas),
		T(test_record_to_json_typing),
		T(test_json_dump),
		T(test_node_to_json),
	};
	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
