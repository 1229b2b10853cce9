/*
 * The advocate record: schema, validation into a typed view, canonical
 * order, and scriptable edits. The YAML tree is the source of truth; the
 * typed view (struct refctl_advocate) borrows its strings.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "refctl/record.h"
#include "refctl/suggest.h"
#include "util.h"

/* ---- diagnostics ---- */

void refctl_diags_add(struct refctl_diags *d, enum refctl_severity sev, const char *file,
		      unsigned line, unsigned col, const char *field, const char *fmt, ...)
{
	struct refctl_buf msg = REFCTL_BUF_INIT;
	struct refctl_diag *x;
	va_list ap;

	va_start(ap, fmt);
	refctl_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	REFCTL__ARRAY_GROW(d->v, d->n + 1, d->alloc);
	x = &d->v[d->n++];
	x->file = refctl__strdup(file ? file : "");
	x->line = line;
	x->col = col;
	x->severity = sev;
	x->field = field ? refctl__strdup(field) : NULL;
	x->message = refctl_buf_detach(&msg);
	x->order = d->n - 1;
	if (sev == REFCTL_DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

void refctl_diags_add_last_error(struct refctl_diags *d)
{
	refctl_diags_add(d, REFCTL_DIAG_ERROR, refctl_error_last_file(), refctl_error_last_line(),
			 refctl_error_last_col(), NULL, "%s", refctl_error_last_message());
}

/*
 * Diagnostics as bytes: for each, its line, column, severity, and the
 * lengths of its field (UINT32_MAX for none) and message, as 32-bit
 * native integers, then the field's and the message's bytes.
 */
static void put_u32(struct refctl_buf *out, uint32_t v)
{
	refctl_buf_put(out, &v, sizeof(v));
}

void refctl_diags_encode(struct refctl_buf *out, const struct refctl_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct refctl_diag *x = &d->v[i];
		put_u32(out, x->line);
		put_u32(out, x->col);
		put_u32(out, (uint32_t)x->severity);
		put_u32(out, x->field ? (uint32_t)strlen(x->field) : UINT32_MAX);
		put_u32(out, (uint32_t)strlen(x->message));
		if (x->field)
			refctl_buf_puts(out, x->field);
		refctl_buf_puts(out, x->message);
	}
}

int refctl_diags_decode(struct refctl_diags *d, const char *file, const void *data, size_t len)
{
	const char *p = data, *end = p + len;

	while (p < end) {
		uint32_t v[5];
		const char *field = NULL;
		size_t flen = 0;
		if ((size_t)(end - p) < sizeof(v))
			return -1;
		memcpy(v, p, sizeof(v));
		p += sizeof(v);
		if (v[2] > REFCTL_DIAG_WARNING)
			return -1;
		if (v[3] != UINT32_MAX) {
			flen = v[3];
			if ((size_t)(end - p) < flen)
				return -1;
			field = p;
			p += flen;
		}
		if ((size_t)(end - p) < v[4])
			return -1;
		if (d) {
			char fbuf[256];
			if (field && flen >= sizeof(fbuf))
				return -1;
			if (field)
				memcpy(fbuf, field, flen), fbuf[flen] = 0;
			refctl_diags_add(d, (enum refctl_severity)v[2], file, v[0], v[1], field ? fbuf : NULL, "%.*s",
					 (int)v[4], p);
		}
		p += v[4];
	}
	return 0;
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct refctl_diag *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

void refctl_diags_sort(struct refctl_diags *d)
{
	/* ties keep the order in which problems were found */
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(d->v[0]), diag_cmp);
}

void refctl_diags_release(struct refctl_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].field);
		free(d->v[i].message);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* ---- the schema's shorthands ---- */

#define T_STR REFCTL_TYPE_STRING
#define T_TEXT REFCTL_TYPE_TEXT
#define T_ENUM REFCTL_TYPE_ENUM
#define T_INT REFCTL_TYPE_INTEGER
#define T_MONEY REFCTL_TYPE_MONEY
#define T_DATE REFCTL_TYPE_DATE
#define T_BOOL REFCTL_TYPE_BOOLEAN
#define T_DATEORBOOL REFCTL_TYPE_DATE_OR_BOOLEAN
#define T_LIST REFCTL_TYPE_LIST
#define T_MAP REFCTL_TYPE_MAP
#define T_MAPLIST REFCTL_TYPE_MAP_LIST

typedef struct refctl_field fdef;

static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i + 1;
	return 0;
}

/* ---- validation ---- */

struct vctx {
	const char *file;
	struct refctl_diags *diags;
	int errors;
	int stop;
};

static void report(struct vctx *vc, enum refctl_severity sev, const struct refctl_node *at,
		   const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct vctx *vc, enum refctl_severity sev, const struct refctl_node *at,
		   const char *field, const char *fmt, ...)
{
	struct refctl_buf msg = REFCTL_BUF_INIT;
	va_list ap;
	unsigned line = at ? at->line : 1, col = at ? at->col : 1;

	if (vc->stop)
		return;
	va_start(ap, fmt);
	refctl_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (vc->diags) {
		refctl_diags_add(vc->diags, sev, vc->file, line, col, field, "%s", msg.ptr);
	} else if (sev == REFCTL_DIAG_ERROR) {
		refctl__error_at(REFCTL_EINVALID, vc->file, line, col, "%s", msg.ptr);
		vc->stop = 1;
	}
	if (sev == REFCTL_DIAG_ERROR)
		vc->errors++;
	refctl_buf_release(&msg);
}

static void join_names(struct refctl_buf *b, const char *const *names)
{
	refctl_schema_join_values(b, names);
}

static int parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!*s || strchr(" \t+", *s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		return -1;
	/* no leading zeros ("08"), which YAML 1.1 reads as octal */
	if ((s[0] == '0' && s[1]) || (s[0] == '-' && s[1] == '0'))
		return -1;
	*out = v;
	return 0;
}

static void validate_fields(struct vctx *vc, const struct refctl_node *map,
			    const fdef *fields, void *base, const char *prefix);

/* prefix.name into buf; called for every field, so no printf. */
static void path_of(char *buf, size_t size, const char *prefix, const char *name)
{
	size_t np = prefix ? strlen(prefix) : 0, nn = strlen(name);

	if (np + nn + 2 > size) {
		snprintf(buf, size, "%s.%s", prefix, name);
		return;
	}
	if (np) {
		memcpy(buf, prefix, np);
		buf[np++] = '.';
	}
	memcpy(buf + np, name, nn + 1);
}

/* path[N] without printf: this runs for every request */
static void item_path(char *buf, size_t size, const char *path, size_t i)
{
	size_t pl = strlen(path);
	char num[24], *e = num + sizeof(num);
	size_t k = i + 1;

	if (pl + 24 >= size) {
		snprintf(buf, size, "%s[%zu]", path, i + 1);
		return;
	}
	*--e = '\0';
	do
		*--e = (char)('0' + k % 10);
	while ((k /= 10) != 0);
	memcpy(buf, path, pl);
	buf[pl] = '[';
	strcpy(buf + pl + 1, e);
	strcat(buf + pl + 1, "]");
}

/* Keep a valid value in the typed view, as the row's storage says. */
static void store_value(const fdef *f, char *p, const char *str, long num, int64_t cents, refctl_date d,
			int idx)
{
	if (!p)
		return;
	switch (f->storage) {
	case REFCTL_STORE_STR:
		*(const char **)p = str;
		break;
	case REFCTL_STORE_INDEX:
		*(int *)p = idx;
		break;
	case REFCTL_STORE_INT:
	case REFCTL_STORE_BOOL:
		*(int *)p = (int)num;
		break;
	case REFCTL_STORE_LONG:
		*(long *)p = num;
		break;
	case REFCTL_STORE_CENTS:
		*(int64_t *)p = cents;
		break;
	case REFCTL_STORE_DATE:
		*(refctl_date *)p = d;
		break;
	case REFCTL_STORE_NONE:
	case REFCTL_STORE_STRLIST:
	case REFCTL_STORE_ARRAY:
		break;
	}
}

static void validate_list(struct vctx *vc, const fdef *f, const struct refctl_node *v, char *p,
			  const char *path)
{
	struct refctl_strlist *l = f->storage == REFCTL_STORE_STRLIST ? (struct refctl_strlist *)p : NULL;
	struct refctl_buf tmp = REFCTL_BUF_INIT;

	if (v->kind != REFCTL_NODE_SEQ) {
		report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a list of strings", path);
		return;
	}
	if (l) {
		l->v = refctl__calloc(v->n ? v->n : 1, sizeof(*l->v));
		l->n = 0;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct refctl_node *it = v->items[i];
		if (it->kind != REFCTL_NODE_SCALAR || refctl_yaml_is_null(it) || memchr(it->str, '\n', it->len)) {
			report(vc, REFCTL_DIAG_ERROR, it, path, "%s must be a list of strings", path);
			continue;
		}
		if (f->values && !name_index(f->values, it->str)) {
			refctl_buf_clear(&tmp);
			join_names(&tmp, f->values);
			report(vc, REFCTL_DIAG_ERROR, it, path, "%s: '%s' is not one of %s", path, it->str, tmp.ptr);
			continue;
		}
		if (f->check && !f->check(it->str)) {
			report(vc, REFCTL_DIAG_ERROR, it, path, "%s: '%s' is not %s", path, it->str, f->expect);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (v->items[j]->kind == REFCTL_NODE_SCALAR && refctl_vocab_eq(v->items[j]->str, it->str)) {
				report(vc, REFCTL_DIAG_WARNING, it, path, "%s: '%s' is listed twice", path, it->str);
				break;
			}
		if (l)
			l->v[l->n++] = it->str;
	}
	refctl_buf_release(&tmp);
}

static void validate_items(struct vctx *vc, const fdef *f, const struct refctl_node *v, void *base,
			   const char *path)
{
	size_t *count = (size_t *)((char *)base + f->count_off);
	char *arr;

	if (v->kind != REFCTL_NODE_SEQ) {
		report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a list of maps", path);
		return;
	}
	arr = refctl__calloc(v->n ? v->n : 1, f->elem_size);
	*(char **)((char *)base + f->off) = arr;
	*count = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct refctl_node *it = v->items[i];
		char ipath[256], *elem = arr + *count * f->elem_size;
		item_path(ipath, sizeof(ipath), path, i);
		if (it->kind != REFCTL_NODE_MAP) {
			report(vc, REFCTL_DIAG_ERROR, it, ipath, "%s must be a map", ipath);
			continue;
		}
		refctl_schema_view_reset(f->sub, elem);
		*(unsigned *)(elem + f->line_off) = it->line;
		*(unsigned *)(elem + f->col_off) = it->col;
		validate_fields(vc, it, f->sub, elem, ipath);
		(*count)++;
	}
}

static void validate_value(struct vctx *vc, const fdef *f, const struct refctl_node *v,
			   void *base, const char *path)
{
	char *p = base && f->storage != REFCTL_STORE_NONE ? (char *)base + f->off : NULL;
	struct refctl_buf tmp = REFCTL_BUF_INIT;
	int scalar = v->kind == REFCTL_NODE_SCALAR;

	if (refctl_yaml_is_null(v))
		return; /* "field:" with no value counts as absent */

	switch (f->type) {
	case T_STR:
	case T_TEXT:
		if (!scalar) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a string", path);
			break;
		}
		if (f->type == T_STR && memchr(v->str, '\n', v->len)) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a single line", path);
			break;
		}
		if (f->check && !f->check(v->str)) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be %s, not '%s'", path,
			       f->expect, v->str);
			break;
		}
		store_value(f, p, v->str, 0, 0, 0, 0);
		break;
	case T_INT: {
		long x;
		if (!scalar || v->is_string || parse_long(v->str, &x) < 0 || x < f->min || x > f->max) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be an integer from %ld to %ld", path,
			       f->min, f->max);
			break;
		}
		store_value(f, p, NULL, x, 0, 0, 0);
		break;
	}
	case T_MONEY: {
		int64_t cents;
		if (!scalar || v->is_string || refctl_money_parse(v->str, &cents) < 0) {
			report(vc, REFCTL_DIAG_ERROR, v, path,
			       "%s must be an amount from 0 to 10000000000000 with at most two decimals", path);
			break;
		}
		store_value(f, p, NULL, 0, cents, 0, 0);
		break;
	}
	case T_DATE: {
		refctl_date d;
		if (!scalar || refctl_date_parse_n(&d, v->str, v->len) < 0) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a date YYYY-MM-DD%s%s%s", path,
			       scalar ? ", not '" : "", scalar ? v->str : "", scalar ? "'" : "");
			break;
		}
		store_value(f, p, NULL, 0, 0, d, 0);
		break;
	}
	case T_BOOL:
		if (!scalar || v->is_string || (strcmp(v->str, "true") && strcmp(v->str, "false"))) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be true or false", path);
			break;
		}
		store_value(f, p, NULL, !strcmp(v->str, "true"), 0, 0, 0);
		break;
	case T_DATEORBOOL: {
		refctl_date d;
		if (!scalar || (strcmp(v->str, "true") && strcmp(v->str, "false") &&
				refctl_date_parse_n(&d, v->str, v->len) < 0)) {
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a date YYYY-MM-DD, true or false", path);
			break;
		}
		store_value(f, p, v->str, 0, 0, 0, 0);
		break;
	}
	case T_ENUM: {
		int idx = scalar ? name_index(f->values, v->str) : 0;
		if (!idx) {
			join_names(&tmp, f->values);
			if (scalar)
				report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be one of %s, not '%s'",
				       path, tmp.ptr, v->str);
			else
				report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be one of %s", path, tmp.ptr);
			break;
		}
		store_value(f, p, v->str, 0, 0, 0, idx);
		break;
	}
	case T_LIST:
		validate_list(vc, f, v, p, path);
		break;
	case T_MAP:
		if (v->kind != REFCTL_NODE_MAP) {
			/* say what it holds: an older form may have been a scalar */
			refctl_buf_clear(&tmp);
			for (const struct refctl_field *sf = f->sub; sf && sf->name; sf++)
				refctl_buf_printf(&tmp, "%s%s", tmp.size ? ", " : "", sf->name);
			if (tmp.size)
				report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a map of %s (%s)", path, tmp.ptr,
				       f->help ? f->help : "");
			else
				report(vc, REFCTL_DIAG_ERROR, v, path, "%s must be a map", path);
			break;
		}
		validate_fields(vc, v, f->sub, base, path);
		break;
	case T_MAPLIST:
		validate_items(vc, f, v, base, path);
		break;
	}
	refctl_buf_release(&tmp);
}

static void validate_fields(struct vctx *vc, const struct refctl_node *map,
			    const fdef *fields, void *base, const char *prefix)
{
	char path[192];
	/* the value each row was given, by the row's index: the required
	 * rows are then checked without looking every key up again */
	const struct refctl_node *given[128];
	size_t nfields = 0;
	const fdef *next = fields;

	while (fields[nfields].name)
		nfields++;
	if (nfields <= sizeof(given) / sizeof(given[0]))
		memset(given, 0, nfields * sizeof(given[0]));
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct refctl_node *k = map->items[i], *v = map->items[i + 1];
		const fdef *f;
		/* Canonical files list keys in schema order: try the one after
		 * the last match first. */
		if (next->name && !strcmp(next->name, k->str)) {
			f = next;
		} else {
			for (f = fields; f->name; f++)
				if (!strcmp(f->name, k->str))
					break;
		}
		if (f->name) {
			next = f + 1;
			if (nfields <= sizeof(given) / sizeof(given[0]) && !given[f - fields])
				given[f - fields] = v; /* the first, as refctl_node_get finds */
		}
		path_of(path, sizeof(path), prefix, k->str);
		if (!f->name) {
			report(vc, REFCTL_DIAG_WARNING, k, path, "unknown key '%s'", path);
			continue;
		}
		validate_value(vc, f, v, base, path);
	}
	for (const fdef *f = fields; f->name; f++) {
		const struct refctl_node *v;
		if (!(f->flags & REFCTL_FIELD_REQUIRED))
			continue;
		v = nfields <= sizeof(given) / sizeof(given[0]) ? given[f - fields] : refctl_node_get(map, f->name);
		path_of(path, sizeof(path), prefix, f->name);
		if (!v)
			report(vc, REFCTL_DIAG_ERROR, map, path, "missing required field '%s'", path);
		else if (refctl_yaml_is_null(v) || (v->kind == REFCTL_NODE_SCALAR && v->len == 0))
			report(vc, REFCTL_DIAG_ERROR, v, path, "%s must not be empty", path);
	}
}

static const char *file_stem(const char *file, char *buf, size_t size)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	if (!(n = refctl__advocate_file_stem(base)))
		n = strlen(base);
	if (n >= size)
		n = size - 1;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return buf;
}

static const struct refctl_node *request_node(const struct refctl_record *rec, size_t i,
					      const char *key)
{
	const struct refctl_node *reqs = refctl_node_get(rec->root, "requests"), *r;
	if (!reqs || reqs->kind != REFCTL_NODE_SEQ)
		return NULL;
	/* the typed array skips non-maps: find the map whose line matches */
	for (size_t k = 0; k < reqs->n; k++) {
		r = reqs->items[k];
		if (r->kind == REFCTL_NODE_MAP && r->line == rec->a.requests[i].line &&
		    r->col == rec->a.requests[i].col)
			return key ? (refctl_node_get(r, key) ? refctl_node_get(r, key) : r) : r;
	}
	return NULL;
}

static const struct refctl_node *reward_node(const struct refctl_record *rec, size_t i)
{
	const struct refctl_node *ws = refctl_node_get(rec->root, "rewards");
	if (!ws || ws->kind != REFCTL_NODE_SEQ)
		return NULL;
	for (size_t k = 0; k < ws->n; k++)
		if (ws->items[k]->kind == REFCTL_NODE_MAP && ws->items[k]->line == rec->a.rewards[i].line)
			return refctl_node_get(ws->items[k], "request") ? refctl_node_get(ws->items[k], "request")
									: ws->items[k];
	return NULL;
}

/* For each of n strings (NULL ones never match), the index of the first
 * earlier one equal to it, or n: a sort, not a scan of every pair, as a
 * file may hold thousands of requests. One per thread, as files are
 * validated on several threads at once. */
static _Thread_local const char *const *dup_strs;
static int dup_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(dup_strs[x], dup_strs[y]);
	return c ? c : (x < y ? -1 : x > y);
}

static size_t *first_equal(const char *const *strs, size_t n)
{
	size_t *idx = refctl__calloc(n + 1, sizeof(*idx)), *first = refctl__calloc(n + 1, sizeof(*first)), k = 0;

	for (size_t i = 0; i < n; i++) {
		first[i] = n;
		if (strs[i])
			idx[k++] = i;
	}
	dup_strs = strs;
	qsort(idx, k, sizeof(*idx), dup_cmp);
	for (size_t i = 1; i < k; i++)
		if (!strcmp(strs[idx[i]], strs[idx[i - 1]]))
			first[idx[i]] = first[idx[i - 1]] < n ? first[idx[i - 1]] : idx[i - 1];
	free(idx);
	return first;
}

/* The id node of item i of list name (the tree's items in file order, as
 * the typed view has them for a valid list). */
static const struct refctl_node *item_id_node(const struct refctl_record *rec, const char *name, unsigned line)
{
	const struct refctl_node *seq = refctl_node_get(rec->root, name);
	for (size_t k = 0; seq && seq->kind == REFCTL_NODE_SEQ && k < seq->n; k++)
		if (seq->items[k]->kind == REFCTL_NODE_MAP && seq->items[k]->line == line)
			return refctl_node_get(seq->items[k], "id");
	return NULL;
}

/*
 * The ids of rewards and content: optional (older files have none), of
 * the form of request ids, unique in their list. The row's key row says
 * where the typed view keeps an item's id.
 */
static void validate_item_ids(struct vctx *vc, const struct refctl_record *rec, const char *name, size_t n,
			      const void *items, size_t size)
{
	const struct refctl_advocate *a = &rec->a;
	const fdef *f = refctl_schema_field(refctl_schema_advocate(), name);
	size_t id_off = refctl_schema_field(f->sub, f->key)->off;

	const char **ids = refctl__calloc(n + 1, sizeof(*ids));
	size_t *first;

	for (size_t i = 0; i < n; i++)
		ids[i] = *(const char *const *)((const char *)items + i * size + id_off);
	first = first_equal(ids, n);
	for (size_t i = 0; i < n; i++) {
		const char *item = (const char *)items + i * size;
		const char *id = ids[i];
		unsigned line = *(const unsigned *)(item + f->line_off);
		char path[64];
		if (!id)
			continue;
		snprintf(path, sizeof(path), "%s[%zu]", name, i + 1);
		if (!a->id || !refctl_item_id_kind(NULL, id, a->id)) {
			report(vc, REFCTL_DIAG_ERROR, item_id_node(rec, name, line), path,
			       "%s.id must be %s/YYMMDD-XXXXXXXX, not '%s'", path, a->id ? a->id : "ADVOCATE", id);
			continue;
		}
		if (first[i] < n)
			report(vc, REFCTL_DIAG_ERROR, item_id_node(rec, name, line), path,
			       "duplicate %s id '%s' (also on line %u)", name, id,
			       *(const unsigned *)((const char *)items + first[i] * size + f->line_off));
	}
	free(ids);
	free(first);
}

/* The map of item i of the typed array of a list, by its line and column,
 * and its key if it has one (the map itself otherwise). */
static const struct refctl_node *list_item_node(const struct refctl_record *rec, const char *list,
						unsigned line, unsigned col, const char *key)
{
	const struct refctl_node *seq = refctl_node_get(rec->root, list), *r;
	if (!seq || seq->kind != REFCTL_NODE_SEQ)
		return NULL;
	for (size_t k = 0; k < seq->n; k++) {
		r = seq->items[k];
		if (r->kind == REFCTL_NODE_MAP && r->line == line && r->col == col)
			return key && refctl_node_get(r, key) ? refctl_node_get(r, key) : r;
	}
	return NULL;
}

static void validate_referrals(struct vctx *vc, struct refctl_record *rec)
{
	struct refctl_advocate *a = &rec->a;

	/* ids as request ids are, unique in the list (required by the row) */
	validate_item_ids(vc, rec, "referrals", a->nreferrals, a->referrals, sizeof(*a->referrals));

	for (size_t i = 0; i < a->nreferrals; i++) {
		const struct refctl_referral *r = &a->referrals[i];
		char path[64];
#define AT(key) list_item_node(rec, "referrals", r->line, r->col, key)
		snprintf(path, sizeof(path), "referrals[%zu]", i + 1);
		if (r->opened != REFCTL_DATE_NONE && r->closed != REFCTL_DATE_NONE && r->closed < r->opened)
			report(vc, REFCTL_DIAG_ERROR, AT("closed"), path, "%s: closed before opened", path);
		if (r->opened != REFCTL_DATE_NONE && r->qualified != REFCTL_DATE_NONE && r->qualified < r->opened)
			report(vc, REFCTL_DIAG_ERROR, AT("qualified"), path, "%s: qualified before opened", path);
		if (r->qualified != REFCTL_DATE_NONE && r->closed != REFCTL_DATE_NONE && r->closed < r->qualified)
			report(vc, REFCTL_DIAG_ERROR, AT("closed"), path, "%s: closed before qualified", path);
		if (r->status && refctl_ref_is_open(r->status) && r->closed != REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_ERROR, AT("closed"), path, "%s is %s but has a closed date", path,
			       refctl_ref_status_name(r->status));
		if (r->status && !refctl_ref_is_open(r->status) && r->closed == REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_ERROR, AT("status"), path, "%s is %s but has no closed date", path,
			       refctl_ref_status_name(r->status));
		if (r->status == REFCTL_REF_QUALIFIED && r->qualified == REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_ERROR, AT("status"), path, "%s is qualified but has no qualified date", path);
#undef AT
	}
	for (size_t i = 0; i < a->nrewards; i++) {
		const struct refctl_reward *w = &a->rewards[i];
		size_t k = 0;
		if (!w->referral)
			continue;
		while (k < a->nreferrals && !(a->referrals[k].id && !strcmp(a->referrals[k].id, w->referral)))
			k++;
		if (k == a->nreferrals) {
			char path[64];
			snprintf(path, sizeof(path), "rewards[%zu]", i + 1);
			report(vc, REFCTL_DIAG_WARNING, list_item_node(rec, "rewards", w->line, w->col, "referral"), path,
			       "%s names referral '%s', which is not in this file", path, w->referral);
		}
	}
	if (a->referred_by && a->id && !strcmp(a->referred_by, a->id))
		report(vc, REFCTL_DIAG_ERROR, refctl_node_get(rec->root, "referred_by"), "referred_by",
		       "referred_by names the advocate itself");
}

static void validate_requests(struct vctx *vc, struct refctl_record *rec)
{
	struct refctl_advocate *a = &rec->a;
	const char **ids = refctl__calloc(a->nrequests + 1, sizeof(*ids));
	size_t *first;

	for (size_t i = 0; i < a->nrequests; i++)
		ids[i] = a->requests[i].id;
	first = first_equal(ids, a->nrequests);
	for (size_t i = 0; i < a->nrequests; i++) {
		struct refctl_request *r = &a->requests[i];
		char path[64];
		snprintf(path, sizeof(path), "requests[%zu]", i + 1);
		if (r->id) {
			unsigned long seq = 0;
			if (!a->id || !refctl_item_id_kind(&seq, r->id, a->id)) {
				report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "id"), path,
				       "%s.id must be %s/YYMMDD-XXXXXXXX or %s/N, not '%s'", path,
				       a->id ? a->id : "ADVOCATE", a->id ? a->id : "ADVOCATE", r->id);
			} else {
				r->seq = seq;
			}
			if (first[i] < a->nrequests)
				report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "id"), path,
				       "duplicate request id '%s' (also on line %u)", r->id,
				       a->requests[first[i]].line);
		}
		if (r->opened != REFCTL_DATE_NONE && r->closed != REFCTL_DATE_NONE && r->closed < r->opened)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "closed"), path,
			       "%s: closed before opened", path);
		if (r->opened != REFCTL_DATE_NONE && r->scheduled != REFCTL_DATE_NONE &&
		    r->scheduled < r->opened)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "scheduled"), path,
			       "%s: scheduled before opened", path);
		if (r->status && refctl_req_is_open(r->status) && r->closed != REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "closed"), path,
			       "%s is %s but has a closed date", path, refctl_req_status_name(r->status));
		if (r->status && !refctl_req_is_open(r->status) && r->closed == REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "status"), path,
			       "%s is %s but has no closed date", path, refctl_req_status_name(r->status));
		if (r->outcome && r->status != REFCTL_REQ_COMPLETED)
			report(vc, REFCTL_DIAG_ERROR, request_node(rec, i, "outcome"), path,
			       "%s has an outcome but is %s, not completed", path,
			       refctl_req_status_name(r->status));
		if (r->status == REFCTL_REQ_REQUESTED && r->approved_by)
			report(vc, REFCTL_DIAG_WARNING, request_node(rec, i, "approved_by"), path,
			       "%s is requested but names approved_by", path);
		if ((r->status == REFCTL_REQ_REQUESTED || r->status == REFCTL_REQ_APPROVED) &&
		    r->scheduled != REFCTL_DATE_NONE)
			report(vc, REFCTL_DIAG_WARNING, request_node(rec, i, "scheduled"), path,
			       "%s is %s but has a scheduled date", path, refctl_req_status_name(r->status));
	}
	free(ids);
	free(first);
	validate_item_ids(vc, rec, "rewards", a->nrewards, a->rewards, sizeof(*a->rewards));
	validate_item_ids(vc, rec, "content", a->ncontent, a->content, sizeof(*a->content));
	for (size_t i = 0; i < a->nrewards; i++) {
		const struct refctl_reward *w = &a->rewards[i];
		if (w->request && !refctl_advocate_request(a, w->request, NULL)) {
			char path[64];
			snprintf(path, sizeof(path), "rewards[%zu]", i + 1);
			report(vc, REFCTL_DIAG_WARNING, reward_node(rec, i), path,
			       "%s names request '%s', which is not in this file", path, w->request);
		}
	}
}

/* The node of field key of content item i (the item's map without one). */
static const struct refctl_node *content_node(const struct refctl_record *rec, size_t i, const char *key)
{
	const struct refctl_content *c = &rec->a.content[i];
	return list_item_node(rec, "content", c->line, c->col, key);
}

static const struct refctl_content *content_by_id(const struct refctl_advocate *a, const char *id)
{
	for (size_t i = 0; id && i < a->ncontent; i++)
		if (a->content[i].id && !strcmp(a->content[i].id, id))
			return &a->content[i];
	return NULL;
}

/*
 * Content across its fields and items: expires after created, a
 * translation's original in this file, in another language, approved no
 * later than the translation, and no chain of translations that comes back
 * to itself; used names request ids or dates.
 */
static void validate_content(struct vctx *vc, struct refctl_record *rec)
{
	const struct refctl_advocate *a = &rec->a;
	char d1[11], d2[11];

	for (size_t i = 0; i < a->ncontent; i++) {
		const struct refctl_content *c = &a->content[i], *o;
		char path[64];
		snprintf(path, sizeof(path), "content[%zu]", i + 1);
		if (c->created != REFCTL_DATE_NONE && c->expires != REFCTL_DATE_NONE && c->expires <= c->created)
			report(vc, REFCTL_DIAG_ERROR, content_node(rec, i, "expires"), path,
			       "%s.expires must be after created (%s), not %s", path,
			       refctl_date_format(d1, c->created), refctl_date_format(d2, c->expires));
		for (size_t k = 0; k < c->used.n; k++) {
			refctl_date d;
			const char *u = c->used.v[k], *slash = strchr(u, '/');
			if (refctl_date_parse(&d, u) == 0)
				continue;
			if (slash && slash > u && (size_t)(slash - u) < 64) {
				char adv[64];
				memcpy(adv, u, (size_t)(slash - u));
				adv[slash - u] = '\0';
				if (refctl_id_valid(adv) && refctl_item_id_kind(NULL, u, adv))
					continue;
			}
			report(vc, REFCTL_DIAG_ERROR, content_node(rec, i, "used"), path,
			       "%s.used: '%s' is not a request id (ADVOCATE/YYMMDD-XXXXXXXX) or a date YYYY-MM-DD", path, u);
		}
		if (!c->translation_of)
			continue;
		if (c->id && !strcmp(c->translation_of, c->id)) {
			report(vc, REFCTL_DIAG_ERROR, content_node(rec, i, "translation_of"), path,
			       "%s.translation_of names the item itself", path);
			continue;
		}
		if (!(o = content_by_id(a, c->translation_of))) {
			report(vc, REFCTL_DIAG_ERROR, content_node(rec, i, "translation_of"), path,
			       "%s.translation_of names '%s', which is not a content item of this file", path,
			       c->translation_of);
			continue;
		}
		if (c->lang && o->lang && refctl_vocab_eq(c->lang, o->lang))
			report(vc, REFCTL_DIAG_ERROR, content_node(rec, i, "lang"), path,
			       "%s.lang is %s, the language of its original '%s': a translation must be in another language",
			       path, c->lang, o->id);
		if (c->approved_by && (!o->approved_by || c->approved_date < o->approved_date)) {
			if (o->approved_by)
				report(vc, REFCTL_DIAG_ERROR, content_node(rec, i, "approved"), path,
				       "%s is approved on %s, before its original '%s' (%s)", path,
				       refctl_date_format(d1, c->approved_date), o->id,
				       refctl_date_format(d2, o->approved_date));
			else
				report(vc, REFCTL_DIAG_ERROR, content_node(rec, i, "approved"), path,
				       "%s is approved, but its original '%s' is not", path, o->id);
		}
		/* a loop: following translation_of comes back to this item */
		for (size_t steps = 0; o && steps <= a->ncontent; steps++) {
			if (o == c) {
				report(vc, REFCTL_DIAG_ERROR, content_node(rec, i, "translation_of"), path,
				       "%s.translation_of makes a loop of translations", path);
				break;
			}
			o = content_by_id(a, o->translation_of);
		}
	}
}

static void view_reset(struct refctl_advocate *a)
{
	refctl_schema_view_reset(refctl_schema_advocate(), a);
}

int refctl_record_validate(struct refctl_record *rec, struct refctl_diags *diags)
{
	struct vctx vc = { rec->file, diags, 0, 0 };
	char stem[256];

	view_reset(&rec->a);
	if (rec->root->kind != REFCTL_NODE_MAP) {
		report(&vc, REFCTL_DIAG_ERROR, rec->root, NULL,
		       "an advocate file must be a map of fields (id, name, company, status, ...)");
		return REFCTL_EINVALID;
	}
	validate_fields(&vc, rec->root, refctl_schema_advocate(), &rec->a, "");
	if (rec->a.id && !vc.stop) {
		const struct refctl_node *idn = refctl_node_get(rec->root, "id");
		if (!refctl_id_valid(rec->a.id))
			report(&vc, REFCTL_DIAG_ERROR, idn, "id",
			       "id '%s' must be lowercase letters, digits and '-' (at most 63, not starting with '-')",
			       rec->a.id);
		else if (strchr(rec->file, '/') || strstr(rec->file, ".yaml"))
			if (strcmp(file_stem(rec->file, stem, sizeof(stem)), rec->a.id))
				report(&vc, REFCTL_DIAG_ERROR, idn, "id",
				       "id '%s' does not match the file name '%s.yaml'", rec->a.id, stem);
	}
	if (!vc.stop) {
		validate_requests(&vc, rec);
		validate_referrals(&vc, rec);
		validate_content(&vc, rec);
	}
	return vc.errors ? REFCTL_EINVALID : 0;
}

/* A record of root, not validated yet. */
static struct refctl_record *record_of(const char *file, struct refctl_node *root)
{
	struct refctl_record *rec = refctl__calloc(1, sizeof(*rec));

	rec->file = refctl__strdup(file);
	rec->root = root;
	view_reset(&rec->a);
	return rec;
}

int refctl_record_from_node(struct refctl_record **out, const char *file,
			    struct refctl_node *root, struct refctl_diags *diags)
{
	struct refctl_record *rec = record_of(file, root);
	int error;

	*out = NULL;
	if ((error = refctl_record_validate(rec, diags)) < 0) {
		refctl_record_free(rec);
		return error;
	}
	*out = rec;
	return 0;
}

/* Conflict markers make confusing YAML errors: name them plainly first. */
static int check_conflict_markers(const char *file, const char *data, size_t len,
				  struct refctl_diags *diags)
{
	unsigned line = 1;
	int found = 0;

	for (size_t i = 0; i < len; line++) {
		const char *eol = memchr(data + i, '\n', len - i);
		size_t n = eol ? (size_t)(eol - (data + i)) : len - i;
		const char *s = data + i;
		if ((n >= 7 && (!memcmp(s, "<<<<<<<", 7) || !memcmp(s, ">>>>>>>", 7) ||
				!memcmp(s, "|||||||", 7)) && (n == 7 || s[7] == ' ')) ||
		    (n == 7 && !memcmp(s, "=======", 7))) {
			if (!diags)
				return refctl__error_at(REFCTL_EINVALID, file, line, 1,
							"unresolved git merge conflict (conflict marker '%.7s'); resolve it and remove the markers",
							s);
			refctl_diags_add(diags, REFCTL_DIAG_ERROR, file, line, 1, NULL,
					 "unresolved git merge conflict (conflict marker '%.7s'); resolve it and remove the markers",
					 s);
			found = 1;
		}
		i += n + 1;
	}
	return found ? REFCTL_EINVALID : 0;
}

int refctl_record_parse(struct refctl_record **out, const char *file,
			const char *data, size_t len, struct refctl_diags *diags)
{
	return refctl_record_parse_encode(out, NULL, file, data, len, diags);
}

/* Append src's diagnostics to dst, in their order. */
static void diags_append(struct refctl_diags *dst, const struct refctl_diags *src)
{
	for (size_t i = 0; i < src->n; i++)
		refctl_diags_add(dst, src->v[i].severity, src->v[i].file, src->v[i].line, src->v[i].col,
				 src->v[i].field, "%s", src->v[i].message);
}

/*
 * refctl_record_from_node() for the parse cache, which keeps a valid
 * file's warnings too: validate collecting every diagnostic, then give
 * the caller what it asked for (diags, or the first error as the last
 * error, which is what validating without diags stops at).
 */
static int from_node_encoded(struct refctl_record **out, struct refctl_record_encoded *enc, const char *file,
			     struct refctl_node *root, struct refctl_diags *diags)
{
	struct refctl_diags mine = REFCTL_DIAGS_INIT;
	struct refctl_record *rec = record_of(file, root);
	int error;

	*out = NULL;
	if ((error = refctl_record_validate(rec, &mine)) < 0) {
		refctl_node_encode(&enc->tree, root); /* a hit validates it again, for its diagnostics */
		refctl_record_free(rec);
	} else {
		refctl_schema_view_encode(&enc->image, refctl_schema_advocate(), &rec->a, sizeof(rec->a));
		refctl_diags_encode(&enc->diags, &mine);
		*out = rec;
	}
	if (diags) {
		diags_append(diags, &mine);
	} else if (error < 0) {
		for (size_t i = 0; i < mine.n; i++)
			if (mine.v[i].severity == REFCTL_DIAG_ERROR) {
				refctl__error_at(REFCTL_EINVALID, mine.v[i].file, mine.v[i].line, mine.v[i].col, "%s",
						 mine.v[i].message);
				break;
			}
	}
	refctl_diags_release(&mine);
	return error;
}

void refctl_record_encoded_release(struct refctl_record_encoded *enc)
{
	refctl_buf_release(&enc->tree);
	refctl_buf_release(&enc->image);
	refctl_buf_release(&enc->diags);
}

int refctl_record_parse_encode(struct refctl_record **out, struct refctl_record_encoded *enc, const char *file,
			       const char *data, size_t len, struct refctl_diags *diags)
{
	struct refctl_yaml_docs docs;
	struct refctl_node *root;
	int error;

	*out = NULL;
	/* memchr first: the marker characters are rare in YAML, and a memchr
	 * scan is much cheaper than memmem on every file loaded */
	if ((memchr(data, '=', len) && memmem(data, len, "\n=======", 8)) ||
	    (memchr(data, '<', len) && memmem(data, len, "<<<<<<<", 7)) ||
	    (memchr(data, '>', len) && memmem(data, len, ">>>>>>>", 7)))
		if ((error = check_conflict_markers(file, data, len, diags)) < 0)
			return error;
	if ((error = refctl_yaml_load(&docs, file, data, len, 0)) < 0) {
		if (diags)
			refctl_diags_add_last_error(diags);
		return error;
	}
	if (docs.n == 0) {
		refctl_yaml_docs_release(&docs);
		error = refctl__error_at(REFCTL_EINVALID, file, 1, 1, "file is empty");
		if (diags)
			refctl_diags_add_last_error(diags);
		return error;
	}
	root = docs.v[0];
	docs.v[0] = NULL;
	docs.n = 0;
	if (enc) {
		enc->src.comment_line = docs.comment_line;
		enc->src.bom = docs.bom;
		enc->src.crlf_line = docs.crlf_line;
		error = from_node_encoded(out, enc, file, root, diags);
	} else {
		error = refctl_record_from_node(out, file, root, diags);
	}
	if (*out) {
		(*out)->comment_line = docs.comment_line;
		(*out)->bom = docs.bom;
		(*out)->crlf_line = docs.crlf_line;
	}
	refctl_yaml_docs_release(&docs);
	return error;
}

void refctl_record_free(struct refctl_record *rec)
{
	if (!rec)
		return;
	if (rec->image)
		free(rec->image); /* the view's lists and arrays are in it */
	else
		view_reset(&rec->a);
	free(rec->lazy);
	refctl_node_free(rec->root);
	free(rec->file);
	free(rec);
}

struct refctl_node *refctl_record_tree(const struct refctl_record *rec)
{
	struct refctl_record *r = (struct refctl_record *)rec; /* reading it once is not a change */

	if (!r->root && r->load_tree)
		r->load_tree(r);
	return r->root;
}

int refctl_record_from_image(struct refctl_record **out, const char *file, void *img, size_t len,
			     const void *dblock, size_t dlen, struct refctl_diags *diags)
{
	struct refctl_record *rec;
	void *copy = img;

	*out = NULL;
	if (len < sizeof(rec->a) || refctl_diags_decode(NULL, file, dblock, dlen) < 0 ||
	    refctl_schema_view_decode(refctl_schema_advocate(), copy, len, sizeof(rec->a)) < 0) {
		free(copy);
		return -1;
	}
	rec = refctl__calloc(1, sizeof(*rec));
	rec->file = refctl__strdup(file);
	memcpy(&rec->a, copy, sizeof(rec->a));
	rec->image = copy;
	if (diags)
		refctl_diags_decode(diags, file, dblock, dlen);
	*out = rec;
	return 0;
}

/* ---- canonical form ---- */

static void canon_map(struct refctl_node *map, const fdef *fields);

static void canon_value(struct refctl_node *v, const fdef *f)
{
	if (!f) {
		return; /* unknown: as read */
	}
	switch (f->type) {
	case T_STR:
	case T_TEXT:
	case T_ENUM:
		if (v->kind == REFCTL_NODE_SCALAR && !refctl_yaml_is_null(v))
			v->is_string = 1;
		break;
	case T_LIST:
		if (v->kind == REFCTL_NODE_SEQ)
			for (size_t i = 0; i < v->n; i++)
				if (v->items[i]->kind == REFCTL_NODE_SCALAR)
					v->items[i]->is_string = 1;
		break;
	case T_INT:
	case T_MONEY:
	case T_DATE:
	case T_BOOL:
	case T_DATEORBOOL:
		if (v->kind == REFCTL_NODE_SCALAR)
			v->is_string = 0;
		break;
	case T_MAP:
		if (v->kind == REFCTL_NODE_MAP)
			canon_map(v, f->sub);
		break;
	case T_MAPLIST:
		if (v->kind == REFCTL_NODE_SEQ)
			for (size_t i = 0; i < v->n; i++)
				if (v->items[i]->kind == REFCTL_NODE_MAP)
					canon_map(v->items[i], f->sub);
		break;
	}
}

static void canon_map(struct refctl_node *map, const fdef *fields)
{
	struct refctl_node **sorted;
	size_t k = 0;
	unsigned char *used;

	if (!map->n)
		return;
	sorted = refctl__malloc(map->n * sizeof(*sorted));
	used = refctl__calloc(map->n / 2 + 1, 1);
	for (const fdef *f = fields; f->name; f++)
		for (size_t i = 0; i + 1 < map->n; i += 2)
			if (!used[i / 2] && !strcmp(map->items[i]->str, f->name)) {
				used[i / 2] = 1;
				map->items[i]->is_string = 1;
				canon_value(map->items[i + 1], f);
				sorted[k++] = map->items[i];
				sorted[k++] = map->items[i + 1];
				break;
			}
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (!used[i / 2]) {
			sorted[k++] = map->items[i];
			sorted[k++] = map->items[i + 1];
		}
	memcpy(map->items, sorted, k * sizeof(*sorted));
	free(sorted);
	free(used);
}

void refctl_record_tree_canonicalize(struct refctl_node *root)
{
	if (root && root->kind == REFCTL_NODE_MAP)
		canon_map(root, refctl_schema_advocate());
}

void refctl_record_canonicalize(struct refctl_record *rec)
{
	refctl_record_tree_canonicalize(refctl_record_tree(rec));
}

int refctl_record_format(struct refctl_buf *out, struct refctl_record *rec)
{
	refctl_record_canonicalize(rec);
	if (!rec->root)
		return REFCTL_EIO; /* the tree could not be read: the last error says why */
	return refctl_yaml_emit(out, rec->root);
}

/* ---- edits ---- */

/* "unknown field 'nsp' (did you mean nps?)", from the settable fields. */
static int unknown_field(const char *path)
{
	struct refctl_buf fields = REFCTL_BUF_INIT, similar = REFCTL_BUF_INIT;
	const char **v;
	size_t n = 1;
	int error;

	refctl_record_settable_fields(&fields);
	for (const char *p = fields.ptr; (p = strchr(p, ',')); p++)
		n++;
	v = refctl__calloc(n + 1, sizeof(*v));
	n = 0;
	for (char *p = fields.ptr, *comma; p; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		v[n++] = p;
	}
	refctl_suggest(&similar, path, v);
	for (char *p = similar.ptr; (p = strchr(p, ',')); p++)
		*p = ' ';
	if (similar.size)
		error = refctl__error(REFCTL_EINVALID, "unknown field '%s' (did you mean %s?)", path, similar.ptr);
	else
		error = refctl__error(REFCTL_EINVALID, "unknown field '%s' (see 'refctl help set')", path);
	free(v);
	refctl_buf_release(&fields);
	refctl_buf_release(&similar);
	return error;
}

/* The row of a field set/unset may change, or an error saying why not. */
static int settable_def(const char *path, const fdef **out, const fdef **parent)
{
	const fdef *f = refctl_schema_find(path, parent);

	*out = NULL;
	if (f && !(f->flags & REFCTL_FIELD_SETTABLE) && !strcmp(path, "id"))
		return refctl__error(REFCTL_EINVALID,
				     "the id cannot be changed: it names the file and the request ids");
	if (f && f->type == REFCTL_TYPE_MAP_LIST && !strcmp(f->name, "referrals"))
		return refctl__error(REFCTL_EINVALID, "'%s' is changed with 'refctl referral'", path);
	if (f && f->type == REFCTL_TYPE_MAP_LIST)
		return refctl__error(REFCTL_EINVALID,
				     "'%s' is changed with 'refctl request' and 'refctl reward'", path);
	if (!f || !(f->flags & REFCTL_FIELD_SETTABLE) || (*parent && !((*parent)->flags & REFCTL_FIELD_SETTABLE))) {
		if (!strncmp(path, "requests", 8) || !strncmp(path, "rewards", 7))
			return refctl__error(REFCTL_EINVALID,
					     "'%s' is changed with 'refctl request' and 'refctl reward'", path);
		return unknown_field(path);
	}
	*out = f;
	return 0;
}

static int collect_settable(const char *path, const fdef *f, const fdef *parent, void *payload)
{
	struct refctl_buf *b = payload;
	(void)parent;
	if ((f->flags & REFCTL_FIELD_SETTABLE) && f->type != REFCTL_TYPE_MAP)
		refctl_buf_printf(b, "%s%s", b->size ? "," : "", path);
	return 0;
}

void refctl_record_settable_fields(struct refctl_buf *out)
{
	refctl_buf_clear(out);
	refctl_schema_foreach(collect_settable, out);
}

int refctl_record_field_is_list(const char *path)
{
	const fdef *f = refctl_schema_find(path, NULL);
	return f && refctl_schema_is_list(f);
}

static struct refctl_node *value_node(const fdef *f, const char *value)
{
	struct refctl_node *n;

	if (f->type != T_LIST)
		return refctl_node_scalar(value, f->type == T_STR || f->type == T_TEXT || f->type == T_ENUM);
	n = refctl_node_seq();
	for (const char *p = value; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len)
			refctl_node_append(n, refctl_node_scalarn(p, len, 1));
		if (!comma)
			break;
		p = comma + 1;
	}
	return n;
}

/* The map a path's field lives in: root, or root's member map (made if
 * create, else NULL when there is none). */
static struct refctl_node *field_map(struct refctl_node *root, const fdef *parent, int create)
{
	struct refctl_node *sub;

	if (!parent)
		return root;
	sub = refctl_node_get(root, parent->name);
	if ((!sub || sub->kind != REFCTL_NODE_MAP) && create) {
		refctl_node_set(root, parent->name, refctl_node_map());
		sub = refctl_node_get(root, parent->name);
	}
	return sub && sub->kind == REFCTL_NODE_MAP ? sub : NULL;
}

int refctl_record_tree_set(struct refctl_node *root, const char *path, const char *value, int append)
{
	const fdef *parent, *f = refctl_schema_find(path, &parent);
	struct refctl_node *map, *cur;

	if (!f || f->type == T_MAP || f->type == T_MAPLIST ||
	    !(f->flags & (REFCTL_FIELD_SETTABLE | REFCTL_FIELD_REQUIRED)))
		return refctl__error(REFCTL_EINVALID, "unknown field '%s'", path);
	map = field_map(root, parent, 1);
	cur = refctl_node_get(map, f->name);
	if (append && f->type == T_LIST && cur && cur->kind == REFCTL_NODE_SEQ)
		refctl_node_append(cur, refctl_node_scalar(value, 1));
	else if (append && f->type == T_LIST) {
		struct refctl_node *seq = refctl_node_seq();
		refctl_node_append(seq, refctl_node_scalar(value, 1));
		refctl_node_set(map, f->name, seq);
	} else
		refctl_node_set(map, f->name, value_node(f, value));
	return 0;
}

int refctl_record_tree_unset(struct refctl_node *root, const char *path)
{
	const fdef *parent, *f = refctl_schema_find(path, &parent);
	struct refctl_node *map;

	if (!f || f->type == T_MAP || f->type == T_MAPLIST)
		return refctl__error(REFCTL_EINVALID, "unknown field '%s'", path);
	if (!(map = field_map(root, parent, 0)))
		return 0;
	refctl_node_remove(map, f->name);
	if (parent && map->n == 0)
		refctl_node_remove(root, parent->name);
	return 0;
}

void refctl_record_tree_defaults(struct refctl_node *root)
{
	for (const fdef *f = refctl_schema_advocate(); f->name; f++)
		if ((f->flags & REFCTL_FIELD_REQUIRED) && f->defval && !refctl_node_get(root, f->name))
			refctl_record_tree_set(root, f->name, f->defval, 0);
}

void refctl_record_restore(struct refctl_record *rec, const struct refctl_node *saved)
{
	refctl_node_free(rec->root);
	rec->root = refctl_node_clone(saved);
	refctl_record_validate(rec, NULL);
}

int refctl_record_validate_or_restore(struct refctl_record *rec, const struct refctl_node *saved, int name_file)
{
	char msg[1024];
	int error;

	if ((error = refctl_record_validate(rec, NULL)) >= 0)
		return 0;
	/* keep the message, but point at the field, not a line of a tree we made */
	snprintf(msg, sizeof(msg), "%s", refctl_error_last_message());
	refctl_record_restore(rec, saved);
	if (name_file)
		return refctl__error(error, "%s: %s", rec->file, msg);
	return refctl__error(error, "%s", msg);
}

int refctl_record_change(struct refctl_record *rec, refctl_record_change_fn fn, void *payload)
{
	struct refctl_node *saved = refctl_node_clone(rec->root);
	int error;

	if ((error = fn(rec->root, payload)) < 0)
		refctl_record_restore(rec, saved);
	else
		error = refctl_record_validate_or_restore(rec, saved, 0);
	refctl_node_free(saved);
	return error;
}

struct edit {
	const fdef *f, *parent;
	const char *value; /* NULL to unset */
};

static int apply_edit(struct refctl_node *root, void *payload)
{
	const struct edit *e = payload;
	struct refctl_node *map = field_map(root, e->parent, e->value != NULL);
	const char *value = e->value;

	if (e->f->type == T_MAP) {
		refctl_node_remove(root, e->f->name);
		return 0;
	}
	if (!map)
		return 0;
	if (value && e->f->type == T_LIST && !*value)
		value = NULL; /* "products=" empties the list: remove it */
	if (value) {
		refctl_node_set(map, e->f->name, value_node(e->f, value));
	} else {
		refctl_node_remove(map, e->f->name);
		if (e->parent && map->n == 0)
			refctl_node_remove(root, e->parent->name);
	}
	return 0;
}

struct list_edit {
	const fdef *f, *parent;
	const char *values; /* comma-separated */
	int remove;
};

static int apply_list_edit(struct refctl_node *root, void *payload)
{
	const struct list_edit *e = payload;
	struct refctl_node *map = field_map(root, e->parent, !e->remove), *seq = NULL;
	struct refctl_node *given = value_node(e->f, e->values);
	int error = 0;

	if (map)
		seq = refctl_node_get(map, e->f->name);
	if (seq && seq->kind != REFCTL_NODE_SEQ && !refctl_yaml_is_null(seq)) {
		error = refctl__error(REFCTL_EINVALID, "%s is not a list in the file", e->f->name);
		goto done;
	}
	if (!e->remove && (!seq || seq->kind != REFCTL_NODE_SEQ)) {
		refctl_node_set(map, e->f->name, refctl_node_seq());
		seq = refctl_node_get(map, e->f->name);
	}
	for (size_t i = 0; i < given->n; i++) {
		const char *v = given->items[i]->str;
		size_t at = (size_t)-1;
		for (size_t k = 0; seq && k < seq->n; k++)
			if (seq->items[k]->kind == REFCTL_NODE_SCALAR && refctl_vocab_eq(seq->items[k]->str, v))
				at = k;
		if (!e->remove) {
			if (at == (size_t)-1) /* no duplicates: a value listed already stays once */
				refctl_node_append(seq, refctl_node_scalar(v, 1));
			continue;
		}
		if (at == (size_t)-1) {
			error = refctl__error(REFCTL_EINVALID, "%s has no '%s' to remove", e->f->name, v);
			goto done;
		}
		refctl_node_free(seq->items[at]);
		memmove(seq->items + at, seq->items + at + 1, (seq->n - at - 1) * sizeof(*seq->items));
		seq->n--;
	}
	if (seq && seq->n == 0) {
		refctl_node_remove(map, e->f->name); /* an empty list is no list */
		if (e->parent && map->n == 0)
			refctl_node_remove(root, e->parent->name);
	}
done:
	refctl_node_free(given);
	return error;
}

int refctl_record_human_date(struct refctl_buf *out, const char *path, const char *value, refctl_date today)
{
	const fdef *f = refctl_schema_find(path, NULL);
	refctl_date d;
	char iso[11];

	refctl_buf_clear(out);
	if (f && f->type == T_DATE && refctl_date_parse(&d, value) < 0 &&
	    refctl_date_parse_human(&d, value, today) == 0) {
		refctl_buf_puts(out, refctl_date_format(iso, d));
		return 1;
	}
	refctl_error_clear();
	refctl_buf_puts(out, value);
	return 0;
}

int refctl_record_list_edit(struct refctl_record *rec, const char *path, const char *values, int remove)
{
	struct list_edit e = { NULL, NULL, values, remove };
	int error;

	if ((error = settable_def(path, &e.f, &e.parent)) < 0)
		return error;
	if (e.f->type != T_LIST)
		return refctl__error(REFCTL_EINVALID, "%s is not a list: use %s=VALUE", path, path);
	if (!*values)
		return refctl__error(REFCTL_EINVALID, "%s%s= needs a value", path, remove ? "-" : "+");
	return refctl_record_change(rec, apply_list_edit, &e);
}

int refctl_record_set(struct refctl_record *rec, const char *path, const char *value)
{
	struct edit e = { NULL, NULL, value };
	int error;

	if ((error = settable_def(path, &e.f, &e.parent)) < 0)
		return error;
	if (e.f->type == T_MAP)
		return refctl__error(REFCTL_EINVALID, "'%s' is a map: set its members (%s.%s ...)", path, path,
				     e.f->sub[0].name);
	return refctl_record_change(rec, apply_edit, &e);
}

int refctl_record_unset(struct refctl_record *rec, const char *path)
{
	struct edit e = { NULL, NULL, NULL };
	int error;

	if ((error = settable_def(path, &e.f, &e.parent)) < 0)
		return error;
	if (e.f->flags & REFCTL_FIELD_REQUIRED)
		return refctl__error(REFCTL_EINVALID, "'%s' is required and cannot be unset", path);
	return refctl_record_change(rec, apply_edit, &e);
}

const struct refctl_request *refctl_advocate_request(const struct refctl_advocate *a,
						     const char *id, size_t *index)
{
	for (size_t i = 0; i < a->nrequests; i++)
		if (a->requests[i].id && !strcmp(a->requests[i].id, id)) {
			if (index)
				*index = i;
			return &a->requests[i];
		}
	return NULL;
}

long refctl_advocate_balance(const struct refctl_advocate *a)
{
	long bal = 0;
	for (size_t i = 0; i < a->nrewards; i++) {
		bal += a->rewards[i].points;
		if (bal < 0)
			bal = 0;
	}
	return bal;
}

/* ---- ids and vocabulary ---- */

int refctl_id_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 63)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Latin letters with diacritics, U+00C0 to U+017F, folded to ASCII. */
static const char *translit(unsigned cp)
{
	static const char *const latin1[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	};
	/* U+0100..U+017F, 16 a line; '?' where two letters are needed */
	static const char ext_a[128] =
		"aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii" "ii??jjkkklllllll"
		"lllnnnnnnnnnoooo" "oo??rrrrrrssssss" "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";
	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f) {
		static _Thread_local char one[2];
		if (cp == 0x132 || cp == 0x133)
			return "ij";
		if (cp == 0x152 || cp == 0x153)
			return "oe";
		one[0] = ext_a[cp - 0x100];
		one[1] = '\0';
		return one;
	}
	return NULL;
}

void refctl_id_derive(struct refctl_buf *out, const char *name, const char *company)
{
	const char *parts[2] = { name ? name : "", company ? company : "" };
	int sep = 0;

	refctl_buf_clear(out);
	for (int k = 0; k < 2; k++) {
		const unsigned char *s = (const unsigned char *)parts[k];
		sep = out->size > 0;
		while (*s) {
			unsigned cp = *s;
			size_t n = 1;
			const char *t = NULL;
			char c[2] = { 0, 0 };
			if (cp >= 0xc0 && cp < 0xe0 && (s[1] & 0xc0) == 0x80) {
				cp = ((cp & 0x1f) << 6) | (s[1] & 0x3f);
				n = 2;
			} else if (cp >= 0xe0 && cp < 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
				cp = ((cp & 0x0f) << 12) | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
				n = 3;
			} else if (cp >= 0x80) {
				while (s[n] && (s[n] & 0xc0) == 0x80)
					n++;
				cp = 0;
			}
			if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
				c[0] = (char)cp;
				t = c;
			} else if (cp >= 'A' && cp <= 'Z') {
				c[0] = (char)(cp - 'A' + 'a');
				t = c;
			} else if (cp == '\'' || cp == 0x2019) {
				t = ""; /* O'Brien -> obrien */
			} else {
				t = translit(cp);
			}
			if (t && *t) {
				if (sep && out->size)
					refctl_buf_putc(out, '-');
				sep = 0;
				refctl_buf_puts(out, t);
			} else if (!t) {
				sep = 1;
			}
			s += n;
		}
	}
	if (out->size > 63)
		refctl_buf_truncate(out, 63);
	while (out->size && out->ptr[out->size - 1] == '-')
		refctl_buf_truncate(out, out->size - 1);
	if (!out->size)
		refctl_buf_puts(out, "advocate");
}

int refctl_activity_check(const char *s)
{
	struct refctl_buf list = REFCTL_BUF_INIT;

	for (int i = 0; refctl_activities[i]; i++)
		if (refctl_vocab_eq(refctl_activities[i], s))
			return 0;
	refctl_schema_join_values(&list, refctl_activities);
	refctl__error(REFCTL_EINVALID, "unknown activity '%s' (expected one of %s)", s, list.ptr);
	refctl_buf_release(&list);
	return REFCTL_EINVALID;
}

void refctl_vocab_norm(struct refctl_buf *out, const char *s)
{
	refctl_buf_clear(out);
	for (; *s; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (c == ' ' || c == '_')
			c = '-';
		refctl_buf_putc(out, c);
	}
}

static int vocab_char(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 'a' - 'A';
	if (c == ' ' || c == '_')
		return '-';
	return c;
}

int refctl_vocab_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (vocab_char((unsigned char)*a) != vocab_char((unsigned char)*b))
			return 0;
	return !*a && !*b;
}

/* ---- item ids ---- */

/* Crockford's base32, lowercase: no i, l, o or u to misread. In ASCII
 * order, so fixed-width tokens sort as their numbers do. */
static const char base32[] = "0123456789abcdefghjkmnpqrstvwxyz";

static int random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return refctl__error(REFCTL_EIO, "cannot get random bytes for a new id: %s",
					     r < 0 ? strerror(errno) : "none given");
		got += (size_t)r;
	}
	return 0;
}

int refctl_item_id_new(struct refctl_buf *out, const char *advocate, refctl_date day)
{
	unsigned char rnd[5];
	uint64_t bits = 0;
	char d[11], token[REFCTL_ITEM_TOKEN_LEN + 1];
	int error;

	refctl_buf_clear(out);
	if ((error = random_bytes(rnd, sizeof(rnd))) < 0)
		return error;
	for (size_t i = 0; i < sizeof(rnd); i++)
		bits = bits << 8 | rnd[i];
	refctl_date_format(d, day);
	/* YYMMDD from YYYY-MM-DD */
	memcpy(token, d + 2, 2);
	memcpy(token + 2, d + 5, 2);
	memcpy(token + 4, d + 8, 2);
	token[6] = '-';
	for (int i = 14; i >= 7; i--, bits >>= 5)
		token[i] = base32[bits & 31];
	token[15] = '\0';
	refctl_buf_printf(out, "%s/%s", advocate, token);
	return 0;
}

int refctl_item_id_kind(unsigned long *seq, const char *id, const char *advocate)
{
	size_t n = strlen(advocate);
	const char *t = id + n + 1;

	if (seq)
		*seq = 0;
	if (strncmp(id, advocate, n) || id[n] != '/')
		return 0;
	if (strlen(t) == REFCTL_ITEM_TOKEN_LEN && t[6] == '-') {
		for (int i = 0; i < 6; i++)
			if (t[i] < '0' || t[i] > '9')
				return 0;
		for (int i = 7; i < REFCTL_ITEM_TOKEN_LEN; i++)
			if (!strchr(base32, t[i]) || !t[i])
				return 0;
		return 1;
	}
	if (*t >= '1' && *t <= '9') {
		char *end;
		unsigned long v;
		errno = 0;
		v = strtoul(t, &end, 10);
		if (*end || errno || v > 1000000000UL)
			return 0;
		if (seq)
			*seq = v;
		return 2;
	}
	return 0;
}

/* The canonical text of an item, to compare items without ids. */
static char *item_text(const struct refctl_node *item)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	struct refctl_node *copy = refctl_node_clone(item);
	refctl_yaml_emit(&b, copy);
	refctl_node_free(copy);
	return refctl_buf_detach(&b);
}

int refctl_record_assign_ids(struct refctl_node *root, const struct refctl_node *before, refctl_date today)
{
	const struct refctl_node *idn = refctl_node_get(root, "id");
	struct refctl_buf id = REFCTL_BUF_INIT;
	int given = 0, error = 0;

	if (!idn || idn->kind != REFCTL_NODE_SCALAR || !refctl_id_valid(idn->str))
		return 0; /* validation will say why */
	for (const fdef *f = refctl_schema_advocate(); f->name && !error; f++) {
		struct refctl_node *seq = refctl_node_get(root, f->name);
		const struct refctl_node *old = before ? refctl_node_get(before, f->name) : NULL;
		char **olds = NULL;
		size_t nold = 0;
		if (f->type != T_MAPLIST || !f->key || !seq || seq->kind != REFCTL_NODE_SEQ)
			continue;
		if (old && old->kind == REFCTL_NODE_SEQ) {
			olds = refctl__calloc(old->n + 1, sizeof(*olds));
			for (size_t i = 0; i < old->n; i++)
				if (old->items[i]->kind == REFCTL_NODE_MAP && !refctl_node_get(old->items[i], f->key))
					olds[nold++] = item_text(old->items[i]);
		}
		for (size_t i = 0; i < seq->n && !error; i++) {
			struct refctl_node *it = seq->items[i], *dn;
			refctl_date day = today;
			int kept = 0;
			if (it->kind != REFCTL_NODE_MAP || refctl_node_get(it, f->key))
				continue;
			if (nold) {
				char *text = item_text(it);
				for (size_t k = 0; k < nold && !kept; k++)
					if (olds[k] && !strcmp(olds[k], text)) {
						free(olds[k]); /* each old item matches once */
						olds[k] = NULL;
						kept = 1;
					}
				free(text);
			}
			if (kept)
				continue;
			if (f->order && (dn = refctl_node_get(it, f->order)) && dn->kind == REFCTL_NODE_SCALAR &&
			    refctl_date_parse_n(&day, dn->str, dn->len) < 0)
				day = today;
			if ((error = refctl_item_id_new(&id, idn->str, day)) < 0)
				break;
			refctl_node_set(it, f->key, refctl_node_scalar(id.ptr, 1));
			given++;
		}
		for (size_t k = 0; k < nold; k++)
			free(olds[k]);
		free(olds);
	}
	refctl_buf_release(&id);
	return error < 0 ? error : given;
}
