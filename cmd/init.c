/* refctl init: make a directory a refctl repository. */
#include <limits.h>
#include <stdlib.h>

#include "cmd.h"

int cmd_init(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "no-commit", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct refctl_command *self = find_command("init");
	const char *dir = ".";
	struct refctl_store *store = NULL;
	char *real;
	int c, no_commit = 0, error;

	(void)ctx;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			no_commit = 1;
			break;
		case 'h':
			print_usage(stdout, self);
			return EXIT_OK;
		default:
			print_usage(stderr, self);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return usage_error_cmd(self, "too many arguments");
	if (optind < argc)
		dir = argv[optind];
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
