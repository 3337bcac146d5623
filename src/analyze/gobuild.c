/*
 * gobuild.c - the build information a Go program carries (Go 1.18 and
 * later: runtime/debug.BuildInfo, written by cmd/link into .go.buildinfo):
 * a 32-byte header "\xff Go buildinf:", pointer size, flags (bit 1: the
 * strings follow inline), then two varint-length strings: the Go version and
 * the module information ("path", "mod", "dep" and "=>" lines, tab-separated,
 * between two 16-byte sentinels). Older programs store pointers instead of
 * the strings; they are not read. Components: the Go standard library
 * (pkg:golang/stdlib, CPE golang:go), the main module and every dependency
 * (pkg:golang/PATH@VERSION; a "=>" replacement wins over the line before).
 */
#include <stdio.h>
#include <string.h>
#include "components.h"

#define GO_MAGIC "\xff Go buildinf:"
#define GO_MAGIC_LEN 14

/* An unsigned LEB128 varint at *off (at most 10 bytes). */
static bool uvarint(struct pst_view v, uint64_t *off, uint64_t *out)
{
	uint64_t x = 0;
	for (unsigned i = 0; i < 10; i++) {
		const uint8_t *b = pst_view_at(v, *off, 1);
		if (!b)
			return false;
		(*off)++;
		x |= (uint64_t)(*b & 0x7f) << (7 * i);
		if (!(*b & 0x80)) {
			*out = x;
			return true;
		}
	}
	return false;
}

static bool gostring(struct pst_view v, uint64_t *off, struct pst_view *out)
{
	uint64_t len;
	if (!uvarint(v, off, &len) || len > PST_CAP_GO_MODINFO || !pst_view_has(v, *off, len))
		return false;
	*out = pst_view_sub(v, *off, len);
	*off += len;
	return true;
}

static void emit_go(const struct pst_file *f, const char *type, const char *path, size_t plen,
		    const char *ver, size_t vlen, const char *cpe)
{
	struct pst_str purl, name, version, ev;
	pst_str_init(&name, 4096);
	pst_str_printf(&name, "%.*s", (int)plen, path);
	pst_str_putc(&name, 0);
	pst_str_init(&version, 4096);
	pst_str_printf(&version, "%.*s", (int)vlen, ver);
	pst_str_putc(&version, 0);
	pst_str_init(&purl, 8192);
	pst_str_init(&ev, 8192);
	if (!name.err && !version.err) {
		/* purl: each path segment encoded, the slashes kept */
		pst_str_puts(&purl, "pkg:golang/");
		for (char *seg = name.p, *sl; seg; seg = sl ? sl + 1 : NULL) {
			sl = strchr(seg, '/');
			if (sl)
				*sl = 0;
			pst_purl_enc(&purl, seg);
			if (sl) {
				pst_str_putc(&purl, '/');
				*sl = '/';
			}
		}
		pst_str_putc(&purl, '@');
		pst_purl_enc(&purl, version.p);
		pst_str_putc(&purl, 0);
		pst_str_printf(&ev, "Go build info: %s %s", name.p, version.p);
		pst_str_putc(&ev, 0);
		if (!purl.err && !ev.err)
			pst_component_emit(f, type, name.p, version.p, purl.p, cpe, "manifest-analysis",
					   ev.p);
	}
	pst_str_free(&purl);
	pst_str_free(&ev);
	pst_str_free(&name);
	pst_str_free(&version);
}

/* "mod\tPATH\tVERSION\t..." lines; a "=>" line replaces the one before. */
static void read_modinfo(const struct pst_file *f, struct pst_view mi)
{
	const char *p = (const char *)mi.p, *end = p + mi.len;
	const char *lp = NULL, *lv = NULL, *ltype = NULL;
	size_t lpl = 0, lvl = 0, n = 0;
	if (mi.len >= 33 && mi.p[mi.len - 17] == '\n') {
		p += 16;
		end -= 16;
	}
	while (p < end && n < PST_CAP_GO_MODULES) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
		const char *t1 = memchr(p, '\t', (size_t)(eol - p)), *t2 = NULL, *t3 = NULL;
		if (t1)
			t2 = memchr(t1 + 1, '\t', (size_t)(eol - t1 - 1));
		if (t2)
			t3 = memchr(t2 + 1, '\t', (size_t)(eol - t2 - 1));
		if (t1 && t2) {
			size_t kl = (size_t)(t1 - p);
			bool mod = kl == 3 && memcmp(p, "mod", 3) == 0;
			bool dep = kl == 3 && memcmp(p, "dep", 3) == 0;
			bool repl = kl == 2 && memcmp(p, "=>", 2) == 0;
			if ((mod || dep || repl) && lp && !repl) {
				emit_go(f, ltype, lp, lpl, lv, lvl, NULL);
				n++;
				lp = NULL;
			}
			if (mod || dep || repl) {
				lp = t1 + 1;
				lpl = (size_t)(t2 - t1 - 1);
				lv = t2 + 1;
				lvl = (size_t)((t3 ? t3 : eol) - t2 - 1);
				ltype = mod ? "application" : repl && ltype ? ltype : "library";
			}
		}
		p = eol + 1;
	}
	if (lp)
		emit_go(f, ltype, lp, lpl, lv, lvl, NULL);
	if (n == PST_CAP_GO_MODULES && p < end)
		pst_cap_hit(f->scan, f->node, "PST_CAP_GO_MODULES",
			    "lines past the first %u modules were not read", PST_CAP_GO_MODULES);
}

void pst_gobuild_read(const struct pst_file *f)
{
	struct pst_view v = f->data, ver, mi;
	int64_t at = pst_view_find(v, 0, GO_MAGIC, GO_MAGIC_LEN);
	uint64_t off;
	char cpe[160];
	const uint8_t *h;
	if (at < 0)
		return;
	h = pst_view_at(v, (uint64_t)at, 32);
	if (!h || !(h[15] & 2))
		return;
	off = (uint64_t)at + 32;
	if (!gostring(v, &off, &ver) || !gostring(v, &off, &mi))
		return;
	if (ver.len > 2 && ver.len < 64 && memcmp(ver.p, "go", 2) == 0) {
		const char *num = (const char *)ver.p + 2;
		size_t nl = ver.len - 2;
		snprintf(cpe, sizeof(cpe), "cpe:2.3:a:golang:go:%.*s:*:*:*:*:*:*:*", (int)nl, num);
		for (size_t i = 0; i < nl; i++)
			if (!(num[i] == '.' || (num[i] >= '0' && num[i] <= '9')))
				cpe[0] = 0;
		emit_go(f, "library", "stdlib", 6, num, nl, cpe);
	}
	read_modinfo(f, mi);
}
