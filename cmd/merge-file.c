/* refctl merge-file: git's merge driver for advocate files. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/merge.h"

static const char *const merge_file_usage[] = {
	"refctl merge-file [-L OURS [-L BASE [-L THEIRS]]] [--marker-size N] BASE OURS THEIRS [PATH]",
	"",
	"Merges the changes from BASE to THEIRS into OURS, field by field as the",
	"schema says, and writes the result to OURS: git's merge-driver interface",
	"(%O %A %B %P), which 'refctl setup' registers. Exit 0 when the merge is",
	"clean, 1 when conflicts are left in OURS between markers. A side that is not",
	"a valid advocate file is merged line by line, and the reason is given.",
	NULL,
};

/* git before 2.44 leaves the placeholders %S, %X and %Y as they are. */
static const char *label(const struct refctl_strvec *labels, size_t i)
{
	const char *l = i < labels->n ? labels->v[i] : NULL;
	return l && *l && !(l[0] == '%' && strlen(l) == 2) ? l : NULL;
}

int cmd_merge_file(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_strvec labels = REFCTL_STRVEC_INIT;
	int marker_size = 7, rc;
	const struct refctl_option options[] = {
		OPT_STRING_LIST('L', NULL, &labels, "LABEL", "a label of the markers: ours, then base, then theirs"),
		OPT_INTEGER(0, "marker-size", &marker_size, "N", "the markers' length (git's %L)", 7, 100),
		OPT_END(),
	};
	struct refctl_merge_opts o = REFCTL_MERGE_OPTS_INIT;
	struct refctl_merge_result res;
	const char *path;
	int error;

	refctl_merge_result_init(&res);
	if ((rc = parse_options(ctx, argc, argv, options, merge_file_usage, 0)) < 0) {
		rc = PARSE_OPT_EXIT(rc);
		goto done;
	}
	argc = rc;
	if (argc < 3 || argc > 4) {
		rc = usage_error(ctx, "expected BASE OURS THEIRS and perhaps PATH");
		goto done;
	}
	if (labels.n > 3) {
		rc = usage_error(ctx, "-L is given at most three times");
		goto done;
	}
	path = argc == 4 ? argv[3] : argv[1];
	o.path = argc == 4 ? argv[3] : NULL;
	o.ours_label = label(&labels, 0);
	o.base_label = label(&labels, 1);
	o.theirs_label = label(&labels, 2);
	o.marker_size = (unsigned)marker_size;
	if ((error = refctl_merge_files(&res, argv[0], argv[1], argv[2], &o)) < 0) {
		rc = fail(error);
		goto done;
	}
	rc = EXIT_OK;
	if (res.line_merge)
		warn("%s: %s: merged line by line instead", path, res.why.ptr);
	if (res.conflicts && !res.line_merge) {
		for (const char *p = res.fields.ptr; *p;) {
			const char *eol = strchr(p, '\n');
			fprintf(stderr, "conflict: %s: %.*s\n", path, (int)(eol - p), p);
			p = eol + 1;
		}
	}
	if (res.invalid)
		fprintf(stderr, "error: %s: the merged file does not validate: %s (fix it, then 'git add' it)\n", path,
			res.why.ptr);
	if (res.conflicts || res.invalid)
		rc = EXIT_NOTHING;
done:
	refctl_strvec_clear(&labels);
	refctl_merge_result_release(&res);
	return rc;
}
