/*
 * audit.h - writing the audit trail, for every module: security and admin
 * changes and content changes, each with its old and new values.  It sits
 * in http because an event belongs to a request (the client's address,
 * user agent and request id go with it).  It names no module: the one
 * query it runs, audit_insert, sits with the audit trail's other queries in
 * sql/queries/identity.sql (queries are found by name).
 */
#ifndef LUDUS_HTTP_AUDIT_H
#define LUDUS_HTTP_AUDIT_H

#include <stdbool.h>

#include <jansson.h>

#include "db/db.h"
#include "http/request.h"

/*
 * Writes an audit event for request r: the client's address, user agent
 * and request id are added.  old_values and new_values are JSON objects or
 * NULL; audit_write takes them over (pass json_pack(...) straight in).
 * 0, or -1 with db->status set.
 */
int audit_write(struct db *db, struct req *r, const char *org_id,
    const char *actor, const char *action, const char *entity_type,
    const char *entity_id, json_t *old_values, json_t *new_values,
    bool success, const char *error);

/*
 * The values to audit from doc, a JSON object as text (NULL gives NULL):
 * the keys named in the NULL-terminated keep.  "units:id,title" keeps the
 * key units and, when it is a list of objects, only their id and title.
 * A new object, or NULL when doc is not an object.
 */
json_t *audit_pick(const char *doc, const char *const *keep);

/*
 * The same event for a change by r's user in their organization, with the
 * values picked from old_doc and new_doc (either may be NULL).  Nothing is
 * written when both are given and the picked values are equal.
 */
int audit_change(struct db *db, struct req *r, const char *action,
    const char *entity_type, const char *entity_id, const char *old_doc,
    const char *new_doc, const char *const *keep);

#endif
