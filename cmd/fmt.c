/* refctl fmt: rewrite advocate files in the canonical form, or --check. */
#include "cmd.h"

/* One line for each file that cannot be formatted; the others go on. */
static void report_bad(const char *file, const char *error, void *payload)
{
	(void)file;
	fprintf(stderr, "error: %s\n", error);
	(*(size_t *)payload)++;
}

int cmd_fmt(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "no-commit", no_argument, NULL, 'N' },
		{ "message", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct refctl_command *self = find_command("fmt");
	struct refctl_write_opts wopts = CMD_WRITE_OPTS_INIT;
	char **files = NULL;
	size_t nfiles = 0, nbad = 0;
	int c, check = 0, error;

	while ((c = getopt_long(argc, argv, "hm:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			check = 1;
			break;
		case 'N':
			wopts.txn_flags |= REFCTL_TXN_NO_COMMIT;
			break;
		case 'm':
			wopts.message = optarg;
			break;
		case 'h':
			print_usage(stdout, self);
			return EXIT_OK;
		default:
			print_usage(stderr, self);
			return EXIT_USAGE;
		}
	}
	error = refctl_advocates_fmt(ctx->store, (const char *const *)argv + optind,
				     (size_t)(argc - optind), check, &wopts, report_bad, &nbad,
				     &files, &nfiles);
	if (error < 0)
		return fail(error);
	for (size_t i = 0; i < nfiles; i++)
		printf("%s\n", files[i]);
	refctl_store_list_free(files, nfiles);
	return (check && nfiles) || nbad ? EXIT_NOTHING : EXIT_OK;
}
