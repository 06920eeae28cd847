/*
 * buf.h - a growing string: zero a struct buf to start, append to it, and
 * buf_take() the NUL-terminated result.  Memory comes from xrealloc, which
 * never returns NULL (alloc.h).
 */
#ifndef LUDUS_CORE_BUF_H
#define LUDUS_CORE_BUF_H

#include <stddef.h>

struct buf {
	char *s;		/* NUL-terminated once anything is added */
	size_t len, cap;
};

/* Appends n bytes at p to b. */
void buf_put(struct buf *b, const void *p, size_t n);
/* Appends the byte c to b. */
void buf_putc(struct buf *b, char c);
/* Appends the string s to b. */
void buf_puts(struct buf *b, const char *s);
/* The string built, malloc'd and never NULL; b is left empty. */
char *buf_take(struct buf *b);

#endif
