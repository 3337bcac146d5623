/*
 * web_html.h - the web pages' HTML writer (web_html.c): a growing buffer
 * with a maximum size and a sticky error (callers append freely and check
 * once), where markup is written only from string literals and everything
 * else goes through an escaping function. Nothing that came from an image,
 * a request or the store is ever appended unescaped.
 */
#ifndef PST_SERVICE_WEB_HTML_H
#define PST_SERVICE_WEB_HTML_H

#include <stddef.h>
#include <stdint.h>

#define WEB_PAGE_MAX (32u << 20) /* a page larger than this is refused (sticky error) */

struct web_buf {
	char *p;
	size_t len, cap;
	int err; /* out of memory or over WEB_PAGE_MAX: the page is not sent */
};

/* Markup from the program itself: string literals only. */
void web_raw(struct web_buf *b, const char *markup);
/* Text from outside (image, request, store), as element content or a quoted
 * attribute value: & < > " ' become entities; bytes that are not valid
 * UTF-8, control characters and noncharacters become the visible text
 * "\xNN" (or "\u{NNNN}"), so a page always parses without errors. */
void web_text(struct web_buf *b, const char *s);
void web_textn(struct web_buf *b, const char *s, size_t len);
/* Markup before (a literal), text escaped, markup after (a literal). */
void web_el(struct web_buf *b, const char *before, const char *text, const char *after);
/* A number. */
void web_int(struct web_buf *b, long long v);
void web_uint(struct web_buf *b, unsigned long long v);
/* A query-string value: every byte but A-Z a-z 0-9 - . _ ~ as %XX, so the
 * result is safe inside a quoted attribute too. */
void web_urlenc(struct web_buf *b, const char *s);
/* The hex dump lines of data (len bytes), addresses from base: 16 bytes a
 * line, hex then the printable characters (others as '.'), escaped. */
void web_hexdump(struct web_buf *b, const unsigned char *data, size_t len, uint64_t base);
void web_buf_free(struct web_buf *b);

#endif
