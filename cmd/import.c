/* refctl import: advocates from a CRM export or an NPS survey (CSV), one commit. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "refctl/csv.h"
#include "refctl/import.h"

static const char *const import_usage[] = {
	"refctl import [--rules RULES] [--dry-run] [--skip-invalid] [--nominate]\n"
	"              [--no-commit] [-m TEXT] FILE|-",
	"",
	"Adds the rows whose key finds no advocate and updates the fields the rules\n"
	"own of those it finds, in one commit; a re-import changes nothing. Without\n"
	"--rules the header names refctl's fields as 'refctl export' writes them, and\n"
	"the key is id, else crm_id, else email. Invalid rows are listed as\n"
	"FILE:ROW:COLUMN and stop the import (exit 2) unless --skip-invalid. The\n"
	"rules' keys are in the README (\"import, export\"), with examples for\n"
	"Salesforce, HubSpot and NPS surveys.",
	NULL,
};

/* At most max bytes of FILE or standard input, and one more to tell it is longer. */
static int read_limited(struct refctl_buf *out, const char *file, size_t max)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	char chunk[65536];
	size_t n;

	if (!f) {
		error_msg("cannot open '%s': %s", file, strerror(errno));
		return EXIT_USAGE;
	}
	while (out->size <= max && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		refctl_buf_put(out, chunk, n);
	if (ferror(f)) {
		error_msg("cannot read %s: %s", f == stdin ? "<stdin>" : file, strerror(errno));
		if (f != stdin)
			fclose(f);
		return EXIT_USAGE;
	}
	if (f != stdin)
		fclose(f);
	return EXIT_OK;
}

/* A value on one line, as the terminal can show it. */
static void put_value(struct refctl_buf *out, const char *s)
{
	if (s)
		refctl_text_escape(out, s, 0);
	else
		refctl_buf_puts(out, "(none)");
}

static void put_errors(struct refctl_buf *out, const char *prefix, const char *errors)
{
	for (const char *p = errors; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, n);
		refctl_buf_puts(out, prefix);
		refctl_text_escape(out, line, 0);
		refctl_buf_putc(out, '\n');
		free(line);
		p += n + (nl != NULL);
	}
}

/* Each error line of a row to standard error, as a warning or an error. */
static void report_errors(const char *errors, int skipped)
{
	for (const char *p = errors; *p;) {
		const char *nl = strchr(p, '\n');
		int n = (int)(nl ? (size_t)(nl - p) : strlen(p));
		if (skipped)
			warn("%.*s (row skipped)", n, p);
		else
			error_msg("%.*s", n, p);
		p += n + (nl != NULL);
	}
}

/* The dry run: what each row would do. */
static void plan_text(struct refctl_buf *out, const struct refctl_import_result *res)
{
	char d[11], e[11];

	for (size_t i = 0; i < res->nrows; i++) {
		const struct refctl_import_row *o = &res->rows[i];
		switch (o->action) {
		case REFCTL_IMPORT_ADD:
		case REFCTL_IMPORT_UPDATE:
			refctl_buf_printf(out, "%s %s (row %u)\n", o->action == REFCTL_IMPORT_ADD ? "add" : "update",
					  o->id, o->row);
			for (size_t c = 0; c < o->nchanges; c++) {
				refctl_buf_printf(out, "    %s: ", o->changes[c].field);
				if (o->action == REFCTL_IMPORT_UPDATE) {
					put_value(out, o->changes[c].old_value);
					refctl_buf_puts(out, " -> ");
				}
				put_value(out, o->changes[c].new_value);
				refctl_buf_putc(out, '\n');
			}
			break;
		case REFCTL_IMPORT_UNCHANGED:
			refctl_buf_printf(out, "unchanged %s (row %u)\n", o->id, o->row);
			break;
		case REFCTL_IMPORT_INVALID:
			put_errors(out, "invalid ", o->errors);
			break;
		case REFCTL_IMPORT_OLDER:
			if (o->newer_row)
				refctl_buf_printf(out, "older %s (row %u): row %u has a newer answer\n",
						  o->id ? o->id : o->key, o->row, o->newer_row);
			else
				refctl_buf_printf(out, "older %s (row %u): answered %s, before the last contact %s\n",
						  o->id, o->row, refctl_date_format(d, o->date),
						  refctl_date_format(e, o->last_contact));
			break;
		case REFCTL_IMPORT_UNKNOWN:
			refctl_buf_printf(out, "unknown %s (row %u): nps %d, not in the roster\n", o->key, o->row, o->nps);
			break;
		}
	}
}

/* NPS: the detractors among active advocates, the promoters nobody knows. */
static void nps_text(struct refctl_buf *out, const struct refctl_import_result *res, int nominate)
{
	char d[11];
	size_t n = 0;

	for (size_t i = 0; i < res->nrows; i++)
		n += res->rows[i].detractor;
	if (n) {
		refctl_buf_printf(out, "detractors among active advocates (nps 0 to 6): %zu\n", n);
		for (size_t i = 0; i < res->nrows; i++)
			if (res->rows[i].detractor)
				refctl_buf_printf(out, "  %s  nps %d  %s  (row %u)\n", res->rows[i].id, res->rows[i].nps,
						  refctl_date_format(d, res->rows[i].date), res->rows[i].row);
	}
	n = 0;
	for (size_t i = 0; i < res->nrows; i++)
		n += res->rows[i].action == REFCTL_IMPORT_UNKNOWN && res->rows[i].nps >= 9;
	if (n && !nominate) {
		refctl_buf_printf(out, "promoters not in the roster (nps 9 or 10; --nominate adds them): %zu\n", n);
		for (size_t i = 0; i < res->nrows; i++)
			if (res->rows[i].action == REFCTL_IMPORT_UNKNOWN && res->rows[i].nps >= 9)
				refctl_buf_printf(out, "  %s  nps %d  %s  (row %u)\n", res->rows[i].key, res->rows[i].nps,
						  refctl_date_format(d, res->rows[i].date), res->rows[i].row);
	}
}

static void summary(struct refctl_buf *out, const struct refctl_import_result *res, const char *verb,
		    const char *name, int skipped)
{
	refctl_buf_printf(out, "%s %s: %zu added, %zu updated, %zu unchanged", verb, name, res->added, res->updated,
			  res->unchanged);
	if (res->kind == REFCTL_RULES_NPS)
		refctl_buf_printf(out, ", %zu older, %zu not in the roster", res->older, res->unknown);
	if (res->invalid)
		refctl_buf_printf(out, ", %zu %s", res->invalid, skipped ? "skipped" : "invalid");
}

int cmd_import(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_import_opts opts = REFCTL_IMPORT_OPTS_INIT;
	struct refctl_write_opts wopts = CMD_WRITE_OPTS_INIT;
	struct refctl_import_result *res = NULL;
	struct refctl_buf input = REFCTL_BUF_INIT, rules_text = REFCTL_BUF_INIT, out = REFCTL_BUF_INIT;
	const char *rules_file = NULL, *name;
	int no_commit = 0, rc, error;
	const struct refctl_option options[] = {
		OPT_STRING(0, "rules", &rules_file, "RULES", "the rules file (YAML): columns to fields, key, values"),
		OPT_BOOL(0, "dry-run", &opts.dry_run, "show what each row would do; write nothing"),
		OPT_BOOL(0, "skip-invalid", &opts.skip_invalid, "import the valid rows and list the others"),
		OPT_BOOL(0, "nominate", &opts.nominate, "NPS: add promoters who are not advocates, as nominated"),
		OPT_WRITE(&no_commit, &opts.write.message),
		OPT_END(),
	};

	if ((rc = parse_options(ctx, argc, argv, options, import_usage, 0)) < 0)
		return PARSE_OPT_EXIT(rc);
	argc = rc;
	if (argc != 1) {
		rc = argc ? usage_error(ctx, "expected one FILE, not %d", argc)
			  : usage_error(ctx, "expected a FILE (or - for standard input)");
		goto done;
	}
	name = strcmp(argv[0], "-") ? argv[0] : "<stdin>";
	wopts.message = opts.write.message;
	opts.write = wopts;
	opts.raw_csv = ctx->raw_csv;
	if (no_commit)
		opts.write.txn_flags |= REFCTL_TXN_NO_COMMIT;
	if (rules_file) {
		if ((rc = read_input(&rules_text, rules_file, "the rules file", 1024 * 1024)) != EXIT_OK)
			goto done;
		if ((error = refctl_rules_parse(&opts.rules, rules_file, rules_text.ptr, rules_text.size)) < 0) {
			rc = fail(error);
			goto done;
		}
	}
	if ((rc = read_limited(&input, argv[0], REFCTL_CSV_MAX_SIZE)) != EXIT_OK)
		goto done;
	error = refctl_import(&res, ctx->store, name, input.ptr, input.size, &opts);
	if (!res) {
		rc = fail(error);
		goto done;
	}
	if (opts.dry_run) {
		plan_text(&out, res);
		if (res->kind == REFCTL_RULES_NPS)
			nps_text(&out, res, opts.nominate);
		summary(&out, res, "dry run of", name, opts.skip_invalid);
		refctl_buf_puts(&out, "; nothing written\n");
		rc = emit(&out);
	} else {
		for (size_t i = 0; i < res->nrows; i++)
			if (res->rows[i].action == REFCTL_IMPORT_INVALID)
				report_errors(res->rows[i].errors, error >= 0);
		if (error >= 0) {
			if (res->kind == REFCTL_RULES_NPS)
				nps_text(&out, res, opts.nominate);
			summary(&out, res, "imported", name, 1);
			refctl_buf_puts(&out, res->committed ? "\n" : "; nothing to commit\n");
			rc = emit(&out);
		}
	}
	if (error < 0) {
		if (error == REFCTL_EINVALID)
			error_msg("%s: %zu invalid row%s; nothing imported (--skip-invalid imports the others)", name,
				  res->invalid, res->invalid == 1 ? "" : "s");
		else
			error_msg("%s", refctl_error_last());
		rc = exit_code(error);
	}
done:
	refctl_import_result_free(res);
	refctl_rules_free(opts.rules);
	refctl_buf_release(&input);
	refctl_buf_release(&rules_text);
	refctl_buf_release(&out);
	return rc;
}
