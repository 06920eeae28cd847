/*
 * fuzz_import.c - libFuzzer target: the question file parsers (CSV, GIFT,
 * Aiken; src/assessment/import_*.c) on any bytes.  The first byte picks
 * the format.  They must refuse or read, never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "assessment/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_list list = {0};

	if (size < 1)
		return 0;
	import_parse((enum import_format)(data[0] % 3), (const char *)data + 1,
	    size - 1, &list);
	import_list_free(&list);
	return 0;
}
