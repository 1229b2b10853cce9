/*
 * refctl fsck: do HEAD, the index and the work tree agree on refctl's own
 * paths, and did a writer that died leave anything behind? With repair,
 * put refctl's paths back to HEAD and remove the leftovers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "refctl/fsck.h"
#include "cache.h"
#include "git.h"
#include "store_int.h"
#include "util.h"

static void add(struct refctl_fsck_result *r, const char *done, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add(struct refctl_fsck_result *r, const char *done, const char *fmt, ...)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	refctl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	REFCTL__ARRAY_GROW(r->v, r->n + 1, r->alloc);
	r->v[r->n].what = refctl_buf_detach(&b);
	r->v[r->n].done = done ? refctl__strdup(done) : NULL;
	r->n++;
}

/* Lines "WHAT" or "WHAT: removed" from the helpers. */
static void add_lines(struct refctl_fsck_result *r, char *text, int repair, const char *prefix)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		size_t len = strlen(line), k = strlen(": removed");
		int removed = len > k && !strcmp(line + len - k, ": removed");
		if (removed)
			line[len - k] = '\0';
		add(r, removed ? "removed" : NULL, "%s%s", prefix, line);
		if (repair && !removed)
			r->unrepaired++;
	}
}

struct pathset {
	char **v;
	size_t n, alloc;
};

static int is_refctl_path(const char *p)
{
	size_t n = strlen(p);
	if (!strcmp(p, "refctl.yaml") || !strcmp(p, ".gitattributes"))
		return 1;
	return !strncmp(p, "advocates/", 10) && !strchr(p + 10, '/') && n > 15 && p[10] != '.' &&
	       !strcmp(p + n - 5, ".yaml");
}

static int collect(const char *relpath, void *payload)
{
	struct pathset *ps = payload;
	if (is_refctl_path(relpath)) {
		REFCTL__ARRAY_GROW(ps->v, ps->n + 1, ps->alloc);
		ps->v[ps->n++] = refctl__strdup(relpath);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_journal(const struct refctl__journal *j, const char *p)
{
	for (size_t i = 0; i < j->npaths; i++)
		if (!strcmp(j->paths[i], p))
			return 1;
	return 0;
}

/* Put one path's file back to HEAD; what was done into done. */
static int restore_file(struct refctl_store *s, struct refctl__git *g, const char *relpath,
			const struct refctl__git_path_state *st, struct refctl_buf *done)
{
	struct refctl_buf path = REFCTL_BUF_INIT, data = REFCTL_BUF_INIT;
	char kept[41];
	int error = 0;

	refctl_buf_printf(&path, "%s/%s", refctl_store_root(s), relpath);
	if (st->work[0] && strcmp(st->work, st->head)) {
		/* keep what the work tree had: nothing is lost */
		if ((error = refctl__read_file(&data, path.ptr, (size_t)1 << 30)) < 0 ||
		    (error = refctl__git_save_blob(g, data.ptr, data.size, kept)) < 0)
			goto done;
	} else {
		kept[0] = '\0';
	}
	if (st->head[0]) {
		if ((error = refctl__git_head_blob(g, relpath, &data)) < 0 ||
		    (error = refctl__write_atomic(path.ptr, data.ptr, data.size)) < 0)
			goto done;
		refctl_buf_puts(done, "restored to HEAD");
	} else if (st->work[0]) {
		if (unlink(path.ptr) < 0) {
			error = refctl__error(REFCTL_EIO, "cannot remove '%s': %s", path.ptr, strerror(errno));
			goto done;
		}
		refctl_buf_puts(done, "removed (HEAD has no such file)");
	} else {
		refctl_buf_puts(done, st->index[0] ? "removed from the index" : "restored to HEAD");
	}
	if (kept[0])
		refctl_buf_printf(done, "; the work-tree version is kept as blob %.12s ('git show %.12s')", kept,
				  kept);
	if (st->index[0] && strcmp(st->index, st->head) && strcmp(st->index, st->work))
		refctl_buf_printf(done, "; the staged version was blob %.12s", st->index);
done:
	refctl_buf_release(&path);
	refctl_buf_release(&data);
	return error;
}

struct cache_check {
	struct refctl_fsck_result *out;
	int repair;
};

static void cache_disagrees(const char *file, const char *what, void *payload)
{
	struct cache_check *cc = payload;
	add(cc->out, cc->repair ? "the cache removed, to be rebuilt by the next read" : NULL,
	    "the parse cache (.git/refctl-cache) disagrees with %s: %s", file, what);
}

/*
 * The parse cache against a parse of every file it would be trusted for
 * (its stat data holds): each entry that differs is a finding; with
 * repair the cache is removed, so the next read parses every file and
 * writes it afresh. A cache that is not whole is no cache, not a finding.
 */
static void check_cache(struct refctl_fsck_result *out, struct refctl_store *s, int repair)
{
	struct cache_check cc = { out, repair };
	struct refctl__cache *cache = refctl__store_cache_open(s);
	struct refctl_buf dir = REFCTL_BUF_INIT;

	if (!cache)
		return;
	refctl_buf_printf(&dir, "%s/advocates", refctl_store_root(s));
	if (refctl__cache_verify(cache, dir.ptr, cache_disagrees, &cc) && repair)
		refctl__cache_remove(cache);
	refctl__cache_close(cache, 0);
	refctl_buf_release(&dir);
}

int refctl_fsck(struct refctl_fsck_result *out, struct refctl_store *s,
		const struct refctl_fsck_opts *opts)
{
	int repair = opts && opts->repair;
	struct refctl_buf text = REFCTL_BUF_INIT, done = REFCTL_BUF_INIT;
	struct pathset ps = { NULL, 0, 0 };
	struct refctl_txn *t = NULL;
	const struct refctl__journal *j;
	const char **reset = NULL;
	size_t nreset = 0;
	struct refctl__git *g;
	char **names = NULL;
	size_t nnames = 0;
	int error;

	if ((error = refctl__store_git(s, &g)) < 0)
		return error;
	/* no writer at work while we look */
	if ((error = refctl_txn_begin(&t, s, repair ? REFCTL__TXN_REPAIR : REFCTL__TXN_INSPECT)) < 0)
		return error;
	j = refctl__txn_journal(t);
	if (j->state == REFCTL__JOURNAL_STALE)
		add(out, repair ? "cleared" : NULL,
		    "refctl.lock: refctl process %s ended while writing, without releasing it", j->pid);
	if (refctl__git_leftovers(g, j->ref, j->commit, repair, &text))
		add_lines(out, text.ptr, repair, "");
	refctl_buf_clear(&text);
	if (refctl__store_temporaries(s, repair, &text))
		for (char *line = strtok(text.ptr, "\n"); line; line = strtok(NULL, "\n"))
			add(out, repair ? "removed" : NULL, "refctl's temporary file %s was left behind", line);

	/* refctl's paths, wherever one of HEAD, the index, the work tree has them */
	collect("refctl.yaml", &ps);
	collect(".gitattributes", &ps);
	if ((error = refctl__git_tracked(g, "advocates/", collect, &ps)) < 0 ||
	    (error = refctl_store_list(s, &names, &nnames)) < 0)
		goto done;
	for (size_t i = 0; i < nnames; i++) {
		refctl_buf_clear(&text);
		refctl_buf_printf(&text, "advocates/%s", names[i]);
		collect(text.ptr, &ps);
	}
	for (size_t i = 0; i < j->npaths; i++)
		collect(j->paths[i], &ps);
	if (ps.n)
		qsort(ps.v, ps.n, sizeof(*ps.v), cmp_str);
	reset = refctl__calloc(ps.n + 1, sizeof(*reset));
	for (size_t i = 0; i < ps.n; i++) {
		struct refctl__git_path_state st;
		int interrupted;

		if (i && !strcmp(ps.v[i], ps.v[i - 1]))
			continue;
		if ((error = refctl__git_path_state(g, ps.v[i], &st)) < 0)
			goto done;
		if (!st.head[0] && !st.index[0] && !st.work[0] && !st.not_file && !st.conflict)
			continue; /* .gitattributes nowhere */
		out->paths++;
		if (refctl__git_state_agrees(&st)) {
			if (repair)
				refctl__txn_resolved(t, ps.v[i], 1);
			continue;
		}
		interrupted = in_journal(j, ps.v[i]);
		refctl_buf_clear(&text);
		refctl__describe_state(&text, ps.v[i], &st);
		if (interrupted)
			refctl_buf_puts(&text, " after an interrupted write");
		refctl_buf_clear(&done);
		if (repair && st.not_file) {
			add(out, NULL, "%s (not repaired: move it out of the way first)", text.ptr);
			out->unrepaired++;
			continue;
		}
		if (repair && (error = restore_file(s, g, ps.v[i], &st, &done)) < 0)
			goto done;
		add(out, repair ? done.ptr : NULL, "%s", text.ptr);
		if (repair)
			reset[nreset++] = ps.v[i];
	}
	if (nreset && (error = refctl__git_reset_index(g, reset, nreset, refctl__lock_timeout())) < 0)
		goto done;
	for (size_t i = 0; i < nreset; i++)
		refctl__txn_resolved(t, reset[i], 1);
	/* after the files are put right: the cache is checked against them */
	check_cache(out, s, repair);
done:
	if (error < 0 && repair)
		for (size_t i = 0; i < j->npaths; i++)
			refctl__txn_resolved(t, j->paths[i], 0);
	refctl_txn_free(t);
	for (size_t i = 0; i < ps.n; i++)
		free(ps.v[i]);
	free(ps.v);
	free(reset);
	refctl_store_list_free(names, nnames);
	refctl_buf_release(&text);
	refctl_buf_release(&done);
	return error;
}

void refctl_fsck_result_release(struct refctl_fsck_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].what);
		free(r->v[i].done);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}
