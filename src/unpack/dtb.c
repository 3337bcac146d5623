/*
 * dtb.c - flattened device trees (the Devicetree Specification, chapter 5:
 * big-endian header, structure block of BEGIN_NODE/PROP/END_NODE tokens,
 * strings block). The tree is listed, never executed: one text child,
 * "/devicetree.txt", holds every node path and its printable properties
 * (bootargs and friends are configuration for the analyzers), and large
 * binary "data" properties (FIT images carry kernels and ramdisks there)
 * become children of their own.
 */
#include <string.h>
#include "internal.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define MAX_DEPTH 64

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

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint32_t total = 0, off_struct = 0, off_strings = 0, size_strings = 0;
	struct pst_view fdt, st, strs;
	struct pst_str txt, path;
	size_t stack[MAX_DEPTH];
	unsigned depth = 0;
	uint64_t pos = 0;
	enum pst_err rc = PST_OK;
	bool ended = false;

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
			if (!p || pos + n >= st.len || depth == MAX_DEPTH) {
				pst_sink_damage(k, PST_EFORMAT, "bad node name or nesting");
				ended = true;
				break;
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
			if (strcmp(pname, "data") == 0 && len >= 64) {
				struct pst_entry e;
				char child[4200];
				memset(&e, 0, sizeof(e));
				snprintf(child, sizeof(child), "%s/data", path.p ? path.p : "");
				e.path = child;
				e.offset = (uint64_t)(p - in.p);
				e.borrow = p;
				e.borrow_len = len;
				rc = pst_sink_emit(k, &e);
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
