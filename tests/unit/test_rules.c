/*
 * test_rules.c - the field rules of accounts (src/identity/rules.h):
 * rules_email, rules_username, rules_password with the common-password
 * list and the username/email comparisons, rules_common_password,
 * rules_timezone, rules_url and rules_locale.  Each rule returns NULL for a
 * good value and a message for a bad one; the messages themselves are not
 * pinned down, only that there is one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "identity/rules.h"

/* s filled with n copies of c, then the tail (which may be ""). */
static char *
fill(char *s, char c, size_t n, const char *tail)
{
	memset(s, c, n);
	strcpy(s + n, tail);
	return s;
}

/* ---- rules_email ----------------------------------------------------- */

static void
email_valid(void **state)
{
	(void)state;
	assert_null(rules_email("name@example.com"));
	assert_null(rules_email("a@b.c"));
	assert_null(rules_email("first.last+tag@sub.example.org"));
	assert_null(rules_email("Mixed.Case@Example.TEST"));
	assert_null(rules_email("admin@network.test"));
}

static void
email_at_signs(void **state)
{
	(void)state;
	assert_non_null(rules_email("no-at-sign.example.com"));
	assert_non_null(rules_email("two@at@example.com"));
	assert_non_null(rules_email("two@@example.com"));
	assert_non_null(rules_email("@example.com"));
	assert_non_null(rules_email("local@"));
}

static void
email_domain(void **state)
{
	(void)state;
	assert_non_null(rules_email("name@localhost"));
	assert_non_null(rules_email("name@example."));
	assert_non_null(rules_email("name@example.com."));
}

static void
email_spaces_and_controls(void **state)
{
	(void)state;
	assert_non_null(rules_email("na me@example.com"));
	assert_non_null(rules_email(" name@example.com"));
	assert_non_null(rules_email("name@example.com "));
	assert_non_null(rules_email("name@exa mple.com"));
	assert_non_null(rules_email("na\tme@example.com"));
	assert_non_null(rules_email("name@example.com\n"));
	assert_non_null(rules_email("na\x01me@example.com"));
	assert_non_null(rules_email("name@exam\x7fple.com"));
	assert_non_null(rules_email("name\r@example.com"));
}

static void
email_length(void **state)
{
	char s[400];

	(void)state;
	/* 250 + "@b.c" = 254: the longest accepted. */
	assert_null(rules_email(fill(s, 'a', 250, "@b.c")));
	assert_int_equal(strlen(s), 254);
	assert_non_null(rules_email(fill(s, 'a', 251, "@b.c")));
	assert_non_null(rules_email(fill(s, 'a', 300, "@example.com")));
	assert_non_null(rules_email("a@"));
	assert_non_null(rules_email("@"));
	assert_non_null(rules_email(""));
}

/* ---- rules_username -------------------------------------------------- */

static void
username_length(void **state)
{
	char s[64];

	(void)state;
	assert_null(rules_username("abc"));
	assert_null(rules_username(fill(s, 'u', 32, "")));
	assert_non_null(rules_username("ab"));
	assert_non_null(rules_username(""));
	assert_non_null(rules_username(fill(s, 'u', 33, "")));
}

static void
username_allowed_characters(void **state)
{
	(void)state;
	assert_null(rules_username("sarah_network"));
	assert_null(rules_username("_a.b-c_D9"));
	assert_null(rules_username("9lives"));
	assert_null(rules_username("Jane.Doe-2"));
	assert_non_null(rules_username("has space"));
	assert_non_null(rules_username("at@sign"));
	assert_non_null(rules_username("slash/y"));
	assert_non_null(rules_username("plus+one"));
	assert_non_null(rules_username("tab\there"));
	assert_non_null(rules_username("quote'd"));
}

static void
username_leading_dot_or_dash_refused(void **state)
{
	(void)state;
	assert_non_null(rules_username(".dotfirst"));
	assert_non_null(rules_username("-dashfirst"));
	/* Inside or at the end they are fine. */
	assert_null(rules_username("dot.inside"));
	assert_null(rules_username("dashlast-"));
	assert_null(rules_username("dotlast."));
}

static void
username_non_ascii_refused(void **state)
{
	(void)state;
	assert_non_null(rules_username("j\xc3\xbcrgen"));      /* jürgen */
	assert_non_null(rules_username("\xc3\xa9mile"));       /* émile */
	assert_non_null(rules_username("abc\xe2\x80\x8b"));    /* ZWSP */
	assert_non_null(rules_username("\xd0\xb0\xd0\xb1\xd0\xb2")); /* абв */
	assert_non_null(rules_username("abc\xff"));
}

/* ---- rules_password -------------------------------------------------- */

static void
password_length(void **state)
{
	char s[128];

	(void)state;
	assert_non_null(rules_password("", NULL, NULL));
	assert_non_null(rules_password("Xk3#vq9Lm", NULL, NULL)); /* 9 */
	assert_null(rules_password("Xk3#vq9Lmp", NULL, NULL));    /* 10 */
	/* 72 bytes: bcrypt's limit, accepted. */
	assert_null(rules_password(fill(s, 'x', 71, "Y"), NULL, NULL));
	assert_int_equal(strlen(s), 72);
	assert_non_null(rules_password(fill(s, 'x', 72, "Y"), NULL, NULL));
	assert_int_equal(strlen(s), 73);
	assert_non_null(rules_password(fill(s, 'x', 100, "Y"), NULL, NULL));
}

static void
password_length_counts_bytes(void **state)
{
	char s[128];
	size_t n = 0;

	(void)state;
	/* 24 three-byte characters are 72 bytes; 25 are 75 and too long. */
	for (int i = 0; i < 24; i++) {
		memcpy(s + n, "\xe2\x82\xac", 3); /* € */
		n += 3;
	}
	s[n] = '\0';
	assert_null(rules_password(s, NULL, NULL));
	memcpy(s + n, "\xe2\x82\xac", 4);
	assert_non_null(rules_password(s, NULL, NULL));
}

static void
password_common_refused(void **state)
{
	(void)state;
	assert_non_null(rules_password("password123", NULL, NULL));
	assert_non_null(rules_password("PassWord123", NULL, NULL));
	assert_non_null(rules_password("PASSWORD123", NULL, NULL));
	assert_non_null(rules_password("qwertyuiop", NULL, NULL));
	assert_non_null(rules_password("QwertyUiop", NULL, NULL));
	assert_non_null(rules_password("1234567890", NULL, NULL));
	assert_non_null(rules_password("iloveyou123", NULL, NULL));
}

static void
password_repeated_character_refused(void **state)
{
	char s[128];

	(void)state;
	assert_non_null(rules_password("aaaaaaaaaaaa", NULL, NULL));
	assert_non_null(rules_password("aAaAaAaAaAaA", NULL, NULL));
	assert_non_null(rules_password("..........", NULL, NULL));
	assert_non_null(rules_password(fill(s, 'z', 72, ""), NULL, NULL));
	/* One character different is no longer "the same character". */
	assert_null(rules_password("aaaaaaaaaaab", NULL, NULL));
}

static void
password_equal_to_username(void **state)
{
	(void)state;
	assert_non_null(rules_password("sarah_network", "sarah_network",
	    "student1@network.test"));
	assert_non_null(rules_password("SARAH_Network", "sarah_network",
	    NULL));
	assert_non_null(rules_password("sarah_network", "Sarah_Network",
	    NULL));
	/* Containing the username is allowed; only equality is refused. */
	assert_null(rules_password("sarah_network!", "sarah_network", NULL));
}

static void
password_equal_to_email(void **state)
{
	(void)state;
	/* The whole address. */
	assert_non_null(rules_password("student1@network.test", "sarah",
	    "student1@network.test"));
	assert_non_null(rules_password("Student1@Network.TEST", NULL,
	    "student1@network.test"));
	/* Its local part, any case. */
	assert_non_null(rules_password("verylongname", NULL,
	    "verylongname@example.com"));
	assert_non_null(rules_password("VeryLongName", NULL,
	    "verylongname@example.com"));
	assert_non_null(rules_password("verylongname", NULL,
	    "VERYLONGNAME@example.com"));
	/* A prefix or an extension of the local part is fine. */
	assert_null(rules_password("verylongnam", NULL,
	    "verylongname@example.com"));
	assert_null(rules_password("verylongname1", NULL,
	    "verylongname@example.com"));
	/* The domain alone is fine. */
	assert_null(rules_password("example.com", NULL,
	    "verylongname@example.com"));
}

static void
password_null_username_and_email(void **state)
{
	(void)state;
	assert_null(rules_password("correct horse battery", NULL, NULL));
	assert_null(rules_password("correct horse battery", "horse", NULL));
	assert_null(rules_password("correct horse battery", NULL,
	    "horse@example.com"));
	assert_null(rules_password("correct horse battery", "horse",
	    "horse@example.com"));
	/* An email without @: the whole of it counts as the local part. */
	assert_non_null(rules_password("notanaddress", NULL, "notanaddress"));
}

/* ---- rules_common_password ------------------------------------------- */

/*
 * A copy of the list in rules.c, written out by hand, so that every entry
 * is checked to be found (the list is searched with bsearch: a word out of
 * order would be missed).
 */
static const char *const listed[] = {
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

static void
common_every_listed_word_found(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		if (!rules_common_password(listed[i]))
			fail_msg("\"%s\" is not found", listed[i]);
		/* Each is at least PASSWORD_MIN long, so it matters. */
		assert_true(strlen(listed[i]) >= PASSWORD_MIN);
		/* And rules_password refuses it. */
		assert_non_null(rules_password(listed[i], NULL, NULL));
	}
}

static void
common_found_in_any_case(void **state)
{
	(void)state;
	assert_true(rules_common_password("PassWord123"));
	assert_true(rules_common_password("PASSWORD123"));
	assert_true(rules_common_password("QWERTYUIOP"));
	assert_true(rules_common_password("Administrator"));
	assert_true(rules_common_password("TrustNo1TrustNo1"));
	assert_true(rules_common_password("P@SSW0RD123"));
}

static void
common_repeated_character(void **state)
{
	(void)state;
	assert_true(rules_common_password("aaaaaaaaaaaa"));
	assert_true(rules_common_password("AAAAAAAAAAAA"));
	assert_true(rules_common_password("0000000000"));
}

static void
common_strong_not_found(void **state)
{
	char s[128];

	(void)state;
	assert_false(rules_common_password("correct horse battery staple"));
	assert_false(rules_common_password("Xk3#vq9Lmp!2"));
	assert_false(rules_common_password("password1234567")); /* unlisted */
	assert_false(rules_common_password("password12 "));
	assert_false(rules_common_password(" password123"));
	/* Longer than PASSWORD_MAX: not on any list. */
	assert_false(rules_common_password(fill(s, 'q', 71, "we")));
}

/* ---- rules_timezone -------------------------------------------------- */

static void
timezone_valid(void **state)
{
	(void)state;
	assert_null(rules_timezone("UTC"));
	assert_null(rules_timezone("GMT"));
	assert_null(rules_timezone("Europe/Berlin"));
	assert_null(rules_timezone("America/Argentina/Buenos_Aires"));
	assert_null(rules_timezone("Etc/GMT+5"));
	assert_null(rules_timezone("Etc/GMT-14"));
	assert_null(rules_timezone("America/Port-au-Prince"));
	assert_null(rules_timezone("Asia/Tokyo"));
}

static void
timezone_posix_and_abbreviations_refused(void **state)
{
	(void)state;
	assert_non_null(rules_timezone("UTC+3"));
	assert_non_null(rules_timezone("UTC-03:00"));
	assert_non_null(rules_timezone("PST"));
	assert_non_null(rules_timezone("CET"));
	assert_non_null(rules_timezone("EST5EDT"));
	assert_non_null(rules_timezone("utc"));
	assert_non_null(rules_timezone("+03:00"));
}

static void
timezone_shape_refused(void **state)
{
	char s[200];

	(void)state;
	assert_non_null(rules_timezone("europe/berlin"));
	assert_non_null(rules_timezone("Europe/"));
	assert_non_null(rules_timezone("/Berlin"));
	assert_non_null(rules_timezone("Europe//Berlin"));
	assert_non_null(rules_timezone("Europe/Berlin/"));
	assert_non_null(rules_timezone("Europe/Ber lin"));
	assert_non_null(rules_timezone("Europe/Berlin\n"));
	assert_non_null(rules_timezone("Europe/../etc"));
	assert_non_null(rules_timezone("Europe/Z\xc3\xbcrich"));
	assert_non_null(rules_timezone(""));
	assert_non_null(rules_timezone("E"));
	assert_non_null(rules_timezone(fill(s, 'A', 100, "/Berlin")));
	assert_non_null(rules_timezone(fill(s, 'A', 58, "/Berlin")));
	/* 64 characters is the longest accepted. */
	assert_null(rules_timezone(fill(s, 'A', 57, "/Berlin")));
	assert_int_equal(strlen(s), 64);
}

/* ---- rules_url ------------------------------------------------------- */

static void
url_valid(void **state)
{
	(void)state;
	assert_null(rules_url("https://example.com"));
	assert_null(rules_url("https://example.com/avatars/me.png?size=64#x"));
	assert_null(rules_url("http://example.com/a.png"));
	assert_null(rules_url("https://example.com:8443/a"));
	assert_null(rules_url("https://x"));
}

static void
url_schemes_refused(void **state)
{
	(void)state;
	assert_non_null(rules_url("ftp://example.com/a.png"));
	assert_non_null(rules_url("javascript:alert(1)"));
	assert_non_null(rules_url("javascript://example.com/%0aalert(1)"));
	assert_non_null(rules_url("data:image/png;base64,AAAA"));
	assert_non_null(rules_url("//example.com/a.png"));
	assert_non_null(rules_url("example.com/a.png"));
	assert_non_null(rules_url("https:example.com"));
	assert_non_null(rules_url(""));
}

static void
url_without_host_refused(void **state)
{
	(void)state;
	assert_non_null(rules_url("https://"));
	assert_non_null(rules_url("http://"));
	assert_non_null(rules_url("https:///x"));
	assert_non_null(rules_url("https://:443/x"));
}

static void
url_characters_refused(void **state)
{
	(void)state;
	assert_non_null(rules_url("https://example.com/a b.png"));
	assert_non_null(rules_url("https://example.com/a\tb"));
	assert_non_null(rules_url("https://example.com/a\nb"));
	assert_non_null(rules_url("https://example.com/\"onerror=\"x"));
	assert_non_null(rules_url("https://example.com/<script>"));
	assert_non_null(rules_url("https://example.com/a>b"));
	assert_non_null(rules_url("https://example.com/a\x01"));
}

static void
url_length(void **state)
{
	char s[700];
	static const char pre[] = "https://example.com/";

	(void)state;
	memcpy(s, pre, sizeof(pre) - 1);
	fill(s + sizeof(pre) - 1, 'a', 500 - (sizeof(pre) - 1), "");
	assert_int_equal(strlen(s), 500);
	assert_null(rules_url(s));
	strcat(s, "a");
	assert_int_equal(strlen(s), 501);
	assert_non_null(rules_url(s));
	fill(s + sizeof(pre) - 1, 'a', 600, "");
	assert_non_null(rules_url(s));
}

/* ---- rules_locale ---------------------------------------------------- */

static void
locale_valid(void **state)
{
	(void)state;
	assert_null(rules_locale("en"));
	assert_null(rules_locale("de"));
	assert_null(rules_locale("en-US"));
	assert_null(rules_locale("pt-BR"));
}

static void
locale_refused(void **state)
{
	(void)state;
	assert_non_null(rules_locale(""));
	assert_non_null(rules_locale("e"));
	assert_non_null(rules_locale("EN"));
	assert_non_null(rules_locale("En"));
	assert_non_null(rules_locale("eng"));
	assert_non_null(rules_locale("en_US"));
	assert_non_null(rules_locale("en-us"));
	assert_non_null(rules_locale("EN-US"));
	assert_non_null(rules_locale("en-USA"));
	assert_non_null(rules_locale("en-U"));
	assert_non_null(rules_locale("en-"));
	assert_non_null(rules_locale("e1"));
	assert_non_null(rules_locale("en-U1"));
	assert_non_null(rules_locale(" en"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(email_valid),
		cmocka_unit_test(email_at_signs),
		cmocka_unit_test(email_domain),
		cmocka_unit_test(email_spaces_and_controls),
		cmocka_unit_test(email_length),
		cmocka_unit_test(username_length),
		cmocka_unit_test(username_allowed_characters),
		cmocka_unit_test(username_leading_dot_or_dash_refused),
		cmocka_unit_test(username_non_ascii_refused),
		cmocka_unit_test(password_length),
		cmocka_unit_test(password_length_counts_bytes),
		cmocka_unit_test(password_common_refused),
		cmocka_unit_test(password_repeated_character_refused),
		cmocka_unit_test(password_equal_to_username),
		cmocka_unit_test(password_equal_to_email),
		cmocka_unit_test(password_null_username_and_email),
		cmocka_unit_test(common_every_listed_word_found),
		cmocka_unit_test(common_found_in_any_case),
		cmocka_unit_test(common_repeated_character),
		cmocka_unit_test(common_strong_not_found),
		cmocka_unit_test(timezone_valid),
		cmocka_unit_test(timezone_posix_and_abbreviations_refused),
		cmocka_unit_test(timezone_shape_refused),
		cmocka_unit_test(url_valid),
		cmocka_unit_test(url_schemes_refused),
		cmocka_unit_test(url_without_host_refused),
		cmocka_unit_test(url_characters_refused),
		cmocka_unit_test(url_length),
		cmocka_unit_test(locale_valid),
		cmocka_unit_test(locale_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
