/*
 * Fault injection for the test suite, in the manner of SQLite's test VFS:
 * an LD_PRELOAD library that counts the calls of a process that change
 * files (open, write, fsync, rename and their kin) and makes the N-th fail
 * with a chosen errno, or kills or stops the process just before it. Being
 * below libc's callers, it reaches refctl and libgit2 alike, and needs no
 * hook in the product. Built only with the tests (tests/CMakeLists.txt).
 *
 *   REFCTL_FAULT_AT=N        the call to act on (1-based); unset or 0: only count
 *   REFCTL_FAULT_OPS=LIST    kinds counted, comma-separated, of open, write,
 *                            fsync, rename, unlink, create (default:
 *                            open,write,fsync,rename; create: only opens
 *                            that create, as a read-only folder refuses)
 *   REFCTL_FAULT_ERRNO=E     EIO (default), ENOSPC, EACCES or ENOENT
 *   REFCTL_FAULT_ACTION=A    fail (default), kill (SIGKILL before the call)
 *                            or stop (SIGSTOP before the call, which then runs)
 *   REFCTL_FAULT_PERSIST=1   fail every counted call from the N-th on
 *   REFCTL_FAULT_TIMES=K     fail K counted calls from the N-th on (default 1)
 *   REFCTL_FAULT_PATH=TEXT   count only calls on paths containing TEXT (for
 *                            write and fsync: on descriptors opened on them)
 *   REFCTL_FAULT_LOG=FILE    append "calls=C fired=KIND:PATH others=K" at exit,
 *                            K the counted calls made by threads other than
 *                            the process's first
 *
 * "open" counts every open, creat and mkstemp; writes to descriptors 0 to 2
 * are never counted.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum { K_OPEN = 1, K_WRITE = 2, K_FSYNC = 4, K_RENAME = 8, K_UNLINK = 16, K_CREATE = 32 };

static struct {
	int ready;
	long at, calls, times;
	unsigned kinds;
	int err, action, persist; /* action: 0 fail, 1 kill, 2 stop */
	const char *path, *log;
	char fired[512];
	long others;      /* counted calls of threads other than the first */
} F;
/* refctl reads files on several threads: counting is under a lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define MAXFD 4096
static char tracked[MAXFD]; /* descriptors opened on a matching path */

static void setup_once(void)
{
	const char *s;

	F.ready = 1;
	F.at = (s = getenv("REFCTL_FAULT_AT")) ? atol(s) : 0;
	s = getenv("REFCTL_FAULT_OPS");
	if (!s || !*s)
		s = "open,write,fsync,rename";
	F.kinds = (strstr(s, "open") ? K_OPEN : 0) | (strstr(s, "write") ? K_WRITE : 0) |
		  (strstr(s, "fsync") ? K_FSYNC : 0) | (strstr(s, "rename") ? K_RENAME : 0) |
		  (strstr(s, "unlink") ? K_UNLINK : 0) | (strstr(s, "create") ? K_CREATE : 0);
	s = getenv("REFCTL_FAULT_ERRNO");
	F.err = !s ? EIO : !strcmp(s, "ENOSPC") ? ENOSPC : !strcmp(s, "EACCES") ? EACCES : !strcmp(s, "ENOENT") ? ENOENT : EIO;
	F.times = (s = getenv("REFCTL_FAULT_TIMES")) && atol(s) > 0 ? atol(s) : 1;
	s = getenv("REFCTL_FAULT_ACTION");
	F.action = !s ? 0 : !strcmp(s, "kill") ? 1 : !strcmp(s, "stop") ? 2 : 0;
	F.persist = (s = getenv("REFCTL_FAULT_PERSIST")) && !strcmp(s, "1");
	F.path = getenv("REFCTL_FAULT_PATH");
	if (F.path && !*F.path)
		F.path = NULL;
	F.log = getenv("REFCTL_FAULT_LOG");
}

static void setup(void)
{
	pthread_once(&once, setup_once);
}

static int path_matches(const char *p)
{
	setup(); /* the arguments of hit() are evaluated before it runs */
	return !F.path || (p && strstr(p, F.path));
}

static int fd_matches(int fd)
{
	setup();
	if (fd >= 0 && fd <= 2)
		return 0;
	return !F.path || (fd >= 0 && fd < MAXFD && tracked[fd]);
}

static const char *kind_name(unsigned k)
{
	return k == K_CREATE ? "create" : k == K_OPEN ? "open" : k == K_WRITE ? "write" : k == K_FSYNC ? "fsync" : k == K_RENAME ? "rename" : "unlink";
}

/* 1 if this call is to fail (errno set) */
static int hit(unsigned kind, int matches, const char *what)
{
	long n;

	setup();
	if (!(F.kinds & kind) || !matches)
		return 0;
	pthread_mutex_lock(&lock);
	n = ++F.calls;
	if (gettid() != getpid())
		F.others++;
	if (!F.at || n < F.at || (n >= F.at + F.times && !F.persist)) {
		pthread_mutex_unlock(&lock);
		return 0;
	}
	if (!F.fired[0])
		snprintf(F.fired, sizeof(F.fired), "%s:%s", kind_name(kind), what ? what : "");
	pthread_mutex_unlock(&lock);
	if (F.action == 1 || F.action == 2) {
		if (F.log) {
			FILE *f = fopen(F.log, "a");
			if (f) {
				fprintf(f, "calls=%ld fired=%s others=%ld\n", n, F.fired, F.others);
				fclose(f);
			}
		}
		raise(F.action == 1 ? SIGKILL : SIGSTOP);
		return 0;
	}
	errno = F.err;
	return 1;
}

__attribute__((destructor)) static void report(void)
{
	FILE *f;

	if (!F.ready || !F.log || F.action)
		return;
	if ((f = fopen(F.log, "a"))) {
		fprintf(f, "calls=%ld fired=%s others=%ld\n", F.calls, F.fired[0] ? F.fired : "-", F.others);
		fclose(f);
	}
}

#define REAL(ret, name, ...) \
	static ret (*real_##name)(__VA_ARGS__); \
	if (!real_##name) \
		real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name)

static int track(int fd, const char *path)
{
	if (fd >= 0 && fd < MAXFD)
		tracked[fd] = F.path && path && strstr(path, F.path);
	return fd;
}

/* an open counts as "create" too when it may create */
static unsigned open_kind(int flags)
{
	setup();
	return (flags & O_CREAT) && (F.kinds & K_CREATE) ? K_CREATE : K_OPEN;
}

static int mode_of(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;
	REAL(int, open, const char *, int, ...);
	va_start(ap, flags);
	mode = mode_of(flags, ap);
	va_end(ap);
	if (hit(open_kind(flags), path_matches(path), path))
		return -1;
	return track(real_open(path, flags, mode), path);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	int mode;
	REAL(int, open64, const char *, int, ...);
	va_start(ap, flags);
	mode = mode_of(flags, ap);
	va_end(ap);
	if (hit(open_kind(flags), path_matches(path), path))
		return -1;
	return track(real_open64(path, flags, mode), path);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	int mode;
	REAL(int, openat, int, const char *, int, ...);
	va_start(ap, flags);
	mode = mode_of(flags, ap);
	va_end(ap);
	if (hit(open_kind(flags), path_matches(path), path))
		return -1;
	return track(real_openat(dirfd, path, flags, mode), path);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	int mode;
	REAL(int, openat64, int, const char *, int, ...);
	va_start(ap, flags);
	mode = mode_of(flags, ap);
	va_end(ap);
	if (hit(open_kind(flags), path_matches(path), path))
		return -1;
	return track(real_openat64(dirfd, path, flags, mode), path);
}

int __open_2(const char *path, int flags)
{
	REAL(int, __open_2, const char *, int);
	if (hit(K_OPEN, path_matches(path), path))
		return -1;
	return track(real___open_2(path, flags), path);
}

int __open64_2(const char *path, int flags)
{
	REAL(int, __open64_2, const char *, int);
	if (hit(K_OPEN, path_matches(path), path))
		return -1;
	return track(real___open64_2(path, flags), path);
}

int creat(const char *path, mode_t mode)
{
	REAL(int, creat, const char *, mode_t);
	if (hit(open_kind(O_CREAT), path_matches(path), path))
		return -1;
	return track(real_creat(path, mode), path);
}

int mkstemp(char *tmpl)
{
	REAL(int, mkstemp, char *);
	if (hit(open_kind(O_CREAT), path_matches(tmpl), tmpl))
		return -1;
	return track(real_mkstemp(tmpl), tmpl);
}

int mkostemp(char *tmpl, int flags)
{
	REAL(int, mkostemp, char *, int);
	if (hit(open_kind(O_CREAT), path_matches(tmpl), tmpl))
		return -1;
	return track(real_mkostemp(tmpl, flags), tmpl);
}

int mkstemps(char *tmpl, int suffixlen)
{
	REAL(int, mkstemps, char *, int);
	if (hit(open_kind(O_CREAT), path_matches(tmpl), tmpl))
		return -1;
	return track(real_mkstemps(tmpl, suffixlen), tmpl);
}

int close(int fd)
{
	REAL(int, close, int);
	if (fd >= 0 && fd < MAXFD)
		tracked[fd] = 0;
	return real_close(fd);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (hit(K_WRITE, fd_matches(fd), "fd"))
		return -1;
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(ssize_t, pwrite, int, const void *, size_t, off_t);
	if (hit(K_WRITE, fd_matches(fd), "fd"))
		return -1;
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	REAL(ssize_t, pwrite64, int, const void *, size_t, off_t);
	if (hit(K_WRITE, fd_matches(fd), "fd"))
		return -1;
	return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	REAL(ssize_t, writev, int, const struct iovec *, int);
	if (hit(K_WRITE, fd_matches(fd), "fd"))
		return -1;
	return real_writev(fd, iov, cnt);
}

int fsync(int fd)
{
	REAL(int, fsync, int);
	if (hit(K_FSYNC, fd_matches(fd), "fd"))
		return -1;
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	REAL(int, fdatasync, int);
	if (hit(K_FSYNC, fd_matches(fd), "fd"))
		return -1;
	return real_fdatasync(fd);
}

int rename(const char *from, const char *to)
{
	REAL(int, rename, const char *, const char *);
	if (hit(K_RENAME, path_matches(from) || path_matches(to), to))
		return -1;
	return real_rename(from, to);
}

int renameat(int fd1, const char *from, int fd2, const char *to)
{
	REAL(int, renameat, int, const char *, int, const char *);
	if (hit(K_RENAME, path_matches(from) || path_matches(to), to))
		return -1;
	return real_renameat(fd1, from, fd2, to);
}

int link(const char *from, const char *to)
{
	REAL(int, link, const char *, const char *);
	if (hit(K_RENAME, path_matches(from) || path_matches(to), to))
		return -1;
	return real_link(from, to);
}

int unlink(const char *path)
{
	REAL(int, unlink, const char *);
	if (hit(K_UNLINK, path_matches(path), path))
		return -1;
	return real_unlink(path);
}
