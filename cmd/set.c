/* refctl set: change fields of one advocate and commit. */
#include "cmd.h"

/* Shared by set and unset: the same options, a different verb. */
static int set_or_unset(int argc, char **argv, struct refctl_ctx *ctx, int unset)
{
	static const struct option opts[] = {
		{ "no-commit", no_argument, NULL, 'N' },
		{ "message", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct refctl_command *self = find_command(unset ? "unset" : "set");
	struct refctl_write_opts wopts = REFCTL_WRITE_OPTS_INIT;
	int c, changed, error;

	while ((c = getopt_long(argc, argv, "+hm:", opts, NULL)) != -1) {
		switch (c) {
		case 'N':
			wopts.txn_flags |= REFCTL_TXN_NO_COMMIT;
			break;
		case 'm':
			wopts.message = optarg;
			break;
		case 'h':
			print_usage(stdout, self);
			if (!unset) {
				const char *const *f = refctl_record_settable_fields();
				printf("\nfields: ");
				for (int i = 0; f[i]; i++)
					printf("%s%s", i ? ", " : "", f[i]);
				printf("\nlist fields take comma-separated values: products=analytics,billing\n");
			}
			return EXIT_OK;
		default:
			print_usage(stderr, self);
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 2)
		return usage_error_cmd(self, "expected an advocate id and at least one %s",
				   unset ? "FIELD" : "FIELD=VALUE");
	error = refctl_advocate_edit(ctx->store, argv[optind], (const char *const *)argv + optind + 1,
				     (size_t)(argc - optind - 1), unset, &wopts, &changed);
	if (wopts.warning[0])
		warn("%s", wopts.warning);
	if (error < 0)
		return fail(error);
	if (!changed)
		fprintf(stderr, "%s: nothing changed\n", argv[optind]);
	return EXIT_OK;
}

int cmd_set(int argc, char **argv, struct refctl_ctx *ctx)
{
	return set_or_unset(argc, argv, ctx, 0);
}

/* cmd_unset lives in unset.c and shares this through a tiny shim. */
int refctl__cmd_set_or_unset(int argc, char **argv, struct refctl_ctx *ctx, int unset);
int refctl__cmd_set_or_unset(int argc, char **argv, struct refctl_ctx *ctx, int unset)
{
	return set_or_unset(argc, argv, ctx, unset);
}
