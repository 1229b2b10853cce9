#ifndef REFCTL_MERGE_H
#define REFCTL_MERGE_H

/*
 * Three-way merge of advocate files, field by field as the schema's rows
 * say (schema.c, S6), for git's merge driver (`refctl merge-file`) and for
 * `refctl check`, which names each field a merge left conflicted.
 */

#include <stddef.h>
#include "refctl/buf.h"
#include "refctl/record.h"

struct refctl_merge_opts {
	const char *path;         /* the file in the repository (git's %P), for messages and the id check; NULL: none */
	const char *ours_label;   /* after "<<<<<<< "; NULL: "ours" */
	const char *base_label;   /* of the line merge's base; NULL: "base" */
	const char *theirs_label; /* after ">>>>>>> "; NULL: "theirs" */
	unsigned marker_size;     /* 0: 7 */
};
#define REFCTL_MERGE_OPTS_INIT { NULL, NULL, NULL, NULL, 0 }

struct refctl_merge_result {
	struct refctl_buf out;  /* the merged file */
	size_t conflicts;       /* fields (or, merging lines, regions) left with markers */
	int line_merge;         /* 1 if a side was not a valid advocate file and lines were merged */
	int invalid;            /* 1 if the merge has no markers but does not validate */
	struct refctl_buf why;  /* why lines were merged, or why the result does not validate */
	struct refctl_buf fields; /* the conflicting fields, one a line: "nps", "requests[ID].status" */
};
void refctl_merge_result_init(struct refctl_merge_result *res);
void refctl_merge_result_release(struct refctl_merge_result *res);

/*
 * Merge ours and theirs, both changed from base (empty when both sides
 * added the file). Returns 0, with res telling how it went, or a negative
 * error when nothing could be merged (a binary side: REFCTL_EINVALID).
 */
int refctl_merge(struct refctl_merge_result *res, const char *base, size_t nbase, const char *ours,
		 size_t nours, const char *theirs, size_t ntheirs, const struct refctl_merge_opts *opts);

/*
 * git's merge driver: merge the files at the three paths and write the
 * result over ours_path (atomically). On error ours_path is left as it was.
 */
int refctl_merge_files(struct refctl_merge_result *res, const char *base_path, const char *ours_path,
		       const char *theirs_path, const struct refctl_merge_opts *opts);

/* 1 if data has a line that starts a conflict ("<<<<<<< "). */
int refctl_merge_has_markers(const char *data, size_t len);

/*
 * Name each field that the conflicts of data (an advocate file with
 * markers) leave undecided, as one error each at the line of its
 * "<<<<<<<": "conflict in nps: ours 8, theirs 9". Returns 1 if it did, 0
 * if the markers do not separate two YAML documents (nothing added).
 */
int refctl_merge_describe(struct refctl_diags *diags, const char *file, const char *data, size_t len);

#endif
