/*
 * fsrs.h - the FSRS-6 spaced-repetition scheduler.  Pure code: no I/O,
 * no clock, no state between calls.
 *
 * A card carries its memory (stability in days, difficulty 1..10) and
 * where it is in the learning steps; fsrs_review() turns a card, a rating
 * and the time of the review into the next card and its interval.  The
 * caller passes the time and a seed for the interval's fuzz, so the same
 * review always gives the same answer.  See FSRS.md beside this file for
 * the formulas and their sources.
 */
#ifndef LUDUS_FLASHCARDS_FSRS_H
#define LUDUS_FLASHCARDS_FSRS_H

#include <stdbool.h>
#include <stdint.h>

#define FSRS_NPARAMS 21
#define FSRS_MAX_STEPS 8
#define FSRS_S_MIN 0.001	/* days; the reference's STABILITY_MIN */
#define FSRS_S_MAX 36500.0	/* days; fsrs-rs's and ts-fsrs's S_MAX */
#define FSRS_INTERVAL_MAX 36500	/* days; the largest max_interval_days */

enum fsrs_state {
	FSRS_NEW,
	FSRS_LEARNING,
	FSRS_REVIEW,
	FSRS_RELEARNING
};

enum fsrs_rating {
	FSRS_AGAIN = 1,
	FSRS_HARD = 2,
	FSRS_GOOD = 3,
	FSRS_EASY = 4
};

struct fsrs_settings {
	double w[FSRS_NPARAMS];
	double desired_retention;		/* 0.70 .. 0.99 */
	int learning_steps[FSRS_MAX_STEPS];	/* seconds */
	int n_learning_steps;
	int relearning_steps[FSRS_MAX_STEPS];	/* seconds */
	int n_relearning_steps;
	int max_interval_days;			/* 1 .. FSRS_INTERVAL_MAX */
	bool fuzz;
};

struct fsrs_card {
	enum fsrs_state state;
	int step;		/* index into the (re)learning steps */
	double stability;	/* days; 0 for a new card */
	double difficulty;	/* 1..10; 0 for a new card */
	int64_t due;		/* unix seconds */
	int64_t last_review;	/* unix seconds; 0 never */
	int reps;		/* reviews so far */
	int lapses;		/* times Again was pressed on a Review card */
};

/*
 * The FSRS-6 default parameters, retention 0.9, learning steps 1 and 10
 * minutes, a 10-minute relearning step, 36500 days at most, fuzz on.
 */
void fsrs_defaults(struct fsrs_settings *s);

/*
 * NULL when s can be used, else why not: each parameter within the bounds
 * the reference implementations enforce, retention 0.70 to 0.99, at most
 * FSRS_MAX_STEPS steps of each kind, each positive and longer than the one
 * before, a maximum interval of 1 to FSRS_INTERVAL_MAX days.  The other
 * functions trust their settings; check them where they enter.
 */
const char *fsrs_settings_check(const struct fsrs_settings *s);

/* A zeroed card in state FSRS_NEW, due at created. */
void fsrs_card_new(struct fsrs_card *c, int64_t created);

/*
 * The probability of recalling c at now (0 for a card never reviewed).
 * Elapsed time counts in whole days, as the scheduler itself counts it.
 */
double fsrs_retrievability(const struct fsrs_settings *s,
    const struct fsrs_card *c, int64_t now);

/*
 * The card after a review rated r at now, in *out (which may be c); a
 * rating outside 1..4 counts as the nearest one.
 * *interval_s (when not NULL) gets the time to the next review in
 * seconds: a (re)learning step, or whole days once in Review.  The fuzz
 * of a Review interval is drawn from fuzz_seed (a hash of the card's id
 * and its reps, say), so a repeated request gets the same answer.
 */
void fsrs_review(const struct fsrs_settings *s, const struct fsrs_card *c,
    enum fsrs_rating r, int64_t now, uint64_t fuzz_seed,
    struct fsrs_card *out, int64_t *interval_s);

/* What each rating would do now: out[0] Again .. out[3] Easy. */
void fsrs_preview(const struct fsrs_settings *s, const struct fsrs_card *c,
    int64_t now, uint64_t fuzz_seed, struct fsrs_card out[4]);

/*
 * The model's pieces, for tests and for showing the memory state: the
 * forgetting curve at t days (fractional) for stability, and the interval
 * in whole days (rounded, 1 .. max_interval_days, before fuzz) that brings
 * recall down to the desired retention.
 */
/*
 * Load balancing.  The days a Review interval of ivl days may be fuzzed
 * to (py-fsrs's _get_fuzz_range): lo..hi, just ivl under 2.5 days.
 */
void fsrs_fuzz_range(const struct fsrs_settings *s, int ivl, int *lo,
    int *hi);
/*
 * The day in lo..hi with the least work: load[d - lo] reviews already
 * due on day d, weight[d - lo] the share of a normal day's reviews the
 * learner wants then (1 normal, 0.5 a reduced easy day, 0 none); cost is
 * (load + 1) / weight, ties going to the day nearest ivl.  A day of weight
 * 0 is picked only when every day has weight 0 (then ivl, clamped).
 */
int fsrs_balance(int lo, int hi, int ivl, const int *load,
    const double *weight);

double fsrs_forgetting_curve(const struct fsrs_settings *s, double t,
    double stability);
int fsrs_interval_days(const struct fsrs_settings *s, double stability);

/*
 * One review's change to a memory state, exactly as fsrs_review() makes
 * it (the optimizer replays histories with it).  *stability and
 * *difficulty hold the state before the review, stability 0 for a card
 * never reviewed; they get the state after a review rated g (1..4) days
 * after the one before.  The scheduler passes whole days; under 1 is a
 * review on the same day, and days is ignored for the first review.
 */
void fsrs_memory_step(const struct fsrs_settings *s, double *stability,
    double *difficulty, enum fsrs_rating g, double days);

/*
 * Brings each parameter within the bounds fsrs_settings_check() enforces
 * (a NaN stays NaN, and the check refuses it).
 */
void fsrs_clamp_params(double w[FSRS_NPARAMS]);

#endif
