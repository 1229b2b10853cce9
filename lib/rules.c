/*
 * Import rules: parsing and checking a rules file, the rules a header
 * makes without one, binding them to a header, and turning a row's cells
 * into a field's value (and back, for export). See include/refctl/rules.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "refctl/record.h"
#include "refctl/rules.h"
#include "util.h"

static const char *const top_keys[] = {
	"kind", "delimiter", "encoding", "date_format", "separator", "empty", "key", "fields", "values",
	"defaults", "owns", NULL,
};

static void rule_release(struct refctl_rule *rule)
{
	for (size_t k = 0; k < rule->ncols; k++)
		free(rule->cols[k]);
	for (size_t k = 0; rule->lits && k <= rule->ncols; k++)
		free(rule->lits[k]);
	for (size_t k = 0; k < rule->nmap; k++) {
		free(rule->map[k].from);
		free(rule->map[k].to);
	}
	free(rule->cols);
	free(rule->lits);
	free(rule->idx);
	free(rule->map);
	free(rule->source);
}

void refctl_rules_free(struct refctl_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		rule_release(&r->v[i]);
	for (size_t i = 0; i < r->ncolumns; i++)
		free(r->columns[i]);
	free(r->columns);
	free(r->v);
	refctl_node_free(r->defaults);
	free(r->file);
	free(r->encoding);
	free(r->date_format);
	free(r->separator);
	free(r);
}

static struct refctl_rules *rules_new(const char *file)
{
	struct refctl_rules *r = refctl__calloc(1, sizeof(*r));
	r->file = refctl__strdup(file);
	r->separator = refctl__strdup(";");
	return r;
}

const struct refctl_rule *refctl_rules_find(const struct refctl_rules *r, const char *path)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].path, path))
			return &r->v[i];
	return NULL;
}

static size_t rule_index(const struct refctl_rules *r, const char *path)
{
	const struct refctl_rule *rule = refctl_rules_find(r, path);
	return rule ? (size_t)(rule - r->v) : (size_t)-1;
}

static void add_column(struct refctl_rules *r, const char *name)
{
	for (size_t i = 0; i < r->ncolumns; i++)
		if (!strcmp(r->columns[i], name))
			return;
	r->columns = refctl__realloc(r->columns, (r->ncolumns + 1) * sizeof(*r->columns));
	r->columns[r->ncolumns++] = refctl__strdup(name);
}

/* A column, or a template: text with {Column} in it. */
static int parse_source(struct refctl_rules *r, struct refctl_rule *rule, const struct refctl_node *at)
{
	const char *s = rule->source, *p = s;
	struct refctl_buf lit = REFCTL_BUF_INIT;
	size_t alloc = 0;

	if (!strchr(s, '{')) {
		rule->ncols = 1;
		rule->cols = refctl__calloc(1, sizeof(*rule->cols));
		rule->lits = refctl__calloc(2, sizeof(*rule->lits));
		rule->cols[0] = refctl__strdup(s);
		rule->lits[0] = refctl__strdup("");
		rule->lits[1] = refctl__strdup("");
	} else {
		for (;;) {
			const char *open = strchr(p, '{'), *close;
			if (!open) {
				refctl_buf_puts(&lit, p);
				break;
			}
			refctl_buf_put(&lit, p, (size_t)(open - p));
			close = strchr(open + 1, '}');
			if (!close || close == open + 1 || memchr(open + 1, '{', (size_t)(close - open - 1))) {
				refctl_buf_release(&lit);
				return refctl__error_at(REFCTL_EINVALID, r->file, at->line, at->col,
							"%s: a template names each column as {Column}, not '%s'", rule->path,
							s);
			}
			REFCTL__ARRAY_GROW(rule->cols, rule->ncols + 1, alloc);
			rule->lits = refctl__realloc(rule->lits, (rule->ncols + 2) * sizeof(*rule->lits));
			rule->lits[rule->ncols] = refctl_buf_detach(&lit);
			rule->cols[rule->ncols++] = refctl__strndup(open + 1, (size_t)(close - open - 1));
			p = close + 1;
		}
		rule->lits[rule->ncols] = refctl_buf_detach(&lit);
	}
	rule->idx = refctl__calloc(rule->ncols, sizeof(*rule->idx));
	for (size_t k = 0; k < rule->ncols; k++) {
		rule->idx[k] = -1;
		add_column(r, rule->cols[k]);
	}
	return 0;
}

static int scalar_string(const struct refctl_node *n)
{
	return n && n->kind == REFCTL_NODE_SCALAR && !refctl_yaml_is_null(n);
}

/* The field a rules file may feed: settable, or the id; not a map. */
static int feedable(const struct refctl_field *f, const char *path)
{
	return f && f->type != REFCTL_TYPE_MAP && f->type != REFCTL_TYPE_MAP_LIST &&
	       ((f->flags & REFCTL_FIELD_SETTABLE) || !strcmp(path, "id"));
}

static int add_rule(struct refctl_rules *r, const char *path, const char *source, const struct refctl_node *at)
{
	const struct refctl_field *f = refctl_schema_find(path, NULL);
	struct refctl_rule *rule;

	if (!feedable(f, path))
		return refctl__error_at(REFCTL_EINVALID, r->file, at->line, at->col,
					"unknown field '%s' (the fields are those of 'refctl schema'%s)", path,
					f ? " that set accepts, and id" : "");
	if (strlen(path) >= sizeof(rule->path))
		return refctl__error_at(REFCTL_EINVALID, r->file, at->line, at->col, "unknown field '%s'", path);
	if (!*source)
		return refctl__error_at(REFCTL_EINVALID, r->file, at->line, at->col, "%s: the column is empty", path);
	r->v = refctl__realloc(r->v, (r->n + 1) * sizeof(*r->v));
	rule = &r->v[r->n++];
	memset(rule, 0, sizeof(*rule));
	rule->field = f;
	snprintf(rule->path, sizeof(rule->path), "%s", path);
	rule->source = refctl__strdup(source);
	rule->line = at->line;
	rule->col = at->col;
	return parse_source(r, rule, at);
}

static int parse_fields(struct refctl_rules *r, const struct refctl_node *map)
{
	int error;

	if (map->kind != REFCTL_NODE_MAP || !map->n)
		return refctl__error_at(REFCTL_EINVALID, r->file, map->line, map->col,
					"fields must map each field to its column, such as email: Email");
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct refctl_node *k = map->items[i], *v = map->items[i + 1];
		if (!scalar_string(v))
			return refctl__error_at(REFCTL_EINVALID, r->file, v->line, v->col,
						"%s: the column must be a name or a template such as \"{First Name} {Last Name}\"",
						k->str);
		if ((error = add_rule(r, k->str, v->str, k)) < 0)
			return error;
	}
	return 0;
}

/* A list of field names, or one name. */
static int name_list(struct refctl_rules *r, const struct refctl_node *n, const char *what, const char **names,
		     const struct refctl_node **at, size_t max, size_t *count)
{
	*count = 0;
	if (scalar_string(n)) {
		names[0] = n->str;
		at[0] = n;
		*count = 1;
		return 0;
	}
	if (n->kind != REFCTL_NODE_SEQ || !n->n)
		return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col, "%s must be a field or a list of fields",
					what);
	for (size_t i = 0; i < n->n; i++) {
		if (!scalar_string(n->items[i]))
			return refctl__error_at(REFCTL_EINVALID, r->file, n->items[i]->line, n->items[i]->col,
						"%s must be a field or a list of fields", what);
		if (*count >= max)
			return refctl__error_at(REFCTL_EINVALID, r->file, n->items[i]->line, n->items[i]->col,
						"%s: at most %zu fields", what, max);
		names[*count] = n->items[i]->str;
		at[(*count)++] = n->items[i];
	}
	return 0;
}

static int key_allowed(const struct refctl_rule *rule)
{
	return (rule->field->flags & REFCTL_FIELD_UNIQUE) || !strcmp(rule->path, "id");
}

static int parse_key(struct refctl_rules *r, const struct refctl_node *n)
{
	const char *names[REFCTL_RULES_MAX_KEYS];
	const struct refctl_node *at[REFCTL_RULES_MAX_KEYS];
	size_t count;
	int error;

	if (!n) {
		/* id, else crm_id, else email: those the rules feed */
		static const char *const defaults[] = { "id", "crm_id", "email", NULL };
		for (size_t i = 0; defaults[i]; i++) {
			size_t k = rule_index(r, defaults[i]);
			if (k != (size_t)-1 && r->nkeys < REFCTL_RULES_MAX_KEYS)
				r->keys[r->nkeys++] = k;
		}
		if (!r->nkeys)
			return refctl__error_at(REFCTL_EINVALID, r->file, 1, 1,
						"the rules feed no field that identifies an advocate: map crm_id or email, or name the key (key: FIELD)");
		return 0;
	}
	if ((error = name_list(r, n, "key", names, at, REFCTL_RULES_MAX_KEYS, &count)) < 0)
		return error;
	for (size_t i = 0; i < count; i++) {
		size_t k = rule_index(r, names[i]);
		if (k == (size_t)-1)
			return refctl__error_at(REFCTL_EINVALID, r->file, at[i]->line, at[i]->col,
						"key: '%s' is not among the fields the rules feed", names[i]);
		if (!key_allowed(&r->v[k]))
			return refctl__error_at(REFCTL_EINVALID, r->file, at[i]->line, at[i]->col,
						"key: '%s' does not identify an advocate (the key is id or a unique field: crm_id, email)",
						names[i]);
		r->keys[r->nkeys++] = k;
	}
	return 0;
}

static int parse_owns(struct refctl_rules *r, const struct refctl_node *n)
{
	const char *names[64];
	const struct refctl_node *at[64];
	size_t count;
	int error;

	if (!n) {
		for (size_t i = 0; i < r->n; i++)
			r->v[i].owned = strcmp(r->v[i].path, "id") != 0;
		return 0;
	}
	if (r->kind == REFCTL_RULES_NPS)
		return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
					"owns: an NPS import owns nps and last_contact, and nothing else");
	if ((error = name_list(r, n, "owns", names, at, 64, &count)) < 0)
		return error;
	for (size_t i = 0; i < count; i++) {
		size_t k = rule_index(r, names[i]);
		if (k == (size_t)-1)
			return refctl__error_at(REFCTL_EINVALID, r->file, at[i]->line, at[i]->col,
						"owns: '%s' is not among the fields the rules feed", names[i]);
		if (!strcmp(names[i], "id"))
			return refctl__error_at(REFCTL_EINVALID, r->file, at[i]->line, at[i]->col,
						"owns: the id cannot change: it names the file and the request ids");
		r->v[k].owned = 1;
	}
	return 0;
}

static int parse_values(struct refctl_rules *r, const struct refctl_node *n)
{
	if (n->kind != REFCTL_NODE_MAP)
		return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
					"values must map fields to maps of values, such as country: {Deutschland: DE}");
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const struct refctl_node *k = n->items[i], *m = n->items[i + 1];
		size_t idx = rule_index(r, k->str);
		struct refctl_rule *rule;
		if (idx == (size_t)-1)
			return refctl__error_at(REFCTL_EINVALID, r->file, k->line, k->col,
						"values: '%s' is not among the fields the rules feed", k->str);
		rule = &r->v[idx];
		if (m->kind != REFCTL_NODE_MAP)
			return refctl__error_at(REFCTL_EINVALID, r->file, m->line, m->col,
						"values: %s must map values, such as Germany: DE", k->str);
		rule->map = refctl__calloc(m->n / 2 + 1, sizeof(*rule->map));
		for (size_t j = 0; j + 1 < m->n; j += 2) {
			const struct refctl_node *from = m->items[j], *to = m->items[j + 1];
			if (to->kind != REFCTL_NODE_SCALAR)
				return refctl__error_at(REFCTL_EINVALID, r->file, to->line, to->col,
							"values: %s: '%s' must map to one value", k->str, from->str);
			rule->map[rule->nmap].from = refctl__strdup(from->str);
			rule->map[rule->nmap++].to = refctl__strdup(refctl_yaml_is_null(to) ? "" : to->str);
		}
	}
	return 0;
}

/* Placeholders for the required fields, so a partial tree validates. */
static void placeholders(struct refctl_node *root)
{
	for (const struct refctl_field *f = refctl_schema_advocate(); f->name; f++)
		if ((f->flags & REFCTL_FIELD_REQUIRED) && !refctl_node_get(root, f->name))
			refctl_record_tree_set(root, f->name, f->defval ? f->defval : "x", 0);
}

static int parse_defaults(struct refctl_rules *r, const struct refctl_node *n)
{
	struct refctl_node *scratch;
	struct refctl_record *rec = NULL;
	int error = 0;

	if (n->kind != REFCTL_NODE_MAP)
		return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
					"defaults must map fields to values, such as status: nominated");
	scratch = refctl_node_map();
	for (size_t i = 0; i + 1 < n->n && !error; i += 2) {
		const struct refctl_node *k = n->items[i], *v = n->items[i + 1];
		const struct refctl_field *f = refctl_schema_find(k->str, NULL);
		if (!f || !feedable(f, k->str) || !strcmp(k->str, "id")) {
			error = refctl__error_at(REFCTL_EINVALID, r->file, k->line, k->col,
						 "defaults: unknown field '%s' (the fields are those set accepts)", k->str);
			break;
		}
		if (v->kind == REFCTL_NODE_SEQ && refctl_schema_is_list(f)) {
			for (size_t j = 0; j < v->n && !error; j++)
				if (!scalar_string(v->items[j]))
					error = refctl__error_at(REFCTL_EINVALID, r->file, v->items[j]->line,
								 v->items[j]->col, "defaults: %s must be a list of values",
								 k->str);
				else
					refctl_record_tree_set(scratch, k->str, v->items[j]->str, 1);
		} else if (scalar_string(v)) {
			refctl_record_tree_set(scratch, k->str, v->str, refctl_schema_is_list(f));
		} else {
			error = refctl__error_at(REFCTL_EINVALID, r->file, v->line, v->col,
						 "defaults: %s must be %s", k->str,
						 refctl_schema_is_list(f) ? "a list of values" : "one value");
		}
	}
	if (!error) {
		struct refctl_node *check = refctl_node_clone(scratch);
		struct refctl_diags d = REFCTL_DIAGS_INIT;
		placeholders(check);
		refctl_record_from_node(&rec, "defaults", check, &d);
		for (size_t i = 0; i < d.n && !error; i++) {
			const struct refctl_node *at = NULL;
			if (d.v[i].severity != REFCTL_DIAG_ERROR)
				continue;
			for (size_t j = 0; j + 1 < n->n && !at; j += 2)
				if (d.v[i].field && !strncmp(d.v[i].field, n->items[j]->str, strlen(n->items[j]->str)))
					at = n->items[j + 1];
			error = refctl__error_at(REFCTL_EINVALID, r->file, at ? at->line : n->line, at ? at->col : n->col,
						 "defaults: %s", d.v[i].message);
		}
		refctl_diags_release(&d);
		refctl_record_free(rec);
	}
	if (error)
		refctl_node_free(scratch);
	else
		r->defaults = scratch;
	return error;
}

static int parse_tree(struct refctl_rules *r, const struct refctl_node *root)
{
	const struct refctl_node *n;
	int error;

	if (root->kind != REFCTL_NODE_MAP)
		return refctl__error_at(REFCTL_EINVALID, r->file, root->line, root->col,
					"the rules must be a map of keys (fields, key, values, defaults ...)");
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const struct refctl_node *k = root->items[i];
		size_t j;
		for (j = 0; top_keys[j] && strcmp(top_keys[j], k->str); j++)
			;
		if (!top_keys[j])
			return refctl__error_at(REFCTL_EINVALID, r->file, k->line, k->col,
						"unknown key '%s' (expected kind, fields, key, owns, values, defaults, separator, delimiter, encoding, date_format or empty)",
						k->str);
	}
	if ((n = refctl_node_get(root, "kind"))) {
		if (scalar_string(n) && !strcmp(n->str, "nps"))
			r->kind = REFCTL_RULES_NPS;
		else if (!scalar_string(n) || strcmp(n->str, "contacts"))
			return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
						"kind must be contacts or nps");
	}
	if ((n = refctl_node_get(root, "delimiter"))) {
		const char *d = scalar_string(n) ? n->str : "";
		if (!strcmp(d, ",") || !strcmp(d, ";"))
			r->delimiter = d[0];
		else if (!strcmp(d, "\t") || !strcmp(d, "tab"))
			r->delimiter = '\t';
		else
			return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
						"delimiter must be \",\", \";\" or tab");
	}
	if ((n = refctl_node_get(root, "encoding"))) {
		if (!scalar_string(n) || !refctl_csv_encoding_known(n->str))
			return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
						"unknown encoding '%s' (such as UTF-8, windows-1252, ISO-8859-1)",
						n->kind == REFCTL_NODE_SCALAR ? n->str : "");
		r->encoding = refctl__strdup(n->str);
	}
	if ((n = refctl_node_get(root, "date_format"))) {
		if (!scalar_string(n) || !strchr(n->str, '%'))
			return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
						"date_format must be a strptime format such as \"%%d.%%m.%%Y\"");
		r->date_format = refctl__strdup(n->str);
	}
	if ((n = refctl_node_get(root, "separator"))) {
		if (!scalar_string(n) || !*n->str || strchr(n->str, '\n'))
			return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
						"separator must be the text between a list's items, such as \";\"");
		free(r->separator);
		r->separator = refctl__strdup(n->str);
	}
	if ((n = refctl_node_get(root, "empty"))) {
		if (scalar_string(n) && !strcmp(n->str, "keep"))
			r->keep_empty = 1;
		else if (!scalar_string(n) || strcmp(n->str, "clear"))
			return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col, "empty must be clear or keep");
	}
	if (!(n = refctl_node_get(root, "fields")))
		return refctl__error_at(REFCTL_EINVALID, r->file, root->line, root->col,
					"the rules name no fields (fields: {email: Email, ...})");
	if ((error = parse_fields(r, n)) < 0)
		return error;
	if (r->kind == REFCTL_RULES_NPS) {
		static const char *const needed[] = { "nps", "last_contact", NULL };
		for (size_t i = 0; needed[i]; i++)
			if (!refctl_rules_find(r, needed[i]))
				return refctl__error_at(REFCTL_EINVALID, r->file, n->line, n->col,
							"an NPS import needs nps (the score) and last_contact (the response date) among its fields");
		if (refctl_rules_find(r, "id"))
			return refctl__error_at(REFCTL_EINVALID, r->file, refctl_rules_find(r, "id")->line,
						refctl_rules_find(r, "id")->col,
						"an NPS import finds advocates by crm_id or email, not id");
	}
	if ((error = parse_key(r, refctl_node_get(root, "key"))) < 0)
		return error;
	if ((error = parse_owns(r, refctl_node_get(root, "owns"))) < 0)
		return error;
	if (r->kind == REFCTL_RULES_NPS)
		for (size_t i = 0; i < r->n; i++)
			r->v[i].owned = !strcmp(r->v[i].path, "nps") || !strcmp(r->v[i].path, "last_contact");
	if ((n = refctl_node_get(root, "values")) && (error = parse_values(r, n)) < 0)
		return error;
	if ((n = refctl_node_get(root, "defaults")) && (error = parse_defaults(r, n)) < 0)
		return error;
	return 0;
}

int refctl_rules_parse(struct refctl_rules **out, const char *file, const char *data, size_t len)
{
	struct refctl_yaml_docs docs;
	struct refctl_rules *r;
	int error;

	*out = NULL;
	if ((error = refctl_yaml_load(&docs, file, data, len, 0)) < 0)
		return error;
	r = rules_new(file);
	if (!docs.n)
		error = refctl__error_at(REFCTL_EINVALID, file, 1, 1, "the rules file is empty");
	else
		error = parse_tree(r, docs.v[0]);
	refctl_yaml_docs_release(&docs);
	if (error < 0) {
		refctl_rules_free(r);
		return error;
	}
	*out = r;
	return 0;
}

int refctl_rules_from_header(struct refctl_rules **out, const char *file, const struct refctl_csv_row *header)
{
	struct refctl_rules *r = rules_new(file);
	static const char *const keys[] = { "id", "crm_id", "email", NULL };
	int error = 0;

	*out = NULL;
	r->from_header = 1;
	for (size_t c = 0; c < header->n && !error; c++) {
		const char *name = header->cells[c];
		const struct refctl_field *f = refctl_schema_find(name, NULL);
		struct refctl_node at = { .line = header->row, .col = (unsigned)c + 1 };
		if (!*name)
			error = refctl__error_at(REFCTL_EINVALID, file, header->row, (unsigned)c + 1,
						 "column %zu has no name in the header", c + 1);
		else if (!f || !(f->flags & REFCTL_FIELD_COLUMN) || !feedable(f, name))
			error = refctl__error_at(REFCTL_EINVALID, file, header->row, (unsigned)c + 1,
						 "unknown column '%s': without --rules the header names refctl's fields as 'refctl export' writes them (see 'refctl schema')",
						 name);
		else if (refctl_rules_find(r, name))
			error = refctl__error_at(REFCTL_EINVALID, file, header->row, (unsigned)c + 1,
						 "column '%s' is in the header twice", name);
		else
			error = add_rule(r, name, name, &at);
		if (!error) {
			r->v[r->n - 1].line = 0;
			r->v[r->n - 1].col = 0;
		}
	}
	/* id when there is that column, else crm_id, else email */
	for (size_t i = 0; !error && keys[i] && !r->nkeys; i++) {
		size_t k = rule_index(r, keys[i]);
		if (k != (size_t)-1) {
			r->keys[r->nkeys++] = k;
			if (!strcmp(keys[i], "crm_id") && (k = rule_index(r, "email")) != (size_t)-1)
				r->keys[r->nkeys++] = k;
		}
	}
	if (!error && !r->nkeys)
		error = refctl__error_at(REFCTL_EINVALID, file, header->row, 0,
					 "the header has no column that identifies an advocate (id, crm_id or email)");
	for (size_t i = 0; !error && i < r->n; i++)
		r->v[i].owned = strcmp(r->v[i].path, "id") != 0;
	if (error) {
		refctl_rules_free(r);
		return error;
	}
	*out = r;
	return 0;
}

/* ---- binding ---- */

static int same_name(const char *a, const char *b, int fold)
{
	size_t la, lb;

	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	la = strlen(a);
	lb = strlen(b);
	while (la && a[la - 1] == ' ')
		la--;
	while (lb && b[lb - 1] == ' ')
		lb--;
	return la == lb && !(fold ? strncasecmp(a, b, la) : strncmp(a, b, la));
}

int refctl_rules_bind(struct refctl_rules *r, const char *name, const struct refctl_csv_row *header)
{
	for (size_t i = 0; i < r->n; i++) {
		struct refctl_rule *rule = &r->v[i];
		for (size_t k = 0; k < rule->ncols; k++) {
			int found = -1;
			/* the exact name first; else the one that differs only in case */
			for (int fold = 0; fold < 2 && found < 0; fold++)
				for (size_t c = 0; c < header->n; c++)
					if (same_name(header->cells[c], rule->cols[k], fold)) {
						if (found >= 0)
							return refctl__error_at(REFCTL_EINVALID, name, header->row,
										(unsigned)c + 1,
										"column '%s' is in the header twice (columns %d and %zu)",
										rule->cols[k], found + 1, c + 1);
						found = (int)c;
					}
			if (found < 0)
				return refctl__error_at(REFCTL_EINVALID, name, header->row, 0,
							"no column '%s' in the header (%s: %s, in %s)", rule->cols[k],
							rule->path, rule->source, r->file);
			rule->idx[k] = found;
		}
	}
	return 0;
}

/* ---- values ---- */

static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*len = n;
	return s;
}

/* A row's text for rule: its cell, or its template filled in. */
static void source_text(struct refctl_buf *out, unsigned *col, const struct refctl_rule *rule,
			const char *const *cells)
{
	int any = 0;

	*col = rule->idx[0] >= 0 ? (unsigned)rule->idx[0] + 1 : 0;
	if (rule->ncols == 1 && !*rule->lits[0] && !*rule->lits[1]) {
		const char *cell = cells[rule->idx[0]];
		if (rule->field->type == REFCTL_TYPE_TEXT) {
			refctl_buf_puts(out, cell);
		} else {
			size_t n;
			cell = trim(cell, &n);
			refctl_buf_put(out, cell, n);
		}
		return;
	}
	/* the non-empty cells, each after the text before it; the template's
	 * first and last text only when some cell is not empty */
	for (size_t k = 0; k < rule->ncols; k++) {
		size_t n;
		const char *cell = trim(cells[rule->idx[k]], &n);
		if (!n)
			continue;
		if (!any)
			refctl_buf_puts(out, rule->lits[0]);
		else
			refctl_buf_puts(out, rule->lits[k]);
		refctl_buf_put(out, cell, n);
		if (!any)
			*col = (unsigned)rule->idx[k] + 1;
		any = 1;
	}
	if (any)
		refctl_buf_puts(out, rule->lits[rule->ncols]);
}

/* A date as YYYY-MM-DD: the date of "2026-10-03 14:22:01" or
 * "2026-10-03T14:22:01Z", or one in the rules' date_format. */
static void normalise_date(struct refctl_buf *out, const char *s, size_t len, const char *fmt)
{
	refctl_date d;
	char buf[11];

	if (len >= 10 && refctl_date_parse_n(&d, s, 10) == 0 && (len == 10 || s[10] == 'T' || s[10] == ' ')) {
		refctl_buf_put(out, s, 10);
		return;
	}
	if (fmt && len < 64) {
		struct tm tm;
		char copy[64];
		const char *end;
		memcpy(copy, s, len);
		copy[len] = '\0';
		memset(&tm, 0, sizeof(tm));
		tm.tm_mday = 0;
		end = strptime(copy, fmt, &tm);
		while (end && (*end == ' ' || *end == '\t'))
			end++;
		if (end && !*end && tm.tm_year >= 1 - 1900 && tm.tm_year <= 9999 - 1900 && tm.tm_mday >= 1 &&
		    tm.tm_mday <= 31 && tm.tm_mon >= 0 && tm.tm_mon <= 11) {
			int y, m, day;
			d = refctl_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			refctl_date_to_ymd(&y, &m, &day, d);
			/* 31 February is no date */
			if (y == tm.tm_year + 1900 && m == tm.tm_mon + 1 && day == tm.tm_mday) {
				refctl_buf_puts(out, refctl_date_format(buf, d));
				return;
			}
		}
	}
	refctl_buf_put(out, s, len);
}

/* One value (or a list's item) through the rule's map and the field's own
 * knowledge, appended to out. */
static void normalise(struct refctl_buf *out, const struct refctl_rules *r, const struct refctl_rule *rule,
		      const char *s, size_t len)
{
	const struct refctl_field *f = rule->field;
	struct refctl_buf v = REFCTL_BUF_INIT;

	for (size_t i = 0; i < rule->nmap; i++) {
		size_t fl;
		const char *from = trim(rule->map[i].from, &fl);
		if (fl == len && !strncasecmp(from, s, len)) {
			s = rule->map[i].to;
			len = strlen(s);
			break;
		}
	}
	refctl_buf_put(&v, s, len);
	if (v.size && f->from_name) {
		const char *code = f->from_name(v.ptr);
		if (code) {
			refctl_buf_clear(&v);
			refctl_buf_puts(&v, code);
		}
	}
	if (v.size && f->values) {
		for (size_t i = 0; f->values[i]; i++)
			if (refctl_vocab_eq(f->values[i], v.ptr)) {
				refctl_buf_clear(&v);
				refctl_buf_puts(&v, f->values[i]);
				break;
			}
	}
	if (v.size && f->type == REFCTL_TYPE_DATE)
		normalise_date(out, v.ptr, v.size, r->date_format);
	else
		refctl_buf_put(out, v.ptr, v.size);
	refctl_buf_release(&v);
}

void refctl_rules_value(struct refctl_buf *out, unsigned *col, const struct refctl_rules *r,
			const struct refctl_rule *rule, const char *const *cells)
{
	struct refctl_buf text = REFCTL_BUF_INIT;
	size_t seplen = strlen(r->separator);

	refctl_buf_clear(out);
	source_text(&text, col, rule, cells);
	if (!refctl_schema_is_list(rule->field)) {
		size_t n = text.size;
		const char *s = rule->field->type == REFCTL_TYPE_TEXT ? text.ptr : trim(text.ptr, &n);
		if (n)
			normalise(out, r, rule, s, n);
		refctl_buf_release(&text);
		return;
	}
	for (const char *p = text.ptr; *p;) {
		const char *sep = strstr(p, r->separator);
		size_t n = sep ? (size_t)(sep - p) : strlen(p), len;
		const char *item, *end = p + n;
		size_t before = out->size;
		/* trim within [p, end) */
		item = p;
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		len = (size_t)(end - item);
		while (len && (item[len - 1] == ' ' || item[len - 1] == '\t'))
			len--;
		if (len) {
			normalise(out, r, rule, item, len);
			if (out->size > before)
				refctl_buf_putc(out, '\n');
		}
		if (!sep)
			break;
		p = sep + seplen;
	}
	refctl_buf_release(&text);
}

/* ---- the inverse, for export ---- */

/* The map's first value that gives v, or v. */
static const char *unmap(const struct refctl_rule *rule, const char *v)
{
	for (size_t i = 0; i < rule->nmap; i++)
		if (!strcmp(rule->map[i].to, v) && *rule->map[i].from)
			return rule->map[i].from;
	return v;
}

static void set_cell(char **cells, int idx, const char *s, size_t len)
{
	if (!cells[idx])
		cells[idx] = refctl__strndup(s, len);
}

int refctl_rules_cells(char **cells, const struct refctl_rules *r, const struct refctl_rule *rule,
		       const char *value)
{
	struct refctl_buf text = REFCTL_BUF_INIT;
	const char *p;
	int error = 0;

	if (refctl_schema_is_list(rule->field)) {
		for (const char *item = value; *item;) {
			const char *nl = strchr(item, '\n');
			size_t n = nl ? (size_t)(nl - item) : strlen(item);
			char *one = refctl__strndup(item, n);
			const char *shown = unmap(rule, one);
			if (strstr(shown, r->separator)) {
				error = refctl__error(REFCTL_EINVALID,
						      "%s: the item '%s' holds the list separator '%s' (choose another: separator: in the rules)",
						      rule->path, shown, r->separator);
				free(one);
				goto done;
			}
			if (text.size)
				refctl_buf_puts(&text, r->separator);
			refctl_buf_puts(&text, shown);
			free(one);
			item += n + (nl != NULL);
		}
	} else {
		refctl_buf_puts(&text, *value ? unmap(rule, value) : "");
	}
	if (rule->ncols == 1 && !*rule->lits[0] && !*rule->lits[1]) {
		set_cell(cells, rule->idx[0], text.ptr, text.size);
		goto done;
	}
	/* split on the template's texts, the first of each; what does not fit
	 * the template goes whole into its first column */
	p = text.ptr;
	if (text.size && !strncmp(p, rule->lits[0], strlen(rule->lits[0]))) {
		size_t last = strlen(rule->lits[rule->ncols]);
		const char *end = text.ptr + text.size;
		char **part = refctl__calloc(rule->ncols, sizeof(*part));
		int fits = text.size >= strlen(rule->lits[0]) + last &&
			   !strcmp(end - last, rule->lits[rule->ncols]);
		p += strlen(rule->lits[0]);
		end -= last;
		for (size_t k = 0; fits && k < rule->ncols; k++) {
			const char *next = k + 1 < rule->ncols && *rule->lits[k + 1] ? strstr(p, rule->lits[k + 1]) : NULL;
			if (k + 1 < rule->ncols && (!next || next > end)) {
				fits = 0;
				break;
			}
			if (k + 1 == rule->ncols)
				next = end;
			part[k] = refctl__strndup(p, (size_t)(next - p));
			p = next + (k + 1 < rule->ncols ? strlen(rule->lits[k + 1]) : 0);
		}
		for (size_t k = 0; k < rule->ncols; k++) {
			if (fits)
				set_cell(cells, rule->idx[k], part[k], strlen(part[k]));
			free(part[k]);
		}
		free(part);
		if (fits)
			goto done;
	}
	set_cell(cells, rule->idx[0], text.ptr, text.size);
	for (size_t k = 1; k < rule->ncols; k++)
		set_cell(cells, rule->idx[k], "", 0);
done:
	refctl_buf_release(&text);
	return error;
}
