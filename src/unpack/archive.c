/*
 * archive.c - archives read through libarchive, entirely in memory: the
 * engine behind the tar, cpio, zip, 7z, ar/deb, rpm, iso9660, cab and
 * compress unpackers (their bids are in archive_formats.c).
 *
 * libarchive reads the node's view through our own read/skip/seek callbacks,
 * which hand it the whole view as one block: no copy, and a data block that
 * libarchive returns from inside that block (tar, cpio, ar, stored zip
 * members, iso9660 files) is borrowed by the child instead of copied. Each
 * unpacker enables exactly one format and only the filters that format needs
 * (rpm's payload codecs, compress); a filter libarchive could only run as an
 * external program is refused, and mtree (which reads files from disk) is
 * never enabled. Nothing here touches the filesystem.
 *
 * The bytes an archive occupies (sink->consumed, so carving goes on after
 * it) come from the read position at the end marker for tar, cpio and ar,
 * and from the structure for zip (end of central directory), 7z (start
 * header), iso9660 (volume size) and cab (cbCabinet); rpm and compress
 * leave it 0: where a compressed payload ends is not known up front.
 *
 * Symlinks, hardlinks, modes and owners are recorded; encrypted members are
 * emitted without content and flagged; a member stored beneath a symlink of
 * the same archive (the "evil -> /tmp/x, evil/pwned" escape) is reported.
 *
 * A deflated member of a zip read from its central directory is loaded on
 * demand (issue 15): the walk lists headers only (the seekable reader skips
 * data by seeking, it never inflates to skip) and emits a loader that
 * inflates the member's data from the zip's bytes with zlib when a worker
 * examines it (zip_load). Each load is on its own: the walker's queue is a
 * stack, so a worker takes a container's members last first, and a
 * libarchive reader, which can only go forward, would start again from the
 * first member for nearly every load.
 * Members libarchive hands out from inside the view (tar, cpio, ar, iso9660,
 * stored zip members) are borrowed, not materialised, and stay so.
 *
 * The seekable reader lists a zip's central directory only: local entries it
 * does not list are looked for afterwards (zip_hidden), emitted and reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include "archive.h"
#include "fsutil.h"
#include "stream.h"
#include "windows.h"


/* The view as libarchive reads it: pad zero bytes that are not there, then
 * p. The pad is a self-extractor's stub a zip's offsets count from, when the
 * zip was carved out of it (pst_zip_extent); it is never read for data. */
struct src {
	const uint8_t *p;
	size_t len;
	uint64_t pad, pos;
};

/* Paths of the symlinks seen so far, for the escape check. */
struct linkset {
	char **slot;
	size_t cap, n;
};

/* A cpio hard link waiting for its content: newc and crc (and rpm's payload)
 * store a file's data with its last name only; the earlier names come first
 * with size 0. They are held back and emitted with that content. */
struct pending {
	char *key;                /* the group's first name (libarchive's hardlink target) */
	char *path, *link;
	uint32_t mode, uid, gid;
};

/* A deflated zip member loaded on demand (zip_load): offsets in the zip of
 * its local header and of its data, and its size from the central directory
 * (for pst_obuf_expect, as when it was decoded at the walk, and checked). */
struct lazy_member {
	uint64_t hdr, data, size;
};

/* What zip_load reads, shared by the loaders of one zip. m has room for
 * every entry the central directory declares and is never moved: loaders
 * read m[i] while the walk still fills later ones (each written before its
 * member is queued). */
struct lazy {
	struct pst_fsctx base;     /* first: references, the zip's blob, m (own[0]) */
	struct pst_view zip;
	struct lazy_member *m;
	size_t cap, n;
	uint64_t prev_data;        /* the walk's last data offset: members come in offset order */
};

struct ctx {
	struct pst_sink *k;
	struct archive *a;
	/* the entry headers are read into: ours, not the one archive_read_new
	 * makes, which libarchive 3.6 does not check (NULL after a failed
	 * allocation, and a crash on the first header) */
	struct archive_entry *ent;
	bool opening; /* setting up and opening: a failure without a message
		       * is a failed allocation there (lib_fault) */
	struct pst_view in;
	enum pst_ar_fmt fmt;
	struct linkset links;
	unsigned nescape, nencrypted;
	bool fatal;               /* libarchive returned ARCHIVE_FATAL: stop */
	char escape_ev[160], encrypted_ev[160];
	const char *raw_name;     /* the one child's name for format raw */
	struct pending *pend;
	size_t npend, cappend;
	uint64_t nheaders;        /* headers libarchive returned */
	struct lazy *lazy;        /* zip read from its central directory: loaders' context */
	struct pst_obuf win;      /* charges libarchive's decoder window (windows.c) */
	uint64_t pad;             /* a carved zip's offsets count from pad bytes before in */
};

/* ---- the view as a libarchive client ---- */

static la_ssize_t src_read(struct archive *a, void *ud, const void **buf)
{
	static const uint8_t zeros[4096];
	struct src *s = ud;
	uint64_t n;
	(void)a;
	if (s->pos < s->pad) {
		n = s->pad - s->pos < sizeof(zeros) ? s->pad - s->pos : sizeof(zeros);
		*buf = zeros;
	} else {
		n = s->pad + s->len - s->pos;
		*buf = s->p + (s->pos - s->pad);
	}
	s->pos += n;
	return (la_ssize_t)n;
}

static la_int64_t src_skip(struct archive *a, void *ud, la_int64_t req)
{
	struct src *s = ud;
	uint64_t left = s->pad + s->len - s->pos, n;
	(void)a;
	if (req <= 0)
		return 0;
	n = (uint64_t)req < left ? (uint64_t)req : left;
	s->pos += n;
	return (la_int64_t)n;
}

static la_int64_t src_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct src *s = ud;
	int64_t len = (int64_t)(s->pad + s->len);
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)s->pos : len;
	(void)a;
	if (off < -base || off > len - base)
		return ARCHIVE_FATAL;
	s->pos = (uint64_t)(base + off);
	return (la_int64_t)s->pos;
}

/* ---- what libarchive may do ---- */

/* The codecs an rpm payload may use; each must be built in, not a program. */
static bool payload_codecs(struct archive *a)
{
	return archive_read_support_filter_gzip(a) == ARCHIVE_OK &&
	       archive_read_support_filter_bzip2(a) == ARCHIVE_OK &&
	       archive_read_support_filter_xz(a) == ARCHIVE_OK &&
	       archive_read_support_filter_lzma(a) == ARCHIVE_OK &&
	       archive_read_support_filter_zstd(a) == ARCHIVE_OK &&
	       archive_read_support_filter_lz4(a) == ARCHIVE_OK;
}

/* What a failed libarchive call gave up for: libarchive sets the archive's
 * errno to ENOMEM when an allocation failed (read right after the failed
 * call), but not everywhere: archive_read_open1's filter setup fails one
 * without setting any error (every failure of the input's comes with a
 * message), and the readers say "Can't allocate ..." or, when zlib, liblzma
 * or bzip2 could not allocate a decoder, "Can't initialize ...". */
static enum pst_err lib_fault(struct ctx *c)
{
	const char *err = archive_error_string(c->a);
	if (archive_errno(c->a) == ENOMEM || (!err && c->opening) ||
	    strncmp(err ? err : "", "Can't allocate", 14) == 0 ||
	    (err && (strncmp(err, "Can't initialize", 16) == 0 || strstr(err, "out of memory") ||
		     strstr(err, "Out of memory"))))
		return PST_ENOMEM;
	return PST_EFORMAT;
}

/* ARCHIVE_WARN from a support function means an external program would be
 * run: that is refused like any other failure. */
static bool enable(struct archive *a, enum pst_ar_fmt f, bool zip_stream)
{
	switch (f) {
	case PST_AR_TAR: return archive_read_support_format_tar(a) == ARCHIVE_OK;
	case PST_AR_CPIO: return archive_read_support_format_cpio(a) == ARCHIVE_OK;
	case PST_AR_ZIP:
		return (zip_stream ? archive_read_support_format_zip_streamable(a)
				   : archive_read_support_format_zip_seekable(a)) == ARCHIVE_OK;
	case PST_AR_7Z: return archive_read_support_format_7zip(a) == ARCHIVE_OK;
	case PST_AR_AR: return archive_read_support_format_ar(a) == ARCHIVE_OK;
	case PST_AR_RPM:
		return archive_read_support_filter_rpm(a) == ARCHIVE_OK && payload_codecs(a) &&
		       archive_read_support_format_cpio(a) == ARCHIVE_OK;
	case PST_AR_ISO: return archive_read_support_format_iso9660(a) == ARCHIVE_OK;
	case PST_AR_CAB: return archive_read_support_format_cab(a) == ARCHIVE_OK;
	case PST_AR_COMPRESS:
		return archive_read_support_filter_compress(a) == ARCHIVE_OK &&
		       archive_read_support_format_raw(a) == ARCHIVE_OK;
	}
	return false;
}

/* A reader and an entry for c over in, through s; false when out of memory. */
static bool reader_new(struct ctx *c, struct src *s, struct pst_view in)
{
	s->p = in.p;
	s->len = in.len;
	s->pad = c->pad;
	s->pos = 0;
	c->a = archive_read_new();
	c->ent = archive_entry_new();
	return c->a && c->ent;
}

/* These allocate (the callback data table): a failure left unchecked
 * crashes archive_read_open1. */
static bool reader_callbacks(struct archive *a, struct src *s)
{
	return archive_read_set_read_callback(a, src_read) == ARCHIVE_OK &&
	       archive_read_set_skip_callback(a, src_skip) == ARCHIVE_OK &&
	       archive_read_set_seek_callback(a, src_seek) == ARCHIVE_OK &&
	       archive_read_set_callback_data(a, s) == ARCHIVE_OK;
}

/* ---- the symlink escape check ---- */

static uint64_t hash(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;
	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
	return h;
}

static bool linkset_has(const struct linkset *s, const char *p, size_t n)
{
	size_t i;
	if (!s->cap)
		return false;
	for (i = (size_t)hash(p, n) & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (strlen(s->slot[i]) == n && memcmp(s->slot[i], p, n) == 0)
			return true;
	return false;
}

static void linkset_put(struct linkset *s, char *str)
{
	size_t i;
	for (i = (size_t)hash(str, strlen(str)) & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		;
	s->slot[i] = str;
	s->n++;
}

/* Out of memory only weakens the check; it is not an error. */
static void linkset_add(struct linkset *s, const char *p, size_t n)
{
	char *str;
	if (linkset_has(s, p, n))
		return;
	if ((s->n + 1) * 2 > s->cap) {
		struct linkset g = { NULL, s->cap ? s->cap * 2 : 64, 0 };
		size_t i;
		g.slot = calloc(g.cap, sizeof(*g.slot));
		if (!g.slot)
			return;
		for (i = 0; i < s->cap; i++)
			if (s->slot[i])
				linkset_put(&g, s->slot[i]);
		free(s->slot);
		*s = g;
	}
	str = strndup(p, n);
	if (str)
		linkset_put(s, str);
}

static void linkset_free(struct linkset *s)
{
	size_t i;
	for (i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
}

/* "./a//b/../c/" -> "a/c", as the sink will name it; false when too long. */
static bool canon(const char *in, char *out, size_t cap, size_t *olen)
{
	size_t o = 0;
	while (*in) {
		const char *seg;
		size_t n;
		while (*in == '/')
			in++;
		seg = in;
		while (*in && *in != '/')
			in++;
		n = (size_t)(in - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o + n + 2 > cap)
			return false;
		if (o)
			out[o++] = '/';
		memcpy(out + o, seg, n);
		o += n;
	}
	out[o] = 0;
	*olen = o;
	return true;
}

static void check_escape(struct ctx *c, const char *path, bool is_link)
{
	char p[PST_CAP_ARCHIVE_PATH_CHECK];
	size_t n, i;

	if (!canon(path, p, sizeof(p), &n) || n == 0)
		return;
	for (i = 1; i < n; i++) {
		if (p[i] != '/' || !linkset_has(&c->links, p, i))
			continue;
		if (c->nescape++ == 0)
			snprintf(c->escape_ev, sizeof(c->escape_ev), "%.100s (%.*s is a symlink)", p,
				 (int)(i > 50 ? 50 : i), p);
		break;
	}
	if (is_link)
		linkset_add(&c->links, p, n);
}

/* ---- entries ---- */

static bool in_view(struct pst_view v, const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)v.p;
	return a >= b && a - b <= v.len && n <= v.len - (a - b);
}

/* Writes a data block at off (sparse holes read as zeros). The first one
 * tells the buffer the member's declared size: a big member goes straight
 * to a spill file (pst_obuf_expect). */
static enum pst_err place(struct pst_obuf *ob, const void *buf, size_t size, int64_t off,
			  uint64_t size_want)
{
	pst_obuf_expect(ob, size_want);
	while (off > 0 && (uint64_t)off > ob->len) {
		size_t room, gap = (size_t)((uint64_t)off - ob->len);
		enum pst_err e = pst_obuf_grow(ob, gap, &room);
		if (e)
			return e;
		if (room > gap)
			room = gap;
		memset(ob->p + ob->len, 0, room);
		ob->len += room;
	}
	return pst_obuf_append(ob, buf, size);
}

/* Reads the current entry's content. When libarchive hands it out as one
 * block lying inside the view, bp and blen get it to borrow and ob stays
 * empty; otherwise it is copied into ob. PST_EFORMAT: libarchive failed
 * (what came before is in ob); PST_ELIMIT: ob is full (ob->over is set). */
static enum pst_err read_content(struct ctx *c, struct pst_obuf *ob, uint64_t size_want,
				 const uint8_t **bp, size_t *blen)
{
	const void *buf, *held = NULL;
	size_t size, held_len = 0;
	la_int64_t off;
	bool first = true;
	enum pst_err e;
	int r;

	*bp = NULL;
	*blen = 0;
	for (;;) {
		r = archive_read_data_block(c->a, &buf, &size, &off);
		if (r == ARCHIVE_EOF) {
			/* A sparse tar member's trailing hole has no block: zeros up to
			 * its size (other formats deliver every byte or fail). */
			if ((held ? held_len : ob->len) < size_want && c->fmt == PST_AR_TAR) {
				if (held) {
					e = place(ob, held, held_len, 0, size_want);
					if (e)
						return e;
				}
				return place(ob, "", 0, (int64_t)size_want, size_want);
			}
			*bp = held;
			*blen = held_len;
			return PST_OK;
		}
		if (r == ARCHIVE_OK && size == 0)
			continue; /* zip ends a stored member with an empty block */
		if (held) {
			e = place(ob, held, held_len, 0, size_want);
			held = NULL;
			if (e)
				return e;
		}
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			/* After ARCHIVE_FATAL libarchive's state may not be used any
			 * more (3.6's cab reader crashes on the next header). */
			c->fatal = r == ARCHIVE_FATAL;
			return lib_fault(c);
		}
		if (first && r == ARCHIVE_OK && off == 0 && in_view(c->in, buf, size)) {
			held = buf;
			held_len = size;
		} else {
			e = place(ob, buf, size, off, size_want);
			if (e)
				return e;
		}
		first = false;
		if (r == ARCHIVE_WARN)
			return PST_EFORMAT;
	}
}

static const char *entry_path(struct archive_entry *ent)
{
	const char *p = archive_entry_pathname(ent);
	if (!p)
		p = archive_entry_pathname_utf8(ent);
	return p ? p : "";
}

/* True when every component of p is empty or "." (the archive's root). */
static bool names_root(const char *p)
{
	while (*p) {
		const char *s = p;
		while (*p && *p != '/')
			p++;
		if (p - s > 1 || (p - s == 1 && s[0] != '.'))
			return false;
		while (*p == '/')
			p++;
	}
	return true;
}

static uint32_t id32(la_int64_t v)
{
	return v < 0 ? 0 : v > (la_int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void note_encrypted(struct ctx *c, const char *path)
{
	if (c->nencrypted++ == 0)
		snprintf(c->encrypted_ev, sizeof(c->encrypted_ev), "%.150s", path);
}

static void pending_free(struct pending *p)
{
	free(p->key);
	free(p->path);
	free(p->link);
	memset(p, 0, sizeof(*p));
}

/* Holds e back until its group's content comes; false (emit it now) when
 * out of memory. */
static bool defer_link(struct ctx *c, const struct pst_entry *e, const char *key)
{
	struct pending *p;
	if (c->npend == c->cappend) {
		size_t cap = c->cappend ? c->cappend * 2 : 16;
		struct pending *np = realloc(c->pend, cap * sizeof(*np));
		if (!np)
			return false;
		c->pend = np;
		c->cappend = cap;
	}
	p = &c->pend[c->npend];
	memset(p, 0, sizeof(*p));
	p->key = strdup(key);
	p->path = strdup(e->path);
	p->link = e->link ? strdup(e->link) : NULL;
	p->mode = e->mode;
	p->uid = e->uid;
	p->gid = e->gid;
	if (!p->key || !p->path || (e->link && !p->link)) {
		pending_free(p);
		return false;
	}
	c->npend++;
	return true;
}

/* Emits the names held back for key (NULL: all that are left, without
 * content) with the content just read: borrowed (bp) or copied from ob. */
static enum pst_err flush_links(struct ctx *c, const char *key, const uint8_t *bp, size_t blen,
				const struct pst_obuf *ob)
{
	enum pst_err rc = PST_OK;
	size_t i, kept = 0;

	for (i = 0; i < c->npend; i++) {
		struct pending *p = &c->pend[i];
		struct pst_entry e;
		struct pst_obuf copy;
		enum pst_err r;

		if (key && strcmp(p->key, key) != 0) {
			c->pend[kept++] = *p;
			continue;
		}
		memset(&e, 0, sizeof(e));
		memset(&copy, 0, sizeof(copy));
		e.path = p->path;
		e.link = p->link;
		e.mode = p->mode;
		e.uid = p->uid;
		e.gid = p->gid;
		if (bp) {
			e.borrow = bp;
			e.borrow_len = blen;
			e.offset = (uint64_t)(bp - c->in.p);
			e.declared_size = blen;
		} else if (ob && ob->len) {
			pst_sink_obuf(c->k, &copy);
			pst_obuf_append(&copy, ob->p, ob->len);
			e.take = &copy;
			e.declared_size = ob->len;
		}
		r = rc == PST_OK ? pst_sink_emit(c->k, &e) : rc;
		pst_obuf_free(&copy);
		if (r != PST_OK)
			rc = r;
		pending_free(p);
	}
	c->npend = kept;
	return rc;
}

/* ---- zip members loaded on demand ---- */

/* For the zip in (its view cut at the end of central directory record),
 * which declares n entries; NULL (members decoded at the walk, as before)
 * when out of memory or when n is not known (zip64). */
static struct lazy *lazy_new(struct pst_sink *k, struct pst_view in, int64_t n)
{
	struct lazy *z;
	if (n <= 0 || !k->blob)
		return NULL;
	z = pst_fsctx_new(k, sizeof(*z));
	if (!z)
		return NULL;
	/* and room for hidden entries (zip_hidden) */
	n += PST_CAP_ZIP_HIDDEN_LAZY;
	z->m = z->base.own[0] = calloc((size_t)n, sizeof(*z->m));
	if (!z->m) {
		pst_fsctx_unref(z);
		return NULL;
	}
	z->zip = in;
	z->cap = (size_t)n;
	return z;
}

/* The local header whose data starts at data: the one "PK\3\4" after the
 * previous member's data whose name and extra field (at most 64 KiB each)
 * end there. libarchive does not say where it read the header; more than
 * one candidate (bytes crafted to look like a second header) is no answer,
 * and the member is then decoded at the walk as before. Members come in
 * offset order, so a whole zip costs at most one pass over it. */
static bool local_header(const struct lazy *z, uint64_t data, uint64_t *hdr)
{
	uint64_t lo = z->prev_data, end;
	bool found = false;

	if (data < 30 || data > z->zip.len || data - 30 < lo)
		return false;
	if (data - 30 - lo > 2u * 65535u)
		lo = data - 30 - 2u * 65535u;
	end = data - 30 + 1; /* candidates start in [lo, end) */
	while (end > lo) {
		const uint8_t *h = memrchr(z->zip.p + lo, 'P', (size_t)(end - lo));
		uint64_t at;
		if (!h)
			break;
		at = (uint64_t)(h - z->zip.p);
		if (memcmp(h, "PK\3\4", 4) == 0 &&
		    at + 30u + pst_le16(h + 26) + pst_le16(h + 28) == data) {
			if (found)
				return false;
			found = true;
			*hdr = at;
		}
		end = at;
	}
	return found;
}

/* The CRC-32 the zip gives member m, which decoded from data's first used
 * bytes: the local header's, or with a data descriptor (flag bit 3) the
 * descriptor's, whose signature is optional. False: none there. */
static bool zip_crc(const struct lazy *z, const struct lazy_member *m, struct pst_view data,
		    uint64_t used, uint32_t got, uint32_t *want)
{
	const uint8_t *h = z->zip.p + m->hdr, *dd;
	if (!(pst_le16(h + 6) & 8)) {
		*want = pst_le32(h + 14);
		return true;
	}
	dd = pst_view_at(data, used, 4);
	if (!dd)
		return false;
	*want = pst_le32(dd);
	/* "PK\7\10" then the CRC, unless the CRC itself reads so */
	if (*want == 0x08074b50u && *want != got && (dd = pst_view_at(data, used + 4, 4)))
		*want = pst_le32(dd);
	return true;
}

/* Inflates member cookie straight from the zip into out with zlib, as
 * libarchive would (it inflates with zlib too) but without a reader, its
 * 256 KiB buffer and a copy per member, then checks its CRC-32 and its
 * size against the central directory's. PST_EFORMAT: the data is damaged
 * (what was decoded before is in out). */
static enum pst_err zip_load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	struct lazy *z = ctx;
	const struct lazy_member *m;
	const uint8_t *h;
	struct pst_view data;
	uint64_t used = 0, clen;
	uint32_t got = 0, want = 0;
	size_t off;
	enum pst_err e;

	(void)worker;
	if (cookie >= z->cap)
		return PST_EFORMAT;
	m = &z->m[cookie];
	h = z->zip.p + m->hdr;
	/* the local header's compressed size bounds the stream when it has one
	 * (no descriptor, not zip64), as the central directory's bounds it for
	 * libarchive */
	clen = pst_le32(h + 18);
	if ((pst_le16(h + 6) & 8) || clen == 0 || clen == UINT32_MAX)
		clen = z->zip.len - m->data;
	data = pst_view_sub(z->zip, m->data, clen);
	pst_obuf_expect(out, m->size);
	e = pst_decompress(PST_CODEC_DEFLATE, data, out, &used);
	if (e != PST_OK)
		return e;
	for (off = 0; off < out->len;) {
		size_t n = out->len - off < (1u << 30) ? out->len - off : (1u << 30);
		got = (uint32_t)crc32(got, out->p + off, (uInt)n);
		off += n;
	}
	if (!zip_crc(z, m, data, used, got, &want) || want != got ||
	    (m->size && out->len != m->size))
		return PST_EFORMAT;
	return PST_OK;
}

/* Makes e a loader of the deflated data at data whose local header is at
 * hdr; the caller has checked there is room in z->m. */
static void lazy_member_add(struct lazy *z, struct pst_entry *e, uint64_t hdr, uint64_t data)
{
	struct lazy_member *m = &z->m[z->n];
	m->hdr = hdr;
	m->data = data;
	m->size = e->declared_size;
	e->load = zip_load;
	e->ctx = z;
	e->cookie = z->n++;
	e->ctx_ref = pst_fsctx_ref;
	e->ctx_unref = pst_fsctx_unref;
}

/* Makes e, the regular member whose header was just read, a loader when it
 * is deflated and its local header is found; false: read it now. */
static bool lazy_add(struct ctx *c, struct pst_entry *e)
{
	struct lazy *z = c->lazy;
	la_int64_t data = archive_filter_bytes(c->a, -1) - (la_int64_t)c->pad;
	uint64_t hdr = 0;
	bool ok;

	if (!z || z->n + PST_CAP_ZIP_HIDDEN_LAZY >= z->cap || data <= 0)
		return false;
	ok = local_header(z, (uint64_t)data, &hdr);
	z->prev_data = (uint64_t)data;
	/* deflate only, not encrypted: the method a zip's members nearly
	 * always have, and one whose stream ends itself when a data
	 * descriptor follows (the local header has no sizes then) */
	if (!ok || pst_le16(z->zip.p + hdr + 8) != 8 || (pst_le16(z->zip.p + hdr + 6) & 0x41))
		return false;
	lazy_member_add(z, e, hdr, (uint64_t)data);
	return true;
}

/* Emits the entry just read. PST_EFORMAT: its content was damaged (reported
 * and emitted as far as it went). */
static enum pst_err emit_entry(struct ctx *c, struct archive_entry *ent)
{
	struct pst_sink *k = c->k;
	struct pst_entry e;
	struct pst_obuf ob;
	enum pst_err rc, rd = PST_OK;
	const char *path = entry_path(ent);
	const char *hardlink = archive_entry_hardlink(ent);
	uint32_t mode = (uint32_t)archive_entry_mode(ent);
	bool cpio = c->fmt == PST_AR_CPIO || c->fmt == PST_AR_RPM;
	const uint8_t *bp = NULL;
	size_t blen = 0;

	memset(&e, 0, sizeof(e));
	memset(&ob, 0, sizeof(ob));
	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	if (c->raw_name) {
		path = c->raw_name;
	} else if (names_root(path)) {
		if (S_ISDIR(mode))
			return PST_OK; /* "./": the container itself */
		path = "/.unnamed";
	}
	e.path = path;
	e.mode = mode;
	e.uid = id32(archive_entry_uid(ent));
	e.gid = id32(archive_entry_gid(ent));
	e.link = archive_entry_symlink(ent);
	if (!e.link)
		e.link = hardlink;
	if (archive_entry_size_is_set(ent) && archive_entry_size(ent) > 0)
		e.declared_size = (uint64_t)archive_entry_size(ent);
	check_escape(c, path, S_ISLNK(mode));
	if (cpio && S_ISREG(mode) && archive_entry_nlink(ent) > 1 && archive_entry_size(ent) == 0 &&
	    defer_link(c, &e, hardlink ? hardlink : path))
		return PST_OK;
	if (archive_entry_is_encrypted(ent)) {
		e.flags |= PST_NODE_ENCRYPTED | PST_NODE_INCOMPLETE;
		note_encrypted(c, path);
		return pst_sink_emit(k, &e);
	}
	if (S_ISREG(mode) && lazy_add(c, &e))
		return pst_sink_emit(k, &e);
	if (S_ISREG(mode)) {
		pst_sink_obuf(k, &ob);
		rd = read_content(c, &ob, e.declared_size, &bp, &blen);
		if (bp) {
			e.borrow = bp;
			e.borrow_len = blen;
			e.offset = (uint64_t)(bp - c->in.p);
		} else if (ob.len || ob.over) {
			e.take = &ob;
		}
		if (rd == PST_EFORMAT || rd == PST_ENOMEM) {
			e.flags |= PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
			pst_sink_damage(k, rd, "%.80s: %s", path,
					archive_error_string(c->a) ? archive_error_string(c->a)
								   : "unreadable content");
		}
	}
	rc = cpio && hardlink && c->npend ? flush_links(c, hardlink, bp, blen, &ob) : PST_OK;
	if (rc == PST_OK)
		rc = pst_sink_emit(k, &e);
	pst_obuf_free(&ob);
	if (rc == PST_OK && (rd == PST_EFORMAT || rd == PST_ENOMEM))
		rc = rd;
	return rc;
}

/* ---- extents ---- */

/* Where a zip that starts at in's first byte ends: past the first end of
 * central directory record whose central directory lies right before it.
 * Its offsets may count from in's start, or from a point before it: a
 * self-extractor made with "zip -A" counts them from the stub's start, so
 * the zip carved out of the stub sees each one shifted by the stub's size
 * (libarchive reads such a zip, as unzip does). */
uint64_t pst_zip_extent(struct pst_view in)
{
	size_t i = 0;
	while (in.len >= 22 && i <= in.len - 22) {
		const uint8_t *p = memchr(in.p + i, 'P', in.len - 22 - i + 1);
		uint32_t cdsize, cdoff;
		uint16_t clen;
		if (!p)
			break;
		i = (size_t)(p - in.p);
		if (memcmp(p, "PK\5\6", 4) != 0 || pst_le16(p + 4) || pst_le16(p + 6)) {
			i++;
			continue;
		}
		cdsize = pst_le32(p + 12);
		cdoff = pst_le32(p + 16);
		clen = pst_le16(p + 20);
		if (i + 22u + clen <= in.len) {
			if (cdoff == UINT32_MAX || cdsize == UINT32_MAX || pst_le16(p + 10) == 0xffff) {
				if (i >= 20 && memcmp(p - 20, "PK\6\7", 4) == 0)
					return i + 22u + clen;
			} else if ((uint64_t)cdoff + cdsize == i) {
				return i + 22u + clen;
			} else if ((uint64_t)cdoff + cdsize > i && cdsize >= 46 && cdsize <= i &&
				   memcmp(in.p + i - cdsize, "PK\1\2", 4) == 0) {
				return i + 22u + clen; /* offsets shifted by a prefix */
			}
		}
		i++;
	}
	return 0;
}

/* The end of central directory record that ends in (a view cut at
 * pst_zip_extent), or NULL. */
static const uint8_t *zip_eocd(struct pst_view in)
{
	size_t i;
	if (in.len < 22)
		return NULL;
	for (i = in.len - 22;; i--) {
		const uint8_t *p = in.p + i;
		if (memcmp(p, "PK\5\6", 4) == 0 && i + 22u + pst_le16(p + 20) == in.len)
			return p;
		if (i == 0 || in.len - i > 22u + 65535u)
			return NULL;
	}
}

/* The entry count of the end of central directory record that ends in, or
 * -1 (zip64, not found). */
static int64_t zip_declared_entries(struct pst_view in)
{
	const uint8_t *p = zip_eocd(in);
	if (!p || pst_le16(p + 10) == 0xffff)
		return -1;
	return (int64_t)pst_le16(p + 10);
}

/* How far before in's start a zip's offsets count from (pst_zip_extent): the
 * central directory ends where its end record starts, whatever its offset
 * says. */
static uint64_t zip_shift(struct pst_view in)
{
	const uint8_t *e = zip_eocd(in);
	uint64_t at, cdend;
	if (!e || pst_le32(e + 16) == UINT32_MAX || pst_le32(e + 12) == UINT32_MAX)
		return 0;
	at = (uint64_t)(e - in.p);
	cdend = (uint64_t)pst_le32(e + 16) + pst_le32(e + 12);
	return cdend > at ? cdend - at : 0;
}

/* ---- local entries the central directory does not list ----
 *
 * The seekable reader lists the central directory only; a local header and
 * its data placed where no listed member lies ("zip smuggling") are
 * installed by streaming extractors and by updaters that read local headers,
 * and are invisible to listing tools. After the listing, the bytes no listed
 * member explains are searched for local headers (APPNOTE.TXT 4.3.7, 4.3.9,
 * 4.3.12): each one found is emitted as a member and reported
 * (archive.hidden-entry); other non-zero bytes there are reported as
 * unexplained (coverage.unexplained). A prefix before the zip's own offset
 * 0 or its first listed member (a self-extractor's stub, a jmod's "JM"
 * header, a zipapp's "#!" line) is read as before: only a local header in it
 * is reported. */

struct span {
	uint64_t a, b;
};

struct spans {
	struct span *v;
	size_t n, cap;
	uint64_t base;            /* where the zip's offset 0 lies: a prefix before */
};

static bool span_add(struct spans *s, uint64_t a, uint64_t b)
{
	if (b <= a)
		return true;
	if (!pst_array_grow((void **)&s->v, &s->cap, s->n, sizeof(*s->v), 16))
		return false;
	s->v[s->n].a = a;
	s->v[s->n].b = b;
	s->n++;
	return true;
}

static int span_cmp(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;
	return a->a < b->a ? -1 : a->a > b->a;
}

/* Whether the extra field x holds zip64 extended information (tag 1). */
static bool has_zip64(struct pst_view x)
{
	const uint8_t *f;
	uint64_t off = 0;
	while ((f = pst_view_at(x, off, 4))) {
		if (pst_le16(f) == 1)
			return true;
		off += 4u + pst_le16(f + 2);
	}
	return false;
}

/* The end of the listed member whose local header is at at, with csize
 * bytes of data (the central directory's) and a data descriptor when flag
 * bit 3 is set (12 bytes, 16 with its optional signature; 8 more when the
 * local header has zip64 information: its sizes are 8 bytes each); 0: no
 * local header there. */
static uint64_t listed_end(struct pst_view in, uint64_t at, uint64_t csize, uint16_t flags)
{
	const uint8_t *h = pst_view_at(in, at, 30), *dd;
	uint64_t end, x;
	if (!h || memcmp(h, "PK\3\4", 4) != 0)
		return 0;
	if (csize > in.len)
		csize = in.len;
	x = at + 30u + pst_le16(h + 26);
	end = x + pst_le16(h + 28) + csize;
	if (flags & 8) {
		dd = pst_view_at(in, end, 4);
		end += dd && memcmp(dd, "PK\7\10", 4) == 0 ? 16u : 12u;
		if (has_zip64(pst_view_sub(in, x, pst_le16(h + 28))))
			end += 8;
	}
	return end < in.len ? end : in.len;
}

/* The zip64 extended information (APPNOTE.TXT 4.5.3) of the central
 * directory entry h at at: the 8-byte values that replace its sizes and
 * offset saturated at 0xffffffff, in that order. False: not there. */
static bool cd_zip64(struct pst_view in, uint64_t at, const uint8_t *h, uint64_t *csize,
		     uint64_t *lho)
{
	struct pst_view x = pst_view_sub(in, at + 46u + pst_le16(h + 28), pst_le16(h + 30));
	const uint8_t *f, *v;
	uint64_t off = 0, k;

	while ((f = pst_view_at(x, off, 4))) {
		if (pst_le16(f) != 1) {
			off += 4u + pst_le16(f + 2);
			continue;
		}
		k = off + 4 + (pst_le32(h + 24) == UINT32_MAX ? 8u : 0u);
		if (*csize == UINT32_MAX) {
			if (!(v = pst_view_at(x, k, 8)))
				return false;
			*csize = pst_le64(v);
			k += 8;
		}
		if (*lho == UINT32_MAX) {
			if (!(v = pst_view_at(x, k, 8)))
				return false;
			*lho = pst_le64(v);
		}
		return true;
	}
	return false;
}

/* A zip64 end of central directory record (APPNOTE.TXT 4.3.14, 4.3.15)
 * before the end record e: where it is, the entry count, the central
 * directory's size and offset. False: none. */
static bool zip64_end(struct pst_view in, const uint8_t *e, uint64_t *at, uint64_t *n,
		      uint64_t *cdsize, uint64_t *cdoff)
{
	uint64_t loc = (uint64_t)(e - in.p), rec;
	const uint8_t *l = loc >= 20 ? pst_view_at(in, loc - 20, 20) : NULL, *r;
	if (!l || memcmp(l, "PK\6\7", 4) != 0 || loc - 20 < 56)
		return false;
	/* where the locator says, or right before the locator (a prefix) */
	rec = pst_le64(l + 8);
	r = pst_view_at(in, rec, 56);
	if (!r || memcmp(r, "PK\6\6", 4) != 0) {
		rec = loc - 20 - 56;
		r = pst_view_at(in, rec, 56);
		if (!r || memcmp(r, "PK\6\6", 4) != 0)
			return false;
	}
	*at = rec;
	*n = pst_le64(r + 32);
	*cdsize = pst_le64(r + 40);
	*cdoff = pst_le64(r + 48);
	return true;
}

/* An Android signing block (APK Signature Scheme v2) lies between the last
 * member and the central directory at cd: its own size field before its
 * "APK Sig Block 42" magic, then the size again at its start. */
static uint64_t apk_sig_block(struct pst_view in, uint64_t cd)
{
	const uint8_t *t = cd >= 24 ? pst_view_at(in, cd - 24, 24) : NULL, *h;
	uint64_t size;
	if (!t || memcmp(t + 8, "APK Sig Block 42", 16) != 0)
		return cd;
	size = pst_le64(t);
	if (size < 24 || size > cd - 8)
		return cd;
	h = pst_view_at(in, cd - size - 8, 8);
	return h && pst_le64(h) == size ? cd - size - 8 : cd;
}

/* What the central directory of in (a view cut at its end of central
 * directory record) explains: its listed members, the central directory
 * and the end record. False: not known (zip64, a central directory that
 * does not read), and nothing is checked. */
static bool zip_listed(struct pst_view in, struct spans *s)
{
	const uint8_t *e = zip_eocd(in), *h;
	uint64_t i, at, cd, cdsize, cdoff, n, sub;

	if (!e)
		return false;
	at = (uint64_t)(e - in.p);
	n = pst_le16(e + 10);
	cdsize = pst_le32(e + 12);
	cdoff = pst_le32(e + 16);
	if ((n == 0xffff || cdsize == UINT32_MAX || cdoff == UINT32_MAX) &&
	    !zip64_end(in, e, &at, &n, &cdsize, &cdoff))
		return false;
	if (cdsize > at || n > in.len / 46)
		return false;
	cd = at - cdsize;
	/* offsets count from a prefix's start (a self-extractor's made with
	 * zip -A) or from its end: libarchive reads either */
	s->base = cd > cdoff ? cd - cdoff : 0;
	sub = cdoff > cd ? cdoff - cd : 0;
	if (!span_add(s, apk_sig_block(in, cd), in.len))
		return false;
	for (at = cd, i = 0; i < n; i++) {
		uint64_t csize, lho, end = 0;
		h = pst_view_at(in, at, 46);
		if (!h || memcmp(h, "PK\1\2", 4) != 0)
			return false;
		csize = pst_le32(h + 20);
		lho = pst_le32(h + 42);
		if (csize == UINT32_MAX || lho == UINT32_MAX || pst_le32(h + 24) == UINT32_MAX) {
			if (!cd_zip64(in, at, h, &csize, &lho))
				return false;
		}
		/* from in's start: base and sub are at most in.len and 2^32 */
		if (lho <= in.len + sub && lho + s->base >= sub)
			end = listed_end(in, lho + s->base - sub, csize, pst_le16(h + 8));
		if (end && !span_add(s, lho + s->base - sub, end))
			return false;
		at += 46u + pst_le16(h + 28) + pst_le16(h + 30) + pst_le16(h + 32);
	}
	qsort(s->v, s->n, sizeof(*s->v), span_cmp);
	return true;
}

/* A local header at at whose name, data and sizes lie within [at, b), of a
 * method this reads (stored, deflate); *end gets where its data ends (the
 * gap's end for deflate with a data descriptor: the stream ends itself). */
static bool hidden_header(struct pst_view in, uint64_t at, uint64_t b, uint64_t *end)
{
	const uint8_t *h = pst_view_at(in, at, 30);
	uint64_t data, csize, usize;
	uint16_t flags, method, nlen;

	if (!h || b - at < 30 || memcmp(h, "PK\3\4", 4) != 0)
		return false;
	flags = pst_le16(h + 6);
	method = pst_le16(h + 8);
	csize = pst_le32(h + 18);
	usize = pst_le32(h + 22);
	nlen = pst_le16(h + 26);
	data = at + 30u + nlen + pst_le16(h + 28);
	if (nlen == 0 || data > b || memchr(h + 30, 0, nlen) || (method != 0 && method != 8))
		return false;
	if (method == 8 && (flags & 8)) {
		*end = b;
		return true;
	}
	if (csize > b - data || (method == 0 && ((flags & 8) || csize != usize)))
		return false;
	*end = data + csize;
	return true;
}

/* Inflates a hidden member at the walk, when it gets no loader. */
static void hidden_inflate(struct ctx *c, struct pst_view data, struct pst_obuf *ob,
			   struct pst_entry *e)
{
	uint64_t used = 0;
	enum pst_err r;
	pst_sink_obuf(c->k, ob);
	pst_obuf_expect(ob, e->declared_size);
	r = pst_decompress(PST_CODEC_DEFLATE, data, ob, &used);
	if (r != PST_OK) {
		e->flags |= PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
		pst_sink_damage(c->k, r == PST_ENOMEM ? PST_ENOMEM : PST_EFORMAT,
				"%.80s: damaged deflate data", e->path);
	}
	e->take = ob;
}

/* Emits the hidden local entry at at (hidden_header said yes), data up to
 * end, and reports it on the member it becomes. */
static enum pst_err hidden_emit(struct ctx *c, struct pst_view in, uint64_t at, uint64_t end)
{
	struct pst_sink *k = c->k;
	const uint8_t *h = in.p + at;
	uint16_t flags = pst_le16(h + 6), nlen = pst_le16(h + 26);
	uint64_t data = at + 30u + nlen + pst_le16(h + 28);
	struct pst_node *prev = k->parent->last_child_, *n;
	struct pst_obuf ob;
	struct pst_entry e;
	char *name = strndup((const char *)h + 30, nlen);
	enum pst_err rc;

	if (!name)
		return pst_sink_damage(k, PST_ENOMEM, "out of memory emitting a member");
	memset(&e, 0, sizeof(e));
	memset(&ob, 0, sizeof(ob));
	e.path = names_root(name) ? "/.unnamed" : name;
	e.mode = name[nlen - 1] == '/' ? S_IFDIR | 0755 : S_IFREG | 0644;
	/* 0xffffffff: in a zip64 extra field; not needed (the data ends itself) */
	e.declared_size = pst_le32(h + 22) == UINT32_MAX ? 0 : pst_le32(h + 22);
	e.offset = data;
	check_escape(c, e.path, false);
	if (flags & 0x41) {
		e.flags |= PST_NODE_ENCRYPTED | PST_NODE_INCOMPLETE;
		note_encrypted(c, e.path);
	} else if (S_ISDIR(e.mode)) {
		/* no content */
	} else if (pst_le16(h + 8) == 0) {
		e.borrow = in.p + data;
		e.borrow_len = (size_t)(end - data);
	} else if (c->lazy && c->lazy->n < c->lazy->cap) {
		lazy_member_add(c->lazy, &e, at, data);
	} else {
		hidden_inflate(c, pst_view_sub(in, data, end - data), &ob, &e);
	}
	rc = pst_sink_emit(k, &e);
	n = k->parent->last_child_ != prev ? k->parent->last_child_ : k->parent;
	pst_finding_add(k->scan, n, "archive.hidden-entry", PST_SEV_HIGH, "integrity", 0,
			name, "a local file header at offset %llu (\"%.100s\") that the central "
			"directory does not list: listing tools do not show it, streaming "
			"extractors and updaters that read local headers install it",
			(unsigned long long)at, name);
	pst_obuf_free(&ob);
	free(name);
	return rc;
}

struct unexplained {
	uint64_t bytes;
	unsigned n;
	char text[PST_CAP_GAPS_SHOWN * 48];
	size_t tlen;
};

/* Counts the non-zero bytes of [a, b) as unexplained. */
static void unexplained_add(struct unexplained *u, struct pst_view in, uint64_t a, uint64_t b)
{
	uint64_t i, m = 0;
	int w;
	for (i = a; i < b; i++)
		m += in.p[i] != 0;
	if (!m)
		return;
	u->bytes += m;
	if (u->n++ < PST_CAP_GAPS_SHOWN) {
		w = snprintf(u->text + u->tlen, sizeof(u->text) - u->tlen, "%s0x%llx-0x%llx",
			     u->tlen ? ", " : "", (unsigned long long)a, (unsigned long long)b);
		if (w > 0 && (size_t)w < sizeof(u->text) - u->tlen)
			u->tlen += (size_t)w;
	}
}

/* Searches [a, b), bytes no listed member explains, for local headers;
 * the rest, past the prefix, is unexplained. */
static enum pst_err zip_gap(struct ctx *c, struct pst_view in, uint64_t a, uint64_t b,
			    uint64_t base, struct unexplained *u)
{
	struct pst_view gap = pst_view_sub(in, 0, b);
	uint64_t from = a; /* where the bytes not yet counted start */
	enum pst_err rc = PST_OK;

	while (a < b && rc == PST_OK && !pst_sink_cancelled(c->k)) {
		int64_t at = pst_view_find(gap, a, "PK\3\4", 4);
		uint64_t h, end = 0;
		if (at < 0)
			break;
		h = (uint64_t)at;
		a = h + 1;
		if (!hidden_header(in, h, b, &end))
			continue;
		unexplained_add(u, in, from > base ? from : base, h);
		rc = hidden_emit(c, in, h, end);
		a = from = end;
	}
	unexplained_add(u, in, from > base ? from : base, b);
	return rc;
}

static enum pst_err zip_hidden(struct ctx *c, struct pst_view in)
{
	struct pst_sink *k = c->k;
	struct spans s;
	struct unexplained u;
	uint64_t pos = 0;
	enum pst_err rc = PST_OK;
	size_t i;

	memset(&s, 0, sizeof(s));
	memset(&u, 0, sizeof(u));
	if (!zip_listed(in, &s))
		goto out;
	/* bytes before the first listed member are a prefix too, whatever the
	 * offsets count from (a zipapp's "#!" line, written by Python's zipfile
	 * with offsets from the file's start): searched for headers only */
	if (s.n && s.v[0].a > s.base)
		s.base = s.v[0].a;
	for (i = 0; i < s.n && rc == PST_OK; i++) {
		if (s.v[i].a > pos)
			rc = zip_gap(c, in, pos, s.v[i].a, s.base, &u);
		if (s.v[i].b > pos)
			pos = s.v[i].b;
	}
	if (u.bytes) {
		pst_cov_add(k->scan, &k->scan->cov.unexplained_bytes, u.bytes);
		pst_finding_add(k->scan, k->parent, "coverage.unexplained", PST_SEV_LOW, "coverage",
				0, u.text, "%llu bytes in %u range(s) of this zip belong to no member "
				"its central directory lists", (unsigned long long)u.bytes, u.n);
	}
out:
	free(s.v);
	return rc;
}

/* The end of a 7z archive: its start header points at the next header. */
static uint64_t sevenzip_extent(struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, 32);
	uint64_t off, size;
	if (!h)
		return 0;
	off = pst_le64(h + 12);
	size = pst_le64(h + 20);
	if (off > in.len || size > in.len || 32 + off + size > in.len)
		return 0;
	return 32 + off + size;
}

/* An ISO 9660 volume's size from its primary volume descriptor (ECMA-119
 * 8.4.8 and 8.4.12, both-endian fields: the little-endian half is read). */
static uint64_t iso_extent(struct pst_view in)
{
	const uint8_t *d = pst_view_at(in, 0x8000, 0x800);
	if (!d || d[0] != 1)
		return 0;
	return (uint64_t)pst_le32(d + 80) * pst_le16(d + 128);
}

/* Stream formats without a filter: the bytes libarchive consumed, then the
 * zero padding to the next 512-byte block (tar records, cpio blocks). */
static uint64_t stream_extent(struct ctx *c)
{
	la_int64_t b = archive_filter_bytes(c->a, -1);
	uint64_t end, pad;
	if (b <= 0 || (uint64_t)b > c->in.len)
		return 0;
	end = (uint64_t)b;
	pad = (end + 511) & ~(uint64_t)511;
	if (pad > c->in.len)
		return end;
	while (end < pad && c->in.p[end] == 0)
		end++;
	return end == pad ? pad : (uint64_t)b;
}

static bool stream_format(enum pst_ar_fmt f)
{
	return f == PST_AR_TAR || f == PST_AR_CPIO || f == PST_AR_AR;
}

/* The child of a compress stream: the parent's name less ".Z". */
static void raw_name(const struct pst_node *parent, char *out, size_t len)
{
	const char *base = strrchr(parent->seg, '/');
	size_t n;
	base = base ? base + 1 : parent->seg;
	n = strlen(base);
	if ((parent->flags & PST_NODE_VIRTUAL) || n == 0)
		snprintf(out, len, "/data");
	else if (n > 4 && (strcmp(base + n - 4, ".taz") == 0 || strcmp(base + n - 4, ".TAZ") == 0))
		snprintf(out, len, "/%.*s.tar", (int)(n - 4), base);
	else if (n > 3 && strcmp(base + n - 3, ".tZ") == 0)
		snprintf(out, len, "/%.*s.tar", (int)(n - 3), base);
	else if (n > 2 && strcmp(base + n - 2, ".Z") == 0)
		snprintf(out, len, "/%.*s", (int)(n - 2), base);
	else
		snprintf(out, len, "/%s.data", base);
}

/* ---- the read loop ---- */

static void report(struct ctx *c)
{
	struct pst_sink *k = c->k;
	if (c->nescape)
		pst_finding_add(k->scan, k->parent, "unpack.path-traversal", PST_SEV_MEDIUM, "integrity", 0,
				c->escape_ev,
				"%u member(s) are stored beneath a symbolic link of the same archive, "
				"which makes naive extractors write outside their directory", c->nescape);
	if (c->nencrypted)
		pst_finding_add(k->scan, k->parent, "unpack.encrypted", PST_SEV_LOW, "coverage", 0,
				c->encrypted_ev, "%u encrypted member(s) could not be examined",
				c->nencrypted);
}

/* The archive cannot be read further. Encryption (7z's encrypted headers,
 * or a solid block that cannot be skipped without the key) marks the
 * container encrypted rather than damaged. */
static enum pst_err fatal(struct ctx *c, const char *err)
{
	struct pst_sink *k = c->k;
	if (lib_fault(c) == PST_ENOMEM)
		return pst_sink_damage(k, PST_ENOMEM, "%s", err ? err : "out of memory");
	if (err && strstr(err, "ncrypt")) {
		if (!(k->parent->flags & PST_NODE_ENCRYPTED)) {
			k->parent->flags |= PST_NODE_ENCRYPTED;
			pst_cov_add(k->scan, &k->scan->cov.encrypted, 1);
		}
		return pst_sink_damage(k, PST_EUNSUPPORTED, "%s", err);
	}
	return pst_sink_damage(k, PST_EFORMAT, "%s", err ? err : "unreadable header");
}

static enum pst_err read_all(struct ctx *c, bool strict, bool *at_end, uint64_t *hi)
{
	struct pst_sink *k = c->k;
	struct archive_entry *ent = c->ent;
	enum pst_err rc = PST_OK;
	unsigned retries = 0;

	for (;;) {
		const char *err;
		int r;
		if (pst_sink_cancelled(k))
			return PST_ECANCEL;
		r = archive_read_next_header2(c->a, ent);
		err = archive_error_string(c->a);
		if (r == ARCHIVE_EOF) {
			*at_end = true;
			return rc;
		}
		/* Carved: a header that needed resyncing means the object ended
		 * before it; its extent stays where the last good member ended. */
		if (r == ARCHIVE_RETRY ||
		    (strict && r == ARCHIVE_WARN && err && strncmp(err, "Skipped", 7) == 0)) {
			pst_sink_damage(k, PST_EFORMAT, "%s", err ? err : "damaged header");
			if (strict || ++retries > PST_CAP_ARCHIVE_RETRIES)
				return PST_EFORMAT;
			rc = PST_EFORMAT;
			continue;
		}
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return fatal(c, err);
		retries = 0;
		c->nheaders++;
		r = (int)emit_entry(c, ent);
		if (stream_format(c->fmt) && archive_filter_bytes(c->a, -1) > 0 &&
		    (uint64_t)archive_filter_bytes(c->a, -1) > *hi)
			*hi = (uint64_t)archive_filter_bytes(c->a, -1);
		if (r == PST_EFORMAT) {
			rc = PST_EFORMAT;
			if (c->fatal)
				return rc;
			continue;
		}
		if (r != PST_OK)
			return (enum pst_err)r;
	}
}

/* Hex (newc, crc) or octal (odc) header field; false on a non-digit. */
static bool cpio_field(const uint8_t *p, size_t n, unsigned base, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return false;
		if (d >= base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* An ASCII cpio header as libarchive accepts one: the magic, then every
 * field a digit of its base (libarchive checks the whole header, not only the
 * fields it needs, before it takes a header or resyncs to it). */
static bool cpio_header(const uint8_t *h, bool newc)
{
	uint64_t v;
	if (newc)
		return (memcmp(h, "070701", 6) == 0 || memcmp(h, "070702", 6) == 0) &&
		       cpio_field(h + 6, 104, 16, &v);
	return memcmp(h, "070707", 6) == 0 && cpio_field(h + 6, 70, 8, &v);
}

enum cpio_kind { CPIO_NEWC, CPIO_ODC, CPIO_BIN_LE, CPIO_BIN_BE };

/* The name size, data size and mode of the header at h (hlen bytes); false
 * where libarchive would not take it as a header. Binary headers are not
 * checked (libarchive reads them wherever the last entry ended); their
 * 32-bit size is two 16-bit words, the high one first. */
static bool cpio_sizes(const uint8_t *h, enum cpio_kind kind, uint64_t *namesize,
		       uint64_t *filesize, uint64_t *mode)
{
	switch (kind) {
	case CPIO_NEWC:
		return cpio_header(h, true) && cpio_field(h + 94, 8, 16, namesize) &&
		       cpio_field(h + 54, 8, 16, filesize) && cpio_field(h + 14, 8, 16, mode);
	case CPIO_ODC:
		return cpio_header(h, false) && cpio_field(h + 59, 6, 8, namesize) &&
		       cpio_field(h + 65, 11, 8, filesize) && cpio_field(h + 18, 6, 8, mode);
	case CPIO_BIN_LE:
		*mode = pst_le16(h + 6);
		*namesize = pst_le16(h + 20);
		*filesize = (uint64_t)pst_le16(h + 22) << 16 | pst_le16(h + 24);
		return true;
	case CPIO_BIN_BE:
		*mode = pst_be16(h + 6);
		*namesize = pst_be16(h + 20);
		*filesize = (uint64_t)pst_be16(h + 22) << 16 | pst_be16(h + 24);
		return true;
	}
	return false;
}

/* Walks cpio headers (newc, crc, odc, binary of either byte order) as
 * libarchive will, resyncing ASCII ones past damage to the next header of the
 * archive's own kind as it does, and returns the offset of the first header
 * libarchive would make allocate more than the archive holds, or the view's
 * length. libarchive reads a name, and a symbolic link's target, by asking
 * for all its bytes at once, and allocates that much before it finds out
 * they are not there: a 4 GiB size is a 4 GiB malloc. Found by fuzz_scan five
 * times: a name in the chain of headers, in a header found by resyncing,
 * after a resync to an unaligned header, after a header whose mode field was
 * not hex (libarchive skips it, this walk once took it), and a 2.7 GB symbolic
 * link in a binary archive. */
static uint64_t cpio_sane_extent(struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, 6);
	enum cpio_kind kind = CPIO_NEWC;
	uint64_t off = 0, hlen;
	bool bin;

	if (h && memcmp(h, "070707", 6) == 0)
		kind = CPIO_ODC;
	else if (h && h[0] == 0xc7 && h[1] == 0x71)
		kind = CPIO_BIN_LE;
	else if (h && h[0] == 0x71 && h[1] == 0xc7)
		kind = CPIO_BIN_BE;
	bin = kind == CPIO_BIN_LE || kind == CPIO_BIN_BE;
	hlen = kind == CPIO_NEWC ? 110 : bin ? 26 : 76;
	for (;;) {
		uint64_t namesize = 0, filesize = 0, mode = 0, next;
		uint64_t align = kind == CPIO_NEWC ? 4 : bin ? 2 : 1;
		int64_t at;
		h = pst_view_at(in, off, hlen);
		if (!h)
			return in.len;
		if (!cpio_sizes(h, kind, &namesize, &filesize, &mode)) {
			/* padding or damage: libarchive looks for the next header of
			 * its kind from here */
			at = pst_view_find(in, off + 1, "07070", 5);
			if (at < 0)
				return in.len;
			off = (uint64_t)at;
			continue;
		}
		if (namesize > in.len - off - hlen)
			return off;
		/* names and data are padded (newc: to 4 bytes counted from the
		 * header, which after a resync need not sit at a multiple of 4) */
		next = (hlen + namesize + align - 1) & ~(align - 1);
		if ((mode & 0170000) == 0120000 &&
		    (next > in.len - off || filesize > in.len - off - next))
			return off;
		next = (next + filesize + align - 1) & ~(align - 1);
		next += off;
		if (next <= off || next > in.len)
			return in.len;
		off = next;
	}
}

enum pst_err pst_archive_unpack(struct pst_sink *k, struct pst_view in, enum pst_ar_fmt fmt)
{
	struct ctx c;
	struct src s;
	char name[300];
	bool zip_stream = false, at_end = false;
	bool strict = (k->parent->flags & PST_NODE_CARVED) != 0;
	uint64_t hi = 0, extent = 0;
	enum pst_err rc = PST_OK;

	memset(&c, 0, sizeof(c));
	c.k = k;
	c.fmt = fmt;
	c.opening = true; /* until archive_read_open1 has succeeded */
	if (fmt == PST_AR_ZIP) {
		extent = pst_zip_extent(in);
		if (extent) {
			in = pst_view_sub(in, 0, extent);
			c.pad = zip_shift(in);
		} else if (strict) {
			return PST_EFORMAT; /* a carved zip must show where it ends */
		} else {
			zip_stream = true;
			pst_sink_damage(k, PST_EFORMAT, "no end of central directory record (truncated?); "
					"members read from their local headers");
		}
	} else if (fmt == PST_AR_7Z) {
		extent = sevenzip_extent(in);
	} else if (fmt == PST_AR_ISO) {
		extent = iso_extent(in);
		if (extent > in.len)
			pst_sink_damage(k, PST_EFORMAT, "image is cut short: %zu of its %llu bytes",
					in.len, (unsigned long long)extent);
	} else if (fmt == PST_AR_CAB) {
		extent = in.len >= 12 ? pst_le32(in.p + 8) : 0; /* CFHEADER.cbCabinet */
	} else if (fmt == PST_AR_CPIO) {
		uint64_t sane = cpio_sane_extent(in);
		if (sane < in.len) {
			pst_sink_damage(k, PST_EFORMAT, "cpio header at %llu claims a name or link target "
					"longer than the archive; read up to it", (unsigned long long)sane);
			in = pst_view_sub(in, 0, sane);
		}
	} else if (fmt == PST_AR_COMPRESS) {
		raw_name(k->parent, name, sizeof(name));
		c.raw_name = name;
	}
	c.in = in;
	if (!pst_window_hold(k, in, fmt, &c.win))
		goto out; /* cut: limit.memory on the container */
	if (!reader_new(&c, &s, in)) {
		rc = PST_ENOMEM;
		goto out;
	}
	if (!enable(c.a, fmt, zip_stream)) {
		if (lib_fault(&c) == PST_ENOMEM)
			rc = PST_ENOMEM;
		else
			rc = pst_sink_damage(k, PST_EUNSUPPORTED,
					     "this libarchive cannot read the format in-process");
		goto out;
	}
	if (!reader_callbacks(c.a, &s)) {
		rc = lib_fault(&c) == PST_ENOMEM ? PST_ENOMEM : PST_EUNSUPPORTED;
		goto out;
	}
	if (archive_read_open1(c.a) != ARCHIVE_OK) {
		rc = fatal(&c, archive_error_string(c.a));
		goto out;
	}
	c.opening = false;
	if (fmt == PST_AR_ZIP && !zip_stream)
		c.lazy = lazy_new(k, in, zip_declared_entries(in));
	rc = read_all(&c, strict, &at_end, &hi);
	if (fmt == PST_AR_ZIP && !zip_stream && at_end) {
		/* libarchive keeps one entry per local header: central directory
		 * entries that share or overlap another's local data (an
		 * overlapping-entry bomb, or names hidden from some readers) are
		 * dropped silently. Say so. */
		int64_t declared = zip_declared_entries(in);
		if (declared > 0 && (uint64_t)declared > c.nheaders)
			pst_sink_damage(k, PST_EFORMAT, "the central directory lists %lld entries, "
					"%llu could be read (entries sharing local data are dropped)",
					(long long)declared, (unsigned long long)c.nheaders);
		if (rc == PST_OK || rc == PST_EFORMAT) {
			enum pst_err r = zip_hidden(&c, in);
			if (r != PST_OK)
				rc = r;
		}
	}
	if (c.npend) {
		/* Links whose content never came (a cut archive): emitted empty. */
		enum pst_err r = flush_links(&c, NULL, NULL, 0, NULL);
		if (rc == PST_OK)
			rc = r;
	}
	if (stream_format(fmt))
		k->consumed = at_end ? stream_extent(&c) : hi;
	else if (extent <= in.len)
		k->consumed = extent;
	report(&c);
out:
	archive_read_free(c.a);
	pst_obuf_free(&c.win); /* the decoders are gone */
	archive_entry_free(c.ent);
	pst_fsctx_unref(c.lazy);
	linkset_free(&c.links);
	while (c.npend)
		pending_free(&c.pend[--c.npend]);
	free(c.pend);
	return rc;
}
