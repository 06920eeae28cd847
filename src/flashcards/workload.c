/*
 * workload.c - the workload simulator (workload.h).
 */
#include "core/util.h"
#include "flashcards/workload.h"

#include <math.h>
#include <stdlib.h>

#define DAY 86400

/* splitmix64: the next draw in [0, 1). */
static double
draw(uint64_t *state)
{
	return (double)(util_splitmix64(state) >> 11) * 0x1.0p-53;
}

/*
 * Takes c through its (re)learning steps with Good until it is back in
 * Review; the day it is then due.
 */
static void
graduate(const struct fsrs_settings *s, struct fsrs_card *c, int64_t now)
{
	for (int guard = 0; c->state != FSRS_REVIEW && guard < 16; guard++)
		fsrs_review(s, c, FSRS_GOOD, c->due > now ? c->due : now, 0, c,
		    NULL);
}

int
workload_simulate(const struct fsrs_settings *s,
    const struct workload_input *in, struct workload_result *out)
{
	struct fsrs_settings nofuzz = *s;
	struct fsrs_card *cards;
	size_t n = in->n_cards, total;
	uint64_t rng = in->seed;
	double seconds = 0, reviews = 0;
	int fresh = in->new_cards;

	if (in->days < 1 || in->days > 3650 || in->new_cards < 0 ||
	    in->new_per_day < 0)
		return -1;
	nofuzz.fuzz = false;
	total = n + (size_t)(in->new_per_day < fresh ? (size_t)in->new_per_day *
	    (size_t)in->days : (size_t)fresh);
	if (total > (size_t)fresh + n)
		total = (size_t)fresh + n;
	if ((cards = calloc(total > 0 ? total : 1, sizeof(*cards))) == NULL)
		return -1;
	/* Day 0 starts at time 0: a card due in `until` days is due then. */
	for (size_t i = 0; i < n; i++) {
		const struct workload_card *w = &in->cards[i];

		cards[i].state = FSRS_REVIEW;
		cards[i].stability = w->stability;
		cards[i].difficulty = w->difficulty;
		cards[i].last_review = (int64_t)llround(-w->since * DAY);
		cards[i].due = w->until > 0 ? (int64_t)llround(w->until * DAY) : 0;
		cards[i].reps = 1;
	}
	for (int d = 0; d < in->days; d++) {
		int64_t now = (int64_t)d * DAY, end = now + DAY;

		for (size_t i = 0; i < n; i++) {
			struct fsrs_card *c = &cards[i];

			if (c->due >= end)
				continue;
			reviews++;
			if (draw(&rng) < fsrs_retrievability(&nofuzz, c, now)) {
				seconds += in->seconds_pass;
				fsrs_review(&nofuzz, c, FSRS_GOOD, now, 0, c, NULL);
			} else {
				seconds += in->seconds_fail;
				fsrs_review(&nofuzz, c, FSRS_AGAIN, now, 0, c, NULL);
				graduate(&nofuzz, c, now);
			}
		}
		for (int k = 0; k < in->new_per_day && fresh > 0 && n < total;
		    k++, fresh--) {
			struct fsrs_card *c = &cards[n++];

			fsrs_card_new(c, now);
			seconds += in->seconds_new;
			reviews++;
			fsrs_review(&nofuzz, c, FSRS_GOOD, now, 0, c, NULL);
			graduate(&nofuzz, c, now);
		}
	}
	out->memorized = 0;
	for (size_t i = 0; i < n; i++)
		out->memorized += fsrs_retrievability(&nofuzz, &cards[i],
		    (int64_t)in->days * DAY);
	out->seconds_per_day = seconds / in->days;
	out->reviews_per_day = reviews / in->days;
	free(cards);
	return 0;
}
