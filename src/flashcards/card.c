/*
 * card.c - the flashcard handlers' shared pieces (card.h).
 */
#include "flashcards/card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/markdown.h"
#include "flashcards/cloze.h"
#include "flashcards/media.h"
#include "http/api.h"

/* A side's HTML, with the deck's media made addresses; NULL when md4c
 * fails. */
static char *
side_html(const char *md, const char *deck)
{
	char *html = markdown_to_html(md, strlen(md)), *out;

	if (html == NULL || deck == NULL)
		return html;
	out = media_html(html, deck);
	free(html);
	return out;
}

int
card_sides(json_t *obj, const char *kind, const char *front,
    const char *back, int ordinal, const char *deck)
{
	char *q, *a, *qh, *ah;
	int k = note_kind_parse(kind), rc = -1;

	if (k < 0 || note_card_sides((enum note_kind)k, front, back, ordinal,
	    &q, &a) != 0)
		return -1;
	qh = side_html(q, deck);
	ah = side_html(a, deck);
	if (qh != NULL && ah != NULL) {
		json_object_set_new(obj, "question_html", json_string(qh));
		json_object_set_new(obj, "answer_html", json_string(ah));
		rc = 0;
	}
	free(q);
	free(a);
	free(qh);
	free(ah);
	return rc;
}

/* "60,600" into steps; how many, or -1. */
static int
steps_read(const char *s, int *steps)
{
	int n = 0;

	while (*s != '\0') {
		char *end;
		long v = strtol(s, &end, 10);

		if (end == s || n == FSRS_MAX_STEPS || v < 1 || v > 86400L * 365)
			return -1;
		steps[n++] = (int)v;
		s = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return -1;
	}
	return n;
}

bool
settings_read(const PGresult *res, struct learner_settings *ls)
{
	struct fsrs_settings *s = &ls->fsrs;
	const char *params = PQgetvalue(res, 0, 10), *p;
	int n;

	memset(ls, 0, sizeof(*ls));
	fsrs_defaults(s);
	s->desired_retention = strtod(PQgetvalue(res, 0, 0), NULL);
	ls->new_per_day = atoi(PQgetvalue(res, 0, 1));
	ls->reviews_per_day = atoi(PQgetvalue(res, 0, 2));
	if ((n = steps_read(PQgetvalue(res, 0, 3), s->learning_steps)) < 0)
		return false;
	s->n_learning_steps = n;
	if ((n = steps_read(PQgetvalue(res, 0, 4), s->relearning_steps)) < 0)
		return false;
	s->n_relearning_steps = n;
	s->max_interval_days = atoi(PQgetvalue(res, 0, 5));
	ls->bury_siblings = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
	ls->load_balance = strcmp(PQgetvalue(res, 0, 7), "t") == 0;
	p = PQgetvalue(res, 0, 8);
	for (int i = 0; i < 7; i++) {
		char *end;

		ls->easy_days[i] = strtod(p, &end);
		if (end == p)
			return false;
		p = *end == ',' ? end + 1 : end;
	}
	/*
	 * Fitted parameters replace the defaults: the learner's own, else
	 * their organization's (fc_settings chooses).
	 */
	if (params[0] != '\0') {
		p = params;
		for (int i = 0; i < FSRS_NPARAMS; i++) {
			char *end;

			s->w[i] = strtod(p, &end);
			if (end == p)
				return false;
			p = *end == ',' ? end + 1 : end;
		}
	}
	snprintf(ls->timezone, sizeof(ls->timezone), "%s",
	    PQgetvalue(res, 0, 13));
	snprintf(ls->day_start, sizeof(ls->day_start), "%s",
	    PQgetvalue(res, 0, 14));
	snprintf(ls->day_end, sizeof(ls->day_end), "%s",
	    PQgetvalue(res, 0, 15));
	ls->now = atoll(PQgetvalue(res, 0, 16));
	return fsrs_settings_check(s) == NULL;
}

void
settings_for_deck(const struct learner_settings *ls, const PGresult *res,
    int row, int col, struct fsrs_settings *out)
{
	*out = ls->fsrs;
	if (!PQgetisnull(res, row, col))
		out->desired_retention = strtod(PQgetvalue(res, row, col),
		    NULL);
	out->fuzz = strcmp(PQgetvalue(res, row, col + 1), "t") == 0;
}

void
card_read(const PGresult *res, int row, int col, struct fsrs_card *c)
{
	c->state = (enum fsrs_state)atoi(PQgetvalue(res, row, col));
	c->step = atoi(PQgetvalue(res, row, col + 1));
	c->stability = strtod(PQgetvalue(res, row, col + 2), NULL);
	c->difficulty = strtod(PQgetvalue(res, row, col + 3), NULL);
	c->due = atoll(PQgetvalue(res, row, col + 4));
	c->last_review = PQgetisnull(res, row, col + 5) ? 0 :
	    atoll(PQgetvalue(res, row, col + 5));
	c->reps = atoi(PQgetvalue(res, row, col + 6));
	c->lapses = atoi(PQgetvalue(res, row, col + 7));
}

unsigned long long
card_seed(const char *card_id, int reps)
{
	unsigned long long h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (const char *p = card_id; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h ^ ((unsigned long long)reps * 0x9e3779b97f4a7c15ULL);
}

const char *
card_state_name(enum fsrs_state s)
{
	static const char *const names[] = {"new", "learning", "review",
	    "relearning"};

	return (unsigned)s < 4 ? names[s] : "new";
}

void
card_time(long long t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *
card_previews(const struct fsrs_settings *s, const struct fsrs_card *c,
    long long now, unsigned long long seed)
{
	struct fsrs_card out[4];
	json_t *a = json_array();

	fsrs_preview(s, c, now, seed, out);
	for (int g = 0; g < 4; g++) {
		char due[32];

		card_time(out[g].due, due);
		json_array_append_new(a, json_pack("{s:i, s:s, s:I, s:s}",
		    "rating", g + 1, "due", due, "interval_seconds",
		    (json_int_t)(out[g].due - now), "state",
		    card_state_name(out[g].state)));
	}
	return a;
}

int
settings_load(struct db *db, struct req *r, struct learner_settings *ls,
    PGresult **keep)
{
	const char *p[2] = {r->user->user_id, r->user->org_id};
	PGresult *res = db_query(db, "fc_settings", 2, p);
	bool ok;

	if (res == NULL)
		return -1;
	ok = settings_read(res, ls);
	if (keep != NULL && ok)
		*keep = res;
	else
		PQclear(res);
	if (!ok) {
		resp_problem(r, 500, "internal", "Your flashcard settings "
		    "cannot be read.");
		return 1;
	}
	return 0;
}

int
card_answer(struct req *r, char **json, json_t *doc, size_t flags)
{
	char *s = doc != NULL ? json_dumps(doc, JSON_COMPACT | flags) : NULL;

	json_decref(doc);
	if (s == NULL)
		return -1;
	*json = arena_strdup(r->arena, s);
	free(s);
	return 0;
}

/* "{60,600}"-like text of a column as a JSON array of numbers. */
json_t *
card_numbers(const char *csv)
{
	json_t *a = json_array();

	while (*csv != '\0') {
		char *end;
		double x = strtod(csv, &end);

		if (end == csv)
			break;
		json_array_append_new(a, x == (long long)x ?
		    json_integer((json_int_t)x) : json_real(x));
		csv = *end == ',' ? end + 1 : end;
	}
	return a;
}
