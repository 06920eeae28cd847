/*
 * material.c - a card accepted from a study material (src/materials)
 * becomes a note of the material's deck, scheduled like every other.
 */
#include <stdio.h>
#include <string.h>

#include "flashcards/cloze.h"
#include "flashcards/flashcards.h"

/* The note's ordinals as an integer[] literal: basic {0}, cloze its
 * deletions; false when a cloze text has none. */
static bool
ordinals(const char *kind, const char *front, char *out, size_t len)
{
	int o[CLOZE_MAX], n;
	const char *why;
	size_t at;

	if (strcmp(kind, "cloze") != 0) {
		snprintf(out, len, "{0}");
		return true;
	}
	if ((n = cloze_ordinals(front, o, &why)) <= 0)
		return false;
	at = (size_t)snprintf(out, len, "{");
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%d", i ? "," : "",
		    o[i]);
	if (at < len)
		snprintf(out + at, len - at, "}");
	return at + 1 < len;
}

int
flashcards_material_note(struct db *db, const struct material_note *m,
    char note[37])
{
	const char *dp[5] = {m->user, m->org, m->material, m->course,
	    m->deck_title};
	const char *np[10] = {m->org, NULL, m->kind, m->front, m->back, NULL,
	    NULL, m->user, NULL, NULL};
	char deck[37], ords[CLOZE_MAX * 4 + 4];
	PGresult *res;

	if (!ordinals(m->kind, m->front, ords, sizeof(ords)))
		return 2;
	if ((res = db_query(db, "fc_material_deck", 5, dp)) == NULL)
		return -1;
	snprintf(deck, sizeof(deck), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	np[1] = deck;
	if ((res = db_query(db, "fc_note_insert", 10, np)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	snprintf(note, 37, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	{
		const char *sp[4] = {note, m->org, deck, ords};

		if ((res = db_query(db, "fc_cards_sync", 4, sp)) == NULL)
			return -1;
		PQclear(res);
	}
	return 0;
}
