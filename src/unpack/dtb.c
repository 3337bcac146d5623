/*
 * dtb.c - flattened device trees (the Devicetree Specification, chapter 5:
 * big-endian header, structure block of BEGIN_NODE/PROP/END_NODE tokens,
 * strings block). The tree is listed, never executed: one text child,
 * "/devicetree.txt", holds every node path and its printable properties
 * (bootargs and friends are configuration for the analyzers), and large
 * binary "data" properties become children of their own.
 *
 * FIT images (U-Boot's doc/uImage.FIT/source_file_format.txt) are device
 * trees whose /images/<name> nodes carry a kernel, ramdisk or fdt in
 * "data" - or, with external data (mkimage -E), at "data-offset" past the
 * tree's end or at the absolute "data-position", "data-size" bytes long -
 * compressed as the node's "compression" property says. Each such image
 * becomes the child named after its node ("/images/kernel-1"), decompressed.
 *
 * An image node's hash subnodes ("hash-1 { algo = "sha256"; value = [..]; }")
 * are checked against the image's data as stored (before decompression):
 * crc32 (a big-endian cell), md5, sha1, sha256, sha384, sha512. A mismatch,
 * or a value of the wrong length for its algorithm, is the containers'
 * integrity finding (container.checksum-mismatch): U-Boot would refuse the
 * image, or it was changed after it was made. Other algorithms (crc16-ccitt)
 * and signature nodes (which need the vendor's key) are listed, not checked.
 */
#include <string.h>
#include <zlib.h>
#include <openssl/evp.h>
#include "stream.h"
#include "vendor.h"

/* What one node's properties said about its image; emitted when the node's
 * properties end (at its first subnode or its end). */
struct pending {
	const uint8_t *data;
	uint32_t len;
	uint64_t ext_off, ext_size;
	bool has_data, has_ext_off, has_ext_pos, has_ext_size;
	char comp[16];
};

/* The last FIT image emitted, for the hash subnodes that follow it, and the
 * hash node being read. */
struct fit_hash {
	struct pst_view data;      /* the image's data as stored */
	char image[256];           /* its node path; empty: none */
	bool in_hash;              /* inside a hash subnode of it */
	char algo[16];
	const uint8_t *value;
	uint32_t vlen;
	char node[64];
};

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t total, off_struct, off_strings, version;
	if (len < 40 || pst_be32(h) != FDT_MAGIC)
		return 0;
	total = pst_be32(h + 4);
	off_struct = pst_be32(h + 8);
	off_strings = pst_be32(h + 12);
	version = pst_be32(h + 20);
	if (total < 40 || off_struct >= total || off_strings >= total || version < 16 || version > 17)
		return 0;
	return 64;
}

static bool printable(const uint8_t *p, uint32_t n)
{
	uint32_t i;
	if (n == 0 || p[n - 1] != 0)
		return false;
	for (i = 0; i + 1 < n; i++)
		if ((p[i] < 0x20 || p[i] > 0x7e) && p[i] != 0)
			return false;
	return p[0] != 0;
}

static int codec_of(const char *comp)
{
	static const struct { const char *name; int codec; } map[] = {
		{ "gzip", PST_CODEC_GZIP }, { "bzip2", PST_CODEC_BZIP2 }, { "lzma", PST_CODEC_LZMA },
		{ "lz4", PST_CODEC_LZ4 }, { "zstd", PST_CODEC_ZSTD }, { "xz", PST_CODEC_XZ },
	};
	size_t i;
	if (!comp[0] || strcmp(comp, "none") == 0)
		return -1;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(comp, map[i].name) == 0)
			return map[i].codec;
	return -2;
}

/* Emits the image a node described, if any, and forgets it. */
static enum pst_err flush_image(struct pst_sink *k, struct pst_view in, uint32_t total,
				const char *path, struct pending *pd, struct fit_hash *fh)
{
	struct pst_entry e;
	struct pst_view data;
	struct pst_obuf ob;
	uint64_t used;
	enum pst_err rc = PST_OK;
	int codec;
	bool whole = true;

	/* FIT images are emitted whatever their size; elsewhere only "data"
	 * large enough to be more than a small binary property. */
	if (pd->has_data && (pd->len >= 64 || strncmp(path, "/images/", 8) == 0)) {
		data = pst_view_make(pd->data, pd->len);
	} else if ((pd->has_ext_off || pd->has_ext_pos) && pd->has_ext_size) {
		uint64_t at = pd->has_ext_pos ? pd->ext_off : (((uint64_t)total + 3) & ~(uint64_t)3) + pd->ext_off;
		data = pst_view_sub(in, at, pd->ext_size);
		whole = data.len == pd->ext_size;
		if (!whole)
			pst_sink_damage(k, PST_EFORMAT, "external data of %s runs past the image", path);
		if (at + data.len > k->consumed)
			k->consumed = at + data.len;
	} else {
		memset(pd, 0, sizeof(*pd));
		return PST_OK;
	}
	codec = codec_of(pd->comp);
	memset(pd, 0, sizeof(*pd));
	fh->image[0] = 0;
	if (whole && strncmp(path, "/images/", 8) == 0 && strlen(path) < sizeof(fh->image)) {
		snprintf(fh->image, sizeof(fh->image), "%s", path);
		fh->data = data;
	}
	if (data.len == 0)
		return PST_OK;
	memset(&e, 0, sizeof(e));
	e.path = path[0] ? path : "/data";
	e.offset = (uint64_t)(data.p - in.p);
	if (codec == -2)
		pst_sink_damage(k, PST_EUNSUPPORTED, "compression of %s not supported", path);
	if (codec < 0) {
		e.borrow = data.p;
		e.borrow_len = data.len;
		return pst_sink_emit(k, &e);
	}
	pst_sink_obuf(k, &ob);
	rc = pst_decompress((enum pst_codec)codec, data, &ob, &used);
	if (rc == PST_ENOMEM) {
		pst_obuf_free(&ob);
		return rc;
	}
	if (rc == PST_EFORMAT) {
		e.flags |= PST_NODE_TRUNCATED;
		pst_sink_damage(k, rc, "%s does not decompress cleanly", path);
	}
	e.take = &ob;
	rc = pst_sink_emit(k, &e);
	if (rc == PST_OK && used < data.len)
		pst_carve_rest(k, in, e.offset, data.len, used);
	return rc;
}

/* Checks the hash node just read against its image's data. */
static void check_hash(struct pst_sink *k, struct fit_hash *fh)
{
	static const struct { const char *name; const EVP_MD *(*md)(void); } mds[] = {
		{ "md5", EVP_md5 }, { "sha1", EVP_sha1 }, { "sha256", EVP_sha256 },
		{ "sha384", EVP_sha384 }, { "sha512", EVP_sha512 },
	};
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	size_t i;
	char what[400];

	fh->in_hash = false;
	if (!fh->value)
		return;   /* mkimage fills the value in; an .its source has none */
	if (strcmp(fh->algo, "crc32") == 0) {
		uint32_t crc = (uint32_t)crc32(0, fh->data.p, (uInt)fh->data.len);
		digest[0] = (uint8_t)(crc >> 24);
		digest[1] = (uint8_t)(crc >> 16);
		digest[2] = (uint8_t)(crc >> 8);
		digest[3] = (uint8_t)crc;
		dlen = 4;
	} else {
		for (i = 0; i < sizeof(mds) / sizeof(mds[0]); i++)
			if (strcmp(fh->algo, mds[i].name) == 0)
				break;
		if (i == sizeof(mds) / sizeof(mds[0]) ||
		    !EVP_Digest(fh->data.p, fh->data.len, digest, &dlen, mds[i].md(), NULL))
			return;   /* an algorithm we do not check */
	}
	if (fh->vlen == dlen && memcmp(digest, fh->value, dlen) == 0)
		return;
	snprintf(what, sizeof(what), "FIT %s %s (%s%s)", fh->image, fh->node, fh->algo,
		 fh->vlen == dlen ? "" : ", value of the wrong length");
	pst_vendor_bad_sum(k, what);
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint32_t total = 0, off_struct = 0, off_strings = 0, size_strings = 0;
	struct pst_view fdt, st, strs;
	struct pst_str txt, path;
	size_t stack[PST_CAP_DTB_DEPTH];
	unsigned depth = 0;
	uint64_t pos = 0;
	enum pst_err rc = PST_OK;
	bool ended = false;
	struct pending pd;
	struct fit_hash fh;

	pst_view_be32(in, 4, &total);
	pst_view_be32(in, 8, &off_struct);
	pst_view_be32(in, 12, &off_strings);
	pst_view_be32(in, 32, &size_strings);
	fdt = pst_view_sub(in, 0, total);
	k->consumed = fdt.len;
	if (fdt.len < total)
		pst_sink_damage(k, PST_EFORMAT, "device tree truncated");
	st = pst_view_sub(fdt, off_struct, fdt.len);
	strs = pst_view_sub(fdt, off_strings, size_strings);
	pst_str_init(&txt, 4u << 20);
	pst_str_init(&path, 4096);
	memset(&pd, 0, sizeof(pd));
	memset(&fh, 0, sizeof(fh));
	while (!ended && rc != PST_ENOMEM) {
		uint32_t tok, len, nameoff;
		const uint8_t *p;
		if (!pst_view_be32(st, pos, &tok)) {
			pst_sink_damage(k, PST_EFORMAT, "structure block ends without FDT_END");
			break;
		}
		pos += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			size_t n = 0;
			p = pst_view_at(st, pos, 1);
			while (p && pos + n < st.len && p[n])
				n++;
			if (!p || pos + n >= st.len || depth == PST_CAP_DTB_DEPTH) {
				pst_sink_damage(k, PST_EFORMAT, "bad node name or nesting");
				ended = true;
				break;
			}
			rc = flush_image(k, in, total, path.p ? path.p : "", &pd, &fh);
			/* a hash subnode of the image just emitted (and its data whole) */
			if (fh.image[0] && path.p && strcmp(path.p, fh.image) == 0 && n >= 4 &&
			    memcmp(p, "hash", 4) == 0 && n < sizeof(fh.node)) {
				fh.in_hash = true;
				fh.algo[0] = 0;
				fh.value = NULL;
				fh.vlen = 0;
				memcpy(fh.node, p, n);
				fh.node[n] = 0;
			} else {
				fh.in_hash = false;
			}
			stack[depth++] = path.len;
			if (path.len == 0 || path.p[path.len - 1] != '/')
				pst_str_putc(&path, '/');
			pst_str_add(&path, (const char *)p, n);
			pst_str_printf(&txt, "%s\n", path.len ? path.p : "/");
			pos = (pos + n + 1 + 3) & ~(uint64_t)3;
			break;
		}
		case FDT_END_NODE:
			if (depth == 0) {
				pst_sink_damage(k, PST_EFORMAT, "unbalanced END_NODE");
				ended = true;
				break;
			}
			if (fh.in_hash)
				check_hash(k, &fh);
			rc = flush_image(k, in, total, path.p ? path.p : "", &pd, &fh);
			path.len = stack[--depth];
			if (path.p)
				path.p[path.len] = 0;
			break;
		case FDT_PROP: {
			const char *pname = "?";
			if (!pst_view_be32(st, pos, &len) || !pst_view_be32(st, pos + 4, &nameoff) ||
			    !(p = pst_view_at(st, pos + 8, len))) {
				pst_sink_damage(k, PST_EFORMAT, "property runs past the structure block");
				ended = true;
				break;
			}
			if (nameoff < strs.len && memchr(strs.p + nameoff, 0, strs.len - nameoff))
				pname = (const char *)strs.p + nameoff;
			if (printable(p, len)) {
				uint32_t i;
				pst_str_printf(&txt, "  %s = \"", pname);
				for (i = 0; i + 1 < len; i++)
					pst_str_putc(&txt, p[i] ? (char)p[i] : ',');
				pst_str_puts(&txt, "\"\n");
			} else {
				pst_str_printf(&txt, "  %s = <%u bytes>\n", pname, len);
			}
			if (fh.in_hash && strcmp(pname, "algo") == 0 && printable(p, len)) {
				snprintf(fh.algo, sizeof(fh.algo), "%s", (const char *)p);
			} else if (fh.in_hash && strcmp(pname, "value") == 0) {
				fh.value = p;
				fh.vlen = len;
			} else if (strcmp(pname, "data") == 0) {
				pd.data = p;
				pd.len = len;
				pd.has_data = true;
			} else if (strcmp(pname, "compression") == 0 && printable(p, len)) {
				snprintf(pd.comp, sizeof(pd.comp), "%s", (const char *)p);
			} else if (strcmp(pname, "data-offset") == 0 && len == 4) {
				pd.ext_off = pst_be32(p);
				pd.has_ext_off = true;
			} else if (strcmp(pname, "data-position") == 0 && len == 4) {
				pd.ext_off = pst_be32(p);
				pd.has_ext_pos = true;
			} else if (strcmp(pname, "data-size") == 0 && len == 4) {
				pd.ext_size = pst_be32(p);
				pd.has_ext_size = true;
			}
			pos = (pos + 8 + len + 3) & ~(uint64_t)3;
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			ended = true;
			break;
		default:
			pst_sink_damage(k, PST_EFORMAT, "unknown token 0x%x", tok);
			ended = true;
			break;
		}
	}
	if (rc != PST_ENOMEM)
		rc = flush_image(k, in, total, path.p ? path.p : "", &pd, &fh);
	if (rc != PST_ENOMEM && txt.len && !txt.err) {
		struct pst_entry e;
		struct pst_obuf ob;
		pst_sink_obuf(k, &ob);
		memset(&e, 0, sizeof(e));
		e.path = "/devicetree.txt";
		if (pst_obuf_append(&ob, txt.p, txt.len) == PST_OK) {
			e.take = &ob;
			rc = pst_sink_emit(k, &e);
		} else {
			pst_obuf_free(&ob);
		}
	}
	pst_str_free(&txt);
	pst_str_free(&path);
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = { { "\xd0\x0d\xfe\xed", 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_dtb = {
	"dtb", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
