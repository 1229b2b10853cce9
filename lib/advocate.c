/* Writing advocates: add, set/unset, replace, fmt; and the check of all files. */
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
	int error;

	for (size_t k = 0; k < nf; k++)
		unfound += !who[k].size;
	if (!unfound)
		return 0;
	if ((error = refctl_store_list(s, &names, &n)) < 0)
		return error;
	cache = refctl__store_cache_open(s);
	for (size_t i = 0; i < n && unfound; i++) {
		char id[256];
		struct refctl_record_encoded enc = { REFCTL_BUF_INIT, { 0, 0, 0 } };
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
		refctl_buf_release(&enc.tree);
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

/*
 * REFCTL_EEXISTS if a UNIQUE field of rec has a value that one of others
 * (the advocates added with it, ids beside) or another advocate in the
 * store (not except_id) has; origin names the input in the message.
 */
static int check_unique(struct refctl_store *s, const struct refctl_record *rec, const char *except_id,
			struct refctl_record *const *others, char *const *other_ids, size_t nothers,
			const char *origin)
{
	const struct refctl_field *fields[MAX_UNIQUE] = { NULL };
	const char *values[MAX_UNIQUE] = { NULL };
	struct refctl_buf who[MAX_UNIQUE];
	size_t nf = 0;
	int error = 0;

	for (const struct refctl_field *f = refctl_schema_advocate(); f->name && nf < MAX_UNIQUE; f++) {
		const char *value;
		if (!(f->flags & REFCTL_FIELD_UNIQUE) || !(value = unique_value(f, rec)))
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
		if ((error = check_unique(s, recs[i], NULL, recs, ids, i, origins[i])) < 0)
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
	int error;

	if ((error = check_unique(s, rec, id, NULL, NULL, 0, NULL)) < 0)
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
	int error;

	*changed = 0;
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
		for (size_t i = 0; i < n; i++)
			if ((error = apply_arg(rec, args[i], unset, &field)) < 0) {
				if (nids > 1)
					refctl__error(error, "%s: %s", ids[k], refctl_error_last());
				goto done;
			}
		if ((error = check_unique(s, rec, ids[k], NULL, NULL, 0, NULL)) < 0)
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

struct seen {
	const char *field; /* the UNIQUE field, or NULL for file names */
	char *key;         /* its value (lowercased) or the lowercased file name */
	char *file;
	unsigned line;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = x->field && y->field ? strcmp(x->field, y->field) : 0;
	if (!c)
		c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->file, y->file);
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *lower(const char *s)
{
	char *d = refctl__strdup(s);
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return d;
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

int refctl_check(struct refctl_store *s, struct refctl_diags *diags, size_t *nfiles)
{
	char **names;
	size_t n, nemails = 0, aemails = 0;
	struct seen *emails = NULL, *lnames, *links = NULL;
	size_t nlinks = 0, alinks = 0;
	char **stems;
	struct refctl__walk *walk;
	struct refctl__walk_file *wf;
	int error;

	if ((error = refctl_store_list(s, &names, &n)) < 0)
		return error;
	*nfiles = n;
	lnames = refctl__calloc(n + 1, sizeof(*lnames));
	stems = refctl__calloc(n + 1, sizeof(*stems));
	refctl__walk_begin(&walk, s, names, n, check_parse, NULL);
	for (size_t i = 0; (wf = refctl__walk_next(walk)) != NULL; i++) {
		struct refctl_record *rec = NULL;
		char stem[256];
		snprintf(stem, sizeof(stem), "%.*s", (int)refctl__advocate_file_stem(wf->name), wf->name);
		stems[i] = refctl__strdup(stem);
		lnames[i].key = lower(wf->name);
		lnames[i].file = refctl__strdup(wf->rel);
		if (!refctl_id_valid(stem))
			refctl_diags_add(diags, REFCTL_DIAG_ERROR, wf->rel, 0, 0, NULL,
					 "file name '%s' is not a valid id (lowercase letters, digits and '-')",
					 wf->name);
		/* from the cache or parsed (a merge's conflicts each named in one
		 * line, if the markers allow), every problem into diags */
		refctl__walk_load(walk, wf, &rec, diags);
		if (!rec)
			continue;
		refctl_config_check_vocab(refctl_store_config(s), rec, diags);
		check_merged_rules(diags, rec, refctl_store_config(s));
		check_reward_eligible(diags, rec, refctl_store_config(s));
		for (const struct refctl_field *f = refctl_schema_advocate(); f->name; f++) {
			const char *value = f->flags & REFCTL_FIELD_UNIQUE ? unique_value(f, rec) : NULL;
			const struct refctl_node *at;
			if (!value)
				continue;
			at = refctl_node_get(rec->root, f->name);
			REFCTL__ARRAY_GROW(emails, nemails + 1, aemails);
			emails[nemails].field = f->name;
			emails[nemails].key = lower(value);
			emails[nemails].file = refctl__strdup(wf->rel);
			emails[nemails++].line = at ? at->line : 0;
		}
		if (rec->a.referred_by) {
			/* the link to the advocate whose referral this one was */
			const struct refctl_node *at = refctl_node_get(rec->root, "referred_by");
			REFCTL__ARRAY_GROW(links, nlinks + 1, alinks);
			links[nlinks].field = "referred_by";
			links[nlinks].key = refctl__strdup(rec->a.referred_by);
			links[nlinks].file = refctl__strdup(wf->rel);
			links[nlinks++].line = at ? at->line : 0;
		}
		refctl__walk_free(walk, wf, rec);
	}
	if (n > 1)
		qsort(stems, n, sizeof(*stems), str_ptr_cmp);
	for (size_t i = 0; i < nlinks; i++) {
		const char *key = links[i].key;
		if (!bsearch(&key, stems, n, sizeof(*stems), str_ptr_cmp))
			refctl_diags_add(diags, REFCTL_DIAG_ERROR, links[i].file, links[i].line, 0, "referred_by",
					 "referred_by names '%s', which is not an advocate (no advocates/%s.yaml)", key, key);
		free(links[i].key);
		free(links[i].file);
	}
	free(links);
	if (nemails > 1)
		qsort(emails, nemails, sizeof(*emails), seen_cmp);
	for (size_t i = 1; i < nemails; i++)
		if (emails[i].field == emails[i - 1].field && !strcmp(emails[i].key, emails[i - 1].key))
			refctl_diags_add(diags, REFCTL_DIAG_ERROR, emails[i].file, emails[i].line, 0, emails[i].field,
					 "%s %s is also used by %s", emails[i].field, emails[i].key, emails[i - 1].file);
	if (n > 1)
		qsort(lnames, n, sizeof(*lnames), seen_cmp);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(lnames[i].key, lnames[i - 1].key))
			refctl_diags_add(diags, REFCTL_DIAG_ERROR, lnames[i].file, 0, 0, NULL,
					 "file name differs only in case from %s", lnames[i - 1].file);
	refctl_diags_sort(diags);
	refctl__walk_end(walk, 1);
	for (size_t i = 0; i < nemails; i++) {
		free(emails[i].key);
		free(emails[i].file);
	}
	for (size_t i = 0; i < n; i++) {
		free(lnames[i].key);
		free(lnames[i].file);
	}
	free(emails);
	free(lnames);
	for (size_t i = 0; i < n; i++)
		free(stems[i]);
	free(stems);
	refctl_store_list_free(names, n);
	return 0;
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
