/* refctl set and refctl unset: change fields of one advocate and commit. */
#include <string.h>

#include "cmd.h"

/* Shared by set and unset: the same options, a different verb. */
static int set_or_unset(int argc, char **argv, struct refctl_ctx *ctx, int unset)
{
	struct refctl_write_opts wopts = CMD_WRITE_OPTS_INIT;
	struct refctl_buf fields = REFCTL_BUF_INIT, prose = REFCTL_BUF_INIT;
	int no_commit = 0, changed, error, rc;
	const struct refctl_option options[] = {
		OPT_WRITE(&no_commit, &wopts.message),
		OPT_END(),
	};
	const char *usage[] = {
		unset ? "refctl unset [--no-commit] [-m TEXT] ID FIELD..."
		      : "refctl set [--no-commit] [-m TEXT] ID FIELD=VALUE...",
		"",
		NULL,
		unset ? NULL : "List fields take comma-separated values: products=analytics,billing;\n"
			       "an empty value (products=) removes the field.",
		NULL,
	};

	refctl_record_settable_fields(&fields);
	refctl_buf_puts(&prose, "Fields:");
	for (size_t line = 0, i = 0; i < fields.size;) {
		size_t len = strcspn(fields.ptr + i, ",");
		if (prose.size - line + len + 1 > 78) {
			refctl_buf_puts(&prose, "\n ");
			line = prose.size - 1;
		}
		refctl_buf_printf(&prose, " %.*s", (int)len, fields.ptr + i);
		i += len + 1;
	}
	usage[2] = prose.ptr;
	rc = parse_options(ctx, argc, argv, options, usage, 0);
	if (rc < 0)
		goto done;
	argc = rc;
	if (argc < 2) {
		rc = usage_error(ctx, "expected an advocate id and at least one %s",
				 unset ? "FIELD" : "FIELD=VALUE");
		goto done;
	}
	if (no_commit)
		wopts.txn_flags |= REFCTL_TXN_NO_COMMIT;
	if ((rc = resolve_advocate(ctx, argv[0], &fields)) != EXIT_OK)
		goto done;
	error = refctl_advocate_edit(ctx->store, fields.ptr, (const char *const *)argv + 1, (size_t)(argc - 1),
				     unset, &wopts, &changed);
	if (error < 0) {
		rc = fail(error);
		goto done;
	}
	if (!changed)
		fprintf(stderr, "%s: nothing changed\n", fields.ptr);
	rc = EXIT_OK;
done:
	refctl_buf_release(&fields);
	refctl_buf_release(&prose);
	return rc < 0 ? PARSE_OPT_EXIT(rc) : rc;
}

int cmd_set(int argc, char **argv, struct refctl_ctx *ctx)
{
	return set_or_unset(argc, argv, ctx, 0);
}

int cmd_unset(int argc, char **argv, struct refctl_ctx *ctx)
{
	return set_or_unset(argc, argv, ctx, 1);
}
