/* refctl add: new advocates from flags, or from YAML documents. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "refctl/yaml.h"

/* Flags that map one to one onto schema fields. */
static const struct field_flag {
	const char *flag, *field;
	int list;
} field_flags[] = {
	{ "id", "id", 0 },
	{ "name", "name", 0 },
	{ "company", "company", 0 },
	{ "status", "status", 0 },
	{ "title", "title", 0 },
	{ "email", "email", 0 },
	{ "phone", "phone", 0 },
	{ "account-owner", "account_owner", 0 },
	{ "industry", "industry", 0 },
	{ "region", "region", 0 },
	{ "country", "country", 0 },
	{ "segment", "segment", 0 },
	{ "since", "since", 0 },
	{ "nps", "nps", 0 },
	{ "health", "health", 0 },
	{ "last-contact", "last_contact", 0 },
	{ "notes", "notes", 0 },
	{ "language", "languages", 1 },
	{ "product", "products", 1 },
	{ "use-case", "use_cases", 1 },
	{ "activity", "activities", 1 },
	{ "program", "programs", 1 },
	{ "tag", "tags", 1 },
	{ "consent-until", "consent.until", 0 },
	{ "consent-scope", "consent.scope", 1 },
	{ "per-quarter", "limits.per_quarter", 0 },
	{ "rest-days", "limits.rest_days", 0 },
};
#define NFIELDS (sizeof(field_flags) / sizeof(field_flags[0]))

int cmd_add(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct option opts[NFIELDS + 5];
	const struct refctl_command *self = find_command("add");
	struct refctl_write_opts wopts = REFCTL_WRITE_OPTS_INIT;
	struct refctl_node *root = refctl_node_map();
	struct refctl_yaml_docs docs = { 0 };
	struct refctl_buf input = REFCTL_BUF_INIT;
	const char *file = NULL;
	const char **origins = NULL;
	char **ids = NULL;
	size_t nflags = 0, n = 0;
	int c, idx, rc = EXIT_OK, error;

	for (size_t i = 0; i < NFIELDS; i++)
		opts[i] = (struct option){ field_flags[i].flag, required_argument, NULL, 1000 + (int)i };
	opts[NFIELDS] = (struct option){ "file", required_argument, NULL, 'f' };
	opts[NFIELDS + 1] = (struct option){ "no-commit", no_argument, NULL, 'N' };
	opts[NFIELDS + 2] = (struct option){ "message", required_argument, NULL, 'm' };
	opts[NFIELDS + 3] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[NFIELDS + 4] = (struct option){ NULL, 0, NULL, 0 };

	while ((c = getopt_long(argc, argv, "hf:m:", opts, &idx)) != -1) {
		if (c >= 1000 && c < 1000 + (int)NFIELDS) {
			const struct field_flag *ff = &field_flags[c - 1000];
			if (!ff->list && refctl_node_get(root, ff->field)) {
				rc = usage_error(self, "--%s given twice", ff->flag);
				goto done;
			}
			if ((error = refctl_record_tree_set(root, ff->field, optarg, ff->list)) < 0) {
				rc = fail(error);
				goto done;
			}
			nflags++;
			continue;
		}
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 'N':
			wopts.txn_flags |= REFCTL_TXN_NO_COMMIT;
			break;
		case 'm':
			wopts.message = optarg;
			break;
		case 'h':
			print_usage(stdout, self);
			printf("\nfield flags: ");
			for (size_t i = 0; i < NFIELDS; i++)
				printf("%s--%s%s", i ? ", " : "", field_flags[i].flag,
				       field_flags[i].list ? " (repeatable)" : "");
			printf("\n");
			goto done;
		default:
			print_usage(stderr, self);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	if (optind < argc) {
		rc = usage_error(self, "unexpected argument '%s'", argv[optind]);
		goto done;
	}
	if (file && nflags) {
		rc = usage_error(self, "--file cannot be combined with field flags");
		goto done;
	}
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
		if (!nflags) {
			rc = usage_error(self, "nothing to add: give --name and --company, or --file");
			goto done;
		}
		if (!refctl_node_get(root, "status"))
			refctl_record_tree_set(root, "status", "nominated", 0);
		n = 1;
		error = refctl_advocates_add(ctx->store, &root, &origin, 1, &wopts, &ids);
		root = NULL;
	}
	if (wopts.warning[0])
		warn("%s", wopts.warning);
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
	refctl_node_free(root);
	refctl_buf_release(&input);
	return rc;
}
