/*
 * test_alloc.c - arenas and never-NULL allocation (src/core/alloc.h):
 * arena_alloc's 16-byte alignment and zeroing, many allocations spanning
 * several blocks, one allocation bigger than a block followed by small
 * ones, arena_strdup/strndup/printf, arena_free(NULL), and the x* wrappers.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/alloc.h"

/* The arena's block size (alloc.c), to cross block boundaries on purpose. */
#define BLOCK 8192

static int
setup_arena(void **state)
{
	*state = arena_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown_arena(void **state)
{
	arena_free(*state);
	return 0;
}

static void
assert_aligned(const void *p)
{
	assert_int_equal((uintptr_t)p % 16, 0);
}

static void
assert_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			fail_msg("byte %zu of %zu is %d, not 0", i, n, p[i]);
}

static void
alloc_is_aligned_for_odd_sizes(void **state)
{
	struct arena *a = *state;
	static const size_t sizes[] = {1, 3, 7, 15, 16, 17, 31, 33, 100, 1};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		void *p = arena_alloc(a, sizes[i]);

		assert_non_null(p);
		assert_aligned(p);
	}
}

static void
alloc_zero_size_is_usable(void **state)
{
	struct arena *a = *state;
	void *p = arena_alloc(a, 0), *q = arena_alloc(a, 0);

	assert_non_null(p);
	assert_non_null(q);
	assert_aligned(p);
	assert_aligned(q);
}

static void
alloc_returns_zeroed_memory(void **state)
{
	struct arena *a = *state;

	for (int round = 0; round < 50; round++) {
		size_t n = 1 + (size_t)round * 37;
		unsigned char *p = arena_alloc(a, n);

		assert_zero(p, n);
		memset(p, 0xff, n);
	}
}

static void
allocations_do_not_overlap(void **state)
{
	struct arena *a = *state;
	enum { COUNT = 2000 };
	unsigned char *ptrs[COUNT];
	size_t sizes[COUNT];

	/* About 100 KB in small pieces: a dozen blocks. */
	for (size_t i = 0; i < COUNT; i++) {
		sizes[i] = 1 + (i * 7) % 97;
		ptrs[i] = arena_alloc(a, sizes[i]);
		assert_aligned(ptrs[i]);
		assert_zero(ptrs[i], sizes[i]);
		memset(ptrs[i], (int)(i & 0xff), sizes[i]);
	}
	for (size_t i = 0; i < COUNT; i++)
		for (size_t j = 0; j < sizes[i]; j++)
			assert_int_equal(ptrs[i][j], i & 0xff);
}

static void
allocation_filling_a_block_exactly(void **state)
{
	struct arena *a = *state;
	unsigned char *p = arena_alloc(a, BLOCK);
	unsigned char *q = arena_alloc(a, 16);

	assert_zero(p, BLOCK);
	memset(p, 1, BLOCK);
	assert_zero(q, 16);
	assert_aligned(q);
	assert_true(q + 16 <= p || q >= p + BLOCK);
}

static void
big_allocation_then_small_ones(void **state)
{
	struct arena *a = *state;
	unsigned char *small1 = arena_alloc(a, 100);
	unsigned char *big = arena_alloc(a, 3 * BLOCK + 5);
	unsigned char *small2, *small3;

	assert_aligned(big);
	assert_zero(big, 3 * BLOCK + 5);
	memset(small1, 0x11, 100);
	memset(big, 0x22, 3 * BLOCK + 5);

	/* The small ones still come from the block that had room. */
	small2 = arena_alloc(a, 100);
	small3 = arena_alloc(a, 100);
	assert_zero(small2, 100);
	assert_zero(small3, 100);
	memset(small2, 0x33, 100);
	memset(small3, 0x44, 100);
	assert_true(small2 > small1 && small2 - small1 < BLOCK);
	assert_int_equal(small1[99], 0x11);
	assert_int_equal(big[0], 0x22);
	assert_int_equal(big[3 * BLOCK + 4], 0x22);
}

static void
big_allocation_first(void **state)
{
	struct arena *a = *state;
	unsigned char *big = arena_alloc(a, BLOCK + 1);
	unsigned char *small;

	memset(big, 0x55, BLOCK + 1);
	small = arena_alloc(a, 10);
	assert_zero(small, 10);
	memset(small, 0x66, 10);
	assert_int_equal(big[BLOCK], 0x55);
	/* And several big ones in a row. */
	for (int i = 0; i < 5; i++) {
		unsigned char *p = arena_alloc(a, 2 * BLOCK);

		assert_zero(p, 2 * BLOCK);
		memset(p, i, 2 * BLOCK);
	}
	assert_int_equal(small[9], 0x66);
}

static void
strdup_copies(void **state)
{
	struct arena *a = *state;
	char src[] = "hello, arena";
	char *s = arena_strdup(a, src);

	assert_ptr_not_equal(s, src);
	assert_string_equal(s, "hello, arena");
	src[0] = 'j';
	assert_string_equal(s, "hello, arena");
	assert_string_equal(arena_strdup(a, ""), "");
}

static void
strndup_stops_at_n(void **state)
{
	struct arena *a = *state;
	/* Not NUL-terminated within the first 5 bytes. */
	static const char buf[] = "abcdefgh";

	assert_string_equal(arena_strndup(a, buf, 5), "abcde");
	assert_string_equal(arena_strndup(a, buf, 0), "");
	/* Bytes after an embedded NUL are copied too, then a NUL. */
	{
		char *s = arena_strndup(a, "ab\0cd", 5);

		assert_memory_equal(s, "ab\0cd", 6);
	}
}

static void
printf_formats(void **state)
{
	struct arena *a = *state;

	assert_string_equal(arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159),
	    "x-42-003.1");
	assert_string_equal(arena_printf(a, "%s", ""), "");
	assert_string_equal(arena_printf(a, "%zu%%", (size_t)100), "100%");
}

static void
printf_long_output_spans_blocks(void **state)
{
	struct arena *a = *state;
	char *filler = arena_alloc(a, BLOCK - 100);
	char *big = xmalloc(3 * BLOCK);
	char *s;

	(void)filler;
	memset(big, 'q', 3 * BLOCK - 1);
	big[3 * BLOCK - 1] = '\0';
	s = arena_printf(a, "<%s>", big);
	assert_int_equal(strlen(s), 3 * BLOCK + 1);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[3 * BLOCK], '>');
	free(big);
}

static void
huge_allocation_aborts_cleanly(void **state)
{
	/*
	 * Regression (fixed): src/core/alloc.c:116-124 (arena_alloc) guards against the
	 * rounding of size overflowing (line 119) but not against
	 * sizeof(*b) + bsize overflowing on line 124.  For size =
	 * SIZE_MAX - 20, need is SIZE_MAX - 15, xmalloc gets 32 + need which
	 * wraps to 16, succeeds, and memset(p, 0, size) on line 138 writes far
	 * past the 16-byte block.  Expected: oom() -> "out of memory" and
	 * abort() (SIGABRT).  Actual: SIGSEGV after a heap overflow.  Only
	 * absurd sizes hit it (no caller passes one today), so low severity.
	 * The child process keeps the crash out of the test runner; it drops
	 * cmocka's signal handlers so that a crash really ends it.
	 */
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct arena *a = arena_new();

		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], SIG_DFL);
		/* Keep oom()'s message out of the test output. */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(3);
		(void)arena_alloc(a, SIZE_MAX - 20);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void
free_null_is_ok(void **state)
{
	(void)state;
	arena_free(NULL);
}

static void
free_empty_arena(void **state)
{
	(void)state;
	arena_free(arena_new());
}

static void
x_wrappers(void **state)
{
	char *s = xstrdup("abc");
	char *n = xstrndup("abcdef", 2);
	char *f = xasprintf("%d/%s", 7, "x");
	unsigned char *z = xcalloc(4, 8);
	char *m = xmalloc(0);
	char *r = xrealloc(NULL, 10);

	(void)state;
	assert_string_equal(s, "abc");
	assert_string_equal(n, "ab");
	assert_string_equal(f, "7/x");
	assert_zero(z, 32);
	assert_non_null(m);
	assert_non_null(r);
	memcpy(r, "123456789", 10);
	r = xrealloc(r, 10000);
	assert_string_equal(r, "123456789");
	free(s);
	free(n);
	free(f);
	free(z);
	free(m);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(alloc_is_aligned_for_odd_sizes,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(alloc_zero_size_is_usable,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(alloc_returns_zeroed_memory,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(allocations_do_not_overlap,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(
		    allocation_filling_a_block_exactly, setup_arena,
		    teardown_arena),
		cmocka_unit_test_setup_teardown(big_allocation_then_small_ones,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(big_allocation_first,
		    setup_arena, teardown_arena),
		cmocka_unit_test_setup_teardown(strdup_copies, setup_arena,
		    teardown_arena),
		cmocka_unit_test_setup_teardown(strndup_stops_at_n, setup_arena,
		    teardown_arena),
		cmocka_unit_test_setup_teardown(printf_formats, setup_arena,
		    teardown_arena),
		cmocka_unit_test_setup_teardown(printf_long_output_spans_blocks,
		    setup_arena, teardown_arena),
		cmocka_unit_test(huge_allocation_aborts_cleanly),
		cmocka_unit_test(free_null_is_ok),
		cmocka_unit_test(free_empty_arena),
		cmocka_unit_test(x_wrappers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
