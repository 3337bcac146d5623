/*
 * pyz.c - PyInstaller's PYZ archive of Python modules: "PYZ\0", the
 * interpreter's 4-byte pyc magic, the TOC's offset (32-bit big-endian),
 * then each module as a zlib-compressed marshalled code object, then the
 * TOC: a marshalled list of (name, (typecode, offset, length)) tuples, or a
 * dict of name -> (typecode, offset, length) (PyInstaller 6). Typecode 1 is
 * a package. Format from PyInstaller's documentation of its archives; the
 * marshal subset read here (lists, tuples, dicts, ints, strings, refs) is
 * Python's own documented serialisation (Python/marshal.c's type codes).
 * Each module becomes NAME/PARTS.pyc (a package NAME/__init__.pyc), a code
 * object whose names and constants the scripts analyzer reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lzvendor.h"

/* References the TOC may make to earlier objects (marshal's FLAG_REF). */
#define PYZ_REFS 16384u

enum mkind { M_NONE, M_INT, M_STR, M_TUPLE, M_LIST, M_DICT, M_NULL };

struct mval {
	enum mkind kind;
	int64_t i;
	const uint8_t *s;
	uint32_t n;      /* string bytes, or elements */
};

struct mcur {
	struct pst_view v;
	uint64_t off;
	struct mval *refs;
	uint32_t nrefs;
};

/* Reads one value; containers only their header (their elements follow).
 * false: damaged or a type the TOC does not use. */
static bool m_read(struct mcur *c, struct mval *out)
{
	uint8_t t;
	uint32_t n = 0, idx;
	bool ref;
	memset(out, 0, sizeof(*out));
	if (!pst_view_u8(c->v, c->off++, &t))
		return false;
	ref = (t & 0x80) != 0;
	t &= 0x7f;
	switch (t) {
	case 'N': case 'T': case 'F':
		out->kind = M_NONE;
		break;
	case '0':
		out->kind = M_NULL;
		return true;
	case 'i':
		if (!pst_view_le32(c->v, c->off, &n))
			return false;
		out->kind = M_INT;
		out->i = (int32_t)n;
		c->off += 4;
		break;
	case 'z': case 'Z':
	case 's': case 't': case 'u': case 'a': case 'A': {
		uint8_t b;
		if (t == 'z' || t == 'Z') {
			if (!pst_view_u8(c->v, c->off, &b))
				return false;
			n = b;
			c->off += 1;
		} else {
			if (!pst_view_le32(c->v, c->off, &n))
				return false;
			c->off += 4;
		}
		out->kind = M_STR;
		out->s = pst_view_at(c->v, c->off, n);
		out->n = n;
		if (!out->s)
			return false;
		c->off += n;
		break;
	}
	case ')': case '(': case '[': case '{':
		if (t == ')') {
			uint8_t b;
			if (!pst_view_u8(c->v, c->off, &b))
				return false;
			n = b;
			c->off += 1;
		} else if (t != '{') {
			if (!pst_view_le32(c->v, c->off, &n))
				return false;
			c->off += 4;
		}
		out->kind = t == '[' ? M_LIST : t == '{' ? M_DICT : M_TUPLE;
		out->n = n;
		break;
	case 'r':
		if (!pst_view_le32(c->v, c->off, &idx) || idx >= c->nrefs)
			return false;
		c->off += 4;
		*out = c->refs[idx];
		/* a container's elements were read where it first stood */
		return out->kind == M_INT || out->kind == M_STR || out->kind == M_NONE;
	default:
		return false;
	}
	if (ref) {
		if (c->nrefs >= PYZ_REFS)
			return false;
		c->refs[c->nrefs++] = *out;
	}
	return true;
}

/* (typecode, offset, length) */
static bool m_triple(struct mcur *c, int64_t out[3])
{
	struct mval t, x;
	unsigned i;
	if (!m_read(c, &t) || t.kind != M_TUPLE || t.n != 3)
		return false;
	for (i = 0; i < 3; i++) {
		if (!m_read(c, &x) || x.kind != M_INT)
			return false;
		out[i] = x.i;
	}
	return true;
}

/* A module's child path: dots become directories. */
static void module_path(const struct mval *name, bool pkg, char *out, size_t len)
{
	size_t o = 0, i;
	out[o++] = '/';
	for (i = 0; i < name->n && o + 16 < len; i++)
		out[o++] = name->s[i] == '.' ? '/' : (char)name->s[i];
	snprintf(out + o, len - o, "%s", pkg ? "/__init__.pyc" : ".pyc");
}

static enum pst_err emit_module(struct pst_sink *k, struct pst_view in, const struct mval *name,
				const int64_t e[3])
{
	struct pst_view data;
	struct pst_obuf ob;
	struct pst_entry ent;
	char path[512];
	size_t want, room;
	long got = -1;

	if (e[1] < 0 || e[2] <= 0)
		return pst_sink_damage(k, PST_EFORMAT, "PYZ entry with a negative offset or length");
	data = pst_view_sub(in, (uint64_t)e[1], (uint64_t)e[2]);
	if (data.len != (uint64_t)e[2])
		return pst_sink_damage(k, PST_EFORMAT, "PYZ entry past the archive's end");
	pst_sink_obuf(k, &ob);
	/* the inflated size is not recorded: grow until it fits */
	for (want = data.len * 4 + 4096; got < 0 && want <= PST_CAP_PYZ_MODULE; want *= 4) {
		if (pst_obuf_grow(&ob, want, &room) != PST_OK || room < want)
			break;
		got = pst_lzv_decode_with(PST_LZV_ZLIB, data.p, data.len, ob.p, want, 0);
	}
	if (got < 0) {
		pst_obuf_free(&ob);
		return pst_sink_damage(k, PST_EFORMAT, "PYZ entry %.*s does not inflate",
				       (int)(name->n < 100 ? name->n : 100), name->s);
	}
	ob.len = (size_t)got;
	module_path(name, e[0] == 1, path, sizeof(path));
	memset(&ent, 0, sizeof(ent));
	ent.path = path;
	ent.offset = (uint64_t)e[1];
	ent.take = &ob;
	return pst_sink_emit(k, &ent);
}

static enum pst_err read_toc(struct pst_sink *k, struct pst_view in, struct mcur *c)
{
	struct mval top, item, name;
	int64_t e[3];
	uint32_t i;
	enum pst_err rc = PST_OK;

	if (!m_read(c, &top) || (top.kind != M_LIST && top.kind != M_DICT))
		return pst_sink_damage(k, PST_EFORMAT, "PYZ table of contents unreadable");
	for (i = 0; (top.kind == M_DICT || i < top.n) && rc != PST_ENOMEM; i++) {
		if (pst_sink_cancelled(k))
			break;
		if (top.kind == M_LIST &&
		    (!m_read(c, &item) || item.kind != M_TUPLE || item.n != 2))
			return pst_sink_damage(k, PST_EFORMAT, "PYZ TOC entry %u damaged", i);
		if (!m_read(c, &name))
			return pst_sink_damage(k, PST_EFORMAT, "PYZ TOC entry %u damaged", i);
		if (name.kind == M_NULL)
			break; /* a dict's end */
		if (name.kind != M_STR || !m_triple(c, e))
			return pst_sink_damage(k, PST_EFORMAT, "PYZ TOC entry %u damaged", i);
		rc = emit_module(k, in, &name, e);
	}
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	return len >= 12 && memcmp(h, "PYZ", 4) == 0 ? 64 : 0;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct mcur c;
	uint32_t toc;
	enum pst_err rc;
	if (!pst_view_be32(in, 8, &toc) || toc < 12 || toc >= in.len)
		return PST_EFORMAT;
	memset(&c, 0, sizeof(c));
	c.v = in;
	c.off = toc;
	c.refs = calloc(PYZ_REFS, sizeof(*c.refs));
	if (!c.refs)
		return PST_ENOMEM;
	k->header = 12;
	rc = read_toc(k, in, &c);
	free(c.refs);
	return rc;
}

const struct pst_unpacker pst_unpacker_pyz = {
	"pyz", PST_KIND_ARCHIVE, 0, NULL, bid, unpack,
};
