/* refctl reward: a manual award, or (negative points) a redemption. */
#include <errno.h>
#include <stdlib.h>

#include "cmd.h"
#include "refctl/reward.h"

int cmd_reward(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "points", required_argument, NULL, 'p' },
		{ "reason", required_argument, NULL, 'r' },
		{ "no-commit", no_argument, NULL, 'N' },
		{ "message", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct refctl_command *self = find_command("reward");
	struct refctl_write_opts w = REFCTL_WRITE_OPTS_INIT;
	const char *reason = NULL, *points_arg = NULL;
	long points = 0, balance = 0;
	char *end;
	int c, error;

	while ((c = getopt_long(argc, argv, "hm:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			points_arg = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		case 'N':
			w.txn_flags |= REFCTL_TXN_NO_COMMIT;
			break;
		case 'm':
			w.message = optarg;
			break;
		case 'h':
			print_usage(stdout, self);
			return EXIT_OK;
		default:
			print_usage(stderr, self);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return usage_error_cmd(self, "expected one advocate id");
	if (!points_arg || !reason)
		return usage_error_cmd(self, "--points and --reason are required");
	errno = 0;
	points = strtol(points_arg, &end, 10);
	if (!*points_arg || *end || errno)
		return usage_error_cmd(self, "--points must be a whole number such as 20 or -30, not '%s'", points_arg);
	error = refctl_reward_add(ctx->store, argv[optind], points, reason, ctx->today, &w, &balance);
	if (w.warning[0])
		warn("%s", w.warning);
	if (error < 0)
		return fail(error);
	printf("%s: %ld point%s %s, balance %ld\n", argv[optind], points < 0 ? -points : points,
	       points == 1 || points == -1 ? "" : "s", points < 0 ? "redeemed" : "awarded", balance);
	return EXIT_OK;
}
