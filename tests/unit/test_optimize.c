/*
 * test_optimize.c - the FSRS-6 parameter optimizer
 * (src/flashcards/optimize.h).
 *
 * The loss against a history worked by hand, the gradient against
 * central differences, and a fit to a simulated learner: cards scheduled
 * by fsrs_review() with the default parameters at retention 0.9, each
 * review recalled with the probability a "true" set of parameters gives,
 * then fitted from the defaults.  The fit must explain the data better
 * than the defaults do and come closer to the truth.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flashcards/fsrs.h"
#include "flashcards/optimize.h"

#define DAY 86400
#define T0 ((int64_t)1669725000)
#define MAX_REVIEWS 12

struct sim {
	struct fsrs_history *h;
	struct fsrs_review_item *items;	/* MAX_REVIEWS per card */
	size_t n;
};

static const double default_w[FSRS_NPARAMS] = {
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,
	1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
	1.8729, 0.5425, 0.0912, 0.0658, 0.1542
};

/* splitmix64, a draw in [0, 1). */
static double
draw(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) * 0x1.0p-53;
}

/*
 * The learner: remembers twice as long after the first review as the
 * defaults say, gains less stability from a success (w8) and forgets on a
 * flatter curve (w20).
 */
static void
true_params(double w[FSRS_NPARAMS])
{
	memcpy(w, default_w, sizeof(default_w));
	for (int i = 0; i < 4; i++)
		w[i] *= 2.0;
	w[8] = 1.5;
	w[20] = 0.35;
}

/*
 * cards cards, each reviewed when the default scheduler says (a day or
 * three late one time in five), up to MAX_REVIEWS times or three years.
 * Recalled with the truth's probability: rated Hard or Easy one time in
 * ten each, else Good; Again when forgotten.
 */
static struct sim
simulate(size_t cards, uint64_t seed)
{
	struct fsrs_settings sched, truth;
	struct sim s;
	uint64_t rng = seed;

	fsrs_defaults(&sched);
	fsrs_defaults(&truth);
	true_params(truth.w);
	s.n = cards;
	s.h = calloc(cards, sizeof(*s.h));
	s.items = calloc(cards * MAX_REVIEWS, sizeof(*s.items));
	assert_non_null(s.h);
	assert_non_null(s.items);
	for (size_t c = 0; c < cards; c++) {
		struct fsrs_review_item *it = &s.items[c * MAX_REVIEWS];
		struct fsrs_card card, mem;
		int64_t now = T0 + (int64_t)(draw(&rng) * 30) * DAY, prev = 0;
		double st = 0, d = 0;
		int n = 0;

		fsrs_card_new(&card, now);
		fsrs_card_new(&mem, now);
		while (n < MAX_REVIEWS && now < T0 + 3 * 365 * (int64_t)DAY) {
			double u = draw(&rng), r, t;
			int g;

			if (n == 0) {
				/* The first answer, about a card never seen. */
				g = u < 0.15 ? 1 : u < 0.25 ? 2 :
				    u < 0.85 ? 3 : 4;
			} else {
				t = (double)(now - prev) / DAY;
				r = t >= 1 ? fsrs_retrievability(&truth, &mem,
				    now) : fsrs_forgetting_curve(&truth, t,
				    mem.stability);
				if (u >= r)
					g = FSRS_AGAIN;
				else {
					u = draw(&rng);
					g = u < 0.1 ? 2 : u < 0.2 ? 4 : 3;
				}
			}
			it[n].rating = g;
			it[n].elapsed_days = n == 0 ? 0.0 :
			    (double)(now - prev) / DAY;
			/* The optimizer's replay is the scheduler's. */
			fsrs_memory_step(&truth, &st, &d, (enum fsrs_rating)g,
			    floor(it[n].elapsed_days));
			fsrs_review(&sched, &card, (enum fsrs_rating)g, now,
			    seed ^ (c << 8) ^ (uint64_t)n, &card, NULL);
			fsrs_review(&truth, &mem, (enum fsrs_rating)g, now, 0,
			    &mem, NULL);
			assert_true(st == mem.stability && d == mem.difficulty);
			n++;
			prev = now;
			now = card.due;
			if (card.state == FSRS_REVIEW && draw(&rng) < 0.2)
				now += (1 + (int64_t)(draw(&rng) * 3)) * DAY;
		}
		s.h[c].reviews = it;
		s.h[c].n = n;
	}
	return s;
}

static void
sim_free(struct sim *s)
{
	free(s->h);
	free(s->items);
}

/*
 * The mean absolute difference between the recall probabilities w and
 * the truth give at the scored reviews of the data.
 */
static double
r_error(const double w[FSRS_NPARAMS], const struct sim *s)
{
	struct fsrs_settings a, b;
	double sum = 0;
	long count = 0;

	fsrs_defaults(&a);
	fsrs_defaults(&b);
	memcpy(a.w, w, sizeof(a.w));
	true_params(b.w);
	for (size_t c = 0; c < s->n; c++) {
		double sa = 0, da = 0, sb = 0, db = 0;

		for (int i = 0; i < s->h[c].n; i++) {
			const struct fsrs_review_item *it = &s->h[c].reviews[i];
			double t = floor(it->elapsed_days);

			if (i > 0 && t >= 1) {
				sum += fabs(fsrs_forgetting_curve(&a, t, sa) -
				    fsrs_forgetting_curve(&b, t, sb));
				count++;
			}
			fsrs_memory_step(&a, &sa, &da,
			    (enum fsrs_rating)it->rating, t);
			fsrs_memory_step(&b, &sb, &db,
			    (enum fsrs_rating)it->rating, t);
		}
	}
	return sum / (double)count;
}

/* Distance of the initial stabilities, as ratios. */
static double
s0_error(const double w[FSRS_NPARAMS], const double truth[FSRS_NPARAMS])
{
	double e = 0;

	for (int i = 0; i < 4; i++)
		e += fabs(log(w[i] / truth[i]));
	return e;
}

/*
 * Three cards with the defaults, worked from the formulas of FSRS.md:
 *
 *   A: Good, Good 3 days later, Again 10.7 days later (10 whole days)
 *   B: Again, Good 6 hours later (same day), Hard 1.9 days later (1 day)
 *   C: Easy, nothing after it
 *
 * Three reviews are scored: A's second and third, B's third.
 */
static void
hand_computed_loss(void **state)
{
	static const struct fsrs_review_item a[] = {
		{ 3, 0 }, { 3, 3.0 }, { 1, 10.7 }
	};
	static const struct fsrs_review_item b[] = {
		{ 1, 0 }, { 3, 0.25 }, { 2, 1.9 }
	};
	static const struct fsrs_review_item c[] = { { 4, 0 } };
	const struct fsrs_history h[] = { { a, 3 }, { b, 3 }, { c, 1 } };
	const double *w = default_w;
	double f, r1, s0, s1, d0, r2, sb, r3, want;

	(void)state;
	assert_int_equal(fsrs_scored_reviews(h, 3), 3);
	f = pow(0.9, -1.0 / w[20]) - 1.0;
	/* A: S0 = w2, D0 = w4 - e^(2 w5) + 1; recalled after 3 days. */
	s0 = w[2];
	d0 = w[4] - exp(2.0 * w[5]) + 1.0;
	r1 = pow(1.0 + f * 3.0 / s0, -w[20]);
	s1 = s0 * (1.0 + exp(w[8]) * (11.0 - d0) * pow(s0, -w[9]) *
	    (exp(w[10] * (1.0 - r1)) - 1.0));
	/* Forgotten after 10 days. */
	r2 = pow(1.0 + f * 10.0 / s1, -w[20]);
	/* B: S0 = w0; Good the same day: S e^(w17 w18) S^-w19 (above 1). */
	sb = w[0] * exp(w[17] * w[18]) * pow(w[0], -w[19]);
	assert_true(sb > w[0]);
	/* Recalled (Hard) after 1 day. */
	r3 = pow(1.0 + f * 1.0 / sb, -w[20]);
	want = (-log(r1) - log(1.0 - r2) - log(r3)) / 3.0;

	assert_float_equal(r1, 0.8809479557659419, 1e-12);
	assert_float_equal(s1, 13.826903694354572, 1e-9);
	assert_float_equal(r2, 0.920684082572877, 1e-12);
	assert_float_equal(r3, 0.7808502770196439, 1e-12);
	assert_float_equal(want, 0.9694816764753634, 1e-12);
	assert_float_equal(fsrs_log_loss(w, h, 3), want, 1e-12);
}

/* The dual numbers' gradient against central differences of the loss. */
static void
gradient_matches_differences(void **state)
{
	struct sim s = simulate(150, 7);
	double points[2][FSRS_NPARAMS];

	(void)state;
	memcpy(points[0], default_w, sizeof(default_w));
	true_params(points[1]);
	for (int p = 0; p < 2; p++) {
		double g[FSRS_NPARAMS], w[FSRS_NPARAMS], loss;

		memcpy(w, points[p], sizeof(w));
		loss = fsrs_log_loss_grad(w, s.h, s.n, g);
		assert_float_equal(loss, fsrs_log_loss(w, s.h, s.n), 1e-12);
		for (int i = 0; i < FSRS_NPARAMS; i++) {
			double e = 1e-6 * fmax(fabs(w[i]), 0.01), hi, lo, fd;

			w[i] = points[p][i] + e;
			hi = fsrs_log_loss(w, s.h, s.n);
			w[i] = points[p][i] - e;
			lo = fsrs_log_loss(w, s.h, s.n);
			w[i] = points[p][i];
			fd = (hi - lo) / (2 * e);
			if (fabs(g[i] - fd) > 1e-6 + 1e-4 * fabs(fd))
				fail_msg("point %d w[%d]: gradient %.9g, "
				    "differences %.9g", p, i, g[i], fd);
		}
	}
	sim_free(&s);
}

static void
fit_recovers_the_learner(void **state)
{
	struct sim s = simulate(1500, 42);
	double w[FSRS_NPARAMS], truth[FSRS_NPARAMS], before, after, at_truth;
	long scored = fsrs_scored_reviews(s.h, s.n);

	(void)state;
	true_params(truth);
	assert_true(scored >= 6 * (long)s.n);
	assert_int_equal(fsrs_optimize(s.h, s.n, NULL, w, &before, &after),
	    0);
	at_truth = fsrs_log_loss(truth, s.h, s.n);
	print_message("%ld scored reviews; log loss: defaults %.5f, "
	    "fit %.5f, truth %.5f; mean |R - R true|: defaults %.4f, "
	    "fit %.4f\n", scored, before, after, at_truth,
	    r_error(default_w, &s), r_error(w, &s));
	print_message("fit w0..w3 %.3f %.3f %.3f %.3f (truth %.3f %.3f %.3f "
	    "%.3f), w8 %.3f (1.5), w20 %.3f (0.35)\n", w[0], w[1], w[2], w[3],
	    truth[0], truth[1], truth[2], truth[3], w[8], w[20]);

	assert_float_equal(before, fsrs_log_loss(default_w, s.h, s.n), 0);
	assert_float_equal(after, fsrs_log_loss(w, s.h, s.n), 0);
	assert_true(after < before);
	/* Most of the way from the defaults to the truth's own loss. */
	assert_true(after - at_truth < 0.25 * (before - at_truth));
	assert_true(r_error(w, &s) < 0.5 * r_error(default_w, &s));
	assert_true(s0_error(w, truth) < s0_error(default_w, truth));

	/* Within the bounds the scheduler accepts. */
	{
		struct fsrs_settings set;

		fsrs_defaults(&set);
		memcpy(set.w, w, sizeof(set.w));
		assert_null(fsrs_settings_check(&set));
	}
	sim_free(&s);
}

/*
 * A learning rate far too large throws the parameters to their bounds at
 * every step: no epoch beats the defaults, which come back unchanged.
 */
static void
never_worse_than_defaults(void **state)
{
	struct sim s = simulate(300, 5);
	struct fsrs_optimize_options o;
	double w[FSRS_NPARAMS], before, after;

	(void)state;
	fsrs_optimize_defaults(&o);
	o.learning_rate = 1000;
	assert_int_equal(fsrs_optimize(s.h, s.n, &o, w, &before, &after), 0);
	assert_memory_equal(w, default_w, sizeof(w));
	assert_float_equal(after, before, 0);
	sim_free(&s);
}

static void
malformed_and_too_few(void **state)
{
	struct fsrs_review_item *it = calloc(2 * FSRS_OPTIMIZE_MIN_REVIEWS,
	    sizeof(*it));
	struct fsrs_history *h = calloc(FSRS_OPTIMIZE_MIN_REVIEWS,
	    sizeof(*h));
	struct fsrs_optimize_options o;
	double w[FSRS_NPARAMS], before = -1, after = -1;
	size_t n = FSRS_OPTIMIZE_MIN_REVIEWS;
	const double bad_elapsed[] = { -1.0, NAN, INFINITY, -INFINITY };
	const int bad_rating[] = { 0, 5, -3 };

	(void)state;
	assert_non_null(it);
	assert_non_null(h);
	/* One scored review per card, alternately recalled and forgotten. */
	for (size_t c = 0; c < n; c++) {
		it[2 * c] = (struct fsrs_review_item){ 3, 0 };
		it[2 * c + 1] = (struct fsrs_review_item){ c % 3 ? 3 : 1,
		    1.0 + (double)(c % 20) };
		h[c] = (struct fsrs_history){ &it[2 * c], 2 };
	}
	assert_int_equal(fsrs_scored_reviews(h, n), (long)n);
	assert_int_equal(fsrs_optimize(h, n, NULL, w, NULL, NULL), 0);

	/* One review fewer: refused, nothing written. */
	memcpy(w, default_w, sizeof(w));
	w[0] = 42;
	assert_int_equal(fsrs_optimize(h, n - 1, NULL, w, &before, &after),
	    -1);
	assert_float_equal(w[0], 42, 0);
	assert_float_equal(before, -1, 0);
	assert_float_equal(after, -1, 0);
	/* A review on the same day is not scored. */
	it[1].elapsed_days = 0.99;
	assert_int_equal(fsrs_scored_reviews(h, n), (long)n - 1);
	assert_int_equal(fsrs_optimize(h, n, NULL, w, NULL, NULL), -1);
	it[1].elapsed_days = 1.0;
	assert_int_equal(fsrs_optimize(h, 0, NULL, w, NULL, NULL), -1);
	assert_true(isnan(fsrs_log_loss(default_w, h, 0)));

	for (size_t i = 0; i < sizeof(bad_elapsed) / sizeof(*bad_elapsed);
	    i++) {
		for (int k = 0; k < 2; k++) {
			double keep = it[7 + k].elapsed_days;

			it[7 + k].elapsed_days = bad_elapsed[i];
			assert_int_equal(fsrs_scored_reviews(h, n), -1);
			assert_int_equal(fsrs_optimize(h, n, NULL, w, NULL,
			    NULL), -1);
			assert_true(isnan(fsrs_log_loss(default_w, h, n)));
			it[7 + k].elapsed_days = keep;
		}
	}
	for (size_t i = 0; i < sizeof(bad_rating) / sizeof(*bad_rating);
	    i++) {
		for (int k = 0; k < 2; k++) {
			int keep = it[9 + k].rating;

			it[9 + k].rating = bad_rating[i];
			assert_int_equal(fsrs_scored_reviews(h, n), -1);
			assert_int_equal(fsrs_optimize(h, n, NULL, w, NULL,
			    NULL), -1);
			it[9 + k].rating = keep;
		}
	}
	h[3].n = -1;
	assert_int_equal(fsrs_optimize(h, n, NULL, w, NULL, NULL), -1);
	h[3].n = 2;
	h[3].reviews = NULL;
	assert_int_equal(fsrs_scored_reviews(h, n), -1);
	h[3].n = 0;
	assert_int_equal(fsrs_scored_reviews(h, n), (long)n - 1);
	h[3] = (struct fsrs_history){ &it[6], 2 };
	assert_int_equal(fsrs_scored_reviews(h, n), (long)n);

	/* Options out of range. */
	fsrs_optimize_defaults(&o);
	o.epochs = 0;
	assert_int_equal(fsrs_optimize(h, n, &o, w, NULL, NULL), -1);
	fsrs_optimize_defaults(&o);
	o.batch_reviews = 0;
	assert_int_equal(fsrs_optimize(h, n, &o, w, NULL, NULL), -1);
	fsrs_optimize_defaults(&o);
	o.learning_rate = 0;
	assert_int_equal(fsrs_optimize(h, n, &o, w, NULL, NULL), -1);
	o.learning_rate = NAN;
	assert_int_equal(fsrs_optimize(h, n, &o, w, NULL, NULL), -1);
	fsrs_optimize_defaults(&o);
	o.gamma = -1;
	assert_int_equal(fsrs_optimize(h, n, &o, w, NULL, NULL), -1);
	fsrs_optimize_defaults(&o);
	assert_int_equal(fsrs_optimize(h, n, &o, w, NULL, NULL), 0);
	free(it);
	free(h);
}

static void
deterministic(void **state)
{
	struct sim s = simulate(300, 99);
	struct fsrs_optimize_options o;
	double a[FSRS_NPARAMS], b[FSRS_NPARAMS], la, lb;

	(void)state;
	assert_int_equal(fsrs_optimize(s.h, s.n, NULL, a, NULL, &la), 0);
	assert_int_equal(fsrs_optimize(s.h, s.n, NULL, b, NULL, &lb), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_equal(&la, &lb, sizeof(la));
	/* Another seed orders the batches otherwise. */
	fsrs_optimize_defaults(&o);
	o.seed = 1;
	assert_int_equal(fsrs_optimize(s.h, s.n, &o, b, NULL, NULL), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	sim_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hand_computed_loss),
		cmocka_unit_test(gradient_matches_differences),
		cmocka_unit_test(fit_recovers_the_learner),
		cmocka_unit_test(never_worse_than_defaults),
		cmocka_unit_test(malformed_and_too_few),
		cmocka_unit_test(deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
