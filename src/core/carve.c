/*
 * carve.c - finds objects inside raw images (flash dumps, kernels) by their
 * headers, when no container claims the bytes at offset 0.
 *
 * A two-byte prefix bitmap of every carvable unpacker's magics makes the scan
 * one table lookup per byte. Each candidate must win a bid (headers checked,
 * CRCs where the format has them) and then actually open; the bytes it
 * occupies are skipped, so a stream inside a found filesystem is never found
 * twice. What no object explains, less padding, is reported.
 */
#include <pthread.h>
#include <string.h>
#include <stdlib.h>
#include "internal.h"

#define MIN_GAP 64

struct gap_list {
	uint64_t bytes;
	unsigned n;
	char text[PST_CAP_GAPS_SHOWN * 48];
	size_t tlen;
};

/* Bytes in [a, b) that are not 0x00/0xff padding; a virtual disk's holes
 * (sparse.c) are zeros and skipped unread. */
static uint64_t meaningful(struct pst_view in, struct pst_holes *hs, uint64_t a, uint64_t b)
{
	uint64_t i, n = 0;
	for (i = a; i < b; i++) {
		if (i >= hs->start) {
			i = pst_holes_skip(hs, i);
			if (i >= b)
				break;
		}
		if (in.p[i] != 0x00 && in.p[i] != 0xff)
			n++;
	}
	return n;
}

static void add_gap(struct gap_list *g, struct pst_view in, struct pst_holes *hs, uint64_t a,
		    uint64_t b)
{
	uint64_t m;
	if (b <= a)
		return;
	m = meaningful(in, hs, a, b);
	if (m < MIN_GAP)
		return;
	g->bytes += m;
	if (g->n < PST_CAP_GAPS_SHOWN) {
		int w = snprintf(g->text + g->tlen, sizeof(g->text) - g->tlen, "%s0x%llx-0x%llx",
				 g->n ? ", " : "", (unsigned long long)a, (unsigned long long)b);
		if (w > 0 && (size_t)w < sizeof(g->text) - g->tlen)
			g->tlen += (size_t)w;
	}
	g->n++;
}

/* Every carvable magic, sorted by its first two bytes (then by registry
 * order, so that of equal bids the earlier unpacker still wins): a byte
 * pair seen in the image looks up only the magics that begin with it. */
struct magic_ref {
	unsigned prefix;
	size_t order;
	const struct pst_unpacker *u;
	const struct pst_magic *m;
};

struct magic_index {
	uint8_t bits[8192];            /* prefixes present */
	struct magic_ref ref[PST_CAP_CARVE_MAGICS];
	size_t n;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct magic_ref *x = a, *y = b;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void build_index(struct magic_index *ix)
{
	size_t i;
	const struct pst_magic *m;
	memset(ix->bits, 0, sizeof(ix->bits));
	ix->n = 0;
	for (i = 0; pst_unpackers[i]; i++) {
		if (!(pst_unpackers[i]->flags & PST_UNPACK_CARVE) || !pst_unpackers[i]->magics)
			continue;
		for (m = pst_unpackers[i]->magics; m->bytes && ix->n < PST_CAP_CARVE_MAGICS; m++) {
			unsigned idx = (unsigned)(uint8_t)m->bytes[0] << 8 | (uint8_t)m->bytes[1];
			ix->bits[idx >> 3] |= (uint8_t)(1u << (idx & 7));
			ix->ref[ix->n].prefix = idx;
			ix->ref[ix->n].order = ix->n;
			ix->ref[ix->n].u = pst_unpackers[i];
			ix->ref[ix->n].m = m;
			ix->n++;
		}
	}
	qsort(ix->ref, ix->n, sizeof(ix->ref[0]), cmp_ref);
}

/* The unpacker table is constant, so its index is built once per process and
 * only read afterwards: a tree of 90,000 small files is carved 90,000 times,
 * and building the index (an 8 KiB bitmap and a sort) each time cost more
 * than scanning most of those files. */
static struct magic_index g_index;
static pthread_once_t g_index_once = PTHREAD_ONCE_INIT;

static void build_g_index(void)
{
	build_index(&g_index);
}

static const struct magic_index *magic_index(void)
{
	pthread_once(&g_index_once, build_g_index);
	return &g_index;
}

/* The best unpacker whose magic sits at pos, for an object starting at or
 * after cursor; *obj gets where that object starts. Bytes every unpacker
 * has bid on already and nobody won (known: the walker's bid on the node)
 * are not bid on again. */
static const struct pst_unpacker *candidate(const struct magic_index *ix, struct pst_view in,
					    uint64_t pos, uint64_t cursor,
					    const struct pst_bid *known, uint64_t *obj)
{
	const struct pst_unpacker *best = NULL;
	unsigned top = 0, idx = (unsigned)in.p[pos] << 8 | in.p[pos + 1];
	size_t lo = 0, hi = ix->n, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->ref[mid].prefix < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < ix->n && ix->ref[i].prefix == idx; i++) {
		const struct pst_unpacker *u = ix->ref[i].u;
		const struct pst_magic *m = ix->ref[i].m;
		uint64_t start;
		unsigned b;
		if (pos < m->off || pos - m->off < cursor)
			continue;
		if (!pst_view_has(in, pos, m->len) || memcmp(in.p + pos, m->bytes, m->len) != 0)
			continue;
		start = pos - m->off;
		if (!known->u && pst_bid_is(known, in.p + start, in.len - (size_t)start))
			continue;
		b = u->bid(in.p + start, in.len - (size_t)start);
		if (b > top) {
			top = b;
			best = u;
			*obj = start;
		}
	}
	return best;
}

/* Bytes whose content is examined as what they are, whatever is carved from
 * them: a program, or data identified for what it is (identify.c: a kernel
 * image, a picture, a font, device firmware). */
static bool examined_as_is(const struct pst_node *n)
{
	return n->kind == PST_KIND_ELF ||
	       ((n->kind == PST_KIND_DATA || n->kind == PST_KIND_ENTROPY) && n->kind_detail);
}

/* Whether n is a raw image or a part of one - the target, a firmware
 * container's payload, a stream carved out of such a part - rather than a
 * file of a file system: there every byte must be explained. High-entropy
 * content is held to that anywhere. */
static bool image_part(const struct pst_node *n)
{
	const struct pst_node *p = n->parent;
	if (!p || n->kind == PST_KIND_FIRMWARE || n->kind == PST_KIND_ENTROPY ||
	    p->kind == PST_KIND_FIRMWARE)
		return true;
	return p->kind == PST_KIND_COMPRESSED && (p->flags & PST_NODE_CARVED) && image_part(p);
}

/* Content no unpacker opened and nothing identified: high-entropy data (a
 * compressed or encrypted payload of a format postern does not know), or a
 * large blob inside a firmware part (a monolithic firmware nothing can
 * analyse). It was not examined, and the verdict must not say it was. */
#define UNIDENTIFIED_BLOB (64u * 1024u)

static void unidentified(struct pst_sink *k, struct pst_node *n)
{
	bool dense = n->kind == PST_KIND_ENTROPY;
	if (examined_as_is(n) || n->flags & PST_NODE_ENCRYPTED)
		return;
	if (!dense && !(image_part(n) && n->size >= UNIDENTIFIED_BLOB))
		return;
	pst_cov_add(k->scan, &k->scan->cov.unidentified, 1);
	pst_finding_add(k->scan, n, "coverage.unidentified", PST_SEV_LOW, "coverage", 0, NULL,
			dense ? "%llu bytes of high-entropy data (%.2f bits/byte) that no unpacker opened and nothing identified: their content was not examined"
			      : "%llu bytes of unidentified data inside a firmware image (%.2f bits/byte): a blob no analyzer can read, its content was not examined",
			(unsigned long long)n->size, n->entropy);
}

/* Where a Linux kernel module's appended signature starts (module_signing:
 * the PKCS#7 blob, a DER SEQUENCE, then a 12-byte struct module_signature
 * whose last field is its big-endian length, then "~Module signature
 * appended~\n"), or in.len. */
static uint64_t module_signature(struct pst_view in, uint64_t start)
{
	static const char magic[] = "~Module signature appended~\n";
	const size_t mlen = sizeof(magic) - 1;
	uint32_t siglen;
	uint64_t tail;
	if (in.len < start + mlen + 12 || memcmp(in.p + in.len - mlen, magic, mlen) != 0)
		return in.len;
	tail = in.len - mlen - 12;
	siglen = pst_be32(in.p + tail + 8);
	if (in.p[tail + 2] != 2 /* PKEY_ID_PKCS7 */ || siglen > tail - start ||
	    pst_der_seq_len(in, tail - siglen) != siglen)
		return in.len;
	return tail - siglen;
}

/* Whether [start, in.len) is an x86 kernel's relocation table, which the
 * kernel build appends to the vmlinux it compresses into a bzImage (Linux's
 * arch/x86/tools/relocs.c; the decompressor reads it back from the end):
 * 32-bit little-endian entries, each the low half of an address inside the
 * kernel, in groups that each begin with a zero: three for a 64-bit kernel
 * (64-bit, inverse 32-bit, 32-bit), one for a 32-bit one. */
static bool kernel_relocs(const struct pst_node *n, struct pst_view in, uint64_t start)
{
	const struct pst_elf_info *e = &n->elf;
	unsigned zeros = 0, want = e->elf_class == 2 ? 3 : 1;
	uint64_t i;
	if ((e->machine != 3 && e->machine != 62) || e->type != 2 /* ET_EXEC */ || !e->vhi ||
	    e->vhi - e->vlo > UINT32_MAX || (in.len - start) % 4 || in.len - start < 8 ||
	    pst_le32(in.p + start) != 0)
		return false;
	for (i = start; i < in.len; i += 4) {
		uint32_t r = pst_le32(in.p + i);
		if (r == 0) {
			if (++zeros > want)
				return false;
		} else if (((r - (uint32_t)e->vlo) & 0xffffffffu) >= e->vhi - e->vlo) {
			return false;
		}
	}
	return zeros == want;
}

/* The overlay of n, searched from start: [*from, *stop), the bytes past
 * what a program or a text accounts for, where what nothing carved explains
 * was not examined (a self-extractor's payload in a format postern does not
 * open, a blob a stub decrypts) and is reported. An ELF's and a text's begin
 * where walk.c's carve_from starts the search (embedded.c: past PAR's
 * records); a PE program is searched whole, and its overlay begins past its
 * headers, sections, symbols and certificate table. A kernel module's
 * signature and an x86 kernel's relocation table end it. False (*from 0,
 * *stop in.len): none, or n was cut short (a limit, a damaged stream) and is
 * reported as such: past its cut, its headers' claims are not there to say
 * where it ends. */
static bool overlay_of(const struct pst_node *n, struct pst_view in, uint64_t start,
		       uint64_t *from, uint64_t *stop)
{
	*from = 0;
	*stop = in.len;
	if (n->flags & (PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE))
		return false;
	if (start > 0 && (n->kind == PST_KIND_SCRIPT || n->kind == PST_KIND_TEXT)) {
		*from = start;
		return true;
	}
	if (start > 0 && n->kind == PST_KIND_ELF) {
		*from = start;
		*stop = kernel_relocs(n, in, start) ? start : module_signature(in, start);
		return true;
	}
	if (start == 0 && n->kind_detail == pst_kind_pe) {
		uint64_t end = pst_pe_end(in);
		if (end > 0 && end < in.len) {
			*from = end;
			return true;
		}
	}
	return false;
}

void pst_carve(struct pst_sink *k, struct pst_view in, uint64_t start)
{
	const struct magic_index *ix = magic_index();
	uint64_t pos, cursor = start, found = 0;
	struct gap_list gaps;
	struct pst_holes scan_holes, gap_holes;
	struct pst_node *n = k->parent;
	/* A program carved for what it carries (walk.c, carve_from), or data
	 * identified for what it is, is examined as that whatever is found in
	 * it: its coverage is not a raw image's (no unrecognized target, no
	 * unexplained ranges). */
	bool as_is = examined_as_is(n);
	bool text = n->kind == PST_KIND_SCRIPT || n->kind == PST_KIND_TEXT;
	uint64_t from, stop;
	bool overlay = overlay_of(n, in, start, &from, &stop);

	memset(&gaps, 0, sizeof(gaps));
	pst_holes_init(&scan_holes, k->blob, in);
	pst_holes_init(&gap_holes, k->blob, in);
	for (pos = start; pos + 1 < in.len; pos++) {
		unsigned idx;
		const struct pst_unpacker *u;
		uint64_t obj = 0, used;

		if (pos >= scan_holes.start) {
			/* a hole holds no object: its pages are never read */
			pos = pst_holes_skip(&scan_holes, pos);
			if (pos + 1 >= in.len)
				break;
		}
		idx = (unsigned)in.p[pos] << 8 | in.p[pos + 1];

		if (!(ix->bits[idx >> 3] & (1u << (idx & 7))))
			continue;
		u = candidate(ix, in, pos, cursor, &k->bid, &obj);
		if (!u)
			continue;
		if (pst_sink_cancelled(k))
			break;
		used = pst_walk_region(k, obj, pst_view_sub(in, obj, in.len - obj), u);
		if (!used)
			continue;
		add_gap(&gaps, in, &gap_holes, cursor > from ? cursor : from, obj);
		found++;
		cursor = obj + used;
		pos = cursor - 1;
	}
	if (found || start > 0 || overlay)
		add_gap(&gaps, in, &gap_holes, cursor > from ? cursor : from, stop);
	if (found == 0 && start == 0 && !overlay) {
		/* Nothing inside: it is plain data, unless it is the target itself,
		 * which then could not be examined at all. */
		if (n->parent == NULL && !as_is) {
			bool enc = n->entropy > 7.9;
			if (enc) {
				n->flags |= PST_NODE_ENCRYPTED;
				pst_cov_add(k->scan, &k->scan->cov.encrypted, 1);
			}
			n->flags |= PST_NODE_INCOMPLETE;
			pst_cov_add(k->scan, &k->scan->cov.incomplete, 1);
			pst_finding_add(k->scan, n, enc ? "coverage.encrypted" : "coverage.unrecognized",
					PST_SEV_LOW, "coverage", 0, NULL,
					enc ? "the target looks encrypted (entropy %.2f bits/byte); its content could not be examined"
					    : "no known format found in the target (entropy %.2f bits/byte); its content could not be examined",
					n->entropy);
		} else if (n->parent) {
			unidentified(k, n);
		}
		return;
	}
	/* Gaps matter in raw images and their parts, not in ordinary data files
	 * that happen to contain a stream. */
	if (gaps.bytes && ((!as_is && image_part(n)) || overlay)) {
		static const char past_end[] =
			"%llu bytes in %u range(s) past the end of this program (an overlay its "
			"headers do not account for) belong to no recognised object: they were not "
			"examined";
		static const char past_text[] =
			"%llu bytes in %u range(s) after this file's text (a payload appended to "
			"it) belong to no recognised object: they were not examined";
		static const char in_image[] =
			"%llu bytes in %u range(s) of this image belong to no recognised object";
		pst_cov_add(k->scan, &k->scan->cov.unexplained_bytes, gaps.bytes);
		pst_finding_add(k->scan, n, "coverage.unexplained", PST_SEV_LOW, "coverage", 0,
				gaps.text, !overlay ? in_image : text ? past_text : past_end,
				(unsigned long long)gaps.bytes, gaps.n);
	}}

void pst_carve_rest(struct pst_sink *k, struct pst_view in, uint64_t off, uint64_t len,
		    uint64_t used)
{
	struct pst_view region = pst_view_sub(in, 0, off + len);
	if (used >= len || off + used >= region.len || pst_sink_cancelled(k))
		return;
	pst_carve(k, region, off + used);
}
