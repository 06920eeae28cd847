/*
 * workload.h - what a desired retention costs: a simulation of a
 * learner's reviews over the days ahead.  Pure code.
 *
 * Every card the learner has in Review, and the new cards they would
 * learn at their daily pace, are reviewed on the schedule FSRS gives at
 * the retention asked about; each review is remembered with the
 * probability the model predicts (a seeded draw, so the same question
 * gets the same answer) and costs the learner's own average time for a
 * passed, failed or new card.  Forgetting sends a card through its
 * relearning steps the same day.
 */
#ifndef LUDUS_FLASHCARDS_WORKLOAD_H
#define LUDUS_FLASHCARDS_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "flashcards/fsrs.h"

/* A card in Review today: its memory, and days since and until review. */
struct workload_card {
	double stability, difficulty;
	double since;	/* days since its last review */
	double until;	/* days until it is due (<= 0: due now) */
};

struct workload_input {
	const struct workload_card *cards;
	size_t n_cards;
	int new_cards;		/* new cards waiting */
	int new_per_day;
	int days;		/* how far to look: 1 .. 3650 */
	double seconds_pass, seconds_fail, seconds_new;
	uint64_t seed;
};

struct workload_result {
	double seconds_per_day;	/* average over the days */
	double reviews_per_day;
	double memorized;	/* sum of recall probabilities at the end */
};

/*
 * Simulates in under the settings s (their retention is the one asked
 * about).  0, or -1 when the input is out of range or memory runs out.
 */
int workload_simulate(const struct fsrs_settings *s,
    const struct workload_input *in, struct workload_result *out);

#endif
