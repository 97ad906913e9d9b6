/*
 * utf8.h - the little UTF-8 the outputs need: is a sequence valid, and
 * where may text be cut without splitting a character.
 */
#ifndef SYNSIM_UTF8_H
#define SYNSIM_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 character at s, or 0 if the bytes
 * there are not one (a stray continuation byte, a truncated or overlong
 * sequence, a surrogate, past U+10FFFF).  *s must not be NUL. */
int utf8_char_len(const char *s);

/* The longest prefix of s, at most max bytes, that does not end inside
 * a character. */
size_t utf8_prefix(const char *s, size_t max);

#endif
