/*
 * test_workload.c - the workload simulator (src/flashcards/workload.h):
 * what a retention costs must rise with the retention, and so must what
 * is remembered; the same question gets the same answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "flashcards/workload.h"

#define N 400

static struct workload_card deck[N];

static void
setup_deck(void)
{
	for (int i = 0; i < N; i++) {
		deck[i].stability = 2 + (i % 50) * 3;
		deck[i].difficulty = 3 + (i % 7);
		deck[i].since = (i % 50) * 2;
		deck[i].until = (i % 30) - 5;
	}
}

static struct workload_result
run(double retention, int new_cards, int days)
{
	struct fsrs_settings s;
	struct workload_input in = {deck, N, new_cards, 10, days, 8, 20, 15,
	    42};
	struct workload_result r;

	fsrs_defaults(&s);
	s.desired_retention = retention;
	assert_int_equal(workload_simulate(&s, &in, &r), 0);
	return r;
}

static void
higher_retention_costs_more_and_keeps_more(void **state)
{
	struct workload_result lo, mid, hi;

	(void)state;
	setup_deck();
	lo = run(0.75, 300, 365);
	mid = run(0.90, 300, 365);
	hi = run(0.97, 300, 365);
	assert_true(lo.seconds_per_day < mid.seconds_per_day);
	assert_true(mid.seconds_per_day < hi.seconds_per_day);
	assert_true(lo.memorized < mid.memorized);
	assert_true(mid.memorized < hi.memorized);
	/* 700 cards at most are known; nothing is remembered twice. */
	assert_true(hi.memorized <= N + 300);
	/* 300 new cards at 10 a day: at least 30 days of 10 new reviews. */
	assert_true(mid.reviews_per_day * 365 >= 300 + N);
}

static void
same_input_same_answer(void **state)
{
	struct workload_result a, b;

	(void)state;
	setup_deck();
	a = run(0.9, 50, 100);
	b = run(0.9, 50, 100);
	assert_true(a.seconds_per_day == b.seconds_per_day);
	assert_true(a.memorized == b.memorized);
}

static void
nothing_to_review_costs_nothing(void **state)
{
	struct fsrs_settings s;
	struct workload_input in = {NULL, 0, 0, 20, 30, 8, 20, 15, 1};
	struct workload_result r;

	(void)state;
	fsrs_defaults(&s);
	assert_int_equal(workload_simulate(&s, &in, &r), 0);
	assert_true(r.seconds_per_day == 0 && r.memorized == 0);
	in.days = 0;
	assert_int_equal(workload_simulate(&s, &in, &r), -1);
	in.days = 3651;
	assert_int_equal(workload_simulate(&s, &in, &r), -1);
	in.days = 10;
	in.new_cards = -1;
	assert_int_equal(workload_simulate(&s, &in, &r), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(higher_retention_costs_more_and_keeps_more),
		cmocka_unit_test(same_input_same_answer),
		cmocka_unit_test(nothing_to_review_costs_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
