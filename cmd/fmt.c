/* refctl fmt: rewrite advocate files in the canonical form, or --check. */
#include "cmd.h"

static const char *const fmt_usage[] = {
	"refctl fmt [--check] [--no-commit] [-m TEXT] [ID...]",
	"",
	"Without ID, every advocate file. The files rewritten (or, with --check, the",
	"files not in the canonical form) are printed, one per line.",
	NULL,
};

/* One line for each file that cannot be formatted; the others go on. */
static void report_bad(const char *file, const char *error, void *payload)
{
	(void)file;
	fprintf(stderr, "error: %s\n", error);
	(*(size_t *)payload)++;
}

int cmd_fmt(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_write_opts wopts = CMD_WRITE_OPTS_INIT;
	char **files = NULL;
	size_t nfiles = 0, nbad = 0;
	int check = 0, no_commit = 0, error;
	const struct refctl_option options[] = {
		OPT_BOOL(0, "check", &check, "only list the files not in the canonical form, exit 1 if any"),
		OPT_WRITE(&no_commit, &wopts.message),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, fmt_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (no_commit)
		wopts.txn_flags |= REFCTL_TXN_NO_COMMIT;
	error = refctl_advocates_fmt(ctx->store, (const char *const *)argv, (size_t)argc, check, &wopts,
				     report_bad, &nbad, &files, &nfiles);
	if (error < 0)
		return fail(error);
	for (size_t i = 0; i < nfiles; i++)
		printf("%s\n", files[i]);
	refctl_store_list_free(files, nfiles);
	return (check && nfiles) || nbad ? EXIT_NOTHING : EXIT_OK;
}
