/* refctl setup: register the merge driver in this clone. */
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"

static const char *const setup_usage[] = {
	"refctl setup [--no-commit]",
	"",
	"Sets git's merge driver for advocate files in this clone's .git/config",
	"(git reads drivers from its configuration only, so each clone needs this",
	"once), and adds 'advocates/*.yaml merge=refctl' to .gitattributes, with a",
	"commit, if it is not there. Running it again changes nothing.",
	NULL,
};

int setup_merge_driver(struct refctl_store *store, unsigned txn_flags, int quiet)
{
	struct refctl_setup_opts o = REFCTL_SETUP_OPTS_INIT;
	struct refctl_setup_result res;
	char exe[PATH_MAX];
	ssize_t n;
	int error;

	/* the binary running now: git finds it whatever its PATH is */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		o.program = exe;
	}
	o.txn_flags = txn_flags;
	if ((error = refctl_store_setup(&res, store, &o)) < 0)
		return fail(error);
	if (quiet)
		return EXIT_OK;
	printf("%s .git/config: merge.refctl.driver = %s\n", res.config_changed ? "set" : "already set:",
	       res.driver);
	if (res.attributes_changed)
		printf("%s .gitattributes: %s\n", txn_flags & REFCTL_TXN_NO_COMMIT ? "wrote" : "committed",
		       REFCTL_STORE_ATTRIBUTES);
	else
		printf("already in .gitattributes: %s\n", REFCTL_STORE_ATTRIBUTES);
	return EXIT_OK;
}

int cmd_setup(int argc, char **argv, struct refctl_ctx *ctx)
{
	int no_commit = 0, rc;
	const struct refctl_option options[] = {
		OPT_BOOL(0, "no-commit", &no_commit, "write .gitattributes, leave committing to you"),
		OPT_END(),
	};

	if ((rc = parse_options(ctx, argc, argv, options, setup_usage, 0)) < 0)
		return PARSE_OPT_EXIT(rc);
	if (rc > 0)
		return usage_error(ctx, "unexpected argument '%s'", argv[0]);
	return setup_merge_driver(ctx->store, no_commit ? REFCTL_TXN_NO_COMMIT : 0, 0);
}
