/* refctl add: new advocates from flags, or from YAML documents. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "refctl/yaml.h"

/* The flags that set fields come from the schema: one per row with a flag. */
#define MAX_FIELD_FLAGS 64

struct add_state {
	struct refctl_node *root;
	size_t nflags;
	char paths[MAX_FIELD_FLAGS][64];
	const struct refctl_field *fields[MAX_FIELD_FLAGS];
	char help[MAX_FIELD_FLAGS][160];
	char long_names[MAX_FIELD_FLAGS][48];
	size_t n;
};

static int field_flag(const struct refctl_option *opt, const char *arg, struct refctl_buf *err)
{
	struct add_state *st = opt->value;
	const char *path = st->paths[opt->defval];
	int list = refctl_schema_is_list(st->fields[opt->defval]);

	if (!list && refctl_node_get(st->root, path)) {
		refctl_buf_printf(err, "--%s given twice", opt->long_name);
		return -1;
	}
	if (refctl_record_tree_set(st->root, path, arg, list) < 0) {
		refctl_buf_puts(err, refctl_error_last());
		return -1;
	}
	st->nflags++;
	return 0;
}

static int collect_flag(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
			void *payload)
{
	struct add_state *st = payload;
	(void)parent;
	if (!f->flag || st->n >= MAX_FIELD_FLAGS)
		return 0;
	snprintf(st->paths[st->n], sizeof(st->paths[0]), "%s", path);
	snprintf(st->long_names[st->n], sizeof(st->long_names[0]), "%s", f->flag);
	snprintf(st->help[st->n], sizeof(st->help[0]), "%s%s", f->help ? f->help : path,
		 refctl_schema_is_list(f) ? " (repeatable)" : "");
	st->fields[st->n++] = f;
	return 0;
}

static const char *const add_usage[] = {
	"refctl add --name NAME --company COMPANY [--id ID] [--status S] [FIELD FLAGS...]\n"
	"           [--no-commit] [-m TEXT]",
	"refctl add --file FILE|- [--no-commit] [-m TEXT]",
	"",
	"A field left out is absent; status defaults to nominated. The id is derived",
	"from name and company unless --id gives one. Prints the new advocate's id.",
	NULL,
};

int cmd_add(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct add_state *st = calloc(1, sizeof(*st));
	struct refctl_option *options = NULL;
	struct refctl_write_opts wopts = CMD_WRITE_OPTS_INIT;
	struct refctl_yaml_docs docs = { 0 };
	struct refctl_buf input = REFCTL_BUF_INIT;
	const char *file = NULL;
	const char **origins = NULL;
	char **ids = NULL;
	size_t n = 0, k = 0;
	int no_commit = 0, rc = EXIT_OK, error;

	if (!st) {
		fputs("fatal: out of memory\n", stderr);
		abort();
	}
	st->root = refctl_node_map();
	refctl_schema_foreach(collect_flag, st);
	options = calloc(st->n + 6, sizeof(*options));
	if (!options) {
		fputs("fatal: out of memory\n", stderr);
		abort();
	}
	options[k++] = (struct refctl_option)OPT_GROUP("Fields (see refctl-schema(5)):");
	for (size_t i = 0; i < st->n; i++)
		options[k++] = (struct refctl_option)OPT_CALLBACK_F(0, st->long_names[i], st,
								    st->fields[i]->argh ? st->fields[i]->argh : "VALUE",
								    st->help[i], field_flag, 0, (intptr_t)i);
	options[k++] = (struct refctl_option)OPT_GROUP("Input and commit:");
	options[k++] = (struct refctl_option)OPT_STRING('f', "file", &file, "FILE|-", "advocates as YAML documents");
	options[k++] = (struct refctl_option)OPT_BOOL(0, "no-commit", &no_commit, "write the files, leave committing to you");
	options[k++] = (struct refctl_option)OPT_STRING('m', "message", &wopts.message, "TEXT", "the commit message body");
	options[k] = (struct refctl_option)OPT_END();

	if ((rc = parse_options(ctx, argc, argv, options, add_usage, 0)) < 0) {
		rc = PARSE_OPT_EXIT(rc);
		goto done;
	}
	argc = rc;
	rc = EXIT_OK;
	if (argc > 0) {
		rc = usage_error(ctx, "unexpected argument '%s'", argv[0]);
		goto done;
	}
	if (file && st->nflags) {
		rc = usage_error(ctx, "--file cannot be combined with field flags");
		goto done;
	}
	if (no_commit)
		wopts.txn_flags |= REFCTL_TXN_NO_COMMIT;
	if (file) {
		const char *name = strcmp(file, "-") ? file : "<stdin>";
		if ((rc = read_input(&input, file, "the input", 64u * 1024 * 1024)) != EXIT_OK)
			goto done;
		if ((error = refctl_yaml_load(&docs, name, input.ptr, input.size, REFCTL_YAML_MULTI)) < 0) {
			rc = fail(error);
			goto done;
		}
		if (docs.comment_line) {
			error_msg("%s:%u: comment would be lost; move it into notes:", name, docs.comment_line);
			rc = EXIT_USAGE;
			goto done;
		}
		if (!docs.n) {
			error_msg("%s: no advocate in the input", name);
			rc = EXIT_USAGE;
			goto done;
		}
		origins = calloc(docs.n, sizeof(*origins));
		for (size_t i = 0; i < docs.n; i++)
			origins[i] = name;
		n = docs.n;
		error = refctl_advocates_add(ctx->store, docs.v, origins, n, &wopts, &ids);
		docs.n = 0;
	} else {
		const char *origin = "command line";
		if (!st->nflags) {
			rc = usage_error(ctx, "nothing to add: give --name and --company, or --file");
			goto done;
		}
		refctl_record_tree_defaults(st->root);
		n = 1;
		error = refctl_advocates_add(ctx->store, &st->root, &origin, 1, &wopts, &ids);
		st->root = NULL;
	}
	if (error < 0) {
		rc = fail(error);
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		printf("%s\n", ids[i]);
done:
	refctl_store_list_free(ids, ids ? n : 0);
	free(origins);
	refctl_yaml_docs_release(&docs);
	refctl_node_free(st->root);
	refctl_buf_release(&input);
	free(options);
	free(st);
	return rc;
}
