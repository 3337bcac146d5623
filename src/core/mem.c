/*
 * mem.c - the scan's arena, the bounded string builder, shared content blobs
 * and the capped output buffers unpackers write into.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
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
	struct pst_mem *mem;      /* charged for every chunk, or NULL */
};

void pst_arena_account(struct pst_arena *a, struct pst_mem *m)
{
	a->mem = m;
}

struct pst_arena *pst_arena_new(void)
{
	struct pst_arena *a = pst_calloc(1, sizeof(*a));
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
		c = pst_malloc(sizeof(*c) + cap);
		if (!c)
			goto out;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
		if (a->mem)
			pst_mem_fix(a->mem, sizeof(*c) + cap);
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
		np = pst_realloc(s->p, cap);
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
		char *big = pst_malloc((size_t)n + 1);
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
	struct pst_blob *b = pst_calloc(1, sizeof(*b));
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
	if (b->spill)
		pst_spill_drop(b->mem, b->spill, b->p, b->map_len, b->spill_room);
	else if (b->map_len)
		munmap((void *)(uintptr_t)b->p, b->map_len);
	free(b->owned);
	free(b->holes);
	if (b->mem && b->held)
		pst_mem_release(b->mem, b->held);
	free(b);
}

/* ---- mem: the live-memory budget ---- */

bool pst_mem_short(struct pst_mem *m)
{
	bool short_;
	if (!m->max)
		return false;
	pthread_mutex_lock(&m->m);
	short_ = m->live > m->max / 100 * PST_MEM_SHORT_PCT;
	pthread_mutex_unlock(&m->m);
	return short_;
}

void pst_mem_fix(struct pst_mem *m, uint64_t n)
{
	if (!m->wslots || n == 0)
		return;
	pthread_mutex_lock(&m->m);
	m->live += n;
	m->fixed += n;
	if (m->live > m->peak)
		m->peak = m->live;
	pthread_mutex_unlock(&m->m);
}

/* What content may ever have of the budget: all of it but the fixed
 * charges (the tree), and never less than a quarter of it. */
static uint64_t mem_room(struct pst_mem *m)
{
	uint64_t room;
	pthread_mutex_lock(&m->m);
	room = m->fixed < m->max / 4 * 3 ? m->max - m->fixed : m->max / 4;
	pthread_mutex_unlock(&m->m);
	return room;
}

/* ---- what glibc keeps of freed memory ----
 *
 * glibc serves a block past its mmap threshold with a mapping of its own,
 * given back when freed, and trims a heap's top past its trim threshold.
 * Left to itself it raises the threshold to 32 MiB as big blocks are freed,
 * and the workers' arenas kept the freed buffers: 85 MB beyond the budget at
 * -j4 under --max-memory 128M. A fixed 256 KiB threshold bounds that, but
 * then every file past 256 KiB is a fresh mapping, faulted in page by page
 * and unmapped again (twice the page faults and 3 % more CPU on the router
 * bench). So the thresholds follow the tightest live budget: the mmap
 * threshold is a sixteenth of it shared by the workers and the main thread,
 * between 256 KiB (a tiny budget: the CLI's setting) and 16 MiB, and each
 * arena may keep twice that at its top (at least 1 MiB): an eighth of the
 * budget in all. The default budget at -j2 gives 8 MiB. */

#define MALLOC_FLOOR (256u << 10)
#define MALLOC_CEIL (16u << 20)

static pthread_mutex_t malloc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pst_mem *malloc_live;

static size_t malloc_share(uint64_t max, unsigned workers)
{
	uint64_t share = max ? max / 16 / ((uint64_t)workers + 1) : MALLOC_CEIL;
	if (share < MALLOC_FLOOR)
		return MALLOC_FLOOR;
	return share > MALLOC_CEIL ? MALLOC_CEIL : (size_t)share & ~(size_t)4095;
}

/* The tightest live share; none: the floor. Under malloc_lock. */
static size_t tightest(void)
{
	size_t thr = 0;
	struct pst_mem *x;
	for (x = malloc_live; x; x = x->malloc_next)
		if (!thr || x->malloc_share < thr)
			thr = x->malloc_share;
	return thr ? thr : MALLOC_FLOOR;
}

/* Lists m with its share of the thresholds (0: unlists it), then sets them
 * from the live budgets; none: the floor, as the CLI starts. */
static void fit_malloc(struct pst_mem *m, size_t share)
{
	struct pst_mem **pp;
	size_t thr;

	pthread_mutex_lock(&malloc_lock);
	for (pp = &malloc_live; *pp && *pp != m; pp = &(*pp)->malloc_next)
		;
	if (*pp && !share)
		*pp = m->malloc_next;
	else if (!*pp && share) {
		m->malloc_next = malloc_live;
		malloc_live = m;
	}
	m->malloc_share = share;
	thr = tightest();
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, (int)thr);
	mallopt(M_TRIM_THRESHOLD, (int)(thr < MALLOC_FLOOR * 2 ? MALLOC_FLOOR * 4 : thr * 2));
#endif
	pthread_mutex_unlock(&malloc_lock);
}

size_t pst_mem_malloc_threshold(void)
{
	size_t thr;
	pthread_mutex_lock(&malloc_lock);
	thr = tightest();
	pthread_mutex_unlock(&malloc_lock);
	return thr;
}

/* The budget and what follows from it: the size a buffer may reach without a
 * big-buffer slot, how many such slots fit, and what glibc may keep. */
static void mem_shape(struct pst_mem *m, uint64_t max)
{
	uint64_t one;

	m->max = max;
	/* Small buffers (up to a quarter of the budget shared by all workers)
	 * grow freely; the rest is for big ones, as many at once as fit whole. */
	m->big = max / 4 / m->workers;
	if (m->big < (1u << 20))
		m->big = 1u << 20;
	one = m->file_max && m->file_max < max ? m->file_max : max;
	m->slots = one && max > (uint64_t)m->workers * m->big
		   ? (unsigned)((max - (uint64_t)m->workers * m->big) / one) : 0;
	if (m->slots == 0)
		m->slots = 1;
	fit_malloc(m, malloc_share(max, m->workers));
}

enum pst_err pst_mem_init(struct pst_mem *m, uint64_t max, unsigned workers, uint64_t file_max,
			  const atomic_bool *cancel)
{
	memset(m, 0, sizeof(*m));
	pst_spill_open(m, 0); /* none until the scan asks (pst_spill_open) */
	if (workers == 0)
		workers = 1;
	m->wslots = pst_calloc(workers, sizeof(*m->wslots));
	if (!m->wslots)
		return PST_ENOMEM;
	pthread_mutex_init(&m->m, NULL);
	pthread_cond_init(&m->cv, NULL);
	m->workers = workers;
	m->file_max = file_max;
	m->cancel = cancel;
	mem_shape(m, max);
	return PST_OK;
}

void pst_mem_destroy(struct pst_mem *m)
{
	pst_spill_close(m);
	if (m->malloc_share)
		fit_malloc(m, 0);
	if (!m->wslots)
		return;
	pthread_cond_destroy(&m->cv);
	pthread_mutex_destroy(&m->m);
	free(m->wslots);
	m->wslots = NULL;
}

/* Wakes every waiter. They no longer count as waiting until they have
 * looked again: a woken waiter may be the one that can now go on. */
static void mem_wake(struct pst_mem *m)
{
	m->events++;
	m->waiting = 0;
	m->wake_gen++;
	pthread_cond_broadcast(&m->cv);
}

void pst_mem_raise(struct pst_mem *m, uint64_t max)
{
	pthread_mutex_lock(&m->m);
	if (m->max && max > m->max) {
		mem_shape(m, max);
		mem_wake(m);
	}
	pthread_mutex_unlock(&m->m);
}

void pst_mem_running(struct pst_mem *m, int delta)
{
	if (!m->wslots)
		return;
	pthread_mutex_lock(&m->m);
	m->running = delta > 0 ? m->running + 1 : m->running - 1;
	mem_wake(m);
	pthread_mutex_unlock(&m->m);
}

void pst_mem_queued(struct pst_mem *m, int delta)
{
	if (!m->wslots)
		return;
	pthread_mutex_lock(&m->m);
	m->queued = delta > 0 ? m->queued + 1 : m->queued - 1;
	pthread_mutex_unlock(&m->m);
}

void pst_mem_release(struct pst_mem *m, uint64_t n)
{
	if (!m->wslots || n == 0)
		return;
	pthread_mutex_lock(&m->m);
	m->live -= n < m->live ? n : m->live;
	mem_wake(m);
	pthread_mutex_unlock(&m->m);
}

/* Can anyone still release memory? Not when every running worker waits here
 * (this one included) and no queued task can be started by an idle one. */
static bool mem_stuck(const struct pst_mem *m)
{
	bool idle_can_start = m->queued > 0 && m->running < m->workers;
	return m->waiting + m->blocked + 1 >= m->running && !idle_can_start;
}

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reserves want more bytes for b, with a big-buffer slot when need_slot.
 * Returns what was granted (want, or less: then b->mem_over or b->cancelled
 * is set, and without a slot the buffer may not pass m->big). Under m->m. */
static uint64_t mem_wait(struct pst_mem *m, struct pst_obuf *b, uint64_t want, bool need_slot)
{
	uint64_t events = m->events, grant;
	double since = mono_now();
	bool got_slot = false, first = true;

	for (;;) {
		bool slot_ok = !need_slot || m->slots_used < m->slots ||
			       (b->worker < m->workers && m->wslots[b->worker] > 0);
		if (slot_ok && m->live + want <= m->max) {
			grant = want;
			got_slot = need_slot;
			break;
		}
		if (m->cancel && atomic_load(m->cancel)) {
			b->cancelled = true;
			grant = 0;
			break;
		}
		if (m->events != events) {
			events = m->events;
			since = mono_now();
		}
		if (mem_stuck(m) || mono_now() - since > PST_MEM_STALL_SECONDS) {
			/* Nobody can give memory back: take what is left. */
			grant = m->live < m->max ? m->max - m->live : 0;
			if (grant > want)
				grant = want;
			got_slot = need_slot && slot_ok;
			if (need_slot && !slot_ok)
				grant = b->held < m->big ? (m->big - b->held < grant ? m->big - b->held : grant) : 0;
			b->mem_over = true;
			break;
		}
		{
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 200 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			uint64_t gen;
			/* Counted until the next wake: a waiter counted here has
			 * seen the state as it is and cannot go on in it. */
			if (first)
				m->waits++;
			first = false;
			m->waiting++;
			gen = m->wake_gen;
			pthread_cond_timedwait(&m->cv, &m->m, &ts);
			if (m->wake_gen == gen)
				m->waiting--; /* timed out: nobody reset the count */
		}
	}
	if (got_slot) {
		m->slots_used++;
		if (b->worker < m->workers)
			m->wslots[b->worker]++;
		b->slot = true;
	}
	m->live += grant;
	if (m->live > m->peak)
		m->peak = m->live;
	return grant;
}

/* Grows b's reservation to cover cap bytes of capacity; returns the capacity
 * it may have (cap, or less when the budget cut it). */
static size_t obuf_reserve(struct pst_obuf *b, size_t cap)
{
	struct pst_mem *m = b->mem;
	uint64_t want, grant;

	if (!m || !m->wslots || !m->max || cap <= b->held - b->extra)
		return cap;
	want = cap - (b->held - b->extra);
	pthread_mutex_lock(&m->m);
	grant = mem_wait(m, b, want, cap > m->big && !b->slot);
	pthread_mutex_unlock(&m->m);
	b->held += grant;
	return grant == want ? cap : (size_t)(b->held - b->extra);
}

/* Gives back b's big-buffer slot: the buffer grows no more. */
static void obuf_drop_slot(struct pst_obuf *b)
{
	struct pst_mem *m = b->mem;
	if (!b->slot || !m || !m->wslots)
		return;
	pthread_mutex_lock(&m->m);
	m->slots_used--;
	if (b->worker < m->workers && m->wslots[b->worker])
		m->wslots[b->worker]--;
	mem_wake(m);
	pthread_mutex_unlock(&m->m);
	b->slot = false;
}

void pst_obuf_blocked(struct pst_obuf *b, bool on)
{
	struct pst_mem *m = b->mem;
	if (!m || !m->wslots)
		return;
	pthread_mutex_lock(&m->m);
	if (on)
		m->blocked++;
	else if (m->blocked)
		m->blocked--;
	mem_wake(m);
	pthread_mutex_unlock(&m->m);
}

enum pst_err pst_obuf_charge(struct pst_obuf *b, uint64_t n)
{
	struct pst_mem *m = b->mem;
	uint64_t grant;

	if (!m || !m->wslots || !m->max || n == 0)
		return PST_OK;
	pthread_mutex_lock(&m->m);
	grant = mem_wait(m, b, n, b->held + n > m->big && !b->slot);
	pthread_mutex_unlock(&m->m);
	b->held += grant;
	b->extra += grant;
	if (grant < n) {
		b->max = b->len;
		b->over = true;
		return PST_ELIMIT;
	}
	return PST_OK;
}

/* Hands b's bytes over to blob with keep bytes of b's reservation (the
 * rest, decoder state charged with pst_obuf_charge, is gone by now); b is
 * left empty. */
static struct pst_blob *hand_over(struct pst_obuf *b, struct pst_blob *blob, uint64_t keep)
{
	if (!blob)
		return NULL;
	obuf_drop_slot(b);
	if (b->mem && b->held > keep) {
		pst_mem_release(b->mem, b->held - keep);
		b->held = keep;
	}
	blob->mem = b->mem;
	blob->held = b->held;
	b->held = b->extra = 0;
	b->p = NULL;
	b->cap = 0;
	b->spill = 0;
	b->let_go = 0;
	return blob;
}

struct pst_blob *pst_obuf_take(struct pst_obuf *b)
{
	struct pst_blob *blob;

	if (b->spill) {
		/* A blob mapping its spill file, emptied for reuse when the
		 * blob goes; its pages are on disk, not in the budget. */
		blob = pst_blob_new_borrowed(b->p, b->len);
		if (blob) {
			blob->map_len = b->cap;
			blob->spill = b->spill;
			blob->spill_room = b->sparse ? b->written : b->cap;
			blob->holes = b->holes;
			blob->nholes = b->nholes;
			b->holes = NULL;
			b->nholes = b->capholes = 0;
		}
		return hand_over(b, blob, 0);
	}
	/* Shrinking a buffer to its content gives back the unused tail (for
	 * mmap'd chunks at once), and the reservation with it. Small ones too:
	 * a 2 KiB class file of a jar starts with 64 KiB of capacity, and
	 * thousands of them waiting in the queue held the budget 30 times over
	 * what they use (issue 15: /usr/lib/jvm cut 27,000 files at 0 bytes). */
	if (b->p && b->cap - b->len >= PST_OBUF_SLACK) {
		uint8_t *np = pst_realloc(b->p, b->len ? b->len : 1);
		if (np) {
			b->p = np;
			b->cap = b->len;
		}
	}
	return hand_over(b, pst_blob_new_owned(b->p, b->len), b->cap);
}

/* ---- obuf ---- */

/* The capacity b grows to for want more bytes: doubling, then by a quarter
 * past 32 MiB (capacity is what the memory budget counts, and big reallocs
 * move pages, not bytes), at most b->max. */
static size_t grow_target(const struct pst_obuf *b, size_t want)
{
	size_t cap = b->cap ? b->cap : 64 * 1024;
	while (cap - b->len < want)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap < (32u << 20) ? cap * 2 : cap + cap / 4;
	return cap > b->max ? b->max : cap;
}

/* Capacity for b from the budget, or from a spill file:
 * - when the buffer would take more than half of what content may ever
 *   have (the budget less the tree, mem_room): no wait could make room
 *   for two such, and one would hold every other worker up;
 * - when the budget would cut it because nobody can give memory back, and
 *   no decoder window is charged to it (a plain read or copy). A buffer a
 *   decoder fills is cut then, not spilled: its window could take the
 *   whole budget beside it, and the bombs' RSS bound would not hold
 *   (tests/e2e/bombs_memory.sh, "decoder windows": 640 MB).
 * Spilled or not, the buffer gets all its bytes, so the report is the same.
 * Returns the capacity b may have; b->p is the spill mapping when b->spill. */
static size_t grow_capacity(struct pst_obuf *b, size_t cap)
{
	struct pst_mem *m = b->mem;
	size_t got;

	if (b->spill) {
		if (pst_spill_grow(b, cap))
			return cap;
		b->mem_over = true; /* the spill room is used up: cut as the budget does */
		return b->cap;
	}
	if (!m || !m->max || !m->wslots)
		return obuf_reserve(b, cap);
	if (cap > mem_room(m) / 2 && pst_spill_start(b, cap))
		return cap;
	got = obuf_reserve(b, cap);
	if (got < cap && b->mem_over && !b->extra && !b->cancelled && pst_spill_start(b, cap)) {
		obuf_drop_slot(b);
		return cap;
	}
	return got;
}

/* Counts b's capacity growing to cap against the scan's total and ratio
 * (b->charge); returns the capacity it may have: cap, or less (b->max then
 * lowered to it). */
static size_t charge_total(struct pst_obuf *b, size_t cap)
{
	uint64_t delta, old, left;

	if (!b->charge || cap <= b->charged)
		return cap;
	delta = cap - b->charged;
	old = atomic_fetch_add(b->charge, delta);
	left = old < b->charge_max ? b->charge_max - old : 0;
	if (left < delta) {
		atomic_fetch_sub(b->charge, delta - left);
		cap = b->charged + (size_t)left;
		b->max = cap;
	}
	b->charged = cap;
	return cap;
}

void pst_obuf_expect(struct pst_obuf *b, uint64_t size)
{
	struct pst_mem *m = b->mem;
	size_t cap;

	if (b->p || b->spill || !m || !m->max || !m->wslots || size == 0)
		return;
	cap = size < b->max ? (size_t)size : b->max;
	/* only a spill file: a declared size is the input's word, and must
	 * never reserve (or wait for) budget the member may not use */
	if (cap <= mem_room(m) / 2 || !pst_spill_start(b, cap))
		return;
	charge_total(b, cap);
}

enum pst_err pst_obuf_grow(struct pst_obuf *b, size_t want, size_t *room)
{
	size_t cap;
	uint8_t *np;

	*room = 0;
	/* a writer filling a spilled buffer in place (a decoder, read(2))
	 * comes back here for room: its pages written so far go now */
	pst_spill_let_go(b);
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
	cap = grow_capacity(b, grow_target(b, want));
	if (cap <= b->len) {
		b->max = b->len;
		b->over = true;
		return PST_ELIMIT;
	}
	if (cap < b->max && (b->mem_over || b->cancelled))
		b->max = cap;
	cap = charge_total(b, cap);
	if (cap <= b->len) {
		b->over = true;
		return PST_ELIMIT;
	}
	if (!b->spill) {
		np = pst_realloc(b->p, cap ? cap : 1);
		if (!np)
			return PST_ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	*room = (cap < b->cap ? cap : b->cap) - b->len;
	return PST_OK;
}

/* Appends n bytes from src, or n zeros when src is NULL. */
static enum pst_err append(struct pst_obuf *b, const uint8_t *src, size_t n)
{
	while (n) {
		size_t room, k;
		enum pst_err e = pst_obuf_grow(b, n, &room);
		if (e)
			return e;
		k = n < room ? n : room;
		if (src) {
			memcpy(b->p + b->len, src, k);
			src += k;
		} else {
			memset(b->p + b->len, 0, k);
		}
		b->len += k;
		n -= k;
		pst_spill_let_go(b);
	}
	return PST_OK;
}

enum pst_err pst_obuf_append(struct pst_obuf *b, const void *p, size_t n)
{
	return n ? append(b, p, n) : PST_OK;
}

enum pst_err pst_obuf_zeros(struct pst_obuf *b, size_t n)
{
	return append(b, NULL, n);
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
	obuf_drop_slot(b);
	if (b->mem && b->held)
		pst_mem_release(b->mem, b->held);
	b->held = b->extra = 0;
	if (b->spill)
		pst_spill_drop(b->mem, b->spill, b->p, b->cap, b->sparse ? b->written : b->cap);
	else
		free(b->p);
	free(b->holes);
	b->holes = NULL;
	b->nholes = b->capholes = 0;
	b->spill = 0;
	b->let_go = 0;
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
	nv = pst_realloc(*v, nc * elem);
	if (!nv)
		return false;
	*v = nv;
	*cap = nc;
	return true;
}
