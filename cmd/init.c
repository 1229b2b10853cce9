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
	printf("initialised refctl repository in %s\n", real ? real : dir);
	free(real);
	return EXIT_OK;
}
