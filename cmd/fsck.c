/* refctl fsck: HEAD, the index and the work tree on refctl's own paths,
 * what a writer that died left, and the parse cache; --repair puts them
 * right. */
#include "cmd.h"
#include "refctl/fsck.h"

static const char *const fsck_usage[] = {
	"refctl fsck [--repair]",
	"",
	"Checks refctl.yaml, advocates/*.yaml and .gitattributes for HEAD, the index and",
	"the work tree disagreeing, and for what a refctl that was killed left behind;",
	"then the parse cache (.git/refctl-cache) against a parse of every file it would",
	"be trusted for. --repair restores those files and index entries to HEAD (a",
	"work-tree version that differs is kept as a blob first), removes the leftovers",
	"and a parse cache that disagrees (the next read rebuilds it); no other path is",
	"touched. Exit 1 when something is found (with --repair: left unrepaired).",
	NULL,
};

int cmd_fsck(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_fsck_opts fopts = REFCTL_FSCK_OPTS_INIT;
	struct refctl_fsck_result res = REFCTL_FSCK_RESULT_INIT;
	struct refctl_buf out = REFCTL_BUF_INIT;
	int repair = 0, rc, error;
	const struct refctl_option options[] = {
		OPT_BOOL(0, "repair", &repair, "restore refctl's files and index to HEAD, remove a disagreeing cache"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, fsck_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc > 0)
		return usage_error(ctx, "unexpected argument '%s'", argv[0]);
	fopts.repair = repair;
	if ((error = refctl_fsck(&res, ctx->store, &fopts)) < 0) {
		rc = fail(error);
		goto done;
	}
	for (size_t i = 0; i < res.n; i++) {
		refctl_buf_puts(&out, res.v[i].what);
		if (fopts.repair)
			refctl_buf_printf(&out, ": %s", res.v[i].done ? res.v[i].done : "not repaired");
		refctl_buf_putc(&out, '\n');
	}
	rc = emit(&out);
	fprintf(stderr, "%zu path%s checked: %zu problem%s", res.paths, res.paths == 1 ? "" : "s", res.n,
		res.n == 1 ? "" : "s");
	if (fopts.repair)
		fprintf(stderr, ", %zu repaired\n", res.n - res.unrepaired);
	else
		fprintf(stderr, "%s\n", res.n ? " (run 'refctl fsck --repair')" : "");
	if (rc == EXIT_OK && (fopts.repair ? res.unrepaired : res.n))
		rc = EXIT_NOTHING;
done:
	refctl_fsck_result_release(&res);
	refctl_buf_release(&out);
	return rc;
}
