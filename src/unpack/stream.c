/*
 * stream.c - raw compressed streams: gzip (RFC 1952), xz (tukaani.org/xz
 * format), lzma-alone, size-less LZMA (below), zstd (RFC 8878 frames), bzip2
 * and lz4 frames. Each is an unpacker with one child, the decompressed
 * content, so they are found at any offset inside a raw image and the bytes
 * they occupy are known exactly. The decoding itself is zlib's, liblzma's,
 * libzstd's, libbz2's and liblz4's.
 *
 * LZMA comes in two framings: lzma-alone (properties byte, 32-bit dictionary
 * size, 64-bit uncompressed size or "unknown", then the range coder, whose
 * first byte is always 0) and the size-less form Broadcom-style loaders
 * unpack, as in DD-WRT's TRX kernels and CFE images (properties, dictionary,
 * and the range coder at once; an end marker, or none and the end of the
 * region). They are told apart by where the range coder's zero byte sits and
 * whether the 64-bit field reads as a plausible size; a size-less stream
 * must decode to at least LZMA_NOSIZE_MIN bytes (a kernel or a boot loader,
 * not a chance match).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <bzlib.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include "stream.h"

#define CHUNK (256u * 1024u)
#define LZMA_NOSIZE_MIN (64u * 1024u)

/*
 * Every codec is one step function driven by drive(): the step decodes what
 * it can of in[*pos..] into dst[0..room), advancing *pos and setting *made.
 * drive() gives each step a fresh CHUNK of output room and stops at the end
 * of the stream, on an error, or when the codec wants input there is none of
 * (a truncated stream).
 *
 * A decoder whose window can be big (xz: up to 4 GiB as the header declares
 * it; zstd: up to 128 MiB) has a window function: the window is touched as
 * the output fills it, so drive() charges min(window, bytes out) to the
 * memory budget after each step (pst_obuf_charge), and cuts the stream
 * there when the budget cannot give it.
 */
enum step { STEP_MORE, STEP_END, STEP_BAD, STEP_NOMEM,
	     STEP_PAUSE /* stopped at a set output size (lzma1's probe) */ };
typedef enum step (*step_fn)(void *z, struct pst_view in, size_t *pos, uint8_t *dst,
			     size_t room, size_t *made);
typedef uint64_t (*window_fn)(void *z);

static unsigned clamp32(size_t n) { return n > UINT32_MAX ? UINT32_MAX : (unsigned)n; }

static enum pst_err drive_from(void *z, step_fn step, window_fn window, struct pst_view in,
			       struct pst_obuf *out, uint64_t *consumed, uint64_t *charged_io)
{
	enum pst_err rc = PST_OK;
	size_t pos = 0;
	uint64_t done = 0, charged = *charged_io;

	for (;;) {
		size_t room, made = 0, before = pos;
		enum step st;
		rc = pst_obuf_grow(out, CHUNK, &room);
		if (rc)
			break;
		if (room > CHUNK)
			room = CHUNK;
		st = step(z, in, &pos, out->p + out->len, room, &made);
		out->len += made;
		done += made;
		if (st == STEP_END || st == STEP_PAUSE)
			break;
		if (st != STEP_MORE) {
			rc = st == STEP_NOMEM ? PST_ENOMEM : PST_EFORMAT;
			break;
		}
		if (window) {
			uint64_t w = window(z), use = w < done ? w : done;
			if (use > charged && pst_obuf_charge(out, use - charged) != PST_OK) {
				rc = PST_ELIMIT;
				break;
			}
			if (use > charged)
				charged = use;
		}
		if ((pos == in.len && made < room) || (pos == before && made == 0)) {
			rc = PST_EFORMAT; /* starved or stuck: cut short */
			break;
		}
	}
	*consumed = pos;
	*charged_io = charged;
	return rc;
}

static enum pst_err drive(void *z, step_fn step, window_fn window, struct pst_view in,
			  struct pst_obuf *out, uint64_t *consumed)
{
	uint64_t charged = 0;
	return drive_from(z, step, window, in, out, consumed, &charged);
}

static enum step zlib_step(void *p, struct pst_view in, size_t *pos, uint8_t *dst, size_t room,
			   size_t *made)
{
	z_stream *z = p;
	unsigned ai = clamp32(in.len - *pos), ao = clamp32(room);
	int r;
	z->next_in = (Bytef *)(uintptr_t)(in.p + *pos);
	z->avail_in = ai;
	z->next_out = dst;
	z->avail_out = ao;
	r = inflate(z, Z_NO_FLUSH);
	*pos += ai - z->avail_in;
	*made = ao - z->avail_out;
	return r == Z_STREAM_END ? STEP_END : r == Z_OK ? STEP_MORE : r == Z_MEM_ERROR ? STEP_NOMEM : STEP_BAD;
}

static enum pst_err gunzip(struct pst_view in, struct pst_obuf *out, uint64_t *consumed, int wbits)
{
	z_stream z;
	enum pst_err rc;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		return PST_ENOMEM;
	rc = drive(&z, zlib_step, NULL, in, out, consumed);
	inflateEnd(&z);
	return rc;
}

/*
 * liblzma allocates through this allocator (lzma_allocator): postern's
 * allocator, so a failure is noted as out of memory (pst_oom_seen), and
 * every byte liblzma holds is counted. drive() charges that count to the
 * memory budget as the output touches it: min(bytes held, bytes decoded).
 */
struct lzalloc {
	lzma_allocator a;
	uint64_t held;
};

static void *lz_alloc(void *opaque, size_t nmemb, size_t size)
{
	struct lzalloc *z = opaque;
	uint64_t *p;
	if (size && nmemb > (SIZE_MAX - 16) / size)
		return NULL;
	p = pst_malloc(16 + nmemb * size);
	if (!p)
		return NULL;
	p[0] = nmemb * size; /* 16 bytes keep malloc's alignment */
	z->held += p[0];
	return p + 2;
}

static void lz_free(void *opaque, void *ptr)
{
	struct lzalloc *z = opaque;
	uint64_t *p = ptr;
	if (!p)
		return;
	z->held -= p[-2];
	free(p - 2);
}

static void lzalloc_init(struct lzalloc *z)
{
	z->a.alloc = lz_alloc;
	z->a.free = lz_free;
	z->a.opaque = z;
	z->held = 0;
}

static enum step lzma_step(void *p, struct pst_view in, size_t *pos, uint8_t *dst, size_t room,
			   size_t *made)
{
	lzma_stream *z = p;
	lzma_ret r;
	z->next_in = in.p + *pos;
	z->avail_in = in.len - *pos;
	z->next_out = dst;
	z->avail_out = room;
	r = lzma_code(z, LZMA_FINISH);
	*pos = in.len - z->avail_in;
	*made = room - z->avail_out;
	return r == LZMA_STREAM_END ? STEP_END : r == LZMA_OK ? STEP_MORE
	       : r == LZMA_MEM_ERROR || r == LZMA_MEMLIMIT_ERROR ? STEP_NOMEM : STEP_BAD;
}

struct xzdec {
	lzma_stream z;
	struct lzalloc al;
};

static uint64_t xz_window(void *p)
{
	return ((struct xzdec *)p)->al.held;
}

static enum step xz_step(void *p, struct pst_view in, size_t *pos, uint8_t *dst, size_t room,
			 size_t *made)
{
	return lzma_step(&((struct xzdec *)p)->z, in, pos, dst, room, made);
}

static enum pst_err unxz(struct pst_view in, struct pst_obuf *out, uint64_t *consumed)
{
	struct xzdec x = { LZMA_STREAM_INIT, { { NULL, NULL, NULL }, 0 } };
	enum pst_err rc;
	lzalloc_init(&x.al);
	x.z.allocator = &x.al.a;
	if (lzma_stream_decoder(&x.z, PST_CAP_LZMA_MEMLIMIT, 0) != LZMA_OK)
		return PST_ENOMEM;
	rc = drive(&x, xz_step, xz_window, in, out, consumed);
	lzma_end(&x.z);
	return rc;
}

/* 2^n or 2^n + 2^(n-1), the sizes encoders write. */
static bool dict_size_ok(uint32_t d)
{
	uint32_t low = d & (0u - d);
	uint32_t rest = d - low;
	return rest == 0 || rest == low * 2;
}

/* The properties byte (lc, lp, pb) as LZMA1 defines it: under 225, and
 * liblzma's LZMA1 decoder wants lc + lp <= 4. */
static bool lzma_props_ok(uint8_t b)
{
	return b <= 224 && b % 9u + (b / 9u) % 5u <= 4;
}

/* lzma-alone: valid properties, a dictionary size an encoder writes (xz
 * and the LZMA SDK write 2^n or 2^n + 2^(n-1)), a plausible size (or
 * "unknown") and the range coder's zero. Without the dictionary test,
 * carved chance matches in compressed data asked liblzma for dictionaries
 * of gigabytes. */
static bool lzma_alone_hdr(const uint8_t *h, size_t len)
{
	uint64_t size;
	if (len < 14 || !lzma_props_ok(h[0]) || h[13] != 0 || !dict_size_ok(pst_le32(h + 1)))
		return false;
	size = pst_le64(h + 5);
	return size == UINT64_MAX || (size > 0 && size <= (4ull << 30));
}

/* Size-less: valid properties, a dictionary an encoder writes, the range
 * coder's zero right after it, and not readable as lzma-alone. */
static bool lzma_nosize_hdr(const uint8_t *h, size_t len)
{
	uint32_t dict;
	if (len < 14 || !lzma_props_ok(h[0]) || h[5] != 0)
		return false;
	dict = pst_le32(h + 1);
	if (dict < 4096 || dict > PST_CAP_LZMA_NOSIZE_DICT || !dict_size_ok(dict))
		return false;
	return !lzma_alone_hdr(h, len);
}

/*
 * Both framings are decoded by liblzma's raw LZMA1 decoder (LZMA1EXT: the
 * uncompressed size when the header has one, an end marker allowed), with
 * the dictionary postern chooses from the header, not the one it declares:
 *
 *  - never more than the uncompressed size: a match reaches back at most
 *    to the first byte decoded, so a bigger dictionary is never read;
 *  - first a probe with at most LZMA_PROBE_DICT, run until the output holds
 *    that much: until then every match reaches within the probe's
 *    dictionary, so the probe decodes what the full dictionary would, and
 *    a chance match (garbage after a header, as in class files) ends there
 *    with a data error. Only a stream that decoded that far is decoded
 *    again from its start with the whole dictionary.
 *
 * So a carved candidate's outcome depends on its bytes only, not on what
 * address space or memory was left when liblzma asked for the dictionary
 * the header declares (/usr/lib/jvm's class files reported "lzma: out of
 * memory" a varying number of times when that allocation failed).
 */
#define LZMA_PROBE_DICT (1u << 20)

struct lz1 {
	lzma_stream z;
	struct lzalloc al;
	enum step last;
	uint64_t stop, made; /* a probe pauses when made reaches stop (0: none) */
};

static enum step lz1_step(void *p, struct pst_view in, size_t *pos, uint8_t *dst, size_t room,
			  size_t *made)
{
	struct lz1 *d = p;
	if (d->stop && room > d->stop - d->made)
		room = (size_t)(d->stop - d->made);
	d->last = lzma_step(&d->z, in, pos, dst, room, made);
	d->made += *made;
	if (d->last == STEP_MORE && d->stop && d->made >= d->stop)
		return STEP_PAUSE;
	return d->last;
}

static uint64_t lz1_window(void *p)
{
	return ((struct lz1 *)p)->al.held;
}

struct lz1_hdr {
	uint8_t props;
	uint32_t dict;
	uint64_t size; /* UINT64_MAX: unknown */
	bool nosize;   /* no size field: the stream may end without a marker */
};

/* One run of the decoder over body with dictionary dict, paused at stop
 * bytes of output (0: none). *paused says whether it was. */
static enum pst_err lz1_run(const struct lz1_hdr *h, struct pst_view body, uint32_t dict,
			    uint64_t stop, struct pst_obuf *out, uint64_t *used, uint64_t *charged,
			    bool *paused)
{
	struct lz1 d = { LZMA_STREAM_INIT, { { NULL, NULL, NULL }, 0 }, STEP_MORE, stop, 0 };
	lzma_options_lzma opt;
	lzma_filter f[2];
	lzma_ret r;
	enum pst_err rc;

	*paused = false;
	memset(&opt, 0, sizeof(opt));
	opt.lc = h->props % 9u;
	opt.lp = (h->props / 9u) % 5u;
	opt.pb = h->props / 45u;
	opt.dict_size = dict;
	opt.ext_flags = LZMA_LZMA1EXT_ALLOW_EOPM;
	opt.ext_size_low = (uint32_t)h->size;
	opt.ext_size_high = (uint32_t)(h->size >> 32);
	f[0].id = h->nosize ? LZMA_FILTER_LZMA1 : LZMA_FILTER_LZMA1EXT;
	f[0].options = &opt;
	f[1].id = LZMA_VLI_UNKNOWN;
	f[1].options = NULL;
	lzalloc_init(&d.al);
	d.z.allocator = &d.al.a;
	r = lzma_raw_decoder(&d.z, f);
	if (r != LZMA_OK) {
		lzma_end(&d.z);
		return r == LZMA_MEM_ERROR ? PST_ENOMEM : PST_EFORMAT;
	}
	rc = drive_from(&d, lz1_step, lz1_window, body, out, used, charged);
	*paused = rc == PST_OK && d.last != STEP_END && stop && d.made >= stop;
	/* the size-less form may also have no end marker (a loader that knows
	 * the length from elsewhere): running out of input with no data error
	 * is then its end, not a cut */
	if (h->nosize && rc == PST_EFORMAT && d.last == STEP_MORE && *used == body.len)
		rc = PST_OK;
	lzma_end(&d.z);
	return rc;
}

static enum pst_err lz1_decode(const struct lz1_hdr *h, struct pst_view body,
			       struct pst_obuf *out, uint64_t *used)
{
	uint64_t need = h->size < h->dict ? h->size : h->dict, charged = 0;
	uint32_t dict, probe;
	bool paused;
	enum pst_err rc;

	dict = need < 4096 ? 4096 : (uint32_t)need;
	/* what liblzma would have been allowed for the whole stream (the
	 * LZMA1 decoder needs the dictionary and about 30 KiB of tables) */
	if (dict > PST_CAP_LZMA_MEMLIMIT - (1u << 20))
		return PST_ENOMEM;
	probe = dict < LZMA_PROBE_DICT ? dict : LZMA_PROBE_DICT;
	rc = lz1_run(h, body, probe, probe < dict ? probe : 0, out, used, &charged, &paused);
	if (!paused)
		return rc;
	out->len = 0; /* decoded again, whole */
	return lz1_run(h, body, dict, 0, out, used, &charged, &paused);
}

/* An LZMA stream in either framing: lzma-alone (13 bytes of header) or
 * size-less (5). */
static enum pst_err unlzma(struct pst_view in, bool nosize, struct pst_obuf *out,
			   uint64_t *consumed)
{
	struct lz1_hdr h;
	uint64_t used = 0, hdr = nosize ? 5 : 13;
	enum pst_err rc;
	if (nosize ? !lzma_nosize_hdr(in.p, in.len) : !lzma_alone_hdr(in.p, in.len))
		return PST_EFORMAT;
	h.props = in.p[0];
	h.dict = pst_le32(in.p + 1);
	h.size = nosize ? UINT64_MAX : pst_le64(in.p + 5);
	h.nosize = nosize;
	rc = lz1_decode(&h, pst_view_sub(in, hdr, in.len - hdr), out, &used);
	*consumed = hdr + used;
	return rc;
}

/* The framing of an LZMA stream: lzma-alone unless only the size-less
 * reading fits. */
static bool lzma_is_nosize(struct pst_view in)
{
	return lzma_nosize_hdr(in.p, in.len);
}

static enum step zstd_step(void *p, struct pst_view in, size_t *pos, uint8_t *dst, size_t room,
			   size_t *made)
{
	ZSTD_inBuffer ib = { in.p, in.len, *pos };
	ZSTD_outBuffer ob = { dst, room, 0 };
	size_t r = ZSTD_decompressStream(p, &ob, &ib);
	*pos = ib.pos;
	*made = ob.pos;
	return ZSTD_isError(r) ? STEP_BAD : r == 0 ? STEP_END : STEP_MORE;
}

static uint64_t zstd_window(void *p)
{
	return ZSTD_sizeof_DStream(p);
}

static enum pst_err unzstd(struct pst_view in, struct pst_obuf *out, uint64_t *consumed)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	enum pst_err rc;
	if (!z)
		return PST_ENOMEM;
	ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, 27); /* 128 MiB window at most */
	rc = drive(z, zstd_step, zstd_window, in, out, consumed);
	ZSTD_freeDStream(z);
	return rc;
}

static enum step bzip2_step(void *p, struct pst_view in, size_t *pos, uint8_t *dst, size_t room,
			    size_t *made)
{
	bz_stream *z = p;
	unsigned ai = clamp32(in.len - *pos), ao = clamp32(room);
	int r;
	z->next_in = (char *)(uintptr_t)(in.p + *pos);
	z->avail_in = ai;
	z->next_out = (char *)dst;
	z->avail_out = ao;
	r = BZ2_bzDecompress(z);
	*pos += ai - z->avail_in;
	*made = ao - z->avail_out;
	return r == BZ_STREAM_END ? STEP_END : r == BZ_OK ? STEP_MORE : r == BZ_MEM_ERROR ? STEP_NOMEM : STEP_BAD;
}

static enum pst_err unbzip2(struct pst_view in, struct pst_obuf *out, uint64_t *consumed)
{
	bz_stream z;
	enum pst_err rc;
	memset(&z, 0, sizeof(z));
	if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK)
		return PST_ENOMEM;
	rc = drive(&z, bzip2_step, NULL, in, out, consumed);
	BZ2_bzDecompressEnd(&z);
	return rc;
}

static enum step lz4_step(void *p, struct pst_view in, size_t *pos, uint8_t *dst, size_t room,
			  size_t *made)
{
	size_t src = in.len - *pos, r;
	*made = room;
	r = LZ4F_decompress(p, dst, made, in.p + *pos, &src, NULL);
	*pos += src;
	return LZ4F_isError(r) ? STEP_BAD : r == 0 ? STEP_END : STEP_MORE;
}

static enum pst_err unlz4(struct pst_view in, struct pst_obuf *out, uint64_t *consumed)
{
	LZ4F_dctx *z;
	enum pst_err rc;
	if (LZ4F_isError(LZ4F_createDecompressionContext(&z, LZ4F_VERSION)))
		return PST_ENOMEM;
	rc = drive(z, lz4_step, NULL, in, out, consumed);
	LZ4F_freeDecompressionContext(z);
	return rc;
}

enum pst_err pst_decompress(enum pst_codec c, struct pst_view in, struct pst_obuf *out,
			    uint64_t *consumed)
{
	*consumed = 0;
	switch (c) {
	case PST_CODEC_GZIP: return gunzip(in, out, consumed, 16 + 15);
	case PST_CODEC_ZLIB: return gunzip(in, out, consumed, 15);
	case PST_CODEC_DEFLATE: return gunzip(in, out, consumed, -15);
	case PST_CODEC_XZ: return unxz(in, out, consumed);
	case PST_CODEC_LZMA: return unlzma(in, lzma_is_nosize(in), out, consumed);
	case PST_CODEC_ZSTD: return unzstd(in, out, consumed);
	case PST_CODEC_BZIP2: return unbzip2(in, out, consumed);
	case PST_CODEC_LZ4: return unlz4(in, out, consumed);
	}
	return PST_EUNSUPPORTED;
}

/* Bytes of the stream's own header before the coded data (gzip's up to
 * the end of its optional name and comment; the others' fixed part): a
 * stored deflate block may follow at once, and its plain bytes are the
 * child's. */
static uint64_t stream_header(struct pst_view in, enum pst_codec c)
{
	size_t off = 10, i;
	uint16_t xlen;
	switch (c) {
	case PST_CODEC_GZIP:
		if (in.len < 10)
			return in.len;
		if ((in.p[3] & 0x04) && pst_view_le16(in, 10, &xlen))
			off += 2u + xlen;
		for (i = 0x08; i <= 0x10; i <<= 1) {
			if (!(in.p[3] & i))
				continue;
			while (off < in.len && in.p[off])
				off++;
			off++;
		}
		if (in.p[3] & 0x02)
			off += 2;
		return off < in.len ? off : in.len;
	case PST_CODEC_ZLIB: return 2;
	case PST_CODEC_XZ: return 12;
	case PST_CODEC_LZMA: return lzma_is_nosize(in) ? 5 : 13;
	default: return 4; /* zstd, bzip2, lz4: the magic */
	}
}

/* The child's name: gzip's stored name, else the parent's name less its
 * compression suffix, else "data". */
static void child_name(const struct pst_node *parent, struct pst_view in, enum pst_codec c,
		       char *out, size_t len)
{
	static const char *const sfx[] = { ".gz", ".tgz", ".xz", ".txz", ".lzma", ".zst",
					   ".bz2", ".tbz2", ".lz4", ".z", NULL };
	const char *base;
	size_t blen, i;

	if (c == PST_CODEC_GZIP && in.len > 10 && (in.p[3] & 0x08)) {
		size_t off = 10, n = 0;
		uint16_t xlen;
		if ((in.p[3] & 0x04) && pst_view_le16(in, 10, &xlen))
			off += 2u + xlen;
		while (off + n < in.len && in.p[off + n] && n < 255)
			n++;
		if (n > 0 && off + n < in.len && !memchr(in.p + off, '/', n)) {
			snprintf(out, len, "/%.*s", (int)n, (const char *)in.p + off);
			return;
		}
	}
	base = strrchr(parent->seg, '/');
	base = base ? base + 1 : parent->seg;
	if (parent->flags & PST_NODE_VIRTUAL || !base[0]) {
		snprintf(out, len, "/data");
		return;
	}
	blen = strlen(base);
	for (i = 0; sfx[i]; i++) {
		size_t sl = strlen(sfx[i]);
		if (blen > sl && strcasecmp(base + blen - sl, sfx[i]) == 0) {
			bool tar = sfx[i][1] == 't';
			snprintf(out, len, "/%.*s%s", (int)(blen - sl), base, tar ? ".tar" : "");
			return;
		}
	}
	snprintf(out, len, "/%s.data", base);
}

static enum pst_err unpack_stream(struct pst_sink *k, struct pst_view in, enum pst_codec c)
{
	struct pst_obuf ob;
	struct pst_entry e;
	uint64_t used = 0;
	char name[300];
	enum pst_err rc;

	pst_sink_obuf(k, &ob);
	rc = pst_decompress(c, in, &ob, &used);
	k->consumed = used;
	k->header = stream_header(in, c);
	/* A size-less LZMA stream that yields less than a kernel is taken for a
	 * chance match, whether or not it ended cleanly. */
	if (rc != PST_ENOMEM && c == PST_CODEC_LZMA && lzma_is_nosize(in) && ob.len < LZMA_NOSIZE_MIN)
		rc = PST_EUNSUPPORTED;
	if (rc == PST_ENOMEM || rc == PST_EUNSUPPORTED ||
	    (rc == PST_EFORMAT && ob.len < PST_STREAM_MIN_PARTIAL)) {
		pst_obuf_free(&ob);
		return rc;
	}
	memset(&e, 0, sizeof(e));
	child_name(k->parent, in, c, name, sizeof(name));
	e.path = name;
	e.take = &ob;
	if (rc == PST_EFORMAT) {
		e.flags |= PST_NODE_TRUNCATED;
		/* The stream claims what the decoder read before the damage, not
		 * the rest of its container: one flipped bit in a kernel stream
		 * must not hide the root filesystem behind it from the carver
		 * (issue 22's mutation runs). */
		k->consumed = used ? used : in.len;
		pst_sink_damage(k, rc, "stream is corrupt or truncated after %zu decoded bytes", ob.len);
	}
	rc = pst_sink_emit(k, &e) == PST_ENOMEM ? PST_ENOMEM : rc;
	return rc == PST_EFORMAT ? PST_OK : rc; /* damage already recorded */
}

/* ---- bids ---- */

static unsigned bid_gzip(const uint8_t *h, size_t len)
{
	/* ID1 ID2 CM=deflate, no reserved flag bits, XFL 0/2/4 */
	if (len < 18 || h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || (h[3] & 0xe0))
		return 0;
	return (h[8] == 0 || h[8] == 2 || h[8] == 4) ? 32 : 28;
}

static unsigned bid_xz(const uint8_t *h, size_t len)
{
	/* magic, then stream flags (0x00, check type) and their CRC32 */
	if (len < 32 || memcmp(h, "\xfd" "7zXZ\0", 6) != 0 || h[6] != 0 || h[7] > 0x0f)
		return 0;
	return crc32(0, h + 6, 2) == pst_le32(h + 8) ? 96 : 0;
}

/* Properties xz-utils and kernel builds write (lc3 lp0 pb2; lc1 lp2 pb2;
 * lc2 lp2 pb2, the Broadcom loaders' 0x6e), a dictionary from 4 KiB, and
 * either framing. */
static unsigned bid_lzma(const uint8_t *h, size_t len)
{
	uint32_t dict;
	if (len < 32 || (h[0] != 0x5d && h[0] != 0x6d && h[0] != 0x6e))
		return 0;
	dict = pst_le32(h + 1);
	if (dict < 4096 || dict > (256u << 20) || !dict_size_ok(dict))
		return 0;
	if (lzma_alone_hdr(h, len))
		return 24;
	return lzma_nosize_hdr(h, len) ? 20 : 0;
}

static unsigned bid_zstd(const uint8_t *h, size_t len)
{
	if (len < 9 || memcmp(h, "\x28\xb5\x2f\xfd", 4) != 0 || (h[4] & 0x08))
		return 0;
	return 36;
}

static unsigned bid_bzip2(const uint8_t *h, size_t len)
{
	if (len < 14 || memcmp(h, "BZh", 3) != 0 || h[3] < '1' || h[3] > '9')
		return 0;
	return memcmp(h + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0 ? 80 : 0;
}

static unsigned bid_lz4(const uint8_t *h, size_t len)
{
	/* frame magic, version 01 in FLG */
	if (len < 7 || memcmp(h, "\x04\x22\x4d\x18", 4) != 0 || (h[4] & 0xc0) != 0x40)
		return 0;
	return 38;
}

#define STREAM_UNPACKER(id, codec, kindname, ...)                                   \
	static enum pst_err unpack_##id(struct pst_sink *k, struct pst_view in)     \
	{                                                                           \
		return unpack_stream(k, in, codec);                                 \
	}                                                                           \
	static const struct pst_magic magics_##id[] = { __VA_ARGS__, { NULL, 0, 0 } }; \
	const struct pst_unpacker pst_unpacker_##id = {                             \
		kindname, PST_KIND_COMPRESSED, PST_UNPACK_CARVE, magics_##id,        \
		bid_##id, unpack_##id,                                              \
	};

STREAM_UNPACKER(gzip, PST_CODEC_GZIP, "gzip", { "\x1f\x8b\x08", 3, 0 })
STREAM_UNPACKER(xz, PST_CODEC_XZ, "xz", { "\xfd" "7zXZ", 5, 0 })
STREAM_UNPACKER(lzma, PST_CODEC_LZMA, "lzma", { "\x5d\x00\x00", 3, 0 }, { "\x6d\x00\x00", 3, 0 },
		{ "\x6e\x00\x00", 3, 0 })
STREAM_UNPACKER(zstd, PST_CODEC_ZSTD, "zstd", { "\x28\xb5\x2f\xfd", 4, 0 })
STREAM_UNPACKER(bzip2, PST_CODEC_BZIP2, "bzip2", { "BZh", 3, 0 })
STREAM_UNPACKER(lz4, PST_CODEC_LZ4, "lz4", { "\x04\x22\x4d\x18", 4, 0 })
