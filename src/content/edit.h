/*
 * edit.h - one authoring change, as every authoring route makes it: lock
 * the course or lesson, check the caller may change it (an admin, the
 * course's owner or a collaborator) and that If-Match names the current
 * version, apply the change, and answer with the item and its new ETag.
 * A change with an audit action leaves an audit event with the item's
 * fields before and after it.
 */
#ifndef LUDUS_CONTENT_EDIT_H
#define LUDUS_CONTENT_EDIT_H

#include <stdbool.h>

#include "db/db.h"
#include "http/request.h"

enum target { T_COURSE, T_LESSON };

/* One authoring change: what it is about, and what to do in the lock. */
struct edit {
	struct req *r;
	enum target target;
	const char *id;      /* course or lesson id */
	const char *course;  /* filled from the lesson */
	long version;        /* current */
	bool deleted;
	int (*apply)(struct db *db, struct edit *e);
	const char *const *params; /* for apply */
	int nparams;
	const char *query;
	bool allow_deleted;  /* restore */
	bool touch;          /* a change inside the course: new version */
	void *arg;           /* for apply */
	char *out;           /* what apply answers, instead of the item */
	char *json;
	long new_version;
	const char *audit;   /* the audit action ("course.updated"), or NULL */
};

/* The fields of a course and of a lesson that audit events keep. */
extern const char *const content_audit_course[];
extern const char *const content_audit_lesson[];

/* The db_tx_fn of a change (arg: struct edit). */
int edit_tx(struct db *db, void *arg);
/* An apply that runs e->query with e->params. */
int apply_query(struct db *db, struct edit *e);
/*
 * Inside a change of lesson e->id (edit_tx): its content (content, the
 * lesson's content JSON as text) with markdown as its text, the HTML and
 * the reading time made again, the earlier version kept (api_lessons.c).
 * 0, 1 after a 422 (too long), -1.
 */
int lesson_apply_markdown(struct db *db, struct edit *e, const char *content,
    const char *markdown);
/* Answers a database error of a change (slug taken, a cycle, ...). */
void edit_failed(struct req *r, struct db *db, enum db_status st);
/* Runs the change and answers status with the item and its ETag. */
void run_edit(struct req *r, struct edit *e, int status);
/*
 * The course of a live unit, for a change through the course; NULL after
 * answering 404 or 503.
 */
const char *content_unit_course(struct req *r, const char *unit);

#endif
