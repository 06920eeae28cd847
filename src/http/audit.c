/*
 * audit.c - audit events (see audit.h).
 */
#include "http/audit.h"

#include <stdlib.h>
#include <string.h>

#include "http/auth.h"

int
audit_write(struct db *db, struct req *r, const char *org_id,
    const char *actor, const char *action, const char *entity_type,
    const char *entity_id, json_t *old_values, json_t *new_values,
    bool success, const char *error)
{
	char *oldv = old_values ? json_dumps(old_values, JSON_COMPACT) : NULL;
	char *newv = new_values ? json_dumps(new_values, JSON_COMPACT) : NULL;
	const char *params[12] = {
		org_id, actor, action, entity_type, entity_id, oldv, newv,
		req_client_ip(r), req_user_agent(r), r->id,
		success ? "true" : "false", error,
	};
	PGresult *res = db_query(db, "audit_insert", 12, params);

	json_decref(old_values);
	json_decref(new_values);
	free(oldv);
	free(newv);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* The items of list (objects) with only the comma-separated fields (a
 * field an item lacks stays out). */
static json_t *
pick_items(json_t *list, const char *fields)
{
	json_t *out = json_array(), *item;
	size_t i;

	json_array_foreach(list, i, item) {
		json_t *o;
		const char *f = fields;

		if (!json_is_object(item)) {
			json_array_append(out, item);
			continue;
		}
		o = json_object();
		while (*f) {
			size_t n = strcspn(f, ",");
			char name[64];

			if (n > 0 && n < sizeof(name)) {
				memcpy(name, f, n);
				name[n] = '\0';
				json_object_set(o, name, json_object_get(item,
				    name));
			}
			f += n + (f[n] == ',');
		}
		json_array_append_new(out, o);
	}
	return out;
}

json_t *
audit_pick(const char *doc, const char *const *keep)
{
	json_t *all, *out;

	if (doc == NULL || (all = json_loads(doc, 0, NULL)) == NULL)
		return NULL;
	if (!json_is_object(all)) {
		json_decref(all);
		return NULL;
	}
	out = json_object();
	for (int i = 0; keep[i]; i++) {
		const char *colon = strchr(keep[i], ':');
		char key[64];
		size_t n = colon ? (size_t)(colon - keep[i]) : strlen(keep[i]);
		json_t *v;

		if (n >= sizeof(key))
			continue;
		memcpy(key, keep[i], n);
		key[n] = '\0';
		if ((v = json_object_get(all, key)) == NULL)
			continue;
		if (colon && json_is_array(v))
			json_object_set_new(out, key, pick_items(v, colon + 1));
		else
			json_object_set(out, key, v);
	}
	json_decref(all);
	return out;
}

int
audit_change(struct db *db, struct req *r, const char *action,
    const char *entity_type, const char *entity_id, const char *old_doc,
    const char *new_doc, const char *const *keep)
{
	json_t *oldv = audit_pick(old_doc, keep);
	json_t *newv = audit_pick(new_doc, keep);

	if (oldv && newv && json_equal(oldv, newv)) {
		json_decref(oldv);
		json_decref(newv);
		return 0;
	}
	return audit_write(db, r, r->user->org_id, r->user->user_id, action,
	    entity_type, entity_id, oldv, newv, true, NULL);
}
