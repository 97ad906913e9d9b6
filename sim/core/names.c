/*
 * names.c - the rule for names of nodes, links and metrics (names.h).
 */
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

const char *
name_problem(const char *s, size_t len)
{
	if (len == 0)
		return "is empty";
	if (len > NAME_MAX_LEN)
		return "is longer than 63 bytes";
	if (strlen(s) != len)
		return "holds a NUL byte";
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return "holds a control character";
		if (strchr(" ,\"'/\\", c))
			return c == ' ' ? "holds a space" :
			       c == ',' ? "holds a ','" :
			       c == '/' ? "holds a '/'" :
			       c == '\\' ? "holds a '\\'" : "holds a quote";
		int n = utf8_char_len(s + i);
		if (n == 0)
			return "is not valid UTF-8";
		i += (size_t)n;
	}
	if (strstr(s, ".."))
		return "holds '..'";
	if (s[0] == '-')
		return "starts with '-'";
	char *end;
	(void)strtod(s, &end);
	if (*end == '\0')
		return "reads as a number";
	return NULL;
}

bool
name_file_safe(const char *f)
{
	return *f && strchr(f, '/') == NULL && strcmp(f, ".") != 0 &&
	       strcmp(f, "..") != 0;
}
