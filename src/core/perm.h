/*
 * perm.h - permissions: what a role lets its members do.
 *
 * Permissions are data (the table permissions, migration 0016) with a fixed
 * list of codes that the routes name; a role is a set of them, kept per
 * organization (roles, role_permissions).  Here each code is a bit, so that
 * a request checks its route's permission against the session's set with
 * one AND.  The list must match the table: tests/sql/0016_roles.sql and
 * tests/unit/test_perm.c hold them together.
 */
#ifndef LUDUS_CORE_PERM_H
#define LUDUS_CORE_PERM_H

#include <stddef.h>

enum perm {
	PERM_ACCOUNT = 1u << 0,         /* account.self */
	PERM_LEARN = 1u << 1,           /* learn */
	PERM_USER_LOOKUP = 1u << 2,     /* user.lookup */
	PERM_COURSE_AUTHOR = 1u << 3,   /* course.author */
	PERM_QUESTION_MANAGE = 1u << 4, /* question.manage */
	PERM_CONTENT_ALL = 1u << 5,     /* content.all */
	PERM_GRADE_WRITE = 1u << 6,     /* grade.write */
	PERM_ANALYTICS_READ = 1u << 7,  /* analytics.read */
	PERM_USER_MANAGE = 1u << 8,     /* user.manage */
	PERM_ROLE_MANAGE = 1u << 9,     /* role.manage */
	PERM_ORG_MANAGE = 1u << 10,     /* org.manage */
	PERM_AUDIT_READ = 1u << 11,     /* audit.read */
	PERM_JOBS_ALL = 1u << 12,       /* jobs.all */
	PERM_TOKEN_CREATE = 1u << 13,   /* token.create */
};

#define PERM_COUNT 14

/* The code of a single permission bit ("course.author"); NULL otherwise. */
const char *perm_name(unsigned perm);
/* The bit of a code; 0 for an unknown one. */
unsigned perm_parse(const char *code);
/* "{account.self,learn}": set as a PostgreSQL text array literal. */
#define PERM_ARRAY_MAX 256
void perm_array(unsigned set, char *buf, size_t size);
/*
 * The set named by a PostgreSQL text array literal ("{learn,user.lookup}"),
 * as bits; codes this build does not know are skipped.
 */
unsigned perm_parse_array(const char *literal);

#endif
