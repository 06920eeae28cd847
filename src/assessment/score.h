/*
 * score.h - the pure logic of an attempt: where each question's options
 * are shown, what a learner's answer means, how much credit it earns, how
 * many questions each domain gets, and the 100-900 scale.
 *
 * A question's own keys ("B", "2") never reach the learner before the
 * attempt ends: options are shown under labels that follow the order on
 * screen (A, B, C... for options and ordering items, 1, 2... and a, b...
 * for the two sides of a matching question), so neither the keys nor the
 * authored order give the answer away.  The layout, saved with the
 * attempt, maps each label to its key.
 *
 * Answers, in labels from the learner and in keys once stored:
 *	single_choice, true_false	{"choice": "B"}
 *	multiple_select			{"choices": ["A", "C"]}
 *	fill_blank			{"text": "255.255.255.0"}
 *	matching			{"pairs": {"1": "c", "2": "a"}}
 *	ordering			{"order": ["C", "A", "B"]}
 *
 * Partial credit (when the assessment allows it):
 *	multiple_select	(right choices - wrong choices) / correct options,
 *			never below 0
 *	matching	pairs matched right / pairs (a distractor, a right
 *			text that matches no left, is never right)
 *	fill_blank	the best "credit" of the answers and ranges it hits
 *			(1 when an answer has none)
 *	ordering	pairs of items in the right relative order / all pairs
 *			(Kendall's tau rescaled to 0..1)
 * Without partial credit, and for the other types, a question earns 1 or 0:
 * a fill_blank answer that hits only a part-credit answer then earns 0.
 */
#ifndef LUDUS_ASSESSMENT_SCORE_H
#define LUDUS_ASSESSMENT_SCORE_H

#include <stdbool.h>

#include <jansson.h>

/*
 * The layout of a normal question (question.h) in a new attempt; options
 * shuffled when shuffle is set (true/false never).  Matching answers and
 * ordering items are always shuffled; ordering is never shown in its
 * correct order.  rand(n) returns a number in 0..n-1.
 */
json_t *score_layout(const char *type, const json_t *body, bool shuffle,
    unsigned (*rand)(unsigned n));

/*
 * The learner's answer (in labels) as stored (in keys); NULL with *why
 * set when it does not fit the question.
 */
json_t *score_answer_in(const char *type, const json_t *body,
    const json_t *layout, const json_t *given, const char **why);

/* A stored answer back in the labels of the layout. */
json_t *score_answer_out(const char *type, const json_t *layout,
    const json_t *answer);

/* The credit of a stored answer (NULL: none), 0..1, to 5 decimals. */
double score_credit(const char *type, const json_t *body,
    const json_t *answer, bool partial);

/*
 * The question as the learner sees it in the attempt: its options,
 * sides or items under their labels, and the answer in labels.  With
 * reveal, also what is correct and every explanation.
 */
json_t *score_view(const char *type, const json_t *body, const json_t *layout,
    const json_t *answer, bool reveal);

/*
 * Splits total questions over n domains in proportion to weights (largest
 * remainder; ties go to the heavier domain, then the earlier one).
 */
void score_apportion(const double *weights, int n, int total, int *out);

/*
 * The scaled score of percent on an exam's scale lo..hi whose passing
 * score is pass, when cut percent passes: linear from (0, lo) to (cut,
 * pass) and from (cut, pass) to (100, hi); below the cut it stays under
 * pass.
 */
int score_scaled(double percent, double cut, int lo, int pass, int hi);

/* The cut that makes the scale linear: (pass - lo) / (hi - lo) * 100. */
double score_linear_cut(int lo, int pass, int hi);

#endif
