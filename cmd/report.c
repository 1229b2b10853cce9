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

int cmd_report(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'M' },
		{ "quarter", required_argument, NULL, 'Q' },
		{ "year", required_argument, NULL, 'Y' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "top", required_argument, NULL, 'n' },
		{ "stamp", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const unsigned formats = REFCTL_FMT(REFCTL_FORMAT_TEXT) | REFCTL_FMT(REFCTL_FORMAT_MARKDOWN) |
				 REFCTL_FMT(REFCTL_FORMAT_HTML) | REFCTL_FMT(REFCTL_FORMAT_CSV) |
				 REFCTL_FMT(REFCTL_FORMAT_JSON);
	const struct refctl_command *self = find_command("report");
	struct refctl_report_opts ropts = REFCTL_REPORT_OPTS_INIT;
	struct refctl_report *r = NULL;
	struct refctl_buf out = REFCTL_BUF_INIT;
	enum refctl_format fmt = REFCTL_FORMAT_TEXT;
	const char *from = NULL, *to = NULL, *output = NULL;
	int c, rc = EXIT_OK, error, have_format = 0, nunits = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'M':
		case 'Q':
		case 'Y':
			nunits++;
			error = c == 'M' ? refctl_period_month(&ropts.period, optarg)
			      : c == 'Q' ? refctl_period_quarter(&ropts.period, optarg)
					 : refctl_period_year(&ropts.period, optarg);
			if (error < 0)
				return usage_error_cmd(self, "%s", refctl_error_last());
			break;
		case 'F':
			from = optarg;
			break;
		case 'T':
			to = optarg;
			break;
		case 'f':
			if (refctl_format_parse(&fmt, optarg, formats) < 0)
				return usage_error_cmd(self, "%s", refctl_error_last());
			have_format = 1;
			break;
		case 'o':
			output = strcmp(optarg, "-") ? optarg : NULL; /* -o - is stdout */
			break;
		case 'n':
			errno = 0;
			ropts.top = (int)strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || ropts.top < 0 || ropts.top > 1000)
				return usage_error_cmd(self, "--top must be a whole number from 0 to 1000, not '%s'", optarg);
			break;
		case 's':
			ropts.stamp = (int64_t)time(NULL);
			break;
		case 'h':
			print_usage(stdout, self);
			return EXIT_OK;
		default:
			print_usage(stderr, self);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error_cmd(self, "unexpected argument '%s'", argv[optind]);
	if (nunits > 1 || (nunits && (from || to)))
		return usage_error_cmd(self, "give one period: --month, --quarter, --year or --from and --to");
	if (from || to) {
		if (!from || !to)
			return usage_error_cmd(self, "--from and --to go together");
		if (refctl_date_parse(&ropts.period.from, from) < 0)
			return usage_error_cmd(self, "--from must be a date YYYY-MM-DD, not '%s'", from);
		if (refctl_date_parse(&ropts.period.to, to) < 0)
			return usage_error_cmd(self, "--to must be a date YYYY-MM-DD, not '%s'", to);
		if (ropts.period.from > ropts.period.to)
			return usage_error_cmd(self, "--from %s is after --to %s", from, to);
	} else if (!nunits) {
		/* the previous calendar month: run from cron on the first */
		ropts.period.to = refctl_date_month_start(ctx->today) - 1;
		ropts.period.from = refctl_date_month_start(ropts.period.to);
	}
	if (output && !have_format && refctl_report_format_for(&fmt, output) < 0)
		return usage_error_cmd(self, "%s", refctl_error_last());
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
	return rc;
}
