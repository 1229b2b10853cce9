/* Unit tests for lib/merge.c: the three-way merge by the schema's rows, its
 * markers, the line-merge fallback, and naming conflicts for check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/merge.h"

struct fx {
	struct refctl_merge_result res;
	struct refctl_merge_opts opts;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	refctl_merge_result_init(&f->res);
	f->opts = (struct refctl_merge_opts)REFCTL_MERGE_OPTS_INIT;
	f->opts.path = "advocates/ann.yaml";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_merge_result_release(&f->res);
	free(f);
	return 0;
}

static int merge(struct fx *f, const char *base, const char *ours, const char *theirs)
{
	return refctl_merge(&f->res, base, strlen(base), ours, strlen(ours), theirs, strlen(theirs), &f->opts);
}

#define HEAD "id: ann\nname: Ann Lee\ncompany: Acme\nstatus: active\n"

/* ---- scalars and map members ---- */

static void test_one_side_each(void **state)
{
	struct fx *f = *state;
	/* nps and health on adjacent lines: git's line merge conflicts here */
	assert_int_equal(merge(f, HEAD "nps: 7\nhealth: green\n", HEAD "nps: 8\nhealth: green\n",
			       HEAD "nps: 7\nhealth: red\n"), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_int_equal(f->res.line_merge, 0);
	assert_int_equal(f->res.invalid, 0);
	assert_string_equal(f->res.out.ptr, HEAD "nps: 8\nhealth: red\n");
}

static void test_same_change_once(void **state)
{
	struct fx *f = *state;
	assert_int_equal(merge(f, HEAD "nps: 7\n", HEAD "nps: 9\n", HEAD "nps: 9\n"), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_string_equal(f->res.out.ptr, HEAD "nps: 9\n");
	/* a field removed on one side, untouched on the other: removed */
	assert_int_equal(merge(f, HEAD "nps: 7\nhealth: red\n", HEAD "health: red\n", HEAD "nps: 7\nhealth: red\n"), 0);
	assert_string_equal(f->res.out.ptr, HEAD "health: red\n");
}

static void test_conflict_of_one_field(void **state)
{
	struct fx *f = *state;
	assert_int_equal(merge(f, HEAD "nps: 7\nhealth: green\n", HEAD "nps: 8\nhealth: green\n",
			       HEAD "nps: 9\nhealth: red\n"), 0);
	assert_int_equal(f->res.conflicts, 1);
	assert_string_equal(f->res.fields.ptr, "nps\n");
	assert_string_equal(f->res.out.ptr, HEAD
			    "<<<<<<< ours\n"
			    "nps: 8\n"
			    "=======\n"
			    "nps: 9\n"
			    ">>>>>>> theirs\n"
			    "health: red\n");
	/* the branch labels and git's marker size, as the driver gets them */
	f->opts.ours_label = "main";
	f->opts.theirs_label = "feature";
	f->opts.marker_size = 9;
	assert_int_equal(merge(f, HEAD "nps: 7\n", HEAD "nps: 8\n", HEAD), 0);
	assert_string_equal(f->res.out.ptr, HEAD "<<<<<<<<< main\nnps: 8\n=========\n>>>>>>>>> feature\n");
}

static void test_map_members(void **state)
{
	struct fx *f = *state;
	const char *base = HEAD "limits:\n  per_quarter: 2\n  rest_days: 30\n";
	assert_int_equal(merge(f, base, HEAD "limits:\n  per_quarter: 3\n  rest_days: 30\n",
			       HEAD "limits:\n  per_quarter: 2\n  rest_days: 10\n"), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_string_equal(f->res.out.ptr, HEAD "limits:\n  per_quarter: 3\n  rest_days: 10\n");
	assert_int_equal(merge(f, base, HEAD "limits:\n  per_quarter: 3\n  rest_days: 30\n",
			       HEAD "limits:\n  per_quarter: 4\n  rest_days: 30\n"), 0);
	assert_string_equal(f->res.fields.ptr, "limits.per_quarter\n");
	assert_string_equal(f->res.out.ptr, HEAD "limits:\n"
					    "<<<<<<< ours\n  per_quarter: 3\n=======\n  per_quarter: 4\n>>>>>>> theirs\n"
					    "  rest_days: 30\n");
}

static void test_unknown_keys_as_scalars(void **state)
{
	struct fx *f = *state;
	assert_int_equal(merge(f, HEAD "x_score: 1\n", HEAD "x_score: 2\n", HEAD "x_score: 1\nx_team:\n  a: b\n"), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_string_equal(f->res.out.ptr, HEAD "x_score: 2\nx_team:\n  a: b\n");
	/* a map with no row is one value: changed on both sides, one conflict */
	assert_int_equal(merge(f, HEAD "x_team:\n  a: b\n", HEAD "x_team:\n  a: c\n", HEAD "x_team:\n  a: b\n  d: e\n"), 0);
	assert_string_equal(f->res.fields.ptr, "x_team\n");
}

/* ---- lists of strings ---- */

static void test_lists_are_sets(void **state)
{
	struct fx *f = *state;
	/* ours drops b and adds d; theirs adds e after c */
	assert_int_equal(merge(f, HEAD "tags:\n- a\n- b\n- c\n", HEAD "tags:\n- a\n- c\n- d\n",
			       HEAD "tags:\n- a\n- b\n- c\n- e\n"), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_string_equal(f->res.out.ptr, HEAD "tags:\n- a\n- c\n- d\n- e\n");
	/* the same addition on both sides once; a removal on either side holds */
	assert_int_equal(merge(f, HEAD "products:\n- x\n- y\n", HEAD "products:\n- x\n- z\n",
			       HEAD "products:\n- x\n- y\n- z\n- w\n"), 0);
	assert_string_equal(f->res.out.ptr, HEAD "products:\n- x\n- z\n- w\n");
	/* emptied on one side, untouched on the other: gone */
	assert_int_equal(merge(f, HEAD "tags:\n- a\n", HEAD, HEAD "tags:\n- a\n"), 0);
	assert_string_equal(f->res.out.ptr, HEAD);
	/* both sides remove everything and one adds: the addition */
	assert_int_equal(merge(f, HEAD "tags:\n- a\n", HEAD "tags:\n- b\n", HEAD), 0);
	assert_string_equal(f->res.out.ptr, HEAD "tags:\n- b\n");
}

/* ---- requests, rewards, content ---- */

#define REQ1 "- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n  activity: quote\n  status: requested\n"
#define REQ_OURS "- id: ann/261101-aaaaaaaa\n  opened: 2026-11-01\n  prospect: Hooli\n  activity: quote\n  status: requested\n"
#define REQ_THEIRS "- id: ann/261020-bbbbbbbb\n  opened: 2026-10-20\n  prospect: Initech\n  activity: quote\n  status: requested\n"

static void test_requests_added_on_both_sides(void **state)
{
	struct fx *f = *state;
	assert_int_equal(merge(f, HEAD "requests:\n" REQ1, HEAD "requests:\n" REQ1 REQ_OURS,
			       HEAD "requests:\n" REQ1 REQ_THEIRS), 0);
	assert_int_equal(f->res.conflicts, 0);
	/* both kept, in opening-date order */
	assert_string_equal(f->res.out.ptr, HEAD "requests:\n" REQ1 REQ_THEIRS REQ_OURS);
	/* three branches: the third merged into the first two's merge */
	assert_int_equal(merge(f, HEAD "requests:\n" REQ1, HEAD "requests:\n" REQ1 REQ_THEIRS REQ_OURS,
			       HEAD "requests:\n"
				    "- id: ann/260915-cccccccc\n  opened: 2026-09-15\n  activity: quote\n  status: requested\n" REQ1),
			 0);
	assert_string_equal(f->res.out.ptr, HEAD "requests:\n"
					    "- id: ann/260915-cccccccc\n  opened: 2026-09-15\n  activity: quote\n  status: requested\n"
					    REQ1 REQ_THEIRS REQ_OURS);
}

static void test_same_request_field_by_field(void **state)
{
	struct fx *f = *state;
	/* approved on one side, a note on the other: both */
	assert_int_equal(merge(f, HEAD "requests:\n" REQ1,
			       HEAD "requests:\n- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n  activity: quote\n"
				    "  status: approved\n  approved_by: Dana\n",
			       HEAD "requests:\n" REQ1 "  notes: call after 3pm\n"), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_string_equal(f->res.out.ptr, HEAD "requests:\n- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n"
					    "  activity: quote\n  status: approved\n  approved_by: Dana\n"
					    "  notes: call after 3pm\n");
}

static void test_approved_here_completed_there(void **state)
{
	struct fx *f = *state;
	const char *ours = HEAD "requests:\n- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n  activity: quote\n"
			   "  status: approved\n  approved_by: Dana\n";
	const char *theirs = HEAD "requests:\n- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n  activity: quote\n"
			     "  status: completed\n  approved_by: Dana\n  closed: 2026-11-15\n  outcome: won\n"
			     "rewards:\n- id: ann/1\n  date: 2026-11-15\n  points: 10\n  reason: quote for Globex\n"
			     "  request: ann/1\n";
	assert_int_equal(merge(f, HEAD "requests:\n" REQ1, ours, theirs), 0);
	/* the status alone differs; the rest of theirs' completion comes in */
	assert_int_equal(f->res.conflicts, 1);
	assert_string_equal(f->res.fields.ptr, "requests[ann/1].status\n");
	assert_string_equal(f->res.out.ptr, HEAD "requests:\n- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n"
					    "  activity: quote\n"
					    "<<<<<<< ours\n  status: approved\n=======\n  status: completed\n>>>>>>> theirs\n"
					    "  approved_by: Dana\n  closed: 2026-11-15\n  outcome: won\n"
					    "rewards:\n- id: ann/1\n  date: 2026-11-15\n  points: 10\n  reason: quote for Globex\n"
					    "  request: ann/1\n");
	/* the same completion on both branches: one request, one reward */
	assert_int_equal(merge(f, HEAD "requests:\n" REQ1, theirs, theirs), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_string_equal(f->res.out.ptr, theirs);
}

static void test_delete_against_change(void **state)
{
	struct fx *f = *state;
	const char *base = HEAD "requests:\n" REQ1 REQ_THEIRS;

	/* deleted on one side, untouched on the other: deleted */
	assert_int_equal(merge(f, base, HEAD "requests:\n" REQ1, base), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_string_equal(f->res.out.ptr, HEAD "requests:\n" REQ1);
	/* deleted on one side, changed on the other: a conflict of that item */
	assert_int_equal(merge(f, base, HEAD "requests:\n" REQ1,
			       HEAD "requests:\n" REQ1 REQ_THEIRS "  notes: keep me\n"), 0);
	assert_int_equal(f->res.conflicts, 1);
	assert_string_equal(f->res.fields.ptr, "requests[ann/261020-bbbbbbbb]\n");
	assert_string_equal(f->res.out.ptr, HEAD "requests:\n" REQ1 "<<<<<<< ours\n=======\n" REQ_THEIRS
					    "  notes: keep me\n>>>>>>> theirs\n");
	/* and the other way round */
	assert_int_equal(merge(f, base, HEAD "requests:\n" REQ1 REQ_THEIRS "  notes: keep me\n",
			       HEAD "requests:\n" REQ1), 0);
	assert_string_equal(f->res.out.ptr, HEAD "requests:\n" REQ1 "<<<<<<< ours\n" REQ_THEIRS
					    "  notes: keep me\n=======\n>>>>>>> theirs\n");
}

static void test_entries_without_id(void **state)
{
	struct fx *f = *state;
	const char *old = "- date: 2025-01-01\n  points: 5\n  reason: survey\n";
	const char *mine = "- id: ann/261115-aaaaaaaa\n  date: 2026-11-15\n  points: 20\n  reason: talk\n";

	/* older files' entries have no id: matched by what they say */
	{
		char base[512], ours[512];
		snprintf(base, sizeof(base), HEAD "rewards:\n%s", old);
		snprintf(ours, sizeof(ours), HEAD "rewards:\n%s%s", old, mine);
		assert_int_equal(merge(f, base, ours, base), 0);
		assert_int_equal(f->res.conflicts, 0);
		assert_string_equal(f->res.out.ptr, ours);
		/* deleted on one side: gone */
		assert_int_equal(merge(f, base, HEAD, base), 0);
		assert_string_equal(f->res.out.ptr, HEAD);
	}
	/* one such entry edited differently on both sides: a conflict, both kept */
	assert_int_equal(merge(f, HEAD "content:\n- kind: quote\n  text: Great\n",
			       HEAD "content:\n- kind: quote\n  text: Great!\n",
			       HEAD "content:\n- kind: quote\n  text: Great.\n"), 0);
	assert_int_equal(f->res.conflicts, 1);
	assert_string_equal(f->res.out.ptr, HEAD "content:\n<<<<<<< ours\n- kind: quote\n  text: Great!\n=======\n"
					    "- kind: quote\n  text: Great.\n>>>>>>> theirs\n");
}

static void test_both_added_the_file(void **state)
{
	struct fx *f = *state;
	/* git gives an empty base when both sides added the file */
	assert_int_equal(merge(f, "", HEAD "nps: 8\ntags:\n- a\n", HEAD "nps: 9\ntags:\n- b\n"), 0);
	assert_int_equal(f->res.conflicts, 1);
	assert_string_equal(f->res.out.ptr, HEAD "<<<<<<< ours\nnps: 8\n=======\nnps: 9\n>>>>>>> theirs\n"
					    "tags:\n- a\n- b\n");
}

/* Keep one side of every conflict of text. */
static char *resolve(const char *text, int take_ours)
{
	size_t n = strlen(text);
	char *out = malloc(n + 1), *o = out;
	int state = 0; /* 0 outside, 1 ours, 2 theirs */

	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);
		if (!strncmp(p, "<<<<<<<", 7))
			state = 1;
		else if (!strncmp(p, "=======", 7) && state)
			state = 2;
		else if (!strncmp(p, ">>>>>>>", 7))
			state = 0;
		else if (state == 0 || (state == 1 && take_ours) || (state == 2 && !take_ours)) {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	*o = '\0';
	return out;
}

static void test_markers_resolve_to_canonical_files(void **state)
{
	struct fx *f = *state;
	const char *ours = HEAD "nps: 8\nnotes: |-\n  two\n  lines\nrequests:\n- id: ann/1\n  opened: 2026-10-01\n"
			   "  prospect: Globex\n  activity: quote\n  status: declined\n  closed: 2026-11-01\n"
			   "  reason: busy\n";
	const char *theirs = HEAD "nps: 9\nnotes: one line\nrequests:\n- id: ann/1\n  opened: 2026-10-01\n"
			     "  prospect: Globex\n  activity: quote\n  status: approved\n  approved_by: Dana\n"
			     "  notes: |-\n    a\n    b\n";
	char *o, *t;

	assert_int_equal(merge(f, HEAD "nps: 7\nrequests:\n" REQ1, ours, theirs), 0);
	assert_int_equal(f->res.conflicts, 3);
	assert_string_equal(f->res.fields.ptr, "nps\nnotes\nrequests[ann/1].status\n");
	o = resolve(f->res.out.ptr, 1);
	t = resolve(f->res.out.ptr, 0);
	/* ours' values where they conflicted, the rest merged; in canonical form */
	assert_string_equal(o, HEAD "nps: 8\nnotes: |-\n  two\n  lines\nrequests:\n- id: ann/1\n  opened: 2026-10-01\n"
			       "  prospect: Globex\n  activity: quote\n  status: declined\n  approved_by: Dana\n"
			       "  closed: 2026-11-01\n  reason: busy\n  notes: |-\n    a\n    b\n");
	assert_string_equal(t, HEAD "nps: 9\nnotes: one line\nrequests:\n- id: ann/1\n  opened: 2026-10-01\n"
			       "  prospect: Globex\n  activity: quote\n  status: approved\n  approved_by: Dana\n"
			       "  closed: 2026-11-01\n  reason: busy\n  notes: |-\n    a\n    b\n");
	free(o);
	free(t);
}

/* ---- the fallback ---- */

static void test_not_an_advocate_file_merges_lines(void **state)
{
	struct fx *f = *state;
	/* a comment, which merging fields would lose: lines are merged */
	assert_int_equal(merge(f, HEAD "nps: 7\nhealth: green\ntags:\n- a\n",
			       "# ask Dana first\n" HEAD "nps: 7\nhealth: green\ntags:\n- a\n",
			       HEAD "nps: 7\nhealth: green\ntags:\n- b\n"), 0);
	assert_int_equal(f->res.line_merge, 1);
	assert_int_equal(f->res.conflicts, 0);
	assert_string_equal(f->res.why.ptr, "ours has a comment on line 1, which merging fields would lose");
	assert_string_equal(f->res.out.ptr, "# ask Dana first\n" HEAD "nps: 7\nhealth: green\ntags:\n- b\n");
	/* markers of an earlier merge: lines, and neither side's text is lost */
	assert_int_equal(merge(f, HEAD "nps: 7\n", HEAD "<<<<<<< a\nnps: 8\n=======\nnps: 9\n>>>>>>> b\n",
			       HEAD "nps: 6\n"), 0);
	assert_int_equal(f->res.line_merge, 1);
	assert_int_equal(f->res.conflicts, 2); /* the old region and the new one */
	assert_non_null(strstr(f->res.why.ptr, "ours is not a valid advocate file (ours:5:1: unresolved git merge conflict"));
	assert_non_null(strstr(f->res.out.ptr, "nps: 8\n"));
	assert_non_null(strstr(f->res.out.ptr, "nps: 9\n"));
	assert_non_null(strstr(f->res.out.ptr, "nps: 6\n"));
	/* garbage */
	assert_int_equal(merge(f, HEAD, HEAD, "name: [unclosed\n"), 0);
	assert_int_equal(f->res.line_merge, 1);
	assert_non_null(strstr(f->res.why.ptr, "theirs is not a valid advocate file (theirs:"));
	/* an emptied side is not a deletion git would have seen: lines */
	assert_int_equal(merge(f, HEAD, HEAD "nps: 1\n", ""), 0);
	assert_int_equal(f->res.line_merge, 1);
	assert_string_equal(f->res.why.ptr, "theirs is empty");
}

static void test_binary_is_refused(void **state)
{
	struct fx *f = *state;
	static const char bin[] = "id: ann\n\0\1\2";
	assert_int_equal(refctl_merge(&f->res, HEAD, strlen(HEAD), HEAD, strlen(HEAD), bin, sizeof(bin), &f->opts),
			 REFCTL_EINVALID);
	assert_non_null(strstr(refctl_error_last(), "advocates/ann.yaml: a side is binary: not merged"));
}

static void test_huge_sides_merge_lines(void **state)
{
	struct fx *f = *state;
	size_t n = 1100 * 1024;
	char *big = malloc(n + 1);
	memset(big, 'x', n);
	for (size_t i = 79; i < n; i += 80)
		big[i] = '\n';
	memcpy(big, "notes: ", 7);
	big[n] = '\0';
	assert_int_equal(merge(f, big, big, big), 0);
	assert_int_equal(f->res.line_merge, 1);
	assert_string_equal(f->res.why.ptr, "base is larger than 1048576 bytes");
	assert_int_equal(f->res.out.size, n);
	free(big);
}

static void test_clean_but_invalid(void **state)
{
	struct fx *f = *state;
	/* declined on one side, the opening moved after that on the other */
	assert_int_equal(merge(f, HEAD "requests:\n" REQ1,
			       HEAD "requests:\n- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n  activity: quote\n"
				    "  status: declined\n  closed: 2026-10-02\n  reason: busy\n",
			       HEAD "requests:\n- id: ann/1\n  opened: 2026-10-05\n  prospect: Globex\n  activity: quote\n"
				    "  status: requested\n"), 0);
	assert_int_equal(f->res.conflicts, 0);
	assert_int_equal(f->res.invalid, 1);
	assert_string_equal(f->res.why.ptr, "advocates/ann.yaml:11:11: requests[1]: closed before opened");
}

/* ---- naming the conflicts ---- */

static void test_describe(void **state)
{
	struct fx *f = *state;
	struct refctl_diags d = REFCTL_DIAGS_INIT;

	assert_int_equal(merge(f, HEAD "nps: 7\nrequests:\n" REQ1 REQ_THEIRS,
			       HEAD "nps: 8\nrequests:\n- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n"
				    "  activity: quote\n  status: approved\n  approved_by: Dana\n",
			       HEAD "nps: 9\nrequests:\n- id: ann/1\n  opened: 2026-10-01\n  prospect: Globex\n"
				    "  activity: quote\n  status: cancelled\n  closed: 2026-11-15\n  reason: gone\n"
				    REQ_THEIRS "  notes: x\n"), 0);
	assert_int_equal(f->res.conflicts, 3);
	assert_true(refctl_merge_has_markers(f->res.out.ptr, f->res.out.size));
	assert_int_equal(refctl_merge_describe(&d, "advocates/ann.yaml", f->res.out.ptr, f->res.out.size), 1);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.nerrors, 3);
	/* each at its "<<<<<<<" line */
	assert_int_equal(d.v[0].line, 5);
	assert_string_equal(d.v[0].message, "conflict in nps: ours 8, theirs 9");
	assert_int_equal(d.v[1].line, 15);
	assert_string_equal(d.v[1].message, "conflict in requests[ann/1].status: ours approved, theirs cancelled");
	assert_int_equal(d.v[2].line, 23);
	assert_string_equal(d.v[2].message, "conflict in requests[ann/261020-bbbbbbbb]: ours (none), theirs (a map)");
	refctl_diags_release(&d);
	/* no markers, or markers that do not part two documents: nothing said */
	assert_false(refctl_merge_has_markers(HEAD, strlen(HEAD)));
	{
		static const char bad[] = HEAD "<<<<<<< a\nnps: [1\n=======\nnps: 2\n>>>>>>> b\n";
		assert_int_equal(refctl_merge_describe(&d, "x.yaml", bad, strlen(bad)), 0);
	}
	assert_int_equal(d.n, 0);
	refctl_diags_release(&d);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_one_side_each),
		T(test_same_change_once),
		T(test_conflict_of_one_field),
		T(test_map_members),
		T(test_unknown_keys_as_scalars),
		T(test_lists_are_sets),
		T(test_requests_added_on_both_sides),
		T(test_same_request_field_by_field),
		T(test_approved_here_completed_there),
		T(test_delete_against_change),
		T(test_entries_without_id),
		T(test_both_added_the_file),
		T(test_markers_resolve_to_canonical_files),
		T(test_not_an_advocate_file_merges_lines),
		T(test_binary_is_refused),
		T(test_huge_sides_merge_lines),
		T(test_clean_but_invalid),
		T(test_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
