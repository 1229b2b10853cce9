/* Unit tests for lib/history.c: the history cache's file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "history.h"

static const char A[] = "0123456789abcdef0123456789abcdef01234567";
static const char B[] = "fedcba9876543210fedcba9876543210fedcba98";

struct fx {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/refctl-history.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	/* the folder of the file does not exist yet: save makes it */
	snprintf(f->path, sizeof(f->path), "%s/refctl/history-cache", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static char *text(const char *s)
{
	return strdup(s);
}

static void save_two(const struct fx *f, const char *identity)
{
	struct refctl__hcache *c = refctl__hcache_open(f->path, identity);
	refctl__hcache_put(c, A, text("summary of a"), 12);
	refctl__hcache_put(c, B, text("b"), 1);
	assert_int_equal(refctl__hcache_save(c), 1);
	refctl__hcache_free(c);
}

static void expect(const struct fx *f, const char *identity, const char *commit, const char *want)
{
	struct refctl__hcache *c = refctl__hcache_open(f->path, identity);
	const char *data;
	size_t len;
	int found = refctl__hcache_get(c, commit, &data, &len);
	assert_int_equal(found, want != NULL);
	if (want) {
		assert_int_equal(len, strlen(want));
		assert_memory_equal(data, want, len);
	}
	refctl__hcache_free(c);
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	save_two(f, "root=");
	expect(f, "root=", A, "summary of a");
	expect(f, "root=", B, "b");
	expect(f, "root=", "1111111111111111111111111111111111111111", NULL);
}

static void test_nothing_new_nothing_written(void **state)
{
	struct fx *f = *state;
	struct refctl__hcache *c = refctl__hcache_open(f->path, "root=");
	assert_int_equal(refctl__hcache_save(c), 0);
	refctl__hcache_free(c);
	assert_int_equal(access(f->path, F_OK), -1);
}

static void test_another_identity_is_empty(void **state)
{
	struct fx *f = *state;
	save_two(f, "root=");
	expect(f, "root=sub/", A, NULL);
}

static void test_every_damaged_byte_is_empty(void **state)
{
	struct fx *f = *state;
	FILE *fp;
	long size;

	save_two(f, "root=");
	fp = fopen(f->path, "r+b");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	/* flip each byte in turn: never a summary read from a damaged file */
	for (long i = 0; i < size; i++) {
		int ch;
		fseek(fp, i, SEEK_SET);
		ch = fgetc(fp);
		fseek(fp, i, SEEK_SET);
		fputc(ch ^ 0x20, fp);
		fflush(fp);
		expect(f, "root=", A, NULL);
		fseek(fp, i, SEEK_SET);
		fputc(ch, fp);
		fflush(fp);
	}
	fclose(fp);
	expect(f, "root=", A, "summary of a");
	/* and every truncation */
	for (long n = size - 1; n >= 0; n -= 7) {
		assert_int_equal(truncate(f->path, n), 0);
		expect(f, "root=", A, NULL);
	}
}

static void test_rebuilt_after_damage(void **state)
{
	struct fx *f = *state;
	struct refctl__hcache *c;
	FILE *fp;

	save_two(f, "root=");
	fp = fopen(f->path, "w");
	fputs("garbage", fp);
	fclose(fp);
	c = refctl__hcache_open(f->path, "root=");
	refctl__hcache_put(c, B, text("b again"), 7);
	assert_int_equal(refctl__hcache_save(c), 1);
	refctl__hcache_free(c);
	expect(f, "root=", B, "b again");
	expect(f, "root=", A, NULL);
}

static void test_saves_merge(void **state)
{
	struct fx *f = *state;
	struct refctl__hcache *one = refctl__hcache_open(f->path, "root=");
	struct refctl__hcache *two = refctl__hcache_open(f->path, "root=");

	refctl__hcache_put(one, A, text("from one"), 8);
	refctl__hcache_put(two, B, text("from two"), 8);
	assert_int_equal(refctl__hcache_save(one), 1);
	assert_int_equal(refctl__hcache_save(two), 1);
	refctl__hcache_free(one);
	refctl__hcache_free(two);
	expect(f, "root=", A, "from one");
	expect(f, "root=", B, "from two");
}

static void test_busy_lock_skips(void **state)
{
	struct fx *f = *state;
	struct refctl__hcache *c;
	char lock[160];
	int fd;

	save_two(f, "root=");
	snprintf(lock, sizeof(lock), "%s.lock", f->path);
	fd = open(lock, O_RDWR | O_CREAT, 0666);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	c = refctl__hcache_open(f->path, "root=");
	refctl__hcache_put(c, "2222222222222222222222222222222222222222", text("x"), 1);
	assert_int_equal(refctl__hcache_save(c), 0);
	refctl__hcache_free(c);
	close(fd);
	expect(f, "root=", "2222222222222222222222222222222222222222", NULL);
	expect(f, "root=", A, "summary of a");
}

static void test_disabled(void **state)
{
	struct fx *f = *state;
	struct refctl__hcache *c;
	const char *data;
	size_t len;

	save_two(f, "root=");
	c = refctl__hcache_open(NULL, NULL);
	assert_int_equal(refctl__hcache_get(c, A, &data, &len), 0);
	refctl__hcache_put(c, A, text("x"), 1);
	assert_int_equal(refctl__hcache_save(c), 0);
	refctl__hcache_free(c);
	setenv("REFCTL_NO_CACHE", "1", 1);
	assert_int_equal(refctl__no_cache(), 1);
	setenv("REFCTL_NO_CACHE", "0", 1);
	assert_int_equal(refctl__no_cache(), 0);
	unsetenv("REFCTL_NO_CACHE");
	assert_int_equal(refctl__no_cache(), 0);
}

/* A summary put in pieces, bigger than what is kept in memory (it waits
 * in a spill file), reads back whole before and after the save; one
 * begun and never ended, or empty, is not kept. */
static void test_pieces_and_spill(void **state)
{
	struct fx *f = *state;
	const char C[] = "2222222222222222222222222222222222222222";
	size_t big = (size_t)3 << 20, len;
	char *want = malloc(big), piece[1000];
	const char *data;
	struct refctl__hcache *c = refctl__hcache_open(f->path, "root=");
	char cmd[200];

	for (size_t i = 0; i < big; i++)
		want[i] = (char)('a' + (i * 7 + i / 1000) % 26);
	refctl__hcache_begin(c, A);
	for (size_t at = 0; at < big; at += sizeof(piece)) {
		size_t n = big - at < sizeof(piece) ? big - at : sizeof(piece);
		memcpy(piece, want + at, n);
		refctl__hcache_append(c, piece, n);
	}
	refctl__hcache_end(c);
	refctl__hcache_begin(c, B);
	refctl__hcache_append(c, "never ended", 11);
	refctl__hcache_begin(c, C);
	refctl__hcache_end(c); /* empty */
	refctl__hcache_begin(c, B);
	refctl__hcache_append(c, "b, ", 3);
	refctl__hcache_append(c, "small", 5);
	refctl__hcache_end(c);
	assert_int_equal(refctl__hcache_save(c), 1);
	/* nothing but the cache (and its lock) beside it: the spill file is unlinked */
	snprintf(cmd, sizeof(cmd), "test $(ls '%s/refctl' | wc -l) = 2", f->dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(refctl__hcache_get(c, A, &data, &len), 1);
	assert_int_equal(len, big);
	assert_memory_equal(data, want, big);
	refctl__hcache_free(c);

	c = refctl__hcache_open(f->path, "root=");
	assert_int_equal(refctl__hcache_get(c, A, &data, &len), 1);
	assert_int_equal(len, big);
	assert_memory_equal(data, want, big);
	assert_int_equal(refctl__hcache_get(c, C, &data, &len), 0);
	refctl__hcache_free(c);
	expect(f, "root=", B, "b, small");
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_new_nothing_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_another_identity_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_damaged_byte_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebuilt_after_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_saves_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_lock_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pieces_and_spill, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
