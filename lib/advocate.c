/* Writing advocates: add, set/unset, replace, fmt; and the check of all files. */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refctl/advocate.h"
#include "refctl/merge.h"
#include "refctl/suggest.h"
#include "cache.h"
#include "store_int.h"
#include "util.h"

/* The store keeps the warning even when txn_begin then refused. */
void refctl__pass_warning(const struct refctl_write_opts *opts, const struct refctl_store *s)
{
	const char *w = refctl_store_warning(s);
	if (w && opts && opts->warn_cb)
		opts->warn_cb(w, opts->warn_payload);
}

int refctl__txn_commit_record(struct refctl_txn *t, struct refctl_record *rec, const char *subject,
			      const char *body, const struct refctl_write_opts *opts)
{
	struct refctl_buf text = REFCTL_BUF_INIT;
	int error;

	refctl_buf_puts(&text, body ? body : "");
	if (opts && opts->message && *opts->message)
		refctl_buf_printf(&text, "%s%s", text.size ? "\n" : "", opts->message);
	if ((error = refctl_txn_put_record(t, rec)) == 0)
		error = refctl_txn_commit(t, subject, text.ptr);
	refctl_buf_release(&text);
	return error;
}

/* A UNIQUE field's value in a record, or NULL. */
static const char *unique_value(const struct refctl_field *f, const struct refctl_record *rec)
{
	return f->storage == REFCTL_STORE_STR ? *(const char *const *)((const char *)&rec->a + f->off) : NULL;
}

/* The UNIQUE fields a record has values for, at most this many. */
#define MAX_UNIQUE 16

/*
 * Does another advocate (not except_id) have value[k] of field f[k], for
 * each k whose who[k] is still empty? Its id into who[k]: the first in id
 * order. One walk for all the fields; the parse cache answers for every
 * file it holds (a stat each), so a write reads only the files changed
 * since the last read.
 */
static int values_taken(struct refctl_store *s, const struct refctl_field *const *f, const char *const *value,
			size_t nf, const char *except_id, struct refctl_buf *who)
{
	char **names;
	size_t n, unfound = 0;
	struct refctl_buf data = REFCTL_BUF_INIT, path = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT;
	struct refctl_buf tmp = REFCTL_BUF_INIT;
	struct refctl__cache *cache;
	unsigned jobs;
	int error;

	for (size_t k = 0; k < nf; k++)
		unfound += !who[k].size;
	if (!unfound)
		return 0;
	if ((error = refctl_store_list(s, &names, &n)) < 0)
		return error;
	cache = refctl__store_cache_open(s);
	if (refctl_store_jobs(&jobs) == 0 && jobs > 1)
		refctl__cache_expect(cache, (const char *const *)names, n);
	for (size_t i = 0; i < n && unfound; i++) {
		char id[256];
		struct refctl_record_encoded enc = REFCTL_RECORD_ENCODED_INIT;
		struct refctl_record *rec = NULL;
		const char *have;
		const void *entry;
		struct stat st;
		int maybe = 0;
		snprintf(id, sizeof(id), "%.*s", (int)refctl__advocate_file_stem(names[i]), names[i]);
		if ((except_id && !strcmp(id, except_id)) || !refctl_id_valid(id))
			continue;
		refctl_buf_clear(&path);
		refctl__advocate_path(&path, refctl_store_root(s), id);
		if (cache && refctl__cache_find(cache, names[i], path.ptr, &st, &entry)) {
			for (size_t k = 0; k < nf; k++)
				if (!who[k].size && (have = refctl__cache_unique(entry, f[k]->name, &tmp)) &&
				    !refctl__strcasecmp(have, value[k])) {
					refctl_buf_puts(&who[k], id);
					unfound--;
				}
			continue;
		}
		/* Only files that contain a value can have it: parse just those. */
		if (refctl__read_file(&data, path.ptr, REFCTL_MAX_FILE) < 0)
			continue;
		for (size_t k = 0; k < nf && !maybe; k++)
			maybe = !who[k].size && strcasestr(data.ptr, value[k]);
		if (!maybe)
			continue;
		refctl_buf_clear(&rel);
		refctl_store_path(&rel, id);
		if (refctl_record_parse_encode(&rec, cache ? &enc : NULL, rel.ptr, data.ptr, data.size, NULL) == 0)
			for (size_t k = 0; k < nf; k++)
				if (!who[k].size && (have = unique_value(f[k], rec)) &&
				    !refctl__strcasecmp(have, value[k])) {
					refctl_buf_puts(&who[k], id);
					unfound--;
				}
		refctl__cache_add(cache, names[i], &st, data.ptr, data.size, &enc, rec);
		refctl_record_encoded_release(&enc);
		refctl_record_free(rec);
	}
	refctl__cache_close(cache, 0);
	refctl_error_clear();
	refctl_buf_release(&data);
	refctl_buf_release(&path);
	refctl_buf_release(&rel);
	refctl_buf_release(&tmp);
	refctl_store_list_free(names, n);
	return 0;
}

/* The values of rec's UNIQUE fields, in the schema's order (NULL for
 * one it does not have), for check_unique: what a change did not touch
 * needs no walk. */
struct unique_was {
	char *v[MAX_UNIQUE];
};

static void unique_was_take(struct unique_was *w, const struct refctl_record *rec)
{
	size_t k = 0;

	memset(w, 0, sizeof(*w));
	for (const struct refctl_field *f = refctl_schema_advocate(); rec && f->name && k < MAX_UNIQUE; f++)
		if (f->flags & REFCTL_FIELD_UNIQUE) {
			const char *v = unique_value(f, rec);
			w->v[k++] = v ? refctl__strdup(v) : NULL;
		}
}

static void unique_was_release(struct unique_was *w)
{
	for (size_t k = 0; k < MAX_UNIQUE; k++)
		free(w->v[k]);
}

/*
 * REFCTL_EEXISTS if a UNIQUE field of rec has a value that one of others
 * (the advocates added with it, ids beside) or another advocate in the
 * store (not except_id) has; origin names the input in the message. With
 * was (what the advocate had before a change), a value the change left as
 * it was is not looked for: a write costs what it changed, and a value
 * two advocates already share (a merge's, which check names) does not
 * hold up an edit of another field.
 */
static int check_unique(struct refctl_store *s, const struct refctl_record *rec, const char *except_id,
			struct refctl_record *const *others, char *const *other_ids, size_t nothers,
			const char *origin, const struct unique_was *was)
{
	const struct refctl_field *fields[MAX_UNIQUE] = { NULL };
	const char *values[MAX_UNIQUE] = { NULL };
	struct refctl_buf who[MAX_UNIQUE];
	size_t nf = 0, nu = 0;
	int error = 0;

	for (const struct refctl_field *f = refctl_schema_advocate(); f->name && nf < MAX_UNIQUE; f++) {
		const char *value, *before;
		if (!(f->flags & REFCTL_FIELD_UNIQUE))
			continue;
		before = was && nu < MAX_UNIQUE ? was->v[nu] : NULL;
		nu++;
		if (!(value = unique_value(f, rec)) || (before && !refctl__strcasecmp(before, value)))
			continue;
		refctl_buf_init(&who[nf]);
		for (size_t k = 0; k < nothers && !who[nf].size; k++) {
			const char *have = unique_value(f, others[k]);
			if (have && !refctl__strcasecmp(have, value))
				refctl_buf_puts(&who[nf], other_ids[k]);
		}
		fields[nf] = f;
		values[nf++] = value;
	}
	if ((error = values_taken(s, fields, values, nf, except_id, who)) < 0)
		goto done;
	for (size_t k = 0; k < nf; k++) {
		const struct refctl_node *at;
		if (!who[k].size)
			continue;
		at = refctl_node_get(rec->root, fields[k]->name);
		if (origin)
			error = refctl__error_at(REFCTL_EEXISTS, origin, at ? at->line : 0, at ? at->col : 0,
						 "%s %s is already used by advocate '%s'", fields[k]->name, values[k],
						 who[k].ptr);
		else
			error = refctl__error(REFCTL_EEXISTS, "%s %s is already used by advocate '%s'",
					      fields[k]->name, values[k], who[k].ptr);
		break;
	}
done:
	for (size_t k = 0; k < nf; k++)
		refctl_buf_release(&who[k]);
	return error;
}

void refctl_advocate_new_id(struct refctl_buf *out, const char *name, const char *company,
			    int (*taken)(const char *id, void *payload), void *payload)
{
	struct refctl_buf base = REFCTL_BUF_INIT;

	refctl_id_derive(&base, name, company);
	for (unsigned suffix = 1;; suffix++) {
		refctl_buf_clear(out);
		if (suffix == 1) {
			refctl_buf_puts(out, base.ptr);
		} else {
			char sfx[16];
			int sl = snprintf(sfx, sizeof(sfx), "-%u", suffix);
			size_t keep = base.size + (size_t)sl > 63 ? 63 - (size_t)sl : base.size;
			while (keep && base.ptr[keep - 1] == '-')
				keep--;
			refctl_buf_put(out, base.ptr, keep);
			refctl_buf_puts(out, sfx);
		}
		if (!taken(out->ptr, payload))
			break;
	}
	refctl_buf_release(&base);
}

/* add's ids are taken when a file has them or an earlier advocate of the batch */
struct batch_ids {
	struct refctl_store *s;
	char **ids;
	size_t n;
};

static int batch_taken(const char *id, void *payload)
{
	const struct batch_ids *b = payload;
	if (refctl_store_exists(b->s, id))
		return 1;
	for (size_t k = 0; k < b->n; k++)
		if (!strcmp(b->ids[k], id))
			return 1;
	return 0;
}

int refctl_advocates_add(struct refctl_store *s, struct refctl_node **roots, const char *const *origins,
			 size_t n, struct refctl_write_opts *opts, char ***ids_out)
{
	struct refctl_record **recs = refctl__calloc(n + 1, sizeof(*recs));
	struct refctl_buf id = REFCTL_BUF_INIT, path = REFCTL_BUF_INIT, subject = REFCTL_BUF_INIT;
	struct refctl_buf body = REFCTL_BUF_INIT;
	struct refctl_txn *t = NULL;
	char **ids = refctl__calloc(n + 1, sizeof(*ids));
	int error = 0;

	if (ids_out)
		*ids_out = NULL;
	if ((error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		struct refctl_node *root = roots[i];
		struct refctl_node *idn;
		roots[i] = NULL;
		if (root->kind != REFCTL_NODE_MAP) {
			error = refctl__error_at(REFCTL_EINVALID, origins[i], root->line, root->col,
						 "an advocate must be a map of fields (id, name, company, status, ...)");
			refctl_node_free(root);
			goto done;
		}
		/* status: nominated when left out, from the file as from the flags */
		refctl_record_tree_defaults(root);
		idn = refctl_node_get(root, "id");
		if (idn && !refctl_yaml_is_null(idn)) {
			if (idn->kind != REFCTL_NODE_SCALAR || !refctl_id_valid(idn->str)) {
				error = refctl__error_at(REFCTL_EINVALID, origins[i], idn->line, idn->col,
							 "id '%s' must be lowercase letters, digits and '-' (at most 63, not starting with '-')",
							 idn->kind == REFCTL_NODE_SCALAR ? idn->str : "");
				refctl_node_free(root);
				goto done;
			}
			refctl_buf_clear(&id);
			refctl_buf_puts(&id, idn->str);
			if (refctl_store_exists(s, id.ptr)) {
				error = refctl__error_at(REFCTL_EEXISTS, origins[i], idn->line, idn->col,
							 "advocate '%s' already exists", id.ptr);
				refctl_node_free(root);
				goto done;
			}
			for (size_t k = 0; k < i; k++)
				if (!strcmp(ids[k], id.ptr)) {
					error = refctl__error_at(REFCTL_EEXISTS, origins[i], idn->line, idn->col,
								 "advocate '%s' is given twice", id.ptr);
					refctl_node_free(root);
					goto done;
				}
		} else {
			const struct refctl_node *nm = refctl_node_get(root, "name");
			const struct refctl_node *co = refctl_node_get(root, "company");
			struct batch_ids b = { s, ids, i };
			refctl_advocate_new_id(&id, nm && nm->kind == REFCTL_NODE_SCALAR ? nm->str : "",
					       co && co->kind == REFCTL_NODE_SCALAR ? co->str : "", batch_taken, &b);
			/* the id goes first, as in the canonical order */
			refctl_node_set(root, "id", refctl_node_scalar(id.ptr, 1));
		}
		ids[i] = refctl__strdup(id.ptr);
		refctl_store_path(&path, id.ptr);
		if ((error = refctl_record_from_node(&recs[i], path.ptr, root, NULL)) < 0) {
			/* name the input, not a file that does not exist yet */
			if (strcmp(origins[i], path.ptr))
				refctl__error_at(error, origins[i], refctl_error_last_line(),
						 refctl_error_last_col(), "%s",
						 refctl_error_last_message());
			goto done;
		}
		if ((error = check_unique(s, recs[i], NULL, recs, ids, i, origins[i], NULL)) < 0)
			goto done;
		if ((error = refctl_txn_put_record(t, recs[i])) < 0)
			goto done;
	}
	if (n == 1) {
		refctl_buf_printf(&subject, "refctl: add %s", ids[0]);
	} else if (n <= 3) {
		refctl_buf_puts(&subject, "refctl: add ");
		for (size_t i = 0; i < n; i++)
			refctl_buf_printf(&subject, "%s%s", i ? ", " : "", ids[i]);
	} else {
		refctl_buf_printf(&subject, "refctl: add %zu advocates", n);
		for (size_t i = 0; i < n; i++)
			refctl_buf_printf(&body, "- %s\n", ids[i]);
	}
	if (opts && opts->message)
		refctl_buf_printf(&body, "%s%s", body.size ? "\n" : "", opts->message);
	if ((error = refctl_txn_commit(t, subject.ptr, body.ptr)) < 0)
		goto done;
	if (ids_out) {
		*ids_out = ids;
		ids = NULL;
	}
done:
	refctl__pass_warning(opts, s);
	refctl_txn_free(t);
	for (size_t i = 0; i < n; i++) {
		refctl_record_free(recs[i]);
		if (ids)
			free(ids[i]);
		refctl_node_free(roots[i]);
	}
	free(recs);
	free(ids);
	refctl_buf_release(&id);
	refctl_buf_release(&path);
	refctl_buf_release(&subject);
	refctl_buf_release(&body);
	return error;
}

static int same_output(struct refctl_record *rec, const struct refctl_buf *before)
{
	struct refctl_buf after = REFCTL_BUF_INIT;
	int same = refctl_record_format(&after, rec) == 0 && after.size == before->size &&
		   !memcmp(after.ptr, before->ptr, after.size);
	refctl_buf_release(&after);
	return same;
}

/*
 * The end of a change to one advocate (set, unset, edit): refuse values
 * another advocate has, write nothing when the file would not change,
 * else stage and commit it.
 */
static int commit_change(struct refctl_store *s, struct refctl_txn *t, struct refctl_record *rec,
			 const char *id, const struct refctl_buf *before, const char *subject,
			 const struct refctl_write_opts *opts, int *changed)
{
	struct refctl_record *old = NULL;
	struct unique_was was;
	int error;

	if (refctl_record_parse(&old, rec->file, before->ptr, before->size, NULL) < 0)
		refctl_error_clear(); /* the old file was broken: every value is new */
	unique_was_take(&was, old);
	refctl_record_free(old);
	error = check_unique(s, rec, id, NULL, NULL, 0, NULL, old ? &was : NULL);
	unique_was_release(&was);
	if (error < 0)
		return error;
	if (same_output(rec, before))
		return 0;
	if ((error = refctl_txn_put_record(t, rec)) < 0 ||
	    (error = refctl_txn_commit(t, subject, opts ? opts->message : NULL)) < 0)
		return error;
	*changed = 1;
	return 0;
}

/* One FIELD=VALUE, FIELD+=VALUE, FIELD-=VALUE (or, with unset, FIELD). */
static int apply_arg(struct refctl_record *rec, const char *arg, int unset, struct refctl_buf *field)
{
	const char *eq = strchr(arg, '=');
	size_t flen;

	if (unset)
		return refctl_record_unset(rec, arg);
	if (!eq || eq == arg)
		return refctl__error(REFCTL_EUSAGE, "expected FIELD=VALUE, FIELD+=VALUE or FIELD-=VALUE, not '%s'", arg);
	flen = (size_t)(eq - arg);
	refctl_buf_clear(field);
	if (flen > 1 && (eq[-1] == '+' || eq[-1] == '-')) {
		refctl_buf_put(field, arg, flen - 1);
		return refctl_record_list_edit(rec, field->ptr, eq + 1, eq[-1] == '-');
	}
	refctl_buf_put(field, arg, flen);
	return refctl_record_set(rec, field->ptr, eq + 1);
}

int refctl_advocates_edit(struct refctl_store *s, const char *const *ids, size_t nids, const char *const *args,
			  size_t n, int unset, struct refctl_write_opts *opts, size_t *changed)
{
	struct refctl_record *rec = NULL;
	struct refctl_buf before = REFCTL_BUF_INIT, subject = REFCTL_BUF_INIT, field = REFCTL_BUF_INIT;
	struct refctl_buf body = REFCTL_BUF_INIT;
	struct refctl_txn *t = NULL;
	struct unique_was was;
	int error;

	*changed = 0;
	memset(&was, 0, sizeof(was));
	if ((error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0)) < 0)
		goto done;
	for (size_t k = 0; k < nids; k++) {
		for (size_t j = 0; j < k; j++)
			if (!strcmp(ids[j], ids[k])) {
				error = refctl__error(REFCTL_EUSAGE, "advocate '%s' is given twice", ids[k]);
				goto done;
			}
		refctl_record_free(rec);
		rec = NULL;
		refctl_buf_clear(&before);
		if ((error = refctl_store_load(s, ids[k], &rec)) < 0 ||
		    (error = refctl_record_format(&before, rec)) < 0)
			goto done;
		unique_was_release(&was);
		unique_was_take(&was, rec);
		for (size_t i = 0; i < n; i++)
			if ((error = apply_arg(rec, args[i], unset, &field)) < 0) {
				if (nids > 1)
					refctl__error(error, "%s: %s", ids[k], refctl_error_last());
				goto done;
			}
		if ((error = check_unique(s, rec, ids[k], NULL, NULL, 0, NULL, &was)) < 0)
			goto done;
		if (same_output(rec, &before))
			continue;
		if ((error = refctl_txn_put_record(t, rec)) < 0)
			goto done;
		refctl_buf_printf(&body, "- %s\n", ids[k]);
		(*changed)++;
	}
	if (!*changed)
		goto done;
	if (*changed == 1) {
		/* "- ID\n": the one advocate that changed names the commit */
		refctl_buf_printf(&subject, "refctl: %s %.*s", unset ? "unset" : "set", (int)(body.size - 3),
				  body.ptr + 2);
		refctl_buf_clear(&body);
	} else {
		refctl_buf_printf(&subject, "refctl: %s %zu advocates", unset ? "unset" : "set", *changed);
	}
	for (size_t i = 0; i < n; i++)
		refctl_buf_printf(&subject, " %s", args[i]);
	if (opts && opts->message)
		refctl_buf_printf(&body, "%s%s", body.size ? "\n" : "", opts->message);
	if ((error = refctl_txn_commit(t, subject.ptr, body.size ? body.ptr : NULL)) < 0)
		*changed = 0;
done:
	refctl__pass_warning(opts, s);
	refctl_txn_free(t);
	refctl_record_free(rec);
	refctl_buf_release(&before);
	refctl_buf_release(&subject);
	refctl_buf_release(&field);
	unique_was_release(&was);
	refctl_buf_release(&body);
	return error;
}

int refctl_advocate_edit(struct refctl_store *s, const char *id, const char *const *args, size_t n,
			 int unset, struct refctl_write_opts *opts, int *changed)
{
	size_t k;
	int error = refctl_advocates_edit(s, &id, 1, args, n, unset, opts, &k);
	*changed = k > 0;
	return error;
}

/* Entries of rewards and content that an edit added without an id get
 * one, as refctl's own entries have; those the file had keep none. */
static int give_new_entries_ids(struct refctl_record *rec, const struct refctl_buf *before)
{
	struct refctl_yaml_docs old;
	refctl_date today;
	int error;

	if ((error = refctl_date_today(&today)) < 0)
		return error;
	if (refctl_yaml_load(&old, rec->file, before->ptr, before->size, 0) < 0)
		memset(&old, 0, sizeof(old)); /* the old file was broken: every entry is new */
	error = refctl_record_assign_ids(rec->root, old.n ? old.v[0] : NULL, today);
	refctl_yaml_docs_release(&old);
	if (error > 0)
		error = refctl_record_validate(rec, NULL);
	return error < 0 ? error : 0;
}

int refctl_advocate_replace(struct refctl_store *s, const char *id, const char *data, size_t len,
			    struct refctl_write_opts *opts, int *changed)
{
	struct refctl_record *rec = NULL;
	struct refctl_buf path = REFCTL_BUF_INIT, subject = REFCTL_BUF_INIT, before = REFCTL_BUF_INIT;
	struct refctl_txn *t = NULL;
	int error;

	*changed = 0;
	refctl_store_path(&path, id);
	if ((error = refctl_record_parse(&rec, path.ptr, data, len, NULL)) < 0)
		goto done;
	if (rec->comment_line) {
		error = refctl__error_at(REFCTL_EINVALID, path.ptr, rec->comment_line, 0,
					 "comment would be lost; move it into notes:");
		goto done;
	}
	/* the new text replaces the whole file: its line endings go with it */
	rec->bom = 0;
	rec->crlf_line = 0;
	if ((error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0)) < 0)
		goto done;
	if ((error = refctl_store_read(s, id, &before)) < 0 || (error = give_new_entries_ids(rec, &before)) < 0)
		goto done;
	refctl_buf_printf(&subject, "refctl: edit %s", id);
	error = commit_change(s, t, rec, id, &before, subject.ptr, opts, changed);
done:
	refctl__pass_warning(opts, s);
	refctl_txn_free(t);
	refctl_record_free(rec);
	refctl_buf_release(&path);
	refctl_buf_release(&subject);
	refctl_buf_release(&before);
	return error;
}

/*
 * One file of fmt: read, parse and render it; 1 if it is not canonical
 * (and, unless check_only, staged in t), 0 if it is, negative if it cannot
 * be formatted (the reason is the last error).
 */
static int fmt_one(struct refctl_store *s, struct refctl_txn *t, const char *id, int check_only,
		   struct refctl_buf *rel, struct refctl_buf *data, struct refctl_buf *canon)
{
	struct refctl_record *rec = NULL;
	int error;

	refctl_store_path(rel, id);
	if ((error = refctl_store_read(s, id, data)) < 0 ||
	    (error = refctl_record_parse(&rec, rel->ptr, data->ptr, data->size, NULL)) < 0)
		goto done;
	refctl_buf_clear(canon);
	if ((error = refctl_record_format(canon, rec)) < 0)
		goto done;
	if (canon->size == data->size && !memcmp(canon->ptr, data->ptr, data->size))
		goto done;
	error = 1;
	if (check_only) {
		/* a comment makes the file one that fmt cannot rewrite */
		if (rec->comment_line)
			error = refctl__error_at(REFCTL_EINVALID, rec->file, rec->comment_line, 0,
						 "comment would be lost; move it into notes:");
		goto done;
	}
	/* fmt is the one write that converts a byte-order mark and CRLF */
	rec->bom = 0;
	rec->crlf_line = 0;
	if ((error = refctl_txn_put_record(t, rec)) == 0)
		error = 1;
done:
	refctl_record_free(rec);
	return error;
}

int refctl_advocates_fmt(struct refctl_store *s, const char *const *ids, size_t n, int check_only,
			 struct refctl_write_opts *opts, refctl_store_bad_fn bad, void *payload,
			 char ***out, size_t *nout)
{
	char **names = NULL, **rewritten = NULL;
	size_t nnames = 0, nrewritten = 0, alloc = 0;
	struct refctl_buf data = REFCTL_BUF_INIT, canon = REFCTL_BUF_INIT, rel = REFCTL_BUF_INIT;
	struct refctl_buf subject = REFCTL_BUF_INIT;
	struct refctl_txn *t = NULL;
	int error = 0;

	*out = NULL;
	*nout = 0;
	if (n == 0) {
		if ((error = refctl_store_list(s, &names, &nnames)) < 0)
			return error;
		for (size_t i = 0; i < nnames; i++)
			names[i][refctl__advocate_file_stem(names[i])] = '\0';
	} else {
		names = refctl__calloc(n, sizeof(*names));
		for (size_t i = 0; i < n; i++)
			names[nnames++] = refctl__strdup(ids[i]);
	}
	if (!check_only && (error = refctl_txn_begin(&t, s, opts ? opts->txn_flags : 0)) < 0)
		goto done;
	/* Every file that can be formatted is; each one that cannot is handed
	 * to bad with its reason, and does not stop the others. */
	for (size_t i = 0; i < nnames; i++) {
		int r = fmt_one(s, t, names[i], check_only, &rel, &data, &canon);
		if (r == 0)
			continue;
		if (r > 0 || check_only) {
			REFCTL__ARRAY_GROW(rewritten, nrewritten + 1, alloc);
			rewritten[nrewritten++] = refctl__strdup(rel.ptr);
		}
		if (r < 0 && bad)
			bad(rel.ptr, refctl_error_last(), payload);
	}
	if (!check_only && nrewritten) {
		if (nrewritten == 1)
			refctl_buf_printf(&subject, "refctl: fmt %s", rewritten[0]);
		else
			refctl_buf_printf(&subject, "refctl: fmt %zu files", nrewritten);
		if ((error = refctl_txn_commit(t, subject.ptr, opts ? opts->message : NULL)) < 0)
			goto done;
	}
	*out = rewritten;
	*nout = nrewritten;
	rewritten = NULL;
done:
	refctl__pass_warning(opts, s);
	refctl_txn_free(t);
	refctl_store_list_free(rewritten, rewritten ? nrewritten : 0);
	refctl_store_list_free(names, nnames);
	refctl_buf_release(&data);
	refctl_buf_release(&canon);
	refctl_buf_release(&rel);
	refctl_buf_release(&subject);
	return error;
}

/* ---- check ---- */

/*
 * What the rules across files keep while check walks the files one at a
 * time: for each key (a UNIQUE field's value, a file name with a capital
 * letter) folded to lowercase, the last file that had it. The entries are
 * one block of strings, each after its file's number, found through an
 * open-addressing table of their offsets, so memory is the roster's
 * unique values in one block and four bytes a slot, never its records.
 */
struct seen {
	struct refctl_buf block; /* entries: 1 + the last file (4 bytes) or 0 for none yet, the key, NUL */
	uint32_t *slot;          /* 1 + an entry's offset in block, by its key's hash; 0 free */
	size_t n, mask;
};

#define SEEN_MAX ((size_t)UINT32_MAX - 1)

static int fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

static size_t fold_hash(const char *s)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (uint64_t)fold((unsigned char)*s)) * 1099511628211u;
	return (size_t)(h ^ (h >> 29));
}

static int fold_eq(const char *a, const char *b)
{
	while (*a && fold((unsigned char)*a) == fold((unsigned char)*b))
		a++, b++;
	return fold((unsigned char)*a) == fold((unsigned char)*b);
}

static const char *seen_key(const struct seen *t, uint32_t slot)
{
	return t->block.ptr + slot - 1 + sizeof(uint32_t);
}

/* The entry of key: 1 + its offset, 0 if there is none. */
static uint32_t seen_find(const struct seen *t, const char *key)
{
	if (!t->slot)
		return 0;
	for (size_t k = fold_hash(key) & t->mask; t->slot[k]; k = (k + 1) & t->mask)
		if (fold_eq(seen_key(t, t->slot[k]), key))
			return t->slot[k];
	return 0;
}

static uint32_t seen_last(const struct seen *t, uint32_t entry)
{
	uint32_t last;
	memcpy(&last, t->block.ptr + entry - 1, sizeof(last));
	return last;
}

static void seen_set_last(struct seen *t, uint32_t entry, uint32_t last)
{
	memcpy(t->block.ptr + entry - 1, &last, sizeof(last));
}

static void seen_slot(struct seen *t, uint32_t entry)
{
	size_t k;
	for (k = fold_hash(seen_key(t, entry)) & t->mask; t->slot[k]; k = (k + 1) & t->mask)
		;
	t->slot[k] = entry;
}

/* A new entry for key (not there yet); REFCTL_EINVALID when the block is full. */
static int seen_add(struct seen *t, const char *key, uint32_t last)
{
	size_t len = strlen(key), off = t->block.size;

	if (len + 1 + sizeof(last) > SEEN_MAX - off)
		return refctl__error(REFCTL_EINVALID, "too many file names and unique values to check");
	refctl_buf_put(&t->block, &last, sizeof(last));
	refctl_buf_put(&t->block, key, len + 1);
	if (!t->slot || 4 * (t->n + 1) > 3 * (t->mask + 1)) {
		/* at most three quarters full: rehash into twice the slots */
		size_t mask = t->slot ? 2 * t->mask + 1 : 1023;
		free(t->slot);
		t->slot = refctl__calloc(mask + 1, sizeof(*t->slot));
		t->mask = mask;
		for (size_t at = 0; at < off;) {
			seen_slot(t, (uint32_t)(at + 1));
			at += sizeof(last) + strlen(t->block.ptr + at + sizeof(last)) + 1;
		}
	}
	seen_slot(t, (uint32_t)(off + 1));
	t->n++;
	return 0;
}

static void seen_release(struct seen *t)
{
	refctl_buf_release(&t->block);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int field_name_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct refctl_field *const *)a)->name, (*(const struct refctl_field *const *)b)->name);
}

static const struct refctl_request *sort_reqs;
static int engagement_cmp(const void *pa, const void *pb)
{
	const struct refctl_request *a = &sort_reqs[*(const size_t *)pa], *b = &sort_reqs[*(const size_t *)pb];
	if (a->opened != b->opened)
		return a->opened < b->opened ? -1 : 1;
	return strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

/*
 * The rules each branch kept but a merge of branches can break, which
 * `request new` checks only against the requests it can see: two
 * engagements opened closer than the rest days, more engagements opened
 * in a quarter than the limit. Warnings naming both requests, unless one
 * of them was forced.
 */
static void check_merged_rules(struct refctl_diags *d, const struct refctl_record *rec,
			       const struct refctl_config *cfg)
{
	const struct refctl_advocate *a = &rec->a;
	int limit = a->per_quarter >= 0 ? a->per_quarter : cfg->per_quarter;
	int rest = a->rest_days >= 0 ? a->rest_days : cfg->rest_days;
	size_t *e = refctl__calloc(a->nrequests + 1, sizeof(*e)), n = 0;
	char day[11];

	for (size_t i = 0; i < a->nrequests; i++)
		if (refctl_req_is_engagement(a->requests[i].status) && a->requests[i].opened != REFCTL_DATE_NONE &&
		    a->requests[i].id)
			e[n++] = i;
	sort_reqs = a->requests;
	qsort(e, n, sizeof(*e), engagement_cmp);
	for (size_t k = 0; k < n; k++) {
		const struct refctl_request *r = &a->requests[e[k]], *p = NULL;
		refctl_date qstart = refctl_date_quarter_start(r->opened);
		size_t in_quarter = 0;
		long gap;
		if (r->forced)
			continue;
		/* the latest unforced engagement before r within the rest days */
		for (size_t j = k; j-- > 0;) {
			const struct refctl_request *q = &a->requests[e[j]];
			if ((long)(r->opened - q->opened) >= rest)
				break;
			if (!q->forced) {
				p = q;
				break;
			}
		}
		if (p) {
			gap = (long)(r->opened - p->opened);
			refctl_diags_add(d, REFCTL_DIAG_WARNING, rec->file, r->line, r->col, "requests",
					 "requests %s and %s were opened %ld day%s apart, within the %d rest days", p->id,
					 r->id, gap, gap == 1 ? "" : "s", rest);
		}
		/* over the quarter's limit: named with the latest unforced one before it */
		p = NULL;
		for (size_t j = k; j-- > 0 && refctl_date_quarter_start(a->requests[e[j]].opened) == qstart;) {
			in_quarter++;
			if (!p && !a->requests[e[j]].forced)
				p = &a->requests[e[j]];
		}
		if ((int)in_quarter + 1 > limit && p) {
			refctl_date_format(day, r->opened);
			refctl_diags_add(d, REFCTL_DIAG_WARNING, rec->file, r->line, r->col, "requests",
					 "requests %s and %s make %zu engagements opened in %.4s-Q%d, over the limit of %d a quarter",
					 p->id, r->id, in_quarter + 1, day, ((day[5] - '0') * 10 + day[6] - '0' - 1) / 3 + 1,
					 limit);
		}
	}
	free(e);
}

/* Points given to an advocate the program's rules say may not be rewarded. */
static void check_reward_eligible(struct refctl_diags *d, const struct refctl_record *rec,
				  const struct refctl_config *cfg)
{
	struct refctl_buf why = REFCTL_BUF_INIT;

	if (!refctl_config_reward_eligible(&why, cfg, &rec->a)) {
		for (size_t i = 0; i < rec->a.nrewards; i++) {
			const struct refctl_reward *w = &rec->a.rewards[i];
			char path[64];
			if (w->points <= 0)
				continue;
			snprintf(path, sizeof(path), "rewards[%zu]", i + 1);
			refctl_diags_add(d, REFCTL_DIAG_ERROR, rec->file, w->line, w->col, "rewards",
					 "%s gives %ld point%s to an advocate who may not be rewarded: %s", path,
					 w->points, w->points == 1 ? "" : "s", why.ptr);
		}
	}
	refctl_buf_release(&why);
}

/* check's parse of a file (on any thread of the walk): every problem into
 * f->diags, a merge's conflicts named by field where the markers allow. */
static void check_parse(struct refctl__walk_file *f, void *payload)
{
	(void)payload;
	if ((f->error = refctl__read_file(&f->data, f->path, REFCTL_MAX_FILE)) < 0) {
		refctl__error_at(REFCTL_EINVALID, f->rel, refctl_error_last_line(), refctl_error_last_col(), "%s",
				 refctl_error_last_message());
		refctl_diags_add_last_error(&f->diags);
		f->error_saved = refctl__error_save();
		return;
	}
	if (refctl_merge_has_markers(f->data.ptr, f->data.size) &&
	    refctl_merge_describe(&f->diags, f->rel, f->data.ptr, f->data.size))
		return;
	refctl_record_parse_encode(&f->rec, f->encode ? &f->enc : NULL, f->rel, f->data.ptr, f->data.size,
				   &f->diags);
	f->parsed = 1;
}

static void cache_disagrees(const char *file, const char *what, void *payload)
{
	refctl_diags_add(payload, REFCTL_DIAG_ERROR, file, 0, 0, NULL,
			 "the parse cache disagreed with the file: %s (the cache is removed, to be rebuilt)", what);
}

size_t refctl_check_cache(struct refctl_store *s, struct refctl_diags *diags)
{
	struct refctl__cache *cache = refctl__store_cache_open(s);
	struct refctl_buf dir = REFCTL_BUF_INIT;
	size_t n;

	refctl_buf_printf(&dir, "%s/advocates", refctl_store_root(s));
	n = refctl__cache_verify(cache, dir.ptr, cache_disagrees, diags);
	if (n)
		refctl__cache_remove(cache);
	refctl__cache_close(cache, 0);
	refctl_buf_release(&dir);
	return n;
}

/*
 * check's walk. Problems are handed on in the order refctl_diags_sort()
 * gives all of them: by file name (strcmp, so advocates/a-2.yaml comes
 * before advocates/a.yaml, unlike id order), then line and column, then
 * the order found. So the files are walked in strcmp order of their names
 * and each file's problems are sorted and handed on when it is done. One
 * pass is enough for the rules across files: each of their problems
 * belongs to the latest of the files it needs, a value or a name used
 * before being reported against the later file, naming the last earlier
 * one that had it; and referred_by needs only the names, listed first.
 */
struct check_walk {
	struct refctl_check_result *res;
	refctl_diag_fn fn;
	void *payload;
	struct refctl_store_names names;
	const char **name;       /* names.v, in strcmp order */
	size_t n;
	struct seen folded;      /* the names with a capital letter, folded to lowercase */
	struct seen values;      /* keys: the field's byte (its index + 1), the value folded */
	const struct refctl_field *unique[MAX_UNIQUE]; /* the UNIQUE fields, by name */
	size_t nunique;
	struct refctl_diags early; /* check --cache's problems, sorted, handed on with their files' */
	size_t nearly;
};

/* Sort problems and hand them on; d is emptied. */
static int hand_on(struct check_walk *w, struct refctl_diags *d)
{
	int error = 0;

	refctl_diags_sort(d);
	for (size_t i = 0; i < d->n && !error; i++) {
		if (d->v[i].severity == REFCTL_DIAG_ERROR)
			w->res->errors++;
		else
			w->res->warnings++;
		error = w->fn(&d->v[i], w->payload);
	}
	refctl_diags_release(d);
	return error;
}

/* The early problems of files before rel (of all files for NULL) handed
 * on, and those of rel moved into d, to be sorted with its own. */
static int hand_on_early(struct check_walk *w, const char *rel, struct refctl_diags *d)
{
	struct refctl_diags before = REFCTL_DIAGS_INIT;

	for (; w->nearly < w->early.n; w->nearly++) {
		const struct refctl_diag *x = &w->early.v[w->nearly];
		int c = rel ? strcmp(x->file, rel) : -1;
		if (c > 0)
			break;
		refctl_diags_add(c < 0 ? &before : d, x->severity, x->file, x->line, x->col, x->field, "%s",
				 x->message);
	}
	return hand_on(w, &before);
}

/* The rules of one file alone (its parse, from the walk), its problems
 * into d; its record into *out if it loads. */
static void check_one(struct refctl_store *s, struct refctl__walk *walk, struct refctl__walk_file *f,
		      struct refctl_diags *d, struct refctl_record **out)
{
	struct refctl_record *rec = NULL;
	char stem[256];

	*out = NULL;
	snprintf(stem, sizeof(stem), "%.*s", (int)refctl__advocate_file_stem(f->name), f->name);
	if (!refctl_id_valid(stem))
		refctl_diags_add(d, REFCTL_DIAG_ERROR, f->rel, 0, 0, NULL,
				 "file name '%s' is not a valid id (lowercase letters, digits and '-')", f->name);
	/* from the cache or parsed (a merge's conflicts each named in one
	 * line, if the markers allow), every problem into d */
	refctl__walk_load(walk, f, &rec, d);
	if (!rec)
		return;
	refctl_config_check_vocab(refctl_store_config(s), rec, d);
	check_merged_rules(d, rec, refctl_store_config(s));
	check_reward_eligible(d, rec, refctl_store_config(s));
	*out = rec;
}

/* The rules across files for file i, rel (rec NULL if it did not load),
 * in the order the whole check found them: links, values, names. */
static int check_across(struct check_walk *w, size_t i, const char *rel, const struct refctl_record *rec,
			struct refctl_diags *d, struct refctl_buf *tmp)
{
	uint32_t e;
	int error = 0;

	if (rec && rec->a.referred_by) {
		/* the link to the advocate whose referral this one was */
		const struct refctl_node *at;
		const char *key;
		refctl_buf_clear(tmp);
		refctl_buf_printf(tmp, "%s.yaml", rec->a.referred_by);
		key = tmp->ptr;
		if (!bsearch(&key, w->name, w->n, sizeof(*w->name), str_ptr_cmp)) {
			/* the line from the tree, which a record from the cache reads only now */
			at = refctl_node_get(refctl_record_tree(rec), "referred_by");
			refctl_diags_add(d, REFCTL_DIAG_ERROR, rel, at ? at->line : 0, 0, "referred_by",
					 "referred_by names '%s', which is not an advocate (no advocates/%s.yaml)",
					 rec->a.referred_by, rec->a.referred_by);
		}
	}
	for (size_t k = 0; rec && k < w->nunique && !error; k++) {
		const struct refctl_field *f = w->unique[k];
		const char *value = unique_value(f, rec);
		const struct refctl_node *at;
		if (!value)
			continue;
		refctl_buf_clear(tmp);
		refctl_buf_putc(tmp, (char)(k + 1));
		for (const char *p = value; *p; p++)
			refctl_buf_putc(tmp, (char)fold((unsigned char)*p));
		if (!(e = seen_find(&w->values, tmp->ptr))) {
			error = seen_add(&w->values, tmp->ptr, (uint32_t)(i + 1));
			continue;
		}
		at = refctl_node_get(refctl_record_tree(rec), f->name);
		refctl_diags_add(d, REFCTL_DIAG_ERROR, rel, at ? at->line : 0, 0, f->name,
				 "%s %s is also used by advocates/%s", f->name, tmp->ptr + 1,
				 w->name[seen_last(&w->values, e) - 1]);
		seen_set_last(&w->values, e, (uint32_t)(i + 1));
	}
	if ((e = seen_find(&w->folded, w->name[i]))) {
		if (seen_last(&w->folded, e))
			refctl_diags_add(d, REFCTL_DIAG_ERROR, rel, 0, 0, NULL,
					 "file name differs only in case from advocates/%s",
					 w->name[seen_last(&w->folded, e) - 1]);
		seen_set_last(&w->folded, e, (uint32_t)(i + 1));
	}
	return error;
}

/* The file names, in strcmp order; the capitalised ones into w->folded. */
static int check_names(struct check_walk *w, struct refctl_store *s)
{
	int error;

	if ((error = refctl_store_names(&w->names, s)) < 0)
		return error;
	if (w->names.n >= UINT32_MAX)
		return refctl__error(REFCTL_EINVALID, "advocates/ has too many files to check");
	w->name = w->names.v;
	w->n = w->names.n;
	if (w->n > 1)
		qsort(w->name, w->n, sizeof(*w->name), str_ptr_cmp);
	/* A name differing from another only in case has a capital letter:
	 * of two such names, one at least. */
	for (size_t i = 0; i < w->n; i++) {
		const char *p = w->name[i];
		while (*p && !(*p >= 'A' && *p <= 'Z'))
			p++;
		if (*p && !seen_find(&w->folded, w->name[i]) && (error = seen_add(&w->folded, w->name[i], 0)) < 0)
			return error;
	}
	return 0;
}

int refctl_check_foreach(struct refctl_check_result *out, struct refctl_store *s,
			 const struct refctl_check_opts *opts, refctl_diag_fn fn, void *payload)
{
	struct check_walk w;
	struct refctl_buf tmp = REFCTL_BUF_INIT;
	struct refctl__cache *cache;
	struct refctl__walk *walk = NULL;
	struct refctl__walk_file *wf;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.res = out;
	w.fn = fn;
	w.payload = payload;
	refctl_buf_init(&w.folded.block);
	refctl_buf_init(&w.values.block);
	/* before the walk, which brings the cache up to date */
	if (opts && opts->verify_cache) {
		refctl_check_cache(s, &w.early);
		refctl_diags_sort(&w.early);
	}
	/* opened first: reading it takes memory for a moment, when little else is held */
	cache = refctl__store_cache_open(s);
	if ((error = check_names(&w, s)) < 0) {
		refctl__cache_close(cache, 0);
		goto done;
	}
	/* the files parsed on the walk's threads, handed back here in order */
	refctl__walk_begin_cache(&walk, s, cache, w.name, w.n, check_parse, NULL);
	for (const struct refctl_field *f = refctl_schema_advocate(); f->name && w.nunique < MAX_UNIQUE; f++)
		if (f->flags & REFCTL_FIELD_UNIQUE && f->storage == REFCTL_STORE_STR)
			w.unique[w.nunique++] = f;
	qsort(w.unique, w.nunique, sizeof(*w.unique), field_name_cmp);
	out->files = w.n;
	for (size_t i = 0; !error && (wf = refctl__walk_next(walk)) != NULL; i++) {
		struct refctl_diags d = REFCTL_DIAGS_INIT;
		struct refctl_record *rec;
		if ((error = hand_on_early(&w, wf->rel, &d)) != 0) {
			refctl_diags_release(&d);
			break;
		}
		check_one(s, walk, wf, &d, &rec);
		error = check_across(&w, i, wf->rel, rec, &d, &tmp);
		refctl__walk_free(walk, wf, rec);
		if (!error)
			error = hand_on(&w, &d);
		else
			refctl_diags_release(&d);
	}
	if (!error)
		error = hand_on_early(&w, NULL, NULL);
done:
	refctl__walk_end(walk, !error);
	refctl_diags_release(&w.early);
	seen_release(&w.folded);
	seen_release(&w.values);
	refctl_store_names_release(&w.names);
	refctl_buf_release(&tmp);
	return error;
}

static int collect_diag(const struct refctl_diag *d, void *payload)
{
	refctl_diags_add(payload, d->severity, d->file, d->line, d->col, d->field, "%s", d->message);
	return 0;
}

int refctl_check(struct refctl_store *s, struct refctl_diags *diags, size_t *nfiles)
{
	struct refctl_check_result res;
	int error = refctl_check_foreach(&res, s, NULL, collect_diag, diags);

	*nfiles = res.files;
	return error;
}

/* ---- fields as text ---- */

/* Columns computed from the record, after the schema's COLUMN rows. */
static void col_requests(struct refctl_buf *out, const struct refctl_advocate *a)
{
	refctl_buf_printf(out, "%zu", a->nrequests);
}

static void col_open_requests(struct refctl_buf *out, const struct refctl_advocate *a)
{
	size_t k = 0;
	for (size_t i = 0; i < a->nrequests; i++)
		k += refctl_req_is_open(a->requests[i].status);
	refctl_buf_printf(out, "%zu", k);
}

static void col_balance(struct refctl_buf *out, const struct refctl_advocate *a)
{
	refctl_buf_printf(out, "%ld", refctl_advocate_balance(a));
}

static const struct derived_column {
	const char *name;
	void (*text)(struct refctl_buf *out, const struct refctl_advocate *a);
} derived_columns[] = {
	{ "requests", col_requests },
	{ "open_requests", col_open_requests },
	{ "balance", col_balance },
};
#define NDERIVED (sizeof(derived_columns) / sizeof(derived_columns[0]))

static const struct refctl_field *column_field(const char *name)
{
	const struct refctl_field *f = refctl_schema_find(name, NULL);
	return f && (f->flags & REFCTL_FIELD_COLUMN) ? f : NULL;
}

int refctl_record_field_known(const char *field)
{
	if (column_field(field))
		return 1;
	for (size_t i = 0; i < NDERIVED; i++)
		if (!strcmp(derived_columns[i].name, field))
			return 1;
	return 0;
}

struct columns {
	struct refctl_buf *out;
	unsigned want;
};

static int add_column(const char *path, const struct refctl_field *f, const struct refctl_field *parent,
		      void *payload)
{
	struct columns *c = payload;
	(void)parent;
	if ((f->flags & c->want) == c->want)
		refctl_buf_printf(c->out, "%s%s", c->out->size ? "," : "", path);
	return 0;
}

void refctl_record_columns(struct refctl_buf *out, int all)
{
	struct columns c = { out, all ? REFCTL_FIELD_COLUMN : REFCTL_FIELD_COLUMN | REFCTL_FIELD_DEFAULT };

	refctl_buf_clear(out);
	refctl_schema_foreach(add_column, &c);
	for (size_t i = 0; all && i < NDERIVED; i++)
		refctl_buf_printf(out, ",%s", derived_columns[i].name);
}

void refctl_record_field_text(struct refctl_buf *out, const struct refctl_record *rec, const char *field)
{
	const struct refctl_field *f = column_field(field);

	refctl_buf_clear(out);
	if (f) {
		refctl_schema_value_text(out, f, &rec->a);
		return;
	}
	for (size_t i = 0; i < NDERIVED; i++)
		if (!strcmp(derived_columns[i].name, field))
			derived_columns[i].text(out, &rec->a);
}

/* ---- naming an advocate ---- */

/* "advocates/x.yaml", "./advocates/x.yaml" or ROOT/advocates/x.yaml: "x". */
static int id_of_path(struct refctl_store *s, const char *arg, struct refctl_buf *out)
{
	const char *root = refctl_store_root(s), *rel = arg, *base;
	size_t rl = strlen(root), n;

	if (!strncmp(rel, root, rl) && rel[rl] == '/')
		rel += rl + 1;
	while (!strncmp(rel, "./", 2))
		rel += 2;
	if (strncmp(rel, "advocates/", 10))
		return 0;
	base = rel + 10;
	if (!(n = refctl__advocate_file_stem(base)) || strchr(base, '/'))
		return 0;
	refctl_buf_clear(out);
	refctl_buf_put(out, base, n);
	return 1;
}

static void ambiguous(struct refctl_buf *msg, const char *arg, const char *how, char **cands, size_t n)
{
	refctl_buf_printf(msg, "'%s' %s %zu advocates:", arg, how, n);
	for (size_t i = 0; i < n && i < 10; i++)
		refctl_buf_printf(msg, " %s", cands[i]);
	if (n > 10)
		refctl_buf_printf(msg, " ... (%zu more)", n - 10);
}

int refctl_advocate_resolve(struct refctl_buf *out, struct refctl_store *s, const char *arg)
{
	char **names = NULL, **hits = NULL;
	size_t n = 0, nhits = 0, arglen = strlen(arg);
	struct refctl_buf msg = REFCTL_BUF_INIT, data = REFCTL_BUF_INIT;
	int error = 0;

	refctl_buf_clear(out);
	if (id_of_path(s, arg, out) || (refctl_id_valid(arg) && refctl_store_exists(s, arg))) {
		if (!out->size)
			refctl_buf_puts(out, arg);
		if (!refctl_store_exists(s, out->ptr))
			error = refctl__error(REFCTL_ENOTFOUND, "no advocate '%s' (no advocates/%s.yaml)", out->ptr,
					      out->ptr);
		return error;
	}
	if ((error = refctl_store_list(s, &names, &n)) < 0)
		return error;
	hits = refctl__calloc(n + 1, sizeof(*hits));
	for (size_t i = 0; i < n; i++) {
		names[i][refctl__advocate_file_stem(names[i])] = '\0';
		if (arglen && !strncmp(names[i], arg, arglen))
			hits[nhits++] = names[i];
	}
	if (nhits == 1) {
		refctl_buf_puts(out, hits[0]);
		goto done;
	}
	if (nhits > 1) {
		ambiguous(&msg, arg, "is the start of the ids of", hits, nhits);
		error = refctl__error(REFCTL_EINVALID, "%s", msg.ptr);
		goto done;
	}
	/* a name, whatever its case: read the files whose text has it */
	for (size_t i = 0; i < n; i++) {
		struct refctl_record *rec = NULL;
		if (refctl_store_read(s, names[i], &data) < 0 || !arglen || !strcasestr(data.ptr, arg))
			continue;
		refctl_buf_clear(&msg);
		refctl_store_path(&msg, names[i]);
		if (refctl_record_parse(&rec, msg.ptr, data.ptr, data.size, NULL) == 0 && rec->a.name &&
		    !refctl__strcasecmp(rec->a.name, arg))
			hits[nhits++] = names[i];
		refctl_record_free(rec);
	}
	refctl_error_clear();
	refctl_buf_clear(&msg);
	if (nhits == 1) {
		refctl_buf_puts(out, hits[0]);
	} else if (nhits > 1) {
		ambiguous(&msg, arg, "is the name of", hits, nhits);
		error = refctl__error(REFCTL_EINVALID, "%s", msg.ptr);
	} else {
		for (size_t i = 0; i < n; i++)
			hits[i] = names[i];
		hits[n] = NULL;
		refctl_suggest(&data, arg, (const char *const *)hits);
		if (data.size)
			error = refctl__error(REFCTL_ENOTFOUND, "no advocate '%s' (did you mean %s?)", arg, data.ptr);
		else if (!refctl_id_valid(arg))
			error = refctl__error(REFCTL_ENOTFOUND, "no advocate '%s' (not a valid id)", arg);
		else
			error = refctl__error(REFCTL_ENOTFOUND, "no advocate '%s' (no advocates/%s.yaml)", arg, arg);
	}
done:
	free(hits);
	refctl_store_list_free(names, n);
	refctl_buf_release(&msg);
	refctl_buf_release(&data);
	return error;
}

/* ---- the options an advocate has not taken up ---- */

struct program_names {
	char **v;
	size_t n, alloc;
};

static void program_names_add(struct program_names *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (refctl_vocab_eq(p->v[i], name))
			return;
	REFCTL__ARRAY_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n++] = refctl__strdup(name);
}

static int collect_programs(const struct refctl_record *rec, void *payload)
{
	for (size_t i = 0; i < rec->a.programs.n; i++)
		program_names_add(payload, rec->a.programs.v[i]);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int refctl_advocate_options(struct refctl_advocate_options *out, struct refctl_store *s, const struct refctl_advocate *a)
{
	const struct refctl_config *cfg = refctl_store_config(s);
	struct program_names all = { NULL, 0, 0 };
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (cfg && cfg->programs.n) {
		for (size_t i = 0; i < cfg->programs.n; i++)
			program_names_add(&all, cfg->programs.v[i]);
	} else {
		/* the programs the repository knows: every advocate's */
		if ((error = refctl_store_foreach(s, collect_programs, NULL, &all)) < 0)
			goto done;
		if (all.n > 1)
			qsort(all.v, all.n, sizeof(*all.v), name_cmp);
	}
	out->programs = refctl__calloc(all.n + 1, sizeof(*out->programs));
	for (size_t i = 0; i < all.n; i++) {
		int in = 0;
		for (size_t k = 0; k < a->programs.n && !in; k++)
			in = refctl_vocab_eq(a->programs.v[k], all.v[i]);
		if (!in) {
			out->programs[out->nprograms++] = all.v[i];
			all.v[i] = NULL;
		}
	}
	for (size_t i = 0; refctl_activities[i]; i++)
		out->nactivities++;
	out->activities = refctl__calloc(out->nactivities + 1, sizeof(*out->activities));
	out->nactivities = 0;
	for (size_t i = 0; refctl_activities[i]; i++) {
		int in = 0;
		for (size_t k = 0; k < a->activities.n && !in; k++)
			in = refctl_vocab_eq(a->activities.v[k], refctl_activities[i]);
		if (!in)
			out->activities[out->nactivities++] = refctl_activities[i];
	}
done:
	for (size_t i = 0; i < all.n; i++)
		free(all.v[i]);
	free(all.v);
	return error;
}

void refctl_advocate_options_release(struct refctl_advocate_options *o)
{
	for (size_t i = 0; i < o->nprograms; i++)
		free(o->programs[i]);
	free(o->programs);
	free(o->activities);
	memset(o, 0, sizeof(*o));
}
