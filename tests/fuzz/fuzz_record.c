/*
 * Fuzz target: any bytes through the YAML loader, the record validator,
 * the canonical writer, the settings parser, and the merge driver with the
 * input as each side (and its conflicts as check names them). Built with libFuzzer when
 * REFCTL_FUZZ is on (clang, the whole library instrumented with ASan and
 * UBSan); otherwise linked with tests/fuzz/replay.c, which replays files
 * (the seed corpus, every YAML file of the test suite) and counts failures.
 *
 * The properties, each a failure (abort() under libFuzzer):
 *  1. What refctl writes, it reads: the canonical form of an input that
 *     loads (as an advocate, or as any YAML tree) loads again.
 *  2. The canonical form is a fixed point: formatting what was read back
 *     gives the same bytes, fmt(parse(fmt(x))) == fmt(x).
 *  3. Writing keeps values: the tree read back has the same shape and the
 *     same text, and a scalar keeps its type (a string stays a string, a
 *     plain number, boolean or null stays one).
 * Any YAML tree is tried three ways: as a document of its own, as the
 * value of an unknown key of a valid advocate, and (a scalar) as the value
 * of a string field, of a text field and of a list.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/common.h"
#include "refctl/config.h"
#include "refctl/merge.h"
#include "refctl/record.h"
#include "refctl/yaml.h"

#define MAX_FILE (1024 * 1024) /* REFCTL_MAX_FILE: larger output is refused, not written */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef REFCTL_FUZZ_REPLAY
/* replay.c: count the failure and name the input */
void fuzz_replay_failure(const char *what, const char *first, const char *second);
#define FAIL(what, first, second) fuzz_replay_failure(what, first, second)
#else
static void fuzz_abort(const char *what, const char *first, const char *second)
{
	fprintf(stderr, "fuzz_record: %s\n---- first\n%s\n---- second\n%s\n----\n", what,
		first ? first : "", second ? second : "");
	abort();
}
#define FAIL(what, first, second) fuzz_abort(what, first, second)
#endif

/* A scalar's type as a YAML reader resolves it: 1 a string, 0 anything else. */
static int reads_as_string(const struct refctl_node *n)
{
	return n->is_string || !refctl_yaml_is_ambiguous(n->str, n->len);
}

/* Only an escape shows a control character (a tab in "2001-12-14\t10:00:00:00"
 * too), and no plain scalar holds an escape: such a value is written as the
 * string it reads as. */
static int has_control(const struct refctl_node *n)
{
	for (size_t i = 0; i < n->len; i++)
		if ((unsigned char)n->str[i] < 0x20 || n->str[i] == 0x7f)
			return 1;
	return 0;
}

/* Property 3: b (read back) holds the values of a (what was written);
 * if not, why into buf. */
static const char *same_values(const struct refctl_node *a, const struct refctl_node *b, int is_key,
			       char *buf, size_t size)
{
	const char *why;

	if (a->kind != b->kind)
		return "a node changed kind";
	if (a->kind == REFCTL_NODE_SCALAR) {
		if (a->len != b->len || memcmp(a->str, b->str, a->len))
			why = "a scalar changed text";
		/* keys are names, compared as text; an empty key is written "" */
		else if (!is_key && !has_control(a) && reads_as_string(a) != reads_as_string(b))
			why = "a scalar changed type";
		else
			return NULL;
		snprintf(buf, size, "%s: '%.*s' (%s) read back as '%.*s' (%s)", why, (int)a->len, a->str,
			 a->is_string ? "quoted" : "plain", (int)b->len, b->str,
			 b->is_string ? "quoted" : "plain");
		return buf;
	}
	if (a->n != b->n)
		return "a collection changed size";
	for (size_t i = 0; i < a->n; i++)
		if ((why = same_values(a->items[i], b->items[i], a->kind == REFCTL_NODE_MAP && i % 2 == 0,
				       buf, size)))
			return why;
	return NULL;
}

static int depth_of(const struct refctl_node *n)
{
	int d = 0;
	if (n->kind == REFCTL_NODE_SCALAR)
		return 0;
	for (size_t i = 0; i < n->n; i++) {
		int k = depth_of(n->items[i]);
		if (k > d)
			d = k;
	}
	return d + 1;
}

/* Properties 1-3 for a tree: emit, load, compare, emit again. */
static void check_tree(const struct refctl_node *root)
{
	struct refctl_buf out = REFCTL_BUF_INIT, again = REFCTL_BUF_INIT;
	struct refctl_yaml_docs docs;
	const char *why;
	char buf[512];

	if (refctl_yaml_emit(&out, root) < 0) {
		FAIL("a loaded tree cannot be emitted", refctl_error_last(), NULL);
		goto done;
	}
	if (out.size > MAX_FILE)
		goto done;
	if (refctl_yaml_load(&docs, "fuzz.yaml", out.ptr, out.size, 0) < 0) {
		FAIL("emitted YAML does not load", out.ptr, refctl_error_last());
		goto done;
	}
	if (docs.n != 1) {
		/* an empty stream is the one way to write a null document */
		if (!(docs.n == 0 && refctl_yaml_is_null(root)))
			FAIL("emitted YAML is not one document", out.ptr, NULL);
	} else if ((why = same_values(root, docs.v[0], 0, buf, sizeof(buf)))) {
		FAIL(why, out.ptr, NULL);
	} else if (refctl_yaml_emit(&again, docs.v[0]) < 0 || out.size != again.size ||
		   memcmp(out.ptr, again.ptr, out.size)) {
		FAIL("the canonical form of a tree is not a fixed point", out.ptr, again.ptr);
	}
	refctl_yaml_docs_release(&docs);
done:
	refctl_buf_release(&out);
	refctl_buf_release(&again);
}

/* Properties 1 and 2 for an advocate record. */
static void check_record(struct refctl_record *rec)
{
	struct refctl_buf out = REFCTL_BUF_INIT, again = REFCTL_BUF_INIT;
	struct refctl_record *rec2 = NULL;

	if (refctl_record_format(&out, rec) < 0) {
		FAIL("a valid advocate cannot be formatted", refctl_error_last(), NULL);
		goto done;
	}
	if (out.size > MAX_FILE)
		goto done;
	if (refctl_record_parse(&rec2, "advocates/fuzz.yaml", out.ptr, out.size, NULL) < 0) {
		FAIL("the canonical form of an advocate does not load", out.ptr, refctl_error_last());
		goto done;
	}
	if (refctl_record_format(&again, rec2) < 0 || out.size != again.size ||
	    memcmp(out.ptr, again.ptr, out.size))
		FAIL("the canonical form of an advocate is not a fixed point", out.ptr, again.ptr);
done:
	refctl_record_free(rec2);
	refctl_buf_release(&out);
	refctl_buf_release(&again);
}

/* A valid advocate with value (a copy) under key, checked if it validates. */
static void check_in_advocate(const char *key, const struct refctl_node *value, int as_list)
{
	struct refctl_node *root = refctl_node_map(), *v = refctl_node_clone(value);
	struct refctl_record *rec = NULL;

	refctl_node_set(root, "id", refctl_node_scalar("fuzz", 1));
	refctl_node_set(root, "name", refctl_node_scalar("Fuzz", 1));
	refctl_node_set(root, "company", refctl_node_scalar("Co", 1));
	refctl_node_set(root, "status", refctl_node_scalar("active", 1));
	if (as_list) {
		struct refctl_node *seq = refctl_node_seq();
		refctl_node_append(seq, v);
		v = seq;
	}
	refctl_node_set(root, key, v);
	if (refctl_record_from_node(&rec, "advocates/fuzz.yaml", root, NULL) == 0)
		check_record(rec);
	refctl_record_free(rec);
}

/* A valid advocate beside the input, for merges with it on either side. */
static const char sample[] = "id: fuzz\nname: F\ncompany: C\nstatus: active\nnps: 7\ntags:\n- a\n"
			     "requests:\n- {id: fuzz/1, opened: 2026-10-01, activity: quote, status: requested}\n";

/* Merge an input that is a valid advocate as base, ours and theirs against
 * the sample: never a crash, and a result with markers is read back by
 * check's describer, as is an input with markers. (Other inputs would go
 * to libgit2's line merge, which the unit tests cover.) */
static void fuzz_merge(const char *data, size_t size, int mergeable)
{
	const char *sides[3][3] = { { data, sample, sample }, { sample, data, sample }, { sample, sample, data } };
	const size_t lens[3][3] = { { size, sizeof(sample) - 1, sizeof(sample) - 1 },
				    { sizeof(sample) - 1, size, sizeof(sample) - 1 },
				    { sizeof(sample) - 1, sizeof(sample) - 1, size } };
	struct refctl_diags d = REFCTL_DIAGS_INIT;

	for (int k = 0; mergeable && k < 3; k++) {
		struct refctl_merge_result res;
		refctl_merge_result_init(&res);
		if (refctl_merge(&res, sides[k][0], lens[k][0], sides[k][1], lens[k][1], sides[k][2], lens[k][2], NULL) == 0 &&
		    refctl_merge_has_markers(res.out.ptr, res.out.size))
			refctl_merge_describe(&d, "advocates/fuzz.yaml", res.out.ptr, res.out.size);
		refctl_merge_result_release(&res);
	}
	if (refctl_merge_has_markers(data, size))
		refctl_merge_describe(&d, "advocates/fuzz.yaml", data, size);
	refctl_diags_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct refctl_record *rec = NULL;
	struct refctl_diags diags = REFCTL_DIAGS_INIT;
	struct refctl_config *cfg = NULL;
	struct refctl_yaml_docs docs;

	int mergeable = 0;

	if (refctl_record_parse(&rec, "advocates/fuzz.yaml", (const char *)data, size, &diags) == 0) {
		check_record(rec);
		mergeable = !rec->comment_line;
	}
	refctl_record_free(rec);
	refctl_diags_release(&diags);

	if (refctl_yaml_load(&docs, "fuzz.yaml", (const char *)data, size, REFCTL_YAML_MULTI) == 0) {
		for (size_t i = 0; i < docs.n; i++) {
			const struct refctl_node *root = docs.v[i];
			check_tree(root);
			/* one level more under the advocate's key must still load */
			if (depth_of(root) < REFCTL_YAML_MAX_DEPTH)
				check_in_advocate("x-fuzz", root, 0);
			if (root->kind == REFCTL_NODE_SCALAR) {
				check_in_advocate("title", root, 0);
				check_in_advocate("notes", root, 0);
				check_in_advocate("tags", root, 1);
			}
		}
		refctl_yaml_docs_release(&docs);
	}

	if (refctl_config_parse(&cfg, "refctl.yaml", (const char *)data, size) == 0)
		refctl_config_free(cfg);
	fuzz_merge((const char *)data, size, mergeable);
	return 0;
}
