/*
 * Three-way merge of advocate files: git's merge driver (`refctl
 * merge-file`) and the description of its conflicts for `refctl check`.
 *
 * Design note. The invariants, and the function that keeps each:
 *   M1. Every rule is the schema row's (schema.c, S6), never a field's
 *       name (merge_value): a scalar, a map member or a key with no row
 *       takes the change of the one side that changed it, the same change
 *       made on both sides once, and different changes on both sides are a
 *       conflict of that field alone; a LIST row's items are a set
 *       (merge_set); a MAP_LIST row's items are matched by the row's key
 *       and merged field by field (merge_items).
 *   M2. Nothing of either side is lost: an item is dropped only when one
 *       side deleted it and the other left it as it was; what the rules
 *       cannot decide is a conflict, whose lines carry both values between
 *       markers (render_conflicts).
 *   M3. The result is the canonical form of the merged tree. Resolving
 *       every conflict to one side gives the canonical form of a tree with
 *       that side's values (render_conflicts renders each value as the
 *       emitter renders it in place).
 *   M4. A side that is not a valid advocate file (a YAML error, markers of
 *       an earlier merge, a broken rule, a comment that rewriting would
 *       lose, more than 1 MiB) is merged as lines by libgit2
 *       (refctl__git_merge_lines), and the reason is given (side_parse).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refctl/merge.h"
#include "git.h"
#include "util.h"

typedef struct refctl_field fdef;
typedef struct refctl_node node;

void refctl_merge_result_init(struct refctl_merge_result *res)
{
	memset(res, 0, sizeof(*res));
	refctl_buf_init(&res->out);
	refctl_buf_init(&res->why);
	refctl_buf_init(&res->fields);
}

void refctl_merge_result_release(struct refctl_merge_result *res)
{
	if (!res)
		return;
	refctl_buf_release(&res->out);
	refctl_buf_release(&res->why);
	refctl_buf_release(&res->fields);
}

/* ---- the tree merge ---- */

struct conflict {
	char *path;  /* "nps", "requests[acme/261115-7kq2m9xd].status" */
	char *key;   /* a member's key; NULL for items, whose sides are lists */
	node *ours, *theirs; /* NULL: absent on that side */
};

struct merger {
	struct conflict *v;
	size_t n, alloc;
	char token[40]; /* "refctl-conflict-<random>-": no file has it */
};

static node *clone(const node *n)
{
	return n ? refctl_node_clone(n) : NULL;
}

/* Maps are equal whatever their keys' order; everything else as written. */
static int node_eq(const node *a, const node *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->n != b->n)
		return 0;
	switch (a->kind) {
	case REFCTL_NODE_SCALAR:
		return a->is_string == b->is_string && a->len == b->len && !memcmp(a->str, b->str, a->len);
	case REFCTL_NODE_SEQ:
		for (size_t i = 0; i < a->n; i++)
			if (!node_eq(a->items[i], b->items[i]))
				return 0;
		return 1;
	case REFCTL_NODE_MAP:
		for (size_t i = 0; i + 1 < a->n; i += 2)
			if (!node_eq(a->items[i + 1], refctl_node_get(b, a->items[i]->str)))
				return 0;
		return 1;
	}
	return 0;
}

/* A member's value; for a field of the schema, "field:" with no value is
 * absent, as validation has it. */
static const node *member(const node *map, const char *key, const fdef *f)
{
	const node *v = map && map->kind == REFCTL_NODE_MAP ? refctl_node_get(map, key) : NULL;
	return v && f && refctl_yaml_is_null(v) ? NULL : v;
}

/* Record a conflict (taking copies of both sides) and return its place holder. */
static node *conflict(struct merger *m, const char *path, const char *key, const node *ours, const node *theirs)
{
	struct conflict *c;
	char text[64];

	REFCTL__ARRAY_GROW(m->v, m->n + 1, m->alloc);
	c = &m->v[m->n++];
	c->path = refctl__strdup(path);
	c->key = key ? refctl__strdup(key) : NULL;
	c->ours = clone(ours);
	c->theirs = clone(theirs);
	snprintf(text, sizeof(text), "%s%zu", m->token, m->n - 1);
	return refctl_node_scalar(text, 0);
}

/* 1 if each of the three is absent or of that kind. */
static int kinds(const node *b, const node *o, const node *t, enum refctl_node_kind k)
{
	return (!b || b->kind == k) && (!o || o->kind == k) && (!t || t->kind == k);
}

static node *merge_value(struct merger *m, const node *b, const node *o, const node *t, const fdef *f,
			 const char *path, const char *key);

static void join_path(struct refctl_buf *out, const char *path, const char *key)
{
	refctl_buf_clear(out);
	if (path && *path)
		refctl_buf_printf(out, "%s.", path);
	refctl_buf_puts(out, key);
}

/* ---- lists of strings: sets ---- */

struct strix {
	const char *s;
	size_t at; /* position in its list */
};

static int strix_cmp(const void *a, const void *b)
{
	const struct strix *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->at < y->at ? -1 : x->at > y->at);
}

/* The list's strings sorted, for lookups. */
static struct strix *strix_of(const node *seq, size_t *n)
{
	struct strix *v;

	*n = 0;
	v = refctl__calloc(seq && seq->n ? seq->n : 1, sizeof(*v));
	for (size_t i = 0; seq && i < seq->n; i++)
		if (seq->items[i]->kind == REFCTL_NODE_SCALAR) {
			v[*n].s = seq->items[i]->str;
			v[(*n)++].at = i;
		}
	qsort(v, *n, sizeof(*v), strix_cmp);
	return v;
}

/* The first position of s in a strix, or -1. */
static long strix_find(const struct strix *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(v[mid].s, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].s, s) ? (long)v[lo].at : -1;
}

/* Member by member: ours' keys in order, then theirs' others. A key only
 * the base has was deleted on both sides: it stays absent. */
static node *merge_map(struct merger *m, const node *b, const node *o, const node *t, const fdef *fields,
		       const char *path)
{
	const node *sides[2] = { o, t };
	struct refctl_buf sub = REFCTL_BUF_INIT;
	node *out = refctl_node_map(), *okeys = refctl_node_seq();
	struct strix *io;
	size_t no;

	for (size_t i = 0; o && i + 1 < o->n; i += 2)
		refctl_node_append(okeys, o->items[i]);
	io = strix_of(okeys, &no);
	for (int s = 0; s < 2; s++) {
		const node *map = sides[s];
		for (size_t i = 0; map && i + 1 < map->n; i += 2) {
			const char *key = map->items[i]->str;
			const fdef *f = fields ? refctl_schema_field(fields, key) : NULL;
			node *v;
			if (s == 1 && strix_find(io, no, key) >= 0)
				continue; /* merged with ours' */
			join_path(&sub, path, key);
			v = merge_value(m, member(b, key, f), member(o, key, f), member(t, key, f), f, sub.ptr, key);
			if (v)
				refctl_node_set(out, key, v);
		}
	}
	okeys->n = 0; /* borrowed */
	refctl_node_free(okeys);
	free(io);
	refctl_buf_release(&sub);
	return out;
}

/* Append src's items to dst, leaving src empty. */
static void move_all(node *dst, node *src)
{
	for (size_t i = 0; i < src->n; i++)
		refctl_node_append(dst, src->items[i]);
	src->n = 0;
}

/*
 * Items removed on either side are gone, items added on either side are
 * there: ours' order, each of theirs' additions after the item it follows
 * in theirs (and after ours' own additions there).
 */
static node *merge_set(const node *b, const node *o, const node *t)
{
	size_t nb, no, nt, on = o ? o->n : 0, tn = t ? t->n : 0;
	struct strix *ib = strix_of(b, &nb), *io = strix_of(o, &no), *it = strix_of(t, &nt);
	/* theirs' additions by the item of ours they follow: 0 none, k + 1 item k */
	node **after = refctl__calloc(on + 1, sizeof(*after));
	node *out = refctl_node_seq(), *pending = refctl_node_seq();
	long anchor = -1;

	for (size_t i = 0; i <= on; i++)
		after[i] = refctl_node_seq();
	for (size_t i = 0; i < tn; i++) {
		const char *s = t->items[i]->str;
		long at = strix_find(io, no, s);
		if (at >= 0)
			anchor = at;
		else if (strix_find(ib, nb, s) < 0)
			refctl_node_append(after[anchor + 1], refctl_node_clone(t->items[i]));
	}
	move_all(pending, after[0]); /* before ours' first item the base had */
	for (size_t k = 0; k < on; k++) {
		const char *s = o->items[k]->str;
		int in_base = strix_find(ib, nb, s) >= 0;
		if (in_base)
			move_all(out, pending); /* before the next item the base had */
		if (!in_base || strix_find(it, nt, s) >= 0)
			refctl_node_append(out, refctl_node_clone(o->items[k]));
		move_all(pending, after[k + 1]);
	}
	move_all(out, pending);
	for (size_t i = 0; i <= on; i++)
		refctl_node_free(after[i]);
	refctl_node_free(pending);
	free(after);
	free(ib);
	free(io);
	free(it);
	return out;
}

/* ---- lists of maps: items matched by their key ---- */

struct item {
	const char *id; /* NULL: the item has none (older files) */
	const node *n;
	char *text;     /* without id: its canonical text, for matching */
	size_t nth;     /* without id: which copy of that text in its list */
};

struct items {
	struct item *v;
	size_t n;
	struct item **by_id; /* the items with ids, sorted by id */
	size_t nid;
};

static int item_id_cmp(const void *a, const void *b)
{
	return strcmp((*(struct item *const *)a)->id, (*(struct item *const *)b)->id);
}

static char *node_text(const node *n)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	refctl_yaml_emit(&b, n);
	return refctl_buf_detach(&b);
}

static void items_of(struct items *out, const node *seq, const char *key)
{
	memset(out, 0, sizeof(*out));
	if (!seq || !seq->n)
		return;
	out->v = refctl__calloc(seq->n, sizeof(*out->v));
	out->by_id = refctl__calloc(seq->n, sizeof(*out->by_id));
	for (size_t i = 0; i < seq->n; i++) {
		struct item *it = &out->v[out->n++];
		const node *idn = seq->items[i]->kind == REFCTL_NODE_MAP ? refctl_node_get(seq->items[i], key) : NULL;
		it->n = seq->items[i];
		if (idn && idn->kind == REFCTL_NODE_SCALAR && !refctl_yaml_is_null(idn)) {
			it->id = idn->str;
			out->by_id[out->nid++] = it;
		}
	}
	qsort(out->by_id, out->nid, sizeof(*out->by_id), item_id_cmp);
	/* a repeated id (an invalid side) is matched once; the others go by text */
	for (size_t i = 1; i < out->nid; i++)
		if (!strcmp(out->by_id[i]->id, out->by_id[i - 1]->id))
			out->by_id[i]->id = NULL;
	for (size_t i = 0, k = 0; i < out->nid; i++)
		if (out->by_id[i]->id)
			out->by_id[k++] = out->by_id[i];
	{
		size_t k = 0;
		for (size_t i = 0; i < out->nid; i++)
			k += out->by_id[i]->id != NULL;
		out->nid = k;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct item *it = &out->v[i];
		if (it->id)
			continue;
		it->text = node_text(it->n);
		for (size_t j = 0; j < i; j++)
			if (!out->v[j].id && !strcmp(out->v[j].text, it->text))
				it->nth++;
	}
}

static void items_release(struct items *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i].text);
	free(x->v);
	free(x->by_id);
}

static const struct item *items_find(const struct items *x, const char *id)
{
	size_t lo = 0, hi = x->nid;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(x->by_id[mid]->id, id);
		if (!c)
			return x->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* How many items without id of x have this text. */
static size_t text_count(const struct items *x, const char *text)
{
	size_t n = 0;
	for (size_t i = 0; i < x->n; i++)
		n += !x->v[i].id && !strcmp(x->v[i].text, text);
	return n;
}

/* How many copies of an item without id the merge keeps, of cb in the
 * base, co in ours and ct in theirs: the most either side deleted go, the
 * most either side added come. */
static size_t loose_keep(size_t cb, size_t co, size_t ct)
{
	size_t del_o = cb > co ? cb - co : 0, del_t = cb > ct ? cb - ct : 0;
	size_t add_o = co > cb ? co - cb : 0, add_t = ct > cb ? ct - cb : 0;
	return cb - (del_o > del_t ? del_o : del_t) + (add_o > add_t ? add_o : add_t);
}

/* The result list being built, with each item's date (its order field). */
struct out_list {
	node *seq;
	refctl_date *dates;
	size_t alloc;
};

static refctl_date item_date(const node *item, const fdef *f)
{
	const node *d;
	refctl_date day;

	if (!f->order || !item || item->kind != REFCTL_NODE_MAP || !(d = refctl_node_get(item, f->order)) ||
	    d->kind != REFCTL_NODE_SCALAR || refctl_date_parse_n(&day, d->str, d->len) < 0)
		return REFCTL_DATE_NONE;
	return day;
}

static void out_push(struct out_list *l, node *item, refctl_date day)
{
	refctl_node_append(l->seq, item);
	if (l->seq->n > l->alloc) {
		l->alloc = l->seq->n * 2;
		l->dates = refctl__realloc(l->dates, l->alloc * sizeof(*l->dates));
	}
	l->dates[l->seq->n - 1] = day;
}

/* Insert after the last item dated on or before day (at the front if
 * none is); an item without a date goes last. */
static void out_insert(struct out_list *l, node *item, refctl_date day)
{
	size_t n = l->seq->n, at = n;

	out_push(l, item, day);
	if (day != REFCTL_DATE_NONE) {
		int dated = 0;
		at = 0;
		for (size_t i = n; i-- > 0;) {
			if (l->dates[i] == REFCTL_DATE_NONE)
				continue;
			dated = 1;
			if (l->dates[i] <= day) {
				at = i + 1;
				break;
			}
		}
		if (!dated)
			at = n;
	}
	memmove(&l->seq->items[at + 1], &l->seq->items[at], (n - at) * sizeof(node *));
	memmove(&l->dates[at + 1], &l->dates[at], (n - at) * sizeof(refctl_date));
	l->seq->items[at] = item;
	l->dates[at] = day;
}

/* A list holding one copy of item (NULL: an empty list), a side of an
 * item's conflict. */
static node *one_item(const node *item)
{
	node *seq = refctl_node_seq();
	if (item)
		refctl_node_append(seq, refctl_node_clone(item));
	return seq;
}

static node *item_conflict(struct merger *m, const char *path, const node *ours, const node *theirs)
{
	node *o = one_item(ours), *t = one_item(theirs), *ph = conflict(m, path, NULL, o, t);
	refctl_node_free(o);
	refctl_node_free(t);
	return ph;
}

static void item_path(struct refctl_buf *out, const char *path, const char *id)
{
	refctl_buf_clear(out);
	refctl_buf_printf(out, "%s[%s]", path, id);
}

/* The merge of one item that ours has (ti, bi may be NULL). */
static node *merge_item(struct merger *m, const node *bi, const node *oi, const node *ti, const fdef *f,
			const char *path)
{
	node *v;

	if (!ti)
		return node_eq(oi, bi) ? NULL : bi ? item_conflict(m, path, oi, NULL) : clone(oi);
	if (node_eq(oi, ti))
		return clone(oi);
	if (bi && node_eq(oi, bi))
		return clone(ti);
	if (bi && node_eq(ti, bi))
		return clone(oi);
	v = merge_map(m, bi, oi, ti, f->sub, path);
	return v;
}

/*
 * Items without id are matched by their text: each side keeps the copies
 * the other did not delete, and the copies added on either side are there
 * (the same addition on both sides once). When both sides deleted one and
 * added others, the additions may be two edits of it: a conflict of them.
 */
static int loose_ambiguous(const struct items *b, const struct items *o, const struct items *t)
{
	int both_deleted = 0, o_added = 0, t_added = 0, differ = 0;

	for (size_t i = 0; i < b->n; i++)
		if (!b->v[i].id && text_count(o, b->v[i].text) < text_count(b, b->v[i].text) &&
		    text_count(t, b->v[i].text) < text_count(b, b->v[i].text))
			both_deleted = 1;
	for (size_t i = 0; i < o->n; i++)
		if (!o->v[i].id && o->v[i].nth >= text_count(b, o->v[i].text)) {
			o_added = 1;
			differ |= o->v[i].nth >= text_count(t, o->v[i].text);
		}
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].id && t->v[i].nth >= text_count(b, t->v[i].text)) {
			t_added = 1;
			differ |= t->v[i].nth >= text_count(o, t->v[i].text);
		}
	return both_deleted && o_added && t_added && differ;
}

static node *merge_items(struct merger *m, const node *bseq, const node *oseq, const node *tseq, const fdef *f,
			 const char *path)
{
	struct items b, o, t;
	struct out_list l = { refctl_node_seq(), NULL, 0 };
	struct refctl_buf ip = REFCTL_BUF_INIT;
	node *loose_o = refctl_node_seq(), *loose_t = refctl_node_seq();
	int ambiguous;
	long loose_at = -1;

	items_of(&b, bseq, f->key);
	items_of(&o, oseq, f->key);
	items_of(&t, tseq, f->key);
	ambiguous = loose_ambiguous(&b, &o, &t);

	/* ours' items, in ours' order */
	for (size_t i = 0; i < o.n; i++) {
		const struct item *oi = &o.v[i];
		node *v;
		if (oi->id) {
			const struct item *bi = items_find(&b, oi->id), *ti = items_find(&t, oi->id);
			item_path(&ip, path, oi->id);
			v = merge_item(m, bi ? bi->n : NULL, oi->n, ti ? ti->n : NULL, f, ip.ptr);
			if (v)
				out_push(&l, v, item_date(v->kind == REFCTL_NODE_MAP ? v : oi->n, f));
			continue;
		}
		{
			size_t cb = text_count(&b, oi->text);
			size_t keep = loose_keep(cb, text_count(&o, oi->text), text_count(&t, oi->text));
			if (ambiguous && oi->nth >= cb) {
				refctl_node_append(loose_o, refctl_node_clone(oi->n));
				if (loose_at < 0)
					loose_at = (long)l.seq->n;
				continue;
			}
			if (oi->nth < keep)
				out_push(&l, refctl_node_clone(oi->n), item_date(oi->n, f));
		}
	}
	/* theirs' items that ours has not: added, or deleted by ours */
	for (size_t i = 0; i < t.n; i++) {
		const struct item *ti = &t.v[i];
		if (ti->id) {
			const struct item *bi;
			if (items_find(&o, ti->id))
				continue;
			bi = items_find(&b, ti->id);
			item_path(&ip, path, ti->id);
			if (!bi)
				out_insert(&l, refctl_node_clone(ti->n), item_date(ti->n, f));
			else if (!node_eq(ti->n, bi->n))
				out_insert(&l, item_conflict(m, ip.ptr, NULL, ti->n), item_date(ti->n, f));
			continue;
		}
		{
			size_t cb = text_count(&b, ti->text), co = text_count(&o, ti->text);
			size_t keep = loose_keep(cb, co, text_count(&t, ti->text));
			if (ambiguous && ti->nth >= cb) {
				refctl_node_append(loose_t, refctl_node_clone(ti->n));
				continue;
			}
			if (ti->nth >= co && ti->nth < keep)
				out_insert(&l, refctl_node_clone(ti->n), item_date(ti->n, f));
		}
	}
	if (ambiguous) {
		node *ph = conflict(m, path, NULL, loose_o, loose_t);
		size_t at = loose_at < 0 ? l.seq->n : (size_t)loose_at;
		out_push(&l, ph, REFCTL_DATE_NONE);
		memmove(&l.seq->items[at + 1], &l.seq->items[at], (l.seq->n - 1 - at) * sizeof(node *));
		memmove(&l.dates[at + 1], &l.dates[at], (l.seq->n - 1 - at) * sizeof(refctl_date));
		l.seq->items[at] = ph;
		l.dates[at] = REFCTL_DATE_NONE;
	}
	refctl_node_free(loose_o);
	refctl_node_free(loose_t);
	refctl_buf_release(&ip);
	free(l.dates);
	items_release(&b);
	items_release(&o);
	items_release(&t);
	return l.seq;
}

static node *merge_value(struct merger *m, const node *b, const node *o, const node *t, const fdef *f,
			 const char *path, const char *key)
{
	node *v = NULL;

	if (node_eq(o, t))
		return clone(o);
	if (node_eq(o, b))
		return clone(t);
	if (node_eq(t, b))
		return clone(o);
	if (f && f->type == REFCTL_TYPE_MAP && kinds(b, o, t, REFCTL_NODE_MAP)) {
		v = merge_map(m, b, o, t, f->sub, path);
	} else if (f && f->type == REFCTL_TYPE_LIST && kinds(b, o, t, REFCTL_NODE_SEQ)) {
		v = merge_set(b, o, t);
	} else if (f && f->type == REFCTL_TYPE_MAP_LIST && f->key && kinds(b, o, t, REFCTL_NODE_SEQ)) {
		v = merge_items(m, b, o, t, f, path);
	} else {
		return conflict(m, path, key, o, t);
	}
	if (v->n == 0 && (!o || !t)) {
		/* emptied by one side, nothing left from the other: absent */
		refctl_node_free(v);
		return NULL;
	}
	return v;
}

/* ---- rendering the conflicts ---- */

/* Lines of text, each prefixed: the first with first, the others with
 * as many spaces. */
static void put_lines(struct refctl_buf *out, const char *text, const char *first, size_t width)
{
	int line = 0;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (line++ == 0)
			refctl_buf_puts(out, first);
		else
			for (size_t i = 0; i < width; i++)
				refctl_buf_putc(out, ' ');
		refctl_buf_put(out, p, n);
		refctl_buf_putc(out, '\n');
		p += n + (eol ? 1 : 0);
	}
}

/* One side of a conflict as the emitter writes it in place. */
static void side_text(struct refctl_buf *out, const struct conflict *c, const node *v)
{
	node *doc;

	refctl_buf_clear(out);
	if (!v)
		return;
	if (c->key) {
		doc = refctl_node_map();
		refctl_node_set(doc, c->key, refctl_node_clone(v));
	} else {
		if (!v->n)
			return;
		doc = refctl_node_clone(v);
	}
	refctl_yaml_emit(out, doc);
	refctl_node_free(doc);
}

static void marker(struct refctl_buf *out, char c, unsigned size, const char *label)
{
	for (unsigned i = 0; i < size; i++)
		refctl_buf_putc(out, c);
	if (label)
		refctl_buf_printf(out, " %s", label);
	refctl_buf_putc(out, '\n');
}

/*
 * Replace each place holder's line by the conflict's markers: both sides'
 * lines, at the place holder's indentation, and nothing else of the file.
 */
static int render_conflicts(struct refctl_buf *out, const char *text, const struct merger *m,
			    const struct refctl_merge_opts *o)
{
	struct refctl_buf side = REFCTL_BUF_INIT, first = REFCTL_BUF_INIT;
	size_t toklen = strlen(m->token), done = 0;
	unsigned size = o->marker_size ? o->marker_size : 7;

	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		const char *tok = n > toklen ? memmem(p, n, m->token, toklen) : NULL;
		if (!tok) {
			refctl_buf_put(out, p, n);
			refctl_buf_putc(out, '\n');
		} else {
			size_t k = strtoul(tok + toklen, NULL, 10), width;
			const struct conflict *c = k < m->n ? &m->v[k] : NULL;
			const char *start;
			if (!c)
				break;
			/* "INDENT- TOKEN" for an item, "INDENTKEY: TOKEN" for a member,
			 * where INDENT is spaces and the "- " of enclosing items */
			start = p;
			while (start < tok && (*start == ' ' || (start[0] == '-' && start[1] == ' ')))
				start += *start == ' ' ? 1 : 2;
			if (!c->key && start - p >= 2)
				start -= 2;
			refctl_buf_clear(&first);
			refctl_buf_put(&first, p, (size_t)(start - p));
			width = first.size;
			marker(out, '<', size, o->ours_label ? o->ours_label : "ours");
			side_text(&side, c, c->ours);
			put_lines(out, side.ptr, first.ptr, width);
			marker(out, '=', size, NULL);
			side_text(&side, c, c->theirs);
			put_lines(out, side.ptr, first.ptr, width);
			marker(out, '>', size, o->theirs_label ? o->theirs_label : "theirs");
			done++;
		}
		p += n + (eol ? 1 : 0);
	}
	refctl_buf_release(&side);
	refctl_buf_release(&first);
	return done == m->n ? 0 : refctl__error(REFCTL_EINVALID, "cannot place %zu of the merge's conflicts",
					       m->n - done);
}

static void merger_release(struct merger *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].key);
		refctl_node_free(m->v[i].ours);
		refctl_node_free(m->v[i].theirs);
	}
	free(m->v);
}

/* ---- the driver ---- */

/* Parse one side into a tree: NULL with why set if it is no valid advocate file. */
static node *side_parse(const char *label, const char *data, size_t len, int is_base, struct refctl_buf *why)
{
	struct refctl_record *rec = NULL;
	node *root;

	if (is_base && len == 0)
		return refctl_node_map(); /* added on both sides */
	if (len > REFCTL_MAX_FILE) {
		refctl_buf_printf(why, "%s is larger than %d bytes", label, REFCTL_MAX_FILE);
		return NULL;
	}
	if (refctl_record_parse(&rec, label, data, len, NULL) < 0) {
		refctl_buf_printf(why, "%s is not a valid advocate file (%s)", label, refctl_error_last());
		return NULL;
	}
	if (rec->comment_line) {
		refctl_buf_printf(why, "%s has a comment on line %u, which merging fields would lose", label,
				  rec->comment_line);
		refctl_record_free(rec);
		return NULL;
	}
	root = rec->root;
	rec->root = refctl_node_map();
	refctl_record_free(rec);
	refctl_record_tree_canonicalize(root);
	return root;
}

static size_t count_markers(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i + 7 <= len; i++)
		if ((i == 0 || s[i - 1] == '\n') && !memcmp(s + i, "<<<<<<<", 7))
			n++;
	return n;
}

static int merge_lines(struct refctl_merge_result *res, const char *const data[3], const size_t len[3],
		       const struct refctl_merge_opts *o)
{
	const char *labels[3] = { o->base_label ? o->base_label : "base", o->ours_label ? o->ours_label : "ours",
				  o->theirs_label ? o->theirs_label : "theirs" };
	int conflicted = 0, error;

	res->line_merge = 1;
	refctl_buf_clear(&res->out);
	if ((error = refctl__git_merge_lines(&res->out, &conflicted, data, len, labels,
					     o->marker_size ? o->marker_size : 7)) < 0)
		return refctl__error(error, "%s%s%s: not merged, ours is left as it was", o->path ? o->path : "",
				     o->path ? ": " : "", refctl_error_last());
	res->conflicts = conflicted ? count_markers(res->out.ptr, res->out.size) : 0;
	if (conflicted && !res->conflicts)
		res->conflicts = 1;
	return 0;
}

int refctl_merge(struct refctl_merge_result *res, const char *base, size_t nbase, const char *ours,
		 size_t nours, const char *theirs, size_t ntheirs, const struct refctl_merge_opts *opts)
{
	static const struct refctl_merge_opts defaults = REFCTL_MERGE_OPTS_INIT;
	const struct refctl_merge_opts *o = opts ? opts : &defaults;
	const char *data[3] = { base, ours, theirs };
	const size_t len[3] = { nbase, nours, ntheirs };
	static const char *const names[3] = { "base", "ours", "theirs" };
	struct merger m;
	struct refctl_buf text = REFCTL_BUF_INIT;
	node *side[3] = { NULL, NULL, NULL }, *merged = NULL;
	int error = 0;

	refctl_buf_clear(&res->out);
	refctl_buf_clear(&res->why);
	refctl_buf_clear(&res->fields);
	res->conflicts = 0;
	res->line_merge = res->invalid = 0;
	for (int i = 0; i < 3; i++) {
		if (memchr(data[i], '\0', len[i]) || (i > 0 && len[i] == 0)) {
			refctl_buf_printf(&res->why, "%s is %s", names[i], len[i] ? "binary (it has NUL bytes)" : "empty");
			break;
		}
		if (!(side[i] = side_parse(names[i], data[i], len[i], i == 0, &res->why)))
			break;
	}
	if (!side[0] || !side[1] || !side[2]) {
		for (int i = 0; i < 3; i++)
			refctl_node_free(side[i]);
		return merge_lines(res, data, len, o);
	}

	memset(&m, 0, sizeof(m));
	{
		/* the place holders' text, which no file has: random */
		struct refctl_buf id = REFCTL_BUF_INIT;
		error = refctl_item_id_new(&id, "x", 0);
		if (error == 0)
			snprintf(m.token, sizeof(m.token), "refctl-conflict-%s-", strchr(id.ptr, '-') + 1);
		refctl_buf_release(&id);
		if (error < 0)
			goto done;
	}
	merged = merge_map(&m, side[0], side[1], side[2], refctl_schema_advocate(), "");
	refctl_record_tree_canonicalize(merged);
	if ((error = refctl_yaml_emit(&text, merged)) < 0)
		goto done;
	if (m.n) {
		if ((error = render_conflicts(&res->out, text.ptr, &m, o)) < 0)
			goto done;
		res->conflicts = m.n;
		for (size_t i = 0; i < m.n; i++)
			refctl_buf_printf(&res->fields, "%s\n", m.v[i].path);
	} else {
		struct refctl_record *rec = NULL;
		refctl_buf_put(&res->out, text.ptr, text.size);
		if (refctl_record_parse(&rec, o->path ? o->path : "merged", res->out.ptr, res->out.size, NULL) < 0) {
			res->invalid = 1;
			refctl_buf_puts(&res->why, refctl_error_last());
		}
		refctl_record_free(rec);
	}
done:
	merger_release(&m);
	refctl_node_free(merged);
	for (int i = 0; i < 3; i++)
		refctl_node_free(side[i]);
	refctl_buf_release(&text);
	return error;
}

int refctl_merge_files(struct refctl_merge_result *res, const char *base_path, const char *ours_path,
		       const char *theirs_path, const struct refctl_merge_opts *opts)
{
	/* far more than an advocate file: larger ones are merged as lines,
	 * larger still refused */
	const size_t max = 64 * (size_t)REFCTL_MAX_FILE;
	struct refctl_buf b = REFCTL_BUF_INIT, o = REFCTL_BUF_INIT, t = REFCTL_BUF_INIT;
	int error;

	if ((error = refctl__read_file(&b, base_path, max)) < 0 || (error = refctl__read_file(&o, ours_path, max)) < 0 ||
	    (error = refctl__read_file(&t, theirs_path, max)) < 0) {
		/* git made these files: one missing is a failure, not "not found" */
		if (error == REFCTL_ENOTFOUND)
			error = refctl__error(REFCTL_EIO, "%s", refctl_error_last());
		goto done;
	}
	if ((error = refctl_merge(res, b.ptr, b.size, o.ptr, o.size, t.ptr, t.size, opts)) < 0)
		goto done;
	error = refctl__write_atomic(ours_path, res->out.ptr, res->out.size);
done:
	refctl_buf_release(&b);
	refctl_buf_release(&o);
	refctl_buf_release(&t);
	return error;
}

/* ---- conflicts for `refctl check` ---- */

/* The marker a line is: '<', '|', '=' or '>' (seven or more, then a blank
 * or the end), or 0. */
static char marker_of(const char *s, size_t n)
{
	size_t k = 0;

	if (!n || !strchr("<|=>", s[0]))
		return 0;
	while (k < n && s[k] == s[0])
		k++;
	if (k < 7 || (k < n && s[k] != ' ' && s[k] != '\t' && s[k] != '\r'))
		return 0;
	return s[0];
}

int refctl_merge_has_markers(const char *data, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *eol = memchr(data + i, '\n', len - i);
		size_t n = eol ? (size_t)(eol - (data + i)) : len - i;
		if (marker_of(data + i, n) == '<')
			return 1;
		i += n + 1;
	}
	return 0;
}

struct block {
	unsigned start, end; /* the lines of its "<<<<<<<" and ">>>>>>>" */
	int named;           /* a field of it was named */
};

/* One way of resolving every conflict: the text, and for each of its
 * lines the line of the file it comes from. */
struct resolution {
	struct refctl_buf text;
	unsigned *from;
	size_t n, alloc;
};

static void res_line(struct resolution *r, const char *s, size_t n, unsigned line)
{
	refctl_buf_put(&r->text, s, n);
	refctl_buf_putc(&r->text, '\n');
	REFCTL__ARRAY_GROW(r->from, r->n + 2, r->alloc);
	r->from[++r->n] = line; /* from[k]: the file's line of line k (1-based) */
}

struct describer {
	struct refctl_diags *diags;
	const char *file;
	struct block *blocks;
	size_t nblocks;
	const struct resolution *ours, *theirs;
};

/* The line of the "<<<<<<<" of the block holding the file's line, or the line itself. */
static unsigned block_line(struct describer *d, unsigned line)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (line >= d->blocks[i].start && line <= d->blocks[i].end) {
			d->blocks[i].named = 1;
			return d->blocks[i].start;
		}
	return line;
}

static void summary(struct refctl_buf *out, const node *v)
{
	if (!v || refctl_yaml_is_null(v)) {
		refctl_buf_puts(out, "(none)");
	} else if (v->kind == REFCTL_NODE_SCALAR) {
		size_t n = strcspn(v->str, "\n");
		if (!v->len)
			refctl_buf_puts(out, "\"\"");
		refctl_buf_put(out, v->str, n > 40 ? 40 : n);
		if (n > 40 || n < v->len)
			refctl_buf_puts(out, "...");
	} else if (v->kind == REFCTL_NODE_SEQ) {
		size_t start = out->size;
		int scalars = 1;
		for (size_t i = 0; i < v->n; i++)
			scalars &= v->items[i]->kind == REFCTL_NODE_SCALAR;
		if (!scalars) {
			refctl_buf_printf(out, "(%zu item%s)", v->n, v->n == 1 ? "" : "s");
			return;
		}
		refctl_buf_putc(out, '[');
		for (size_t i = 0; i < v->n && out->size - start < 60; i++)
			refctl_buf_printf(out, "%s%s", i ? ", " : "", v->items[i]->str);
		refctl_buf_puts(out, out->size - start >= 60 ? ", ...]" : "]");
	} else {
		refctl_buf_puts(out, "(a map)");
	}
}

static void name_conflict(struct describer *d, const char *path, const node *o, const node *t)
{
	struct refctl_buf a = REFCTL_BUF_INIT, b = REFCTL_BUF_INIT;
	unsigned line = 0;

	if (o && o->line && o->line <= d->ours->n)
		line = d->ours->from[o->line];
	else if (t && t->line && t->line <= d->theirs->n)
		line = d->theirs->from[t->line];
	summary(&a, o);
	summary(&b, t);
	refctl_diags_add(d->diags, REFCTL_DIAG_ERROR, d->file, block_line(d, line), 0, path,
			 "conflict in %s: ours %s, theirs %s", path, a.ptr, b.ptr);
	refctl_buf_release(&a);
	refctl_buf_release(&b);
}

static void diff_value(struct describer *d, const node *o, const node *t, const fdef *f, const char *path,
		       int top);

static void diff_map(struct describer *d, const node *o, const node *t, const fdef *fields, const char *path)
{
	const node *sides[2] = { o, t };
	struct refctl_buf sub = REFCTL_BUF_INIT;

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; sides[s] && i + 1 < sides[s]->n; i += 2) {
			const char *key = sides[s]->items[i]->str;
			const fdef *f = fields ? refctl_schema_field(fields, key) : NULL;
			if (s == 1 && refctl_node_find(o, key) >= 0)
				continue;
			join_path(&sub, path, key);
			diff_value(d, member(o, key, f), member(t, key, f), f, sub.ptr, 0);
		}
	refctl_buf_release(&sub);
}

static void diff_items(struct describer *d, const node *o, const node *t, const fdef *f, const char *path)
{
	struct items io, it;
	struct refctl_buf ip = REFCTL_BUF_INIT;
	int loose_differ = 0;

	items_of(&io, o, f->key);
	items_of(&it, t, f->key);
	for (size_t i = 0; i < io.n; i++) {
		const struct item *x = &io.v[i], *y;
		if (!x->id) {
			loose_differ |= text_count(&it, x->text) != text_count(&io, x->text);
			continue;
		}
		y = items_find(&it, x->id);
		item_path(&ip, path, x->id);
		if (y)
			diff_value(d, x->n, y->n, f, ip.ptr, 1);
		else
			name_conflict(d, ip.ptr, x->n, NULL);
	}
	for (size_t i = 0; i < it.n; i++) {
		const struct item *y = &it.v[i];
		if (!y->id) {
			loose_differ |= text_count(&it, y->text) != text_count(&io, y->text);
			continue;
		}
		if (!items_find(&io, y->id)) {
			item_path(&ip, path, y->id);
			name_conflict(d, ip.ptr, NULL, y->n);
		}
	}
	if (loose_differ) {
		/* the entries without id that differ, by the first of them */
		const node *first_o = NULL, *first_t = NULL;
		for (size_t i = 0; i < io.n && !first_o; i++)
			if (!io.v[i].id && text_count(&it, io.v[i].text) != text_count(&io, io.v[i].text))
				first_o = io.v[i].n;
		for (size_t i = 0; i < it.n && !first_t; i++)
			if (!it.v[i].id && text_count(&it, it.v[i].text) != text_count(&io, it.v[i].text))
				first_t = it.v[i].n;
		name_conflict(d, path, first_o, first_t);
	}
	items_release(&io);
	items_release(&it);
	refctl_buf_release(&ip);
}

/* Name every field where the two resolutions differ, as the merge would
 * see it: maps member by member, lists of maps item by item. */
static void diff_value(struct describer *d, const node *o, const node *t, const fdef *f, const char *path,
		       int item)
{
	if (node_eq(o, t))
		return;
	if (o && t && o->kind == REFCTL_NODE_MAP && t->kind == REFCTL_NODE_MAP &&
	    (item || (f && f->type == REFCTL_TYPE_MAP)))
		diff_map(d, o, t, f->sub, path);
	else if (o && t && o->kind == REFCTL_NODE_SEQ && t->kind == REFCTL_NODE_SEQ && f &&
		 f->type == REFCTL_TYPE_MAP_LIST && f->key)
		diff_items(d, o, t, f, path);
	else
		name_conflict(d, path, o, t);
}

static node *load_tree(const char *file, const struct refctl_buf *text)
{
	struct refctl_yaml_docs docs;
	node *root = NULL;

	if (refctl_yaml_load(&docs, file, text->ptr, text->size, 0) < 0)
		return NULL;
	if (docs.n == 1 && docs.v[0]->kind == REFCTL_NODE_MAP) {
		root = docs.v[0];
		docs.v[0] = NULL;
	}
	refctl_yaml_docs_release(&docs);
	refctl_record_tree_canonicalize(root);
	return root;
}

int refctl_merge_describe(struct refctl_diags *diags, const char *file, const char *data, size_t len)
{
	struct resolution ours = { REFCTL_BUF_INIT, NULL, 0, 0 }, theirs = { REFCTL_BUF_INIT, NULL, 0, 0 };
	struct describer d = { diags, file, NULL, 0, &ours, &theirs };
	struct refctl_diags found = REFCTL_DIAGS_INIT;
	size_t ablocks = 0;
	node *o = NULL, *t = NULL;
	char state = 0; /* 0 outside a conflict, else the last marker */
	unsigned line = 1;
	int ok = 0;

	for (size_t i = 0; i < len; line++) {
		const char *s = data + i, *eol = memchr(s, '\n', len - i);
		size_t n = eol ? (size_t)(eol - s) : len - i;
		char mk = marker_of(s, n);
		i += n + 1;
		if (mk == '<' && !state) {
			REFCTL__ARRAY_GROW(d.blocks, d.nblocks + 1, ablocks);
			d.blocks[d.nblocks].start = line;
			d.blocks[d.nblocks].named = 0;
			d.blocks[d.nblocks++].end = line;
			state = '<';
		} else if (mk == '|' && state == '<') {
			state = '|';
		} else if (mk == '=' && (state == '<' || state == '|')) {
			state = '=';
		} else if (mk == '>' && state == '=') {
			d.blocks[d.nblocks - 1].end = line;
			state = 0;
		} else if (mk) {
			goto done; /* markers out of order: not ours to read */
		} else {
			if (state == 0 || state == '<')
				res_line(&ours, s, n, line);
			if (state == 0 || state == '=')
				res_line(&theirs, s, n, line);
		}
	}
	if (state || !d.nblocks || !(o = load_tree(file, &ours.text)) || !(t = load_tree(file, &theirs.text)))
		goto done;
	d.diags = &found;
	diff_map(&d, o, t, refctl_schema_advocate(), "");
	for (size_t i = 0; i < found.n; i++)
		refctl_diags_add(diags, found.v[i].severity, found.v[i].file, found.v[i].line, found.v[i].col,
				 found.v[i].field, "%s", found.v[i].message);
	for (size_t i = 0; i < d.nblocks; i++)
		if (!d.blocks[i].named)
			refctl_diags_add(diags, REFCTL_DIAG_ERROR, file, d.blocks[i].start, 1, NULL,
					 "unresolved git merge conflict (conflict marker '<<<<<<<'); resolve it and remove the markers");
	ok = 1;
done:
	refctl_diags_release(&found);
	refctl_node_free(o);
	refctl_node_free(t);
	refctl_buf_release(&ours.text);
	refctl_buf_release(&theirs.text);
	free(ours.from);
	free(theirs.from);
	free(d.blocks);
	return ok;
}
