/*
 * test_live.c - the NOTIFY payloads of live updates (src/http/live.h):
 * live_parse takes "<channel> <id> <event> <data>" apart, and refuses
 * what would break an event stream (line breaks, a colon in the event
 * name, no data) or is not an event at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/live.h"

static int
parse(const char *text, char **channel, long long *id, char **event,
    char **data)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s", text);
	return live_parse(buf, channel, id, event, data);
}

static void
parses_an_event(void **state)
{
	char *channel, *event, *data;
	long long id;

	(void)state;
	assert_int_equal(parse("thread:0a0b 42 reply {\"n\": 3, \"id\": \"x y\"}",
	    &channel, &id, &event, &data), 0);
	assert_string_equal(channel, "thread:0a0b");
	assert_int_equal(id, 42);
	assert_string_equal(event, "reply");
	/* The data keeps its own spaces. */
	assert_string_equal(data, "{\"n\": 3, \"id\": \"x y\"}");
}

static void
refuses_what_is_not_an_event(void **state)
{
	static const char *const bad[] = {
		"", "user:1", "user:1 7", "user:1 7 notification",
		"user:1 7 notification ", " 7 reply {}", "user:1 x reply {}",
		"user:1 0 reply {}", "user:1 -3 reply {}", "user:1 7x reply {}",
		"user:1 99999999999999999999 reply {}",
		"user:1 7 re:ply {}", "user:1 7 reply {\"a\":\n1}",
		"user:1 7 re\nply {}", "user:1 7  {}",
	};
	char *channel, *event, *data;
	long long id;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &channel, &id, &event, &data) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_an_event),
		cmocka_unit_test(refuses_what_is_not_an_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
