/*
 * refctl referral: new, qualify, won, lost and cancel. Each verb has one
 * option table; the library (lib/referral.c) holds every rule.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/referral.h"

static int date_cb(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	refctl_date today;

	if (refctl_date_today(&today) < 0 || refctl_date_parse_human(opt->value, arg, today) < 0) {
		refctl_buf_printf(err, "--%s: %s", opt->long_name, refctl_error_last());
		return -1;
	}
	return 0;
}

static int referral_fail(struct refctl_ctx *ctx, int error)
{
	if (error == REFCTL_EUSAGE)
		return usage_error(ctx, "%s", refctl_error_last());
	return fail(error);
}

static const char *const new_usage[] = {
	"refctl referral new ADVOCATE --prospect P [--contact NAME] [--opportunity O]\n"
	"           [--value N] [--notes T] [--date D] [--no-commit] [-m TEXT]",
	"",
	"Records that ADVOCATE referred the prospect P; prints the referral's id.",
	NULL,
};
static const char *const qualify_usage[] = {
	"refctl referral qualify ID [--value N] [--date D] [--no-commit] [-m TEXT]",
	"",
	"Awards rewards.referrals.qualified points of refctl.yaml (0 by default).",
	NULL,
};
static const char *const won_usage[] = {
	"refctl referral won ID [--value N] [--date D] [--no-commit] [-m TEXT]",
	"",
	"Awards rewards.referrals.won points of refctl.yaml (25 by default).",
	NULL,
};
static const char *const lost_usage[] = {
	"refctl referral lost ID [--value N] [--date D] [--reason TEXT] [--no-commit] [-m TEXT]",
	NULL,
};
static const char *const cancel_usage[] = {
	"refctl referral cancel ID [--date D] [--reason TEXT] [--no-commit] [-m TEXT]",
	NULL,
};

static int referral_new(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_referral_new_opts o = REFCTL_REFERRAL_NEW_OPTS_INIT;
	struct refctl_write_opts w = CMD_WRITE_OPTS_INIT;
	struct refctl_referral_result res;
	struct refctl_buf advocate = REFCTL_BUF_INIT;
	int no_commit = 0, rc, error;
	const struct refctl_option options[] = {
		OPT_STRING(0, "prospect", &o.prospect, "P", "the company referred (required)"),
		OPT_STRING(0, "contact", &o.contact, "NAME", "the person referred"),
		OPT_STRING(0, "opportunity", &o.opportunity, "O", "the deal's id in the CRM"),
		OPT_STRING(0, "value", &o.value, "N", "the expected deal value"),
		OPT_STRING(0, "notes", &o.notes, "T", "free text"),
		OPT_CALLBACK(0, "date", &o.opened, "D", "the day it was made (default: today)", date_cb),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, new_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc != 1)
		return usage_error(ctx, "expected one advocate id");
	if (no_commit)
		w.txn_flags |= REFCTL_TXN_NO_COMMIT;
	refctl_referral_result_init(&res);
	if ((rc = resolve_advocate(ctx, argv[0], &advocate)) != EXIT_OK)
		goto done;
	o.advocate = advocate.ptr;
	o.today = ctx->today;
	if ((error = refctl_referral_new(&res, ctx->store, &o, &w)) < 0) {
		rc = referral_fail(ctx, error);
		goto done;
	}
	printf("%s\n", res.id);
	rc = EXIT_OK;
done:
	refctl_referral_result_release(&res);
	refctl_buf_release(&advocate);
	return rc;
}

static int referral_transition(int argc, char **argv, struct refctl_ctx *ctx, enum refctl_referral_verb verb)
{
	struct refctl_referral_change ch = REFCTL_REFERRAL_CHANGE_INIT;
	struct refctl_write_opts w = CMD_WRITE_OPTS_INIT;
	struct refctl_referral_result res;
	int no_commit = 0, rc, error;
	const struct refctl_option value_options[] = {
		OPT_STRING(0, "value", &ch.value, "N", "the deal value"),
		OPT_CALLBACK(0, "date", &ch.date, "D", "the day it happened (default: today)", date_cb),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option lost_options[] = {
		OPT_STRING(0, "value", &ch.value, "N", "the deal value"),
		OPT_CALLBACK(0, "date", &ch.date, "D", "the day it happened (default: today)", date_cb),
		OPT_STRING(0, "reason", &ch.reason, "TEXT", "why"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option cancel_options[] = {
		OPT_CALLBACK(0, "date", &ch.date, "D", "the day it happened (default: today)", date_cb),
		OPT_STRING(0, "reason", &ch.reason, "TEXT", "why"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option *const options[] = {
		[REFCTL_REFERRAL_QUALIFY] = value_options, [REFCTL_REFERRAL_WON] = value_options,
		[REFCTL_REFERRAL_LOST] = lost_options,     [REFCTL_REFERRAL_CANCEL] = cancel_options,
	};
	const char *const *const usages[] = {
		[REFCTL_REFERRAL_QUALIFY] = qualify_usage, [REFCTL_REFERRAL_WON] = won_usage,
		[REFCTL_REFERRAL_LOST] = lost_usage,       [REFCTL_REFERRAL_CANCEL] = cancel_usage,
	};

	if ((argc = parse_options(ctx, argc, argv, options[verb], usages[verb], 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc != 1)
		return usage_error(ctx, "expected one referral id (ADVOCATE/YYMMDD-XXXXXXXX, or a unique prefix of it)");
	if (no_commit)
		w.txn_flags |= REFCTL_TXN_NO_COMMIT;
	ch.verb = verb;
	ch.id = argv[0];
	ch.today = ctx->today;
	refctl_referral_result_init(&res);
	if ((error = refctl_referral_change(&res, ctx->store, &ch, &w)) < 0) {
		rc = referral_fail(ctx, error);
		goto done;
	}
	printf("%s %s", res.id, refctl_ref_status_name(res.status));
	if (res.value.size)
		printf(": value %s", res.value.ptr);
	printf("\n");
	if (res.points) {
		struct refctl_buf adv = REFCTL_BUF_INIT;
		refctl_referral_id_parse(&adv, res.id);
		printf("%s: %ld point%s awarded, balance %ld\n", adv.ptr, res.points, res.points == 1 ? "" : "s",
		       res.balance);
		refctl_buf_release(&adv);
	} else if (res.no_points.size) {
		struct refctl_buf adv = REFCTL_BUF_INIT;
		refctl_referral_id_parse(&adv, res.id);
		printf("%s: no points recorded: %s\n", adv.ptr, res.no_points.ptr);
		refctl_buf_release(&adv);
	}
	rc = EXIT_OK;
done:
	refctl_referral_result_release(&res);
	return rc;
}

static const struct cmd_verb verbs[] = { /* id: the transition, 0 for new */
	{ "new", "record a prospect the advocate referred", new_usage, 0 },
	{ "qualify", "sales qualified an open referral", qualify_usage, REFCTL_REFERRAL_QUALIFY },
	{ "won", "the referred deal was won", won_usage, REFCTL_REFERRAL_WON },
	{ "lost", "the referred deal was lost", lost_usage, REFCTL_REFERRAL_LOST },
	{ "cancel", "withdraw a referral that is not closed", cancel_usage, REFCTL_REFERRAL_CANCEL },
};
#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char *const referral_prose[] = {
	"",
	"See 'refctl referral VERB -h' for the options of one verb.",
	"",
	"Referral ids are ADVOCATE/YYMMDD-XXXXXXXX. Statuses: open -> qualified, won,",
	"lost or cancelled; qualified -> won, lost or cancelled. No approval step.",
	NULL,
};

int cmd_referral(int argc, char **argv, struct refctl_ctx *ctx)
{
	int rc, i = parse_verb(ctx, &argc, argv, "referral", verbs, NVERBS, referral_prose, &rc);

	if (i < 0)
		return rc;
	return verbs[i].id ? referral_transition(argc, argv, ctx, (enum refctl_referral_verb)verbs[i].id)
			   : referral_new(argc, argv, ctx);
}
