/* Unit tests for lib/suggest.c: the distance and the suggestions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "refctl/suggest.h"

static const char *const commands[] = {
	"add", "check", "edit", "fmt", "help", "init", "list", "log", "match",
	"report", "request", "reward", "schema", "set", "show", "unset", NULL
};

static void test_distance_weights(void **state)
{
	(void)state;
	assert_int_equal(refctl_suggest_distance("list", "list"), 0);
	assert_int_equal(refctl_suggest_distance("lsit", "list"), 0);   /* one swap */
	assert_int_equal(refctl_suggest_distance("lst", "list"), 1);    /* one insertion */
	assert_int_equal(refctl_suggest_distance("lisst", "list"), 4);  /* one deletion */
	assert_int_equal(refctl_suggest_distance("lust", "list"), 2);   /* one substitution */
	assert_int_equal(refctl_suggest_distance("", "abc"), 3);
	assert_int_equal(refctl_suggest_distance("abc", ""), 12);
}

static void test_suggest(void **state)
{
	struct refctl_buf b = REFCTL_BUF_INIT;
	(void)state;
	refctl_suggest(&b, "lsit", commands);
	assert_string_equal(b.ptr, "list");
	refctl_suggest(&b, "reqest", commands);
	assert_string_equal(b.ptr, "request");
	refctl_suggest(&b, "rep", commands);  /* an abbreviation of two: both */
	assert_string_equal(b.ptr, "report");
	refctl_suggest(&b, "re", commands);
	assert_string_equal(b.ptr, "report,request,reward");
	refctl_suggest(&b, "shwo", commands);
	assert_string_equal(b.ptr, "show");
	refctl_suggest(&b, "xyzzyplugh", commands); /* nothing close */
	assert_string_equal(b.ptr, "");
	refctl_suggest(&b, "", commands);
	assert_string_equal(b.ptr, "");
	refctl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance_weights),
		cmocka_unit_test(test_suggest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
