#ifndef REFCTL_FSCK_H
#define REFCTL_FSCK_H

/*
 * refctl's own paths (refctl.yaml, advocates/ *.yaml, .gitattributes) as
 * HEAD, the index and the work tree have them, and what a writer that
 * died may have left: refctl.lock's journal, git's lock files holding
 * refctl's mark, refctl's temporary files; and the parse cache's entries
 * that its files' stat data would have a read trust, against a parse of
 * each (one finding per entry that disagrees). With repair, each is put
 * right: files and index entries of refctl's paths restored to HEAD (a
 * work-tree version that differs is first kept as a blob), leftovers
 * removed, a cache that disagrees removed (the next read rebuilds it). No
 * other path is ever touched.
 */
#include <stddef.h>
#include "refctl/store.h"

struct refctl_fsck_opts {
	int repair;
};
#define REFCTL_FSCK_OPTS_INIT { 0 }

struct refctl_fsck_finding {
	char *what;   /* "advocates/x.yaml differs from HEAD and the index after an interrupted write" */
	char *done;   /* with repair: what was done, or NULL if it could not be */
};

struct refctl_fsck_result {
	struct refctl_fsck_finding *v;
	size_t n, alloc;
	size_t paths;      /* refctl paths looked at */
	size_t unrepaired; /* findings left as they were */
};
#define REFCTL_FSCK_RESULT_INIT { NULL, 0, 0, 0, 0 }

int refctl_fsck(struct refctl_fsck_result *out, struct refctl_store *s,
		const struct refctl_fsck_opts *opts);
void refctl_fsck_result_release(struct refctl_fsck_result *r);

#endif
