/*
 * optimize.h - fitting the 21 FSRS-6 parameters to a learner's review
 * history.  Pure code: no I/O, no clock, no state between calls.
 *
 * Each card's reviews are replayed with fsrs_memory_step(), so the fit
 * describes the scheduler of fsrs.h exactly; the loss is the mean log
 * loss of the recall probability predicted at each review a day or more
 * after the one before.  See FSRS.md beside this file for the method.
 */
#ifndef LUDUS_FLASHCARDS_OPTIMIZE_H
#define LUDUS_FLASHCARDS_OPTIMIZE_H

#include <stddef.h>
#include <stdint.h>

#include "flashcards/fsrs.h"

/*
 * Below this many scored reviews (fsrs_scored_reviews()) the fit says
 * more about chance than about the learner, and fsrs_optimize() refuses.
 */
#define FSRS_OPTIMIZE_MIN_REVIEWS 1000

/* One review of a card. */
struct fsrs_review_item {
	int rating;		/* 1 Again, 2 Hard, 3 Good, 4 Easy */
	/*
	 * Days since the card's previous review, fractions allowed (seconds
	 * / 86400); counted in whole days, rounded down, as the scheduler
	 * counts them.  Ignored for the card's first review (give 0).
	 */
	double elapsed_days;
};

/* One card's reviews, oldest first. */
struct fsrs_history {
	const struct fsrs_review_item *reviews;
	int n;
};

struct fsrs_optimize_options {
	int epochs;		/* passes over the cards (5) */
	int batch_reviews;	/* scored reviews per step, on average (512) */
	double learning_rate;	/* Adam's, at the start (0.04) */
	double gamma;		/* weight of the pull toward the defaults (1) */
	uint64_t seed;		/* of the order of the cards (2023) */
};

/* The options above, as the reference optimizer (fsrs-rs) sets them. */
void fsrs_optimize_defaults(struct fsrs_optimize_options *o);

/*
 * The number of reviews the loss scores: every review but a card's first
 * and those less than a whole day after the review before.  -1 when the
 * input is malformed: a history with n < 0 (or reviews NULL and n > 0),
 * a rating outside 1..4, an elapsed time negative or not finite.
 */
long fsrs_scored_reviews(const struct fsrs_history *h, size_t n);

/*
 * The mean log loss of the parameters w on the n histories: for each
 * scored review, -ln R when it was recalled (rating above 1), -ln (1 - R)
 * when forgotten, R the forgetting curve at the elapsed whole days and the
 * stability before the review, kept within 0.0001 .. 0.9999.  NaN when the
 * input is malformed or nothing is scored.  The parameters are used as
 * given, even outside fsrs_settings_check()'s bounds.
 */
double fsrs_log_loss(const double w[FSRS_NPARAMS],
    const struct fsrs_history *h, size_t n);

/*
 * The same loss, and its gradient in the parameters in grad (exact, by
 * forward differentiation; 0 where a clamp holds a value).  NaN (and
 * grad untouched) as fsrs_log_loss().
 */
double fsrs_log_loss_grad(const double w[FSRS_NPARAMS],
    const struct fsrs_history *h, size_t n, double grad[FSRS_NPARAMS]);

/*
 * Fits the parameters to the n histories, starting from the defaults
 * (fsrs_defaults()), with opt (NULL for fsrs_optimize_defaults()).
 * w_out gets parameters within fsrs_settings_check()'s bounds; they are
 * the defaults themselves when the fit does no better than them.
 * *loss_before gets the defaults' fsrs_log_loss(), *loss_after the
 * result's (either may be NULL).  Deterministic: the same input and
 * options give the same parameters.
 *
 * Returns 0, or -1 (nothing written) when the input is malformed, when
 * fewer than FSRS_OPTIMIZE_MIN_REVIEWS reviews are scored or when an
 * option is out of range (epochs or batch_reviews under 1, a learning
 * rate not positive, gamma negative).
 */
int fsrs_optimize(const struct fsrs_history *h, size_t n,
    const struct fsrs_optimize_options *opt, double w_out[FSRS_NPARAMS],
    double *loss_before, double *loss_after);

#endif
