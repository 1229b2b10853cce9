/* Unit tests for lib/store.c: init, open, listing, loading, transactions, the lock, history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "refctl/common.h"
#include "refctl/config.h"
#include "refctl/store.h"

#include "repo_fixture.h"

/* Stage and commit raw files (relpath, data, relpath, data, ..., NULL). */
static void commit_files(struct fx *f, const char *subject, ...)
{
	va_list ap;
	const char *rel;

	tick(f);
	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	va_start(ap, subject);
	while ((rel = va_arg(ap, const char *)) != NULL) {
		const char *data = va_arg(ap, const char *);
		if (refctl_txn_put(f->t, rel, data, strlen(data)) < 0)
			fail_msg("put %s: %s", rel, refctl_error_last());
	}
	va_end(ap);
	if (refctl_txn_commit(f->t, subject, NULL) < 0)
		fail_msg("commit: %s", refctl_error_last());
	refctl_txn_free(f->t);
	f->t = NULL;
}

static const char jane[] = "id: jane\nname: Jane\ncompany: ACME\nstatus: active\n";
static const char bob[] = "id: bob\nname: Bob\ncompany: Initech\nstatus: paused\n";

/* ---- init and open ---- */

static void test_init_makes_a_repository(void **state)
{
	struct fx *f = *state;
	char *data = read_at(f, "refctl.yaml");
	char repo[PATH_MAX + 8];

	assert_non_null(data);
	assert_string_equal(data, refctl_config_template());
	free(data);
	assert_true(exists_at(f, "advocates"));
	assert_true(exists_at(f, ".git"));
	assert_string_equal(refctl_store_root(f->s), f->root);
	assert_int_equal(refctl_store_config(f->s)->per_quarter, 4);

	load_log(f, "refctl.yaml");
	assert_int_equal(f->nlog, 1);
	assert_string_equal(f->log[0].summary, "refctl: init");
	assert_string_equal(f->log[0].author, "Test User");
	assert_string_equal(f->log[0].email, "test@example.com");
	assert_int_equal(strlen(f->log[0].id), 40);
	assert_int_equal(f->log[0].time, 1767225600);

	/* a second init is refused */
	snprintf(repo, sizeof(repo), "%s/repo", f->tmp);
	assert_int_equal(refctl_store_init(repo, 0), REFCTL_EEXISTS);
	assert_non_null(strstr(refctl_error_last(), "is already a refctl repository (refctl.yaml exists)"));
}

static void test_init_no_commit(void **state)
{
	struct fx *f = *state;
	char other[PATH_MAX + 8];
	struct refctl_store *s2 = NULL;

	snprintf(other, sizeof(other), "%s/other", f->tmp);
	assert_int_equal(refctl_store_init(other, 1), 0);
	assert_int_equal(refctl_store_open(&s2, other), 0);
	assert_int_equal(refctl_store_log(s2, "refctl.yaml", NULL, &f->log, &f->nlog, NULL), 0);
	assert_int_equal(f->nlog, 0);
	refctl_store_free(s2);
}

static void test_open_errors(void **state)
{
	struct fx *f = *state;
	struct refctl_store *s2 = (struct refctl_store *)1;
	char dir[PATH_MAX + 8];

	snprintf(dir, sizeof(dir), "%s/empty", f->tmp);
	mkdir(dir, 0777);
	assert_int_equal(refctl_store_open(&s2, dir), REFCTL_ENOTFOUND);
	assert_null(s2);

	write_at(f, "refctl.yaml", "limits:\n  per_quarter: -1\n");
	assert_int_equal(refctl_store_open(&s2, f->root), REFCTL_EINVALID);
	assert_null(s2);
	assert_string_equal(refctl_error_last(),
			    "refctl.yaml:2:16: limits.per_quarter must be a whole number from 0 to 1000");
}

static void test_discover(void **state)
{
	struct fx *f = *state;
	char *root = NULL, sub[PATH_MAX + 16];

	setenv("REFCTL_DIR", f->root, 1);
	assert_int_equal(refctl_store_discover(&root), 0);
	assert_string_equal(root, f->root);
	free(root);
	root = NULL;

	setenv("REFCTL_DIR", f->tmp, 1);
	assert_int_equal(refctl_store_discover(&root), REFCTL_ENOTFOUND);
	assert_null(root);
	unsetenv("REFCTL_DIR");

	snprintf(sub, sizeof(sub), "%s/advocates", f->root);
	assert_int_equal(chdir(sub), 0);
	assert_int_equal(refctl_store_discover(&root), 0);
	assert_string_equal(root, f->root);
	free(root);
	root = NULL;

	assert_int_equal(chdir(f->tmp), 0);
	assert_int_equal(refctl_store_discover(&root), REFCTL_ENOTFOUND);
	assert_null(root);
}

/* ---- reading advocates ---- */

static void test_list_sorted_by_id(void **state)
{
	struct fx *f = *state;

	list(f);
	assert_int_equal(f->nnames, 0);
	/* bytewise, "a-2.yaml" < "a-b.yaml" < "a.yaml"; by id, "a" comes first */
	write_at(f, "advocates/b.yaml", "x");
	write_at(f, "advocates/a-2.yaml", "x");
	write_at(f, "advocates/a.yaml", "x");
	write_at(f, "advocates/a-b.yaml", "x");
	write_at(f, "advocates/a0.yaml", "x");
	write_at(f, "advocates/notes.txt", "x");
	write_at(f, "advocates/.hidden.yaml", "x");
	write_at(f, "advocates/.yaml", "x");
	write_at(f, "advocates/c.yaml.bak", "x");
	list(f);
	assert_int_equal(f->nnames, 5);
	assert_string_equal(f->names[0], "a.yaml");
	assert_string_equal(f->names[1], "a-2.yaml");
	assert_string_equal(f->names[2], "a-b.yaml");
	assert_string_equal(f->names[3], "a0.yaml");
	assert_string_equal(f->names[4], "b.yaml");
}

/* The same names as refctl_store_list, in one block. */
static void test_names_in_one_block(void **state)
{
	struct fx *f = *state;
	struct refctl_store_names names;
	char dir[PATH_MAX + 64];
	size_t size = 0;

	write_at(f, "advocates/b.yaml", "x");
	write_at(f, "advocates/a-2.yaml", "x");
	write_at(f, "advocates/a.yaml", "x");
	write_at(f, "advocates/notes.txt", "x");
	write_at(f, "advocates/.hidden.yaml", "x");
	assert_int_equal(refctl_store_names(&names, f->s), 0);
	assert_int_equal(names.n, 3);
	assert_string_equal(names.v[0], "a.yaml");
	assert_string_equal(names.v[1], "a-2.yaml");
	assert_string_equal(names.v[2], "b.yaml");
	for (size_t i = 0; i < names.n; i++) {
		assert_true(names.v[i] >= names.block);
		size += strlen(names.v[i]) + 1;
	}
	for (size_t i = 0; i < names.n; i++)
		assert_true(names.v[i] + strlen(names.v[i]) < names.block + size);
	refctl_store_names_release(&names);
	assert_null(names.v);

	/* no folder: no names */
	for (const char *const *p = (const char *const[]){ "b.yaml", "a-2.yaml", "a.yaml", "notes.txt",
							    ".hidden.yaml", NULL }; *p; p++) {
		snprintf(dir, sizeof(dir), "%s/advocates/%s", f->root, *p);
		assert_int_equal(unlink(dir), 0);
	}
	snprintf(dir, sizeof(dir), "%s/advocates", f->root);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(refctl_store_names(&names, f->s), 0);
	assert_int_equal(names.n, 0);
	refctl_store_names_release(&names);
}

/* The order of file names by id, with or without the folder. */
static void test_file_cmp(void **state)
{
	(void)state;
	assert_true(refctl_store_file_cmp("a.yaml", "a-2.yaml") < 0);
	assert_true(refctl_store_file_cmp("a-2.yaml", "a.yaml") > 0);
	assert_true(refctl_store_file_cmp("advocates/a.yaml", "advocates/a-2.yaml") < 0);
	assert_true(refctl_store_file_cmp("advocates/a-2.yaml", "advocates/a-b.yaml") < 0);
	assert_true(refctl_store_file_cmp("advocates/a0.yaml", "advocates/b.yaml") < 0);
	assert_int_equal(refctl_store_file_cmp("advocates/a.yaml", "advocates/a.yaml"), 0);
	/* without the extension the name is its own stem */
	assert_true(refctl_store_file_cmp("a", "a-2") < 0);
	assert_int_equal(refctl_store_file_cmp("a", "a.yaml"), 0);
}

static void test_list_without_folder(void **state)
{
	struct fx *f = *state;
	char dir[PATH_MAX + 16];

	snprintf(dir, sizeof(dir), "%s/advocates", f->root);
	assert_int_equal(rmdir(dir), 0);
	list(f);
	assert_int_equal(f->nnames, 0);
}

static void test_load(void **state)
{
	struct fx *f = *state;

	write_at(f, "advocates/jane.yaml", jane);
	assert_true(refctl_store_exists(f->s, "jane"));
	assert_false(refctl_store_exists(f->s, "bob"));
	refctl_store_path(&f->buf, "jane");
	assert_string_equal(f->buf.ptr, "advocates/jane.yaml");

	assert_int_equal(refctl_store_load(f->s, "jane", &f->rec), 0);
	assert_string_equal(f->rec->file, "advocates/jane.yaml");
	assert_string_equal(f->rec->a.name, "Jane");

	refctl_store_read(f->s, "jane", &f->buf);
	assert_string_equal(f->buf.ptr, jane);
}

static void test_load_missing(void **state)
{
	struct fx *f = *state;

	f->rec = (struct refctl_record *)1;
	assert_int_equal(refctl_store_load(f->s, "nobody", &f->rec), REFCTL_ENOTFOUND);
	assert_null(f->rec);
	assert_string_equal(refctl_error_last(), "no advocate 'nobody' (no advocates/nobody.yaml)");
	assert_int_equal(refctl_store_load(f->s, "../refctl", &f->rec), REFCTL_ENOTFOUND);
	assert_string_equal(refctl_error_last(), "no advocate '../refctl' (not a valid id)");
	assert_int_equal(refctl_store_load(f->s, "", &f->rec), REFCTL_ENOTFOUND);
}

static void test_load_invalid(void **state)
{
	struct fx *f = *state;
	char *big;
	size_t max = 1024 * 1024;

	write_at(f, "advocates/jane.yaml", "id: jane\nname: Jane\ncompany: ACME\nstatus: gone\n");
	assert_int_equal(refctl_store_load(f->s, "jane", &f->rec), REFCTL_EINVALID);
	assert_null(f->rec);
	assert_string_equal(refctl_error_last(),
			    "advocates/jane.yaml:4:9: status must be one of nominated, active, paused or retired, not 'gone'");

	big = malloc(max + 2);
	memset(big, '#', max + 1);
	big[max + 1] = '\0';
	write_at(f, "advocates/big.yaml", big);
	free(big);
	assert_int_equal(refctl_store_load(f->s, "big", &f->rec), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "advocates/big.yaml:1:1: file is larger than 1048576 bytes");
}

struct walk {
	char seen[256];
	char bad[512];
};

static int walk_fn(const struct refctl_record *rec, void *payload)
{
	struct walk *w = payload;
	strcat(w->seen, rec->a.id);
	strcat(w->seen, " ");
	return 0;
}

static void walk_bad(const char *file, const char *error, void *payload)
{
	struct walk *w = payload;
	strcat(w->bad, file);
	strcat(w->bad, " | ");
	strcat(w->bad, error);
	strcat(w->bad, "\n");
}

static int walk_stop(const struct refctl_record *rec, void *payload)
{
	walk_fn(rec, payload);
	return 7;
}

static void test_foreach(void **state)
{
	struct fx *f = *state;
	struct walk w;

	write_at(f, "advocates/jane.yaml", jane);
	write_at(f, "advocates/bob.yaml", bob);
	write_at(f, "advocates/bad.yaml", "id: bad\nname: [x\n");
	write_at(f, "advocates/jane-2.yaml", "id: jane-2\nname: Jane\ncompany: ACME\nstatus: active\nnps: 99\n");
	memset(&w, 0, sizeof(w));
	assert_int_equal(refctl_store_foreach(f->s, walk_fn, walk_bad, &w), 0);
	assert_string_equal(w.seen, "bob jane ");
	assert_non_null(strstr(w.bad, "advocates/bad.yaml | advocates/bad.yaml:"));
	assert_non_null(strstr(w.bad, "advocates/jane-2.yaml | advocates/jane-2.yaml:5:6: nps must be an integer from 0 to 10\n"));
	/* bad.yaml sorts before jane-2.yaml */
	assert_true(strstr(w.bad, "bad.yaml") < strstr(w.bad, "jane-2.yaml"));

	/* a callback's non-zero result stops the walk and is returned */
	memset(&w, 0, sizeof(w));
	assert_int_equal(refctl_store_foreach(f->s, walk_stop, NULL, &w), 7);
	assert_string_equal(w.seen, "bob ");
}

static void test_foreach_unordered(void **state)
{
	struct fx *f = *state;
	struct walk w;

	write_at(f, "advocates/jane.yaml", jane);
	write_at(f, "advocates/bob.yaml", bob);
	write_at(f, "advocates/bad.yaml", "id: bad\nname: [x\n");
	write_at(f, "advocates/.hidden.yaml", "not: read\n");
	write_at(f, "advocates/notes.txt", "not read\n");
	/* every file once, in whatever order the directory gives */
	memset(&w, 0, sizeof(w));
	assert_int_equal(refctl_store_foreach_unordered(f->s, walk_fn, walk_bad, &w), 0);
	assert_true(!strcmp(w.seen, "bob jane ") || !strcmp(w.seen, "jane bob "));
	assert_non_null(strstr(w.bad, "advocates/bad.yaml | advocates/bad.yaml:"));
	assert_ptr_equal(strchr(w.bad, '\n'), w.bad + strlen(w.bad) - 1); /* one bad file */

	/* a callback's non-zero result stops the walk and is returned */
	memset(&w, 0, sizeof(w));
	assert_int_equal(refctl_store_foreach_unordered(f->s, walk_stop, NULL, &w), 7);
	assert_true(!strcmp(w.seen, "bob ") || !strcmp(w.seen, "jane "));
}

static void test_foreach_unordered_without_folder(void **state)
{
	struct fx *f = *state;
	struct walk w;
	char dir[PATH_MAX + 16];

	snprintf(dir, sizeof(dir), "%s/advocates", f->root);
	assert_int_equal(rmdir(dir), 0);
	memset(&w, 0, sizeof(w));
	assert_int_equal(refctl_store_foreach_unordered(f->s, walk_fn, walk_bad, &w), 0);
	assert_string_equal(w.seen, "");
}

/* ---- hostile files: only regular files are read, links never followed ---- */

static void path_at(struct fx *f, char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", f->root, rel);
}

static void test_read_only_regular_files(void **state)
{
	struct fx *f = *state;
	char p[PATH_MAX + 64], target[PATH_MAX + 64];
	struct walk w;

	write_at(f, "advocates/jane.yaml", jane);
	path_at(f, p, sizeof(p), "advocates/fifo.yaml");
	assert_int_equal(mkfifo(p, 0644), 0);
	path_at(f, p, sizeof(p), "advocates/link.yaml");
	assert_int_equal(symlink("jane.yaml", p), 0);
	path_at(f, p, sizeof(p), "advocates/dangling.yaml");
	assert_int_equal(symlink("nowhere.yaml", p), 0);
	path_at(f, p, sizeof(p), "advocates/dir.yaml");
	assert_int_equal(mkdir(p, 0777), 0);

	/* a FIFO is never opened, so reading it cannot block */
	assert_int_equal(refctl_store_read(f->s, "fifo", &f->buf), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "advocates/fifo.yaml: not a regular file (a FIFO)");
	assert_int_equal(refctl_store_load(f->s, "link", &f->rec), REFCTL_EINVALID);
	assert_null(f->rec);
	assert_string_equal(refctl_error_last(),
			    "advocates/link.yaml: is a symbolic link; refctl does not follow links");
	assert_int_equal(refctl_store_read(f->s, "dangling", &f->buf), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(),
			    "advocates/dangling.yaml: is a symbolic link; refctl does not follow links");
	assert_int_equal(refctl_store_read(f->s, "dir", &f->buf), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "advocates/dir.yaml: not a regular file (a directory)");
	/* a link, even a dangling one, takes its name */
	assert_true(refctl_store_exists(f->s, "dangling"));

	/* the walks hand them to bad and go on */
	memset(&w, 0, sizeof(w));
	assert_int_equal(refctl_store_foreach(f->s, walk_fn, walk_bad, &w), 0);
	assert_string_equal(w.seen, "jane ");
	assert_string_equal(w.bad,
			    "advocates/dangling.yaml | advocates/dangling.yaml: is a symbolic link; refctl does not follow links\n"
			    "advocates/dir.yaml | advocates/dir.yaml: not a regular file (a directory)\n"
			    "advocates/fifo.yaml | advocates/fifo.yaml: not a regular file (a FIFO)\n"
			    "advocates/link.yaml | advocates/link.yaml: is a symbolic link; refctl does not follow links\n");
	memset(&w, 0, sizeof(w));
	assert_int_equal(refctl_store_foreach_unordered(f->s, walk_fn, walk_bad, &w), 0);
	assert_string_equal(w.seen, "jane ");
	assert_non_null(strstr(w.bad, "advocates/fifo.yaml: not a regular file (a FIFO)\n"));

	/* refctl.yaml too */
	path_at(f, target, sizeof(target), "refctl.yaml");
	path_at(f, p, sizeof(p), "settings.yaml");
	assert_int_equal(rename(target, p), 0);
	assert_int_equal(symlink("settings.yaml", target), 0);
	refctl_store_free(f->s);
	assert_int_equal(refctl_store_open(&f->s, f->root), REFCTL_EINVALID);
	assert_null(f->s);
	assert_string_equal(refctl_error_last(), "refctl.yaml: is a symbolic link; refctl does not follow links");
}

static void test_linked_advocates_folder_is_refused(void **state)
{
	struct fx *f = *state;
	char adv[PATH_MAX + 64], elsewhere[PATH_MAX + 64];
	struct refctl_store *s2 = (struct refctl_store *)1;

	write_at(f, "advocates/jane.yaml", jane);
	path_at(f, adv, sizeof(adv), "advocates");
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", f->tmp);
	assert_int_equal(rename(adv, elsewhere), 0);
	assert_int_equal(symlink(elsewhere, adv), 0);

	/* the store already open: listing and reading refuse it */
	assert_int_equal(refctl_store_list(f->s, &f->names, &f->nnames), REFCTL_EIO);
	assert_string_equal(refctl_error_last(), "advocates: is a symbolic link; refctl does not follow links "
						 "(advocates/ must be a folder of the repository)");
	assert_int_equal(refctl_store_foreach_unordered(f->s, walk_fn, NULL, NULL), REFCTL_EIO);
	/* and writing */
	assert_int_equal(refctl_txn_begin(&f->t, f->s, REFCTL_TXN_NO_COMMIT), 0);
	assert_int_equal(refctl_txn_put(f->t, "advocates/bob.yaml", bob, strlen(bob)), REFCTL_EIO);
	assert_string_equal(refctl_error_last(),
			    "cannot write 'advocates/bob.yaml': 'advocates' is a symbolic link, not a folder; "
			    "refctl does not follow links");
	refctl_txn_free(f->t);
	f->t = NULL;
	/* opening refuses it at once */
	assert_int_equal(refctl_store_open(&s2, f->root), REFCTL_EIO);
	assert_null(s2);
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere/bob.yaml", f->tmp);
	assert_int_equal(access(elsewhere, F_OK), -1);
}

static void test_txn_never_writes_through_a_link(void **state)
{
	struct fx *f = *state;
	char p[PATH_MAX + 64], target[PATH_MAX + 64];
	char *data;

	snprintf(target, sizeof(target), "%s/target.yaml", f->tmp);
	write_file(target, jane);
	path_at(f, p, sizeof(p), "advocates/jane.yaml");
	assert_int_equal(symlink(target, p), 0);
	path_at(f, p, sizeof(p), "advocates/fifo.yaml");
	assert_int_equal(mkfifo(p, 0644), 0);

	for (unsigned flags = 0; flags <= REFCTL_TXN_NO_COMMIT; flags += REFCTL_TXN_NO_COMMIT) {
		assert_int_equal(refctl_txn_begin(&f->t, f->s, flags), 0);
		/* refused as what it is, not as a file with uncommitted changes */
		assert_int_equal(refctl_txn_put(f->t, "advocates/jane.yaml", bob, strlen(bob)), REFCTL_EINVALID);
		assert_string_equal(refctl_error_last(),
				    "advocates/jane.yaml: is a symbolic link; refctl does not follow links");
		assert_int_equal(refctl_txn_put(f->t, "advocates/fifo.yaml", bob, strlen(bob)), REFCTL_EINVALID);
		assert_string_equal(refctl_error_last(), "advocates/fifo.yaml: not a regular file (a FIFO)");
		refctl_txn_free(f->t);
		f->t = NULL;
	}
	data = calloc(1, 256);
	{
		FILE *fp = fopen(target, "r");
		assert_non_null(fp);
		assert_true(fread(data, 1, 255, fp) > 0);
		fclose(fp);
	}
	assert_string_equal(data, jane);
	free(data);
}

static void test_discover_refuses_a_link_inside_the_work_tree(void **state)
{
	struct fx *f = *state;
	char nested[PATH_MAX + 16], outer[PATH_MAX + 16], link[PATH_MAX + 32], probe[PATH_MAX + 32];
	char via[PATH_MAX + 16], want[4 * PATH_MAX + 256];
	char *root = NULL;

	/* a refctl root in a folder of f->root's work tree, not a work tree itself */
	snprintf(nested, sizeof(nested), "%s/nested", f->root);
	assert_int_equal(refctl_store_init(nested, 1), 0);
	/* another work tree, with a link to it */
	snprintf(outer, sizeof(outer), "%s/outer", f->tmp);
	assert_int_equal(mkdir(outer, 0777), 0);
	snprintf(probe, sizeof(probe), "%s/.git", outer);
	assert_int_equal(mkdir(probe, 0777), 0);
	snprintf(link, sizeof(link), "%s/prog", outer);
	assert_int_equal(symlink(nested, link), 0);
	snprintf(want, sizeof(want),
		 "'%s' is a symbolic link inside the git work tree '%s'; refctl does not follow links "
		 "(use '%s' if that is the repository meant)", link, outer, nested);

	setenv("REFCTL_DIR", link, 1);
	assert_int_equal(refctl_store_discover(&root), REFCTL_EIO);
	assert_null(root);
	assert_string_equal(refctl_error_last(), want);
	unsetenv("REFCTL_DIR");

	/* the working directory, as $PWD names it */
	assert_int_equal(chdir(link), 0);
	setenv("PWD", link, 1);
	assert_int_equal(refctl_store_discover(&root), REFCTL_EIO);
	assert_string_equal(refctl_error_last(), want);
	snprintf(probe, sizeof(probe), "%s/prog/.", outer);
	setenv("PWD", probe, 1); /* "." and ".." are taken by name */
	assert_int_equal(refctl_store_discover(&root), REFCTL_EIO);
	/* a $PWD that does not name the working directory is not believed */
	setenv("PWD", f->tmp, 1);
	assert_int_equal(refctl_store_discover(&root), 0);
	assert_string_equal(root, nested);
	free(root);
	root = NULL;
	unsetenv("PWD");

	/* a link to the work tree itself, or above it, is fine */
	snprintf(via, sizeof(via), "%s/via", f->tmp);
	assert_int_equal(symlink(f->root, via), 0);
	snprintf(probe, sizeof(probe), "%s/nested", via);
	setenv("REFCTL_DIR", probe, 1);
	assert_int_equal(refctl_store_discover(&root), 0);
	assert_string_equal(root, nested);
	free(root);
	unsetenv("REFCTL_DIR");
}

/* ---- transactions ---- */

static void test_txn_commit_writes_and_commits(void **state)
{
	struct fx *f = *state;
	char *data;
	const char *text = "status: active\nid: jane\nname: Jane\ncompany: ACME\n";

	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	assert_null(refctl_txn_warning(f->t));
	assert_int_equal(refctl_record_parse(&f->rec, "advocates/jane.yaml", text, strlen(text), NULL), 0);
	assert_int_equal(refctl_txn_put_record(f->t, f->rec), 0);
	/* nothing is written before the commit */
	assert_false(exists_at(f, "advocates/jane.yaml"));
	assert_int_equal(refctl_txn_commit(f->t, "refctl: add jane", "Because."), 0);
	refctl_txn_free(f->t);
	f->t = NULL;

	data = read_at(f, "advocates/jane.yaml");
	assert_non_null(data);
	assert_string_equal(data, jane); /* in canonical form */
	free(data);
	load_log(f, "advocates/jane.yaml");
	assert_int_equal(f->nlog, 1);
	assert_string_equal(f->log[0].summary, "refctl: add jane");
	/* no temporary files left */
	list(f);
	assert_int_equal(f->nnames, 1);
}

static void test_txn_free_without_commit(void **state)
{
	struct fx *f = *state;

	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	assert_int_equal(refctl_txn_put(f->t, "advocates/jane.yaml", jane, strlen(jane)), 0);
	assert_int_equal(refctl_txn_put(f->t, "advocates/jane.yaml", jane, strlen(jane)), REFCTL_EEXISTS);
	assert_string_equal(refctl_error_last(), "'advocates/jane.yaml' is written twice in one change");
	refctl_txn_free(f->t);
	f->t = NULL;
	assert_false(exists_at(f, "advocates/jane.yaml"));
	load_log(f, "advocates/jane.yaml");
	assert_int_equal(f->nlog, 0);
}

static void test_txn_no_commit(void **state)
{
	struct fx *f = *state;

	assert_int_equal(refctl_txn_begin(&f->t, f->s, REFCTL_TXN_NO_COMMIT), 0);
	assert_int_equal(refctl_txn_put(f->t, "advocates/jane.yaml", jane, strlen(jane)), 0);
	assert_int_equal(refctl_txn_commit(f->t, "refctl: add jane", NULL), 0);
	assert_true(exists_at(f, "advocates/jane.yaml"));
	load_log(f, "advocates/jane.yaml");
	assert_int_equal(f->nlog, 0);
}

static void test_txn_refuses_comment_and_dirty_file(void **state)
{
	struct fx *f = *state;
	const char *text = "id: jane\nname: Jane # the CTO\ncompany: ACME\nstatus: active\n";

	assert_int_equal(refctl_record_parse(&f->rec, "advocates/jane.yaml", text, strlen(text), NULL), 0);
	assert_int_equal(f->rec->comment_line, 2);
	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	assert_int_equal(refctl_txn_put_record(f->t, f->rec), REFCTL_EINVALID);
	assert_string_equal(refctl_error_last(), "advocates/jane.yaml:2: comment would be lost; move it into notes:");
	refctl_txn_free(f->t);
	f->t = NULL;

	/* a committed file changed in the work tree is not overwritten */
	commit_files(f, "refctl: add jane", "advocates/jane.yaml", jane, NULL);
	write_at(f, "advocates/jane.yaml", "changed by hand\n");
	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	assert_int_equal(refctl_txn_put(f->t, "advocates/jane.yaml", jane, strlen(jane)), REFCTL_EDIRTY);
	assert_string_equal(refctl_error_last(),
			    "advocates/jane.yaml has uncommitted changes; commit or discard them first (or use --no-commit)");
	refctl_txn_free(f->t);
	f->t = NULL;
	/* with --no-commit it is */
	assert_int_equal(refctl_txn_begin(&f->t, f->s, REFCTL_TXN_NO_COMMIT), 0);
	assert_int_equal(refctl_txn_put(f->t, "advocates/jane.yaml", jane, strlen(jane)), 0);
}

static void test_txn_needs_an_author(void **state)
{
	struct fx *f = *state;
	char nohome[PATH_MAX + 16];

	/* libgit2 reads HOME when the store first opens the repository */
	snprintf(nohome, sizeof(nohome), "%s/nohome", f->tmp);
	mkdir(nohome, 0777);
	setenv("HOME", nohome, 1);
	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), REFCTL_EGIT);
	setenv("HOME", home, 1);
	assert_null(f->t);
	assert_string_equal(refctl_error_last(),
			    "no author for the commit: set git config user.name and user.email "
			    "(or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL), or use --no-commit");
	/* --no-commit needs none */
	assert_int_equal(refctl_txn_begin(&f->t, f->s, REFCTL_TXN_NO_COMMIT), 0);
}

/* ---- the lock ---- */

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_lock_timeout(void **state)
{
	struct fx *f = *state;
	char expected[PATH_MAX + 128];
	double start, waited;

	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	/* flock() locks belong to an open file description: the second
	 * txn_begin opens the lock file again and conflicts with the first */
	setenv("REFCTL_LOCK_TIMEOUT", "0.2", 1);
	start = seconds();
	f->t2 = (struct refctl_txn *)1;
	assert_int_equal(refctl_txn_begin(&f->t2, f->s, 0), REFCTL_ELOCKED);
	waited = seconds() - start;
	assert_null(f->t2);
	assert_true(waited >= 0.2);
	assert_true(waited < 5.0);
	snprintf(expected, sizeof(expected),
		 "another refctl is writing: could not take the lock '%s/.git/refctl.lock' within 0.2 s", f->root);
	assert_string_equal(refctl_error_last(), expected);

	/* once released, the lock is free again, without a warning */
	refctl_txn_free(f->t);
	f->t = NULL;
	assert_int_equal(refctl_txn_begin(&f->t2, f->s, 0), 0);
	assert_null(refctl_txn_warning(f->t2));
}

static void test_stale_lock_warning(void **state)
{
	struct fx *f = *state;
	char expected[PATH_MAX + 160];

	write_at(f, ".git/refctl.lock", "4242\n");
	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	assert_non_null(refctl_txn_warning(f->t));
	snprintf(expected, sizeof(expected),
		 "took over a stale lock '%s/.git/refctl.lock' left by process 4242, which ended without releasing it",
		 f->root);
	assert_string_equal(refctl_txn_warning(f->t), expected);
	refctl_txn_free(f->t);
	f->t = NULL;

	/* a cleanly released lock leaves nothing to warn about */
	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	assert_null(refctl_txn_warning(f->t));
	assert_null(refctl_txn_warning(NULL));
}

/* ---- history ---- */

static void test_log_newest_first(void **state)
{
	struct fx *f = *state;

	/* setup ticked twice: the first commit here is at 2026-01-01 00:02 */
	commit_files(f, "refctl: add jane", "advocates/jane.yaml", jane, NULL);
	commit_files(f, "refctl: add bob", "advocates/bob.yaml", bob, NULL);
	commit_files(f, "refctl: set jane nps=9", "advocates/jane.yaml",
		     "id: jane\nname: Jane\ncompany: ACME\nstatus: active\nnps: 9\n", NULL);
	commit_files(f, "refctl: set both", "advocates/jane.yaml", jane, "advocates/bob.yaml",
		     "id: bob\nname: Bob\ncompany: Initech\nstatus: active\n", NULL);

	load_log(f, "advocates/jane.yaml");
	assert_int_equal(f->nlog, 3);
	assert_string_equal(f->log[0].summary, "refctl: set both");
	assert_string_equal(f->log[1].summary, "refctl: set jane nps=9");
	assert_string_equal(f->log[2].summary, "refctl: add jane");
	assert_int_equal(f->log[0].time, 1767225600 + 5 * 60);
	assert_int_equal(f->log[1].time, 1767225600 + 4 * 60);
	assert_int_equal(f->log[2].time, 1767225600 + 2 * 60);
	assert_int_equal(f->log[0].offset, 0);

	load_log(f, "advocates/bob.yaml");
	assert_int_equal(f->nlog, 2);
	assert_string_equal(f->log[0].summary, "refctl: set both");
	assert_string_equal(f->log[1].summary, "refctl: add bob");

	load_log(f, "advocates/nobody.yaml");
	assert_int_equal(f->nlog, 0);
}

static void test_log_time_zone(void **state)
{
	struct fx *f = *state;

	setenv("GIT_AUTHOR_DATE", "2026-03-01 10:00:00 +0130", 1);
	assert_int_equal(refctl_txn_begin(&f->t, f->s, 0), 0);
	assert_int_equal(refctl_txn_put(f->t, "advocates/jane.yaml", jane, strlen(jane)), 0);
	assert_int_equal(refctl_txn_commit(f->t, "refctl: add jane", NULL), 0);
	load_log(f, "advocates/jane.yaml");
	assert_int_equal(f->nlog, 1);
	assert_int_equal(f->log[0].offset, 90);
	/* 10:00 at +01:30 is 08:30 UTC: 2026-03-01 is day 20513 */
	assert_int_equal(f->log[0].time, 20513LL * 86400 + 8 * 3600 + 30 * 60);
}

struct changes {
	char text[512];
};

static int change_fn(const struct refctl_change *c, void *payload)
{
	struct changes *ch = payload;
	char line[128];
	snprintf(line, sizeof(line), "%s %s %s|", c->id, c->old_data ? "old" : "-", c->new_data ? "new" : "-");
	strcat(ch->text, line);
	return 0;
}

static void test_changes(void **state)
{
	struct fx *f = *state;
	struct changes ch;

	commit_files(f, "add", "advocates/jane.yaml", jane, "advocates/bob.yaml", bob, NULL);
	commit_files(f, "edit", "advocates/jane.yaml", "id: jane\nname: Jane\ncompany: ACME\nstatus: paused\n",
		     "refctl.yaml", "program: x\n", NULL);
	memset(&ch, 0, sizeof(ch));
	assert_int_equal(refctl_store_changes(f->s, 0, INT64_MAX, change_fn, &ch), 0);
	/* oldest first, advocate files only, in path order within a commit */
	assert_string_equal(ch.text, "bob - new|jane - new|jane old new|");

	/* [from, to) on the commit time: only the second commit (at +3 min) */
	memset(&ch, 0, sizeof(ch));
	assert_int_equal(refctl_store_changes(f->s, 1767225600 + 3 * 60, 1767225600 + 4 * 60, change_fn, &ch), 0);
	assert_string_equal(ch.text, "jane old new|");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_makes_a_repository),
		T(test_init_no_commit),
		T(test_open_errors),
		T(test_discover),
		T(test_list_sorted_by_id),
		T(test_names_in_one_block),
		cmocka_unit_test(test_file_cmp),
		T(test_list_without_folder),
		T(test_load),
		T(test_load_missing),
		T(test_load_invalid),
		T(test_foreach),
		T(test_foreach_unordered),
		T(test_foreach_unordered_without_folder),
		T(test_read_only_regular_files),
		T(test_linked_advocates_folder_is_refused),
		T(test_txn_never_writes_through_a_link),
		T(test_discover_refuses_a_link_inside_the_work_tree),
		T(test_txn_commit_writes_and_commits),
		T(test_txn_free_without_commit),
		T(test_txn_no_commit),
		T(test_txn_refuses_comment_and_dirty_file),
		T(test_txn_needs_an_author),
		T(test_lock_timeout),
		T(test_stale_lock_warning),
		T(test_log_newest_first),
		T(test_log_time_zone),
		T(test_changes),
	};
	return cmocka_run_group_tests_name("store", tests, group_setup, group_teardown);
}
