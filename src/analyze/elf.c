/*
 * elf.c - the ELF reader behind elf.h.
 *
 * Layout from the System V gABI ("ELF Header", "Program Header", "Sections",
 * "Dynamic Section", "Symbol Table", "Note Section"). All tables are bounded
 * by the file: a count that would run past the end is cut where the file
 * ends, and the cut is counted in e->damaged.
 */
#include <stdlib.h>
#include <string.h>
#include "elf.h"
#include "internal.h"

#define DT_NULL 0
#define DT_NEEDED 1
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_STRSZ 10
#define DT_SYMENT 11
#define DT_SONAME 14
#define DT_RPATH 15
#define DT_TEXTREL 22
#define DT_DEBUG 21
#define DT_BIND_NOW 24
#define DT_RUNPATH 29
#define DT_FLAGS 30
#define DT_GNU_HASH 0x6ffffef5u
#define DT_HASH 4
#define DT_FLAGS_1 0x6ffffffbu

const char *pst_view_strz(struct pst_view v, uint64_t off)
{
	const uint8_t *p = pst_view_at(v, off, 1);
	if (!p || !memchr(p, 0, v.len - (size_t)off))
		return NULL;
	return (const char *)p;
}

static uint64_t rd(const struct pst_elf *e, uint64_t off, unsigned width, bool *ok)
{
	uint64_t x = 0;
	uint32_t x32 = 0;
	uint16_t x16 = 0;
	bool r;
	if (width == 8) {
		r = pst_view_u64e(e->v, off, e->big, &x);
	} else if (width == 4) {
		r = pst_view_u32e(e->v, off, e->big, &x32);
		x = x32;
	} else {
		r = pst_view_u16e(e->v, off, e->big, &x16);
		x = x16;
	}
	if (!r)
		*ok = false;
	return x;
}

/* Word-sized (4 or 8 bytes) field. */
static uint64_t rdw(const struct pst_elf *e, uint64_t off, bool *ok)
{
	return rd(e, off, e->is64 ? 8 : 4, ok);
}

/* Number of entries of entsize bytes at off the file really holds. */
static size_t clip_count(struct pst_elf *e, uint64_t off, uint64_t n, uint64_t entsize)
{
	uint64_t fit;
	if (entsize == 0 || off > e->v.len)
		return 0;
	fit = (e->v.len - off) / entsize;
	if (n > fit) {
		e->damaged++;
		n = fit;
	}
	if (n > PST_CAP_ELF_TABLE) {
		e->damaged++;
		e->capped++;
		n = PST_CAP_ELF_TABLE;
	}
	return (size_t)n;
}

uint64_t pst_elf_vaddr_off(const struct pst_elf *e, uint64_t addr)
{
	size_t i;
	for (i = 0; i < e->nsegs; i++) {
		const struct pst_elf_seg *s = &e->segs[i];
		if (s->type == PST_PT_LOAD && addr >= s->vaddr && addr - s->vaddr < s->filesz)
			return s->off + (addr - s->vaddr);
	}
	return UINT64_MAX;
}

const struct pst_elf_sect *pst_elf_section(const struct pst_elf *e, const char *name)
{
	size_t i;
	for (i = 0; i < e->nsects; i++)
		if (strcmp(e->sects[i].name, name) == 0)
			return &e->sects[i];
	return NULL;
}

const char *pst_elf_machine_str(uint16_t m)
{
	switch (m) {
	case PST_EM_386: return "x86";
	case PST_EM_X86_64: return "x86-64";
	case PST_EM_ARM: return "arm";
	case PST_EM_AARCH64: return "aarch64";
	case PST_EM_MIPS: case PST_EM_MIPS_RS3_LE: return "mips";
	case PST_EM_PPC: return "powerpc";
	case PST_EM_PPC64: return "powerpc64";
	default: return "other";
	}
}

static bool read_header(struct pst_elf *e)
{
	const uint8_t *id = pst_view_at(e->v, 0, 16);
	bool ok = true;
	if (!id || memcmp(id, "\x7f" "ELF", 4) != 0 || (id[4] != 1 && id[4] != 2) ||
	    (id[5] != 1 && id[5] != 2))
		return false;
	e->is64 = id[4] == 2;
	e->big = id[5] == 2;
	e->osabi = id[7];
	e->type = (uint16_t)rd(e, 16, 2, &ok);
	e->machine = (uint16_t)rd(e, 18, 2, &ok);
	e->entry = rdw(e, 24, &ok);
	e->eflags = (uint32_t)rd(e, e->is64 ? 48 : 36, 4, &ok);
	return ok;
}

static bool read_segments(struct pst_elf *e)
{
	bool ok = true;
	uint64_t phoff = rdw(e, e->is64 ? 32 : 28, &ok);
	uint16_t phentsize = (uint16_t)rd(e, e->is64 ? 54 : 42, 2, &ok);
	uint16_t phnum = (uint16_t)rd(e, e->is64 ? 56 : 44, 2, &ok);
	size_t n, i;

	if (!ok || phnum == 0)
		return true;
	if (phentsize < (e->is64 ? 56 : 32)) {
		e->damaged++;
		return true;
	}
	n = clip_count(e, phoff, phnum, phentsize);
	e->segs = pst_calloc(n ? n : 1, sizeof(*e->segs));
	if (!e->segs)
		return false;
	for (i = 0; i < n; i++) {
		uint64_t ph = phoff + (uint64_t)i * phentsize;
		struct pst_elf_seg *s = &e->segs[i];
		ok = true;
		s->type = (uint32_t)rd(e, ph, 4, &ok);
		if (e->is64) {
			s->flags = (uint32_t)rd(e, ph + 4, 4, &ok);
			s->off = rd(e, ph + 8, 8, &ok);
			s->vaddr = rd(e, ph + 16, 8, &ok);
			s->filesz = rd(e, ph + 32, 8, &ok);
			s->memsz = rd(e, ph + 40, 8, &ok);
		} else {
			s->off = rd(e, ph + 4, 4, &ok);
			s->vaddr = rd(e, ph + 8, 4, &ok);
			s->filesz = rd(e, ph + 16, 4, &ok);
			s->memsz = rd(e, ph + 20, 4, &ok);
			s->flags = (uint32_t)rd(e, ph + 24, 4, &ok);
		}
		e->nsegs++;
		if (s->type == PST_PT_GNU_STACK) {
			e->has_gnu_stack = true;
			e->stack_exec = (s->flags & (PST_PF_R | PST_PF_W | PST_PF_X)) ==
					(PST_PF_R | PST_PF_W | PST_PF_X);
		} else if (s->type == PST_PT_GNU_RELRO) {
			e->has_relro = true;
		} else if (s->type == PST_PT_INTERP && s->filesz > 0 && s->filesz < 4096) {
			e->interp = pst_view_strz(pst_view_sub(e->v, s->off, s->filesz), 0);
		}
	}
	return true;
}

/* The section header at sh; its name is left as the index into the name
 * table (the caller resolves it). False when it runs past the file. */
static bool read_sect(const struct pst_elf *e, uint64_t sh, struct pst_elf_sect *s)
{
	bool ok = true;
	s->name = (const char *)(uintptr_t)rd(e, sh, 4, &ok);
	s->type = (uint32_t)rd(e, sh + 4, 4, &ok);
	s->flags = rdw(e, sh + 8, &ok);
	s->addr = rdw(e, sh + (e->is64 ? 16 : 12), &ok);
	s->off = rdw(e, sh + (e->is64 ? 24 : 16), &ok);
	s->size = rdw(e, sh + (e->is64 ? 32 : 20), &ok);
	s->link = (uint32_t)rd(e, sh + (e->is64 ? 40 : 24), 4, &ok);
	s->info = (uint32_t)rd(e, sh + (e->is64 ? 44 : 28), 4, &ok);
	s->entsize = rdw(e, sh + (e->is64 ? 56 : 36), &ok);
	return ok;
}

static bool read_sections(struct pst_elf *e)
{
	bool ok = true;
	uint64_t shoff = rdw(e, e->is64 ? 40 : 32, &ok);
	uint16_t shentsize = (uint16_t)rd(e, e->is64 ? 58 : 46, 2, &ok);
	uint16_t shnum = (uint16_t)rd(e, e->is64 ? 60 : 48, 2, &ok);
	uint16_t shstrndx = (uint16_t)rd(e, e->is64 ? 62 : 50, 2, &ok);
	struct pst_view names = { NULL, 0 };
	size_t n, i;

	if (!ok || shnum == 0 || shoff == 0)
		return true;
	if (shentsize < (e->is64 ? 64 : 40)) {
		e->damaged++;
		return true;
	}
	n = clip_count(e, shoff, shnum, shentsize);
	e->sects = pst_calloc(n ? n : 1, sizeof(*e->sects));
	if (!e->sects)
		return false;
	for (i = 0; i < n; i++) {
		read_sect(e, shoff + (uint64_t)i * shentsize, &e->sects[i]);
		e->nsects++;
	}
	if (shstrndx < e->nsects && e->sects[shstrndx].type != PST_SHT_NOBITS)
		names = pst_view_sub(e->v, e->sects[shstrndx].off, e->sects[shstrndx].size);
	for (i = 0; i < e->nsects; i++) {
		const char *nm = pst_view_strz(names, (uint64_t)(uintptr_t)e->sects[i].name);
		e->sects[i].name = nm ? nm : "";
		if (e->sects[i].type == PST_SHT_SYMTAB)
			e->has_symtab = true;
	}
	return true;
}

static bool add_sym(struct pst_elf *e, size_t *cap, const struct pst_elf_sym *s)
{
	if (e->nsyms == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct pst_elf_sym *ns = pst_realloc(e->syms, nc * sizeof(*ns));
		if (!ns)
			return false;
		e->syms = ns;
		*cap = nc;
	}
	e->syms[e->nsyms++] = *s;
	return true;
}

/* One symbol table of n entries at off whose names are in strs. */
static bool read_symtab(struct pst_elf *e, size_t *cap, uint64_t off, uint64_t n,
			struct pst_view strs, bool dynamic)
{
	uint64_t entsize = e->is64 ? 24 : 16;
	size_t i, cnt = clip_count(e, off, n, entsize);
	for (i = 1; i < cnt; i++) { /* entry 0 is the null symbol */
		uint64_t at = off + i * entsize;
		struct pst_elf_sym s;
		bool ok = true;
		uint32_t name;
		uint8_t info = 0;
		memset(&s, 0, sizeof(s));
		name = (uint32_t)rd(e, at, 4, &ok);
		if (e->is64) {
			pst_view_u8(e->v, at + 4, &info);
			s.shndx = (uint16_t)rd(e, at + 6, 2, &ok);
			s.value = rd(e, at + 8, 8, &ok);
			s.size = rd(e, at + 16, 8, &ok);
		} else {
			s.value = rd(e, at + 4, 4, &ok);
			s.size = rd(e, at + 8, 4, &ok);
			pst_view_u8(e->v, at + 12, &info);
			s.shndx = (uint16_t)rd(e, at + 14, 2, &ok);
		}
		s.name = pst_view_strz(strs, name);
		if (!ok || !s.name || !s.name[0])
			continue;
		s.bind = (uint8_t)(info >> 4);
		s.type = (uint8_t)(info & 0xf);
		s.dynamic = dynamic;
		if (!add_sym(e, cap, &s))
			return false;
	}
	return true;
}

static bool read_symbols(struct pst_elf *e, uint64_t dt_symtab, uint64_t dt_strtab,
			 uint64_t dt_strsz)
{
	size_t cap = 0, i;
	bool have_dynsym = false;
	for (i = 0; i < e->nsects; i++) {
		const struct pst_elf_sect *s = &e->sects[i];
		struct pst_view strs;
		if (s->type != PST_SHT_SYMTAB && s->type != PST_SHT_DYNSYM)
			continue;
		if (s->link >= e->nsects) {
			e->damaged++;
			continue;
		}
		strs = pst_view_sub(e->v, e->sects[s->link].off, e->sects[s->link].size);
		if (!read_symtab(e, &cap, s->off, s->size / (e->is64 ? 24 : 16), strs,
				 s->type == PST_SHT_DYNSYM))
			return false;
		if (s->type == PST_SHT_DYNSYM)
			have_dynsym = true;
	}
	/* Section headers stripped away: the dynamic section still says where
	 * the dynamic symbols are. Their count is not recorded anywhere short of
	 * the hash tables; the string table follows the symbols in every linker
	 * layout we know, so the gap between them bounds it. */
	if (!have_dynsym && dt_symtab && dt_strtab > dt_symtab) {
		uint64_t so = pst_elf_vaddr_off(e, dt_symtab), to = pst_elf_vaddr_off(e, dt_strtab);
		if (so != UINT64_MAX && to != UINT64_MAX && to > so) {
			struct pst_view strs = pst_view_sub(e->v, to, dt_strsz ? dt_strsz : e->v.len);
			if (!read_symtab(e, &cap, so, (to - so) / (e->is64 ? 24 : 16), strs, true))
				return false;
		}
	}
	return true;
}

static bool read_dynamic(struct pst_elf *e)
{
	uint64_t off = 0, size = 0, strtab = 0, strsz = 0, symtab = 0;
	struct pst_view strs = { NULL, 0 };
	uint64_t needed_off[256], rpath = UINT64_MAX, runpath = UINT64_MAX, soname = UINT64_MAX;
	size_t nneeded = 0, i, n;
	unsigned w = e->is64 ? 8 : 4;
	bool found = false;

	for (i = 0; i < e->nsegs; i++)
		if (e->segs[i].type == PST_PT_DYNAMIC) {
			off = e->segs[i].off;
			size = e->segs[i].filesz;
			found = true;
			break;
		}
	for (i = 0; !found && i < e->nsects; i++)
		if (e->sects[i].type == PST_SHT_DYNAMIC) {
			off = e->sects[i].off;
			size = e->sects[i].size;
			found = true;
		}
	if (!found)
		return read_symbols(e, 0, 0, 0);
	e->has_dynamic = true;
	n = clip_count(e, off, size / (2u * w), 2u * w);
	for (i = 0; i < n; i++) {
		bool ok = true;
		uint64_t tag = rd(e, off + i * 2u * w, w, &ok);
		uint64_t val = rd(e, off + i * 2u * w + w, w, &ok);
		if (!ok || tag == DT_NULL)
			break;
		switch (tag) {
		case DT_NEEDED:
			if (nneeded < sizeof(needed_off) / sizeof(needed_off[0]))
				needed_off[nneeded++] = val;
			break;
		case DT_STRTAB: strtab = val; break;
		case DT_STRSZ: strsz = val; break;
		case DT_SYMTAB: symtab = val; break;
		case DT_SONAME: soname = val; break;
		case DT_RPATH: rpath = val; break;
		case DT_RUNPATH: runpath = val; break;
		case DT_DEBUG: e->has_debug = true; break;
		case DT_TEXTREL: e->textrel = true; break;
		case DT_BIND_NOW: e->bind_now = true; break;
		case DT_FLAGS:
			e->dt_flags = val;
			if (val & PST_DF_BIND_NOW)
				e->bind_now = true;
			break;
		case DT_FLAGS_1: e->dt_flags_1 = val; break;
		default: break;
		}
	}
	/* Prefer the section the dynamic section links to; fall back on the
	 * address DT_STRTAB gives. */
	for (i = 0; i < e->nsects; i++)
		if (e->sects[i].type == PST_SHT_DYNAMIC && e->sects[i].link < e->nsects) {
			const struct pst_elf_sect *s = &e->sects[e->sects[i].link];
			strs = pst_view_sub(e->v, s->off, s->size);
			break;
		}
	if (!strs.len && strtab) {
		uint64_t so = pst_elf_vaddr_off(e, strtab);
		if (so != UINT64_MAX)
			strs = pst_view_sub(e->v, so, strsz ? strsz : e->v.len);
	}
	if (strs.len) {
		e->needed = pst_calloc(nneeded ? nneeded : 1, sizeof(*e->needed));
		if (!e->needed)
			return false;
		for (i = 0; i < nneeded; i++) {
			const char *s = pst_view_strz(strs, needed_off[i]);
			if (s)
				e->needed[e->nneeded++] = s;
		}
		if (soname != UINT64_MAX)
			e->soname = pst_view_strz(strs, soname);
		if (rpath != UINT64_MAX)
			e->rpath = pst_view_strz(strs, rpath);
		if (runpath != UINT64_MAX)
			e->runpath = pst_view_strz(strs, runpath);
	} else if (nneeded) {
		e->damaged++;
	}
	/* A DT_RPATH whose string we cannot read is still an RPATH. */
	if (rpath != UINT64_MAX && !e->rpath)
		e->rpath = "";
	if (runpath != UINT64_MAX && !e->runpath)
		e->runpath = "";
	return read_symbols(e, symtab, strtab, strsz);
}

static void read_note_area(struct pst_elf *e, uint64_t off, uint64_t size)
{
	struct pst_view n = pst_view_sub(e->v, off, size);
	uint64_t at = 0;
	while (at + 12 <= n.len) {
		uint32_t namesz = 0, descsz = 0, type = 0;
		uint64_t name_at = at + 12, desc_at, next;
		pst_view_u32e(n, at, e->big, &namesz);
		pst_view_u32e(n, at + 4, e->big, &descsz);
		pst_view_u32e(n, at + 8, e->big, &type);
		desc_at = name_at + (((uint64_t)namesz + 3) & ~(uint64_t)3);
		next = desc_at + (((uint64_t)descsz + 3) & ~(uint64_t)3);
		if (!pst_view_has(n, desc_at, descsz)) {
			e->damaged++;
			return;
		}
		if (namesz == 4 && memcmp(n.p + name_at, "GNU", 4) == 0) {
			if (type == 3 && descsz > 0 && descsz <= 32 && !e->build_id[0]) {
				static const char hx[] = "0123456789abcdef";
				uint32_t k;
				for (k = 0; k < descsz; k++) {
					e->build_id[2 * k] = hx[n.p[desc_at + k] >> 4];
					e->build_id[2 * k + 1] = hx[n.p[desc_at + k] & 15];
				}
				e->build_id[2 * descsz] = 0;
			} else if (type == 1) {
				e->gnu_abi_tag = true;
			}
		}
		at = next;
	}
}

static void read_notes(struct pst_elf *e)
{
	size_t i;
	bool any = false;
	for (i = 0; i < e->nsects; i++)
		if (e->sects[i].type == PST_SHT_NOTE) {
			read_note_area(e, e->sects[i].off, e->sects[i].size);
			any = true;
		}
	for (i = 0; !any && i < e->nsegs; i++)
		if (e->segs[i].type == PST_PT_NOTE)
			read_note_area(e, e->segs[i].off, e->segs[i].filesz);
}

/* .modinfo: NUL-separated "key=value" strings (include/linux/moduleparam.h). */
static void read_modinfo(struct pst_elf *e)
{
	const struct pst_elf_sect *s = pst_elf_section(e, ".modinfo");
	struct pst_view m;
	uint64_t at = 0;
	if (!s || s->type == PST_SHT_NOBITS)
		return;
	e->is_module = e->type == PST_ET_REL;
	m = pst_view_sub(e->v, s->off, s->size);
	while (at < m.len) {
		const char *kv = pst_view_strz(m, at);
		size_t l;
		if (!kv)
			break;
		l = strlen(kv);
		if (strncmp(kv, "vermagic=", 9) == 0)
			e->mod_vermagic = kv + 9;
		else if (strncmp(kv, "license=", 8) == 0)
			e->mod_license = kv + 8;
		else if (strncmp(kv, "name=", 5) == 0)
			e->mod_name = kv + 5;
		else if (strncmp(kv, "depends=", 8) == 0)
			e->mod_depends = kv + 8;
		at += l + 1;
	}
}

bool pst_elf_parse(struct pst_view v, struct pst_elf *e)
{
	memset(e, 0, sizeof(*e));
	e->v = v;
	if (!read_header(e))
		return false;
	if (!read_segments(e) || !read_sections(e) || !read_dynamic(e)) {
		pst_elf_free(e);
		e->v = v;
		return false;
	}
	read_notes(e);
	read_modinfo(e);
	return true;
}

void pst_elf_free(struct pst_elf *e)
{
	free(e->segs);
	free(e->sects);
	free(e->syms);
	free((void *)e->needed);
	memset(e, 0, sizeof(*e));
}

/* ---- the section table alone: no symbols, no dynamic section ---- */

struct code_scan {
	struct pst_elf e;      /* header fields only: no tables allocated */
	uint64_t shoff;
	uint16_t shentsize, shnum;
	struct pst_view names;
};

static bool code_scan_open(struct pst_view v, struct code_scan *c)
{
	bool ok = true;
	uint16_t shstrndx;
	uint64_t sh;
	memset(c, 0, sizeof(*c));
	c->e.v = v;
	if (!read_header(&c->e))
		return false;
	c->shoff = rdw(&c->e, c->e.is64 ? 40 : 32, &ok);
	c->shentsize = (uint16_t)rd(&c->e, c->e.is64 ? 58 : 46, 2, &ok);
	c->shnum = (uint16_t)rd(&c->e, c->e.is64 ? 60 : 48, 2, &ok);
	shstrndx = (uint16_t)rd(&c->e, c->e.is64 ? 62 : 50, 2, &ok);
	if (!ok || c->shnum == 0 || c->shoff == 0 || shstrndx >= c->shnum ||
	    c->shentsize < (c->e.is64 ? 64 : 40) ||
	    clip_count(&c->e, c->shoff, c->shnum, c->shentsize) != c->shnum)
		return false;
	sh = c->shoff + (uint64_t)shstrndx * c->shentsize;
	c->names = pst_view_sub(v, rdw(&c->e, sh + (c->e.is64 ? 24 : 16), &ok),
				rdw(&c->e, sh + (c->e.is64 ? 32 : 20), &ok));
	return ok;
}

/* Section i of c's table, its name resolved ("" when the name table does
 * not hold it); false when the header runs past the file. */
static bool code_sect(const struct code_scan *c, uint16_t i, struct pst_elf_sect *s)
{
	const char *nm;
	if (!read_sect(&c->e, c->shoff + (uint64_t)i * c->shentsize, s))
		return false;
	nm = pst_view_strz(c->names, (uint64_t)(uintptr_t)s->name);
	s->name = nm ? nm : "";
	return true;
}

bool pst_elf_find_section(struct pst_view v, const char *name, struct pst_elf_sect *out)
{
	struct code_scan c;
	uint16_t i;
	if (!code_scan_open(v, &c))
		return false;
	for (i = 0; i < c.shnum; i++)
		if (code_sect(&c, i, out) && strcmp(out->name, name) == 0)
			return true;
	return false;
}

/* ---- the sections a string search skips: code and binary tables ---- */

/* Inserts [off, off + len) into the sorted list out[0..*n), merging. */
static bool code_add(struct pst_range *out, size_t *n, size_t max, uint64_t off, uint64_t len)
{
	size_t i = *n;
	if (i == max)
		return false;
	while (i > 0 && out[i - 1].off > off) {
		out[i] = out[i - 1];
		i--;
	}
	out[i].off = off;
	out[i].len = len;
	(*n)++;
	return true;
}

static size_t code_merge(struct pst_range *r, size_t n)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++) {
		if (k && r[i].off <= r[k - 1].off + r[k - 1].len) {
			uint64_t end = r[i].off + r[i].len;
			if (end > r[k - 1].off + r[k - 1].len)
				r[k - 1].len = end - r[k - 1].off;
		} else {
			r[k++] = r[i];
		}
	}
	return k;
}

/* Section types whose entries are numbers (indexes into a string table,
 * addresses, hash chains), never text: symbols, relocations, hashes, the
 * dynamic section, symbol versions. */
static bool binary_table(uint32_t type)
{
	switch (type) {
	case PST_SHT_SYMTAB: case 4: /* SHT_RELA */ case 5: /* SHT_HASH */
	case PST_SHT_DYNAMIC: case 9: /* SHT_REL */ case PST_SHT_DYNSYM:
	case 0x6ffffff6u: /* SHT_GNU_HASH */ case 0x6fffffffu: /* SHT_GNU_versym */
		return true;
	default:
		return false;
	}
}

size_t pst_elf_code_sections(struct pst_view v, struct pst_range *out, size_t max)
{
	struct code_scan c;
	bool rodata = false;
	size_t n = 0;
	uint16_t i;
	if (!code_scan_open(v, &c))
		return 0;
	for (i = 0; i < c.shnum; i++) {
		struct pst_elf_sect s;
		if (!code_sect(&c, i, &s))
			return 0;
		if (!(s.flags & PST_SHF_EXECINSTR) && !binary_table(s.type)) {
			rodata = rodata || strncmp(s.name, ".rodata", 7) == 0;
			continue;
		}
		if (s.type == PST_SHT_NOBITS || s.size == 0 || s.off >= v.len)
			continue;
		if (!code_add(out, &n, max, s.off,
			      s.size < v.len - s.off ? s.size : v.len - s.off))
			return 0;
	}
	return rodata ? code_merge(out, n) : 0;
}
