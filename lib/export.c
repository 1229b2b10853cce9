/* refctl export: every field of the advocates as CSV, TSV or JSON, for import to read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/csv.h"
#include "refctl/export.h"
#include "util.h"

struct exp {
	const struct refctl_export_opts *opts;
	struct refctl_rules *r;
	struct refctl_table *table;
	json_t *json;
	size_t count;
	struct refctl_buf value, back;
	struct refctl_buf *out; /* TSV rows go straight here */
	int error;
};

/* A field's value as rules see it: a list's items each followed by '\n'. */
static void field_text(struct refctl_buf *out, const struct refctl_field *f, const void *base)
{
	refctl_buf_clear(out);
	if (f->storage == REFCTL_STORE_STRLIST) {
		const struct refctl_strlist *l = (const struct refctl_strlist *)((const char *)base + f->off);
		for (size_t i = 0; i < l->n; i++) {
			refctl_buf_puts(out, l->v[i]);
			refctl_buf_putc(out, '\n');
		}
		return;
	}
	refctl_schema_value_text(out, f, base);
}

/*
 * The CSV writer (refctl_table_render_opts) puts a ' before a cell a
 * spreadsheet would run as a formula (refctl_csv_is_formula), and import
 * takes exactly one ' off a cell whose text after its leading quotes is
 * such a formula. So a cell that already starts with ' before such text
 * needs one ' more here, or import would take its own off. TSV, written
 * here, gets the writer's ' too.
 */
static char *guarded(const char *s, int raw, int all)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	const char *t = s;

	while (*t == '\'')
		t++;
	if (!raw && (all || t != s) && refctl_csv_is_formula(t))
		refctl_buf_putc(&b, '\'');
	refctl_buf_puts(&b, s);
	return refctl_buf_detach(&b);
}

/* RFC 4180 with a tab between cells: what spreadsheets read as tab-separated text. */
static void put_tsv_row(struct refctl_buf *out, const char *const *cells, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const char *s = cells[k];
		size_t len = strlen(s);
		if (k)
			refctl_buf_putc(out, '\t');
		if (!strpbrk(s, "\t\"\r\n") && !(len && (s[0] == ' ' || s[len - 1] == ' '))) {
			refctl_buf_puts(out, s);
			continue;
		}
		refctl_buf_putc(out, '"');
		for (; *s; s++) {
			if (*s == '"')
				refctl_buf_putc(out, '"');
			refctl_buf_putc(out, *s);
		}
		refctl_buf_putc(out, '"');
	}
	refctl_buf_putc(out, '\n');
}

static int fail_at(struct exp *e, const struct refctl_record *rec, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct exp *e, const struct refctl_record *rec, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	e->error = refctl__verror_at(REFCTL_EINVALID, rec->file, 0, 0, fmt, ap);
	va_end(ap);
	return e->error;
}

static int visit(const struct refctl_record *rec, void *payload)
{
	struct exp *e = payload;
	struct refctl_rules *r = e->r;
	char **cells;
	int error = 0;

	if (e->opts->filter && !refctl_filter_match(e->opts->filter, &rec->a))
		return 0;
	e->count++;
	if (e->json && !e->opts->rules) {
		json_t *j = refctl_record_to_json((struct refctl_record *)rec);
		if (!j)
			return REFCTL_EIO; /* the file went away while exported: the last error says so */
		json_array_append_new(e->json, j);
		return 0;
	}
	cells = refctl__calloc(r->ncolumns + 1, sizeof(*cells));
	for (size_t i = 0; i < r->n && !error; i++) {
		field_text(&e->value, r->v[i].field, &rec->a);
		if (refctl_rules_cells(cells, r, &r->v[i], e->value.ptr) < 0)
			error = fail_at(e, rec, "%s", refctl_error_last_message());
	}
	for (size_t k = 0; k < r->ncolumns; k++)
		if (!cells[k])
			cells[k] = refctl__strdup("");
	/* what import would read back must be the value itself */
	for (size_t i = 0; i < r->n && !error; i++) {
		unsigned col;
		field_text(&e->value, r->v[i].field, &rec->a);
		refctl_rules_value(&e->back, &col, r, &r->v[i], (const char *const *)cells);
		if (strcmp(e->value.ptr, e->back.ptr))
			error = fail_at(e, rec,
					"%s would not come back the same from the export (import would read '%s' for '%s'); check the rules' values and templates for %s",
					r->v[i].path, e->back.ptr, e->value.ptr, r->v[i].path);
	}
	if (!error && e->json) {
		json_t *o = json_object();
		for (size_t k = 0; k < r->ncolumns; k++)
			json_object_set_new(o, r->columns[k], json_string(cells[k]));
		json_array_append_new(e->json, o);
	} else if (!error) {
		for (size_t k = 0; k < r->ncolumns; k++) {
			char *g = guarded(cells[k], e->opts->raw_csv, e->table == NULL);
			free(cells[k]);
			cells[k] = g;
		}
		if (e->table)
			refctl_table_add(e->table, (const char *const *)cells);
		else
			put_tsv_row(e->out, (const char *const *)cells, r->ncolumns);
	}
	for (size_t k = 0; k < r->ncolumns; k++)
		free(cells[k]);
	free(cells);
	return error;
}

static void bad_file(const char *file, const char *error, void *payload)
{
	struct exp *e = payload;
	(void)file;
	if (!e->error)
		e->error = refctl__error(REFCTL_EINVALID, "%s (run 'refctl check'; an export leaves no advocate out)",
					 error);
}

/* Without rules: one column per field that fits a cell, as import reads them. */
static int add_column(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
		      void *payload)
{
	struct refctl_buf *names = payload;
	(void)parent;
	if ((f->flags & REFCTL_FIELD_COLUMN) && f->type != REFCTL_TYPE_MAP && f->type != REFCTL_TYPE_MAP_LIST)
		refctl_buf_printf(names, "%s%c", path, '\0');
	return 0;
}

static int own_rules(struct refctl_rules **out)
{
	struct refctl_buf names = REFCTL_BUF_INIT;
	struct refctl_csv_row header = { 0, 0, NULL };
	const char **cells = NULL;
	size_t n = 0;
	int error;

	refctl_schema_foreach(add_column, &names);
	for (size_t i = 0; i < names.size; i += strlen(names.ptr + i) + 1) {
		cells = refctl__realloc(cells, (n + 1) * sizeof(*cells));
		cells[n++] = names.ptr + i;
	}
	header.row = 1;
	header.n = n;
	header.cells = cells;
	error = refctl_rules_from_header(out, "export", &header);
	free(cells);
	refctl_buf_release(&names);
	return error;
}

int refctl_export(struct refctl_buf *out, struct refctl_store *s, const struct refctl_export_opts *opts,
		  size_t *count)
{
	struct exp e;
	struct refctl_rules *own = NULL;
	struct refctl_csv_row header = { 1, 0, NULL };
	struct refctl_render_opts render = REFCTL_RENDER_OPTS_INIT;
	int error;

	memset(&e, 0, sizeof(e));
	refctl_buf_init(&e.value);
	refctl_buf_init(&e.back);
	e.opts = opts;
	render.raw_csv = opts->raw_csv;
	if (!opts->rules && (error = own_rules(&own)) < 0)
		return error;
	e.r = opts->rules ? opts->rules : own;
	header.n = e.r->ncolumns;
	header.cells = (const char **)e.r->columns;
	if ((error = refctl_rules_bind(e.r, "export", &header)) < 0)
		goto done;
	e.out = out;
	if (opts->format == REFCTL_FORMAT_JSON)
		e.json = json_array();
	else if (opts->format == REFCTL_FORMAT_TSV)
		put_tsv_row(out, (const char *const *)e.r->columns, e.r->ncolumns);
	else
		e.table = refctl_table_new(e.r->ncolumns, (const char *const *)e.r->columns);
	if ((error = refctl_store_foreach(s, visit, bad_file, &e)) < 0)
		goto done;
	if ((error = e.error) < 0)
		goto done;
	if (e.json)
		refctl_json_dump(out, e.json);
	else if (e.table)
		refctl_table_render_opts(out, e.table, REFCTL_FORMAT_CSV, &render);
	if (count)
		*count = e.count;
done:
	json_decref(e.json);
	refctl_table_free(e.table);
	refctl_rules_free(own);
	refctl_buf_release(&e.value);
	refctl_buf_release(&e.back);
	return error;
}
