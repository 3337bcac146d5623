/*
 * mem.c - the scan's arena, the bounded string builder, shared content blobs
 * and the capped output buffers unpackers write into.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include "internal.h"

/* ---- arena ---- */

#define ARENA_CHUNK (256u * 1024u)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct pst_arena {
	pthread_mutex_t lock;
	struct arena_chunk *head;
};

struct pst_arena *pst_arena_new(void)
{
	struct pst_arena *a = calloc(1, sizeof(*a));
	if (a)
		pthread_mutex_init(&a->lock, NULL);
	return a;
}

void pst_arena_free(struct pst_arena *a)
{
	struct arena_chunk *c, *next;
	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	pthread_mutex_destroy(&a->lock);
	free(a);
}

void *pst_arena_alloc(struct pst_arena *a, size_t len)
{
	const size_t align = sizeof(max_align_t);
	struct arena_chunk *c;
	void *p = NULL;

	len = (len + align - 1) / align * align;
	if (len == 0)
		len = align;
	pthread_mutex_lock(&a->lock);
	c = a->head;
	if (!c || c->cap - c->used < len) {
		size_t cap = len > ARENA_CHUNK ? len : ARENA_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			goto out;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += len;
out:
	pthread_mutex_unlock(&a->lock);
	if (p)
		memset(p, 0, len);
	return p;
}

char *pst_arena_strndup(struct pst_arena *a, const char *s, size_t n)
{
	char *p = pst_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

char *pst_arena_strdup(struct pst_arena *a, const char *s)
{
	return s ? pst_arena_strndup(a, s, strlen(s)) : NULL;
}

char *pst_arena_vprintf(struct pst_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	p = pst_arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *pst_arena_printf(struct pst_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	va_start(ap, fmt);
	p = pst_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- str ---- */

void pst_str_init(struct pst_str *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	s->max = max;
}

void pst_str_free(struct pst_str *s)
{
	free(s->p);
	memset(s, 0, sizeof(*s));
}

void pst_str_add(struct pst_str *s, const char *p, size_t n)
{
	if (s->err)
		return;
	if (n > s->max || s->len > s->max - n) {
		s->err = true;
		return;
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		char *np;
		while (cap < s->len + n + 1)
			cap *= 2;
		np = realloc(s->p, cap);
		if (!np) {
			s->err = true;
			return;
		}
		s->p = np;
		s->cap = cap;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = 0;
}

void pst_str_puts(struct pst_str *s, const char *p)
{
	pst_str_add(s, p, strlen(p));
}

void pst_str_putc(struct pst_str *s, char c)
{
	pst_str_add(s, &c, 1);
}

void pst_str_printf(struct pst_str *s, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->err = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		pst_str_add(s, small, (size_t)n);
		return;
	}
	{
		char *big = malloc((size_t)n + 1);
		if (!big) {
			s->err = true;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		pst_str_add(s, big, (size_t)n);
		free(big);
	}
}

/* Escapes control characters and invalid UTF-8 (as \u00XX of each byte), so
 * the output is always valid JSON whatever names an image carries. */
void pst_str_json(struct pst_str *s, const char *p)
{
	const unsigned char *u = (const unsigned char *)(p ? p : "");
	char esc[8];

	pst_str_putc(s, '"');
	while (*u) {
		unsigned c = *u;
		size_t seq = 0;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			pst_str_add(s, esc, 2);
			u++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			pst_str_add(s, esc, 6);
			u++;
			continue;
		}
		if (c < 0x80) {
			pst_str_putc(s, (char)c);
			u++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			seq = 2;
		else if (c >= 0xe0 && c <= 0xef)
			seq = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			seq = 4;
		if (seq) {
			size_t i;
			/* The second byte's range rules out overlong forms,
			 * UTF-16 surrogates (ED A0..BF) and code points past
			 * U+10FFFF, none of which is valid UTF-8 (RFC 3629). */
			unsigned lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
			unsigned hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
			for (i = 1; i < seq; i++)
				if ((u[i] & 0xc0) != 0x80)
					break;
			if (i == seq && u[1] >= lo && u[1] <= hi) {
				pst_str_add(s, (const char *)u, seq);
				u += seq;
				continue;
			}
		}
		/* Invalid byte: shown as U+FFFD-free escape of the raw byte value. */
		snprintf(esc, sizeof(esc), "\\u%04x", c);
		pst_str_add(s, esc, 6);
		u++;
	}
	pst_str_putc(s, '"');
}

/* ---- blob ---- */

struct pst_blob *pst_blob_new_owned(void *p, size_t len)
{
	struct pst_blob *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	atomic_init(&b->refs, 1);
	b->p = p;
	b->len = len;
	b->owned = p;
	return b;
}

struct pst_blob *pst_blob_new_borrowed(const uint8_t *p, size_t len)
{
	struct pst_blob *b = pst_blob_new_owned(NULL, len);
	if (b)
		b->p = p;
	return b;
}

struct pst_blob *pst_blob_ref(struct pst_blob *b)
{
	if (b)
		atomic_fetch_add(&b->refs, 1);
	return b;
}

void pst_blob_unref(struct pst_blob *b)
{
	if (!b || atomic_fetch_sub(&b->refs, 1) != 1)
		return;
	if (b->map_len)
		munmap((void *)(uintptr_t)b->p, b->map_len);
	free(b->owned);
	free(b);
}

/* ---- obuf ---- */

enum pst_err pst_obuf_grow(struct pst_obuf *b, size_t want, size_t *room)
{
	size_t cap;
	uint8_t *np;

	*room = 0;
	if (b->len >= b->max) {
		b->over = true;
		return PST_ELIMIT;
	}
	if (want > b->max - b->len)
		want = b->max - b->len;
	if (b->cap - b->len >= want) {
		*room = b->cap - b->len;
		if (*room > b->max - b->len)
			*room = b->max - b->len;
		return PST_OK;
	}
	cap = b->cap ? b->cap : 64 * 1024;
	while (cap - b->len < want)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (cap > b->max)
		cap = b->max;
	if (b->charge && cap > b->charged) {
		uint64_t delta = cap - b->charged;
		uint64_t old = atomic_fetch_add(b->charge, delta);
		uint64_t left = old < b->charge_max ? b->charge_max - old : 0;
		if (left < delta) {
			atomic_fetch_sub(b->charge, delta - left);
			cap = b->charged + (size_t)left;
			b->max = cap;
			if (cap <= b->len) {
				b->charged = cap;
				b->over = true;
				return PST_ELIMIT;
			}
		}
		b->charged = cap;
	}
	np = realloc(b->p, cap ? cap : 1);
	if (!np)
		return PST_ENOMEM;
	b->p = np;
	b->cap = cap;
	*room = cap - b->len;
	return PST_OK;
}

enum pst_err pst_obuf_append(struct pst_obuf *b, const void *p, size_t n)
{
	const uint8_t *src = p;
	while (n) {
		size_t room, k;
		enum pst_err e = pst_obuf_grow(b, n, &room);
		if (e)
			return e;
		k = n < room ? n : room;
		memcpy(b->p + b->len, src, k);
		b->len += k;
		src += k;
		n -= k;
	}
	return PST_OK;
}

void pst_obuf_settle(struct pst_obuf *b)
{
	if (b->charge && b->charged)
		atomic_fetch_sub(b->charge, b->charged);
	b->charged = 0;
}

void pst_obuf_free(struct pst_obuf *b)
{
	pst_obuf_settle(b);
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

bool pst_array_grow(void **v, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t nc;
	void *nv;
	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : first;
	if (nc < *cap || nc > SIZE_MAX / elem)
		return false;
	nv = realloc(*v, nc * elem);
	if (!nv)
		return false;
	*v = nv;
	*cap = nc;
	return true;
}
