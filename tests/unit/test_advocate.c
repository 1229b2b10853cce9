/* Unit tests for lib/advocate.c: add, edit, replace, fmt and check, in a real repository. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "refctl/advocate.h"
#include "refctl/common.h"
#include "refctl/store.h"

#include "repo_fixture.h"

/* A tree parsed from YAML (positions as in a file named origin). */
static struct refctl_node *tree(const char *origin, const char *text)
{
	struct refctl_yaml_docs docs;
	struct refctl_node *root;

	if (refctl_yaml_load(&docs, origin, text, strlen(text), 0) < 0 || docs.n != 1)
		fail_msg("bad YAML in test: %s", refctl_error_last());
	root = docs.v[0];
	docs.v[0] = NULL;
	docs.n = 0;
	refctl_yaml_docs_release(&docs);
	return root;
}

/* Add advocates from YAML texts (NULL-terminated), all named origin. */
static int add_opts(struct fx *f, struct refctl_write_opts *opts, const char *origin, ...)
{
	struct refctl_node *roots[8];
	const char *origins[8];
	const char *text;
	size_t n = 0;
	va_list ap;
	int rc;

	va_start(ap, origin);
	while ((text = va_arg(ap, const char *)) != NULL) {
		assert_true(n < 8);
		roots[n] = tree(origin, text);
		origins[n++] = origin;
	}
	va_end(ap);
	refctl_store_list_free(f->ids, f->nids);
	f->ids = NULL;
	f->nids = n;
	tick(f);
	rc = refctl_advocates_add(f->s, roots, origins, n, opts, &f->ids);
	if (!f->ids)
		f->nids = 0;
	return rc;
}

#define add(f, ...) add_opts(f, NULL, __VA_ARGS__)

static void add_ok(struct fx *f, const char *text)
{
	if (add(f, "new.yaml", text, NULL) < 0)
		fail_msg("add failed: %s", refctl_error_last());
}

static int edit(struct fx *f, const char *id, int unset, int *changed, ...)
{
	const char *args[8], *a;
	size_t n = 0;
	va_list ap;

	va_start(ap, changed);
	while ((a = va_arg(ap, const char *)) != NULL)
		args[n++] = a;
	va_end(ap);
	tick(f);
	return refctl_advocate_edit(f->s, id, args, n, unset, NULL, changed);
}

/* What fmt could not format: one "FILE|ERROR" line each, since the last fmt(). */
static char fmt_bad[4096];

static void collect_bad(const char *file, const char *error, void *payload)
{
	size_t len = strlen(fmt_bad);
	(void)payload;
	snprintf(fmt_bad + len, sizeof(fmt_bad) - len, "%s|%s\n", file, error);
}

static int fmt(struct fx *f, int check_only, const char *const *ids, size_t n)
{
	refctl_store_list_free(f->out, f->nout);
	f->out = NULL;
	f->nout = 0;
	fmt_bad[0] = '\0';
	tick(f);
	return refctl_advocates_fmt(f->s, ids, n, check_only, NULL, collect_bad, NULL, &f->out,
				    &f->nout);
}

/* Stage and commit raw files (relpath, data, ..., NULL). */
static void commit_files(struct fx *f, const char *subject, ...)
{
	va_list ap;
	const char *rel;

	tick(f);
	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	va_start(ap, subject);
	while ((rel = va_arg(ap, const char *)) != NULL) {
		const char *data = va_arg(ap, const char *);
		if (refctl_txn_put(f->t, rel, data, strlen(data)) < 0)
			fail_msg("put %s: %s", rel, refctl_error_last());
	}
	va_end(ap);
	assert_int_equal(refctl_txn_commit(f->t, subject, NULL), 0);
	refctl_txn_free(f->t);
	f->t = NULL;
}

static void assert_file(struct fx *f, const char *rel, const char *expected)
{
	char *data = read_at(f, rel);
	if (!data)
		fail_msg("no file %s", rel);
	if (strcmp(data, expected)) {
		char msg[2048];
		snprintf(msg, sizeof(msg), "%s is:\n%s\nexpected:\n%s", rel, data, expected);
		free(data);
		fail_msg("%s", msg);
	}
	free(data);
}

#define JANE "name: Jane Doe\ncompany: ACME\nstatus: active\n"

/* ---- add ---- */

static void test_add_derives_ids(void **state)
{
	struct fx *f = *state;

	add_ok(f, JANE);
	assert_int_equal(f->nids, 1);
	assert_string_equal(f->ids[0], "jane-doe-acme");
	/* the id goes first, the file is canonical */
	assert_file(f, "advocates/jane-doe-acme.yaml",
		    "id: jane-doe-acme\nname: Jane Doe\ncompany: ACME\nstatus: active\n");
	load_log(f, "advocates/jane-doe-acme.yaml");
	assert_int_equal(f->nlog, 1);
	assert_string_equal(f->log[0].summary, "refctl: add jane-doe-acme");

	/* the same name and company again: -2, then -3 and -4 in one call */
	add_ok(f, JANE);
	assert_string_equal(f->ids[0], "jane-doe-acme-2");
	assert_int_equal(add(f, "new.yaml", JANE, JANE, NULL), 0);
	assert_int_equal(f->nids, 2);
	assert_string_equal(f->ids[0], "jane-doe-acme-3");
	assert_string_equal(f->ids[1], "jane-doe-acme-4");
	load_log(f, "advocates/jane-doe-acme-4.yaml");
	assert_string_equal(f->log[0].summary, "refctl: add jane-doe-acme-3, jane-doe-acme-4");
	assert_file(f, "advocates/jane-doe-acme-4.yaml",
		    "id: jane-doe-acme-4\nname: Jane Doe\ncompany: ACME\nstatus: active\n");

	/* more than three in one commit */
	assert_int_equal(add(f, "new.yaml", JANE, JANE, JANE, JANE, NULL), 0);
	assert_string_equal(f->ids[3], "jane-doe-acme-8");
	load_log(f, "advocates/jane-doe-acme-5.yaml");
	assert_string_equal(f->log[0].summary, "refctl: add 4 advocates");
	list(f);
	assert_int_equal(f->nnames, 8);
}

static void test_add_suffix_keeps_63(void **state)
{
	struct fx *f = *state;
	char text[256], expected[80];

	/* 40 a's, '-', 22 b's: an id of exactly 63 characters */
	snprintf(text, sizeof(text), "name: %.40s\ncompany: %.22s\nstatus: active\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	add_ok(f, text);
	snprintf(expected, sizeof(expected), "%.40s-%.22s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	assert_string_equal(f->ids[0], expected);
	/* with "-2" it would be 65: the base is cut to 61 (20 b's) */
	add_ok(f, text);
	snprintf(expected, sizeof(expected), "%.40s-%.20s-2", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	assert_string_equal(f->ids[0], expected);
	assert_int_equal(strlen(f->ids[0]), 63);

	/* 60 a's, '-', "bcd" is 64, cut to 63: 60 a's and "-bc". With "-2"
	 * the cut at 61 ends in '-', which is dropped: 60 a's and "-2" */
	snprintf(text, sizeof(text), "name: %.60s\ncompany: bcd\nstatus: active\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	add_ok(f, text);
	assert_int_equal(strlen(f->ids[0]), 63);
	assert_int_equal(strspn(f->ids[0], "a"), 60);
	assert_string_equal(f->ids[0] + 60, "-bc");
	add_ok(f, text);
	assert_int_equal(strlen(f->ids[0]), 62);
	assert_int_equal(strspn(f->ids[0], "a"), 60);
	assert_string_equal(f->ids[0] + 60, "-2");
	assert_true(refctl_id_valid(f->ids[0]));
}

static void test_add_refuses_duplicate_email(void **state)
{
	struct fx *f = *state;

	add_ok(f, JANE "email: jane@acme.example\n");
	assert_int_equal(add(f, "new.yaml", "name: Janet\ncompany: Other\nstatus: active\nemail: JANE@acme.example\n",
			     NULL), REFCTL_EEXISTS);
	assert_string_equal(refctl_error_last(),
			    "new.yaml:4:8: email JANE@acme.example is already used by advocate 'jane-doe-acme'");
	assert_false(exists_at(f, "advocates/janet-other.yaml"));
	assert_null(f->ids);

	/* two new advocates with one address: neither is written */
	assert_int_equal(add(f, "new.yaml", "name: Al\ncompany: X\nstatus: active\nemail: al@x.example\n",
			     "name: Bo\ncompany: X\nstatus: active\nemail: Al@X.example\n", NULL), REFCTL_EEXISTS);
	assert_string_equal(refctl_error_last(), "new.yaml:4:8: email Al@X.example is already used by advocate 'al-x'");
	assert_false(exists_at(f, "advocates/al-x.yaml"));
	assert_false(exists_at(f, "advocates/bo-x.yaml"));
	list(f);
	assert_int_equal(f->nnames, 1);
}

static void test_add_refuses_bad_input(void **state)
{
	struct fx *f = *state;

	add_ok(f, JANE);
	assert_int_equal(add(f, "new.yaml", "id: jane-doe-acme\n" JANE, NULL), REFCTL_EEXISTS);
	assert_string_equal(refctl_error_last(), "new.yaml:1:5: advocate 'jane-doe-acme' already exists");
	assert_int_equal(add(f, "new.yaml", "id: x\n" JANE, "id: x\n" JANE, NULL), REFCTL_EEXISTS);
	assert_string_equal(refctl_error_last(), "new.yaml:1:5: advocate 'x' is given twice");
	assert_int_equal(add(f, "new.yaml", "id: Jane\n" JANE, NULL), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "new.yaml:1:5: id 'Jane' must be lowercase letters, digits and '-' "
						 "(at most 63, not starting with '-')");
	/* a validation error names the input, with its position */
	assert_int_equal(add(f, "new.yaml", JANE "nps: 11\n", NULL), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "new.yaml:4:6: nps must be an integer from 0 to 10");
	/* a left-out status gets its default; a left-out name has none */
	assert_int_equal(add(f, "new.yaml", "company: X\nstatus: active\n", NULL), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "new.yaml:1:1: missing required field 'name'");
	assert_int_equal(add(f, "new.yaml", "- a\n", NULL), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "new.yaml:1:1: an advocate must be a map of fields (id, name, company, status, ...)");
	/* nothing of that was written */
	list(f);
	assert_int_equal(f->nnames, 1);
	assert_false(exists_at(f, "advocates/x.yaml"));
}

/* A refctl_warn_fn that keeps every warning, one a line. */
static void keep_warning(const char *msg, void *payload)
{
	refctl_buf_printf(payload, "%s\n", msg);
}

static void test_add_no_commit_and_stale_lock(void **state)
{
	struct fx *f = *state;
	struct refctl_write_opts opts = REFCTL_WRITE_OPTS_INIT;
	struct refctl_buf warnings = REFCTL_BUF_INIT;

	write_at(f, ".git/refctl.lock", "4242\n");
	opts.txn_flags = REFCTL_TXN_NO_COMMIT;
	opts.warn_cb = keep_warning;
	opts.warn_payload = &warnings;
	assert_int_equal(add_opts(f, &opts, "new.yaml", JANE, NULL), 0);
	/* one warning, given once */
	assert_non_null(strstr(warnings.ptr, "took over a stale lock"));
	assert_non_null(strstr(warnings.ptr, "left by process 4242"));
	assert_int_equal(strchr(warnings.ptr, '\n') - warnings.ptr + 1, (long)warnings.size);
	refctl_buf_release(&warnings);
	assert_true(exists_at(f, "advocates/jane-doe-acme.yaml"));
	load_log(f, "advocates/jane-doe-acme.yaml");
	assert_int_equal(f->nlog, 0);
}

static void test_list_sorted_by_id(void **state)
{
	struct fx *f = *state;

	add_ok(f, "name: A\ncompany: B\nstatus: active\n");
	add_ok(f, "id: a\nname: A\ncompany: C\nstatus: active\n");
	add_ok(f, "name: A\ncompany: B\nstatus: active\n");
	assert_string_equal(f->ids[0], "a-b-2");
	add_ok(f, "id: a-2\nname: A\ncompany: D\nstatus: active\n");
	list(f);
	assert_int_equal(f->nnames, 4);
	assert_string_equal(f->names[0], "a.yaml");
	assert_string_equal(f->names[1], "a-2.yaml");
	assert_string_equal(f->names[2], "a-b.yaml");
	assert_string_equal(f->names[3], "a-b-2.yaml");
}

/* ---- edit and replace ---- */

static void test_edit(void **state)
{
	struct fx *f = *state;
	int changed = -1;

	add_ok(f, JANE);
	assert_int_equal(edit(f, "jane-doe-acme", 0, &changed, "nps=8", "products=a, b", NULL), 0);
	assert_int_equal(changed, 1);
	assert_file(f, "advocates/jane-doe-acme.yaml",
		    "id: jane-doe-acme\nname: Jane Doe\ncompany: ACME\nstatus: active\nnps: 8\n"
		    "products:\n- a\n- b\n");
	load_log(f, "advocates/jane-doe-acme.yaml");
	assert_int_equal(f->nlog, 2);
	assert_string_equal(f->log[0].summary, "refctl: set jane-doe-acme nps=8 products=a, b");

	/* the same values again: nothing to write, no commit */
	assert_int_equal(edit(f, "jane-doe-acme", 0, &changed, "nps=8", NULL), 0);
	assert_int_equal(changed, 0);
	load_log(f, "advocates/jane-doe-acme.yaml");
	assert_int_equal(f->nlog, 2);

	assert_int_equal(edit(f, "jane-doe-acme", 1, &changed, "nps", "products", NULL), 0);
	assert_int_equal(changed, 1);
	load_log(f, "advocates/jane-doe-acme.yaml");
	assert_int_equal(f->nlog, 3);
	assert_string_equal(f->log[0].summary, "refctl: unset jane-doe-acme nps products");
	assert_file(f, "advocates/jane-doe-acme.yaml", "id: jane-doe-acme\n" JANE);
}

static void test_edit_refused(void **state)
{
	struct fx *f = *state;
	int changed = -1;

	add_ok(f, JANE);
	add_ok(f, "name: Bob\ncompany: Initech\nstatus: active\nemail: bob@initech.example\n");

	assert_int_equal(edit(f, "jane-doe-acme", 0, &changed, "title=CTO", "nps=11", NULL), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "nps must be an integer from 0 to 10");
	assert_int_equal(changed, 0);
	assert_int_equal(edit(f, "jane-doe-acme", 0, &changed, "nps", NULL), REFCTL_EUSAGE);
	assert_string_equal(refctl_error_last(), "expected FIELD=VALUE, FIELD+=VALUE or FIELD-=VALUE, not 'nps'");
	assert_int_equal(edit(f, "jane-doe-acme", 0, &changed, "=5", NULL), REFCTL_EUSAGE);
	assert_int_equal(edit(f, "jane-doe-acme", 1, &changed, "name", NULL), REFCTL_EINVALID);
	assert_int_equal(edit(f, "jane-doe-acme", 0, &changed, "email=BOB@initech.example", NULL), REFCTL_EEXISTS);
	assert_string_equal(refctl_error_last(),
			    "email BOB@initech.example is already used by advocate 'bob-initech'");
	assert_int_equal(edit(f, "nobody", 0, &changed, "nps=1", NULL), REFCTL_ENOTFOUND);
	assert_string_equal(refctl_error_last(), "no advocate 'nobody' (no advocates/nobody.yaml)");

	/* nothing was written or committed */
	assert_file(f, "advocates/jane-doe-acme.yaml", "id: jane-doe-acme\n" JANE);
	load_log(f, "advocates/jane-doe-acme.yaml");
	assert_int_equal(f->nlog, 1);

	/* an advocate keeps its own address */
	assert_int_equal(edit(f, "bob-initech", 0, &changed, "email=bob@initech.example", "nps=3", NULL), 0);
	assert_int_equal(changed, 1);
}

static void test_replace(void **state)
{
	struct fx *f = *state;
	int changed = -1;
	const char *text = "id: jane-doe-acme\nstatus: paused\nname: Jane Doe\ncompany: ACME\n";
	const char *commented = "id: jane-doe-acme\nname: Jane Doe\ncompany: ACME\nstatus: paused\n# note\n";

	add_ok(f, JANE);
	tick(f);
	assert_int_equal(refctl_advocate_replace(f->s, "jane-doe-acme", text, strlen(text), NULL, &changed), 0);
	assert_int_equal(changed, 1);
	assert_file(f, "advocates/jane-doe-acme.yaml",
		    "id: jane-doe-acme\nname: Jane Doe\ncompany: ACME\nstatus: paused\n");
	load_log(f, "advocates/jane-doe-acme.yaml");
	assert_string_equal(f->log[0].summary, "refctl: edit jane-doe-acme");

	tick(f);
	assert_int_equal(refctl_advocate_replace(f->s, "jane-doe-acme", text, strlen(text), NULL, &changed), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(refctl_advocate_replace(f->s, "jane-doe-acme", commented, strlen(commented), NULL,
						 &changed), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "advocates/jane-doe-acme.yaml:5: comment would be lost; move it into notes:");
	assert_int_equal(refctl_advocate_replace(f->s, "other", text, strlen(text), NULL, &changed), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "advocates/other.yaml:1:5: id 'jane-doe-acme' does not match the file name 'other.yaml'");
	load_log(f, "advocates/jane-doe-acme.yaml");
	assert_int_equal(f->nlog, 2);
}

/* ---- fmt ---- */

static const char jane_canonical[] = "id: jane\nname: Jane\ncompany: ACME\nstatus: active\n";
static const char jane_unordered[] = "status: active\nid: jane\nname: \"Jane\"\ncompany: ACME\n";
static const char bob_canonical[] = "id: bob\nname: Bob\ncompany: Initech\nstatus: active\n";

static void test_fmt_check_and_write(void **state)
{
	struct fx *f = *state;
	static const char *const only_bob[] = { "bob" };

	commit_files(f, "seed", "advocates/jane.yaml", jane_unordered, "advocates/bob.yaml", bob_canonical, NULL);

	/* check: names the file, writes nothing */
	assert_int_equal(fmt(f, 1, NULL, 0), 0);
	assert_int_equal(f->nout, 1);
	assert_string_equal(f->out[0], "advocates/jane.yaml");
	assert_file(f, "advocates/jane.yaml", jane_unordered);
	load_log(f, "advocates/jane.yaml");
	assert_int_equal(f->nlog, 1);
	assert_int_equal(fmt(f, 1, only_bob, 1), 0);
	assert_int_equal(f->nout, 0);

	/* write: rewrites and commits just that file */
	assert_int_equal(fmt(f, 0, NULL, 0), 0);
	assert_int_equal(f->nout, 1);
	assert_file(f, "advocates/jane.yaml", jane_canonical);
	load_log(f, "advocates/jane.yaml");
	assert_int_equal(f->nlog, 2);
	assert_string_equal(f->log[0].summary, "refctl: fmt advocates/jane.yaml");
	load_log(f, "advocates/bob.yaml");
	assert_int_equal(f->nlog, 1);

	assert_int_equal(fmt(f, 1, NULL, 0), 0);
	assert_int_equal(f->nout, 0);
}

static void test_fmt_several_files(void **state)
{
	struct fx *f = *state;

	commit_files(f, "seed", "advocates/jane.yaml", jane_unordered, "advocates/bob.yaml",
		     "name: Bob\nid: bob\ncompany: Initech\nstatus: active\n", NULL);
	assert_int_equal(fmt(f, 0, NULL, 0), 0);
	assert_int_equal(f->nout, 2);
	assert_string_equal(f->out[0], "advocates/bob.yaml");
	assert_string_equal(f->out[1], "advocates/jane.yaml");
	load_log(f, "advocates/bob.yaml");
	assert_string_equal(f->log[0].summary, "refctl: fmt 2 files");
}

static void test_fmt_formats_what_it_can(void **state)
{
	struct fx *f = *state;
	static const char *const named[] = { "jane", "nobody", "bob" };

	/* bob sorts first and needs rewriting; jane has a comment it would lose,
	 * zed does not parse: bob is rewritten, the other two reported */
	commit_files(f, "seed", "advocates/bob.yaml", "name: Bob\nid: bob\ncompany: Initech\nstatus: active\n",
		     "advocates/jane.yaml", "id: jane\nname: Jane\ncompany: ACME\nstatus: active # yes\n", NULL);
	write_at(f, "advocates/zed.yaml", "id: zed\nname: [\n");
	assert_int_equal(fmt(f, 0, NULL, 0), 0);
	assert_int_equal(f->nout, 1);
	assert_string_equal(f->out[0], "advocates/bob.yaml");
	assert_file(f, "advocates/bob.yaml", bob_canonical);
	load_log(f, "advocates/bob.yaml");
	assert_string_equal(f->log[0].summary, "refctl: fmt advocates/bob.yaml");
	assert_file(f, "advocates/jane.yaml", "id: jane\nname: Jane\ncompany: ACME\nstatus: active # yes\n");
	assert_string_equal(fmt_bad,
			    "advocates/jane.yaml|advocates/jane.yaml:4: comment would be lost; move it into notes:\n"
			    "advocates/zed.yaml|advocates/zed.yaml:3:1: did not find expected node content while parsing a flow node\n");

	/* a check lists both as not canonical, and reports both */
	assert_int_equal(fmt(f, 1, NULL, 0), 0);
	assert_int_equal(f->nout, 2);
	assert_string_equal(f->out[0], "advocates/jane.yaml");
	assert_string_equal(f->out[1], "advocates/zed.yaml");
	assert_non_null(strstr(fmt_bad, "advocates/jane.yaml:4: comment would be lost"));
	assert_non_null(strstr(fmt_bad, "advocates/zed.yaml:3:1:"));

	/* named ids: one that does not exist, or has uncommitted changes, is
	 * reported like the others */
	write_at(f, "advocates/bob.yaml", "name: Bob\nid: bob\ncompany: Initech\nstatus: active\n");
	assert_int_equal(fmt(f, 0, named, 3), 0);
	assert_int_equal(f->nout, 0);
	assert_non_null(strstr(fmt_bad, "advocates/jane.yaml|"));
	assert_non_null(strstr(fmt_bad, "advocates/nobody.yaml|no advocate 'nobody'"));
	assert_non_null(strstr(fmt_bad, "advocates/bob.yaml|"));
}

/* ---- check ---- */

static void test_check_across_files(void **state)
{
	struct fx *f = *state;
	size_t nfiles = 0;
	static const struct {
		const char *file;
		unsigned line, col;
		const char *message;
	} want[] = {
		{ "advocates/Bob.yaml", 0, 0, "file name 'Bob.yaml' is not a valid id (lowercase letters, digits and '-')" },
		{ "advocates/Bob.yaml", 1, 5, "id 'bob' does not match the file name 'Bob.yaml'" },
		{ "advocates/bob.yaml", 0, 0, "file name differs only in case from advocates/Bob.yaml" },
		{ "advocates/jane.yaml", 5, 0, "email jane@x.example is also used by advocates/jane-2.yaml" },
	};

	write_at(f, "advocates/jane.yaml", "id: jane\nname: Jane\ncompany: X\nstatus: active\nemail: jane@x.example\n");
	write_at(f, "advocates/jane-2.yaml",
		 "id: jane-2\nname: Jane\ncompany: X\nstatus: active\nemail: JANE@X.example\n");
	write_at(f, "advocates/bob.yaml", "id: bob\nname: Bob\ncompany: X\nstatus: active\n");
	write_at(f, "advocates/Bob.yaml", "id: bob\nname: Bob\ncompany: X\nstatus: active\n");
	write_at(f, "advocates/ok.yaml", "id: ok\nname: Ok\ncompany: X\nstatus: active\nemail: ok@x.example\n");

	assert_int_equal(refctl_check(f->s, &f->diags, &nfiles), 0);
	assert_int_equal(nfiles, 5);
	assert_int_equal(f->diags.n, 4);
	assert_int_equal(f->diags.nerrors, 4);
	for (size_t i = 0; i < f->diags.n; i++) {
		const struct refctl_diag *d = &f->diags.v[i];
		assert_string_equal(d->file, want[i].file);
		assert_int_equal(d->line, want[i].line);
		assert_int_equal(d->col, want[i].col);
		assert_int_equal(d->severity, REFCTL_DIAG_ERROR);
		assert_string_equal(d->message, want[i].message);
	}
}

static void test_check_clean_and_broken(void **state)
{
	struct fx *f = *state;
	size_t nfiles = 9;

	assert_int_equal(refctl_check(f->s, &f->diags, &nfiles), 0);
	assert_int_equal(nfiles, 0);
	assert_int_equal(f->diags.n, 0);

	write_at(f, "advocates/a.yaml", "id: a\nname: A\ncompany: X\nstatus: active\ncolour: red\n");
	write_at(f, "advocates/b.yaml", "id: b\nname: B\ncompany: X\nstatus: gone\nnps: 12\n");
	write_at(f, "advocates/c.yaml", "id: c\nname: [\n");
	assert_int_equal(refctl_check(f->s, &f->diags, &nfiles), 0);
	assert_int_equal(nfiles, 3);
	assert_int_equal(f->diags.nwarnings, 1);
	assert_int_equal(f->diags.nerrors, 3);
	assert_string_equal(f->diags.v[0].file, "advocates/a.yaml");
	assert_string_equal(f->diags.v[0].message, "unknown key 'colour'");
	assert_string_equal(f->diags.v[1].file, "advocates/b.yaml");
	assert_int_equal(f->diags.v[1].line, 4);
	assert_string_equal(f->diags.v[2].file, "advocates/b.yaml");
	assert_int_equal(f->diags.v[2].line, 5);
	assert_string_equal(f->diags.v[3].file, "advocates/c.yaml");
}

static int stop_at_second(const struct refctl_diag *d, void *payload)
{
	size_t *n = payload;
	assert_string_equal(d->message, *n ? "unknown key 'b'" : "unknown key 'a'");
	return ++*n == 2 ? 7 : 0;
}

static void test_check_foreach_stops_when_asked(void **state)
{
	struct fx *f = *state;
	struct refctl_check_result res;
	size_t n = 0;

	write_at(f, "advocates/a.yaml", "id: a\nname: A\ncompany: X\nstatus: active\na: 1\n");
	write_at(f, "advocates/b.yaml", "id: b\nname: B\ncompany: X\nstatus: active\nb: 1\n");
	write_at(f, "advocates/c.yaml", "id: c\nname: C\ncompany: X\nstatus: active\nc: 1\n");
	assert_int_equal(refctl_check_foreach(&res, f->s, NULL, stop_at_second, &n), 7);
	assert_int_equal(n, 2);
	assert_int_equal(res.files, 3);
	assert_int_equal(res.warnings, 2);
	assert_int_equal(res.errors, 0);
}

/* ---- fields as text ---- */

static void expect_resolve(struct fx *f, const char *arg, const char *id)
{
	if (refctl_advocate_resolve(&f->buf, f->s, arg) < 0)
		fail_msg("resolve %s: %s", arg, refctl_error_last());
	assert_string_equal(f->buf.ptr, id);
}

static void test_resolve(void **state)
{
	struct fx *f = *state;

	add_ok(f, JANE);
	add_ok(f, "name: Jane Doe\ncompany: Beta\nstatus: active\n");
	add_ok(f, "name: Bo Chen\ncompany: ACME\nstatus: active\n");
	expect_resolve(f, "jane-doe-acme", "jane-doe-acme");
	expect_resolve(f, "advocates/bo-chen-acme.yaml", "bo-chen-acme");
	expect_resolve(f, "./advocates/bo-chen-acme.yaml", "bo-chen-acme");
	expect_resolve(f, "bo", "bo-chen-acme");
	expect_resolve(f, "jane-doe-b", "jane-doe-beta");
	expect_resolve(f, "BO CHEN", "bo-chen-acme");
	{
		char path[PATH_MAX + 64];
		snprintf(path, sizeof(path), "%s/advocates/jane-doe-beta.yaml", f->root);
		expect_resolve(f, path, "jane-doe-beta");
	}
	assert_int_equal(refctl_advocate_resolve(&f->buf, f->s, "jane"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "'jane' is the start of the ids of 2 advocates: jane-doe-acme jane-doe-beta");
	assert_int_equal(refctl_advocate_resolve(&f->buf, f->s, "jane doe"), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "'jane doe' is the name of 2 advocates: jane-doe-acme jane-doe-beta");
	assert_int_equal(refctl_advocate_resolve(&f->buf, f->s, "bo-chen-acmee"), REFCTL_ENOTFOUND);
	assert_string_equal(refctl_error_last(), "no advocate 'bo-chen-acmee' (did you mean bo-chen-acme?)");
	assert_int_equal(refctl_advocate_resolve(&f->buf, f->s, "advocates/nobody.yaml"), REFCTL_ENOTFOUND);
	assert_string_equal(refctl_error_last(), "no advocate 'nobody' (no advocates/nobody.yaml)");
	assert_int_equal(refctl_advocate_resolve(&f->buf, f->s, "zzzzzzzzzzzz"), REFCTL_ENOTFOUND);
	assert_string_equal(refctl_error_last(), "no advocate 'zzzzzzzzzzzz' (no advocates/zzzzzzzzzzzz.yaml)");
}

static void test_field_text(void **state)
{
	struct fx *f = *state;

	add_ok(f, JANE "since: 2024-03-01\nnps: 0\nlanguages: [de, en]\nconsent:\n  until: 2027-01-31\n"
		  "requests:\n"
		  "- id: jane-doe-acme/1\n  opened: 2026-01-05\n  activity: quote\n  status: requested\n"
		  "- id: jane-doe-acme/2\n  opened: 2026-01-05\n  activity: quote\n  status: declined\n"
		  "  closed: 2026-01-06\n"
		  "rewards:\n- date: 2026-01-07\n  points: 25\n- date: 2026-01-08\n  points: -40\n"
		  "- date: 2026-01-09\n  points: 15\n");
	assert_int_equal(refctl_store_load(f->s, "jane-doe-acme", &f->rec), 0);
#define FT(field, expected) \
	do { \
		refctl_record_field_text(&f->buf, f->rec, field); \
		assert_string_equal(f->buf.ptr, expected); \
	} while (0)
	FT("id", "jane-doe-acme");
	FT("status", "active");
	FT("since", "2024-03-01");
	FT("nps", "0");
	FT("languages", "de,en");
	FT("products", "");
	FT("email", "");
	FT("consent.until", "2027-01-31");
	FT("limits.per_quarter", "");
	FT("requests", "2");
	FT("open_requests", "1");
	/* 25, then -40 held at 0, then 15 */
	FT("balance", "15");
#undef FT
	assert_true(refctl_record_field_known("balance"));
	assert_true(refctl_record_field_known("consent.scope"));
	assert_false(refctl_record_field_known("colour"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_add_derives_ids),
		T(test_add_suffix_keeps_63),
		T(test_add_refuses_duplicate_email),
		T(test_add_refuses_bad_input),
		T(test_add_no_commit_and_stale_lock),
		T(test_list_sorted_by_id),
		T(test_edit),
		T(test_edit_refused),
		T(test_replace),
		T(test_fmt_check_and_write),
		T(test_fmt_several_files),
		T(test_fmt_formats_what_it_can),
		T(test_check_across_files),
		T(test_check_clean_and_broken),
		T(test_check_foreach_stops_when_asked),
		T(test_resolve),
		T(test_field_text),
	};
	return cmocka_run_group_tests_name("advocate", tests, group_setup, group_teardown);
}
