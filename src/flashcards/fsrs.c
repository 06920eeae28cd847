/*
 * fsrs.c - the FSRS-6 scheduler (fsrs.h).
 *
 * Written from these sources, not copied from them:
 *  - open-spaced-repetition/py-fsrs, fsrs/scheduler.py (v6): the state
 *    machine, the learning and relearning steps, same-day reviews, the
 *    parameter bounds and the fuzz ranges; tests/test_basic.py.
 *  - open-spaced-repetition/ts-fsrs, src/fsrs/algorithm_generic.ts,
 *    src/fsrs/constant.ts and src/fsrs/help.ts (get_fuzz_range);
 *    __tests__/FSRS-6.test.ts.
 *  - open-spaced-repetition/fsrs-rs, src/inference.rs and src/model.rs:
 *    DEFAULT_PARAMETERS, the memory-state step, S_MIN and S_MAX, and the
 *    tests test_memory_state, test_next_interval and
 *    test_current_retrievability.
 *  - The fsrs4anki wiki, "The Algorithm", for the DSR model, the
 *    forgetting curve and the interval it gives (read in the copy kept by
 *    shigeyukey/FSRS-jp, which stops at FSRS-5: w19 and w20 of FSRS-6
 *    come from the code above).
 *
 * The arithmetic follows py-fsrs (double precision, elapsed time in whole
 * days of 86400 s, intervals rounded half to even), and the sequences that
 * ts-fsrs and fsrs-rs publish come out the same (tests/unit/test_fsrs.c).
 * Two things differ.  The fuzz draws from a seeded splitmix64 instead of
 * random(), and takes a whole day uniformly in its range (floor, as
 * ts-fsrs does) where py-fsrs rounds and can land a day past the top.
 * Stability is capped at S_MAX as well, as in fsrs-rs and ts-fsrs.
 */
#include "core/util.h"
#include "flashcards/fsrs.h"

#include <math.h>
#include <stdlib.h>
#include <stddef.h>

#define DAY 86400

static const double defaults_w[FSRS_NPARAMS] = {
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,
	1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
	1.8729, 0.5425, 0.0912, 0.0658, 0.1542
};

/*
 * py-fsrs's LOWER_BOUNDS_PARAMETERS and UPPER_BOUNDS_PARAMETERS (ts-fsrs's
 * CLAMP_PARAMETERS are the same), each with what to tell the user.
 */
static const struct {
	double lo, hi;
	const char *why;
} bounds[FSRS_NPARAMS] = {
	{ FSRS_S_MIN, 100.0, "parameters: w[0] must be 0.001 to 100" },
	{ FSRS_S_MIN, 100.0, "parameters: w[1] must be 0.001 to 100" },
	{ FSRS_S_MIN, 100.0, "parameters: w[2] must be 0.001 to 100" },
	{ FSRS_S_MIN, 100.0, "parameters: w[3] must be 0.001 to 100" },
	{ 1.0, 10.0, "parameters: w[4] must be 1 to 10" },
	{ 0.001, 4.0, "parameters: w[5] must be 0.001 to 4" },
	{ 0.001, 4.0, "parameters: w[6] must be 0.001 to 4" },
	{ 0.001, 0.75, "parameters: w[7] must be 0.001 to 0.75" },
	{ 0.0, 4.5, "parameters: w[8] must be 0 to 4.5" },
	{ 0.0, 0.8, "parameters: w[9] must be 0 to 0.8" },
	{ 0.001, 3.5, "parameters: w[10] must be 0.001 to 3.5" },
	{ 0.001, 5.0, "parameters: w[11] must be 0.001 to 5" },
	{ 0.001, 0.25, "parameters: w[12] must be 0.001 to 0.25" },
	{ 0.001, 0.9, "parameters: w[13] must be 0.001 to 0.9" },
	{ 0.0, 4.0, "parameters: w[14] must be 0 to 4" },
	{ 0.0, 1.0, "parameters: w[15] must be 0 to 1" },
	{ 1.0, 6.0, "parameters: w[16] must be 1 to 6" },
	{ 0.0, 2.0, "parameters: w[17] must be 0 to 2" },
	{ 0.0, 2.0, "parameters: w[18] must be 0 to 2" },
	{ 0.0, 0.8, "parameters: w[19] must be 0 to 0.8" },
	{ 0.1, 0.8, "parameters: w[20] must be 0.1 to 0.8" },
};

/* Fuzz grows by factor for each day of the interval within [start, end). */
static const struct {
	double start, end, factor;
} fuzz_ranges[] = {
	{ 2.5, 7.0, 0.15 },
	{ 7.0, 20.0, 0.1 },
	{ 20.0, INFINITY, 0.05 },
};

void
fsrs_defaults(struct fsrs_settings *s)
{
	*s = (struct fsrs_settings){ 0 };
	for (int i = 0; i < FSRS_NPARAMS; i++)
		s->w[i] = defaults_w[i];
	s->desired_retention = 0.9;
	s->learning_steps[0] = 60;
	s->learning_steps[1] = 600;
	s->n_learning_steps = 2;
	s->relearning_steps[0] = 600;
	s->n_relearning_steps = 1;
	s->max_interval_days = FSRS_INTERVAL_MAX;
	s->fuzz = true;
}

void
fsrs_clamp_params(double w[FSRS_NPARAMS])
{
	for (int i = 0; i < FSRS_NPARAMS; i++) {
		if (w[i] < bounds[i].lo)
			w[i] = bounds[i].lo;
		else if (w[i] > bounds[i].hi)
			w[i] = bounds[i].hi;
	}
}

static const char *
steps_check(const int *steps, int n)
{
	if (n < 0 || n > FSRS_MAX_STEPS)
		return "must be at most 8 steps";
	for (int i = 0; i < n; i++) {
		if (steps[i] <= 0)
			return "must be positive durations";
		if (i > 0 && steps[i] <= steps[i - 1])
			return "must each be longer than the one before";
	}
	return NULL;
}

const char *
fsrs_settings_check(const struct fsrs_settings *s)
{
	/* Written so that NaN fails every test. */
	for (int i = 0; i < FSRS_NPARAMS; i++)
		if (!(s->w[i] >= bounds[i].lo && s->w[i] <= bounds[i].hi))
			return bounds[i].why;
	if (!(s->desired_retention >= 0.70 && s->desired_retention <= 0.99))
		return "desired retention: must be 0.70 to 0.99";
	if (steps_check(s->learning_steps, s->n_learning_steps) != NULL)
		return "learning steps: must be at most 8 positive durations, "
		    "each longer than the one before";
	if (steps_check(s->relearning_steps, s->n_relearning_steps) != NULL)
		return "relearning steps: must be at most 8 positive "
		    "durations, each longer than the one before";
	if (s->max_interval_days < 1 ||
	    s->max_interval_days > FSRS_INTERVAL_MAX)
		return "maximum interval: must be 1 to 36500 days";
	return NULL;
}

void
fsrs_card_new(struct fsrs_card *c, int64_t created)
{
	*c = (struct fsrs_card){ 0 };
	c->state = FSRS_NEW;
	c->due = created;
}

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static double
clamp_s(double s)
{
	return clamp(s, FSRS_S_MIN, FSRS_S_MAX);
}

/* Whole days from a to b, rounded down like Python's timedelta.days. */
static int64_t
days_between(int64_t a, int64_t b)
{
	int64_t d = b - a;

	return d >= 0 ? d / DAY : -((-d + DAY - 1) / DAY);
}

/* R(t, S) = (1 + F t / S)^-w20, F = 0.9^(-1/w20) - 1, so R(S, S) = 0.9. */
double
fsrs_forgetting_curve(const struct fsrs_settings *s, double t,
    double stability)
{
	double w20 = s->w[20];
	double factor = pow(0.9, -1.0 / w20) - 1.0;

	return pow(1.0 + factor * t / stability, -w20);
}

/* The curve solved for t at R = desired retention. */
int
fsrs_interval_days(const struct fsrs_settings *s, double stability)
{
	double w20 = s->w[20];
	double factor = pow(0.9, -1.0 / w20) - 1.0;
	double t = stability / factor *
	    (pow(s->desired_retention, -1.0 / w20) - 1.0);

	/* rint rounds half to even, as py-fsrs's round() does. */
	t = rint(t);
	t = clamp(t, 1.0, (double)s->max_interval_days);
	return (int)t;
}

double
fsrs_retrievability(const struct fsrs_settings *s,
    const struct fsrs_card *c, int64_t now)
{
	int64_t t;

	if (c->last_review == 0 || c->stability <= 0)
		return 0.0;
	t = days_between(c->last_review, now);
	return fsrs_forgetting_curve(s, t < 0 ? 0.0 : (double)t,
	    c->stability);
}

/*
 * Ratings are made int before any arithmetic: the compiler may give an
 * enum of positive values an unsigned type, and r - 3 would wrap.
 */
static double
init_stability(const struct fsrs_settings *s, enum fsrs_rating r)
{
	return clamp_s(s->w[(int)r - 1]);
}

/* D0(G) = w4 - e^(w5 (G - 1)) + 1; unclamped as the reversion target. */
static double
init_difficulty_raw(const struct fsrs_settings *s, enum fsrs_rating r)
{
	return s->w[4] - exp(s->w[5] * ((int)r - 1)) + 1.0;
}

/*
 * The change -w6 (G - 3) shrinks linearly as D nears 10, so difficulty
 * never sticks at the top; then a pull of weight w7 toward D0(Easy).
 */
static double
next_difficulty(const struct fsrs_settings *s, double d, enum fsrs_rating r)
{
	double delta = -s->w[6] * ((int)r - 3);
	double damped = d + (10.0 - d) * delta / 9.0;
	double target = init_difficulty_raw(s, FSRS_EASY);

	return clamp(s->w[7] * target + (1.0 - s->w[7]) * damped, 1.0, 10.0);
}

static double
recall_stability(const struct fsrs_settings *s, double d, double st,
    double r, enum fsrs_rating g)
{
	double hard = g == FSRS_HARD ? s->w[15] : 1.0;
	double easy = g == FSRS_EASY ? s->w[16] : 1.0;

	return st * (1.0 + exp(s->w[8]) * (11.0 - d) * pow(st, -s->w[9]) *
	    (exp((1.0 - r) * s->w[10]) - 1.0) * hard * easy);
}

/*
 * After a lapse: the long-term formula, but never above what a same-day
 * Again would leave, S / e^(w17 w18).
 */
static double
forget_stability(const struct fsrs_settings *s, double d, double st,
    double r)
{
	double lt = s->w[11] * pow(d, -s->w[12]) *
	    (pow(st + 1.0, s->w[13]) - 1.0) * exp((1.0 - r) * s->w[14]);
	double st_max = st / exp(s->w[17] * s->w[18]);

	return lt < st_max ? lt : st_max;
}

/*
 * A review on the day of the last one: S' = S e^(w17 (G - 3 + w18))
 * S^-w19.  Good and Easy never lower stability.
 */
static double
short_term_stability(const struct fsrs_settings *s, double st,
    enum fsrs_rating g)
{
	double inc = exp(s->w[17] * ((int)g - 3 + s->w[18])) *
	    pow(st, -s->w[19]);

	if (g >= FSRS_GOOD && inc < 1.0)
		inc = 1.0;
	return clamp_s(st * inc);
}

void
fsrs_memory_step(const struct fsrs_settings *s, double *stability,
    double *difficulty, enum fsrs_rating g, double days)
{
	double st = *stability, r;

	if (st <= 0) {
		*stability = init_stability(s, g);
		*difficulty = clamp(init_difficulty_raw(s, g), 1.0, 10.0);
		return;
	}
	if (days < 1) {
		*stability = short_term_stability(s, st, g);
	} else {
		r = fsrs_forgetting_curve(s, days, st);
		*stability = clamp_s(g == FSRS_AGAIN ?
		    forget_stability(s, *difficulty, st, r) :
		    recall_stability(s, *difficulty, st, r, g));
	}
	*difficulty = next_difficulty(s, *difficulty, g);
}

/*
 * The memory state after the review, in out.  A card with a memory but no
 * time of review (not made by fsrs_review) counts as long forgotten: an
 * infinite elapsed time makes R exactly 0.
 */
static void
update_memory(const struct fsrs_settings *s, const struct fsrs_card *c,
    enum fsrs_rating g, int64_t now, struct fsrs_card *out)
{
	double st = c->state == FSRS_NEW ? 0.0 : c->stability;
	double d = c->difficulty;
	double t = INFINITY;
	int64_t days;

	if (c->last_review != 0) {
		days = days_between(c->last_review, now);
		t = days < 0 ? 0.0 : (double)days;
	}
	fsrs_memory_step(s, &st, &d, g, t);
	out->stability = st;
	out->difficulty = d;
}

/* splitmix64's first draw from seed, in [0, 1). */
static double
uniform(uint64_t seed)
{
	return (double)(util_splitmix64(&seed) >> 11) * 0x1.0p-53;
}

void
fsrs_fuzz_range(const struct fsrs_settings *s, int ivl, int *lo, int *hi)
{
	double delta = 1.0;

	*lo = *hi = ivl;
	if (ivl < 2.5)
		return;
	for (size_t i = 0; i < sizeof(fuzz_ranges) / sizeof(fuzz_ranges[0]);
	    i++) {
		double top = fmin(ivl, fuzz_ranges[i].end);

		delta += fuzz_ranges[i].factor *
		    fmax(top - fuzz_ranges[i].start, 0.0);
	}
	*lo = (int)rint(ivl - delta);
	*hi = (int)rint(ivl + delta);
	if (*lo < 2)
		*lo = 2;
	if (*hi > s->max_interval_days)
		*hi = s->max_interval_days;
	if (*lo > *hi)
		*lo = *hi;
}

/* A day of ivl's fuzz range, drawn from seed. */
static int
fuzz(const struct fsrs_settings *s, int ivl, uint64_t seed)
{
	int lo, hi;

	fsrs_fuzz_range(s, ivl, &lo, &hi);
	return lo + (int)(uniform(seed) * (hi - lo + 1));
}

int
fsrs_balance(int lo, int hi, int ivl, const int *load, const double *weight)
{
	int best = ivl < lo ? lo : ivl > hi ? hi : ivl;
	double best_cost = -1;

	for (int d = lo; d <= hi; d++) {
		double w = weight[d - lo];
		/* A day off (weight 0) only when every day is one. */
		double cost = w > 0 ? (load[d - lo] + 1) / w : 1e300;
		int dist = abs(d - ivl), best_dist = abs(best - ivl);

		if (best_cost < 0 || cost < best_cost || (cost == best_cost &&
		    dist < best_dist)) {
			best = d;
			best_cost = cost;
		}
	}
	return best;
}

/*
 * The (re)learning step after rating g at step, in seconds, moving *step;
 * -1 when the card graduates to Review instead.
 */
static int64_t
next_step(const int *steps, int n, int *step, enum fsrs_rating g)
{
	if (*step < 0)
		*step = 0;
	/* Past the last step (the steps were shortened since): graduate. */
	if (n == 0 || (*step >= n && g != FSRS_AGAIN))
		return -1;
	switch (g) {
	case FSRS_AGAIN:
		*step = 0;
		return steps[0];
	case FSRS_HARD:
		/* Stays on its step; the first waits a little longer. */
		if (*step > 0)
			return steps[*step];
		if (n == 1)
			return llround(steps[0] * 1.5);
		return llround((steps[0] + steps[1]) / 2.0);
	case FSRS_GOOD:
		if (*step + 1 >= n)
			return -1;
		return steps[++*step];
	case FSRS_EASY:
	default:
		return -1;
	}
}

void
fsrs_review(const struct fsrs_settings *s, const struct fsrs_card *c,
    enum fsrs_rating r, int64_t now, uint64_t fuzz_seed,
    struct fsrs_card *out, int64_t *interval_s)
{
	struct fsrs_card n = *c;
	int64_t ivl = -1;

	/* A rating out of range counts as the nearest one. */
	if ((int)r < FSRS_AGAIN)
		r = FSRS_AGAIN;
	else if ((int)r > FSRS_EASY)
		r = FSRS_EASY;
	update_memory(s, c, r, now, &n);
	switch (c->state) {
	case FSRS_NEW:
	case FSRS_LEARNING:
		if (c->state == FSRS_NEW)
			n.step = 0;
		n.state = FSRS_LEARNING;
		ivl = next_step(s->learning_steps, s->n_learning_steps,
		    &n.step, r);
		break;
	case FSRS_RELEARNING:
		ivl = next_step(s->relearning_steps, s->n_relearning_steps,
		    &n.step, r);
		break;
	case FSRS_REVIEW:
	default:
		if (r == FSRS_AGAIN) {
			n.lapses++;
			if (s->n_relearning_steps > 0) {
				n.state = FSRS_RELEARNING;
				n.step = 0;
				ivl = s->relearning_steps[0];
			}
		}
		break;
	}
	if (ivl < 0) {
		int days = fsrs_interval_days(s, n.stability);

		if (s->fuzz)
			days = fuzz(s, days, fuzz_seed);
		n.state = FSRS_REVIEW;
		n.step = 0;
		ivl = (int64_t)days * DAY;
	}
	n.reps++;
	n.last_review = now;
	n.due = now + ivl;
	*out = n;
	if (interval_s != NULL)
		*interval_s = ivl;
}

void
fsrs_preview(const struct fsrs_settings *s, const struct fsrs_card *c,
    int64_t now, uint64_t fuzz_seed, struct fsrs_card out[4])
{
	struct fsrs_card in = *c;	/* out may hold c */

	for (int g = FSRS_AGAIN; g <= FSRS_EASY; g++)
		fsrs_review(s, &in, (enum fsrs_rating)g, now, fuzz_seed,
		    &out[g - 1], NULL);
}
