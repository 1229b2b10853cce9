/* refctl set and refctl unset: change fields of one advocate and commit. */
#include <string.h>

#include "cmd.h"

/* Advocate ids, one a line, from standard input (refctl list --format ids | refctl set - -- ...). */
static int read_ids(struct refctl_ctx *ctx, struct refctl_strvec *ids)
{
	struct refctl_buf in = REFCTL_BUF_INIT, id = REFCTL_BUF_INIT;
	int rc;

	if ((rc = read_input(&in, "-", "the list of ids", 64u * 1024 * 1024)) != EXIT_OK)
		goto done;
	for (char *p = in.ptr, *nl; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p && (rc = resolve_advocate(ctx, p, &id)) != EXIT_OK)
			goto done;
		if (*p)
			refctl_strvec_push(ids, strdup(id.ptr));
		if (!nl)
			break;
	}
	rc = EXIT_OK;
done:
	refctl_buf_release(&in);
	refctl_buf_release(&id);
	return rc;
}

/* Shared by set and unset: the same options, a different verb. */
static int set_or_unset(int argc, char **argv, struct refctl_ctx *ctx, int unset)
{
	struct refctl_write_opts wopts = CMD_WRITE_OPTS_INIT;
	struct refctl_buf fields = REFCTL_BUF_INIT, prose = REFCTL_BUF_INIT;
	struct refctl_strvec ids = REFCTL_STRVEC_INIT;
	const char *const *args;
	size_t nids, nargs, changed;
	int no_commit = 0, dashdash = -1, error, rc;
	const struct refctl_option options[] = {
		OPT_WRITE(&no_commit, &wopts.message),
		OPT_END(),
	};
	const char *usage[] = {
		unset ? "refctl unset [--no-commit] [-m TEXT] ID FIELD..."
		      : "refctl set [--no-commit] [-m TEXT] ID FIELD=VALUE...",
		unset ? "refctl unset [--no-commit] [-m TEXT] ID... -- FIELD..."
		      : "refctl set [--no-commit] [-m TEXT] ID... -- FIELD=VALUE...",
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
	rc = parse_options(ctx, argc, argv, options, usage, PARSE_OPT_KEEP_DASHDASH);
	if (rc < 0)
		goto done;
	argc = rc;
	/* ID FIELD=VALUE..., or ID... -- FIELD=VALUE..., or - (ids on stdin) -- ... */
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dashdash = i;
			break;
		}
	nids = dashdash >= 0 ? (size_t)dashdash : (argc > 0 ? 1 : 0);
	nargs = dashdash >= 0 ? (size_t)(argc - dashdash - 1) : (argc > 0 ? (size_t)argc - 1 : 0);
	args = (const char *const *)argv + (dashdash >= 0 ? dashdash + 1 : 1);
	if (!nids || !nargs) {
		rc = usage_error(ctx, "expected an advocate id and at least one %s",
				 unset ? "FIELD" : "FIELD=VALUE");
		goto done;
	}
	if (no_commit)
		wopts.txn_flags |= REFCTL_TXN_NO_COMMIT;
	for (size_t i = 0; i < nids; i++) {
		if (!strcmp(argv[i], "-")) {
			if ((rc = read_ids(ctx, &ids)) != EXIT_OK)
				goto done;
			continue;
		}
		if ((rc = resolve_advocate(ctx, argv[i], &fields)) != EXIT_OK)
			goto done;
		refctl_strvec_push(&ids, strdup(fields.ptr));
	}
	if (!ids.n) {
		rc = usage_error(ctx, "no advocate ids on standard input");
		goto done;
	}
	error = refctl_advocates_edit(ctx->store, ids.v, ids.n, args, nargs, unset, &wopts, &changed);
	if (error < 0) {
		rc = fail(error);
		goto done;
	}
	if (!changed)
		fprintf(stderr, "%s: nothing changed\n", ids.n == 1 ? ids.v[0] : "advocates");
	else if (ids.n > 1)
		fprintf(stderr, "%zu of %zu advocates changed\n", changed, ids.n);
	rc = EXIT_OK;
done:
	for (size_t i = 0; i < ids.n; i++)
		free((char *)ids.v[i]);
	refctl_strvec_clear(&ids);
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
