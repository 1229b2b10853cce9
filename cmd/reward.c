/* refctl reward: a manual award, or (negative points) a redemption. */
#include <errno.h>
#include <stdlib.h>

#include "cmd.h"
#include "refctl/reward.h"

static const char *const reward_usage[] = {
	"refctl reward ADVOCATE --points N --reason TEXT [--no-commit] [-m TEXT]",
	"",
	"Negative points redeem; the balance never goes below zero.",
	NULL,
};

int cmd_reward(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_write_opts w = CMD_WRITE_OPTS_INIT;
	const char *reason = NULL, *points_arg = NULL;
	long points = 0, balance = 0;
	struct refctl_buf id = REFCTL_BUF_INIT;
	int no_commit = 0, error, rc;
	char *end;
	const struct refctl_option options[] = {
		OPT_STRING(0, "points", &points_arg, "N", "points to award, negative to redeem (required)"),
		OPT_STRING(0, "reason", &reason, "TEXT", "why (required)"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, reward_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc != 1)
		return usage_error(ctx, "expected one advocate id");
	/* 0 is a value the library refuses, not "not given": say which it was */
	if (!points_arg)
		return usage_error(ctx, "--points is required");
	errno = 0;
	points = strtol(points_arg, &end, 10);
	if (!*points_arg || *end || errno)
		return usage_error(ctx, "--points must be a whole number such as 20 or -30, not '%s'", points_arg);
	if (no_commit)
		w.txn_flags |= REFCTL_TXN_NO_COMMIT;
	if ((rc = resolve_advocate(ctx, argv[0], &id)) != EXIT_OK)
		goto done;
	if ((error = refctl_reward_add(&balance, ctx->store, id.ptr, points, reason, ctx->today, &w)) < 0) {
		rc = error == REFCTL_EUSAGE ? usage_error(ctx, "%s", refctl_error_last()) : fail(error);
		goto done;
	}
	printf("%s: %ld point%s %s, balance %ld\n", id.ptr, points < 0 ? -points : points,
	       points == 1 || points == -1 ? "" : "s", points < 0 ? "redeemed" : "awarded", balance);
done:
	refctl_buf_release(&id);
	return rc;
}
