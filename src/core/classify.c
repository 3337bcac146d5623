/*
 * classify.c - gives every file a kind and a few cheap facts.
 *
 * ELF layout: the System V ABI, "Object Files" chapter (e_ident, program
 * headers for PT_INTERP/PT_DYNAMIC, section headers for .symtab). Everything
 * is read through views: a lying header just yields fewer facts.
 */
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

static bool starts(struct pst_view v, const char *s)
{
	size_t n = strlen(s);
	return v.len >= n && memcmp(v.p, s, n) == 0;
}

/* A control character no text holds: not a layout one, not ESC. */
static bool control_byte(uint8_t c)
{
	return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b;
}

/* A byte UTF-8 text does not hold: a control character, or 0xfe/0xff
 * (erased flash is all 0xff; a legacy 8-bit code page uses them for
 * letters, so pst_text_end looks for control characters only). */
static bool binary_byte(uint8_t c)
{
	return control_byte(c) || c >= 0xfe;
}

static bool printable_text(struct pst_view v)
{
	size_t n = v.len < 8192 ? v.len : 8192, i, bad = 0;
	for (i = 0; i < n; i++) {
		uint8_t c = v.p[i];
		if (c == 0)
			return false;
		if (binary_byte(c))
			bad++;
	}
	return n > 0 && bad * 50 <= n;
}

uint64_t pst_text_end(struct pst_view v)
{
	size_t i, j, n, bad = 0;
	/* a PDF or PostScript document's binary streams are its own */
	if (starts(v, "%PDF-") || starts(v, "%!PS-Adobe"))
		return v.len;
	for (i = 0; i < v.len && !control_byte(v.p[i]); i++)
		;
	if (i == v.len)
		return v.len;
	/* binary, not a stray byte: compressed or encrypted data has a control
	 * character in about one byte of nine */
	n = v.len - i < 8192 ? v.len - i : 8192;
	for (j = i; j < i + n; j++)
		bad += control_byte(v.p[j]);
	if (bad * 50 <= n)
		return v.len;
	while (i > 0 && v.p[i - 1] != '\n')
		i--;
	return i;
}

/* Moves *end past [off, off + len) when that range lies in the file. A
 * claim past the end is ignored: it accounts for no byte that is there, and
 * must not hide an overlay from the carver. */
static void end_at(uint64_t *end, uint64_t off, uint64_t len, uint64_t size)
{
	if (len && off <= size && len <= size - off && off + len > *end)
		*end = off + len;
}

/* An address-sized field (Elf32/Elf64 Off, Addr, Xword); 0 past the end. */
static uint64_t addr_word(struct pst_view v, uint64_t at, bool big, bool is64)
{
	uint64_t w = 0;
	uint32_t w32 = 0;
	if (is64)
		pst_view_u64e(v, at, big, &w);
	else if (pst_view_u32e(v, at, big, &w32))
		w = w32;
	return w;
}

/* Widens e's span of loadable addresses by [vaddr, vaddr + memsz); a
 * segment at 0 (a kernel's per-CPU data) is not where the program lies. */
static void load_span(struct pst_elf_info *e, uint64_t vaddr, uint64_t memsz)
{
	if (!vaddr || memsz > UINT64_MAX - vaddr)
		return;
	if (!e->vhi || vaddr < e->vlo)
		e->vlo = vaddr;
	if (vaddr + memsz > e->vhi)
		e->vhi = vaddr + memsz;
}

static void classify_elf(struct pst_node *n, struct pst_view v, struct pst_arena *a)
{
	struct pst_elf_info *e = &n->elf;
	bool big, is64;
	uint64_t phoff = 0, shoff = 0;
	uint16_t phentsize = 0, phnum = 0, shentsize = 0, shnum = 0, shstrndx = 0;
	bool has_dynamic = false, has_symtab = false;
	uint64_t end;
	unsigned i;

	e->elf_class = v.p[4];
	e->endian = v.p[5];
	big = e->endian == 2;
	is64 = e->elf_class == 2;
	pst_view_u16e(v, 16, big, &e->type);
	pst_view_u16e(v, 18, big, &e->machine);
	phoff = addr_word(v, is64 ? 32 : 28, big, is64);
	shoff = addr_word(v, is64 ? 40 : 32, big, is64);
	{
		/* e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx */
		uint64_t h = is64 ? 54 : 42;
		pst_view_u16e(v, h, big, &phentsize);
		pst_view_u16e(v, h + 2, big, &phnum);
		pst_view_u16e(v, h + 4, big, &shentsize);
		pst_view_u16e(v, h + 6, big, &shnum);
		pst_view_u16e(v, h + 8, big, &shstrndx);
	}
	end = is64 ? 64 : 52;
	end_at(&end, phoff, (uint64_t)phnum * phentsize, v.len);
	end_at(&end, shoff, (uint64_t)shnum * shentsize, v.len);
	for (i = 0; i < phnum && phentsize >= (is64 ? 56 : 32); i++) {
		uint64_t ph = phoff + (uint64_t)i * phentsize, off = 0, sz = 0;
		uint32_t type = 0;
		if (!pst_view_u32e(v, ph, big, &type))
			break;
		if (type == 2) /* PT_DYNAMIC */
			has_dynamic = true;
		off = addr_word(v, ph + (is64 ? 8 : 4), big, is64);   /* p_offset */
		sz = addr_word(v, ph + (is64 ? 32 : 16), big, is64);  /* p_filesz */
		end_at(&end, off, sz, v.len); /* p_offset + p_filesz */
		if (type == 1) /* PT_LOAD */
			load_span(e, addr_word(v, ph + (is64 ? 16 : 8), big, is64),
				  addr_word(v, ph + (is64 ? 40 : 20), big, is64));
		if (type != 3) /* PT_INTERP */
			continue;
		if (sz > 0 && sz < 256 && pst_view_has(v, off, sz))
			e->interp = pst_arena_strndup(a, (const char *)v.p + off,
						      strnlen((const char *)v.p + off, (size_t)sz));
	}
	for (i = 0; i < shnum && shentsize >= (is64 ? 64 : 40); i++) {
		uint64_t sh = shoff + (uint64_t)i * shentsize, off = 0, sz = 0;
		uint32_t type = 0;
		if (!pst_view_u32e(v, sh + 4, big, &type))
			break;
		if (type == 2) /* SHT_SYMTAB */
			has_symtab = true;
		if (type == 8) /* SHT_NOBITS: no bytes in the file */
			continue;
		off = addr_word(v, sh + (is64 ? 24 : 16), big, is64);  /* sh_offset */
		sz = addr_word(v, sh + (is64 ? 32 : 20), big, is64);   /* sh_size */
		end_at(&end, off, sz, v.len);
	}
	(void)shstrndx;
	e->end = end < v.len ? end : v.len;
	e->stripped = !has_symtab;
	e->is_static = !has_dynamic && e->interp == NULL;
	n->kind = PST_KIND_ELF;
}

uint64_t pst_der_seq_len(struct pst_view v, uint64_t off)
{
	const uint8_t *p = pst_view_at(v, off, 2);
	uint64_t len = 0;
	unsigned i, n;
	if (!p || p[0] != 0x30)
		return 0;
	if (p[1] < 0x80)
		return 2u + p[1];
	n = p[1] & 0x7fu;
	if (n == 0 || n > 4 || !(p = pst_view_at(v, off + 2, n)))
		return 0;
	for (i = 0; i < n; i++)
		len = len << 8 | p[i];
	return 2u + n + len;
}

/* How many bytes from off, at most size, are well-formed WIN_CERTIFICATE
 * entries (PE/COFF 4.7: length, revision, type, then the certificate; each
 * entry 8-byte aligned), a PKCS#7 one holding a DER SEQUENCE that ends where
 * the entry's padding starts. Bytes stuffed after a signature (a payload
 * hidden in it) are not a certificate. */
static uint64_t cert_table(struct pst_view v, uint64_t off, uint64_t size)
{
	uint64_t at = off, stop;
	const uint8_t *c;
	if (off > v.len || size > v.len - off)
		return 0;
	stop = off + size;
	while (stop - at >= 8 && (c = pst_view_at(v, at, 8))) {
		uint32_t len = pst_le32(c);
		uint16_t rev = pst_le16(c + 4), type = pst_le16(c + 6);
		uint64_t der;
		if (len < 8 || len > stop - at || (rev != 0x100 && rev != 0x200) || type < 1 ||
		    type > 4)
			break;
		if (type == 2) { /* WIN_CERT_TYPE_PKCS_SIGNED_DATA */
			der = pst_der_seq_len(v, at + 8);
			if (!der || der > len - 8 || len - 8 - der >= 8)
				break;
		}
		at += (len + 7u) & ~7ull;
		if (at > stop)
			at = stop;
	}
	return at - off;
}

uint64_t pst_pe_end(struct pst_view v)
{
	const uint8_t *mz = pst_view_at(v, 0, 64), *coff, *opt, *sec, *str;
	uint64_t pe, optoff, end, i, sym, nsym, dirs;
	uint16_t nsec, optsize, magic;

	if (!mz || mz[0] != 'M' || mz[1] != 'Z')
		return 0;
	pe = pst_le32(mz + 60);
	coff = pst_view_at(v, pe, 24);
	if (!coff || memcmp(coff, "PE\0\0", 4) != 0)
		return 0;
	nsec = pst_le16(coff + 6);
	optsize = pst_le16(coff + 20);
	optoff = pe + 24;
	opt = pst_view_at(v, optoff, optsize);
	if (!opt || optsize < 64)
		return 0;
	magic = pst_le16(opt);
	if (magic != 0x10b && magic != 0x20b) /* PE32, PE32+ */
		return 0;
	end = optoff + optsize;
	end_at(&end, 0, pst_le32(opt + 60), v.len); /* SizeOfHeaders */
	for (i = 0; i < nsec; i++) {
		sec = pst_view_at(v, optoff + optsize + i * 40, 40);
		if (!sec)
			break;
		end_at(&end, optoff + optsize + i * 40, 40, v.len);
		end_at(&end, pst_le32(sec + 20), pst_le32(sec + 16), v.len); /* raw data */
	}
	/* the COFF symbol table, then its string table (its size first) */
	sym = pst_le32(coff + 12);
	nsym = pst_le32(coff + 16);
	if (sym && nsym) {
		end_at(&end, sym, nsym * 18, v.len);
		if ((str = pst_view_at(v, sym + nsym * 18, 4)))
			end_at(&end, sym + nsym * 18, pst_le32(str), v.len);
	}
	/* the certificate table (data directory 4): a file offset, not an RVA */
	dirs = magic == 0x20b ? 112 : 96;
	if (optsize >= dirs + 5 * 8 && pst_le32(opt + dirs - 4) > 4) {
		uint64_t at = pst_le32(opt + dirs + 32);
		end_at(&end, at, cert_table(v, at, pst_le32(opt + dirs + 36)), v.len);
	}
	return end;
}

static const char *pem_kind(struct pst_view v)
{
	struct pst_view head = pst_view_sub(v, 0, 4096);
	static const struct {
		const char *marker;
		const char *what;
	} pems[] = {
		{ "-----BEGIN OPENSSH PRIVATE KEY-----", "OpenSSH private key" },
		{ "-----BEGIN RSA PRIVATE KEY-----", "PEM RSA private key" },
		{ "-----BEGIN EC PRIVATE KEY-----", "PEM EC private key" },
		{ "-----BEGIN DSA PRIVATE KEY-----", "PEM DSA private key" },
		{ "-----BEGIN ENCRYPTED PRIVATE KEY-----", "PEM encrypted PKCS#8 private key" },
		{ "-----BEGIN PRIVATE KEY-----", "PEM PKCS#8 private key" },
		{ "-----BEGIN CERTIFICATE-----", "PEM certificate" },
		{ "-----BEGIN PUBLIC KEY-----", "PEM public key" },
		{ "-----BEGIN RSA PUBLIC KEY-----", "PEM RSA public key" },
		{ "-----BEGIN PGP PUBLIC KEY BLOCK-----", "PGP public key" },
		{ "-----BEGIN PGP PRIVATE KEY BLOCK-----", "PGP private key" },
		{ "PuTTY-User-Key-File-", "PuTTY private key" },
	};
	size_t i;
	for (i = 0; i < sizeof(pems) / sizeof(pems[0]); i++) {
		int64_t at = pst_view_find(head, 0, pems[i].marker, strlen(pems[i].marker));
		/* A key file starts with its marker, perhaps after a few comment lines. */
		if (at >= 0 && at < 1024)
			return pems[i].what;
	}
	return NULL;
}

/* A DER SEQUENCE whose definite length covers the file exactly. */
static bool der_whole(struct pst_view v)
{
	uint64_t len;
	size_t hdr;
	if (v.len < 4 || v.p[0] != 0x30)
		return false;
	if (v.p[1] == 0x82) {
		len = pst_be16(v.p + 2);
		hdr = 4;
	} else if (v.p[1] == 0x81) {
		len = v.p[2];
		hdr = 3;
	} else if (v.p[1] == 0x83 && v.len >= 5) {
		len = (uint64_t)v.p[2] << 16 | pst_be16(v.p + 3);
		hdr = 5;
	} else {
		return false;
	}
	return len + hdr == v.len && len >= 64;
}

static bool ends_with(const char *s, const char *x)
{
	size_t a = strlen(s), b = strlen(x);
	return a >= b && strcmp(s + a - b, x) == 0;
}

static bool is_fmt(const struct pst_node *n, const char *f)
{
	return n && n->format && strcmp(n->format, f) == 0;
}

/* A node an executable carries: a child of the embedded, pyz or zipapp
 * unpackers, or a member of a zip appended to an ELF (Perl's PAR) or after
 * a shebang line (directories on the way skipped). */
static bool carried_by_program(const struct pst_node *n)
{
	const struct pst_node *a = n->parent;
	while (a && a->kind == PST_KIND_DIR && !a->format)
		a = a->parent;
	if (!a)
		return false;
	if (is_fmt(a, "embedded") || is_fmt(a, "pyz") || is_fmt(a, "zipapp"))
		return true;
	return is_fmt(a, "zip") && a->parent &&
	       (a->parent->kind == PST_KIND_ELF || is_fmt(a->parent, "zipapp"));
}

/* A script an executable carries (src/unpack/embedded.c, pyz.c): its source
 * is a script whatever its first line, its code objects are named as such,
 * so the inventory lists them and the script analyzer reads them. */
static bool embedded_script(struct pst_node *n, struct pst_view v, bool text)
{
	const char *p = n->path;
	if (!p || !carried_by_program(n))
		return false;
	if (text && (ends_with(p, ".pm") || ends_with(p, ".pl")))
		n->kind_detail = "perl (embedded)";
	else if (text && ends_with(p, ".py"))
		n->kind_detail = "python (embedded)";
	else if (text && ends_with(p, ".lua"))
		n->kind_detail = "lua (embedded)";
	else if (ends_with(p, ".pyc") && v.len && v.p[0] != 0x7f)
		n->kind_detail = "python code object (embedded)";
	else if (ends_with(p, ".luac"))
		n->kind_detail = "lua code object (embedded)";
	else
		return false;
	n->kind = strstr(n->kind_detail, "code object") ? PST_KIND_DATA : PST_KIND_SCRIPT;
	return true;
}

void pst_classify(struct pst_node *n, struct pst_view v, struct pst_arena *a)
{
	uint32_t type = n->mode & S_IFMT;
	const char *pem;

	if (type == S_IFDIR) {
		n->kind = PST_KIND_DIR;
		return;
	}
	if (type == S_IFLNK) {
		n->kind = PST_KIND_SYMLINK;
		return;
	}
	if (type && type != S_IFREG) {
		n->kind = PST_KIND_DEVICE;
		return;
	}
	if (v.len == 0) {
		n->kind = PST_KIND_EMPTY;
		return;
	}
	if (v.len >= 52 && starts(v, "\x7f" "ELF") && (v.p[4] == 1 || v.p[4] == 2) &&
	    (v.p[5] == 1 || v.p[5] == 2)) {
		classify_elf(n, v, a);
		return;
	}
	if (starts(v, "#!")) {
		struct pst_view line = pst_view_sub(v, 2, 200);
		size_t i = 0, st;
		while (i < line.len && (line.p[i] == ' ' || line.p[i] == '\t'))
			i++;
		st = i;
		while (i < line.len && line.p[i] != '\n' && line.p[i] != '\r' && line.p[i] != 0)
			i++;
		n->kind = PST_KIND_SCRIPT;
		n->kind_detail = pst_arena_strndup(a, (const char *)line.p + st, i - st);
		return;
	}
	if (embedded_script(n, v, printable_text(v)))
		return;
	pem = pem_kind(v);
	if (pem) {
		n->kind = PST_KIND_KEY;
		n->kind_detail = pem;
		return;
	}
	if (der_whole(v)) {
		n->kind = PST_KIND_KEY;
		n->kind_detail = "DER key or certificate";
		return;
	}
	if (printable_text(v)) {
		n->kind = PST_KIND_TEXT;
		return;
	}
	n->kind = (n->entropy > 7.5 && v.len >= 4096) ? PST_KIND_ENTROPY : PST_KIND_DATA;
	n->kind_detail = pst_identify(n, v);
}
