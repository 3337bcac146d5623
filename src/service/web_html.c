/*
 * web_html.c - the web pages' HTML writer (see web_html.h). The escaping is
 * the one guard between hostile names in an image and a reviewer's browser,
 * so it is strict: it passes only well-formed UTF-8 of characters HTML
 * allows as text and shows everything else as visible escapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "web_html.h"

static void put(struct web_buf *b, const char *s, size_t n)
{
	size_t cap;
	char *np;

	if (b->err || n == 0)
		return;
	if (n > WEB_PAGE_MAX - b->len || b->len > WEB_PAGE_MAX) {
		b->err = 1;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->err = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void web_raw(struct web_buf *b, const char *markup)
{
	put(b, markup, strlen(markup));
}

void web_int(struct web_buf *b, long long v)
{
	char t[32];
	int n = snprintf(t, sizeof(t), "%lld", v);
	put(b, t, (size_t)n);
}

void web_uint(struct web_buf *b, unsigned long long v)
{
	char t[32];
	int n = snprintf(t, sizeof(t), "%llu", v);
	put(b, t, (size_t)n);
}

/* The length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), its code point in *cp;
 * 0 when the bytes are not one. */
static size_t utf8_seq(const unsigned char *s, size_t len, unsigned *cp)
{
	size_t n, i;
	unsigned c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Characters HTML's parser reports as errors in text: controls (but tab,
 * newline, carriage return), DEL and C1 controls, and noncharacters. */
static int bad_char(unsigned cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	if (cp >= 0x7f && cp <= 0x9f)
		return 1;
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

void web_textn(struct web_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned cp;
	char t[16];

	while (i < len) {
		n = utf8_seq(u + i, len - i, &cp);
		if (n == 0) {
			snprintf(t, sizeof(t), "\\x%02x", u[i]);
			put(b, t, 4);
			i++;
			continue;
		}
		if (bad_char(cp)) {
			int k = cp < 0x100 ? snprintf(t, sizeof(t), "\\x%02x", cp)
					   : snprintf(t, sizeof(t), "\\u{%x}", cp);
			put(b, t, (size_t)k);
		} else if (cp == '&') {
			put(b, "&amp;", 5);
		} else if (cp == '<') {
			put(b, "&lt;", 4);
		} else if (cp == '>') {
			put(b, "&gt;", 4);
		} else if (cp == '"') {
			put(b, "&quot;", 6);
		} else if (cp == '\'') {
			put(b, "&#39;", 5);
		} else {
			put(b, s + i, n);
		}
		i += n;
	}
}

void web_text(struct web_buf *b, const char *s)
{
	if (s)
		web_textn(b, s, strlen(s));
}

void web_el(struct web_buf *b, const char *before, const char *text, const char *after)
{
	web_raw(b, before);
	web_text(b, text);
	web_raw(b, after);
}

void web_urlenc(struct web_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[3];

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			put(b, s, 1);
			continue;
		}
		t[0] = '%';
		t[1] = hex[c >> 4];
		t[2] = hex[c & 15];
		put(b, t, 3);
	}
}

void web_hexdump(struct web_buf *b, const unsigned char *data, size_t len, uint64_t base)
{
	char line[128];
	size_t i, k;
	int n;

	for (i = 0; i < len; i += 16) {
		n = snprintf(line, sizeof(line), "%08llx  ", (unsigned long long)(base + i));
		for (k = 0; k < 16; k++) {
			if (i + k < len)
				n += snprintf(line + n, sizeof(line) - (size_t)n, "%02x ",
					      data[i + k]);
			else
				n += snprintf(line + n, sizeof(line) - (size_t)n, "   ");
		}
		line[n++] = ' ';
		for (k = 0; k < 16 && i + k < len; k++)
			line[n++] = data[i + k] >= 0x20 && data[i + k] < 0x7f ? (char)data[i + k]
									     : '.';
		line[n++] = '\n';
		web_textn(b, line, (size_t)n);
	}
}

void web_buf_free(struct web_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
