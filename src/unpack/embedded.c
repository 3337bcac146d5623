/*
 * embedded.c - scripts carried inside an executable: a program that bundles
 * an interpreter with the sources it runs (issue 14, section 4, shape 4).
 * Bids on ELF files only, and only when their bytes show one of:
 *
 *  - PyInstaller's CArchive at the end of the file: a cookie
 *    "MEI\014\013\012\013\016", package length, TOC offset and length, Python
 *    version (big-endian; 24 bytes, or 88 with the Python library's name),
 *    and a TOC of entries {entry length, data offset, compressed length,
 *    length, compressed flag, type code, name}, each entry zlib-compressed
 *    when flagged (format: PyInstaller's archive/readers.py and bootloader
 *    pyi_archive.h, read from their documentation). Entries become children
 *    under the archive's own member names: 's' (entry-point scripts) as
 *    NAME.py when their bytes are source, else NAME.pyc (a marshalled code
 *    object), 'm'/'M' (modules, packages) as NAME.pyc, the PYZ archive and
 *    data, binaries and zips under their names (pyz.c opens the PYZ);
 *  - a Perl interpreter (two of perl_parse, perl_construct, Perl_newXS,
 *    PerlIO, XS_VERSION, "@INC" among its strings, one naming perl) with module sources as
 *    C strings: a string with a line "package NAME;" becomes
 *    /<embedded>/NAME/PARTS.pm; one that starts with "#!" naming perl,
 *    python or lua, or with "use strict;", a script of its own;
 *  - a Lua interpreter (two of lua_pcall, luaL_loadbuffer, LUA_PATH,
 *    _LOADED, "stack traceback", luaopen_; one naming lua) with source chunks as strings
 *    (three of Lua's keywords as words) or precompiled chunks ("\033Lua",
 *    version 5.1-5.4), which become /<embedded>/chunk@0xOFF.lua(c).
 *
 *  - a zip after a "#!" line (Python's zipapp; pst_unpacker_zipapp): the zip
 *    is carved and opened, its members are the program's code.
 *
 * A zip appended to an ELF (Perl's PAR, a zipapp behind a launcher) is
 * carved as any ELF overlay. A PAR::Packer executable (ending "\nPAR.pm\n")
 * also carries FILE records before its zip (name and content, lengths
 * 32-bit big-endian: the modules and libraries its script uses; format from
 * PAR::Packer's documentation of its layout): each becomes
 * /<par>/CRC/Path/Module.pm. Children are copies, so the executable itself is analysed exactly as
 * before; nothing is consumed, so the executable's overlay is carved as the
 * walker does for any ELF (a PAR or zipapp zip appended to it): what nothing
 * explains there, past PAR's records, is reported (carve.c).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "analyze/binfeat.h"
#include "lzvendor.h"

extern const struct pst_unpacker pst_unpacker_zip;

static const uint8_t mei_magic[8] = { 'M', 'E', 'I', 014, 013, 012, 013, 016 };

static bool is_elf(struct pst_view v)
{
	return v.len >= 64 && memcmp(v.p, "\x7f" "ELF", 4) == 0;
}

/* The interpreters' markers, found in one pass (the bid runs on every ELF,
 * twice: a search per marker cost 8 % of a router image's scan) outside the
 * executable sections when the file has a .rodata (2.8 % of the router
 * bench's CPU when the whole file was searched). A runtime
 * is two of its markers, one of them naming the language (stack traceback
 * and _LOADED alone are any C program's). */
enum { M_PERL_NAMED = 4, M_LUA_NAMED = 4 };
static const char *const perl_markers[] = { "perl_parse", "perl_construct", "Perl_newXS",
	"PerlIO", "XS_VERSION", "@INC", NULL };
static const char *const lua_markers[] = { "lua_pcall", "luaL_loadbuffer", "LUA_PATH",
	"luaopen_", "_LOADED", "stack traceback", NULL };
#define N_PERL 6u
#define N_LUA 6u

static struct pst_needles *g_markers;
static pthread_once_t g_markers_once = PTHREAD_ONCE_INIT;

static void markers_init(void)
{
	struct pst_needles *ns = pst_needles_new();
	unsigned i;
	bool ok = ns != NULL;
	for (i = 0; ok && i < N_PERL; i++)
		ok = pst_needles_add(ns, perl_markers[i], strlen(perl_markers[i]), i);
	for (i = 0; ok && i < N_LUA; i++)
		ok = pst_needles_add(ns, lua_markers[i], strlen(lua_markers[i]), N_PERL + i);
	if (!ok) {
		pst_needles_free(ns);
		return; /* out of memory: markers() then searches one by one */
	}
	pst_needles_seal(ns);
	g_markers = ns;
}

static unsigned count(const uint8_t *hit, unsigned from, unsigned n, unsigned named, bool *any)
{
	unsigned i, k = 0;
	*any = false;
	for (i = 0; i < n; i++) {
		k += hit[from + i] != 0;
		*any = *any || (i < named && hit[from + i]);
	}
	return k;
}

static void markers(struct pst_view v, bool *perl, bool *lua)
{
	uint8_t hit[N_PERL + N_LUA] = { 0 };
	bool pn, ln;
	unsigned i;
	pthread_once(&g_markers_once, markers_init);
	if (g_markers) {
		/* the markers are symbol names and messages: never in machine code,
		 * which is most of a program's bytes */
		struct pst_range code[PST_ELF_CODE_MAX];
		size_t nc = pst_elf_code_sections(v, code, PST_ELF_CODE_MAX);
		pst_needles_find_skip(g_markers, v, code, nc, hit, sizeof(hit), NULL, NULL);
	} else {
		for (i = 0; i < N_PERL; i++)
			hit[i] = pst_view_find(v, 0, perl_markers[i], strlen(perl_markers[i])) >= 0;
		for (i = 0; i < N_LUA; i++)
			hit[N_PERL + i] = pst_view_find(v, 0, lua_markers[i], strlen(lua_markers[i])) >= 0;
	}
	*perl = count(hit, 0, N_PERL, M_PERL_NAMED, &pn) >= 2 && pn;
	*lua = count(hit, N_PERL, N_LUA, M_LUA_NAMED, &ln) >= 2 && ln;
}

/* ---- PyInstaller ---- */

struct mei {
	uint64_t pkg;     /* where the package starts in the file */
	uint64_t toc, toclen;
};

/* Finds the cookie in the file's tail and checks its numbers. */
static bool mei_find(struct pst_view v, struct mei *m)
{
	uint64_t from = v.len > PST_CAP_EMBED_MEI_TAIL ? v.len - PST_CAP_EMBED_MEI_TAIL : 0;
	int64_t at = -1, hit;
	uint32_t pkglen, toc, toclen;
	uint64_t end;
	/* the last cookie: an archive may hold another's bytes */
	while ((hit = pst_view_find(v, from, mei_magic, sizeof(mei_magic))) >= 0) {
		at = hit;
		from = (uint64_t)hit + 1;
	}
	if (at < 0 || !pst_view_be32(v, (uint64_t)at + 8, &pkglen) ||
	    !pst_view_be32(v, (uint64_t)at + 12, &toc) || !pst_view_be32(v, (uint64_t)at + 16, &toclen))
		return false;
	/* the package ends with the cookie: 24 bytes, or 88 with the
	 * library name */
	end = (uint64_t)at + (pst_view_has(v, (uint64_t)at, 88) ? 88 : 24);
	if (pkglen > end || (uint64_t)toc + toclen > pkglen)
		return false;
	m->pkg = end - pkglen;
	m->toc = m->pkg + toc;
	m->toclen = toclen;
	return toclen >= 18;
}

/* Source text, not a marshalled code object: printable all through. */
static bool looks_source(const uint8_t *p, size_t n)
{
	size_t i, bad = 0;
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
			bad++;
	return n && bad == 0;
}

/* One TOC entry's content into ob: inflated when flagged, else copied. */
static bool mei_content(struct pst_sink *k, struct pst_view data, bool zipped, uint32_t ulen,
			struct pst_obuf *ob)
{
	size_t room;
	long got;
	if (!zipped)
		return pst_obuf_append(ob, data.p, data.len) == PST_OK;
	if (ulen == 0 || pst_obuf_grow(ob, ulen, &room) != PST_OK || room < ulen) {
		pst_sink_damage(k, PST_ELIMIT, "PyInstaller entry of %u bytes not unpacked", ulen);
		return false;
	}
	got = pst_lzv_decode_with(PST_LZV_ZLIB, data.p, data.len, ob->p, ulen, ulen);
	if (got < 0)
		return false;
	ob->len = (size_t)got;
	return true;
}

/* The child's path for an entry of type t named name. */
static void mei_path(char t, const char *name, bool source, char *out, size_t len)
{
	if (t == 's')
		snprintf(out, len, "/%s.%s", name, source ? "py" : "pyc");
	else if (t == 'm' || t == 'M')
		snprintf(out, len, "/%s.pyc", name);
	else
		snprintf(out, len, "/%s", name);
}

static enum pst_err mei_entry(struct pst_sink *k, struct pst_view in, const struct mei *m,
			      struct pst_view ent)
{
	uint32_t off = pst_be32(ent.p + 4), clen = pst_be32(ent.p + 8), ulen = pst_be32(ent.p + 12);
	bool zipped = ent.p[16] != 0;
	char t = (char)ent.p[17], name[256], path[300];
	size_t nlen = strnlen((const char *)ent.p + 18, ent.len - 18);
	struct pst_view data = pst_view_sub(in, m->pkg + off, clen);
	struct pst_obuf ob;
	struct pst_entry e;

	/* options and dependencies name things; they carry no file */
	if (t == 'o' || t == 'd' || t == 'n' || nlen == 0)
		return PST_OK;
	if (data.len != clen)
		return pst_sink_damage(k, PST_EFORMAT, "PyInstaller entry past the archive's end");
	snprintf(name, sizeof(name), "%.*s", (int)(nlen < 255 ? nlen : 255), ent.p + 18);
	pst_sink_obuf(k, &ob);
	if (!mei_content(k, data, zipped, ulen, &ob)) {
		pst_obuf_free(&ob);
		return pst_sink_damage(k, PST_EFORMAT, "PyInstaller entry %s does not inflate", name);
	}
	mei_path(t, name, looks_source(ob.p, ob.len), path, sizeof(path));
	memset(&e, 0, sizeof(e));
	e.path = path;
	e.offset = m->pkg + off;
	e.declared_size = ulen;
	e.take = &ob;
	return pst_sink_emit(k, &e);
}

static enum pst_err mei_unpack(struct pst_sink *k, struct pst_view in, const struct mei *m)
{
	uint64_t pos = m->toc, end = m->toc + m->toclen;
	enum pst_err rc = PST_OK;
	while (pos + 18 <= end && rc != PST_ENOMEM && !pst_sink_cancelled(k)) {
		uint32_t elen;
		if (!pst_view_be32(in, pos, &elen) || elen < 18 || pos + elen > end)
			return pst_sink_damage(k, PST_EFORMAT, "PyInstaller TOC entry at 0x%llx damaged",
					       (unsigned long long)pos);
		rc = mei_entry(k, in, m, pst_view_sub(in, pos, elen));
		pos += elen;
	}
	return rc == PST_ENOMEM ? rc : PST_OK;
}

/* ---- sources as strings ---- */

/* The C string around off: from after the previous NUL to the next one. */
static struct pst_view c_string(struct pst_view v, uint64_t off)
{
	uint64_t a = off, b = off;
	while (a > 0 && v.p[a - 1] != 0 && off - a < PST_CAP_EMBED_SRC)
		a--;
	while (b < v.len && v.p[b] != 0 && b - off < PST_CAP_EMBED_SRC)
		b++;
	return pst_view_sub(v, a, b - a);
}

/* Text: no control characters (UTF-8 is welcome). */
static bool printable(struct pst_view s)
{
	size_t i;
	for (i = 0; i < s.len; i++)
		if ((s.p[i] < 0x20 && !isspace(s.p[i])) || s.p[i] == 0x7f)
			return false;
	return true;
}

/* The first line of s that says "package Foo::Bar;": the module's path
 * into out. */
static bool perl_package(struct pst_view s, char *out, size_t len)
{
	uint64_t at = 0;
	size_t i, o;
	for (;;) {
		int64_t hit = pst_view_find(s, at, "package ", 8);
		if (hit < 0)
			return false;
		at = (uint64_t)hit;
		if ((at == 0 || s.p[at - 1] == '\n') && at + 9 < s.len && isalpha(s.p[at + 8]))
			break;
		at++;
	}
	o = (size_t)snprintf(out, len, "/<embedded>/");
	for (i = (size_t)at + 8; i < s.len && o + 4 < len; i++) {
		if (s.p[i] == ':' && i + 1 < s.len && s.p[i + 1] == ':') {
			out[o++] = '/';
			i++;
		} else if (isalnum(s.p[i]) || s.p[i] == '_') {
			out[o++] = (char)s.p[i];
		} else {
			break;
		}
	}
	if (i >= s.len || (s.p[i] != ';' && s.p[i] != ' '))
		return false;
	memcpy(out + o, ".pm", 4);
	return true;
}

static bool lua_word(struct pst_view s, const char *w)
{
	size_t n = strlen(w);
	int64_t at = -1;
	uint64_t from = 0;
	while ((at = pst_view_find(s, from, w, n)) >= 0) {
		uint64_t a = (uint64_t)at;
		bool l = a == 0 || !(isalnum(s.p[a - 1]) || s.p[a - 1] == '_');
		bool r = a + n >= s.len || !(isalnum(s.p[a + n]) || s.p[a + n] == '_');
		if (l && r)
			return true;
		from = a + 1;
	}
	return false;
}

/* A Lua source chunk: three of its keywords as words. */
static bool lua_source(struct pst_view s)
{
	static const char *const kw[] = { "local", "function", "end", "then", "require",
		"return", "elseif", NULL };
	unsigned n = 0;
	size_t i;
	for (i = 0; kw[i] && n < 3; i++)
		if (lua_word(s, kw[i]))
			n++;
	return n >= 3;
}

/* What the string s at off is, as a child path; false: not a script. */
static bool script_path(struct pst_view s, uint64_t off, bool perl, bool lua, char *out,
			size_t len)
{
	if (s.len < 32 || !printable(s))
		return false;
	if (perl && perl_package(s, out, len))
		return true;
	if (s.p[0] == '#' && s.p[1] == '!') {
		struct pst_view line = pst_view_sub(s, 0, 80);
		const uint8_t *nl = memchr(line.p, '\n', line.len);
		struct pst_view l1 = pst_view_sub(line, 0, nl ? (uint64_t)(nl - line.p) : line.len);
		if (pst_view_find(l1, 0, "perl", 4) >= 0 || pst_view_find(l1, 0, "python", 6) >= 0 ||
		    pst_view_find(l1, 0, "lua", 3) >= 0) {
			snprintf(out, len, "/<embedded>/script@0x%llx", (unsigned long long)off);
			return true;
		}
	}
	if (perl && s.len > 11 && memcmp(s.p, "use strict;", 11) == 0) {
		snprintf(out, len, "/<embedded>/main@0x%llx.pl", (unsigned long long)off);
		return true;
	}
	if (lua && lua_source(s)) {
		snprintf(out, len, "/<embedded>/chunk@0x%llx.lua", (unsigned long long)off);
		return true;
	}
	return false;
}

/* A precompiled Lua chunk at off: "\033Lua" and a version 5.1 to 5.4. */
static bool luac_at(struct pst_view v, uint64_t off)
{
	const uint8_t *h = pst_view_at(v, off, 6);
	return h && memcmp(h, "\033Lua", 4) == 0 && h[4] >= 0x51 && h[4] <= 0x54;
}

static enum pst_err emit_copy(struct pst_sink *k, struct pst_view s, uint64_t off,
			      const char *path)
{
	struct pst_obuf ob;
	struct pst_entry e;
	pst_sink_obuf(k, &ob);
	pst_obuf_append(&ob, s.p, s.len);
	memset(&e, 0, sizeof(e));
	e.path = path;
	e.offset = off;
	e.take = &ob;
	return pst_sink_emit(k, &e);
}

/* Walks v's C strings; emits each script (emit) or counts the first
 * (!emit). Returns the number found. */
static unsigned strings_scan(struct pst_sink *k, struct pst_view v, bool perl, bool lua, bool emit)
{
	uint64_t off = 0;
	unsigned n = 0;
	char path[512];
	while (off < v.len && !(emit && pst_sink_cancelled(k))) {
		struct pst_view s;
		if (v.p[off] == 0) {
			off++;
			continue;
		}
		if (lua && luac_at(v, off)) {
			int64_t next = pst_view_find(v, off + 4, "\033Lua", 4);
			uint64_t end = next >= 0 ? (uint64_t)next : v.len;
			uint64_t keep = end - off;
			if (keep > PST_CAP_EMBED_LUAC)
				keep = PST_CAP_EMBED_LUAC;
			s = pst_view_sub(v, off, keep);
			snprintf(path, sizeof(path), "/<embedded>/chunk@0x%llx.luac",
				 (unsigned long long)off);
			if (!emit)
				return 1;
			n++;
			if (emit_copy(k, s, off, path) == PST_ENOMEM)
				break;
			off += s.len;
			continue;
		}
		s = c_string(v, off);
		if (script_path(s, off, perl, lua, path, sizeof(path))) {
			if (!emit)
				return 1;
			n++;
			if (emit_copy(k, s, off, path) == PST_ENOMEM)
				break;
		}
		off += s.len ? s.len : 1;
	}
	return n;
}

/* ---- Perl's PAR (pp): FILE records, then the zip, then a trailer ---- */

/* The executable ends with "\nPAR.pm\n": PAR::Packer's output. */
static bool par_trailer(struct pst_view v)
{
	return v.len > 16 && memcmp(v.p + v.len - 8, "\nPAR.pm\n", 8) == 0;
}

/* The FILE records from off: "FILE", name length and name, content length
 * and content (lengths 32-bit big-endian), the modules and libraries the
 * script needs; names are "crc/Path/Module.pm". */
static uint64_t par_files(struct pst_sink *k, struct pst_view in, uint64_t off)
{
	uint32_t nlen, clen;
	char path[300];
	while (pst_view_has(in, off, 8) && memcmp(in.p + off, "FILE", 4) == 0 &&
	       !pst_sink_cancelled(k)) {
		const uint8_t *name;
		struct pst_view body;
		if (!pst_view_be32(in, off + 4, &nlen) || !(name = pst_view_at(in, off + 8, nlen)) ||
		    !pst_view_be32(in, off + 8 + nlen, &clen)) {
			pst_sink_damage(k, PST_EFORMAT, "PAR FILE record at 0x%llx damaged",
					(unsigned long long)off);
			return off;
		}
		body = pst_view_sub(in, off + 12 + nlen, clen);
		if (body.len != clen) {
			pst_sink_damage(k, PST_EFORMAT, "PAR FILE record past the end");
			return off;
		}
		snprintf(path, sizeof(path), "/<par>/%.*s", (int)(nlen < 256 ? nlen : 256), name);
		if (emit_copy(k, body, off + 12 + nlen, path) == PST_ENOMEM)
			return off;
		off += 12 + (uint64_t)nlen + clen;
	}
	return off;
}

/* ---- the unpacker ---- */

static unsigned bid(const uint8_t *head, size_t len)
{
	struct pst_view v = pst_view_make(head, len);
	struct mei m;
	bool perl, lua;
	if (!is_elf(v))
		return 0;
	if (mei_find(v, &m) || par_trailer(v))
		return 64;
	markers(v, &perl, &lua);
	if ((perl || lua) && strings_scan(NULL, v, perl, lua, false))
		return 32;
	return 0;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint64_t from;
	struct mei m;
	bool perl, lua;
	if (!is_elf(in))
		return PST_EFORMAT;
	if (mei_find(in, &m))
		return mei_unpack(k, in, &m);
	markers(in, &perl, &lua);
	strings_scan(k, in, perl, lua, true);
	/* an overlay after the program (a PAR or zipapp zip) is carved as the
	 * walker carves any ELF's; PAR's FILE records come first */
	from = k->parent->elf.end;
	if (par_trailer(in) && from)
		from = par_files(k, in, from);
	if (from && from + 64 <= in.len)
		pst_carve(k, in, from);
	return PST_OK;
}

const struct pst_unpacker pst_unpacker_embedded = {
	"embedded", PST_KIND_ELF, 0, NULL, bid, unpack,
};

/* ---- a zip after a shebang line: Python's zipapp ---- */

/* Where the zip starts: right after the "#!" line. 0: not a zipapp. */
static uint64_t zipapp_start(struct pst_view v)
{
	struct pst_view line = pst_view_sub(v, 0, 256);
	const uint8_t *nl = memchr(line.p, '\n', line.len);
	uint64_t at;
	if (v.len < 64 || memcmp(v.p, "#!", 2) != 0 || !nl)
		return 0;
	at = (uint64_t)(nl - v.p) + 1;
	/* a local file header there, an end of central directory at the end */
	if (!pst_view_has(v, at, 4) || memcmp(v.p + at, "PK\003\004", 4) != 0 ||
	    pst_view_find(v, v.len > 65558 ? v.len - 65558 : 0, "PK\005\006", 4) < 0)
		return 0;
	return at;
}

static unsigned zipapp_bid(const uint8_t *head, size_t len)
{
	return zipapp_start(pst_view_make(head, len)) ? 48 : 0;
}

static enum pst_err zipapp_unpack(struct pst_sink *k, struct pst_view in)
{
	uint64_t at = zipapp_start(in);
	if (!at)
		return PST_EFORMAT;
	/* Python writes the zip's offsets from the file's start, shebang
	 * included: the zip reader is given the whole file (it finds the end
	 * of central directory at the end); a zip whose offsets start at its
	 * own first byte is carved instead. */
	if (!pst_walk_region(k, 0, in, &pst_unpacker_zip))
		pst_carve(k, in, at);
	return PST_OK;
}

const struct pst_unpacker pst_unpacker_zipapp = {
	"zipapp", PST_KIND_SCRIPT, 0, NULL, zipapp_bid, zipapp_unpack,
};
