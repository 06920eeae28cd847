/*
 * optimize.c - fitting the FSRS-6 parameters (optimize.h).
 *
 * The loss is computed twice, on purpose.  fsrs_log_loss() replays each
 * card with the scheduler's own fsrs_memory_step(): that is the number a
 * fit is judged by, so a fit can never describe another model than the
 * one that schedules.  The gradient replays the same formulas on dual
 * numbers (a value and its 21 partial derivatives, carried through every
 * operation): exact, and one pass where central differences would need
 * 42.  tests/unit/test_optimize.c checks the two against each other, the
 * value to rounding and the gradient against central differences.
 *
 * The method follows fsrs-rs (src/training.rs, src/parameter_clipper.rs),
 * written anew: Adam (learning rate 0.04, epsilon 1e-8) on mini-batches
 * of about 512 scored reviews, 5 epochs, the learning rate on a cosine
 * from 0.04 to 0 over all the steps, the parameters clamped after every
 * step, an L2 pull toward the defaults weighted by fsrs-rs's spread of
 * each parameter across learners, and the best epoch kept.  Where this
 * differs: the four initial stabilities (0.001 to 100 days) move in the
 * logarithm, so that a step is a ratio, instead of being fitted
 * beforehand as fsrs-rs's pretraining does; and reviews are not weighted
 * by recency.
 */
#include "core/util.h"
#include "flashcards/optimize.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define NP FSRS_NPARAMS
#define R_MIN 0.0001		/* R is kept within R_MIN .. 1 - R_MIN */
#define ADAM_B1 0.9
#define ADAM_B2 0.999
#define ADAM_EPS 1e-8

/*
 * fsrs-rs's PARAMS_STDDEV (src/training.rs): how much each parameter
 * varies across learners.  The pull toward the defaults divides by its
 * square, so a parameter that learners share moves only on much evidence.
 */
static const double params_stddev[NP] = {
	6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33,
	0.3, 0.09, 0.16, 0.57, 0.25, 1.03, 0.31, 0.32, 0.14, 0.27
};

void
fsrs_optimize_defaults(struct fsrs_optimize_options *o)
{
	o->epochs = 5;
	o->batch_reviews = 512;
	o->learning_rate = 0.04;
	o->gamma = 1.0;
	o->seed = 2023;
}

/* Whole days, as the scheduler counts them. */
static double
whole_days(double elapsed)
{
	return floor(elapsed);
}

static bool
review_ok(const struct fsrs_review_item *r)
{
	return r->rating >= FSRS_AGAIN && r->rating <= FSRS_EASY &&
	    isfinite(r->elapsed_days) && r->elapsed_days >= 0;
}

long
fsrs_scored_reviews(const struct fsrs_history *h, size_t n)
{
	long count = 0;

	for (size_t c = 0; c < n; c++) {
		if (h[c].n < 0 || (h[c].n > 0 && h[c].reviews == NULL))
			return -1;
		for (int i = 0; i < h[c].n; i++) {
			const struct fsrs_review_item *r = &h[c].reviews[i];

			if (!review_ok(r))
				return -1;
			if (i > 0 && whole_days(r->elapsed_days) >= 1)
				count++;
		}
	}
	return count;
}

/* The log loss of predicting r for a review recalled or not. */
static double
bce(double r, bool recalled)
{
	r = r < R_MIN ? R_MIN : r > 1.0 - R_MIN ? 1.0 - R_MIN : r;
	return recalled ? -log(r) : -log(1.0 - r);
}

double
fsrs_log_loss(const double w[FSRS_NPARAMS], const struct fsrs_history *h,
    size_t n)
{
	struct fsrs_settings s;
	double sum = 0.0;
	long count;

	count = fsrs_scored_reviews(h, n);
	if (count <= 0)
		return NAN;
	fsrs_defaults(&s);
	memcpy(s.w, w, sizeof(s.w));
	for (size_t c = 0; c < n; c++) {
		double st = 0.0, d = 0.0;

		for (int i = 0; i < h[c].n; i++) {
			const struct fsrs_review_item *r = &h[c].reviews[i];
			double t = whole_days(r->elapsed_days);

			if (i > 0 && t >= 1)
				sum += bce(fsrs_forgetting_curve(&s, t, st),
				    r->rating > FSRS_AGAIN);
			fsrs_memory_step(&s, &st, &d,
			    (enum fsrs_rating)r->rating, t);
		}
	}
	return sum / (double)count;
}

/*
 * Dual numbers: a value and its gradient in the parameters.  Each
 * operation computes its value as fsrs.c does and its gradient by the
 * chain rule from the partial derivatives it is given.
 */
struct dual {
	double v;
	double g[NP];
};

static struct dual
dconst(double v)
{
	struct dual r;

	memset(&r, 0, sizeof(r));
	r.v = v;
	return r;
}

/* Value v, of partial derivative ca in a. */
static struct dual
chain1(double v, double ca, const struct dual *a)
{
	struct dual r;

	r.v = v;
	for (int i = 0; i < NP; i++)
		r.g[i] = ca * a->g[i];
	return r;
}

/* Value v, of partial derivatives ca in a and cb in b. */
static struct dual
chain2(double v, double ca, const struct dual *a, double cb,
    const struct dual *b)
{
	struct dual r;

	r.v = v;
	for (int i = 0; i < NP; i++)
		r.g[i] = ca * a->g[i] + cb * b->g[i];
	return r;
}

static struct dual
dadd(const struct dual *a, const struct dual *b)
{
	return chain2(a->v + b->v, 1.0, a, 1.0, b);
}

static struct dual
dsub(const struct dual *a, const struct dual *b)
{
	return chain2(a->v - b->v, 1.0, a, -1.0, b);
}

static struct dual
dmul(const struct dual *a, const struct dual *b)
{
	return chain2(a->v * b->v, b->v, a, a->v, b);
}

static struct dual
ddiv(const struct dual *a, const struct dual *b)
{
	return chain2(a->v / b->v, 1.0 / b->v, a, -a->v / (b->v * b->v), b);
}

/* k a + c */
static struct dual
daffine(double k, const struct dual *a, double c)
{
	return chain1(k * a->v + c, k, a);
}

static struct dual
dexp(const struct dual *a)
{
	double e = exp(a->v);

	return chain1(e, e, a);
}

/* a^b, a > 0. */
static struct dual
dpow(const struct dual *a, const struct dual *b)
{
	double p = pow(a->v, b->v);

	return chain2(p, b->v * p / a->v, a, p * log(a->v), b);
}

/* A clamp holds the value: no gradient through it. */
static struct dual
dclamp(const struct dual *a, double lo, double hi)
{
	if (a->v < lo)
		return dconst(lo);
	if (a->v > hi)
		return dconst(hi);
	return *a;
}

/* What every review of one evaluation shares: the parameters' terms. */
struct model {
	struct dual w[NP];	/* w[i], of gradient the unit vector i */
	struct dual neg_w9, neg_w12, neg_w19, neg_w20;
	struct dual factor;	/* F = 0.9^(-1/w20) - 1 */
	struct dual e_w8;	/* e^w8 */
	struct dual e_w17w18;	/* e^(w17 w18) */
	struct dual d0_easy;	/* D0(Easy), unclamped */
	struct dual s0[4];	/* S0(G), clamped */
	struct dual d0[4];	/* D0(G), clamped */
	struct dual st_inc[4];	/* e^(w17 (G - 3 + w18)) */
};

/* D0(G) = w4 - e^(w5 (G - 1)) + 1, unclamped. */
static struct dual
init_difficulty(const struct model *m, int g)
{
	struct dual x = daffine(g - 1, &m->w[5], 0.0);

	x = dexp(&x);
	x = dsub(&m->w[4], &x);
	return daffine(1.0, &x, 1.0);
}

static void
model_init(struct model *m, const double w[NP])
{
	struct dual x;

	for (int i = 0; i < NP; i++) {
		m->w[i] = dconst(w[i]);
		m->w[i].g[i] = 1.0;
	}
	m->neg_w9 = daffine(-1.0, &m->w[9], 0.0);
	m->neg_w12 = daffine(-1.0, &m->w[12], 0.0);
	m->neg_w19 = daffine(-1.0, &m->w[19], 0.0);
	m->neg_w20 = daffine(-1.0, &m->w[20], 0.0);
	/* 0.9^(-1/w20) = e^(-ln 0.9 / w20) */
	x = dconst(-log(0.9));
	x = ddiv(&x, &m->w[20]);
	x = dexp(&x);
	m->factor = daffine(1.0, &x, -1.0);
	m->e_w8 = dexp(&m->w[8]);
	x = dmul(&m->w[17], &m->w[18]);
	m->e_w17w18 = dexp(&x);
	m->d0_easy = init_difficulty(m, FSRS_EASY);
	for (int g = FSRS_AGAIN; g <= FSRS_EASY; g++) {
		m->s0[g - 1] = dclamp(&m->w[g - 1], FSRS_S_MIN, FSRS_S_MAX);
		x = init_difficulty(m, g);
		m->d0[g - 1] = dclamp(&x, 1.0, 10.0);
		x = daffine(1.0, &m->w[18], g - 3);
		x = dmul(&m->w[17], &x);
		m->st_inc[g - 1] = dexp(&x);
	}
}

/* R(t, S) = (1 + F t / S)^-w20 */
static struct dual
curve(const struct model *m, double t, const struct dual *s)
{
	struct dual x = daffine(t, &m->factor, 0.0);

	x = ddiv(&x, s);
	x = daffine(1.0, &x, 1.0);
	return dpow(&x, &m->neg_w20);
}

/* D' = w7 D0(4) + (1 - w7) (D + (10 - D) (-w6 (G - 3)) / 9), 1 .. 10 */
static struct dual
next_difficulty(const struct model *m, const struct dual *d, int g)
{
	struct dual delta = daffine(-(g - 3), &m->w[6], 0.0);
	struct dual room = daffine(-1.0, d, 10.0);
	struct dual x, y;

	x = dmul(&room, &delta);
	x = daffine(1.0 / 9.0, &x, 0.0);
	x = dadd(d, &x);
	y = daffine(-1.0, &m->w[7], 1.0);
	x = dmul(&y, &x);
	y = dmul(&m->w[7], &m->d0_easy);
	x = dadd(&y, &x);
	return dclamp(&x, 1.0, 10.0);
}

/* S' = S (1 + e^w8 (11 - D) S^-w9 (e^(w10 (1 - R)) - 1) h b) */
static struct dual
recall_stability(const struct model *m, const struct dual *d,
    const struct dual *s, const struct dual *r, int g)
{
	struct dual k, x;

	x = daffine(-1.0, d, 11.0);
	k = dmul(&m->e_w8, &x);
	x = dpow(s, &m->neg_w9);
	k = dmul(&k, &x);
	x = daffine(-1.0, r, 1.0);
	x = dmul(&x, &m->w[10]);
	x = dexp(&x);
	x = daffine(1.0, &x, -1.0);
	k = dmul(&k, &x);
	if (g == FSRS_HARD)
		k = dmul(&k, &m->w[15]);
	else if (g == FSRS_EASY)
		k = dmul(&k, &m->w[16]);
	k = daffine(1.0, &k, 1.0);
	k = dmul(s, &k);
	return dclamp(&k, FSRS_S_MIN, FSRS_S_MAX);
}

/*
 * S' = min(w11 D^-w12 ((S + 1)^w13 - 1) e^(w14 (1 - R)), S / e^(w17 w18))
 */
static struct dual
forget_stability(const struct model *m, const struct dual *d,
    const struct dual *s, const struct dual *r)
{
	struct dual lt, cap, x;

	x = dpow(d, &m->neg_w12);
	lt = dmul(&m->w[11], &x);
	x = daffine(1.0, s, 1.0);
	x = dpow(&x, &m->w[13]);
	x = daffine(1.0, &x, -1.0);
	lt = dmul(&lt, &x);
	x = daffine(-1.0, r, 1.0);
	x = dmul(&x, &m->w[14]);
	x = dexp(&x);
	lt = dmul(&lt, &x);
	cap = ddiv(s, &m->e_w17w18);
	return dclamp(lt.v < cap.v ? &lt : &cap, FSRS_S_MIN, FSRS_S_MAX);
}

/* S' = S e^(w17 (G - 3 + w18)) S^-w19, never lower for Good and Easy */
static struct dual
short_term_stability(const struct model *m, const struct dual *s, int g)
{
	struct dual inc, x;

	x = dpow(s, &m->neg_w19);
	inc = dmul(&m->st_inc[g - 1], &x);
	if (g >= FSRS_GOOD && inc.v < 1.0)
		inc = dconst(1.0);
	x = dmul(s, &inc);
	return dclamp(&x, FSRS_S_MIN, FSRS_S_MAX);
}

/*
 * Replays card c: adds its scored reviews' log loss to *sum, its gradient
 * to grad and their number to *count.
 */
static void
card_grad(const struct model *m, const struct fsrs_history *c,
    double *sum, double grad[NP], long *count)
{
	struct dual s, d, r;
	int g;

	if (c->n <= 0)
		return;
	g = c->reviews[0].rating;
	s = m->s0[g - 1];
	d = m->d0[g - 1];
	for (int i = 1; i < c->n; i++) {
		double t = whole_days(c->reviews[i].elapsed_days);

		g = c->reviews[i].rating;
		if (t < 1) {
			s = short_term_stability(m, &s, g);
		} else {
			double dl;

			r = curve(m, t, &s);
			*sum += bce(r.v, g > FSRS_AGAIN);
			(*count)++;
			/* d(-ln R)/dR = -1/R, d(-ln(1 - R))/dR = 1/(1 - R) */
			if (r.v >= R_MIN && r.v <= 1.0 - R_MIN) {
				dl = g > FSRS_AGAIN ? -1.0 / r.v :
				    1.0 / (1.0 - r.v);
				for (int k = 0; k < NP; k++)
					grad[k] += dl * r.g[k];
			}
			s = g == FSRS_AGAIN ? forget_stability(m, &d, &s, &r) :
			    recall_stability(m, &d, &s, &r, g);
		}
		d = next_difficulty(m, &d, g);
	}
}

double
fsrs_log_loss_grad(const double w[FSRS_NPARAMS],
    const struct fsrs_history *h, size_t n, double grad[FSRS_NPARAMS])
{
	struct model m;
	double sum = 0.0, g[NP] = { 0 };
	long count = 0;

	if (fsrs_scored_reviews(h, n) <= 0)
		return NAN;
	model_init(&m, w);
	for (size_t c = 0; c < n; c++)
		card_grad(&m, &h[c], &sum, g, &count);
	for (int i = 0; i < NP; i++)
		grad[i] = g[i] / (double)count;
	return sum / (double)count;
}

/* Fisher-Yates; the modulo's bias is below 2^-40 for any n in memory. */
static void
shuffle(size_t *a, size_t n, uint64_t *state)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(util_splitmix64(state) % i), t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* The pull toward the defaults d, before its weight gamma / reviews. */
static double
penalty(const double w[NP], const double d[NP])
{
	double p = 0.0;

	for (int i = 0; i < NP; i++)
		p += (w[i] - d[i]) * (w[i] - d[i]) /
		    (params_stddev[i] * params_stddev[i]);
	return p;
}

/*
 * Adam works on coordinates u: the logarithm of the initial stabilities
 * w0..w3, the parameter itself otherwise.
 */
static bool
log_coord(int i)
{
	return i < 4;
}

int
fsrs_optimize(const struct fsrs_history *h, size_t n,
    const struct fsrs_optimize_options *opt, double w_out[FSRS_NPARAMS],
    double *loss_before, double *loss_after)
{
	struct fsrs_optimize_options o;
	struct fsrs_settings def;
	struct model m;
	double w[NP], u[NP], best[NP], m1[NP] = { 0 }, m2[NP] = { 0 };
	double before, after, best_obj, weight;
	size_t *order, per_batch;
	long count, steps, step = 0, updates = 0;
	uint64_t rng;

	if (opt == NULL)
		fsrs_optimize_defaults(&o);
	else
		o = *opt;
	if (o.epochs < 1 || o.batch_reviews < 1 ||
	    !(o.learning_rate > 0) || !(o.gamma >= 0))
		return -1;
	count = fsrs_scored_reviews(h, n);
	if (count < FSRS_OPTIMIZE_MIN_REVIEWS)
		return -1;

	fsrs_defaults(&def);
	memcpy(w, def.w, sizeof(w));
	memcpy(best, w, sizeof(best));
	before = fsrs_log_loss(w, h, n);
	weight = o.gamma / (double)count;
	best_obj = before + weight * penalty(w, def.w);
	for (int i = 0; i < NP; i++)
		u[i] = log_coord(i) ? log(w[i]) : w[i];

	/* Batches of whole cards, about batch_reviews scored reviews each. */
	per_batch = (size_t)ceil((double)o.batch_reviews * (double)n /
	    (double)count);
	if (per_batch < 1)
		per_batch = 1;
	steps = (long)o.epochs * (long)((n + per_batch - 1) / per_batch);

	order = xmalloc(n * sizeof(*order));
	for (size_t c = 0; c < n; c++)
		order[c] = c;
	rng = o.seed;
	for (int epoch = 0; epoch < o.epochs; epoch++) {
		double obj;

		shuffle(order, n, &rng);
		for (size_t b = 0; b < n; b += per_batch, step++) {
			double sum = 0.0, g[NP] = { 0 }, lr, b1t, b2t;
			long k = 0;
			bool finite = true;

			model_init(&m, w);
			for (size_t c = b; c < b + per_batch && c < n; c++)
				card_grad(&m, &h[order[c]], &sum, g, &k);
			if (k == 0)
				continue;
			for (int i = 0; i < NP; i++) {
				g[i] = g[i] / (double)k + weight * 2.0 *
				    (w[i] - def.w[i]) /
				    (params_stddev[i] * params_stddev[i]);
				/* dL/d(ln w) = w dL/dw */
				if (log_coord(i))
					g[i] *= w[i];
				finite = finite && isfinite(g[i]);
			}
			if (!finite)
				continue;
			/* Cosine annealing from the learning rate to 0. */
			lr = o.learning_rate * 0.5 *
			    (1.0 + cos(M_PI * (double)step / (double)steps));
			updates++;
			b1t = 1.0 - pow(ADAM_B1, (double)updates);
			b2t = 1.0 - pow(ADAM_B2, (double)updates);
			for (int i = 0; i < NP; i++) {
				m1[i] = ADAM_B1 * m1[i] +
				    (1.0 - ADAM_B1) * g[i];
				m2[i] = ADAM_B2 * m2[i] +
				    (1.0 - ADAM_B2) * g[i] * g[i];
				u[i] -= lr * (m1[i] / b1t) /
				    (sqrt(m2[i] / b2t) + ADAM_EPS);
				w[i] = log_coord(i) ? exp(u[i]) : u[i];
			}
			fsrs_clamp_params(w);
			for (int i = 0; i < NP; i++)
				u[i] = log_coord(i) ? log(w[i]) : w[i];
		}
		obj = fsrs_log_loss(w, h, n) + weight * penalty(w, def.w);
		if (obj < best_obj) {
			best_obj = obj;
			memcpy(best, w, sizeof(best));
		}
	}
	free(order);

	after = fsrs_log_loss(best, h, n);
	if (!(after < before)) {
		memcpy(best, def.w, sizeof(best));
		after = before;
	}
	memcpy(w_out, best, sizeof(best));
	if (loss_before != NULL)
		*loss_before = before;
	if (loss_after != NULL)
		*loss_after = after;
	return 0;
}
