/* refctl init: make a directory a refctl repository. */
#include <limits.h>
#include <stdlib.h>

#include "cmd.h"

static const char *const init_usage[] = {
	"refctl init [--no-commit] [DIR]",
	"",
	"DIR (default the current directory) is created if need be and made a git",
	"repository if it is not one.",
	NULL,
};

int cmd_init(int argc, char **argv, struct refctl_ctx *ctx)
{
	const char *dir = ".";
	struct refctl_store *store = NULL;
	char *real;
	int no_commit = 0, error;
	const struct refctl_option options[] = {
		OPT_BOOL(0, "no-commit", &no_commit, "write the files, leave committing to you"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, init_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc > 1)
		return usage_error(ctx, "too many arguments");
	if (argc == 1)
		dir = argv[0];
	if ((error = refctl_store_init(dir, no_commit)) < 0)
		return fail(error);
	real = realpath(dir, NULL);
	/* the merge driver: .gitattributes is in the init commit, the command
	 * goes into this clone's .git/config */
	if ((error = refctl_store_open(&store, real ? real : dir)) < 0) {
		free(real);
		return fail(error);
	}
	error = setup_merge_driver(store, no_commit ? REFCTL_TXN_NO_COMMIT : 0, 1);
	refctl_store_free(store);
	if (error != EXIT_OK) {
		free(real);
		return error;
	}
	printf("initialised refctl repository in %s\n", real ? real : dir);
	free(real);
	return EXIT_OK;
}
