/*
 * sparse.c - virtual disks without their zeros (issue 15).
 *
 * A qcow2, VMDK or VHD(X) appliance declares a disk of many GB of which a
 * few hundred MB hold data; the rest is unallocated and reads as zeros.
 * Copied whole into memory such a disk hit --max-file-bytes and the budget
 * and was cut. Here the disk's library is read block by block into a spill
 * file (spill.c) as long as the disk, mapped: the partition and filesystem
 * unpackers read it contiguously as before, but an all-zero block is never
 * written (the file keeps a hole there) and is listed on the blob as a hole.
 * Holes are padding: not counted as unpacked bytes, not read by content
 * scanners (pst_own_less_holes), and hashed from a static zero block
 * (pst_view_digest), so their pages are never touched and cost no memory.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "internal.h"

static const uint8_t zero_block[PST_SPARSE_BLOCK];

bool pst_obuf_sparse(struct pst_obuf *b, uint64_t size)
{
	struct pst_mem *m = b->mem;
	unsigned spill;
	void *p;

	if (!m || size == 0 || size > SIZE_MAX / 2 || b->spill || b->p)
		return false;
	spill = pst_spill_take_sparse(m);
	if (!spill)
		return false;
	/* ftruncate allocates no blocks: the file is one hole until written */
	if (ftruncate(m->spill_fd[spill - 1], (off_t)size) != 0)
		goto fail;
	p = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, m->spill_fd[spill - 1], 0);
	if (p == MAP_FAILED)
		goto fail;
	pst_spill_mapped(m, spill, p, (size_t)size);
	b->p = p;
	b->cap = (size_t)size;
	b->spill = spill;
	b->sparse = true;
	return true;
fail:
	pst_spill_drop(m, spill, NULL, 0, 0);
	return false;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* Records [off, off+n) as a hole, merged with the previous one. */
static bool add_hole(struct pst_obuf *b, uint64_t off, uint64_t n)
{
	struct pst_range *last = b->nholes ? &b->holes[b->nholes - 1] : NULL;
	if (last && last->off + last->len == off) {
		last->len += n;
		return true;
	}
	if (!pst_array_grow((void **)&b->holes, &b->capholes, b->nholes, sizeof(*b->holes), 64))
		return false;
	b->holes[b->nholes].off = off;
	b->holes[b->nholes].len = n;
	b->nholes++;
	return true;
}

/* Counts n data bytes against the total/ratio charge and the spill room;
 * false (b cut, nothing counted) when either is used up. */
static bool count_data(struct pst_obuf *b, size_t n)
{
	if (b->charge) {
		uint64_t old = atomic_fetch_add(b->charge, n);
		if (old + n > b->charge_max) {
			atomic_fetch_sub(b->charge, n);
			b->over = true;
			return false;
		}
		b->charged += n;
	}
	if (!pst_spill_room(b->mem, (int64_t)n)) {
		b->over = b->mem_over = true;
		return false;
	}
	b->written += n;
	return true;
}

/* Writes one block at b->len: a hole when it is all zeros. */
static enum pst_err put_block(struct pst_obuf *b, const uint8_t *p, size_t n)
{
	int fd = b->mem->spill_fd[b->spill - 1];
	size_t done = 0;

	if (all_zero(p, n)) {
		if (!add_hole(b, b->len, n))
			return PST_ENOMEM;
		b->zeros += n;
		b->len += n;
		return PST_OK;
	}
	if (!count_data(b, n))
		return PST_ELIMIT;
	while (done < n) {
		ssize_t w = pwrite(fd, p + done, n - done, (off_t)(b->len + done));
		if (w <= 0)
			return PST_EIO;
		done += (size_t)w;
	}
	b->len += n;
	return PST_OK;
}

enum pst_err pst_obuf_put_sparse(struct pst_obuf *b, const uint8_t *p, size_t n)
{
	enum pst_err e = PST_OK;

	if (n > b->cap - b->len) {
		n = b->cap - b->len;
		b->over = true;
		e = PST_ELIMIT;
	}
	while (n) {
		size_t k = n < PST_SPARSE_BLOCK ? n : PST_SPARSE_BLOCK;
		enum pst_err w = put_block(b, p, k);
		if (w != PST_OK)
			return w;
		p += k;
		n -= k;
	}
	return e;
}

/* ---- reading around holes ---- */

/* Calls fn on each piece of v in order: data (p non-NULL) or a hole of b
 * (p NULL, len zeros). */
static void each_piece(const struct pst_blob *b, struct pst_view v,
		       void (*fn)(void *arg, const uint8_t *p, size_t len), void *arg)
{
	uint64_t base, at = 0;
	size_t i;

	/* holes are in b's coordinates: only a view inside b has them */
	if (b && (v.p < b->p || (size_t)(v.p - b->p) > b->len))
		b = NULL;
	base = b ? (uint64_t)(v.p - b->p) : 0;

	for (i = 0; b && i < b->nholes && at < v.len; i++) {
		const struct pst_range *h = &b->holes[i];
		uint64_t hs, he;
		if (h->off + h->len <= base + at)
			continue;
		if (h->off >= base + v.len)
			break;
		hs = h->off > base ? h->off - base : 0;
		he = h->off + h->len - base < v.len ? h->off + h->len - base : v.len;
		if (hs > at)
			fn(arg, v.p + at, (size_t)(hs - at));
		if (he > hs && he > at)
			fn(arg, NULL, (size_t)(he - (hs > at ? hs : at)));
		at = he > at ? he : at;
	}
	if (at < v.len)
		fn(arg, v.p + at, (size_t)(v.len - at));
}

struct digest {
	EVP_MD_CTX *md;
	uint64_t hist[256];
	bool failed;
};

/* A large view is hashed and counted in one pass, a chunk at a time, so that
 * its bytes come from memory once and from the cache the second time; what
 * was passed is let go every PST_VIEW_LET_GO bytes. */
#define DIGEST_CHUNK (256u << 10)

static void digest_piece(void *arg, const uint8_t *p, size_t len)
{
	struct digest *d = arg;
	const uint8_t *from;

	if (!p) {
		d->hist[0] += len;
		while (len) {
			size_t k = len < sizeof(zero_block) ? len : sizeof(zero_block);
			if (EVP_DigestUpdate(d->md, zero_block, k) != 1)
				d->failed = true;
			len -= k;
		}
		return;
	}
	from = p;
	while (len) {
		size_t k = len < DIGEST_CHUNK ? len : DIGEST_CHUNK;
		pst_hist_add(d->hist, p, k);
		if (EVP_DigestUpdate(d->md, p, k) != 1)
			d->failed = true;
		p += k;
		len -= k;
		if ((size_t)(p - from) >= PST_VIEW_LET_GO) {
			pst_view_let_go(from, (size_t)(p - from));
			from = p;
		}
	}
}

void pst_view_digest(const struct pst_blob *b, struct pst_view v, uint8_t sha[32],
		     double *entropy)
{
	struct digest d;
	unsigned int n = 32;

	if ((!b || !b->nholes) && v.len <= DIGEST_CHUNK) {
		pst_sha256(v.p, v.len, sha);
		*entropy = pst_entropy(v.p, v.len);
		return;
	}
	memset(&d, 0, sizeof(d));
	d.md = EVP_MD_CTX_new();
	if (!d.md || EVP_DigestInit_ex(d.md, EVP_sha256(), NULL) != 1)
		d.failed = true;
	if (!d.failed)
		each_piece(b, v, digest_piece, &d);
	if (d.failed || EVP_DigestFinal_ex(d.md, sha, &n) != 1)
		memset(sha, 0, 32);
	EVP_MD_CTX_free(d.md);
	*entropy = pst_hist_entropy(d.hist, v.len);
}

/* ---- what content scanners read ---- */

struct cut {
	const struct pst_range *own; /* NULL: all of the view */
	size_t nown;
	const uint8_t *base;
	struct pst_range *out;
	size_t n, cap;
	bool lost;
};

/* Keeps the data piece [p, p+len) intersected with the own ranges. */
static void cut_piece(void *arg, const uint8_t *p, size_t len)
{
	struct cut *c = arg;
	uint64_t s, e;
	size_t i;

	if (!p)
		return;
	s = (uint64_t)(p - c->base);
	e = s + len;
	for (i = 0; i < (c->own ? c->nown : 1); i++) {
		uint64_t os = c->own ? c->own[i].off : s;
		uint64_t oe = c->own ? os + c->own[i].len : e;
		uint64_t a = os > s ? os : s, z = oe < e ? oe : e;
		if (a >= z)
			continue;
		if (!pst_array_grow((void **)&c->out, &c->cap, c->n, sizeof(*c->out), 16)) {
			c->lost = true;
			return;
		}
		c->out[c->n].off = a;
		c->out[c->n].len = z - a;
		c->n++;
	}
}

struct pst_range *pst_own_less_holes(const struct pst_blob *b, struct pst_view v,
				     struct pst_range *own, size_t *nown)
{
	struct cut c = { own, *nown, v.p, NULL, 0, 0, false };

	if (!b || !b->nholes)
		return own;
	each_piece(b, v, cut_piece, &c);
	if (c.lost) {
		free(c.out);
		return own;
	}
	free(own);
	*nown = c.n;
	/* an empty list is "nothing to read", not NULL ("all of it") */
	if (!c.out)
		c.out = pst_malloc(sizeof(*c.out));
	return c.out;
}

struct pst_view pst_view_before_hole(const struct pst_blob *b, struct pst_view v)
{
	uint64_t base;
	size_t i;

	if (!b || !b->nholes || v.p < b->p || (size_t)(v.p - b->p) > b->len)
		return v;
	base = (uint64_t)(v.p - b->p);
	for (i = 0; i < b->nholes; i++) {
		const struct pst_range *h = &b->holes[i];
		uint64_t end;
		if (h->off + h->len <= base)
			continue;
		end = h->off > base ? h->off - base : 0;
		if (end < PST_SPARSE_BLOCK)
			end = PST_SPARSE_BLOCK;
		return pst_view_sub(v, 0, end);
	}
	return v;
}

/* Loads hole it->i into start/end (clipped to the view), or none. */
static void holes_load(struct pst_holes *it)
{
	while (it->i < it->n && it->h[it->i].off + it->h[it->i].len <= it->base)
		it->i++;
	it->start = it->end = UINT64_MAX;
	if (it->i < it->n && it->h[it->i].off < it->base + it->len) {
		const struct pst_range *h = &it->h[it->i];
		it->start = h->off > it->base ? h->off - it->base : 0;
		it->end = h->off + h->len - it->base;
		if (it->end > it->len)
			it->end = it->len;
	}
}

void pst_holes_init(struct pst_holes *it, const struct pst_blob *b, struct pst_view v)
{
	memset(it, 0, sizeof(*it));
	if (b && b->nholes && v.p >= b->p && (size_t)(v.p - b->p) <= b->len) {
		it->h = b->holes;
		it->n = b->nholes;
		it->base = (uint64_t)(v.p - b->p);
		it->len = v.len;
	}
	holes_load(it);
}

uint64_t pst_holes_skip(struct pst_holes *it, uint64_t pos)
{
	while (pos >= it->start) {
		if (pos < it->end)
			pos = it->end;
		it->i++;
		holes_load(it);
	}
	return pos;
}
