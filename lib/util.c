#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "refctl/buf.h"
#include "util.h"

/* The last error, one per thread. */
static _Thread_local struct {
	char file[1024];
	unsigned line, col;
	char msg[1024];
	char full[2200];
} last;

int refctl__verror_at(int code, const char *file, unsigned line, unsigned col,
		      const char *fmt, va_list ap)
{
	char msg[sizeof(last.msg)], f[sizeof(last.file)];

	/* the arguments may point into last itself (re-locating an error) */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(f, sizeof(f), "%s", file ? file : "");
	memcpy(last.msg, msg, sizeof(msg));
	memcpy(last.file, f, sizeof(f));
	file = last.file;
	last.line = line;
	last.col = col;
	if (!file || !*file)
		snprintf(last.full, sizeof(last.full), "%s", last.msg);
	else if (line && col)
		snprintf(last.full, sizeof(last.full), "%s:%u:%u: %s", file, line, col, last.msg);
	else if (line)
		snprintf(last.full, sizeof(last.full), "%s:%u: %s", file, line, last.msg);
	else
		snprintf(last.full, sizeof(last.full), "%s: %s", file, last.msg);
	return code;
}

int refctl__error_at(int code, const char *file, unsigned line, unsigned col,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	refctl__verror_at(code, file, line, col, fmt, ap);
	va_end(ap);
	return code;
}

int refctl__error(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	refctl__verror_at(code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

const char *refctl_error_last(void)
{
	return last.full[0] ? last.full : "unknown error";
}

const char *refctl_error_last_file(void)
{
	return last.file[0] ? last.file : NULL;
}

unsigned refctl_error_last_line(void)
{
	return last.line;
}

unsigned refctl_error_last_col(void)
{
	return last.col;
}

const char *refctl_error_last_message(void)
{
	return last.msg[0] ? last.msg : "unknown error";
}

void refctl_error_clear(void)
{
	memset(&last, 0, sizeof(last));
}

void *refctl__error_save(void)
{
	void *saved = refctl__malloc(sizeof(last));
	memcpy(saved, &last, sizeof(last));
	return saved;
}

void refctl__error_restore(void *saved)
{
	memcpy(&last, saved, sizeof(last));
	free(saved);
}

const char *refctl_version(void)
{
	return REFCTL_VERSION;
}

void refctl__buf_first_line(struct refctl_buf *out, const char *text)
{
	refctl_buf_put(out, text, strcspn(text, "\n"));
}

int refctl__strcasecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb || !ca)
			return ca - cb;
	}
}

const char *refctl__file_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFLNK:
		return "a symbolic link";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	default:
		return "of unknown type";
	}
}

int refctl__not_regular(const char *path, unsigned mode)
{
	if (S_ISLNK(mode))
		return refctl__error_at(REFCTL_EINVALID, path, 0, 0,
					"is a symbolic link; refctl does not follow links");
	return refctl__error_at(REFCTL_EINVALID, path, 0, 0, "not a regular file (%s)",
				refctl__file_kind(mode));
}

/*
 * Only a regular file is ever opened: lstat() first, so that a FIFO, a
 * socket or a device is never opened (opening a FIFO blocks until a
 * writer comes; opening a device may act on it) and a symbolic link is
 * never followed; then open() with O_NOFOLLOW and O_NONBLOCK, and
 * fstat() to be sure the file opened is the one looked at, should it
 * have been replaced in between.
 */
int refctl__read_file(struct refctl_buf *out, const char *path, size_t max)
{
	struct stat before, st;
	int fd, flags, error = 0;

	refctl_buf_clear(out);
	if (lstat(path, &before) < 0)
		return refctl__error(errno == ENOENT || errno == ENOTDIR ? REFCTL_ENOTFOUND : REFCTL_EIO,
				     "cannot open '%s': %s", path, strerror(errno));
	if (!S_ISREG(before.st_mode))
		return refctl__not_regular(path, before.st_mode);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK)) < 0) {
		if (errno == ELOOP)
			return refctl__not_regular(path, S_IFLNK);
		return refctl__error(errno == ENOENT ? REFCTL_ENOTFOUND : REFCTL_EIO,
				     "cannot open '%s': %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		error = refctl__error(REFCTL_EIO, "cannot stat '%s': %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		error = refctl__not_regular(path, st.st_mode);
		goto done;
	}
	if (st.st_dev != before.st_dev || st.st_ino != before.st_ino) {
		error = refctl__error(REFCTL_EIO, "'%s' was replaced while being opened; try again", path);
		goto done;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		error = refctl__error(REFCTL_EIO, "cannot read '%s': %s", path, strerror(errno));
		goto done;
	}
	if ((size_t)st.st_size > max) {
		error = refctl__error_at(REFCTL_EINVALID, path, 1, 1,
					 "file is larger than %zu bytes", max);
		goto done;
	}
	refctl_buf_grow(out, (size_t)st.st_size + 1);
	for (;;) {
		ssize_t n;
		refctl_buf_grow(out, 4096);
		n = read(fd, out->ptr + out->size, out->asize - out->size - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error = refctl__error(REFCTL_EIO, "cannot read '%s': %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		out->size += (size_t)n;
		out->ptr[out->size] = '\0';
		if (out->size > max) {
			error = refctl__error_at(REFCTL_EINVALID, path, 1, 1,
						 "file is larger than %zu bytes", max);
			goto done;
		}
	}
done:
	close(fd);
	return error;
}

/*
 * Replace path with data atomically: a temporary file in the same folder
 * (".NAME.tmpXXXXXX"), fsync, rename, fsync of the folder. Readers see the
 * old file or the new one, never a torn one.
 */
int refctl__write_atomic(const char *path, const char *data, size_t len)
{
	struct refctl_buf tmp = REFCTL_BUF_INIT, dir = REFCTL_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int fd = -1, error = 0, dfd;
	size_t off = 0;

	if (slash)
		refctl_buf_put(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	else
		refctl_buf_puts(&dir, ".");
	refctl_buf_printf(&tmp, "%s/.%s.tmpXXXXXX", dir.ptr, slash ? slash + 1 : path);
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		error = refctl__error(REFCTL_EIO, "cannot create a temporary file in '%s': %s", dir.ptr,
				      strerror(errno));
		goto done;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			error = refctl__error(REFCTL_EIO, "cannot write '%s': %s", tmp.ptr, strerror(errno));
			goto done;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
		error = refctl__error(REFCTL_EIO, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = refctl__error(REFCTL_EIO, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0) {
		error = refctl__error(REFCTL_EIO, "cannot write '%s': %s", path, strerror(errno));
		goto done;
	}
	/* the rename reaches the disk before anything that depends on it */
	if ((dfd = open(dir.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fsync(dfd) < 0) {
		error = refctl__error(REFCTL_EIO, "cannot write '%s': syncing its folder: %s", path,
				      strerror(errno));
		if (dfd >= 0)
			close(dfd);
		goto done;
	}
	close(dfd);
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.size)
		unlink(tmp.ptr); /* ENOENT after the rename */
	refctl_buf_release(&tmp);
	refctl_buf_release(&dir);
	return error;
}

double refctl__lock_timeout(void)
{
	const char *env = getenv("REFCTL_LOCK_TIMEOUT");
	char *end;
	double t;

	if (!env || !*env)
		return 10.0;
	t = strtod(env, &end);
	return end == env || t < 0 ? 10.0 : t;
}

size_t refctl__advocate_file_stem(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".yaml") ? n - 5 : 0;
}

void refctl__advocate_path(struct refctl_buf *out, const char *root, const char *id)
{
	refctl_buf_clear(out);
	if (root) {
		refctl_buf_puts(out, root);
		refctl_buf_putc(out, '/');
	}
	refctl_buf_puts(out, "advocates/");
	refctl_buf_puts(out, id);
	refctl_buf_puts(out, ".yaml");
}
