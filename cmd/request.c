/*
 * refctl request: new, approve, schedule, decline, cancel, complete,
 * outcome, list and show. Each verb parses its options, calls the library
 * (lib/request.c holds every rule) and formats what it did.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/request.h"

static const struct verb_usage {
	const char *verb, *usage;
} usages[] = {
	{ "new", "refctl request new ADVOCATE --prospect P --activity A --requester R\n"
		 "           [--opportunity O] [--value N] [--industry I] [--region R] [--product P]\n"
		 "           [--date D] [--force -m REASON] [--no-commit] [-m TEXT]" },
	{ "approve", "refctl request approve ID [--by NAME] [--no-commit] [-m TEXT]" },
	{ "schedule", "refctl request schedule ID --date D [--no-commit] [-m TEXT]" },
	{ "decline", "refctl request decline ID --reason TEXT [--no-commit] [-m TEXT]" },
	{ "cancel", "refctl request cancel ID --reason TEXT [--no-commit] [-m TEXT]" },
	{ "complete", "refctl request complete ID [--date D] [--outcome won|lost|open] [--value N]\n"
		      "           [--no-commit] [-m TEXT]" },
	{ "outcome", "refctl request outcome ID --outcome won|lost [--value N] [--no-commit] [-m TEXT]" },
	{ "list", "refctl request list [--status S]... [--open] [--advocate A] [--requester R]\n"
		  "           [--since D] [--until D] [--format table|tsv|csv|json]" },
	{ "show", "refctl request show [--format yaml|json] ID" },
};
#define NVERBS (sizeof(usages) / sizeof(usages[0]))

static const char *usage_of(const char *verb)
{
	for (size_t i = 0; i < NVERBS; i++)
		if (!strcmp(usages[i].verb, verb))
			return usages[i].usage;
	return "";
}

static void verb_usage(FILE *f, const char *verb)
{
	fprintf(f, "usage: %s\n", usage_of(verb));
}

static int verb_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int verb_usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
	verb_usage(stderr, verb);
	return EXIT_USAGE;
}

static int parse_date(const char *verb, const char *flag, const char *s, refctl_date *out)
{
	if (refctl_date_parse(out, s) < 0)
		return verb_usage_error(verb, "%s must be a date YYYY-MM-DD, not '%s'", flag, s);
	return 0;
}

static void show_warning(const struct refctl_write_opts *w)
{
	if (w->warning[0])
		warn("%s", w->warning);
}

/* Options every writing verb has. */
#define WRITE_OPTIONS \
	{ "no-commit", no_argument, NULL, 'N' }, \
	{ "message", required_argument, NULL, 'm' }, \
	{ "help", no_argument, NULL, 'h' }

/* ---- new ---- */

static int request_new(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "prospect", required_argument, NULL, 'p' },
		{ "activity", required_argument, NULL, 'a' },
		{ "requester", required_argument, NULL, 'r' },
		{ "opportunity", required_argument, NULL, 'o' },
		{ "value", required_argument, NULL, 'v' },
		{ "industry", required_argument, NULL, 'I' },
		{ "region", required_argument, NULL, 'R' },
		{ "product", required_argument, NULL, 'P' },
		{ "date", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'F' },
		WRITE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct refctl_request_new_opts o = REFCTL_REQUEST_NEW_OPTS_INIT;
	struct refctl_write_opts w = REFCTL_WRITE_OPTS_INIT;
	struct refctl_request_result res;
	int c, rc, error;

	while ((c = getopt_long(argc, argv, "hm:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o.prospect = optarg;
			break;
		case 'a':
			o.activity = optarg;
			break;
		case 'r':
			o.requester = optarg;
			break;
		case 'o':
			o.opportunity = optarg;
			break;
		case 'v':
			o.value = optarg;
			break;
		case 'I':
			o.industry = optarg;
			break;
		case 'R':
			o.region = optarg;
			break;
		case 'P':
			o.product = optarg;
			break;
		case 'd':
			if (parse_date("new", "--date", optarg, &o.opened))
				return EXIT_USAGE;
			break;
		case 'F':
			o.force = 1;
			break;
		case 'N':
			w.txn_flags |= REFCTL_TXN_NO_COMMIT;
			break;
		case 'm':
			w.message = optarg;
			break;
		case 'h':
			verb_usage(stdout, "new");
			return EXIT_OK;
		default:
			verb_usage(stderr, "new");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return verb_usage_error("new", "expected one advocate id");
	if (!o.prospect || !o.activity || !o.requester)
		return verb_usage_error("new", "--prospect, --activity and --requester are required");
	if (o.force && !(w.message && *w.message))
		return verb_usage_error("new", "--force needs a reason: give it with -m TEXT");
	o.advocate = argv[optind];
	o.today = ctx->today;
	o.reason = w.message;
	refctl_request_result_init(&res);
	error = refctl_request_new(ctx->store, &o, &w, &res);
	show_warning(&w);
	if (error < 0) {
		rc = fail(error);
		goto done;
	}
	if (res.overridden)
		warn("forced past the availability rules for %s: %s", o.advocate, res.overridden_text);
	else if (o.force)
		warn("--force was not needed: %s is available for %s", o.advocate, o.activity);
	printf("%s\n", res.id);
	rc = EXIT_OK;
done:
	refctl_request_result_release(&res);
	return rc;
}

/* ---- transitions ---- */

static int request_transition(int argc, char **argv, struct refctl_ctx *ctx, enum refctl_request_verb verb)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "date", required_argument, NULL, 'd' },
		{ "reason", required_argument, NULL, 'r' },
		{ "outcome", required_argument, NULL, 'o' },
		{ "value", required_argument, NULL, 'v' },
		WRITE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	/* which options each verb takes */
	static const char *const takes[] = {
		[REFCTL_REQUEST_APPROVE] = "b",
		[REFCTL_REQUEST_SCHEDULE] = "d",
		[REFCTL_REQUEST_DECLINE] = "r",
		[REFCTL_REQUEST_CANCEL] = "r",
		[REFCTL_REQUEST_COMPLETE] = "dov",
		[REFCTL_REQUEST_OUTCOME] = "ov",
	};
	const char *name = refctl_request_verb_name(verb);
	struct refctl_request_change ch = REFCTL_REQUEST_CHANGE_INIT;
	struct refctl_write_opts w = REFCTL_WRITE_OPTS_INIT;
	struct refctl_request_result res;
	int c, rc, error;

	ch.verb = verb;
	while ((c = getopt_long(argc, argv, "hm:", opts, NULL)) != -1) {
		if (strchr("bdrov", c) && !strchr(takes[verb], c))
			return verb_usage_error(name, "'request %s' takes no --%s", name,
						c == 'b' ? "by" : c == 'd' ? "date" : c == 'r' ? "reason"
						: c == 'o' ? "outcome" : "value");
		switch (c) {
		case 'b':
			ch.by = optarg;
			break;
		case 'd':
			if (parse_date(name, "--date", optarg, &ch.date))
				return EXIT_USAGE;
			break;
		case 'r':
			ch.reason = optarg;
			break;
		case 'o':
			if (!strcmp(optarg, "won"))
				ch.outcome = REFCTL_OUTCOME_WON;
			else if (!strcmp(optarg, "lost"))
				ch.outcome = REFCTL_OUTCOME_LOST;
			else if (!strcmp(optarg, "open") && verb == REFCTL_REQUEST_COMPLETE)
				ch.outcome = REFCTL_OUTCOME_OPEN;
			else
				return verb_usage_error(name, "--outcome must be %s, not '%s'",
							verb == REFCTL_REQUEST_COMPLETE ? "won, lost or open"
											 : "won or lost",
							optarg);
			break;
		case 'v':
			ch.value = optarg;
			break;
		case 'N':
			w.txn_flags |= REFCTL_TXN_NO_COMMIT;
			break;
		case 'm':
			w.message = optarg;
			break;
		case 'h':
			verb_usage(stdout, name);
			return EXIT_OK;
		default:
			verb_usage(stderr, name);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return verb_usage_error(name, "expected one request id (ADVOCATE/N)");
	if (verb == REFCTL_REQUEST_SCHEDULE && ch.date == REFCTL_DATE_NONE)
		return verb_usage_error(name, "--date is required");
	if ((verb == REFCTL_REQUEST_DECLINE || verb == REFCTL_REQUEST_CANCEL) && !(ch.reason && *ch.reason))
		return verb_usage_error(name, "--reason is required");
	if (verb == REFCTL_REQUEST_OUTCOME && !ch.outcome)
		return verb_usage_error(name, "--outcome is required");
	ch.id = argv[optind];
	ch.today = ctx->today;
	refctl_request_result_init(&res);
	error = refctl_request_change(ctx->store, &ch, &w, &res);
	show_warning(&w);
	if (error < 0) {
		rc = exit_code(error);
		if (error == REFCTL_EUSAGE)
			verb_usage_error(name, "%s", refctl_error_last());
		else
			fail(error);
		goto done;
	}
	rc = EXIT_OK;
	if (!res.changed) {
		fprintf(stderr, "%s: nothing changed\n", res.id);
		goto done;
	}
	switch (verb) {
	case REFCTL_REQUEST_APPROVE:
		printf("%s approved by %s\n", res.id, res.approved_by.ptr);
		break;
	case REFCTL_REQUEST_SCHEDULE: {
		char d[11];
		printf("%s scheduled for %s\n", res.id, refctl_date_format(d, ch.date));
		break;
	}
	case REFCTL_REQUEST_DECLINE:
		printf("%s declined\n", res.id);
		break;
	case REFCTL_REQUEST_CANCEL:
		printf("%s cancelled\n", res.id);
		break;
	case REFCTL_REQUEST_COMPLETE:
	case REFCTL_REQUEST_OUTCOME:
		printf("%s %s", res.id, verb == REFCTL_REQUEST_COMPLETE ? "completed" : "outcome");
		if (res.outcome)
			printf(": %s%s%s", refctl_outcome_name(res.outcome), res.value.size ? " " : "", res.value.ptr);
		else if (res.value.size)
			printf(": value %s", res.value.ptr);
		printf("\n");
		if (res.points) {
			struct refctl_buf adv = REFCTL_BUF_INIT;
			refctl_request_id_parse(res.id, &adv, NULL);
			printf("%s: %ld point%s awarded, balance %ld\n", adv.ptr, res.points,
			       res.points == 1 ? "" : "s", res.balance);
			refctl_buf_release(&adv);
		}
		break;
	}
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
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "open", no_argument, NULL, 'o' },
		{ "advocate", required_argument, NULL, 'a' },
		{ "requester", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct refctl_request_filter f = REFCTL_REQUEST_FILTER_INIT;
	struct refctl_request_items items = REFCTL_REQUEST_ITEMS_INIT;
	enum refctl_format fmt = REFCTL_FORMAT_TABLE;
	struct refctl_buf out = REFCTL_BUF_INIT;
	int c, st, rc, error;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!(st = refctl_req_status_parse(optarg)))
				return verb_usage_error("list",
							"--status must be requested, approved, scheduled, completed, declined or cancelled, not '%s'",
							optarg);
			f.statuses |= 1u << st;
			break;
		case 'o':
			f.statuses |= REFCTL_REQUEST_OPEN_MASK;
			break;
		case 'a':
			f.advocate = optarg;
			break;
		case 'r':
			f.requester = optarg;
			break;
		case 'S':
			if (parse_date("list", "--since", optarg, &f.since))
				return EXIT_USAGE;
			break;
		case 'U':
			if (parse_date("list", "--until", optarg, &f.until))
				return EXIT_USAGE;
			break;
		case 'f':
			if (refctl_format_parse(&fmt, optarg,
						REFCTL_FMT(REFCTL_FORMAT_TABLE) | REFCTL_FMT(REFCTL_FORMAT_TSV) |
						REFCTL_FMT(REFCTL_FORMAT_CSV) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
				return verb_usage_error("list", "%s", refctl_error_last());
			break;
		case 'h':
			verb_usage(stdout, "list");
			return EXIT_OK;
		default:
			verb_usage(stderr, "list");
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return verb_usage_error("list", "unexpected argument '%s'", argv[optind]);
	if ((error = refctl_request_list(ctx->store, &f, &items, warn_bad_file, NULL)) < 0)
		return fail(error);
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
	refctl_request_items_release(&items);
	refctl_buf_release(&out);
	return rc;
}

/* ---- show ---- */

static int request_show(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum refctl_format fmt = REFCTL_FORMAT_YAML;
	struct refctl_request_item it;
	struct refctl_buf out = REFCTL_BUF_INIT;
	int c, rc, error;

	while ((c = getopt_long(argc, argv, "hf:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (refctl_format_parse(&fmt, optarg,
						REFCTL_FMT(REFCTL_FORMAT_YAML) | REFCTL_FMT(REFCTL_FORMAT_JSON)) < 0)
				return verb_usage_error("show", "%s", refctl_error_last());
			break;
		case 'h':
			verb_usage(stdout, "show");
			return EXIT_OK;
		default:
			verb_usage(stderr, "show");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return verb_usage_error("show", "expected one request id (ADVOCATE/N)");
	if ((error = refctl_request_get(ctx->store, argv[optind], &it)) < 0) {
		if (error == REFCTL_EUSAGE)
			return verb_usage_error("show", "%s", refctl_error_last());
		return fail(error);
	}
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

int cmd_request(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct {
		const char *name;
		enum refctl_request_verb verb;
	} transitions[] = {
		{ "approve", REFCTL_REQUEST_APPROVE },   { "schedule", REFCTL_REQUEST_SCHEDULE },
		{ "decline", REFCTL_REQUEST_DECLINE },   { "cancel", REFCTL_REQUEST_CANCEL },
		{ "complete", REFCTL_REQUEST_COMPLETE }, { "outcome", REFCTL_REQUEST_OUTCOME },
	};
	const struct refctl_command *self = find_command("request");
	const char *verb = argc > 1 ? argv[1] : NULL;

	if (!verb)
		return usage_error_cmd(self, "expected a verb: new, approve, schedule, decline, cancel, complete, outcome, list or show");
	if (!strcmp(verb, "-h") || !strcmp(verb, "--help")) {
		print_usage(stdout, self);
		return EXIT_OK;
	}
	if (!strcmp(verb, "new"))
		return request_new(argc - 1, argv + 1, ctx);
	if (!strcmp(verb, "list"))
		return request_list(argc - 1, argv + 1, ctx);
	if (!strcmp(verb, "show"))
		return request_show(argc - 1, argv + 1, ctx);
	for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
		if (!strcmp(verb, transitions[i].name))
			return request_transition(argc - 1, argv + 1, ctx, transitions[i].verb);
	return usage_error_cmd(self, "'%s' is not a request verb (new, approve, schedule, decline, cancel, complete, outcome, list, show)",
			   verb);
}
