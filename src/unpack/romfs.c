/*
 * romfs.c - the ROM filesystem (genromfs): big-endian, uncompressed.
 *
 * Format: Documentation/filesystems/romfs.rst in Linux. "-rom1fs-", the
 * image size and a checksum (the first 512 bytes sum to zero as big-endian
 * words), the volume name padded to 16 bytes; then 16-byte-aligned file
 * headers: next header (low 4 bits: executable flag and type), type-specific
 * info (a directory's first entry, a hard link's target, a device number),
 * size, checksum, name padded to 16; the data follows. romfs keeps no
 * owners; permissions are the kernel's: 0644 (0755 when executable), 0777
 * for symlinks, 0600 for devices.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "fsutil.h"


struct rf {
	struct pst_sink *k;
	struct pst_view img;
	uint64_t entries, max_entries;
	struct pst_fspath path;
	enum pst_err rc;
};

static const uint32_t modemap[8] = { 0, S_IFDIR | 0644, S_IFREG | 0644, S_IFLNK | 0777,
				     S_IFBLK | 0600, S_IFCHR | 0600, S_IFSOCK | 0644, S_IFIFO | 0644 };

static bool sum_zero(struct pst_view v, uint64_t off, uint64_t len)
{
	uint32_t sum = 0;
	uint64_t i;
	const uint8_t *p = pst_view_at(v, off, len);
	if (!p)
		return false;
	for (i = 0; i + 4 <= len; i += 4)
		sum += pst_be32(p + i);
	return sum == 0;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t size;
	if (len < 32 || memcmp(h, "-rom1fs-", 8) != 0)
		return 0;
	size = pst_be32(h + 8);
	if (size < 32)
		return 0;
	return 80;
}

/* Offset just past the NUL-terminated, 16-byte-padded name at off. */
static bool name_at(struct pst_view v, uint64_t off, size_t *n, uint64_t *after)
{
	const uint8_t *p = pst_view_at(v, off, 1);
	size_t i = 0;
	if (!p)
		return false;
	while (off + i < v.len && p[i] && i < 4096)
		i++;
	if (off + i >= v.len || p[i])
		return false;
	*n = i;
	*after = (off + i + 1 + 15) & ~(uint64_t)15;
	return true;
}

static void walk_dir(struct rf *r, uint64_t fh, unsigned depth)
{
	if (!pst_sink_nest(r->k, depth, pst_fspath_where(&r->path)))
		return;
	while (fh != 0 && r->rc == PST_OK) {
		const uint8_t *h = pst_view_at(r->img, fh, 16);
		uint32_t next, spec, size, type;
		size_t n, mark;
		uint64_t data;
		struct pst_entry e;
		char link[4097];
		enum pst_err rc;

		if (!h || fh % 16 || !name_at(r->img, fh + 16, &n, &data)) {
			pst_sink_damage(r->k, PST_EFORMAT, "file header at 0x%llx outside the image",
					(unsigned long long)fh);
			return;
		}
		if (++r->entries > r->max_entries) {
			pst_sink_damage(r->k, PST_EFORMAT, "more entries than the image can hold (a loop?)");
			r->rc = PST_EFORMAT;
			return;
		}
		next = pst_be32(h);
		spec = pst_be32(h + 4);
		size = pst_be32(h + 8);
		type = next & 7u;
		fh = next & ~15u;
		if (!sum_zero(r->img, (uint64_t)(h - r->img.p), data - (uint64_t)(h - r->img.p)))
			pst_sink_damage(r->k, PST_EFORMAT, "file header checksum mismatch");
		if ((n == 1 && h[16] == '.') || (n == 2 && h[16] == '.' && h[17] == '.'))
			continue; /* the directory itself and its parent */
		if (!pst_fspath_push(&r->path, r->k, h + 16, n, &mark))
			continue;
		memset(&e, 0, sizeof(e));
		e.path = r->path.p;
		if (type == 0) {
			/* a hard link: the entry it names */
			const uint8_t *t = pst_view_at(r->img, spec & ~15u, 16);
			uint64_t tdata;
			size_t tn;
			if (t && name_at(r->img, (spec & ~15u) + 16, &tn, &tdata) && (pst_be32(t) & 7u) == 2) {
				type = 2;
				size = pst_be32(t + 8);
				data = tdata;
				next = pst_be32(t);
			} else {
				pst_sink_damage(r->k, PST_EFORMAT, "%s: dangling hard link",
						r->path.p);
				pst_fspath_pop(&r->path, mark);
				continue;
			}
		}
		e.mode = modemap[type] | ((next & 8u) ? 0111u : 0);
		if (type == 2 || type == 3) {
			const uint8_t *p = pst_view_at(r->img, data, size);
			if (!p) {
				pst_sink_damage(r->k, PST_EFORMAT, "%s: data past the image",
						r->path.p);
				e.flags |= PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
				p = pst_view_at(r->img, data, 0);
				size = p ? (uint32_t)(r->img.len - data) : 0;
			}
			if (type == 2) {
				e.borrow = p;
				e.borrow_len = size;
				e.offset = data;
				e.declared_size = pst_be32(h + 8);
			} else if (p && size < sizeof(link)) {
				if (size)
					memcpy(link, p, size);
				link[size] = 0;
				e.link = link;
			}
		}
		rc = pst_sink_emit(r->k, &e);
		if (rc == PST_ENOMEM || rc == PST_ECANCEL || r->k->stopped) {
			r->rc = rc ? rc : PST_ELIMIT;
			return;
		}
		if (type == 1)
			walk_dir(r, spec & ~15u, depth + 1);
		pst_fspath_pop(&r->path, mark);
	}
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct rf *r;
	uint32_t size;
	size_t n;
	uint64_t first;

	if (!bid(in.p, in.len))
		return PST_EFORMAT;
	r = calloc(1, sizeof(*r));
	if (!r || pst_fspath_init(&r->path, k) != PST_OK) {
		free(r);
		return PST_ENOMEM;
	}
	r->k = k;
	size = pst_be32(in.p + 8);
	r->img = pst_view_sub(in, 0, size);
	k->consumed = r->img.len;
	if (r->img.len < size)
		pst_sink_damage(k, PST_EFORMAT, "image truncated: %zu of %u bytes",
				r->img.len, size);
	else if (!sum_zero(r->img, 0, size < 512 ? size & ~3u : 512))
		pst_sink_damage(k, PST_EFORMAT, "superblock checksum mismatch");
	r->max_entries = r->img.len / 16 + 1;
	if (name_at(r->img, 16, &n, &first))
		walk_dir(r, first, 0);
	else
		pst_sink_damage(k, PST_EFORMAT, "volume name runs past the image");
	n = r->rc == PST_ENOMEM;
	pst_fspath_free(&r->path);
	free(r);
	return n ? PST_ENOMEM : PST_OK;
}

static const struct pst_magic magics[] = { { "-rom1fs-", 8, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_romfs = {
	"romfs", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
