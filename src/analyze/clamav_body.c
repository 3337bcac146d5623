/*
 * clamav_body.c - ClamAV body signatures matched by postern itself
 * (clamav_body.h). libyara's compile of tens of thousands of translated
 * body signatures costs seconds on a new database (its automaton build
 * grows faster than the strings it holds), while the common signature is
 * plain: bytes with a few wildcards and short jumps. Those need no
 * compile: each gives an anchor (its longest run of fixed bytes before the
 * first jump, at least 4), whose first 4 bytes go into a bitmap of 2^20
 * bits and a hash table; one pass over a file tests every 4-byte window
 * against the bitmap (a load and a bit test: with 30,000 signatures about 3%
 * of windows pass), looks the passing ones up, and checks each signature
 * whose anchor is there from the signature's start, trying each length of a
 * jump (bounded: at most two jumps of at most 64 bytes each). Everything
 * else stays with YARA. (needles.c's 64 Ki-bit filter suits a few hundred
 * patterns, not tens of thousands.)
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "clamav_body.h"

#define MAX_EL 512      /* elements of one signature */
#define MAX_JUMP 64     /* bytes of one jump */
#define MAX_JUMPS 2     /* jumps of one signature */
#define MIN_ANCHOR 4    /* the 4-byte head the index is keyed by */
#define MAX_ANCHOR 16
#define FILTER_BITS 20  /* 128 KiB of bitmap */
/* Bytes compared for one file, at most: 256 per byte of the file and 2^20
 * more. Jumps are tried length by length, so a hostile file full of one
 * anchor could otherwise cost 65 x 65 comparisons a byte; past the budget
 * the file is reported unchecked (signature.scan-incomplete), not clean. */
#define STEPS_PER_BYTE 256u
#define STEPS_BASE (1u << 20)

struct el {
	uint8_t val, mask; /* a byte: (b & mask) == val */
	bool jump;         /* else a jump of lo..hi bytes */
	uint8_t lo, hi;
};

struct pst_cbody {
	struct el *el;
	uint16_t nel;
	uint16_t at;       /* the anchor's first element (all before it are bytes) */
	uint32_t sig;
	bool elf;
	uint32_t head;     /* the anchor's first 4 bytes, little-endian */
};

/* The anchors' heads: a bitmap, then the signatures sorted by head with a
 * table of where each head's run starts (open addressing). */
struct pst_cindex {
	uint64_t bits[(1u << FILTER_BITS) / 64];
	uint32_t *order;   /* signature indexes sorted by head */
	uint32_t *slot;    /* 2^k entries: 1 + a position in order, 0 empty */
	uint32_t mask;
};

static uint32_t load4(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t mix(uint32_t x)
{
	return x * 2654435761u;
}

static int nib(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

static bool hexc(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* {n} {-n} {n-m} after the '{', n and m at most MAX_JUMP. */
static bool parse_jump(const char **pp, struct el *e)
{
	const char *p = *pp;
	unsigned v[2] = { 0, 0 }, k = 0, digits = 0;
	bool dash = false;
	for (; *p && *p != '}'; p++) {
		if (*p == '-' && !dash) {
			dash = true;
			k = 1;
			digits = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p) || ++digits > 3)
			return false;
		v[k] = v[k] * 10 + (unsigned)(*p - '0');
	}
	if (*p != '}' || (dash && digits == 0))
		return false;
	if (!dash)
		v[1] = v[0];
	if (v[1] > MAX_JUMP || v[1] < v[0])
		return false;
	e->jump = true;
	e->lo = (uint8_t)v[0];
	e->hi = (uint8_t)v[1];
	*pp = p + 1;
	return true;
}

/* The elements of hex; false for anything this matcher does not read. */
static size_t parse(const char *p, struct el *v)
{
	size_t n = 0, jumps = 0;
	while (*p) {
		struct el e = { 0, 0, false, 0, 0 };
		if (n == MAX_EL)
			return 0;
		if (hexc(p[0]) && hexc(p[1])) {
			e.val = (uint8_t)(nib(p[0]) << 4 | nib(p[1]));
			e.mask = 0xff;
		} else if (p[0] == '?' && p[1] == '?') {
			e.mask = 0;
		} else if (p[0] == '?' && hexc(p[1])) {
			e.val = (uint8_t)nib(p[1]);
			e.mask = 0x0f;
		} else if (hexc(p[0]) && p[1] == '?') {
			e.val = (uint8_t)(nib(p[0]) << 4);
			e.mask = 0xf0;
		} else if (p[0] == '{') {
			p++;
			/* not first, not last, not two in a row */
			if (n == 0 || v[n - 1].jump || ++jumps > MAX_JUMPS || !parse_jump(&p, &e) ||
			    !*p)
				return 0;
			v[n++] = e;
			continue;
		} else {
			return 0;
		}
		v[n++] = e;
		p += 2;
	}
	return n;
}

/* The longest run of fixed bytes before the first jump: its start, and
 * its length (0 when under MIN_ANCHOR). */
static size_t anchor(const struct el *v, size_t n, size_t *len)
{
	size_t i, run = 0, best = 0, at = 0;
	for (i = 0; i < n && !v[i].jump; i++) {
		run = v[i].mask == 0xff ? run + 1 : 0;
		if (run > best) {
			best = run;
			at = i + 1 - run;
		}
	}
	*len = best < MIN_ANCHOR ? 0 : best > MAX_ANCHOR ? MAX_ANCHOR : best;
	return at;
}

bool pst_cbodies_add(struct pst_cbodies *set, const char *hex, bool elf, uint32_t sig)
{
	struct el *v = pst_malloc(MAX_EL * sizeof(*v));
	struct pst_cbody *b;
	size_t n, at = 0, alen = 0;
	if (!v)
		return false;
	n = parse(hex, v);
	if (n)
		at = anchor(v, n, &alen);
	/* a head of one repeated byte (zeros, padding) is everywhere in
	 * firmware: such a signature stays with YARA, whose atoms avoid it */
	if (alen && v[at].val == v[at + 1].val && v[at].val == v[at + 2].val &&
	    v[at].val == v[at + 3].val)
		alen = 0;
	if (!n || !alen ||
	    !pst_array_grow((void **)&set->v, &set->cap, set->n, sizeof(*set->v), 256)) {
		free(v);
		return false;
	}
	b = &set->v[set->n];
	b->el = pst_malloc(n * sizeof(*v)); /* the parse buffer is MAX_EL long */
	if (!b->el) {
		free(v);
		return false;
	}
	memcpy(b->el, v, n * sizeof(*v));
	free(v);
	set->n++;
	b->nel = (uint16_t)n;
	b->at = (uint16_t)at;
	b->sig = sig;
	b->elf = elf;
	return true;
}

static int by_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The slot of head h: its own, or the empty one where it would go. */
static uint32_t find_slot(const struct pst_cbodies *set, uint32_t h)
{
	const struct pst_cindex *ix = set->ix;
	uint32_t i = mix(h) & ix->mask;
	while (ix->slot[i] && set->v[ix->order[ix->slot[i] - 1]].head != h)
		i = (i + 1) & ix->mask;
	return i;
}

bool pst_cbodies_seal(struct pst_cbodies *set)
{
	struct pst_cindex *ix = pst_calloc(1, sizeof(*ix));
	uint64_t *keys = pst_malloc((set->n ? set->n : 1) * sizeof(*keys));
	size_t cap = 1024;
	if (!ix || !keys) {
		free(ix);
		free(keys);
		return false;
	}
	set->ix = ix;
	while (cap < set->n * 2)
		cap *= 2;
	ix->order = pst_malloc(set->n * sizeof(*ix->order));
	ix->slot = pst_calloc(cap, sizeof(*ix->slot));
	if (!ix->order || !ix->slot) {
		free(keys);
		return false;
	}
	ix->mask = (uint32_t)cap - 1;
	for (size_t i = 0; i < set->n; i++) {
		struct pst_cbody *b = &set->v[i];
		uint8_t head[4];
		for (size_t k = 0; k < 4; k++)
			head[k] = b->el[b->at + k].val;
		b->head = load4(head);
		keys[i] = (uint64_t)b->head << 32 | i; /* by head, then in signature order */
		uint32_t h = mix(b->head) >> (32 - FILTER_BITS);
		ix->bits[h / 64] |= (uint64_t)1 << (h % 64);
	}
	if (set->n)
		qsort(keys, set->n, sizeof(*keys), by_key);
	for (size_t i = 0; i < set->n; i++)
		ix->order[i] = (uint32_t)keys[i];
	free(keys);
	for (size_t i = 0; i < set->n; i++) {
		uint32_t s = find_slot(set, set->v[ix->order[i]].head);
		if (!ix->slot[s])
			ix->slot[s] = (uint32_t)i + 1;
	}
	return true;
}

struct scan {
	const uint8_t *p;
	size_t len;
	uint64_t steps; /* left of the budget */
};

/* Whether elements [i, n) match from pos on (false too when the budget is
 * spent: the caller looks at it). */
static bool match_from(struct scan *sc, const struct el *v, size_t i, size_t n, size_t pos)
{
	for (; i < n; i++) {
		if (!sc->steps)
			return false;
		sc->steps--;
		if (v[i].jump) {
			for (size_t d = v[i].lo; d <= v[i].hi; d++)
				if (match_from(sc, v, i + 1, n, pos + d))
					return true;
			return false;
		}
		if (pos >= sc->len || (sc->p[pos] & v[i].mask) != v[i].val)
			return false;
		pos++;
	}
	return true;
}

/* Every signature whose anchor head is at off: checked from its start. */
static void at_head(const struct pst_cbodies *set, struct scan *sc, size_t off, bool elf,
		    long *best)
{
	uint32_t h = load4(sc->p + off), s = find_slot(set, h), i;
	if (!set->ix->slot[s])
		return;
	for (i = set->ix->slot[s] - 1; i < set->n && set->v[set->ix->order[i]].head == h; i++) {
		const struct pst_cbody *b = &set->v[set->ix->order[i]];
		if ((*best >= 0 && b->sig >= (uint32_t)*best) || (b->elf && !elf) || off < b->at)
			continue;
		if (match_from(sc, b->el, 0, b->nel, off - b->at))
			*best = b->sig;
	}
}

long pst_cbodies_match(const struct pst_cbodies *set, const uint8_t *p, size_t len)
{
	const struct pst_cindex *ix = set->ix;
	bool elf = len >= 4 && memcmp(p, "\177ELF", 4) == 0;
	struct scan sc = { p, len, (uint64_t)len * STEPS_PER_BYTE + STEPS_BASE };
	long best = -1;
	if (!set->n || !ix || len < 4)
		return -1;
	for (size_t i = 0; i + 4 <= len && sc.steps; i++) {
		uint32_t h = mix(load4(p + i)) >> (32 - FILTER_BITS);
		if (ix->bits[h / 64] & ((uint64_t)1 << (h % 64)))
			at_head(set, &sc, i, elf, &best);
	}
	/* a match found stands; without one, an unfinished file is no clean one */
	return best >= 0 ? best : sc.steps ? -1 : -2;
}

void pst_cbodies_free(struct pst_cbodies *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i].el);
	free(set->v);
	if (set->ix) {
		free(set->ix->order);
		free(set->ix->slot);
		free(set->ix);
	}
	memset(set, 0, sizeof(*set));
}
