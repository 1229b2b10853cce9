/*
 * refctl import: one upsert of advocates from a CSV file, read by rules.
 *
 * Design note. An import runs in three passes, so that nothing is written
 * unless every row is understood:
 *   I1. The roster, once: each advocate's id, its UNIQUE values and key
 *       values in a sorted index, and the canonical text of each field the
 *       rules feed. A file that does not load stops the import: a key or a
 *       uniqueness check against a roster we cannot read would be a guess.
 *   I2. The rows, in order: cells checked (count, formulas), values through
 *       the rules, the key looked up, the values validated through the
 *       schema (refctl_record_from_node on a tree of just those fields), the
 *       UNIQUE values checked against the roster and the rows before, the
 *       owned fields compared as canonical text. A row's errors all name
 *       its row and the column that feeds the field.
 *   I3. Only if no row is invalid (or skip_invalid): each advocate to
 *       update read afresh under the lock and changed through
 *       refctl_record_change, each new one staged, and one commit.
 * A re-import finds every owned field equal and makes no commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refctl/csv.h"
#include "refctl/import.h"
#include "refctl/output.h"
#include "util.h"

/* ---- formulas ---- */

/* + or - followed by what a phone number holds: digits, spaces, ( ) . / - */
static int numberish(const char *s)
{
	int digit = 0;
	for (s++; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = 1;
		else if (!strchr(" ()./-", *s))
			return 0;
	}
	return digit;
}

int refctl_import_is_formula(const char *cell)
{
	const char *s = cell;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s == '=' || *s == '@')
		return 1;
	if (*s == '+' || *s == '-')
		return s[strspn(s, "-")] != '\0' && !numberish(s);
	return 0;
}

/*
 * A cell `refctl export` neutralised: a ' before text that, after any
 * leading quotes, a spreadsheet would run as a formula
 * (refctl_csv_is_formula); export writes one ' more before such a cell, so
 * one comes off.
 */
static int neutralised(const char *cell)
{
	const char *s = cell;

	if (*s != '\'')
		return 0;
	while (*s == '\'')
		s++;
	return refctl_csv_is_formula(s);
}

/* ---- the roster ---- */

struct known {
	char *id;
	char **text;      /* each rule's field as canonical text (field_text) */
	int status;
	refctl_date last_contact;
	unsigned comment; /* the file has a comment, which a rewrite would lose */
};

struct index_entry {
	char *key;        /* "field=value", the value in small letters */
	size_t who;       /* a known advocate */
};

/* A claim of the rows before: this field's value is this advocate's. */
struct claim {
	char *key;
	long who;         /* a known advocate, or -(row) for a new one */
	unsigned row;
};

struct plan {
	struct refctl_import_row *out;
	long known;                /* the advocate it found, or -1 */
	char **value;              /* each rule's value for the row (rules_value) */
	unsigned *col;
	char **canon;              /* each rule's value as canonical text, once valid */
	int valid;
	int score;
	refctl_date date;
	int best;                  /* nps: the newest answer for its advocate or key */
};

struct imp {
	struct refctl_store *s;
	struct refctl_rules *r;
	const char *name;
	struct refctl_import_opts *opts;
	struct known *k;
	size_t nk, ak;
	struct index_entry *index;
	size_t nindex, aindex;
	struct claim *claims;       /* open addressing, cap a power of two */
	size_t nclaims, cclaims;
	struct refctl_buf tmp;
	int load_error;
	struct plan *p;
	size_t np;
	struct refctl_txn *t;       /* NULL for a dry run */
	int fatal;                  /* a failure no row causes (the store's), or 0 */
};

/* A field's value in a typed view as canonical text: a list's items each
 * followed by '\n', like refctl_rules_value. */
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

/* For messages: a list's items joined by the separator. */
static char *shown(const struct imp *m, const struct refctl_field *f, const char *text)
{
	struct refctl_buf b = REFCTL_BUF_INIT;

	if (!*text)
		return NULL;
	if (f->type != REFCTL_TYPE_LIST)
		return refctl__strdup(text);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (b.size)
			refctl_buf_puts(&b, m->r->separator);
		refctl_buf_put(&b, p, n);
		p += n + (nl != NULL);
	}
	return refctl_buf_detach(&b);
}

static void lower_into(struct refctl_buf *out, const char *s)
{
	for (; *s; s++)
		refctl_buf_putc(out, (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s));
}

static char *index_key(const char *field, const char *value)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	refctl_buf_puts(&b, field);
	refctl_buf_putc(&b, '=');
	lower_into(&b, value);
	return refctl_buf_detach(&b);
}

static void index_add(struct imp *m, const char *field, const char *value, size_t who)
{
	REFCTL__ARRAY_GROW(m->index, m->nindex + 1, m->aindex);
	m->index[m->nindex].key = index_key(field, value);
	m->index[m->nindex++].who = who;
}

static int index_cmp(const void *a, const void *b)
{
	const struct index_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->who > y->who) - (x->who < y->who);
}

/* The first index entry for field=value (case aside) and how many there are. */
static const struct index_entry *index_find(const struct imp *m, const char *field, const char *value, size_t *count)
{
	char *key = index_key(field, value);
	size_t lo = 0, hi = m->nindex;

	*count = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(m->index[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + *count < m->nindex && !strcmp(m->index[lo + *count].key, key))
		(*count)++;
	free(key);
	return *count ? &m->index[lo] : NULL;
}

static int is_indexed(const struct refctl_field *f)
{
	return (f->flags & REFCTL_FIELD_UNIQUE) && f->storage == REFCTL_STORE_STR;
}

static int collect(const struct refctl_record *rec, void *payload)
{
	struct imp *m = payload;
	struct known *k;
	size_t who = m->nk;

	REFCTL__ARRAY_GROW(m->k, m->nk + 1, m->ak);
	k = &m->k[m->nk++];
	memset(k, 0, sizeof(*k));
	k->id = refctl__strdup(rec->a.id);
	k->status = rec->a.status;
	k->last_contact = rec->a.last_contact;
	k->comment = rec->comment_line;
	k->text = refctl__calloc(m->r->n + 1, sizeof(*k->text));
	for (size_t i = 0; i < m->r->n; i++) {
		field_text(&m->tmp, m->r->v[i].field, &rec->a);
		k->text[i] = refctl__strdup(m->tmp.ptr);
	}
	index_add(m, "id", rec->a.id, who);
	for (const struct refctl_field *f = refctl_schema_advocate(); f->name; f++) {
		const char *v;
		if (is_indexed(f) && (v = *(const char *const *)((const char *)&rec->a + f->off)))
			index_add(m, f->name, v, who);
	}
	return 0;
}

static void bad_file(const char *file, const char *error, void *payload)
{
	struct imp *m = payload;
	(void)file;
	if (!m->load_error)
		m->load_error = refctl__error(REFCTL_EINVALID,
					      "%s (an import needs every advocate to load; run 'refctl check')", error);
}

/* ---- claims of the rows read so far ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct claim *claim_slot(struct claim *v, size_t cap, const char *key)
{
	size_t i = (size_t)hash_str(key) & (cap - 1);
	while (v[i].key && strcmp(v[i].key, key))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* The claim on key, or NULL; with who != 0 it is made when there is none. */
static struct claim *claim(struct imp *m, const char *field, const char *value, long who, unsigned row, int make)
{
	char *key = index_key(field, value);
	struct claim *c;

	if ((m->nclaims + 1) * 4 > m->cclaims * 3) {
		size_t ncap = m->cclaims ? m->cclaims * 2 : 64;
		struct claim *nv = refctl__calloc(ncap, sizeof(*nv));
		for (size_t i = 0; i < m->cclaims; i++)
			if (m->claims[i].key)
				*claim_slot(nv, ncap, m->claims[i].key) = m->claims[i];
		free(m->claims);
		m->claims = nv;
		m->cclaims = ncap;
	}
	c = claim_slot(m->claims, m->cclaims, key);
	if (c->key) {
		free(key);
		return c;
	}
	if (!make) {
		free(key);
		return NULL;
	}
	c->key = key;
	c->who = who;
	c->row = row;
	m->nclaims++;
	return NULL;
}

/* ---- rows ---- */

static void row_error(struct imp *m, struct plan *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void row_error(struct imp *m, struct plan *p, unsigned col, const char *fmt, ...)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	va_list ap;

	if (p->out->errors) {
		refctl_buf_puts(&b, p->out->errors);
		refctl_buf_putc(&b, '\n');
		free(p->out->errors);
	}
	if (col)
		refctl_buf_printf(&b, "%s:%u:%u: ", m->name, p->out->row, col);
	else
		refctl_buf_printf(&b, "%s:%u: ", m->name, p->out->row);
	va_start(ap, fmt);
	refctl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p->out->errors = refctl_buf_detach(&b);
	p->out->action = REFCTL_IMPORT_INVALID;
	p->valid = 0;
}

static const struct refctl_rule *rule_of(const struct imp *m, const char *path)
{
	return path ? refctl_rules_find(m->r, path) : NULL;
}

static unsigned col_of(const struct imp *m, const struct plan *p, const char *path)
{
	const struct refctl_rule *rule = rule_of(m, path);
	return rule ? p->col[rule - m->r->v] : 0;
}

/* Put the row's values of the rules in `want` into root. */
static void put_values(const struct imp *m, const struct plan *p, struct refctl_node *root, const int *want)
{
	for (size_t i = 0; i < m->r->n; i++) {
		const struct refctl_rule *rule = &m->r->v[i];
		if (!want[i] || !*p->value[i])
			continue;
		if (refctl_schema_is_list(rule->field)) {
			for (const char *s = p->value[i]; *s;) {
				const char *nl = strchr(s, '\n');
				char *item = refctl__strndup(s, (size_t)(nl - s));
				refctl_record_tree_set(root, rule->path, item, 1);
				free(item);
				s = nl + 1;
			}
		} else {
			refctl_record_tree_set(root, rule->path, p->value[i], 0);
		}
	}
}

/*
 * Validate a tree (given away) through the schema; each error goes to the
 * row at the column of the field it names. With new_advocate the required
 * fields must be there; else they get placeholders. Returns the record
 * when valid.
 */
static struct refctl_record *validate(struct imp *m, struct plan *p, struct refctl_node *root, int new_advocate)
{
	struct refctl_diags d = REFCTL_DIAGS_INIT;
	struct refctl_record *rec = NULL;

	for (const struct refctl_field *f = refctl_schema_advocate(); f->name; f++) {
		const struct refctl_node *v;
		if (!(f->flags & REFCTL_FIELD_REQUIRED))
			continue;
		v = refctl_node_get(root, f->name);
		if (v)
			continue;
		if (new_advocate && strcmp(f->name, "id")) {
			const struct refctl_rule *rule = rule_of(m, f->name);
			if (rule)
				row_error(m, p, col_of(m, p, f->name),
					  "%s is empty, and a new advocate needs one (%s: %s)", f->name, f->name,
					  rule->source);
			else
				row_error(m, p, 0, "a new advocate needs %s, and the rules feed none", f->name);
		}
		refctl_record_tree_set(root, f->name, f->defval ? f->defval : "x", 0);
	}
	/* "row", with no '/' or ".yaml": the id need not match a file name */
	refctl_record_from_node(&rec, "row", root, &d);
	for (size_t i = 0; i < d.n; i++) {
		const struct refctl_diag *x = &d.v[i];
		if (x->severity != REFCTL_DIAG_ERROR)
			continue;
		row_error(m, p, col_of(m, p, x->field), "%s", x->message);
	}
	refctl_diags_release(&d);
	if (rec && !p->valid) {
		refctl_record_free(rec);
		rec = NULL;
	}
	return rec;
}

/* Fill p->canon from a valid record's typed view. */
static void canon_from(struct imp *m, struct plan *p, const struct refctl_record *rec)
{
	for (size_t i = 0; i < m->r->n; i++) {
		field_text(&m->tmp, m->r->v[i].field, &rec->a);
		free(p->canon[i]);
		p->canon[i] = refctl__strdup(m->tmp.ptr);
	}
}

/* The UNIQUE values rec would write (want marks the rules it writes):
 * taken by another advocate, or by another row before. */
static void check_unique_values(struct imp *m, struct plan *p, const int *want, long who)
{
	for (size_t i = 0; i < m->r->n; i++) {
		const struct refctl_rule *rule = &m->r->v[i];
		const struct index_entry *e;
		struct claim *c;
		size_t count;
		const char *v = p->canon[i];
		if (!want[i] || !v || !*v || !is_indexed(rule->field))
			continue;
		if ((e = index_find(m, rule->path, v, &count)) != NULL)
			for (size_t k = 0; k < count; k++)
				if ((long)e[k].who != who) {
					row_error(m, p, p->col[i], "%s %s is already used by advocate '%s'", rule->path, v,
						  m->k[e[k].who].id);
					break;
				}
		if ((c = claim(m, rule->path, v, who, p->out->row, 1)) != NULL && c->who != who)
			row_error(m, p, p->col[i], "%s %s is also on row %u", rule->path, v, c->row);
	}
}

static void add_change(struct imp *m, struct plan *p, const struct refctl_field *f, const char *path, const char *old,
		       const char *new)
{
	struct refctl_import_row *o = p->out;
	o->changes = refctl__realloc(o->changes, (o->nchanges + 1) * sizeof(*o->changes));
	o->changes[o->nchanges].field = refctl__strdup(path);
	o->changes[o->nchanges].old_value = old ? shown(m, f, old) : NULL;
	o->changes[o->nchanges].new_value = new ? shown(m, f, new) : NULL;
	o->nchanges++;
}

/* An update: the owned fields (those in want) that differ from the roster's. */
static void diff_known(struct imp *m, struct plan *p, const int *want)
{
	const struct known *k = &m->k[p->known];

	for (size_t i = 0; i < m->r->n; i++)
		if (want[i] && strcmp(p->canon[i], k->text[i]))
			add_change(m, p, m->r->v[i].field, m->r->v[i].path, k->text[i], p->canon[i]);
	p->out->action = p->out->nchanges ? REFCTL_IMPORT_UPDATE : REFCTL_IMPORT_UNCHANGED;
	if (p->out->nchanges && k->comment)
		row_error(m, p, 0, "advocates/%s.yaml:%u has a comment, which rewriting it would lose; move it into notes:",
			  k->id, k->comment);
}

/* The fields a new advocate gets, for the dry run: every one but its id. */
struct list_fields {
	struct imp *m;
	struct plan *p;
	const struct refctl_record *rec;
};

static int list_field(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
		      void *payload)
{
	struct list_fields *lf = payload;
	(void)parent;
	if (f->type == REFCTL_TYPE_MAP || f->type == REFCTL_TYPE_MAP_LIST || !strcmp(path, "id"))
		return 0;
	field_text(&lf->m->tmp, f, &lf->rec->a);
	if (lf->m->tmp.size) {
		char *text = refctl__strdup(lf->m->tmp.ptr);
		add_change(lf->m, lf->p, f, path, NULL, text);
		free(text);
	}
	return 0;
}

static int new_id_taken(const char *id, void *payload)
{
	struct imp *m = payload;
	size_t count;
	return index_find(m, "id", id, &count) != NULL || claim(m, "id", id, 0, 0, 0) != NULL ||
	       refctl_store_exists(m->s, id);
}

/* A new advocate from the row: its fields, the defaults, its id. */
static void plan_add(struct imp *m, struct plan *p, const char *nominated_from)
{
	struct refctl_node *root = refctl_node_map();
	int *want = refctl__calloc(m->r->n + 1, sizeof(*want));
	const struct refctl_rule *idr = rule_of(m, "id");
	struct refctl_record *rec;
	struct refctl_buf id = REFCTL_BUF_INIT, path = REFCTL_BUF_INIT;

	for (size_t i = 0; i < m->r->n; i++)
		want[i] = strcmp(m->r->v[i].path, "id") != 0;
	put_values(m, p, root, want);
	if (m->r->defaults)
		for (size_t i = 0; i + 1 < m->r->defaults->n; i += 2) {
			const struct refctl_node *k = m->r->defaults->items[i], *v = m->r->defaults->items[i + 1];
			const struct refctl_rule *given = rule_of(m, k->str);
			struct refctl_node *have;
			if (given && *p->value[given - m->r->v])
				continue;
			if (v->kind == REFCTL_NODE_MAP) {
				/* consent: {scope: ...}: each member the row does not give */
				for (size_t j = 0; j + 1 < v->n; j += 2) {
					char sub[128];
					const struct refctl_rule *g;
					snprintf(sub, sizeof(sub), "%s.%s", k->str, v->items[j]->str);
					g = rule_of(m, sub);
					if (g && *p->value[g - m->r->v])
						continue;
					have = refctl_node_get(root, k->str);
					if (!have) {
						refctl_node_set(root, k->str, refctl_node_map());
						have = refctl_node_get(root, k->str);
					}
					refctl_node_set(have, v->items[j]->str, refctl_node_clone(v->items[j + 1]));
				}
			} else {
				refctl_node_set(root, k->str, refctl_node_clone(v));
			}
		}
	if (nominated_from) {
		refctl_record_tree_set(root, "status", "nominated", 0);
		refctl_record_tree_set(root, "nominated_from", nominated_from, 0);
	}
	refctl_record_tree_defaults(root);
	/* the id: the row's, checked; else derived once the rest is valid */
	if (idr && *p->value[idr - m->r->v]) {
		const char *want_id = p->value[idr - m->r->v];
		unsigned col = p->col[idr - m->r->v];
		size_t count;
		struct claim *c;
		if (!refctl_id_valid(want_id)) {
			row_error(m, p, col,
				  "id '%s' must be lowercase letters, digits and '-' (at most 63, not starting with '-')",
				  want_id);
		} else if (index_find(m, "id", want_id, &count) || refctl_store_exists(m->s, want_id)) {
			row_error(m, p, col, "advocate '%s' already exists", want_id);
		} else if ((c = claim(m, "id", want_id, -(long)p->out->row, p->out->row, 1)) != NULL) {
			row_error(m, p, col, "id %s is also on row %u", want_id, c->row);
		}
		refctl_buf_puts(&id, want_id);
	}
	refctl_record_tree_set(root, "id", id.size && refctl_id_valid(id.ptr) ? id.ptr : "x", 0);
	rec = validate(m, p, root, 1);
	if (rec) {
		canon_from(m, p, rec);
		check_unique_values(m, p, want, -(long)p->out->row);
	}
	if (rec && p->valid) {
		if (!id.size) {
			refctl_advocate_new_id(&id, rec->a.name, rec->a.company, new_id_taken, m);
			claim(m, "id", id.ptr, -(long)p->out->row, p->out->row, 1);
			refctl_node_set(rec->root, "id", refctl_node_scalar(id.ptr, 1));
		}
		refctl_store_path(&path, id.ptr);
		free(rec->file);
		rec->file = refctl__strdup(path.ptr);
		if (refctl_record_validate(rec, NULL) < 0) {
			row_error(m, p, 0, "%s", refctl_error_last_message());
		} else {
			p->out->action = REFCTL_IMPORT_ADD;
			p->out->id = refctl__strdup(id.ptr);
			if (m->opts->dry_run) {
				struct list_fields lf = { m, p, rec };
				refctl_schema_foreach(list_field, &lf);
			} else if (!m->fatal) {
				/* staged now, written only by the commit: no row of
				 * 10,000 keeps its tree */
				m->fatal = refctl_txn_put_record(m->t, rec);
			}
		}
	}
	refctl_record_free(rec);
	refctl_buf_release(&id);
	refctl_buf_release(&path);
	free(want);
}

/* The row's cells with neutralised formulas read back; a live one refused. */
static const char **clean_cells(struct imp *m, struct plan *p, const struct refctl_csv_row *row)
{
	const char **cells = refctl__calloc(row->n + 1, sizeof(*cells));

	for (size_t c = 0; c < row->n; c++)
		cells[c] = row->cells[c];
	for (size_t i = 0; i < m->r->n; i++)
		for (size_t k = 0; k < m->r->v[i].ncols; k++) {
			int c = m->r->v[i].idx[k];
			if (cells[c] != row->cells[c] || m->opts->raw_csv)
				continue;
			if (neutralised(row->cells[c])) {
				cells[c] = row->cells[c] + 1;
			} else if (refctl_import_is_formula(row->cells[c])) {
				row_error(m, p, (unsigned)c + 1,
					  "'%.40s' is a spreadsheet formula; refctl reads values, not formulas (make the cell text, or write it with a leading ')",
					  row->cells[c]);
				cells[c] = "";
			}
		}
	return cells;
}

/* The row's key: the advocate it finds (-1 for none), in p->known. */
static void find_key(struct imp *m, struct plan *p)
{
	struct refctl_buf names = REFCTL_BUF_INIT, key = REFCTL_BUF_INIT;
	long found = -1;
	unsigned first_col = 0;

	p->known = -1;
	for (size_t j = 0; j < m->r->nkeys; j++) {
		size_t i = m->r->keys[j];
		const struct refctl_rule *rule = &m->r->v[i];
		const struct index_entry *e;
		size_t count;
		refctl_buf_printf(&names, "%s%s", names.size ? j + 1 == m->r->nkeys ? " and " : ", " : "", rule->path);
		if (!first_col)
			first_col = p->col[i];
		if (!*p->value[i])
			continue;
		if (!key.size)
			refctl_buf_printf(&key, "%s %s", rule->path, p->value[i]);
		if (!(e = index_find(m, rule->path, p->value[i], &count)))
			continue;
		for (size_t k = 0; k < count; k++) {
			if (found >= 0 && found != (long)e[k].who) {
				row_error(m, p, p->col[i], "the key finds two advocates: '%s' and '%s' (%s %s)",
					  m->k[found].id, m->k[e[k].who].id, rule->path, p->value[i]);
				goto done;
			}
			found = (long)e[k].who;
		}
	}
	if (!key.size) {
		row_error(m, p, first_col, "no key: the row's %s %s empty", names.ptr, m->r->nkeys > 1 ? "are" : "is");
		goto done;
	}
	p->out->key = refctl_buf_detach(&key);
	p->known = found;
	if (found >= 0)
		p->out->id = refctl__strdup(m->k[found].id);
done:
	refctl_buf_release(&names);
	refctl_buf_release(&key);
}

/* A contacts row: update the advocate it finds, or add one. */
static void plan_contact(struct imp *m, struct plan *p)
{
	int *want = refctl__calloc(m->r->n + 1, sizeof(*want));
	struct claim *c;

	if (p->known < 0) {
		plan_add(m, p, NULL);
		free(want);
		return;
	}
	if ((c = claim(m, "advocate", m->k[p->known].id, p->known, p->out->row, 1)) != NULL) {
		row_error(m, p, p->col[m->r->keys[0]], "%s is also on row %u (a key appears once in a file)",
			  p->out->key, c->row);
		free(want);
		return;
	}
	for (size_t i = 0; i < m->r->n; i++) {
		const struct refctl_rule *rule = &m->r->v[i];
		want[i] = rule->owned && !(m->r->keep_empty && !*p->value[i]);
		if (want[i] && !*p->value[i] && (rule->field->flags & REFCTL_FIELD_REQUIRED) &&
		    !strchr(rule->path, '.'))
			row_error(m, p, p->col[i], "%s is empty, and an advocate needs one (%s: %s)", rule->path,
				  rule->path, rule->source);
	}
	if (p->valid) {
		struct refctl_node *root = refctl_node_map();
		struct refctl_record *rec;
		put_values(m, p, root, want);
		if ((rec = validate(m, p, root, 0)) != NULL) {
			canon_from(m, p, rec);
			refctl_record_free(rec);
			check_unique_values(m, p, want, p->known);
			if (p->valid)
				diff_known(m, p, want);
		}
	}
	free(want);
}

/* An NPS row: its score and date, and the advocate it finds. */
static void plan_nps_row(struct imp *m, struct plan *p)
{
	const struct refctl_rule *sr = rule_of(m, "nps"), *dr = rule_of(m, "last_contact");
	int *want = refctl__calloc(m->r->n + 1, sizeof(*want));
	struct refctl_node *root = refctl_node_map();
	struct refctl_record *rec;
	size_t si = (size_t)(sr - m->r->v), di = (size_t)(dr - m->r->v);

	want[si] = want[di] = 1;
	if (!*p->value[si])
		row_error(m, p, p->col[si], "no score (%s)", sr->source);
	if (!*p->value[di])
		row_error(m, p, p->col[di], "no response date (%s)", dr->source);
	put_values(m, p, root, want);
	if ((rec = validate(m, p, root, 0)) != NULL) {
		canon_from(m, p, rec);
		p->score = rec->a.nps;
		p->date = rec->a.last_contact;
		p->out->nps = p->score;
		p->out->date = p->date;
		refctl_record_free(rec);
	}
	free(want);
}

/* The newest answer of each advocate (or unknown key) wins; a tie goes to the later row. */
static void decide_nps(struct imp *m)
{
	long *best = refctl__calloc(m->nk + 1, sizeof(*best));
	int *want = refctl__calloc(m->r->n + 1, sizeof(*want));

	for (size_t i = 0; i < m->nk; i++)
		best[i] = -1;
	for (size_t i = 0; i < m->r->n; i++)
		want[i] = m->r->v[i].owned;
	for (size_t i = 0; i < m->np; i++) {
		struct plan *p = &m->p[i];
		if (!p->valid)
			continue;
		if (p->known >= 0) {
			long b = best[p->known];
			if (b < 0 || p->date >= m->p[b].date)
				best[p->known] = (long)i;
		} else {
			struct claim *c = claim(m, "answer", p->out->key, (long)i, p->out->row, 1);
			if (c && p->date >= m->p[c->who].date) {
				c->who = (long)i;
				c->row = p->out->row;
			}
		}
	}
	for (size_t i = 0; i < m->np; i++) {
		struct plan *p = &m->p[i];
		long winner;
		if (!p->valid)
			continue;
		if (p->known >= 0) {
			winner = best[p->known];
		} else {
			struct claim *c = claim(m, "answer", p->out->key, 0, 0, 0);
			winner = c ? c->who : (long)i;
		}
		if (winner != (long)i) {
			p->out->action = REFCTL_IMPORT_OLDER;
			p->out->newer_row = m->p[winner].out->row;
			continue;
		}
		if (p->known >= 0) {
			const struct known *k = &m->k[p->known];
			if (k->last_contact != REFCTL_DATE_NONE && p->date < k->last_contact) {
				p->out->action = REFCTL_IMPORT_OLDER;
				p->out->last_contact = k->last_contact;
				continue;
			}
			diff_known(m, p, want);
			p->out->detractor = k->status == REFCTL_STATUS_ACTIVE && p->score <= 6;
		} else if (p->score >= 9 && m->opts->nominate) {
			plan_add(m, p, "nps");
		} else {
			p->out->action = REFCTL_IMPORT_UNKNOWN;
		}
	}
	free(best);
	free(want);
}

/* ---- writing ---- */

struct apply {
	struct imp *m;
	struct plan *p;
};

static int apply_changes(struct refctl_node *root, void *payload)
{
	struct apply *a = payload;
	struct imp *m = a->m;
	struct plan *p = a->p;
	const struct known *k = &m->k[p->known];
	int error;

	for (size_t i = 0; i < m->r->n; i++) {
		const struct refctl_rule *rule = &m->r->v[i];
		int owned = rule->owned && !(m->r->keep_empty && !*p->value[i]);
		if (!owned || !strcmp(p->canon[i], k->text[i]))
			continue;
		if ((error = refctl_record_tree_unset(root, rule->path)) < 0)
			return error;
		if (refctl_schema_is_list(rule->field)) {
			for (const char *s = p->canon[i]; *s;) {
				const char *nl = strchr(s, '\n');
				char *item = refctl__strndup(s, (size_t)(nl - s));
				error = refctl_record_tree_set(root, rule->path, item, 1);
				free(item);
				if (error < 0)
					return error;
				s = nl + 1;
			}
		} else if (*p->canon[i] && (error = refctl_record_tree_set(root, rule->path, p->canon[i], 0)) < 0) {
			return error;
		}
	}
	return 0;
}

static void commit_message(struct refctl_buf *subject, struct refctl_buf *body, const struct imp *m,
			   const struct refctl_import_result *res)
{
	const char *base = strrchr(m->name, '/');
	size_t shown_add = 0, shown_upd = 0;

	refctl_buf_printf(subject, "refctl: import %s: %zu added, %zu updated", base ? base + 1 : m->name,
			  res->added, res->updated);
	for (size_t i = 0; i < res->nrows; i++) {
		const struct refctl_import_row *o = &res->rows[i];
		if (o->action == REFCTL_IMPORT_ADD && shown_add++ < 100)
			refctl_buf_printf(body, "%sadd %s (row %u)\n", "", o->id, o->row);
	}
	if (shown_add > 100)
		refctl_buf_printf(body, "and %zu more added\n", shown_add - 100);
	for (size_t i = 0; i < res->nrows; i++) {
		const struct refctl_import_row *o = &res->rows[i];
		if (o->action != REFCTL_IMPORT_UPDATE || shown_upd++ >= 100)
			continue;
		refctl_buf_printf(body, "update %s (row %u):", o->id, o->row);
		for (size_t c = 0; c < o->nchanges; c++)
			refctl_buf_printf(body, "%s %s", c ? "," : "", o->changes[c].field);
		refctl_buf_putc(body, '\n');
	}
	if (shown_upd > 100)
		refctl_buf_printf(body, "and %zu more updated\n", shown_upd - 100);
	if (res->invalid)
		refctl_buf_printf(body, "skipped %zu invalid row%s\n", res->invalid, res->invalid == 1 ? "" : "s");
	if (m->opts->write.message)
		refctl_buf_printf(body, "%s%s", body->size ? "\n" : "", m->opts->write.message);
}

static int write_import(struct imp *m, struct refctl_txn *t, struct refctl_import_result *res)
{
	struct refctl_buf subject = REFCTL_BUF_INIT, body = REFCTL_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < m->np && !error; i++) {
		struct plan *p = &m->p[i];
		if (p->out->action == REFCTL_IMPORT_UPDATE) {
			struct refctl_record *rec = NULL;
			struct apply a = { m, p };
			if ((error = refctl_store_load(m->s, p->out->id, &rec)) < 0 ||
			    (error = refctl_record_change(rec, apply_changes, &a)) < 0 ||
			    (error = refctl_txn_put_record(t, rec)) < 0) {
				if (error == REFCTL_EINVALID && !refctl_error_last_file())
					refctl__error(error, "advocates/%s.yaml: %s", p->out->id, refctl_error_last_message());
			}
			refctl_record_free(rec);
		}
	}
	if (error)
		goto done;
	if (!res->added && !res->updated)
		goto done;
	commit_message(&subject, &body, m, res);
	if ((error = refctl_txn_commit(t, subject.ptr, body.ptr)) < 0)
		goto done;
	res->committed = 1;
done:
	refctl_buf_release(&subject);
	refctl_buf_release(&body);
	return error;
}

/* ---- the import ---- */

static void drop_values(struct imp *m, struct plan *p)
{
	for (size_t j = 0; j < m->r->n; j++) {
		free(p->value[j]);
		free(p->canon[j]);
	}
	free(p->value);
	free(p->canon);
	p->value = p->canon = NULL;
}

static void result_free_rows(struct refctl_import_result *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		struct refctl_import_row *o = &r->rows[i];
		for (size_t c = 0; c < o->nchanges; c++) {
			free(o->changes[c].field);
			free(o->changes[c].old_value);
			free(o->changes[c].new_value);
		}
		free(o->changes);
		free(o->id);
		free(o->errors);
		free(o->key);
	}
	free(r->rows);
}

void refctl_import_result_free(struct refctl_import_result *r)
{
	if (!r)
		return;
	result_free_rows(r);
	free(r);
}

static void imp_release(struct imp *m)
{
	for (size_t i = 0; i < m->nk; i++) {
		for (size_t j = 0; j < m->r->n; j++)
			free(m->k[i].text[j]);
		free(m->k[i].text);
		free(m->k[i].id);
	}
	free(m->k);
	for (size_t i = 0; i < m->nindex; i++)
		free(m->index[i].key);
	free(m->index);
	for (size_t i = 0; i < m->cclaims; i++)
		free(m->claims[i].key);
	free(m->claims);
	for (size_t i = 0; i < m->np; i++) {
		struct plan *p = &m->p[i];
		for (size_t j = 0; p->value && j < m->r->n; j++) {
			free(p->value[j]);
			free(p->canon[j]);
		}
		free(p->value);
		free(p->canon);
		free(p->col);
	}
	free(m->p);
	refctl_buf_release(&m->tmp);
}

int refctl_import(struct refctl_import_result **out, struct refctl_store *s, const char *name, const char *data,
		  size_t len, struct refctl_import_opts *opts)
{
	struct refctl_csv_opts copts = REFCTL_CSV_OPTS_INIT;
	struct refctl_csv *csv = NULL;
	struct refctl_rules *own = NULL;
	struct refctl_import_result *res = NULL;
	struct refctl_txn *t = NULL;
	const struct refctl_csv_row *header;
	struct imp m;
	int error = 0;

	*out = NULL;
	memset(&m, 0, sizeof(m));
	refctl_buf_init(&m.tmp);
	if (opts->rules) {
		copts.delimiter = opts->rules->delimiter;
		copts.encoding = opts->rules->encoding;
	}
	if ((error = refctl_csv_parse(&csv, name, data, len, &copts)) < 0)
		return error;
	if (!csv->nrows) {
		error = refctl__error_at(REFCTL_EINVALID, name, 1, 1, "the file is empty: expected a header row and rows");
		goto done;
	}
	header = &csv->rows[0];
	if (!opts->rules && (error = refctl_rules_from_header(&own, name, header)) < 0)
		goto done;
	m.r = opts->rules ? opts->rules : own;
	m.s = s;
	m.name = name;
	m.opts = opts;
	if ((error = refctl_rules_bind(m.r, name, header)) < 0)
		goto done;
	if (csv->nrows == 1) {
		error = refctl__error_at(REFCTL_EINVALID, name, header->row + 1, 1, "no rows after the header");
		goto done;
	}
	/* I1: under the lock, unless nothing is to be written */
	if (!opts->dry_run && (error = refctl_txn_begin(&t, s, opts->write.txn_flags)) < 0)
		goto done;
	m.t = t;
	if ((error = refctl_store_foreach(s, collect, bad_file, &m)) < 0)
		goto done;
	if ((error = m.load_error) < 0)
		goto done;
	if (m.nindex > 1)
		qsort(m.index, m.nindex, sizeof(*m.index), index_cmp);

	/* I2 */
	res = refctl__calloc(1, sizeof(*res));
	res->kind = m.r->kind;
	res->nrows = csv->nrows - 1;
	res->rows = refctl__calloc(res->nrows + 1, sizeof(*res->rows));
	m.np = res->nrows;
	m.p = refctl__calloc(m.np + 1, sizeof(*m.p));
	for (size_t i = 0; i < m.np; i++) {
		const struct refctl_csv_row *row = &csv->rows[i + 1];
		struct plan *p = &m.p[i];
		const char **cells;
		p->out = &res->rows[i];
		p->out->row = row->row;
		p->out->nps = -1;
		p->out->date = REFCTL_DATE_NONE;
		p->out->last_contact = REFCTL_DATE_NONE;
		p->valid = 1;
		p->known = -1;
		p->value = refctl__calloc(m.r->n + 1, sizeof(*p->value));
		p->canon = refctl__calloc(m.r->n + 1, sizeof(*p->canon));
		p->col = refctl__calloc(m.r->n + 1, sizeof(*p->col));
		for (size_t j = 0; j < m.r->n; j++) {
			p->value[j] = refctl__strdup("");
			p->canon[j] = refctl__strdup("");
		}
		if (row->n != header->n) {
			row_error(&m, p, (unsigned)(row->n < header->n ? row->n : header->n) + 1,
				  "the row has %zu cell%s, the header %zu", row->n, row->n == 1 ? "" : "s", header->n);
			continue;
		}
		cells = clean_cells(&m, p, row);
		for (size_t j = 0; j < m.r->n; j++) {
			refctl_rules_value(&m.tmp, &p->col[j], m.r, &m.r->v[j], cells);
			free(p->value[j]);
			p->value[j] = refctl__strdup(m.tmp.ptr);
		}
		free(cells);
		if (!p->valid)
			continue;
		find_key(&m, p);
		if (!p->valid)
			continue;
		if (m.r->kind == REFCTL_RULES_NPS) {
			plan_nps_row(&m, p);
		} else {
			plan_contact(&m, p);
			/* only an update needs its values again */
			if (p->out->action != REFCTL_IMPORT_UPDATE)
				drop_values(&m, p);
		}
		if ((error = m.fatal) < 0)
			goto done;
	}
	if (m.r->kind == REFCTL_RULES_NPS)
		decide_nps(&m);
	if ((error = m.fatal) < 0)
		goto done;
	for (size_t i = 0; i < res->nrows; i++)
		switch (res->rows[i].action) {
		case REFCTL_IMPORT_ADD: res->added++; break;
		case REFCTL_IMPORT_UPDATE: res->updated++; break;
		case REFCTL_IMPORT_UNCHANGED: res->unchanged++; break;
		case REFCTL_IMPORT_INVALID: res->invalid++; break;
		case REFCTL_IMPORT_OLDER: res->older++; break;
		case REFCTL_IMPORT_UNKNOWN: res->unknown++; break;
		}
	if (res->invalid && !opts->skip_invalid) {
		error = refctl__error(REFCTL_EINVALID, "%s: %zu invalid row%s; nothing imported", name, res->invalid,
				      res->invalid == 1 ? "" : "s");
		goto done;
	}
	/* I3 */
	if (!opts->dry_run)
		error = write_import(&m, t, res);
done:
	refctl__pass_warning(&opts->write, s);
	refctl_txn_free(t);
	if (m.r)
		imp_release(&m);
	refctl_rules_free(own);
	refctl_csv_free(csv);
	if (res && (error == 0 || (error == REFCTL_EINVALID && res->invalid))) {
		*out = res;
		res = NULL;
	}
	refctl_import_result_free(res);
	return error;
}
