/*
 * The fixture shared by the store and advocate unit tests: a group HOME
 * with a .gitconfig, and per test a fresh refctl repository in a temporary
 * directory (removed in teardown), with helpers to write files and commit
 * at fixed dates. Include after cmocka.h and the refctl headers.
 */
#ifndef REFCTL_TEST_REPO_FIXTURE_H
#define REFCTL_TEST_REPO_FIXTURE_H

static char home[PATH_MAX]; /* the group's HOME, with a .gitconfig */

struct fx {
	char tmp[PATH_MAX];  /* removed in teardown */
	char root[PATH_MAX]; /* tmp/repo, real path */
	char cwd[PATH_MAX];
	struct refctl_store *s;
	struct refctl_txn *t, *t2;
	struct refctl_record *rec;
	struct refctl_buf buf;
	struct refctl_diags diags;
	char **names, **ids, **out;
	size_t nnames, nids, nout;
	struct refctl_log_entry *log;
	size_t nlog;
	long date;
};

/* ---- file helpers ---- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_rf(const char *dir)
{
	if (dir[0])
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const char *data)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(data, fp);
	fclose(fp);
}

static void write_at(struct fx *f, const char *rel, const char *data)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", f->root, rel);
	write_file(path, data);
}

static char *read_at(struct fx *f, const char *rel)
{
	char path[PATH_MAX + 64];
	struct stat st;
	FILE *fp;
	char *data;

	snprintf(path, sizeof(path), "%s/%s", f->root, rel);
	if (stat(path, &st) < 0 || !(fp = fopen(path, "r")))
		return NULL;
	data = calloc(1, (size_t)st.st_size + 1);
	if (fread(data, 1, (size_t)st.st_size, fp) != (size_t)st.st_size) {
		free(data);
		data = NULL;
	}
	fclose(fp);
	return data;
}

static int exists_at(struct fx *f, const char *rel)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", f->root, rel);
	return access(path, F_OK) == 0;
}

/* Refuse to run where refctl_store_init would find an enclosing work tree. */
static int inside_work_tree(const char *dir)
{
	char p[PATH_MAX], probe[PATH_MAX + 8];
	if (!realpath(dir, p))
		return 0;
	for (;;) {
		char *slash;
		snprintf(probe, sizeof(probe), "%s/.git", p);
		if (access(probe, F_OK) == 0)
			return 1;
		slash = strrchr(p, '/');
		if (!slash || slash == p)
			break;
		*slash = '\0';
	}
	return 0;
}

static const char *tmpbase(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

/* Commits get distinct, increasing times so history order is exact. */
static void tick(struct fx *f)
{
	char d[64];
	snprintf(d, sizeof(d), "@%ld +0000", f->date);
	setenv("GIT_AUTHOR_DATE", d, 1);
	setenv("GIT_COMMITTER_DATE", d, 1);
	f->date += 60;
}

/* ---- fixtures ---- */

static int group_setup(void **state)
{
	static const char *const unset[] = {
		"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
		"GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE",
		"REFCTL_DIR", "REFCTL_LOCK_TIMEOUT", "GIT_CONFIG_GLOBAL",
	};
	char path[PATH_MAX + 32];

	(void)state;
	snprintf(home, sizeof(home), "%s/refctl-unit-home.XXXXXX", tmpbase());
	if (!mkdtemp(home))
		return -1;
	if (inside_work_tree(home)) {
		fprintf(stderr, "%s is inside a git work tree; set TMPDIR elsewhere\n", home);
		rm_rf(home);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/.gitconfig", home);
	write_file(path, "[user]\n\tname = Test User\n\temail = test@example.com\n"
			 "[init]\n\tdefaultBranch = main\n");
	setenv("HOME", home, 1);
	snprintf(path, sizeof(path), "%s/.config", home);
	setenv("XDG_CONFIG_HOME", path, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("TZ", "UTC", 1);
	for (size_t i = 0; i < sizeof(unset) / sizeof(unset[0]); i++)
		unsetenv(unset[i]);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	rm_rf(home);
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char repo[PATH_MAX + 8];

	*state = f;
	refctl_buf_init(&f->buf);
	refctl_error_clear();
	unsetenv("REFCTL_LOCK_TIMEOUT");
	unsetenv("REFCTL_DIR");
	f->date = 1767225600; /* 2026-01-01 00:00 UTC */
	tick(f);
	if (!getcwd(f->cwd, sizeof(f->cwd)))
		return -1;
	snprintf(f->tmp, sizeof(f->tmp), "%s/refctl-unit.XXXXXX", tmpbase());
	if (!mkdtemp(f->tmp))
		return -1;
	snprintf(repo, sizeof(repo), "%s/repo", f->tmp);
	if (refctl_store_init(repo, 0) < 0) {
		fprintf(stderr, "refctl_store_init: %s\n", refctl_error_last());
		return -1;
	}
	if (!realpath(repo, f->root))
		return -1;
	if (refctl_store_open(&f->s, f->root) < 0) {
		fprintf(stderr, "refctl_store_open: %s\n", refctl_error_last());
		return -1;
	}
	tick(f);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (chdir(f->cwd) < 0)
		return -1;
	refctl_txn_free(f->t2);
	refctl_txn_free(f->t);
	refctl_record_free(f->rec);
	refctl_diags_release(&f->diags);
	refctl_store_list_free(f->names, f->nnames);
	refctl_store_list_free(f->ids, f->nids);
	refctl_store_list_free(f->out, f->nout);
	refctl_log_entries_free(f->log, f->nlog);
	refctl_store_free(f->s);
	refctl_buf_release(&f->buf);
	rm_rf(f->tmp);
	unsetenv("REFCTL_LOCK_TIMEOUT");
	unsetenv("REFCTL_DIR");
	free(f);
	return 0;
}

static void load_log(struct fx *f, const char *rel)
{
	refctl_log_entries_free(f->log, f->nlog);
	f->log = NULL;
	f->nlog = 0;
	assert_int_equal(refctl_store_log(f->s, rel, NULL, &f->log, &f->nlog, NULL), 0);
}

static void list(struct fx *f)
{
	refctl_store_list_free(f->names, f->nnames);
	f->names = NULL;
	f->nnames = 0;
	assert_int_equal(refctl_store_list(f->s, &f->names, &f->nnames), 0);
}

#endif
