/*
 * rules.c - field rules for accounts.
 */
#include "identity/rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *
rules_email(const char *email)
{
	const char *at = strchr(email, '@');
	size_t n = strlen(email);

	if (n < 3 || n > 254)
		return "must be 3 to 254 characters";
	if (at == NULL || at == email || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return "must be an email address such as name@example.com";
	for (const unsigned char *p = (const unsigned char *)email; *p; p++) {
		if (isspace(*p) || iscntrl(*p))
			return "must not contain spaces or control characters";
		/* Unicode spaces: U+00A0, U+1680, U+2000..U+200B, U+2028,
		 * U+2029, U+202F, U+205F, U+3000, U+FEFF. */
		if ((p[0] == 0xc2 && p[1] == 0xa0) ||
		    (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80) ||
		    (p[0] == 0xe2 && p[1] == 0x80 && (p[2] <= 0x8b ||
		    p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf)) ||
		    (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) ||
		    (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) ||
		    (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf))
			return "must not contain spaces or control characters";
	}
	if (strchr(at + 1, '.') == NULL || at[strlen(at) - 1] == '.')
		return "must have a domain such as example.com";
	/* Anonymized accounts get addresses there; .invalid never delivers. */
	if (strlen(at + 1) >= 7 &&
	    strcasecmp(at + 1 + strlen(at + 1) - 7, "invalid") == 0)
		return "must have a domain that receives mail";
	return NULL;
}

const char *
rules_username(const char *u)
{
	size_t n = strlen(u);

	if (n < USERNAME_MIN || n > USERNAME_MAX)
		return "must be 3 to 32 characters";
	if (!(isalnum((unsigned char)u[0]) || u[0] == '_'))
		return "must start with a letter, a digit or _";
	for (const char *p = u; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.' ||
		    *p == '-') || (unsigned char)*p >= 0x80)
			return "may hold only letters, digits, '_', '.' and '-'";
	/* Anonymized accounts are renamed deleted_<id>. */
	if (strncasecmp(u, "deleted_", 8) == 0)
		return "must not start with deleted_";
	return NULL;
}

/*
 * The most used passwords in public breach compilations, lowercase and
 * sorted for bsearch.  Only those long enough to pass the length rule
 * matter; shorter ones are refused by length anyway.
 */
static const char *const common[] = {
	"0123456789", "1111111111", "1234567890", "1234567890q", "12345678910",
	"123456789a", "123456789q", "123qweasdzxc", "1q2w3e4r5t",
	"1q2w3e4r5t6y", "1qaz2wsx3edc", "abc1234567", "abcd123456",
	"abcdefghij", "administrator", "asdfghjkl1", "asdfghjkl;",
	"baseball123", "basketball", "changeme123", "charlie123",
	"computer123", "dragon1234", "football123", "iloveyou12",
	"iloveyou123", "letmein123", "liverpool1", "loveyou123", "master1234",
	"michael123", "monkey1234", "mustang123", "network123", "networking",
	"p@ssw0rd123", "p@ssword123", "pass123456", "pass@word1", "passw0rd12",
	"passw0rd123", "password01", "password1!", "password11", "password12",
	"password123", "password1234", "password12345", "password2024",
	"password2025", "password2026", "password@1", "password@123",
	"princess12", "q1w2e3r4t5", "q1w2e3r4t5y6", "qazwsxedc1",
	"qazwsxedcrfv", "qwerty1234", "qwerty12345", "qwerty123456",
	"qwertyuiop", "qwertyuiop1", "shadow1234", "starwars12", "sunshine12",
	"superman12", "trustno1trustno1", "welcome123", "welcome1234",
	"zaq12wsxcde", "zxcvbnm123",
};

static int
cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool
rules_common_password(const char *password)
{
	char lower[PASSWORD_MAX + 1];
	size_t n = strlen(password);
	bool same = true;

	if (n > PASSWORD_MAX)
		return false;
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)password[i]);
	/* One character repeated ("aaaaaaaaaa") is as weak as any listed. */
	for (size_t i = 1; i < n; i++)
		if (lower[i] != lower[0])
			same = false;
	if (same)
		return true;
	return bsearch(lower, common, sizeof(common) / sizeof(common[0]),
	    sizeof(common[0]), cmp) != NULL;
}

const char *
rules_password(const char *password, const char *username, const char *email)
{
	size_t n = strlen(password);

	if (n < PASSWORD_MIN)
		return "must be at least 10 characters";
	if (n > PASSWORD_MAX)
		return "must be at most 72 bytes";
	if (rules_common_password(password))
		return "is one of the most common passwords; choose another";
	if (username != NULL && strcasecmp(password, username) == 0)
		return "must not be the username";
	if (email != NULL) {
		const char *at = strchr(email, '@');
		size_t local = at ? (size_t)(at - email) : strlen(email);

		if (strcasecmp(password, email) == 0 ||
		    (local == n && strncasecmp(password, email, n) == 0))
			return "must not be the email address";
	}
	return NULL;
}

const char *
rules_timezone(const char *tz)
{
	const char *slash = strchr(tz, '/');
	size_t n = strlen(tz);

	if (strcmp(tz, "UTC") == 0 || strcmp(tz, "GMT") == 0)
		return NULL;
	if (n < 3 || n > 64 || slash == NULL || !isupper((unsigned char)tz[0]))
		return "must be an IANA time zone such as Europe/Berlin or UTC";
	/* The area ("Europe") has letters, '_' and '-' only. */
	for (const char *p = tz; p < slash; p++)
		if (!(isalpha((unsigned char)*p) || *p == '_' || *p == '-'))
			return "must be an IANA time zone such as "
			    "Europe/Berlin or UTC";
	for (const char *p = tz; *p; p++) {
		if (*p == '/' && (p[1] == '\0' || p[1] == '/'))
			return "must be an IANA time zone such as "
			    "Europe/Berlin or UTC";
		if (!(isalnum((unsigned char)*p) || *p == '/' || *p == '_' ||
		    *p == '-' || *p == '+') || (unsigned char)*p >= 0x80)
			return "must be an IANA time zone such as "
			    "Europe/Berlin or UTC";
	}
	return NULL;
}

const char *
rules_url(const char *url)
{
	size_t n = strlen(url);

	if (n > 500)
		return "must be at most 500 characters";
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return "must start with https:// or http://";
	{
		const char *host = strstr(url, "://") + 3;

		if (*host == '\0' || *host == '/' || *host == ':')
			return "must name a host";
	}
	for (const char *p = url; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p) ||
		    *p == '"' || *p == '<' || *p == '>')
			return "must not contain spaces, quotes or angle brackets";
	return NULL;
}

const char *
rules_locale(const char *l)
{
	if (strlen(l) == 2 && islower((unsigned char)l[0]) &&
	    islower((unsigned char)l[1]))
		return NULL;
	if (strlen(l) == 5 && islower((unsigned char)l[0]) &&
	    islower((unsigned char)l[1]) && l[2] == '-' &&
	    isupper((unsigned char)l[3]) && isupper((unsigned char)l[4]))
		return NULL;
	return "must be a language code such as en or en-US";
}

bool
rules_email_domain_in(const char *email, const char *domains)
{
	const char *at = email ? strrchr(email, '@') : NULL;
	const char *s = domains;
	size_t n;

	if (at == NULL || s == NULL || *s++ != '{')
		return false;
	at++;
	n = strlen(at);
	while (*s != '\0' && *s != '}') {
		size_t len = strcspn(s, ",}");
		const char *d = s;

		/* PostgreSQL quotes no domain name; be lenient anyway. */
		if (len >= 2 && d[0] == '"' && d[len - 1] == '"') {
			d++;
			len -= 2;
		}
		if (len == n && strncasecmp(d, at, n) == 0)
			return true;
		s += strcspn(s, ",}");
		if (*s == ',')
			s++;
	}
	return false;
}

const char *
rules_domain(const char *s)
{
	size_t label = 0, labels = 0, n = strlen(s);
	const char *last = s;

	if (n < 4 || n > 253)
		return "must be a domain name such as example.edu";
	for (const char *p = s; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-' ||
			    *last == '-')
				return "must be a domain name such as "
				    "example.edu";
			labels++;
			if (*p == '\0')
				break;
			label = 0;
			last = p + 1;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return "must be a lowercase domain name such as "
			    "example.edu";
		label++;
	}
	/* The last label is the top-level domain: letters only. */
	for (const char *p = last; *p; p++)
		if (!(*p >= 'a' && *p <= 'z'))
			return "must end in a top-level domain such as .edu";
	return labels >= 2 && label >= 2 ? NULL : "must be a domain name such "
	    "as example.edu";
}

const char *
rules_language(const char *s)
{
	bool ok = strlen(s) == 2 || (strlen(s) == 5 && s[2] == '-' &&
	    s[3] >= 'A' && s[3] <= 'Z' && s[4] >= 'A' && s[4] <= 'Z');

	ok = ok && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z';
	return ok ? NULL : "must be a language code such as en or pt-BR";
}

const char *
rules_slug(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > 63)
		return "must be 2 to 63 characters";
	for (size_t i = 0; i < n; i++) {
		bool alnum = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9');

		if (!alnum && !(s[i] == '-' && i > 0 && i + 1 < n &&
		    s[i - 1] != '-'))
			return "must be lowercase letters and digits, in words "
			    "joined by single hyphens (acme-school)";
	}
	return NULL;
}
