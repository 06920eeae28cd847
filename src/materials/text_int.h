/*
 * text_int.h - what text.c and text_sentences.c share; not an API (see
 * text.h).
 */
#ifndef LUDUS_MATERIALS_TEXT_INT_H
#define LUDUS_MATERIALS_TEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c)	(((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z')
#define IS_BLANK(c)	((c) == ' ' || (c) == '\t' || (c) == '\n' || \
			    (c) == '\r')

uint32_t text_utf8_at(const char *s, size_t n, size_t i, size_t *len);
bool text_is_word_cp(uint32_t c);

#endif
