/* Unit tests for lib/yaml.c: the tree, the strict loader, comments and the emitter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/yaml.h"

struct fx {
	struct refctl_yaml_docs docs;
	struct refctl_buf out;
	struct refctl_node *tree;
	char *big;
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
	refctl_yaml_docs_release(&f->docs);
	refctl_buf_release(&f->out);
	refctl_node_free(f->tree);
	free(f->big);
	free(f);
	return 0;
}

static int load(struct fx *f, const char *text, unsigned flags)
{
	refctl_yaml_docs_release(&f->docs);
	return refctl_yaml_load(&f->docs, "f.yaml", text, strlen(text), flags);
}

static int loadn(struct fx *f, const char *text, size_t len, unsigned flags)
{
	refctl_yaml_docs_release(&f->docs);
	return refctl_yaml_load(&f->docs, "f.yaml", text, len, flags);
}

/* Loading text fails as REFCTL_EINVALID with exactly this message. */
static void expect_reject(struct fx *f, const char *text, size_t len, unsigned flags,
			  const char *expected)
{
	assert_int_equal(loadn(f, text, len, flags), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), expected);
	/* nothing is left behind on failure */
	assert_int_equal(f->docs.n, 0);
	assert_null(f->docs.v);
}

static unsigned comment_of(struct fx *f, const char *text)
{
	if (load(f, text, 0) < 0)
		fail_msg("cannot load '%s': %s", text, refctl_error_last());
	return f->docs.comment_line;
}

/* ---- reading ---- */

static void test_load_map_seq_scalar(void **state)
{
	struct fx *f = *state;
	const struct refctl_node *root, *v;

	assert_int_equal(load(f, "name: Jane\n"
				 "tags:\n"
				 "  - a\n"
				 "  - \"b\"\n"
				 "nested:\n"
				 "  k: 'v'\n"
				 "flow: [x, 'y']\n", 0), 0);
	assert_int_equal(f->docs.n, 1);
	root = f->docs.v[0];
	assert_int_equal(root->kind, REFCTL_NODE_MAP);
	assert_int_equal(root->n, 8);
	assert_int_equal(root->line, 1);
	assert_int_equal(root->col, 1);

	/* keys in order */
	assert_string_equal(root->items[0]->str, "name");
	assert_string_equal(root->items[2]->str, "tags");
	assert_string_equal(root->items[4]->str, "nested");
	assert_string_equal(root->items[6]->str, "flow");

	v = refctl_node_get(root, "name");
	assert_non_null(v);
	assert_int_equal(v->kind, REFCTL_NODE_SCALAR);
	assert_string_equal(v->str, "Jane");
	assert_int_equal(v->len, 4);
	assert_int_equal(v->is_string, 0);
	assert_int_equal(v->line, 1);
	assert_int_equal(v->col, 7);

	v = refctl_node_get(root, "tags");
	assert_int_equal(v->kind, REFCTL_NODE_SEQ);
	assert_int_equal(v->n, 2);
	assert_int_equal(v->line, 3);
	assert_int_equal(v->col, 3);
	assert_string_equal(v->items[0]->str, "a");
	assert_int_equal(v->items[0]->is_string, 0);
	assert_int_equal(v->items[0]->line, 3);
	assert_int_equal(v->items[0]->col, 5);
	assert_string_equal(v->items[1]->str, "b");
	assert_int_equal(v->items[1]->is_string, 1);
	assert_int_equal(v->items[1]->line, 4);
	assert_int_equal(v->items[1]->col, 5);

	v = refctl_node_get(root, "nested");
	assert_int_equal(v->kind, REFCTL_NODE_MAP);
	assert_int_equal(v->line, 6);
	assert_int_equal(v->col, 3);
	assert_string_equal(refctl_node_get(v, "k")->str, "v");
	assert_int_equal(refctl_node_get(v, "k")->is_string, 1);
	assert_int_equal(refctl_node_get(v, "k")->line, 6);
	assert_int_equal(refctl_node_get(v, "k")->col, 6);

	v = refctl_node_get(root, "flow");
	assert_int_equal(v->kind, REFCTL_NODE_SEQ);
	assert_int_equal(v->line, 7);
	assert_int_equal(v->col, 7);
	assert_int_equal(v->items[0]->is_string, 0);
	assert_int_equal(v->items[1]->is_string, 1);
	assert_int_equal(v->items[1]->col, 11);

	assert_null(refctl_node_get(root, "missing"));
	assert_int_equal(refctl_node_find(root, "nested"), 4);
	assert_int_equal(refctl_node_find(root, "missing"), -1);
	assert_int_equal(f->docs.comment_line, 0);
}

static void test_load_scalar_styles_and_positions(void **state)
{
	struct fx *f = *state;
	const struct refctl_node *root;

	/* a block literal, a folded scalar, an empty value, and a non-ASCII
	 * value: columns count characters, not bytes */
	assert_int_equal(load(f, "notes: |\n"
				 "  one\n"
				 "  two\n"
				 "fold: >\n"
				 "  a\n"
				 "  b\n"
				 "empty:\n"
				 "\xc3\xa4h: Jürgen\n", 0), 0);
	root = f->docs.v[0];
	assert_string_equal(refctl_node_get(root, "notes")->str, "one\ntwo\n");
	assert_int_equal(refctl_node_get(root, "notes")->is_string, 1);
	assert_string_equal(refctl_node_get(root, "fold")->str, "a b\n");
	assert_int_equal(refctl_node_get(root, "fold")->is_string, 1);
	assert_string_equal(refctl_node_get(root, "empty")->str, "");
	assert_int_equal(refctl_node_get(root, "empty")->is_string, 0);
	assert_true(refctl_yaml_is_null(refctl_node_get(root, "empty")));
	assert_string_equal(refctl_node_get(root, "\xc3\xa4h")->str, "J\xc3\xbcrgen");
	assert_int_equal(refctl_node_get(root, "\xc3\xa4h")->line, 8);
	/* "äh: " is four characters, so the value starts in column 5 */
	assert_int_equal(refctl_node_get(root, "\xc3\xa4h")->col, 5);
}

static void test_load_empty_and_null(void **state)
{
	struct fx *f = *state;

	/* no document at all */
	assert_int_equal(load(f, "", 0), 0);
	assert_int_equal(f->docs.n, 0);

	/* a lone "---" is one empty document: a null scalar */
	assert_int_equal(load(f, "---\n", 0), 0);
	assert_int_equal(f->docs.n, 1);
	assert_int_equal(f->docs.v[0]->kind, REFCTL_NODE_SCALAR);
	assert_true(refctl_yaml_is_null(f->docs.v[0]));

	assert_int_equal(load(f, "a: ~\nb: null\nc: 'null'\nd: \"\"\n", 0), 0);
	assert_true(refctl_yaml_is_null(refctl_node_get(f->docs.v[0], "a")));
	assert_true(refctl_yaml_is_null(refctl_node_get(f->docs.v[0], "b")));
	assert_false(refctl_yaml_is_null(refctl_node_get(f->docs.v[0], "c")));
	assert_false(refctl_yaml_is_null(refctl_node_get(f->docs.v[0], "d")));
	assert_false(refctl_yaml_is_null(NULL));
	assert_false(refctl_yaml_is_null(f->docs.v[0]));
}

static void test_reject_syntax_error_has_position(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "a: 1\nb: [x, y\n", 0), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last_file(), "f.yaml");
	assert_true(refctl_error_last_line() >= 2);
	assert_true(refctl_error_last_col() >= 1);
	assert_int_equal(f->docs.n, 0);
}

static void test_reject_anchor(void **state)
{
	struct fx *f = *state;
	const char *scalar = "a: 1\nb: &x 2\n";
	const char *seq = "a: &s\n  - 1\n";
	const char *map = "&m\nk: 1\n";

	expect_reject(f, scalar, strlen(scalar), 0, "f.yaml:2:4: anchors are not allowed");
	expect_reject(f, seq, strlen(seq), 0, "f.yaml:1:4: anchors are not allowed");
	expect_reject(f, map, strlen(map), 0, "f.yaml:1:1: anchors are not allowed");
}

static void test_reject_alias(void **state)
{
	struct fx *f = *state;
	const char *text = "a: 1\nb:\n  - *x\n";

	expect_reject(f, text, strlen(text), 0, "f.yaml:3:5: aliases are not allowed");
}

static void test_reject_tag(void **state)
{
	struct fx *f = *state;
	const char *scalar = "a: !!str 1\n";
	const char *seq = "a: !!seq\n- 1\n";
	const char *map = "a: !custom\n  k: v\n";

	expect_reject(f, scalar, strlen(scalar), 0, "f.yaml:1:4: tags are not allowed");
	expect_reject(f, seq, strlen(seq), 0, "f.yaml:1:4: tags are not allowed");
	expect_reject(f, map, strlen(map), 0, "f.yaml:1:4: tags are not allowed");
}

static void test_reject_duplicate_key(void **state)
{
	struct fx *f = *state;
	const char *top = "a: 1\nb: 2\na: 3\n";
	const char *nested = "m:\n  x: 1\n  y: 2\n  x: 3\n";
	const char *quoted = "a: 1\n'a': 2\n";

	expect_reject(f, top, strlen(top), 0, "f.yaml:3:1: duplicate key 'a'");
	expect_reject(f, nested, strlen(nested), 0, "f.yaml:4:3: duplicate key 'x'");
	/* quoting does not make a different key */
	expect_reject(f, quoted, strlen(quoted), 0, "f.yaml:2:1: duplicate key 'a'");
}

static void test_reject_duplicate_key_large_map(void **state)
{
	struct fx *f = *state;
	struct refctl_buf b = REFCTL_BUF_INIT;

	/* 20 distinct keys k01..k20 on lines 1-20 (over 16 keys: the sorted
	 * check), then k10 again on line 21 and k03 on line 22: the first
	 * repeat in file order is k10 on line 21, although k03 sorts first */
	for (int i = 1; i <= 20; i++)
		refctl_buf_printf(&b, "k%02d: %d\n", i, i);
	refctl_buf_puts(&b, "k10: again\nk03: again\n");
	assert_int_equal(loadn(f, b.ptr, b.size, 0), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "f.yaml:21:1: duplicate key 'k10'");

	/* a key used three times: the second use is named (line 18) */
	refctl_buf_clear(&b);
	for (int i = 1; i <= 17; i++)
		refctl_buf_printf(&b, "k%02d: %d\n", i, i);
	refctl_buf_puts(&b, "k05: two\nz: 1\nk05: three\n");
	assert_int_equal(loadn(f, b.ptr, b.size, 0), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "f.yaml:18:1: duplicate key 'k05'");

	/* 20 distinct keys are fine */
	refctl_buf_clear(&b);
	for (int i = 1; i <= 20; i++)
		refctl_buf_printf(&b, "k%02d: %d\n", i, i);
	assert_int_equal(loadn(f, b.ptr, b.size, 0), 0);
	assert_int_equal(f->docs.v[0]->n, 40);
	refctl_buf_release(&b);
}

static void test_reject_non_scalar_key(void **state)
{
	struct fx *f = *state;
	const char *seqkey = "? [a, b]\n: 1\n";
	const char *mapkey = "x: 1\n? {k: v}\n: 2\n";

	expect_reject(f, seqkey, strlen(seqkey), 0, "f.yaml:1:3: mapping keys must be plain strings");
	expect_reject(f, mapkey, strlen(mapkey), 0, "f.yaml:2:3: mapping keys must be plain strings");
}

static void nested_flow(struct refctl_buf *b, int levels)
{
	refctl_buf_clear(b);
	for (int i = 0; i < levels; i++)
		refctl_buf_putc(b, '[');
	for (int i = 0; i < levels; i++)
		refctl_buf_putc(b, ']');
	refctl_buf_putc(b, '\n');
}

static void nested_block(struct refctl_buf *b, int levels)
{
	refctl_buf_clear(b);
	for (int i = 1; i <= levels; i++) {
		for (int k = 1; k < i; k++)
			refctl_buf_puts(b, "  ");
		refctl_buf_puts(b, i == levels ? "a: x\n" : "a:\n");
	}
}

static void test_nesting_depth(void **state)
{
	struct fx *f = *state;
	struct refctl_buf b = REFCTL_BUF_INIT;
	const struct refctl_node *n;
	int depth = 0;

	/* exactly 32 nested sequences are accepted */
	nested_flow(&b, 32);
	assert_int_equal(loadn(f, b.ptr, b.size, 0), 0);
	for (n = f->docs.v[0]; n->kind == REFCTL_NODE_SEQ; n = n->n ? n->items[0] : NULL) {
		depth++;
		if (!n->n)
			break;
	}
	assert_int_equal(depth, 32);

	/* the 33rd '[' is in column 33 */
	nested_flow(&b, 33);
	assert_int_equal(loadn(f, b.ptr, b.size, 0), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "f.yaml:1:33: nesting deeper than 32 levels");
	assert_int_equal(f->docs.n, 0);

	/* block maps: map number i starts on line i, column 2(i-1)+1; the
	 * 33rd on line 33, column 65 */
	nested_block(&b, 32);
	assert_int_equal(loadn(f, b.ptr, b.size, 0), 0);
	nested_block(&b, 33);
	assert_int_equal(loadn(f, b.ptr, b.size, 0), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "f.yaml:33:65: nesting deeper than 32 levels");
	refctl_buf_release(&b);
}

static void test_second_document(void **state)
{
	struct fx *f = *state;
	const char *text = "a: 1\n---\nb: 2\n";

	expect_reject(f, text, strlen(text), 0, "f.yaml:2:1: a second document is not allowed here");

	assert_int_equal(load(f, text, REFCTL_YAML_MULTI), 0);
	assert_int_equal(f->docs.n, 2);
	assert_string_equal(refctl_node_get(f->docs.v[0], "a")->str, "1");
	assert_string_equal(refctl_node_get(f->docs.v[1], "b")->str, "2");
	assert_int_equal(f->docs.doc_lines[0], 1);
	assert_int_equal(f->docs.doc_lines[1], 2);

	/* an explicit first document is still one document */
	assert_int_equal(load(f, "---\na: 1\n", 0), 0);
	assert_int_equal(f->docs.n, 1);
}

static void test_reject_invalid_utf8(void **state)
{
	struct fx *f = *state;
	/* overlong two-byte NUL */
	const char overlong2[] = "a: \xc0\x80\n";
	/* overlong three-byte '/' */
	const char overlong3[] = "a: 1\nb: x\xe0\x80\xaf\n";
	/* UTF-16 surrogate U+D800 */
	const char surrogate[] = "a: \xed\xa0\x80\n";
	/* beyond U+10FFFF */
	const char toobig[] = "a: \xf4\x90\x80\x80\n";
	/* truncated at the end of the data, and cut by a space */
	const char trunc_end[] = "a: x\xe2\x82";
	const char trunc_mid[] = "a: \xc3 b\n";
	/* a stray continuation byte after a character: columns count characters */
	const char stray[] = "a: \xc3\xa9\x80\n";

	expect_reject(f, overlong2, sizeof(overlong2) - 1, 0, "f.yaml:1:4: invalid UTF-8");
	expect_reject(f, overlong3, sizeof(overlong3) - 1, 0, "f.yaml:2:5: invalid UTF-8");
	expect_reject(f, surrogate, sizeof(surrogate) - 1, 0, "f.yaml:1:4: invalid UTF-8");
	expect_reject(f, toobig, sizeof(toobig) - 1, 0, "f.yaml:1:4: invalid UTF-8");
	expect_reject(f, trunc_end, sizeof(trunc_end) - 1, 0, "f.yaml:1:5: invalid UTF-8");
	expect_reject(f, trunc_mid, sizeof(trunc_mid) - 1, 0, "f.yaml:1:4: invalid UTF-8");
	expect_reject(f, stray, sizeof(stray) - 1, 0, "f.yaml:1:5: invalid UTF-8");

	/* the largest code points of each length are fine */
	assert_int_equal(load(f, "a: \xdf\xbf \xef\xbf\xbd \xf4\x8f\xbf\xbf\n", 0), 0);

	/* past the eight-byte ASCII fast path, after valid characters: line 3,
	 * column 1 + "abcdefghij: " (12) + "é" + "ü" + "x" = 16 */
	{
		const char late[] = "first: line one\nsecond: line two\nabcdefghij: \xc3\xa9\xc3\xbcx\xff\n";
		expect_reject(f, late, sizeof(late) - 1, 0, "f.yaml:3:16: invalid UTF-8");
	}
}

static void test_reject_nul_byte(void **state)
{
	struct fx *f = *state;
	const char text[] = "a: 1\nb: x\0y\n";

	expect_reject(f, text, sizeof(text) - 1, 0, "f.yaml:2:5: NUL byte in file");
}

static void test_file_size_limit(void **state)
{
	struct fx *f = *state;
	size_t max = 1024 * 1024;

	/* exactly 1 MiB: "a: " + x... + "\n" */
	f->big = malloc(max + 2);
	memcpy(f->big, "a: ", 3);
	memset(f->big + 3, 'x', max - 4);
	f->big[max - 1] = '\n';
	f->big[max] = '\0';
	assert_int_equal(loadn(f, f->big, max, 0), 0);
	assert_int_equal(refctl_node_get(f->docs.v[0], "a")->len, max - 4);

	/* one byte more */
	f->big[max - 1] = 'x';
	f->big[max] = '\n';
	f->big[max + 1] = '\0';
	expect_reject(f, f->big, max + 1, 0, "f.yaml:1:1: file is larger than 1048576 bytes");
}

/* ---- comments ---- */

static void test_comment_found(void **state)
{
	struct fx *f = *state;

	assert_int_equal(comment_of(f, "# top\na: 1\n"), 1);
	assert_int_equal(comment_of(f, "a: 1\n# between\nb: 2\n"), 2);
	assert_int_equal(comment_of(f, "a: 1\nb: 2 # after a value\n"), 2);
	assert_int_equal(comment_of(f, "a: 'x' # after a quoted value\n"), 1);
	assert_int_equal(comment_of(f, "a:\n  - x\n  # in a list\n  - y\n"), 3);
	assert_int_equal(comment_of(f, "a: [x, # in a flow list\n  y]\n"), 1);
	assert_int_equal(comment_of(f, "a: 1\nb: 2\t# after a tab\n"), 2);
	/* the first of several */
	assert_int_equal(comment_of(f, "a: 1\nb: 2 # one\n# two\n"), 2);
}

static void test_comment_not_inside_scalars(void **state)
{
	struct fx *f = *state;

	assert_int_equal(comment_of(f, "a: 1\n"), 0);
	assert_int_equal(comment_of(f, "a: 'x # y'\n"), 0);
	assert_int_equal(comment_of(f, "a: \"x # y\"\n"), 0);
	assert_int_equal(comment_of(f, "a: a#b\n"), 0);
	assert_int_equal(comment_of(f, "a: '#start'\n"), 0);
	assert_int_equal(comment_of(f, "'# key': 1\n"), 0);
	/* a quoted scalar over several lines, '#' starting a continuation line */
	assert_int_equal(comment_of(f, "a: 'one\n  # two'\n"), 0);
	assert_int_equal(comment_of(f, "a: \"one\n  # two\"\n"), 0);
	/* block literal content */
	assert_int_equal(comment_of(f, "notes: |\n  line # not a comment\n  # nor this\nb: 1\n"), 0);
	assert_int_equal(comment_of(f, "notes: >\n  # folded\n  text\n"), 0);
	assert_int_equal(comment_of(f, "l:\n  - |\n    # in an item\n  - x\n"), 0);
}

static void test_comment_around_block_scalars(void **state)
{
	struct fx *f = *state;

	/* a comment on a block scalar's header line is a comment */
	assert_int_equal(comment_of(f, "notes: | # x\n  text\n"), 1);
	assert_int_equal(comment_of(f, "a: 1\nnotes: >- # x\n  text\n"), 2);
	/* and so is one after the block ends */
	assert_int_equal(comment_of(f, "notes: |\n  text\n# real\nb: 1\n"), 3);
	assert_int_equal(comment_of(f, "notes: |\n  text\nb: 1 # real\n"), 3);
}

/* ---- scalar typing ---- */

static int amb(const char *s)
{
	return refctl_yaml_is_ambiguous(s, strlen(s));
}

static void test_is_ambiguous(void **state)
{
	static const char *const yes[] = {
		"", "~", "null", "Null", "NULL", "NO", "no", "No", "n", "N", "yes", "Yes", "y", "Y",
		"on", "On", "ON", "off", "OFF", "true", "True", "FALSE", "0x1F", "1e3", "12:30",
		"2026-01-01", "2026-01-01T10:00:00Z", "2026-1-1", ".inf", "-.inf", "+.INF", ".nan", ".NaN",
		"0", "-1", "+1", "1.5", ".5", "-.5", "1_000", "0o17", "017", "0b101", "1e-3", "190:20:30",
		"=", "<<", ".", "-.", "+.", ".5e3", "2001-12-14t21:59:43.10-05:00",
		"2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 Z", "2026-01-01 10:00:00",
	};
	static const char *const no[] = {
		"Jane", "acme", "DE", "de", "en", "no-reply", "yes please", "none", "nope", "onward",
		"n/a", "12 Main St", "reference-call", "x1", "v1.2", "inf", "nan", "truely", "NO!",
		"Tuesday", "10 kg", "acme-jane",
		/* not a timestamp, and no plain scalar could be written for them */
		"2026-01-01 foo", "2026-01-01 x", "1:", "12:30:", "...000", "...--", "..", ".x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!amb(yes[i]))
			fail_msg("'%s' should be ambiguous", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (amb(no[i]))
			fail_msg("'%s' should not be ambiguous", no[i]);
	/* the length counts, not the NUL */
	assert_true(refctl_yaml_is_ambiguous("yesterday", 3));
	assert_false(refctl_yaml_is_ambiguous("nox", 3));
}

/* ---- tree helpers ---- */

static void test_node_helpers(void **state)
{
	struct fx *f = *state;
	struct refctl_node *seq, *c;

	f->tree = refctl_node_map();
	refctl_node_set(f->tree, "a", refctl_node_scalar("1", 0));
	refctl_node_set(f->tree, "b", refctl_node_scalar("two", 1));
	refctl_node_set(f->tree, "a", refctl_node_scalar("3", 0)); /* replaced in place */
	assert_int_equal(f->tree->n, 4);
	assert_string_equal(f->tree->items[0]->str, "a");
	assert_string_equal(f->tree->items[1]->str, "3");
	assert_int_equal(f->tree->items[0]->line, 0);

	seq = refctl_node_seq();
	refctl_node_append(seq, refctl_node_scalarn("xyz", 2, 1));
	refctl_node_set(f->tree, "s", seq);
	assert_string_equal(refctl_node_get(f->tree, "s")->items[0]->str, "xy");
	assert_int_equal(refctl_node_get(f->tree, "s")->items[0]->len, 2);

	c = refctl_node_clone(f->tree);
	assert_int_equal(refctl_node_remove(f->tree, "a"), 1);
	assert_int_equal(refctl_node_remove(f->tree, "a"), 0);
	assert_int_equal(f->tree->n, 4);
	assert_string_equal(f->tree->items[0]->str, "b");
	/* the clone is deep */
	assert_int_equal(c->n, 6);
	assert_string_equal(refctl_node_get(c, "a")->str, "3");
	assert_int_equal(refctl_node_get(c, "b")->is_string, 1);
	assert_string_equal(refctl_node_get(c, "s")->items[0]->str, "xy");
	refctl_node_free(c);
	assert_null(refctl_node_clone(NULL));
	refctl_node_free(NULL);
	assert_null(refctl_node_get(refctl_node_get(f->tree, "b"), "x")); /* not a map */
}

/* ---- writing ---- */

static void test_emit_canonical(void **state)
{
	struct fx *f = *state;
	struct refctl_node *m, *seq, *req;

	f->tree = refctl_node_map();
	refctl_node_set(f->tree, "name", refctl_node_scalar("J\xc3\xbcrgen Doe", 1));
	refctl_node_set(f->tree, "status", refctl_node_scalar("NO", 1));
	refctl_node_set(f->tree, "code", refctl_node_scalar("0x1F", 1));
	refctl_node_set(f->tree, "nps", refctl_node_scalar("9", 0));
	refctl_node_set(f->tree, "nine", refctl_node_scalar("9", 1));
	refctl_node_set(f->tree, "empty", refctl_node_scalar("", 1));
	refctl_node_set(f->tree, "colon", refctl_node_scalar("a: b", 1));
	seq = refctl_node_seq();
	refctl_node_append(seq, refctl_node_scalar("a", 1));
	refctl_node_append(seq, refctl_node_scalar("yes", 1));
	refctl_node_set(f->tree, "tags", seq);
	refctl_node_set(f->tree, "notes", refctl_node_scalar("line one\nline two\n", 1));
	refctl_node_set(f->tree, "products", refctl_node_seq());
	refctl_node_set(f->tree, "consent", refctl_node_map());
	m = refctl_node_map();
	refctl_node_set(m, "per_quarter", refctl_node_scalar("4", 0));
	refctl_node_set(f->tree, "limits", m);
	seq = refctl_node_seq();
	req = refctl_node_map();
	refctl_node_set(req, "id", refctl_node_scalar("x/1", 1));
	refctl_node_set(req, "opened", refctl_node_scalar("2026-01-01", 0));
	refctl_node_append(seq, req);
	refctl_node_set(f->tree, "requests", seq);

	assert_int_equal(refctl_yaml_emit(&f->out, f->tree), 0);
	assert_string_equal(f->out.ptr,
			    "name: J\xc3\xbcrgen Doe\n"
			    "status: \"NO\"\n"
			    "code: \"0x1F\"\n"
			    "nps: 9\n"
			    "nine: \"9\"\n"
			    "empty: \"\"\n"
			    "colon: 'a: b'\n"
			    "tags:\n"
			    "- a\n"
			    "- \"yes\"\n"
			    "notes: |\n"
			    "  line one\n"
			    "  line two\n"
			    "products: []\n"
			    "consent: {}\n"
			    "limits:\n"
			    "  per_quarter: 4\n"
			    "requests:\n"
			    "- id: x/1\n"
			    "  opened: 2026-01-01\n");

	/* what was emitted reads back as the same strings and types */
	assert_int_equal(loadn(f, f->out.ptr, f->out.size, 0), 0);
	m = f->docs.v[0];
	assert_string_equal(refctl_node_get(m, "status")->str, "NO");
	assert_int_equal(refctl_node_get(m, "status")->is_string, 1);
	assert_int_equal(refctl_node_get(m, "nps")->is_string, 0);
	assert_int_equal(refctl_node_get(m, "nine")->is_string, 1);
	assert_string_equal(refctl_node_get(m, "colon")->str, "a: b");
	assert_string_equal(refctl_node_get(m, "notes")->str, "line one\nline two\n");
	assert_int_equal(refctl_node_get(m, "products")->kind, REFCTL_NODE_SEQ);
	assert_int_equal(refctl_node_get(m, "products")->n, 0);
	assert_int_equal(refctl_node_get(m, "consent")->kind, REFCTL_NODE_MAP);
	assert_int_equal(refctl_node_get(m, "consent")->n, 0);
}

static void test_emit_literal_without_final_newline(void **state)
{
	struct fx *f = *state;

	f->tree = refctl_node_map();
	refctl_node_set(f->tree, "notes", refctl_node_scalar("one\ntwo", 1));
	assert_int_equal(refctl_yaml_emit(&f->out, f->tree), 0);
	assert_string_equal(f->out.ptr, "notes: |-\n  one\n  two\n");
	assert_int_equal(loadn(f, f->out.ptr, f->out.size, 0), 0);
	assert_string_equal(refctl_node_get(f->docs.v[0], "notes")->str, "one\ntwo");
}

static void test_emit_strings_read_back(void **state)
{
	struct fx *f = *state;
	static const char *const strings[] = {
		"- x", "#x", "a #b", "a: b", " lead", "trail ", "tab\there", "'single'", "\"double\"",
		"two\nlines", "trailing space \nnext", "  indented\nfirst", "keep\n\n", "back\\slash",
		"{curly}", "[square]", "@at", "`tick", "% pct", "*star", "&amp", "!bang", "|pipe", ">gt",
		"? q", "---", "...", "yes", "1.0", "2026-01-01", "J\xc3\xbcrgen", "\xe2\x80\x94 dash",
	};
	size_t n = sizeof(strings) / sizeof(strings[0]);
	const struct refctl_node *seq;

	f->tree = refctl_node_seq();
	for (size_t i = 0; i < n; i++)
		refctl_node_append(f->tree, refctl_node_scalar(strings[i], 1));
	assert_int_equal(refctl_yaml_emit(&f->out, f->tree), 0);
	if (loadn(f, f->out.ptr, f->out.size, 0) < 0)
		fail_msg("emitted YAML does not load: %s\n%s", refctl_error_last(), f->out.ptr);
	seq = f->docs.v[0];
	assert_int_equal(seq->kind, REFCTL_NODE_SEQ);
	assert_int_equal(seq->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(seq->items[i]->str, strings[i]);
		/* whatever is read as plain must not change meaning */
		if (!seq->items[i]->is_string)
			assert_false(refctl_yaml_is_ambiguous(seq->items[i]->str, seq->items[i]->len));
	}
}

static void test_emit_round_trip(void **state)
{
	struct fx *f = *state;
	static const char canonical[] =
		"id: acme-jane\n"
		"name: Jane Doe\n"
		"company: ACME\xc3\xa4 GmbH\n"
		"status: active\n"
		"country: \"NO\"\n"
		"nps: 9\n"
		"since: 2024-03-01\n"
		"notes: |\n"
		"  First line.\n"
		"  Second # line.\n"
		"languages:\n"
		"- de\n"
		"- en\n"
		"tags: []\n"
		"consent: {}\n"
		"limits:\n"
		"  per_quarter: 2\n"
		"requests:\n"
		"- id: acme-jane/1\n"
		"  opened: 2026-01-05\n"
		"  deal_value: 1200.5\n"
		"  forced: true\n"
		"- id: acme-jane/2\n"
		"  opened: 2026-02-05\n";
	struct refctl_buf second = REFCTL_BUF_INIT;

	assert_int_equal(load(f, canonical, 0), 0);
	assert_int_equal(f->docs.comment_line, 0);
	assert_int_equal(refctl_yaml_emit(&f->out, f->docs.v[0]), 0);
	assert_string_equal(f->out.ptr, canonical);
	assert_int_equal(f->out.size, sizeof(canonical) - 1);

	/* and once more from what was emitted */
	assert_int_equal(loadn(f, f->out.ptr, f->out.size, 0), 0);
	assert_int_equal(refctl_yaml_emit(&second, f->docs.v[0]), 0);
	assert_string_equal(second.ptr, canonical);
	refctl_buf_release(&second);
}

/* The one-key document {key: value} as emitted. */
static void expect_emit(struct fx *f, const char *key, int key_string, const char *value,
			int value_string, const char *expected)
{
	struct refctl_buf again = REFCTL_BUF_INIT;

	refctl_node_free(f->tree);
	refctl_buf_clear(&f->out);
	f->tree = refctl_node_map();
	refctl_node_append(f->tree, refctl_node_scalar(key, key_string));
	refctl_node_append(f->tree, refctl_node_scalar(value, value_string));
	assert_int_equal(refctl_yaml_emit(&f->out, f->tree), 0);
	if (strcmp(f->out.ptr, expected))
		fail_msg("{'%s': '%s'} (%s) is emitted as:\n%s\nexpected:\n%s", key, value,
			 value_string ? "a string" : "plain", f->out.ptr, expected);
	/* and that reads back to itself */
	assert_int_equal(loadn(f, f->out.ptr, f->out.size, 0), 0);
	assert_string_equal(f->docs.v[0]->items[0]->str, key);
	assert_string_equal(f->docs.v[0]->items[1]->str, value);
	assert_int_equal(refctl_yaml_emit(&again, f->docs.v[0]), 0);
	assert_string_equal(again.ptr, expected);
	refctl_buf_release(&again);
}

static void test_emit_style_is_a_function_of_the_value(void **state)
{
	struct fx *f = *state;

	/* a multi-line plain scalar is written as the string it reads as */
	expect_emit(f, "x", 1, "a\nb", 0, "x: |-\n  a\n  b\n");
	expect_emit(f, "x", 1, "a\nb", 1, "x: |-\n  a\n  b\n");
	expect_emit(f, "x", 1, "a\n\nb\n", 0, "x: |\n  a\n\n  b\n");
	/* an empty key, plain (null) or quoted */
	expect_emit(f, "", 0, "v", 1, "\"\": v\n");
	expect_emit(f, "", 1, "v", 1, "\"\": v\n");
	/* an empty value: null plain, the empty string quoted */
	expect_emit(f, "x", 1, "", 0, "x:\n");
	expect_emit(f, "x", 1, "", 1, "x: \"\"\n");
	/* what a YAML 1.1 or 1.2 reader would type: plain stays plain, a string is quoted */
	expect_emit(f, "x", 1, "yes", 0, "x: yes\n");
	expect_emit(f, "x", 1, "yes", 1, "x: \"yes\"\n");
	expect_emit(f, "yes", 0, "v", 1, "yes: v\n");
	expect_emit(f, "yes", 1, "v", 1, "\"yes\": v\n");
	expect_emit(f, "x", 1, "0x1F", 1, "x: \"0x1F\"\n");
	expect_emit(f, "x", 1, "12:30:00", 1, "x: \"12:30:00\"\n");
	expect_emit(f, "x", 1, ".", 1, "x: \".\"\n");
	expect_emit(f, "x", 1, "2001-12-14 21:59:43.10 -5", 1, "x: \"2001-12-14 21:59:43.10 -5\"\n");
	/* what cannot be plain: single-quoted, whether it was plain or not */
	expect_emit(f, "x", 1, "- x", 1, "x: '- x'\n");
	expect_emit(f, "x", 1, "a: b", 1, "x: 'a: b'\n");
	expect_emit(f, "x", 1, "a #b", 1, "x: 'a #b'\n");
	expect_emit(f, "x", 1, "a:", 1, "x: 'a:'\n");
	expect_emit(f, "x", 1, "...000", 0, "x: '...000'\n");
	expect_emit(f, "x", 1, "---x", 1, "x: '---x'\n");
	expect_emit(f, "x", 1, " lead", 1, "x: ' lead'\n");
	expect_emit(f, "x", 1, "@at", 1, "x: '@at'\n");
	expect_emit(f, "a: b", 1, "v", 1, "'a: b': v\n");
	/* but these can */
	expect_emit(f, "x", 1, "-x", 1, "x: -x\n");
	expect_emit(f, "x", 1, "a:b", 1, "x: a:b\n");
	expect_emit(f, "x", 1, "a#b", 1, "x: a#b\n");
	expect_emit(f, "x", 1, "it's", 1, "x: it's\n");
	/* what only an escape shows: double-quoted */
	expect_emit(f, "x", 1, "a\tb", 0, "x: \"a\\tb\"\n");
	expect_emit(f, "x", 1, "a\tb", 1, "x: \"a\\tb\"\n");
	expect_emit(f, "x", 1, "bell\a", 1, "x: \"bell\\a\"\n");
	expect_emit(f, "x", 1, "line\xe2\x80\xa8sep", 1, "x: \"line\\Lsep\"\n");
	expect_emit(f, "x", 1, "\xef\xbb\xbf" "bom", 1, "x: \"\\uFEFFbom\"\n");
	expect_emit(f, "x", 1, "nel\xc2\x85", 1, "x: \"nel\\N\"\n");
	/* a block cannot keep a space at the end of a line */
	expect_emit(f, "x", 1, "a \nb", 1, "x: \"a \\nb\"\n");
	expect_emit(f, "x", 1, "a\nb ", 1, "x: \"a\\nb \"\n");
	/* a key that begins as git's conflict markers would be taken for one at
	 * the start of a line: quoted, plain or not */
	expect_emit(f, "<<<<<<< lead", 1, "v", 1, "'<<<<<<< lead': v\n");
	expect_emit(f, "<<<<<<< lead", 0, "v", 1, "'<<<<<<< lead': v\n");
	expect_emit(f, "=======", 1, "v", 1, "'=======': v\n");
	expect_emit(f, "x", 1, "<<<<<<< lead", 1, "x: '<<<<<<< lead'\n");
	expect_emit(f, "<<<<<< six", 1, "v", 1, "<<<<<< six: v\n");
	/* unicode is written as itself */
	expect_emit(f, "x", 1, "J\xc3\xbcrgen \xe2\x80\x94 \xe6\xa0\xaa", 1, "x: J\xc3\xbcrgen \xe2\x80\x94 \xe6\xa0\xaa\n");
}

static void test_load_bom_and_crlf(void **state)
{
	struct fx *f = *state;

	/* a byte-order mark is read past, and noted */
	assert_int_equal(load(f, "\xef\xbb\xbf" "a: 1\nb: [\n", 0), REFCTL_EINVALID);
	assert_int_equal(refctl_error_last_line(), 3); /* lines counted as without it */
	assert_int_equal(load(f, "\xef\xbb\xbf" "a: 1\nb: 2\n", 0), 0);
	assert_int_equal(f->docs.bom, 1);
	assert_int_equal(f->docs.crlf_line, 0);
	assert_string_equal(refctl_node_get(f->docs.v[0], "b")->str, "2");
	assert_int_equal(refctl_node_get(f->docs.v[0], "b")->col, 4);
	assert_int_equal(load(f, "a: 1\n", 0), 0);
	assert_int_equal(f->docs.bom, 0);

	/* the first line ending in CR */
	assert_int_equal(load(f, "a: 1\nb: 2\r\nc: 3\r\n", 0), 0);
	assert_int_equal(f->docs.crlf_line, 2);
	assert_string_equal(refctl_node_get(f->docs.v[0], "c")->str, "3");
	assert_int_equal(load(f, "a: 1\r\n", 0), 0);
	assert_int_equal(f->docs.crlf_line, 1);
}

static void test_check_write(void **state)
{
	struct fx *f = *state;
	struct refctl_buf b = REFCTL_BUF_INIT;
	size_t max = 1024 * 1024;

	assert_int_equal(refctl_yaml_check_write("advocates/x.yaml", "a: 1\n", 5), 0);

	f->big = malloc(max + 24);
	memcpy(f->big, "a: ", 3);
	memset(f->big + 3, 'x', max - 4);
	f->big[max - 1] = '\n';
	assert_int_equal(refctl_yaml_check_write("advocates/x.yaml", f->big, max), 0);
	assert_int_equal(refctl_yaml_check_write("advocates/x.yaml", f->big, max + 24), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "advocates/x.yaml: the file would be 1048600 bytes, over the 1 MiB limit");

	nested_block(&b, 33);
	assert_int_equal(refctl_yaml_check_write("advocates/x.yaml", b.ptr, b.size), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "advocates/x.yaml: the file would not read back (line 33: nesting deeper than 32 levels)");
	refctl_buf_release(&b);
}

static void test_check_rewrite(void **state)
{
	(void)state;
	assert_int_equal(refctl_yaml_check_rewrite("advocates/x.yaml", 0, 0), 0);
	assert_int_equal(refctl_yaml_check_rewrite("advocates/x.yaml", 1, 0), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "advocates/x.yaml: the file starts with a UTF-8 byte-order mark, which rewriting it "
			    "would drop; 'refctl fmt x' removes it");
	assert_int_equal(refctl_yaml_check_rewrite("advocates/x.yaml", 0, 3), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "advocates/x.yaml:3: the file has CRLF line endings, so rewriting it would change "
			    "every line; 'refctl fmt x' converts it to LF");
}

/* ---- the parse cache's form of a tree ---- */

/* Same shape, text, string flags and positions. */
static void assert_same_tree(const struct refctl_node *a, const struct refctl_node *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->col, b->col);
	assert_int_equal(a->is_string, b->is_string);
	assert_int_equal(a->n, b->n);
	if (a->kind == REFCTL_NODE_SCALAR) {
		assert_int_equal(a->len, b->len);
		assert_memory_equal(a->str, b->str, a->len);
		assert_int_equal(b->str[b->len], '\0');
	}
	for (size_t i = 0; i < a->n; i++)
		assert_same_tree(a->items[i], b->items[i]);
}

static void test_encode_decode_round_trip(void **state)
{
	struct fx *f = *state;
	struct refctl_buf enc = REFCTL_BUF_INIT;
	const char *text = "id: ann\nname: 'Ann'\nnps: 9\nlist: [a, \"b\", '']\nmap:\n  k: |\n    two\n    lines\n"
			   "requests:\n- id: ann/1\n  opened: 2026-01-02\n- {}\nempty: []\n";

	assert_int_equal(load(f, text, 0), 0);
	refctl_node_encode(&enc, f->docs.v[0]);
	assert_int_equal(refctl_node_decode(&f->tree, enc.ptr, enc.size), 0);
	assert_same_tree(f->docs.v[0], f->tree);
	/* the decoded tree is an ordinary one: emitted as the loaded one is */
	refctl_buf_clear(&f->out);
	assert_int_equal(refctl_yaml_emit(&f->out, f->tree), 0);
	{
		struct refctl_buf want = REFCTL_BUF_INIT;
		assert_int_equal(refctl_yaml_emit(&want, f->docs.v[0]), 0);
		assert_string_equal(f->out.ptr, want.ptr);
		refctl_buf_release(&want);
	}
	refctl_buf_release(&enc);
}

static void test_decode_rejects_damage(void **state)
{
	struct fx *f = *state;
	struct refctl_buf enc = REFCTL_BUF_INIT;
	struct refctl_node *t;

	assert_int_equal(load(f, "a: 1\nb: [x, y]\nc: {d: e}\n", 0), 0);
	refctl_node_encode(&enc, f->docs.v[0]);
	/* every truncation, and a byte too many, is refused, setting no error */
	for (size_t n = 0; n < enc.size; n++) {
		refctl_error_clear();
		assert_int_equal(refctl_node_decode(&t, enc.ptr, n), REFCTL_EINVALID);
		assert_null(t);
		assert_string_equal(refctl_error_last(), "unknown error");
	}
	refctl_buf_putc(&enc, 0);
	assert_int_equal(refctl_node_decode(&t, enc.ptr, enc.size), REFCTL_EINVALID);
	/* a bad kind, and a map whose key is not a scalar */
	enc.ptr[0] = 7;
	assert_int_equal(refctl_node_decode(&t, enc.ptr, enc.size - 1), REFCTL_EINVALID);
	refctl_buf_clear(&enc);
	assert_int_equal(load(f, "- [x]\n- y\n", 0), 0);
	refctl_node_encode(&enc, f->docs.v[0]);
	enc.ptr[0] = REFCTL_NODE_MAP; /* the sequence of two read as a map: key [x] */
	assert_int_equal(refctl_node_decode(&t, enc.ptr, enc.size), REFCTL_EINVALID);
	refctl_buf_release(&enc);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_load_map_seq_scalar),
		T(test_load_scalar_styles_and_positions),
		T(test_load_empty_and_null),
		T(test_reject_syntax_error_has_position),
		T(test_reject_anchor),
		T(test_reject_alias),
		T(test_reject_tag),
		T(test_reject_duplicate_key),
		T(test_reject_duplicate_key_large_map),
		T(test_reject_non_scalar_key),
		T(test_nesting_depth),
		T(test_second_document),
		T(test_reject_invalid_utf8),
		T(test_reject_nul_byte),
		T(test_file_size_limit),
		T(test_comment_found),
		T(test_comment_not_inside_scalars),
		T(test_comment_around_block_scalars),
		T(test_is_ambiguous),
		T(test_node_helpers),
		T(test_emit_canonical),
		T(test_emit_literal_without_final_newline),
		T(test_emit_strings_read_back),
		T(test_emit_round_trip),
		T(test_emit_style_is_a_function_of_the_value),
		T(test_load_bom_and_crlf),
		T(test_check_write),
		T(test_check_rewrite),
		T(test_encode_decode_round_trip),
		T(test_decode_rejects_damage),
	};
	return cmocka_run_group_tests_name("yaml", tests, NULL, NULL);
}
