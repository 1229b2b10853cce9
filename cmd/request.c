/*
 * refctl request: new, approve, schedule, decline, cancel, complete,
 * outcome, list and show. Each verb has one option table, which gives its
 * parser and its usage; `refctl request -h` lists the verbs with the
 * synopsis of each. The library (lib/request.c) holds every rule: a verb
 * parses, calls it and formats what it did.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/request.h"
#include "refctl/suggest.h"

/* ---- option values the library parses ---- */

/* --date D, --since D, --until D: a refctl_date, as people write them
 * (2026-11-03, today, yesterday, 30d ...). */
static int date_cb(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	refctl_date today;

	if (refctl_date_today(&today) < 0 || refctl_date_parse_human(opt->value, arg, today) < 0) {
		refctl_buf_printf(err, "--%s: %s", opt->long_name, refctl_error_last());
		return -1;
	}
	return 0;
}

/* --outcome won|lost|open: which a verb allows is the library's to say. */
static int outcome_cb(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	int outcome = refctl_outcome_parse(arg);

	if (outcome) {
		*(int *)opt->value = outcome;
		return 0;
	}
	refctl_buf_puts(err, "--outcome must be ");
	refctl_outcome_names(err, (1u << REFCTL_OUTCOME_WON) | (1u << REFCTL_OUTCOME_LOST) |
				  (1u << REFCTL_OUTCOME_OPEN));
	refctl_buf_printf(err, ", not '%s'", arg);
	return -1;
}

/* --status S (repeatable): a bit of the filter's mask each. */
static int status_cb(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	int status = refctl_req_status_parse(arg);

	if (status) {
		*(unsigned *)opt->value |= 1u << status;
		return 0;
	}
	refctl_buf_puts(err, "--status must be ");
	for (int s = REFCTL_REQ_REQUESTED; s <= REFCTL_REQ_CANCELLED; s++)
		refctl_buf_printf(err, "%s%s", s == REFCTL_REQ_REQUESTED ? "" : s == REFCTL_REQ_CANCELLED ? " or " : ", ",
				  refctl_req_status_name(s));
	refctl_buf_printf(err, ", not '%s'", arg);
	return -1;
}

/* --outcome won|lost|open, repeatable: a mask of outcomes. */
static int outcomes_cb(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	int outcome = refctl_outcome_parse(arg);

	if (outcome) {
		*(unsigned *)opt->value |= 1u << outcome;
		return 0;
	}
	refctl_buf_puts(err, "--outcome must be ");
	refctl_outcome_names(err, (1u << REFCTL_OUTCOME_WON) | (1u << REFCTL_OUTCOME_LOST) |
				  (1u << REFCTL_OUTCOME_OPEN));
	refctl_buf_printf(err, ", not '%s'", arg);
	return -1;
}

/* A library error: with the verb's usage when it was bad usage. */
static int request_fail(struct refctl_ctx *ctx, int error)
{
	if (error == REFCTL_EUSAGE)
		return usage_error(ctx, "%s", refctl_error_last());
	return fail(error);
}

/* ---- the verbs' usage ---- */

static const char *const new_usage[] = {
	"refctl request new ADVOCATE --prospect P --activity A --requester R\n"
	"           [--opportunity O] [--value N] [--industry I] [--region R] [--product P]\n"
	"           [--date D] [--force -m REASON] [--include-at-risk -m REASON] [--no-commit] [-m TEXT]",
	"",
	"Refused (exit 1) when the advocate is not available by the rules of",
	"'refctl match' as of --date; --force records it anyway, with forced: true",
	"and the reason -m gives. --include-at-risk lifts only the at-risk rule",
	"(health red, or nps at or below report.at_risk_nps), recorded the same way.",
	NULL,
};
static const char *const approve_usage[] = {
	"refctl request approve ID [--by NAME] [--no-commit] [-m TEXT]",
	NULL,
};
static const char *const schedule_usage[] = {
	"refctl request schedule ID --date D [--no-commit] [-m TEXT]",
	NULL,
};
static const char *const decline_usage[] = {
	"refctl request decline ID --reason TEXT [--no-commit] [-m TEXT]",
	NULL,
};
static const char *const cancel_usage[] = {
	"refctl request cancel ID --reason TEXT [--no-commit] [-m TEXT]",
	NULL,
};
static const char *const complete_usage[] = {
	"refctl request complete ID [--date D] [--outcome won|lost|open] [--value N]\n"
	"           [--no-commit] [-m TEXT]",
	"",
	"Awards the activity's reward points (refctl.yaml rewards.points).",
	NULL,
};
static const char *const outcome_usage[] = {
	"refctl request outcome ID --outcome won|lost [--value N] [--no-commit] [-m TEXT]",
	NULL,
};
static const char *const list_usage[] = {
	"refctl request list [--status S]... [--open] [--advocate A] [--requester R]\n"
	"           [--since D] [--until D] [--format table|tsv|csv|json]",
	"",
	"Oldest first. Exit 1 when no request matches.",
	NULL,
};
static const char *const show_usage[] = {
	"refctl request show [--format yaml|json] ID",
	NULL,
};

/* ---- new ---- */

static int request_new(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_request_new_opts o = REFCTL_REQUEST_NEW_OPTS_INIT;
	struct refctl_write_opts w = CMD_WRITE_OPTS_INIT;
	struct refctl_request_result res;
	struct refctl_buf why = REFCTL_BUF_INIT, advocate = REFCTL_BUF_INIT;
	int no_commit = 0, rc, error;
	const struct refctl_option options[] = {
		OPT_STRING(0, "prospect", &o.prospect, "P", "the prospect the reference is for (required)"),
		OPT_STRING(0, "activity", &o.activity, "A", "what the advocate is asked to do (required)"),
		OPT_STRING(0, "requester", &o.requester, "R", "who asks, such as the account executive (required)"),
		OPT_STRING(0, "opportunity", &o.opportunity, "O", "the deal's id in the CRM"),
		OPT_STRING(0, "value", &o.value, "N", "the expected deal value"),
		OPT_STRING(0, "industry", &o.industry, "I", "the prospect's industry"),
		OPT_STRING(0, "region", &o.region, "R", "the prospect's region"),
		OPT_STRING(0, "product", &o.product, "P", "the product the deal is about"),
		OPT_CALLBACK(0, "date", &o.opened, "D", "the day it was opened (default: today)", date_cb),
		OPT_BOOL(0, "force", &o.force, "record it even if the advocate is unavailable (-m gives why)"),
		OPT_BOOL(0, "include-at-risk", &o.include_at_risk,
			 "record it even if the advocate is at risk (health red or low nps; -m gives why)"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, new_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc != 1)
		return usage_error(ctx, "expected one advocate id");
	if (no_commit)
		w.txn_flags |= REFCTL_TXN_NO_COMMIT;
	refctl_request_result_init(&res);
	if ((rc = resolve_advocate(ctx, argv[0], &advocate)) != EXIT_OK)
		goto done;
	o.advocate = advocate.ptr;
	o.today = ctx->today;
	o.reason = w.message;
	if ((error = refctl_request_new(&res, ctx->store, &o, &w)) < 0) {
		rc = request_fail(ctx, error);
		goto done;
	}
	if (res.forced) {
		refctl_avail_exclusions_text(&why, res.exclusions, res.nexclusions);
		warn("forced past the availability rules for %s: %s", o.advocate, why.ptr);
	} else if (o.force) {
		warn("--force was not needed: %s is available for %s", o.advocate, o.activity);
	}
	printf("%s\n", res.id);
	rc = EXIT_OK;
done:
	refctl_request_result_release(&res);
	refctl_buf_release(&why);
	refctl_buf_release(&advocate);
	return rc;
}

/* ---- transitions ---- */

/* What a transition did, in words. */
static void print_change(const struct refctl_request_change *ch, const struct refctl_request_result *res)
{
	char d[11];

	switch (ch->verb) {
	case REFCTL_REQUEST_APPROVE:
		printf("%s approved by %s\n", res->id, res->approved_by.ptr);
		break;
	case REFCTL_REQUEST_SCHEDULE:
		printf("%s scheduled for %s\n", res->id, refctl_date_format(d, ch->date));
		break;
	case REFCTL_REQUEST_DECLINE:
		printf("%s declined\n", res->id);
		break;
	case REFCTL_REQUEST_CANCEL:
		printf("%s cancelled\n", res->id);
		break;
	case REFCTL_REQUEST_COMPLETE:
	case REFCTL_REQUEST_OUTCOME:
		printf("%s %s", res->id, ch->verb == REFCTL_REQUEST_COMPLETE ? "completed" : "outcome");
		if (res->outcome)
			printf(": %s%s%s", refctl_outcome_name(res->outcome), res->value.size ? " " : "",
			       res->value.ptr);
		else if (res->value.size)
			printf(": value %s", res->value.ptr);
		printf("\n");
		if (res->points) {
			struct refctl_buf adv = REFCTL_BUF_INIT;
			refctl_request_id_parse(&adv, NULL, res->id);
			printf("%s: %ld point%s awarded, balance %ld\n", adv.ptr, res->points,
			       res->points == 1 ? "" : "s", res->balance);
			refctl_buf_release(&adv);
		} else if (res->no_points.size) {
			struct refctl_buf adv = REFCTL_BUF_INIT;
			refctl_request_id_parse(&adv, NULL, res->id);
			printf("%s: no points recorded: %s\n", adv.ptr, res->no_points.ptr);
			refctl_buf_release(&adv);
		}
		break;
	}
}

static int request_transition(int argc, char **argv, struct refctl_ctx *ctx, enum refctl_request_verb verb)
{
	struct refctl_request_change ch = REFCTL_REQUEST_CHANGE_INIT;
	struct refctl_write_opts w = CMD_WRITE_OPTS_INIT;
	struct refctl_request_result res;
	int no_commit = 0, rc, error;
	const struct refctl_option approve_options[] = {
		OPT_STRING(0, "by", &ch.by, "NAME", "who approves (default: the account owner, else you)"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option schedule_options[] = {
		OPT_CALLBACK(0, "date", &ch.date, "D", "the day it takes place (required)", date_cb),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option reason_options[] = {
		OPT_STRING(0, "reason", &ch.reason, "TEXT", "why (required)"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option complete_options[] = {
		OPT_CALLBACK(0, "date", &ch.date, "D", "the day it closed (default: today)", date_cb),
		OPT_CALLBACK(0, "outcome", &ch.outcome, "won|lost|open", "the deal's outcome, if known",
			     outcome_cb),
		OPT_STRING(0, "value", &ch.value, "N", "the deal value"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	const struct refctl_option outcome_options[] = {
		OPT_CALLBACK(0, "outcome", &ch.outcome, "won|lost", "the deal's outcome (required)", outcome_cb),
		OPT_STRING(0, "value", &ch.value, "N", "the deal value"),
		OPT_WRITE(&no_commit, &w.message),
		OPT_END(),
	};
	static const struct {
		const char *const *usage;
	} usages[] = {
		[REFCTL_REQUEST_APPROVE] = { approve_usage },   [REFCTL_REQUEST_SCHEDULE] = { schedule_usage },
		[REFCTL_REQUEST_DECLINE] = { decline_usage },   [REFCTL_REQUEST_CANCEL] = { cancel_usage },
		[REFCTL_REQUEST_COMPLETE] = { complete_usage }, [REFCTL_REQUEST_OUTCOME] = { outcome_usage },
	};
	const struct refctl_option *const options[] = {
		[REFCTL_REQUEST_APPROVE] = approve_options,   [REFCTL_REQUEST_SCHEDULE] = schedule_options,
		[REFCTL_REQUEST_DECLINE] = reason_options,    [REFCTL_REQUEST_CANCEL] = reason_options,
		[REFCTL_REQUEST_COMPLETE] = complete_options, [REFCTL_REQUEST_OUTCOME] = outcome_options,
	};

	if ((argc = parse_options(ctx, argc, argv, options[verb], usages[verb].usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc != 1)
		return usage_error(ctx, "expected one request id (ADVOCATE/YYMMDD-XXXXXXXX, or a unique prefix of it)");
	if (no_commit)
		w.txn_flags |= REFCTL_TXN_NO_COMMIT;
	ch.verb = verb;
	ch.id = argv[0];
	ch.today = ctx->today;
	refctl_request_result_init(&res);
	if ((error = refctl_request_change(&res, ctx->store, &ch, &w)) < 0) {
		rc = request_fail(ctx, error);
		goto done;
	}
	rc = EXIT_OK;
	if (!res.changed)
		fprintf(stderr, "%s: nothing changed\n", res.id);
	else
		print_change(&ch, &res);
done:
	refctl_request_result_release(&res);
	return rc;
}

/* ---- list ---- */

static const char *const list_columns[] = {
	"id", "opened", "status", "activity", "prospect", "requester", "scheduled", "closed", "outcome",
	"deal_value",
};
#define NCOLUMNS (sizeof(list_columns) / sizeof(list_columns[0]))

/* The request as JSON: its fields as written and typed, and its advocate. */
static json_t *item_json(const struct refctl_request_item *it)
{
	json_t *j = refctl_node_to_json(it->node);
	json_object_set_new(j, "advocate", json_string(it->advocate));
	return j;
}

static int request_list(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_request_filter f = REFCTL_REQUEST_FILTER_INIT;
	struct refctl_request_items items = REFCTL_REQUEST_ITEMS_INIT;
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	struct refctl_buf out = REFCTL_BUF_INIT;
	const char *format = NULL;
	struct refctl_strvec requesters = REFCTL_STRVEC_INIT, activities = REFCTL_STRVEC_INIT;
	struct refctl_strvec prospects = REFCTL_STRVEC_INIT;
	struct refctl_buf advocate = REFCTL_BUF_INIT;
	int open = 0, rc, error;
	const struct refctl_option options[] = {
		OPT_CALLBACK(0, "status", &f.statuses, "S", "only requests with this status (repeatable)", status_cb),
		OPT_BOOL(0, "open", &open, "only open ones: requested, approved or scheduled"),
		OPT_STRING(0, "advocate", &f.advocate, "A", "only this advocate's requests"),
		OPT_STRING_LIST(0, "requester", &requesters, "R", "only this requester's (any case; repeatable)"),
		OPT_CALLBACK(0, "outcome", &f.outcomes, "O", "only those with this outcome: won, lost or open (repeatable)",
			     outcomes_cb),
		OPT_STRING_LIST(0, "activity", &activities, "A", "only requests for this activity (repeatable)"),
		OPT_STRING_LIST(0, "prospect", &prospects, "P", "only requests for this prospect (any case; repeatable)"),
		OPT_CALLBACK(0, "since", &f.since, "D", "only those opened on D or later", date_cb),
		OPT_CALLBACK(0, "until", &f.until, "D", "only those opened on D or earlier", date_cb),
		OPT_STRING(0, "format", &format, "FMT", "table (default), tsv, csv or json"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, list_usage, 0)) < 0) {
		rc = PARSE_OPT_EXIT(argc);
		goto done;
	}
	if (argc > 0) {
		rc = usage_error(ctx, "unexpected argument '%s'", argv[0]);
		goto done;
	}
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
					  REFCTL_FMT(REFCTL_FORMAT_CSV) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0) {
		rc = usage_error(ctx, "%s", refctl_error_last());
		goto done;
	}
	if (open)
		f.statuses |= REFCTL_REQUEST_OPEN_MASK;
	for (size_t i = 0; i < activities.n; i++)
		if (refctl_activity_check(activities.v[i]) < 0) {
			rc = usage_error(ctx, "%s", refctl_error_last());
			goto done;
		}
	if (f.advocate) {
		if ((rc = resolve_advocate(ctx, f.advocate, &advocate)) != EXIT_OK)
			goto done;
		f.advocate = advocate.ptr;
	}
	f.requesters = requesters.v;
	f.nrequesters = requesters.n;
	f.activities = activities.v;
	f.nactivities = activities.n;
	f.prospects = prospects.v;
	f.nprospects = prospects.n;
	if ((error = refctl_request_list(&items, ctx->store, &f, warn_bad_file, NULL)) < 0) {
		rc = fail(error);
		goto done;
	}
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0; i < items.n; i++)
			json_array_append_new(arr, item_json(&items.v[i]));
		refctl_json_dump(&out, arr);
		json_decref(arr);
	} else if (items.n || fmt != REFCTL_FORMAT_TABLE) {
		struct refctl_table *t = refctl_table_new(NCOLUMNS, list_columns);
		refctl_table_align_right(t, NCOLUMNS - 1);
		for (size_t i = 0; i < items.n; i++) {
			const char *cells[NCOLUMNS];
			for (size_t k = 0; k < NCOLUMNS; k++)
				cells[k] = refctl_request_item_field(&items.v[i], list_columns[k]);
			refctl_table_add(t, cells);
		}
		render_table_ctx(&out, t, fmt, ctx);
		refctl_table_free(t);
	}
	rc = emit(&out);
	if (rc == EXIT_OK && !items.n)
		rc = EXIT_NOTHING;
done:
	refctl_request_items_release(&items);
	refctl_buf_release(&out);
	refctl_strvec_clear(&requesters);
	refctl_strvec_clear(&activities);
	refctl_strvec_clear(&prospects);
	refctl_buf_release(&advocate);
	return rc;
}

/* ---- show ---- */

static int request_show(int argc, char **argv, struct refctl_ctx *ctx)
{
	enum refctl_format fmt = REFCTL_FORMAT_YAML;
	struct refctl_request_item it;
	struct refctl_buf out = REFCTL_BUF_INIT;
	const char *format = NULL;
	int rc, error;
	const struct refctl_option options[] = {
		OPT_STRING('f', "format", &format, "FMT", "yaml (default) or json"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, show_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (format && refctl_format_parse(&fmt, format,
					  REFCTL_FMT(REFCTL_FORMAT_YAML) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	if (argc != 1)
		return usage_error(ctx, "expected one request id (ADVOCATE/YYMMDD-XXXXXXXX, or a unique prefix of it)");
	if ((error = refctl_request_get(&it, ctx->store, argv[0])) < 0)
		return request_fail(ctx, error);
	if (fmt == REFCTL_FORMAT_JSON) {
		json_t *j = item_json(&it);
		refctl_json_dump(&out, j);
		json_decref(j);
		rc = emit(&out);
	} else if ((error = refctl_yaml_emit(&out, it.node)) < 0) {
		rc = fail(error);
	} else {
		rc = emit(&out);
	}
	refctl_request_item_release(&it);
	refctl_buf_release(&out);
	return rc;
}

/* ---- the command ---- */

enum { VERB_NEW = 100, VERB_LIST, VERB_SHOW }; /* the others are transitions */

static const struct cmd_verb verbs[] = {
	{ "new", "ask for an advocate for a prospect", new_usage, VERB_NEW },
	{ "approve", "approve a requested request", approve_usage, REFCTL_REQUEST_APPROVE },
	{ "schedule", "give an approved request its day", schedule_usage, REFCTL_REQUEST_SCHEDULE },
	{ "decline", "decline a requested or approved request", decline_usage, REFCTL_REQUEST_DECLINE },
	{ "cancel", "cancel a request that is not closed", cancel_usage, REFCTL_REQUEST_CANCEL },
	{ "complete", "close an approved or scheduled request as done", complete_usage, REFCTL_REQUEST_COMPLETE },
	{ "outcome", "record the deal's outcome of a completed request", outcome_usage, REFCTL_REQUEST_OUTCOME },
	{ "list", "list requests across advocates", list_usage, VERB_LIST },
	{ "show", "show one request", show_usage, VERB_SHOW },
};
#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char *const request_prose[] = {
	"",
	"See 'refctl request VERB -h' for the options of one verb.",
	"",
	"Request ids are ADVOCATE/YYMMDD-XXXXXXXX (older ones ADVOCATE/N); any prefix",
	"of an id that no other id has names it. Transitions: requested -> approved,",
	"declined or cancelled; approved -> scheduled, completed, declined or cancelled;",
	"scheduled -> completed or cancelled. 'new' refuses an advocate that match would",
	"exclude (status, consent, activities, quarter limit, rest days) unless --force.",
	NULL,
};

int cmd_request(int argc, char **argv, struct refctl_ctx *ctx)
{
	int rc, i = parse_verb(ctx, &argc, argv, "request", verbs, NVERBS, request_prose, &rc);

	if (i < 0)
		return rc;
	switch (verbs[i].id) {
	case VERB_NEW:
		return request_new(argc, argv, ctx);
	case VERB_LIST:
		return request_list(argc, argv, ctx);
	case VERB_SHOW:
		return request_show(argc, argv, ctx);
	default:
		return request_transition(argc, argv, ctx, (enum refctl_request_verb)verbs[i].id);
	}
}
