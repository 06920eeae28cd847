/*
 * perm.c - permission codes and bits.
 */
#include "core/perm.h"

#include <string.h>

static const char *const names[PERM_COUNT] = {
	"account.self", "learn", "user.lookup", "course.author",
	"question.manage", "content.all", "grade.write", "analytics.read",
	"user.manage", "role.manage", "org.manage", "audit.read", "jobs.all",
	"token.create",
};

const char *
perm_name(unsigned perm)
{
	for (int i = 0; i < PERM_COUNT; i++)
		if (perm == 1u << i)
			return names[i];
	return NULL;
}

static unsigned
parse_n(const char *s, size_t n)
{
	for (int i = 0; i < PERM_COUNT; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return 1u << i;
	return 0;
}

unsigned
perm_parse(const char *code)
{
	return code != NULL ? parse_n(code, strlen(code)) : 0;
}

void
perm_array(unsigned set, char *buf, size_t size)
{
	size_t n = 0;

	if (size < 3)
		return;
	buf[n++] = '{';
	for (int i = 0; i < PERM_COUNT; i++) {
		size_t len = strlen(names[i]);

		if (!(set & 1u << i) || n + len + 3 > size)
			continue;
		if (n > 1)
			buf[n++] = ',';
		memcpy(buf + n, names[i], len);
		n += len;
	}
	buf[n++] = '}';
	buf[n] = '\0';
}

unsigned
perm_parse_array(const char *literal)
{
	unsigned set = 0;
	const char *s = literal;

	if (s == NULL || *s++ != '{')
		return 0;
	while (*s != '\0' && *s != '}') {
		size_t n = strcspn(s, ",}");

		/* An element may come in double quotes (never with escapes:
		 * codes hold none of the characters that need them). */
		if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
			set |= parse_n(s + 1, n - 2);
		else
			set |= parse_n(s, n);
		s += n;
		if (*s == ',')
			s++;
	}
	return set;
}
