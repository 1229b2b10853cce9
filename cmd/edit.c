/*
 * refctl edit: open an advocate in $VISUAL or $EDITOR on a copy; the copy
 * replaces the file only once it validates (re-open on error, as
 * crontab -e does).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

static const char *editor(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

/*
 * As git does: sh -c 'EDITOR "$@"' EDITOR FILE. The editor is shell text
 * (EDITOR='sed -i "s/a/b/"' and EDITOR="code --wait" both work), the file
 * name only ever a positional parameter, so no character in it is special.
 */
static int run_editor(const char *editor_cmd, const char *file)
{
	struct refctl_buf script = REFCTL_BUF_INIT;
	pid_t pid;
	int status;

	refctl_buf_printf(&script, "%s \"$@\"", editor_cmd);
	fflush(stdout);
	if ((pid = fork()) < 0) {
		refctl_buf_release(&script);
		return -1;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", script.ptr, editor_cmd, file, (char *)NULL);
		_exit(127);
	}
	refctl_buf_release(&script);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int ask_reopen(void)
{
	char line[64];
	FILE *tty = fopen("/dev/tty", "r+");
	int yes;

	if (!tty)
		return 0;
	fprintf(tty, "re-open the editor? [Y/n] ");
	fflush(tty);
	yes = fgets(line, sizeof(line), tty) && (line[0] == '\n' || line[0] == 'y' || line[0] == 'Y');
	fclose(tty);
	return yes;
}

static const char *const edit_usage[] = {
	"refctl edit ID [--no-commit] [-m TEXT]",
	"",
	"Opens a copy in $VISUAL or $EDITOR (else vi), run as git runs it:",
	"sh -c '$EDITOR \"$@\"' $EDITOR FILE. The copy replaces the file only once it",
	"is valid, and after an error refctl offers to re-open the editor.",
	NULL,
};

int cmd_edit(int argc, char **argv, struct refctl_ctx *ctx)
{
	struct refctl_write_opts wopts = CMD_WRITE_OPTS_INIT;
	struct refctl_record *rec = NULL;
	struct refctl_buf orig = REFCTL_BUF_INIT, text = REFCTL_BUF_INIT, idbuf = REFCTL_BUF_INIT;
	char tmp[4096];
	const char *id, *dir = getenv("TMPDIR");
	int fd, rc = EXIT_OK, error, changed = 0, no_commit = 0;
	const struct refctl_option options[] = {
		OPT_WRITE(&no_commit, &wopts.message),
		OPT_END(),
	};

	if ((argc = parse_options(ctx, argc, argv, options, edit_usage, 0)) < 0)
		return PARSE_OPT_EXIT(argc);
	if (argc != 1)
		return usage_error(ctx, "expected one advocate id");
	if (no_commit)
		wopts.txn_flags |= REFCTL_TXN_NO_COMMIT;
	if ((rc = resolve_advocate(ctx, argv[0], &idbuf)) != EXIT_OK) {
		refctl_buf_release(&idbuf);
		return rc;
	}
	id = idbuf.ptr;
	if ((error = refctl_store_read(ctx->store, id, &orig)) < 0) {
		refctl_buf_release(&idbuf);
		return fail(error);
	}
	snprintf(tmp, sizeof(tmp), "%s/refctl-%s-XXXXXX.yaml", dir && *dir ? dir : "/tmp", id);
	if ((fd = mkstemps(tmp, 5)) < 0) {
		fprintf(stderr, "error: cannot create a temporary file: %s\n", strerror(errno));
		return EXIT_REPO;
	}
	if (write(fd, orig.ptr, orig.size) != (ssize_t)orig.size || close(fd) < 0) {
		fprintf(stderr, "error: cannot write '%s': %s\n", tmp, strerror(errno));
		unlink(tmp);
		return EXIT_REPO;
	}
	for (;;) {
		int st = run_editor(editor(), tmp);
		if (st != 0) {
			fprintf(stderr, "error: the editor exited with status %d; nothing changed\n", st);
			rc = EXIT_USAGE;
			break;
		}
		if (read_input(&text, tmp, "the edited file", 64u * 1024 * 1024) != EXIT_OK) {
			rc = EXIT_REPO;
			break;
		}
		if (text.size == orig.size && !memcmp(text.ptr, orig.ptr, orig.size)) {
			fprintf(stderr, "%s: no changes\n", id);
			break;
		}
		error = refctl_advocate_replace(ctx->store, id, text.ptr, text.size, &wopts, &changed);
		if (error == 0) {
			if (!changed)
				fprintf(stderr, "%s: no changes\n", id);
			break;
		}
		rc = fail(error);
		if (rc != EXIT_USAGE || !ask_reopen())
			break;
		rc = EXIT_OK;
	}
	unlink(tmp);
	refctl_record_free(rec);
	refctl_buf_release(&orig);
	refctl_buf_release(&text);
	refctl_buf_release(&idbuf);
	return rc;
}
