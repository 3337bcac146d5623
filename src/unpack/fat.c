/*
 * fat.c - FAT12, FAT16 and FAT32 volumes, with long (VFAT) names.
 *
 * Format: Microsoft's "FAT: General Overview of On-Disk Format" (1.03,
 * 2000). The boot sector's BIOS parameter block gives the sector size,
 * sectors per cluster, reserved sectors, FAT count and size, root entries
 * and total sectors; the cluster count alone decides FAT12/16/32. Directory
 * entries are 32 bytes; a long name precedes its short entry as a run of
 * attribute-0x0F entries of 13 UCS-2 characters each, checked against the
 * short name's checksum. FAT keeps no owners or permissions: files are
 * 0644 (0444 read-only), directories 0755.
 * The walk reads directories; a regular file is emitted with a loader that
 * follows its cluster chain when a worker examines it, so the walk holds no
 * file's content.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fsutil.h"

/* Where the clusters are: set from the boot sector before the walk and
 * never changed after, so loaders on any thread read it as they like. */
struct geom {
	struct pst_view img;
	unsigned type;          /* 12, 16 or 32 */
	uint32_t clusters;
	uint64_t fat_off, data_off, cluster_bytes;
};

/* The loaders' context: the geometry, with the volume's blob kept alive by
 * base (no per-worker state: a chain is followed in place). */
struct fat_ctx {
	struct pst_fsctx base;   /* first: pst_fsctx_ref/unref */
	struct geom g;
};

struct fat {
	struct pst_sink *k;
	struct fat_ctx *cx;
	const struct geom *g;   /* &cx->g */
	uint64_t root_off;
	uint32_t root_entries, root_clus;
	uint64_t entries, max_entries;
	struct pst_fspath path;
	enum pst_err rc;
};

/* The boot sector's parameters must describe a volume (sector size, a power
 * of two sectors per cluster, one or two FATs that fit before the end), and
 * where the image holds them, each FAT must start with its signature: the
 * media byte of the boot sector, then 0xff (FAT[0] is the media byte with
 * every other bit set). Carving anchors on the 0x55 0xaa at the boot sector's
 * end; this check is what keeps other boot records and chance bytes out. */
static unsigned bid(const uint8_t *h, size_t len)
{
	uint16_t bps, reserved, root;
	uint8_t spc, nfats, i;
	uint32_t total, fatsz;
	unsigned b = 40;
	if (len < 512 || h[510] != 0x55 || h[511] != 0xaa || (h[0] != 0xeb && h[0] != 0xe9))
		return 0;
	bps = pst_le16(h + 11);
	spc = h[13];
	reserved = pst_le16(h + 14);
	nfats = h[16];
	root = pst_le16(h + 17);
	total = pst_le16(h + 19) ? pst_le16(h + 19) : pst_le32(h + 32);
	fatsz = pst_le16(h + 22) ? pst_le16(h + 22) : pst_le32(h + 36);
	if ((bps != 512 && bps != 1024 && bps != 2048 && bps != 4096) || spc == 0 || (spc & (spc - 1)) ||
	    reserved == 0 || nfats == 0 || nfats > 2 || total == 0 || fatsz == 0 || h[21] < 0xf0 ||
	    (h[21] > 0xf0 && h[21] < 0xf8))
		return 0;
	if ((uint64_t)reserved + (uint64_t)nfats * fatsz + ((uint64_t)root * 32 + bps - 1) / bps >= total)
		return 0;
	for (i = 0; i < nfats; i++) {
		uint64_t at = ((uint64_t)reserved + (uint64_t)i * fatsz) * bps;
		if (at + 2 > len)
			break;
		if (h[at] != h[21] || h[at + 1] != 0xff)
			return 0;
		b += 4;
	}
	if (!memcmp(h + 54, "FAT", 3) || !memcmp(h + 82, "FAT32", 5))
		b += 16;
	return b;
}

static uint32_t next_cluster(const struct geom *g, uint32_t c)
{
	const uint8_t *p;
	if (g->type == 12) {
		uint64_t off = g->fat_off + c + c / 2;
		uint16_t v;
		if (!(p = pst_view_at(g->img, off, 2)))
			return 0x0ffffff7u;
		v = pst_le16(p);
		v = (c & 1) ? (uint16_t)(v >> 4) : (uint16_t)(v & 0xfff);
		return v >= 0xff7 ? 0x0ffffff0u | v : v;
	}
	if (g->type == 16) {
		if (!(p = pst_view_at(g->img, g->fat_off + (uint64_t)c * 2, 2)))
			return 0x0ffffff7u;
		return pst_le16(p) >= 0xfff7 ? 0x0fff0000u | pst_le16(p) : pst_le16(p);
	}
	if (!(p = pst_view_at(g->img, g->fat_off + (uint64_t)c * 4, 4)))
		return 0x0ffffff7u;
	return pst_le32(p) & 0x0fffffffu;
}

static bool cluster_ok(const struct geom *g, uint32_t c)
{
	return c >= 2 && c < g->clusters + 2;
}

/* Appends up to len bytes of the chain from cluster c. PST_EFORMAT when the
 * chain breaks before len bytes (len UINT64_MAX: until the chain ends), or
 * what appending returned when the buffer stopped it. */
static enum pst_err read_chain(const struct geom *g, uint32_t c, uint64_t len,
			       struct pst_obuf *ob)
{
	uint64_t done = 0, steps = 0;
	while (done < len && !ob->over) {
		const uint8_t *p;
		uint64_t n = g->cluster_bytes;
		enum pst_err e;
		if (!cluster_ok(g, c) || ++steps > g->clusters)
			return len == UINT64_MAX && c >= 0x0ffffff8u ? PST_OK : PST_EFORMAT;
		if (n > len - done)
			n = len - done;
		p = pst_view_at(g->img, g->data_off + (uint64_t)(c - 2) * g->cluster_bytes, n);
		if (!p)
			return PST_EFORMAT;
		e = pst_obuf_append(ob, p, (size_t)n);
		if (e != PST_OK)
			return e;
		done += n;
		c = next_cluster(g, c);
	}
	return ob->over ? PST_ELIMIT : PST_OK;
}

/* The sink's loader: cookie is a file's first cluster << 32 | its size. */
static enum pst_err load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	const struct fat_ctx *cx = ctx;
	(void)worker;
	return read_chain(&cx->g, (uint32_t)(cookie >> 32), cookie & 0xffffffffu, out);
}

/* A directory's entries from cluster c, read whole (at most 64 MiB: 2
 * million entries); a chain that breaks is reported on the volume, what was
 * read of it walked. path NULL: the root. */
static void read_dir(struct fat *f, uint32_t c, const char *path, struct pst_obuf *db)
{
	memset(db, 0, sizeof(*db));
	db->max = 64u << 20;
	if (read_chain(f->g, c, UINT64_MAX, db) != PST_EFORMAT)
		return;
	if (path)
		pst_sink_damage(f->k, PST_EFORMAT, "%s: directory cluster chain broken", path);
	else
		pst_sink_damage(f->k, PST_EFORMAT, "root directory cluster chain broken");
}

static uint8_t short_sum(const uint8_t *name)
{
	uint8_t s = 0;
	int i;
	for (i = 0; i < 11; i++)
		s = (uint8_t)(((s & 1) ? 0x80 : 0) + (s >> 1) + name[i]);
	return s;
}

static size_t put_utf8(char *o, uint32_t u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u >= 0xd800 && u < 0xe000) {
		o[0] = '?';
		return 1;
	}
	o[0] = (char)(0xe0 | u >> 12);
	o[1] = (char)(0x80 | ((u >> 6) & 0x3f));
	o[2] = (char)(0x80 | (u & 0x3f));
	return 3;
}

static void walk_dir(struct fat *f, struct pst_view dir, unsigned depth);

static void emit(struct fat *f, const uint8_t *d, unsigned depth)
{
	struct pst_entry e;
	uint32_t c = (uint32_t)pst_le16(d + 20) << 16 | pst_le16(d + 26), size = pst_le32(d + 28);
	bool isdir = (d[11] & 0x10) != 0;
	enum pst_err rc;

	if (f->g->type != 32)
		c &= 0xffff;
	memset(&e, 0, sizeof(e));
	e.path = f->path.p;
	e.mode = isdir ? (S_IFDIR | 0755) : (S_IFREG | ((d[11] & 0x01) ? 0444 : 0644));
	if (!isdir) {
		/* a chain that breaks is the file's damage, found when it loads */
		e.declared_size = size;
		e.load = load;
		e.ctx = f->cx;
		e.cookie = (uint64_t)c << 32 | size;
		e.ctx_ref = pst_fsctx_ref;
		e.ctx_unref = pst_fsctx_unref;
	}
	rc = pst_sink_emit(f->k, &e);
	if (rc == PST_ENOMEM || rc == PST_ECANCEL || f->k->stopped) {
		f->rc = rc ? rc : PST_ELIMIT;
		return;
	}
	if (isdir) {
		struct pst_obuf db;
		read_dir(f, c, f->path.p, &db);
		walk_dir(f, pst_view_make(db.p, db.len), depth + 1);
		pst_obuf_free(&db);
	}
}

static void walk_dir(struct fat *f, struct pst_view dir, unsigned depth)
{
	size_t i, mark;
	uint16_t lfn[20 * 13 + 1];
	unsigned lfn_n = 0;
	uint8_t lfn_sum = 0;
	bool lfn_ok = false;

	if (!pst_sink_nest(f->k, depth, pst_fspath_where(&f->path))) {
		return;
	}
	for (i = 0; i + 32 <= dir.len && f->rc == PST_OK; i += 32) {
		const uint8_t *d = dir.p + i;
		char name[1024];
		size_t n = 0, j;
		if (d[0] == 0)
			break;
		if (d[0] == 0xe5) {
			lfn_ok = false;
			continue;
		}
		if (d[11] == 0x0f) {
			unsigned ord = d[0] & 0x1fu;
			static const uint8_t at[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
			if (ord == 0 || ord > 20) {
				lfn_ok = false;
				continue;
			}
			if (d[0] & 0x40) {
				lfn_ok = true;
				lfn_n = ord * 13;
				lfn_sum = d[13];
				memset(lfn, 0, sizeof(lfn));
			} else if (!lfn_ok || d[13] != lfn_sum) {
				lfn_ok = false;
				continue;
			}
			for (j = 0; j < 13; j++)
				lfn[(ord - 1) * 13 + j] = pst_le16(d + at[j]);
			continue;
		}
		if (d[11] & 0x08) {
			lfn_ok = false;
			continue;   /* the volume label */
		}
		if (lfn_ok && short_sum(d) == lfn_sum) {
			for (j = 0; j < lfn_n && lfn[j] && lfn[j] != 0xffff && n + 4 < sizeof(name); j++)
				n += put_utf8(name + n, lfn[j]);
		} else {
			for (j = 0; j < 8 && d[j] != ' '; j++)
				name[n++] = (char)((d[12] & 0x08) && d[j] >= 'A' && d[j] <= 'Z' ? d[j] + 32 : d[j]);
			if (d[8] != ' ') {
				name[n++] = '.';
				for (j = 8; j < 11 && d[j] != ' '; j++)
					name[n++] = (char)((d[12] & 0x10) && d[j] >= 'A' && d[j] <= 'Z' ? d[j] + 32 : d[j]);
			}
			if (n && (uint8_t)name[0] == 0x05)
				name[0] = (char)0xe5;
		}
		lfn_ok = false;
		name[n] = 0;
		if ((n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
			continue;
		if (++f->entries > f->max_entries) {
			pst_sink_damage(f->k, PST_EFORMAT, "more entries than the volume can hold (a loop?)");
			f->rc = PST_EFORMAT;
			return;
		}
		if (!pst_fspath_push(&f->path, f->k, name, n, &mark))
			continue;
		emit(f, d, depth);
		pst_fspath_pop(&f->path, mark);
	}
}

/* The loaders' context with the geometry of the volume in (its boot sector
 * bid on), with where its root directory starts and the bytes the volume
 * says it has; NULL on out of memory. */
static struct fat_ctx *ctx_new(struct pst_sink *k, struct pst_view in, uint64_t *root_off,
			       uint64_t *size)
{
	const uint8_t *h = in.p;
	struct fat_ctx *cx = pst_fsctx_new(k, sizeof(*cx));
	struct geom *g;
	uint32_t bps = pst_le16(h + 11), spc = h[13], reserved = pst_le16(h + 14), nfats = h[16];
	uint32_t total = pst_le16(h + 19) ? pst_le16(h + 19) : pst_le32(h + 32);
	uint32_t fatsz = pst_le16(h + 22) ? pst_le16(h + 22) : pst_le32(h + 36);
	uint32_t rootsec = (pst_le16(h + 17) * 32u + bps - 1) / bps;

	if (!cx)
		return NULL;
	g = &cx->g;
	g->clusters = (uint32_t)((total - reserved - (uint64_t)nfats * fatsz - rootsec) / spc);
	g->type = g->clusters < 4085 ? 12 : g->clusters < 65525 ? 16 : 32;
	g->fat_off = (uint64_t)reserved * bps;
	*root_off = g->fat_off + (uint64_t)nfats * fatsz * bps;
	g->data_off = *root_off + (uint64_t)rootsec * bps;
	g->cluster_bytes = (uint64_t)spc * bps;
	*size = (uint64_t)total * bps;
	g->img = pst_view_sub(in, 0, *size);
	return cx;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct fat *f;
	const struct geom *g;
	uint64_t size = 0;
	enum pst_err rc = PST_OK;

	if (!bid(in.p, in.len))
		return PST_EFORMAT;
	f = calloc(1, sizeof(*f));
	if (!f)
		return PST_ENOMEM;
	if (pst_fspath_init(&f->path, k) == PST_OK)
		f->cx = ctx_new(k, in, &f->root_off, &size);
	if (!f->cx) {
		rc = PST_ENOMEM;
		goto out;
	}
	f->k = k;
	f->g = g = &f->cx->g;
	f->root_entries = pst_le16(in.p + 17);
	f->root_clus = pst_le32(in.p + 44);
	k->consumed = g->img.len;
	if (g->img.len < size)
		pst_sink_damage(k, PST_EFORMAT, "volume truncated: %zu of %llu bytes", g->img.len,
				(unsigned long long)size);
	f->max_entries = (uint64_t)g->clusters * 16 + f->root_entries + 16;
	if (g->type == 32) {
		struct pst_obuf db;
		read_dir(f, f->root_clus, NULL, &db);
		walk_dir(f, pst_view_make(db.p, db.len), 0);
		pst_obuf_free(&db);
	} else {
		walk_dir(f, pst_view_sub(g->img, f->root_off, (uint64_t)f->root_entries * 32), 0);
	}
	if (f->rc == PST_ENOMEM)
		rc = PST_ENOMEM;
out:
	/* loaders still queued keep the context */
	pst_fsctx_unref(f->cx);
	pst_fspath_free(&f->path);
	free(f);
	return rc;
}

/* Carving anchor: the boot sector's signature at its end (the jump at its
 * start varies with the formatter). */
static const struct pst_magic magics[] = { { "\x55\xaa", 2, 510 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_fat = {
	"fat", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
