/* refctl fsck: HEAD, the index and the work tree on refctl's own paths,
 * and what a writer that died left; --repair puts them right. */
#include "cmd.h"
#include "refctl/fsck.h"

int cmd_fsck(int argc, char **argv, struct refctl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "repair", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct refctl_command *self = find_command("fsck");
	struct refctl_fsck_opts fopts = REFCTL_FSCK_OPTS_INIT;
	struct refctl_fsck_result res = REFCTL_FSCK_RESULT_INIT;
	struct refctl_buf out = REFCTL_BUF_INIT;
	int c, rc, error;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			fopts.repair = 1;
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
	if ((error = refctl_fsck(&res, ctx->store, &fopts)) < 0) {
		rc = fail(error);
		goto done;
	}
	for (size_t i = 0; i < res.n; i++) {
		refctl_buf_puts(&out, res.v[i].what);
		if (fopts.repair)
			refctl_buf_printf(&out, ": %s", res.v[i].done ? res.v[i].done : "not repaired");
		refctl_buf_putc(&out, '\n');
	}
	rc = emit(&out);
	fprintf(stderr, "%zu path%s checked: %zu problem%s", res.paths, res.paths == 1 ? "" : "s", res.n,
		res.n == 1 ? "" : "s");
	if (fopts.repair)
		fprintf(stderr, ", %zu repaired\n", res.n - res.unrepaired);
	else
		fprintf(stderr, "%s\n", res.n ? " (run 'refctl fsck --repair')" : "");
	if (rc == EXIT_OK && (fopts.repair ? res.unrepaired : res.n))
		rc = EXIT_NOTHING;
done:
	refctl_fsck_result_release(&res);
	refctl_buf_release(&out);
	return rc;
}
