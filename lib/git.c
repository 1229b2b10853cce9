/*
 * Everything refctl does with git, through libgit2: opening, init, the
 * author, state checks, committing exactly the files refctl changed, and
 * reading history. libgit2's types and return codes stop here.
 */
#include <git2.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "git.h"
#include "util.h"

struct refctl__git {
	git_repository *repo;
	char *prefix;  /* root relative to the work tree, "" or "sub/dir/" */
	char *gitdir;
};

static int lg2_initialised;

static void lg2_init(void)
{
	if (lg2_initialised++)
		return;
	git_libgit2_init();
	/* honour git's switch for hermetic runs (tests, CI) */
	if (getenv("GIT_CONFIG_NOSYSTEM"))
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, "/dev/null/none");
}

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();
	return refctl__error(REFCTL_EGIT, "git: %s: %s", what, e && e->message ? e->message : "failed");
}

int refctl__git_open(struct refctl__git **out, const char *root)
{
	struct refctl__git *g;
	const char *wd;
	char *realwd = NULL;
	size_t n;

	*out = NULL;
	lg2_init();
	g = refctl__calloc(1, sizeof(*g));
	if (git_repository_open_ext(&g->repo, root, 0, NULL) < 0) {
		refctl__git_free(g);
		return refctl__error(REFCTL_ENOTFOUND,
				     "'%s' is not inside a git repository (run 'refctl init' there)", root);
	}
	if (!(wd = git_repository_workdir(g->repo))) {
		refctl__git_free(g);
		return refctl__error(REFCTL_EGIT, "the git repository of '%s' is bare", root);
	}
	realwd = realpath(wd, NULL);
	wd = realwd ? realwd : wd;
	n = strlen(wd);
	while (n > 1 && wd[n - 1] == '/')
		n--;
	if (strncmp(root, wd, n) || (root[n] && root[n] != '/')) {
		free(realwd);
		refctl__git_free(g);
		return refctl__error(REFCTL_EGIT, "'%s' is outside the work tree of its repository", root);
	}
	g->prefix = root[n] ? refctl__malloc(strlen(root + n + 1) + 2) : refctl__strdup("");
	if (root[n])
		sprintf(g->prefix, "%s/", root + n + 1);
	g->gitdir = refctl__strdup(git_repository_commondir(g->repo));
	n = strlen(g->gitdir);
	if (n > 1 && g->gitdir[n - 1] == '/')
		g->gitdir[n - 1] = '\0';
	free(realwd);
	*out = g;
	return 0;
}

void refctl__git_free(struct refctl__git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->prefix);
	free(g->gitdir);
	free(g);
	if (lg2_initialised && !--lg2_initialised)
		git_libgit2_shutdown();
}

const char *refctl__git_dir(const struct refctl__git *g)
{
	return g->gitdir;
}

int refctl__git_init_if_needed(const char *dir, int *created)
{
	git_repository *repo = NULL;
	int error = 0;

	*created = 0;
	lg2_init();
	if (git_repository_open_ext(&repo, dir, 0, NULL) == 0) {
		if (git_repository_is_bare(repo))
			error = refctl__error(REFCTL_EGIT, "'%s' is inside a bare git repository", dir);
	} else if (git_repository_init(&repo, dir, 0) < 0) {
		error = git_fail("init");
	} else {
		*created = 1;
	}
	git_repository_free(repo);
	if (!--lg2_initialised)
		git_libgit2_shutdown();
	return error;
}

/* "@1700000000 +0100", "2026-11-01T10:00:00" or "2026-11-01 10:00:00 +0000" */
static int parse_git_date(const char *s, git_time_t *t, int *offset)
{
	struct tm tm;
	const char *p;
	int sign, hh, mm;

	*offset = 0;
	if (*s == '@') {
		char *end;
		*t = strtoll(s + 1, &end, 10);
		p = end;
	} else {
		memset(&tm, 0, sizeof(tm));
		p = strptime(s, "%Y-%m-%d", &tm);
		if (!p)
			return -1;
		if (*p == 'T' || *p == ' ') {
			const char *q = strptime(p + 1, "%H:%M:%S", &tm);
			if (q)
				p = q;
		}
		*t = timegm(&tm);
		if (*p == 'Z')
			p++;
	}
	while (*p == ' ')
		p++;
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d%2d", &hh, &mm) == 2) {
		sign = *p == '-' ? -1 : 1;
		*offset = sign * (hh * 60 + mm);
		if (*s != '@')
			*t -= (git_time_t)*offset * 60;
	}
	return 0;
}

static int make_signature(git_signature **out, git_repository *repo, const char *date_env)
{
	git_config *cfg = NULL;
	git_buf name = { 0 }, email = { 0 };
	const char *n = NULL, *e = NULL, *d = getenv(date_env);
	git_time_t t = time(NULL);
	int offset = 0, error = 0;

	*out = NULL;
	if ((repo ? git_repository_config_snapshot(&cfg, repo) : git_config_open_default(&cfg)) == 0) {
		if (git_config_get_string_buf(&name, cfg, "user.name") == 0 && name.size)
			n = name.ptr;
		if (git_config_get_string_buf(&email, cfg, "user.email") == 0 && email.size)
			e = email.ptr;
	}
	if (!n || !e) {
		n = getenv("GIT_AUTHOR_NAME");
		e = getenv("GIT_AUTHOR_EMAIL");
	}
	if (!n || !*n || !e || !*e) {
		error = refctl__error(REFCTL_EGIT,
				      "no author for the commit: set git config user.name and user.email "
				      "(or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL), or use --no-commit");
		goto done;
	}
	if (d && *d && parse_git_date(d, &t, &offset) < 0) {
		error = refctl__error(REFCTL_EINVALID, "%s '%s' is not a date", date_env, d);
		goto done;
	}
	if (git_signature_new(out, n, e, t, offset) < 0)
		error = git_fail("signature");
done:
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
	return error;
}

int refctl__git_check_author(struct refctl__git *g)
{
	git_signature *sig;
	int error;

	lg2_init();
	error = make_signature(&sig, g ? g->repo : NULL, "GIT_AUTHOR_DATE");
	git_signature_free(sig);
	if (!--lg2_initialised)
		git_libgit2_shutdown();
	return error;
}

int refctl__git_user_name(struct refctl__git *g, struct refctl_buf *out)
{
	git_config *cfg = NULL;
	git_buf name = { 0 };
	const char *env = getenv("GIT_AUTHOR_NAME");

	refctl_buf_clear(out);
	/* the same order as the commit author: configuration, then environment */
	if (git_repository_config_snapshot(&cfg, g->repo) == 0 &&
	    git_config_get_string_buf(&name, cfg, "user.name") == 0 && name.size)
		refctl_buf_puts(out, name.ptr);
	else if (env && *env)
		refctl_buf_puts(out, env);
	git_buf_dispose(&name);
	git_config_free(cfg);
	return 0;
}

int refctl__git_check_state(struct refctl__git *g)
{
	static const char *const names[] = {
		[GIT_REPOSITORY_STATE_MERGE] = "a merge",
		[GIT_REPOSITORY_STATE_REVERT] = "a revert",
		[GIT_REPOSITORY_STATE_REVERT_SEQUENCE] = "a revert",
		[GIT_REPOSITORY_STATE_CHERRYPICK] = "a cherry-pick",
		[GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE] = "a cherry-pick",
		[GIT_REPOSITORY_STATE_BISECT] = "a bisect",
		[GIT_REPOSITORY_STATE_REBASE] = "a rebase",
		[GIT_REPOSITORY_STATE_REBASE_INTERACTIVE] = "a rebase",
		[GIT_REPOSITORY_STATE_REBASE_MERGE] = "a rebase",
		[GIT_REPOSITORY_STATE_APPLY_MAILBOX] = "git am",
		[GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE] = "git am or a rebase",
	};
	int st = git_repository_state(g->repo);

	if (st == GIT_REPOSITORY_STATE_NONE)
		return 0;
	return refctl__error(REFCTL_EDIRTY,
			     "%s is in progress in this repository; finish or abort it before refctl commits",
			     st > 0 && (size_t)st < sizeof(names) / sizeof(names[0]) && names[st] ? names[st]
												 : "an operation");
}

static int lock_exists(struct refctl_buf *path, const char *dir, const char *name)
{
	refctl_buf_clear(path);
	refctl_buf_printf(path, "%s%s%s.lock", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return access(path->ptr, F_OK) == 0;
}

int refctl__git_check_locks(struct refctl__git *g)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	git_reference *head = NULL;
	const char *dir = git_repository_path(g->repo); /* HEAD and the index live here */
	int found;

	found = lock_exists(&path, dir, "index") || lock_exists(&path, dir, "HEAD");
	if (!found && git_reference_lookup(&head, g->repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		found = lock_exists(&path, g->gitdir, git_reference_symbolic_target(head));
	git_reference_free(head);
	if (found)
		refctl__error(REFCTL_ELOCKED,
			      "git's lock file '%s' exists: another git process is running, or one was killed "
			      "while committing; if no git process is running, remove the file and try again",
			      path.ptr);
	refctl_buf_release(&path);
	return found ? REFCTL_ELOCKED : 0;
}

/*
 * Is the file as HEAD has it, in the index and in the work tree? Compared
 * directly (HEAD's blob, the index entry, the file's hash) rather than
 * with git_status_file(), which scans the whole folder: with 10,000
 * advocates that scan was a quarter of a write's time.
 */
int refctl__git_check_clean(struct refctl__git *g, const char *relpath)
{
	struct refctl_buf path = REFCTL_BUF_INIT, full = REFCTL_BUF_INIT;
	git_index *index = NULL;
	git_reference *head = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	const git_index_entry *ie;
	git_oid work;
	struct stat st;
	int error = 0, dirty = 0, in_head = 0, rc;

	refctl_buf_printf(&path, "%s%s", g->prefix, relpath);
	refctl_buf_printf(&full, "%s%s", git_repository_workdir(g->repo), path.ptr);
	if (git_repository_index(&index, g->repo) < 0 || git_index_read(index, 0) < 0) {
		error = git_fail("reading the index");
		goto done;
	}
	rc = git_repository_head(&head, g->repo);
	if (rc == 0) {
		if (git_commit_lookup(&commit, g->repo, git_reference_target(head)) < 0 ||
		    git_commit_tree(&tree, commit) < 0) {
			error = git_fail("reading HEAD");
			goto done;
		}
		in_head = git_tree_entry_bypath(&te, tree, path.ptr) == 0;
	} else if (rc != GIT_EUNBORNBRANCH && rc != GIT_ENOTFOUND) {
		error = git_fail("reading HEAD");
		goto done;
	}
	ie = git_index_get_bypath(index, path.ptr, 0);
	if (git_index_get_bypath(index, path.ptr, 1) || git_index_get_bypath(index, path.ptr, 2) ||
	    git_index_get_bypath(index, path.ptr, 3))
		dirty = 1; /* a conflict */
	else if (!!ie != in_head || (ie && !git_oid_equal(&ie->id, git_tree_entry_id(te))))
		dirty = 1; /* staged */
	else if (stat(full.ptr, &st) < 0)
		dirty = ie != NULL; /* deleted in the work tree */
	else if (!ie)
		dirty = 1; /* untracked */
	else if (git_repository_hashfile(&work, g->repo, path.ptr, GIT_OBJECT_BLOB, NULL) < 0)
		error = git_fail(relpath);
	else
		dirty = !git_oid_equal(&work, &ie->id);
	if (!error && dirty)
		error = refctl__error(REFCTL_EDIRTY,
				      "%s has uncommitted changes; commit or discard them first (or use --no-commit)",
				      relpath);
done:
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(commit);
	git_reference_free(head);
	git_index_free(index);
	refctl_buf_release(&path);
	refctl_buf_release(&full);
	return error;
}

int refctl__git_commit(struct refctl__git *g, const char *const *relpaths,
		       const char *const *data, const size_t *lens, size_t n, const char *message)
{
	git_signature *author = NULL, *committer = NULL;
	git_reference *head = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_treebuilder *tb = NULL;
	git_tree_update *ups = NULL;
	git_index *index = NULL;
	git_oid tree_id, commit_id;
	char **paths = NULL;
	int error = 0, rc;

	if ((error = make_signature(&author, g->repo, "GIT_AUTHOR_DATE")) < 0 ||
	    (error = make_signature(&committer, g->repo, "GIT_COMMITTER_DATE")) < 0)
		goto done;
	rc = git_repository_head(&head, g->repo);
	if (rc == 0) {
		if (git_commit_lookup(&parent, g->repo, git_reference_target(head)) < 0 ||
		    git_commit_tree(&base, parent) < 0) {
			error = git_fail("reading HEAD");
			goto done;
		}
	} else if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
		git_oid empty;
		if (git_treebuilder_new(&tb, g->repo, NULL) < 0 || git_treebuilder_write(&empty, tb) < 0 ||
		    git_tree_lookup(&base, g->repo, &empty) < 0) {
			error = git_fail("empty tree");
			goto done;
		}
	} else {
		error = git_fail("reading HEAD");
		goto done;
	}
	ups = refctl__calloc(n, sizeof(*ups));
	paths = refctl__calloc(n, sizeof(*paths));
	for (size_t i = 0; i < n; i++) {
		paths[i] = refctl__malloc(strlen(g->prefix) + strlen(relpaths[i]) + 1);
		sprintf(paths[i], "%s%s", g->prefix, relpaths[i]);
		ups[i].action = GIT_TREE_UPDATE_UPSERT;
		ups[i].filemode = GIT_FILEMODE_BLOB;
		ups[i].path = paths[i];
		if (git_blob_create_from_buffer(&ups[i].id, g->repo, data[i], lens[i]) < 0) {
			error = git_fail("writing blob");
			goto done;
		}
	}
	if (git_tree_create_updated(&tree_id, g->repo, base, n, ups) < 0 ||
	    git_tree_lookup(&tree, g->repo, &tree_id) < 0) {
		error = git_fail("writing tree");
		goto done;
	}
	if (git_commit_create(&commit_id, g->repo, "HEAD", author, committer, NULL, message, tree,
			      parent ? 1 : 0, (const git_commit **)&parent) < 0) {
		error = git_fail("commit");
		goto done;
	}
	/* Bring just these index entries in line with the commit: whatever
	 * else the user has staged stays staged. */
	if (git_repository_index(&index, g->repo) < 0 || git_index_read(index, 0) < 0) {
		error = git_fail("reading the index");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (git_index_add_bypath(index, paths[i]) < 0) {
			error = git_fail("updating the index");
			goto done;
		}
	if (git_index_write(index) < 0)
		error = git_fail("writing the index");
done:
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
	free(ups);
	git_index_free(index);
	git_treebuilder_free(tb);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	git_reference_free(head);
	git_signature_free(author);
	git_signature_free(committer);
	return error;
}

/* The blob id of path in commit c, or zero if absent. */
static int blob_at(git_oid *out, git_commit *c, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int found = 0;

	memset(out, 0, sizeof(*out));
	if (git_commit_tree(&tree, c) == 0 && git_tree_entry_bypath(&e, tree, path) == 0) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_entry_free(e);
	git_tree_free(tree);
	return found;
}

int refctl__git_log(struct refctl__git *g, const char *relpath,
		    struct refctl_log_entry **out, size_t *n)
{
	struct refctl_buf path = REFCTL_BUF_INIT;
	git_revwalk *walk = NULL;
	git_oid oid;
	size_t alloc = 0;
	int error = 0;

	*out = NULL;
	*n = 0;
	refctl_buf_printf(&path, "%s%s", g->prefix, relpath);
	if (git_revwalk_new(&walk, g->repo) < 0) {
		error = git_fail("log");
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TIME);
	if (git_revwalk_push_head(walk) < 0)
		goto done; /* no commits yet: empty history */
	while (git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL;
		git_oid mine;
		int present, differs = 1;
		unsigned np;
		const git_signature *sig;
		struct refctl_log_entry *e;

		if (git_commit_lookup(&c, g->repo, &oid) < 0) {
			error = git_fail("log");
			goto done;
		}
		present = blob_at(&mine, c, path.ptr);
		np = git_commit_parentcount(c);
		if (np == 0) {
			differs = present;
		} else {
			/* Like git log -- PATH: a commit counts if the file differs
			 * from every parent. */
			for (unsigned i = 0; i < np && differs; i++) {
				git_commit *p = NULL;
				git_oid theirs;
				int there;
				if (git_commit_parent(&p, c, i) < 0)
					continue;
				there = blob_at(&theirs, p, path.ptr);
				if (there == present && (!present || git_oid_equal(&mine, &theirs)))
					differs = 0;
				git_commit_free(p);
			}
		}
		if (differs) {
			REFCTL__ARRAY_GROW(*out, *n + 1, alloc);
			e = &(*out)[(*n)++];
			memset(e, 0, sizeof(*e));
			git_oid_tostr(e->id, sizeof(e->id), &oid);
			sig = git_commit_author(c);
			e->time = sig->when.time;
			e->offset = sig->when.offset;
			e->author = refctl__strdup(sig->name ? sig->name : "");
			e->email = refctl__strdup(sig->email ? sig->email : "");
			e->summary = refctl__strdup(git_commit_summary(c) ? git_commit_summary(c) : "");
		}
		git_commit_free(c);
	}
done:
	git_revwalk_free(walk);
	refctl_buf_release(&path);
	return error;
}

struct changes_ctx {
	struct refctl__git *g;
	refctl_change_fn fn;
	void *payload;
	git_commit *commit;
	int error;
};

static int blob_data(git_repository *repo, const git_oid *id, git_blob **out)
{
	*out = NULL;
	if (git_oid_is_zero(id))
		return 0;
	return git_blob_lookup(out, repo, id);
}

int refctl__git_changes(struct refctl__git *g, int64_t from, int64_t to,
			refctl_change_fn fn, void *payload)
{
	struct refctl_buf dir = REFCTL_BUF_INIT;
	git_revwalk *walk = NULL;
	git_oid oid;
	int error = 0;

	refctl_buf_printf(&dir, "%sadvocates/", g->prefix);
	if (git_revwalk_new(&walk, g->repo) < 0) {
		error = git_fail("history");
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TIME | GIT_SORT_REVERSE);
	if (git_revwalk_push_head(walk) < 0)
		goto done;
	while (!error && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL, *p = NULL;
		git_tree *ct = NULL, *pt = NULL;
		git_diff *diff = NULL;
		git_diff_options opts;
		char *spec = dir.ptr;
		char hex[41];
		int64_t when;

		if (git_commit_lookup(&c, g->repo, &oid) < 0) {
			error = git_fail("history");
			break;
		}
		when = git_commit_time(c);
		if (git_commit_parentcount(c) > 1 || when < from || when >= to) {
			git_commit_free(c);
			continue;
		}
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
		if ((git_commit_parentcount(c) == 1 &&
		     (git_commit_parent(&p, c, 0) < 0 || git_commit_tree(&pt, p) < 0)) ||
		    git_commit_tree(&ct, c) < 0 ||
		    git_diff_tree_to_tree(&diff, g->repo, pt, ct, &opts) < 0) {
			error = git_fail("history");
		} else {
			git_oid_tostr(hex, sizeof(hex), &oid);
			for (size_t i = 0; i < git_diff_num_deltas(diff) && !error; i++) {
				const git_diff_delta *d = git_diff_get_delta(diff, i);
				const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
				const char *name = path + dir.size;
				size_t len = strlen(name);
				git_blob *ob = NULL, *nb = NULL;
				char id[128];
				struct refctl_change ch;

				if (strncmp(path, dir.ptr, dir.size) || strchr(name, '/') || len <= 5 ||
				    len - 5 >= sizeof(id) || strcmp(name + len - 5, ".yaml"))
					continue;
				memcpy(id, name, len - 5);
				id[len - 5] = '\0';
				if (blob_data(g->repo, &d->old_file.id, &ob) < 0 ||
				    blob_data(g->repo, &d->new_file.id, &nb) < 0) {
					error = git_fail("history");
				} else {
					memset(&ch, 0, sizeof(ch));
					ch.id = id;
					ch.commit = hex;
					ch.time = when;
					ch.author = git_commit_committer(c)->name;
					if (ob) {
						ch.old_data = git_blob_rawcontent(ob);
						ch.old_len = (size_t)git_blob_rawsize(ob);
					}
					if (nb) {
						ch.new_data = git_blob_rawcontent(nb);
						ch.new_len = (size_t)git_blob_rawsize(nb);
					}
					error = fn(&ch, payload);
				}
				git_blob_free(ob);
				git_blob_free(nb);
			}
		}
		git_diff_free(diff);
		git_tree_free(ct);
		git_tree_free(pt);
		git_commit_free(p);
		git_commit_free(c);
	}
done:
	git_revwalk_free(walk);
	refctl_buf_release(&dir);
	return error;
}

/* ---- merging lines, and the repository's configuration ---- */

int refctl__git_merge_lines(struct refctl_buf *out, int *conflicted, const char *const data[3],
			    const size_t len[3], const char *const labels[3], unsigned marker_size)
{
	git_merge_file_input in[3];
	git_merge_file_options o;
	git_merge_file_result r;
	int error = 0;

	*conflicted = 0;
	lg2_init();
	for (int i = 0; i < 3; i++) {
		git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
		in[i].ptr = data[i];
		in[i].size = len[i];
	}
	git_merge_file_options_init(&o, GIT_MERGE_FILE_OPTIONS_VERSION);
	o.ancestor_label = labels[0];
	o.our_label = labels[1];
	o.their_label = labels[2];
	o.marker_size = (unsigned short)marker_size;
	memset(&r, 0, sizeof(r));
	if (git_merge_file(&r, &in[0], &in[1], &in[2], &o) < 0) {
		error = git_fail("merge-file");
	} else if (!r.ptr) {
		/* libgit2 does not merge binary files and gives nothing back */
		error = refctl__error(REFCTL_EINVALID, "a side is binary");
	} else {
		refctl_buf_put(out, r.ptr, r.len);
		*conflicted = !r.automergeable;
	}
	git_merge_file_result_free(&r);
	if (!--lg2_initialised)
		git_libgit2_shutdown();
	return error;
}

int refctl__git_config_set(struct refctl__git *g, const char *name, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	git_buf cur = GIT_BUF_INIT;
	int error, changed = 1;

	if (git_repository_config(&cfg, g->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0) {
		error = git_fail("config");
		goto done;
	}
	if (git_config_get_string_buf(&cur, local, name) == 0 && !strcmp(cur.ptr, value))
		changed = 0;
	else if (git_config_set_string(local, name, value) < 0) {
		error = git_fail("config");
		goto done;
	}
	error = changed;
done:
	git_buf_dispose(&cur);
	git_config_free(local);
	git_config_free(cfg);
	return error;
}
