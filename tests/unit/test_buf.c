/* Unit tests for lib/buf.c: the growable string buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refctl/buf.h"

struct fx {
	struct refctl_buf b;
	char *detached;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	refctl_buf_init(&f->b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refctl_buf_release(&f->b);
	free(f->detached);
	free(f);
	return 0;
}

static void test_init_is_empty_string(void **state)
{
	struct fx *f = *state;
	struct refctl_buf s = REFCTL_BUF_INIT;

	assert_non_null(f->b.ptr);
	assert_string_equal(f->b.ptr, "");
	assert_int_equal(f->b.size, 0);
	assert_int_equal(f->b.asize, 0);
	assert_ptr_equal(s.ptr, f->b.ptr);
	/* operations that add nothing allocate nothing */
	refctl_buf_put(&f->b, "x", 0);
	refctl_buf_puts(&f->b, "");
	refctl_buf_clear(&f->b);
	refctl_buf_truncate(&f->b, 0);
	assert_int_equal(f->b.asize, 0);
	assert_string_equal(f->b.ptr, "");
	refctl_buf_release(&s); /* releasing an empty buffer is fine */
	assert_string_equal(s.ptr, "");
}

static void test_put_and_grow(void **state)
{
	struct fx *f = *state;
	char big[1000];

	refctl_buf_puts(&f->b, "abc");
	refctl_buf_putc(&f->b, '-');
	refctl_buf_put(&f->b, "defXYZ", 3);
	assert_string_equal(f->b.ptr, "abc-def");
	assert_int_equal(f->b.size, 7);
	assert_true(f->b.asize > f->b.size);

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refctl_buf_puts(&f->b, big);
	assert_int_equal(f->b.size, 7 + 999);
	assert_int_equal(strlen(f->b.ptr), 7 + 999);
	assert_memory_equal(f->b.ptr, "abc-defxxx", 10);
	assert_true(f->b.asize > f->b.size);

	/* embedded NUL bytes count in size */
	refctl_buf_clear(&f->b);
	refctl_buf_put(&f->b, "a\0b", 3);
	assert_int_equal(f->b.size, 3);
	assert_memory_equal(f->b.ptr, "a\0b\0", 4);
}

static void test_grow_keeps_contents(void **state)
{
	struct fx *f = *state;

	refctl_buf_puts(&f->b, "keep");
	refctl_buf_grow(&f->b, 10000);
	assert_true(f->b.asize >= 4 + 10000 + 1);
	assert_string_equal(f->b.ptr, "keep");
	assert_int_equal(f->b.size, 4);
	for (int i = 0; i < 5000; i++)
		refctl_buf_putc(&f->b, (char)('a' + i % 26));
	assert_int_equal(f->b.size, 5004);
	assert_int_equal(f->b.ptr[5004], '\0');
	assert_int_equal(f->b.ptr[4], 'a');
	assert_int_equal(f->b.ptr[5003], 'a' + 4999 % 26);
}

static void test_printf(void **state)
{
	struct fx *f = *state;
	char big[300];

	refctl_buf_printf(&f->b, "%d-%s", 42, "x");
	refctl_buf_printf(&f->b, "|%05.1f|", 3.14159);
	assert_string_equal(f->b.ptr, "42-x|003.1|");
	assert_int_equal(f->b.size, 11);

	/* longer than the first guess */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refctl_buf_printf(&f->b, "[%s]", big);
	assert_int_equal(f->b.size, 11 + 301);
	assert_int_equal(strlen(f->b.ptr), 11 + 301);
	assert_int_equal(f->b.ptr[11], '[');
	assert_int_equal(f->b.ptr[11 + 300], ']');

	refctl_buf_clear(&f->b);
	refctl_buf_printf(&f->b, "%s", "");
	assert_int_equal(f->b.size, 0);
	assert_string_equal(f->b.ptr, "");
}

static void test_truncate_and_clear(void **state)
{
	struct fx *f = *state;

	refctl_buf_puts(&f->b, "hello world");
	refctl_buf_truncate(&f->b, 5);
	assert_string_equal(f->b.ptr, "hello");
	assert_int_equal(f->b.size, 5);
	refctl_buf_truncate(&f->b, 50); /* longer: no change */
	assert_string_equal(f->b.ptr, "hello");
	assert_int_equal(f->b.size, 5);
	refctl_buf_clear(&f->b);
	assert_string_equal(f->b.ptr, "");
	assert_int_equal(f->b.size, 0);
	assert_true(f->b.asize > 0); /* the memory is kept for reuse */
	refctl_buf_puts(&f->b, "again");
	assert_string_equal(f->b.ptr, "again");
}

static void test_detach_and_release(void **state)
{
	struct fx *f = *state;

	refctl_buf_puts(&f->b, "mine");
	f->detached = refctl_buf_detach(&f->b);
	assert_string_equal(f->detached, "mine");
	assert_string_equal(f->b.ptr, "");
	assert_int_equal(f->b.size, 0);
	assert_int_equal(f->b.asize, 0);
	free(f->detached);

	/* an empty buffer detaches as a fresh "" the caller frees */
	f->detached = refctl_buf_detach(&f->b);
	assert_non_null(f->detached);
	assert_string_equal(f->detached, "");
	assert_ptr_not_equal(f->detached, f->b.ptr);

	refctl_buf_puts(&f->b, "gone");
	refctl_buf_release(&f->b);
	assert_string_equal(f->b.ptr, "");
	assert_int_equal(f->b.size, 0);
	assert_int_equal(f->b.asize, 0);
	/* usable after release */
	refctl_buf_puts(&f->b, "x");
	assert_string_equal(f->b.ptr, "x");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_is_empty_string),
		T(test_put_and_grow),
		T(test_grow_keeps_contents),
		T(test_printf),
		T(test_truncate_and_clear),
		T(test_detach_and_release),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
