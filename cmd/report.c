/* refctl report: the program report for a period, for a terminal, a mail or a web page. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "refctl/report.h"
#include "refctl/report_render.h"

static void left_out(const char *file, const char *error, void *payload)
{
	(void)file;
	(void)payload;
	warn("left out %s", error);
}

/* --month, --quarter, --year: each parsed as given, counted so that two are an error. */
struct report_unit {
	struct refctl_period *period;
	refctl_date today;
	int n;
};

static int parse_unit(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	struct report_unit *u = opt->value;
	int error = opt->defval == 'M' ? refctl_period_month_human(u->period, arg, u->today)
		  : opt->defval == 'Q' ? refctl_period_quarter_human(u->period, arg, u->today)
				       : refctl_period_year_human(u->period, arg, u->today);

	u->n++;
	if (error < 0)
		refctl_buf_puts(err, refctl_error_last());
	return error < 0;
}

static const char *const report_usage[] = {
	"refctl report [--month YYYY-MM | --quarter YYYY-Qn | --year YYYY | --from D --to D]\n"
	"              [--for AUDIENCE] [--program NAME] [--region R]\n"
	"              [--format text|markdown|html|csv|json] [-o FILE] [--top N] [--stamp]",
	"",
	"--for renders the view of one of refctl.yaml's audiences (its title, program",
	"name, sections and headline figures); without it, the full report. --program",
	"and --region keep only the advocates (and so the requests) of that program",
	"or region.",
	"Without a period: the previous calendar month. The previous period of the same",
	"length is shown beside it. -o writes FILE atomically, in the format of its",
	"extension (.txt, .md, .html, .csv, .json) unless --format says otherwise; in",
	"FILE, %Y, %m, %d and %q are the year, month, day and quarter of the period's",
	"first day, %% is %. Dates: YYYY-MM-DD, today, yesterday, Nd, Nw, Nm, Ny (ago).",
	"Cron: 0 6 1 * * refctl -C /srv/refs report --month last -o '/srv/www/refs/\\%Y-\\%m.html'",
	NULL,
};

int cmd_report(int argc, char **argv, struct refctl_ctx *ctx)
{
	const unsigned formats = REFCTL_FMT(REFCTL_FORMAT_TEXT) | REFCTL_FMT(REFCTL_FORMAT_MARKDOWN) |
				 REFCTL_FMT(REFCTL_FORMAT_HTML) | REFCTL_FMT(REFCTL_FORMAT_CSV) |
				 REFCTL_FMT(REFCTL_FORMAT_JSON);
	struct refctl_report_opts ropts = REFCTL_REPORT_OPTS_INIT;
	struct refctl_report *r = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT;
	enum refctl_format fmt = REFCTL_FORMAT_TEXT;
	struct report_unit unit = { &ropts.period, ctx->today, 0 };
	struct refctl_buf path = REFCTL_BUF_INIT;
	const char *from = NULL, *to = NULL, *output = NULL, *format = NULL;
	int rc = EXIT_OK, error, stamp = 0;
	const struct refctl_option options[] = {
		OPT_GROUP("Period (one of)"),
		OPT_CALLBACK_F(0, "month", &unit, "YYYY-MM", "a calendar month, or last or this", parse_unit, 0, 'M'),
		OPT_CALLBACK_F(0, "quarter", &unit, "YYYY-Qn", "a calendar quarter, or last or this", parse_unit, 0, 'Q'),
		OPT_CALLBACK_F(0, "year", &unit, "YYYY", "a calendar year, or last or this", parse_unit, 0, 'Y'),
		OPT_STRING(0, "from", &from, "D", "the first day of the period (with --to)"),
		OPT_STRING(0, "to", &to, "D", "the last day of the period (with --from)"),
		OPT_GROUP("View"),
		OPT_STRING(0, "for", &ropts.audience, "AUDIENCE", "the view of an audience of refctl.yaml"),
		OPT_STRING(0, "program", &ropts.program, "NAME", "only the advocates in this program"),
		OPT_STRING(0, "region", &ropts.region, "R", "only the advocates of this region"),
		OPT_GROUP("Output"),
		OPT_STRING(0, "format", &format, "FMT", "text (default), markdown, html, csv or json"),
		OPT_STRING('o', "output", &output, "FILE", "write FILE atomically instead of stdout (- for stdout); %Y %m %d %q of the period"),
		OPT_INTEGER(0, "top", &ropts.top, "N", "how many advocates the top list shows (default 5)", 0, 1000),
		OPT_BOOL(0, "stamp", &stamp, "add the generation time (UTC)"),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, report_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc > 0)
		return usage_error(ctx, "unexpected argument '%s'", argv[0]);
	if (format && refctl_format_parse(&fmt, format, formats) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	if (output && !strcmp(output, "-"))
		output = NULL; /* -o - is stdout */
	if (stamp)
		ropts.stamp = (int64_t)time(NULL);
	if (unit.n > 1 || (unit.n && (from || to)))
		return usage_error(ctx, "give one period: --month, --quarter, --year or --from and --to");
	if (from || to) {
		if (!from || !to)
			return usage_error(ctx, "--from and --to go together");
		if (refctl_date_parse_human(&ropts.period.from, from, ctx->today) < 0)
			return usage_error(ctx, "--from: %s", refctl_error_last());
		if (refctl_date_parse_human(&ropts.period.to, to, ctx->today) < 0)
			return usage_error(ctx, "--to: %s", refctl_error_last());
		if (ropts.period.from > ropts.period.to)
			return usage_error(ctx, "--from %s is after --to %s", from, to);
	} else if (!unit.n) {
		/* the previous calendar month: run from cron on the first */
		ropts.period.to = refctl_date_month_start(ctx->today) - 1;
		ropts.period.from = refctl_date_month_start(ropts.period.to);
	}
	if (output && !format && refctl_report_format_for(&fmt, output) < 0)
		return usage_error(ctx, "%s", refctl_error_last());
	if (output) {
		/* the file is named after the report's period, not the day it runs */
		if (refctl_period_expand(&path, output, &ropts.period) < 0) {
			refctl_buf_release(&path);
			return usage_error(ctx, "-o: %s", refctl_error_last());
		}
		output = path.ptr;
	}
	ropts.bad = left_out;
	ropts.raw_csv = ctx->raw_csv;
	if ((error = refctl_report_compute(&r, ctx->store, &ropts)) < 0) {
		rc = fail(error);
		goto done;
	}
	if ((error = refctl_report_render(&out, r, fmt)) < 0) {
		rc = fail(error);
		goto done;
	}
	if (output) {
		if ((error = refctl_report_write(output, out.ptr, out.size)) < 0)
			rc = fail(error);
	} else {
		rc = emit(&out);
	}
done:
	refctl_report_free(r);
	refctl_buf_release(&out);
	refctl_buf_release(&path);
	return rc;
}
