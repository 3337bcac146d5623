/*
 * binary.c - the binary analyzer: for every ELF file, what it can do
 * (capability rules on imports, recovered syscalls, strings and constants),
 * whom it talks to (endpoints), which crypto it carries and how well it is
 * hardened. Findings only for capabilities and crypto that matter; the rest
 * are facts ("bin.*") that --inventory prints per ELF and finish() sums up
 * per image in one info finding.
 *
 * Cost: the ELF tables are parsed once, the bytes are read twice (one pass
 * for strings, one for all byte patterns), and capstone runs only on
 * stripped static binaries, the only ones whose imports say nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "binfeat.h"
#include "compares.h"
#include "compwrap.h"

struct bin_state {
	struct pst_needles *ns;
	struct pst_caprules *rules;
	unsigned crypto_base, ncrypto, bpf_id, const_base, nids;
};

/* First instructions of classic BPF programs as compilers and tcpdump -dd
 * write them: ldh [12] (EtherType), ldb [23] (IP protocol on Ethernet),
 * ldb [9] (protocol on a raw IP socket), ldh [20], each in both orders. */
static const uint8_t bpf_starts[][8] = {
	{ 0x28, 0, 0, 0, 12, 0, 0, 0 }, { 0, 0x28, 0, 0, 0, 0, 0, 12 },
	{ 0x30, 0, 0, 0, 23, 0, 0, 0 }, { 0, 0x30, 0, 0, 0, 0, 0, 23 },
	{ 0x30, 0, 0, 0, 9, 0, 0, 0 },  { 0, 0x30, 0, 0, 0, 0, 0, 9 },
	{ 0x28, 0, 0, 0, 20, 0, 0, 0 }, { 0, 0x28, 0, 0, 0, 0, 0, 20 },
};

static enum pst_err bin_init(const struct pst_options *o, void **state)
{
	struct bin_state *st = pst_calloc(1, sizeof(*st));
	const char *dirs[33];
	char err[512];
	size_t nd = 0, i;

	if (!st)
		return PST_ENOMEM;
	st->ns = pst_needles_new();
	if (!st->ns)
		goto nomem;
	st->crypto_base = 0;
	st->ncrypto = pst_crypto_register(st->ns, 0);
	st->bpf_id = st->ncrypto;
	for (i = 0; i < sizeof(bpf_starts) / sizeof(bpf_starts[0]); i++)
		if (!pst_needles_add(st->ns, bpf_starts[i], 8, st->bpf_id))
			goto nomem;
	st->const_base = st->bpf_id + 1;
	for (i = 0; o->rule_dirs && o->rule_dirs[i] && nd < 32; i++)
		dirs[nd++] = o->rule_dirs[i];
	dirs[nd] = NULL;
	st->rules = pst_caprules_load(dirs, st->ns, st->const_base, err, sizeof(err));
	if (st->rules && !pst_caprules_check_ids(st->rules, pst_binary_cap_refs, err, sizeof(err))) {
		pst_caprules_free(st->rules);
		st->rules = NULL;
	}
	if (!st->rules) {
		pst_message(o, PST_MSG_WARNING, "capability rules: %s", err);
		pst_needles_free(st->ns);
		free(st);
		return strstr(err, "out of memory") ? PST_ENOMEM : PST_EFORMAT;
	}
	st->nids = st->const_base + pst_caprules_nconst(st->rules);
	pst_needles_seal(st->ns);
	*state = st;
	return PST_OK;
nomem:
	pst_needles_free(st->ns);
	free(st);
	return PST_ENOMEM;
}

static void bin_fini(void *state)
{
	struct bin_state *st = state;
	if (!st)
		return;
	pst_caprules_free(st->rules);
	pst_needles_free(st->ns);
	free(st);
}

static bool bin_wants(const void *state, const struct pst_node *n)
{
	(void)state;
	return n->kind == PST_KIND_ELF;
}

/* ---- features ---- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool lookup(const char *const *v, size_t n, const char *name)
{
	return n && bsearch(&name, v, n, sizeof(*v), cmp_name) != NULL;
}

bool pst_binfeat_import(const struct pst_binfeat *f, const char *name)
{
	return lookup(f->imports, f->nimports, name);
}

bool pst_binfeat_syscall(const struct pst_binfeat *f, const char *name)
{
	return lookup(f->sys.names, f->sys.n, name);
}

/* Imports: undefined symbols; in a binary that carries its library code
 * (static, or any object with a .symtab) the defined functions too, since
 * "calls socket" then shows as "defines socket". */
static bool collect_imports(const struct pst_elf *e, struct pst_binfeat *f)
{
	/* A kernel module defines init_module itself: only its undefined
	 * symbols are calls. */
	bool is_static = !e->has_dynamic && !e->interp && e->type != PST_ET_REL;
	size_t i, k = 0;
	f->imports = pst_calloc(e->nsyms ? e->nsyms : 1, sizeof(*f->imports));
	if (!f->imports)
		return false;
	for (i = 0; i < e->nsyms; i++) {
		const struct pst_elf_sym *s = &e->syms[i];
		if (s->shndx == 0 || (is_static && s->type == 2 /* STT_FUNC */))
			f->imports[k++] = s->name;
		if (s->shndx == 0 && s->dynamic)
			f->nundef++;
	}
	qsort(f->imports, k, sizeof(*f->imports), cmp_name);
	f->nimports = k;
	return true;
}

/* A classic BPF program at off: at least four valid instructions up to a
 * return, every jump landing inside the program. *magic is set when it
 * compares against a value that is neither a protocol number, a well-known
 * port nor an EtherType: a trigger's magic number. */
static bool bpf_at(struct pst_view v, uint64_t off, bool big, bool *magic)
{
	static const uint8_t ok_codes[] = {
		0x00, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x60, 0x80, 0x01, 0x61, 0x81, 0xb1,
		0x02, 0x03, 0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54,
		0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4, 0xac, 0x05, 0x15, 0x1d,
		0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x06, 0x0e, 0x16, 0x07, 0x87,
	};
	unsigned i, last_ret = 0;
	uint8_t jt[64], jf[64], code[64];
	uint32_t k[64];
	bool mg = false;
	for (i = 0; i < 64; i++) {
		uint16_t c;
		const uint8_t *p = pst_view_at(v, off + (uint64_t)i * 8, 8);
		if (!p)
			break;
		c = big ? pst_be16(p) : pst_le16(p);
		if (c > 0xff || !memchr(ok_codes, c, sizeof(ok_codes)))
			break;
		if ((c & 7) != 5 && (p[2] || p[3]))
			break;
		code[i] = (uint8_t)c;
		jt[i] = p[2];
		jf[i] = p[3];
		k[i] = big ? pst_be32(p + 4) : pst_le32(p + 4);
		if ((c & 7) == 6)
			last_ret = i + 1;
	}
	if (last_ret < 4)
		return false;
	for (i = 0; i < last_ret; i++) {
		if ((code[i] & 7) != 5 || code[i] == 0x05)
			continue;
		if (i + 1u + jt[i] >= last_ret || i + 1u + jf[i] >= last_ret)
			return false;
		if ((code[i] == 0x15 || code[i] == 0x45) && k[i] > 1024 && k[i] != 0x0800 &&
		    k[i] != 0x86dd && k[i] != 0x0806 && k[i] != 0x8100 && k[i] != 0x1fff &&
		    k[i] != 0xffffffffu && k[i] != 0xffff)
			mg = true;
	}
	*magic = mg;
	return true;
}

struct bpf_scan {
	struct pst_view v;
	unsigned id;
	bool big, found, magic;
	/* fixed-width code (ARM, AArch64, MIPS, PowerPC): a rule constant
	 * inside code counts only 4-byte aligned (a literal pool word);
	 * elsewhere it is two instructions' bytes run together */
	const struct pst_elf *fixed;
	uint64_t base;         /* file offset of v */
	unsigned const_base;
	uint8_t *const_ok;
};

static bool misaligned_in_code(const struct pst_elf *e, uint64_t off)
{
	size_t i;
	for (i = 0; i < e->nsects; i++) {
		const struct pst_elf_sect *x = &e->sects[i];
		if ((x->flags & PST_SHF_EXECINSTR) && x->type != PST_SHT_NOBITS && off >= x->off &&
		    off - x->off < x->size)
			return ((off - x->off + x->addr) & 3) != 0;
	}
	return false;
}

/* Needle callback: validates each place a BPF program may start, and
 * where rule constants sit in fixed-width code. */
static void bpf_hit(void *ctx, unsigned id, uint64_t off)
{
	struct bpf_scan *b = ctx;
	bool mg = false;
	if (b->fixed && id >= b->const_base) {
		if (!misaligned_in_code(b->fixed, b->base + off))
			b->const_ok[id] = 1;
		return;
	}
	if (id != b->id || (b->found && b->magic))
		return;
	if (bpf_at(b->v, off, b->big, &mg)) {
		b->found = true;
		b->magic = b->magic || mg;
	}
}

/* True when only a MIPS binary's non-code sections need the byte-pattern
 * pass: sections exist and do not claim more than the file. */
static bool mips_data_only(const struct pst_elf *e)
{
	uint64_t total = 0;
	size_t i;
	if ((e->machine != PST_EM_MIPS && e->machine != PST_EM_MIPS_RS3_LE) || e->nsects == 0)
		return false;
	for (i = 0; i < e->nsects; i++)
		if (e->sects[i].type != PST_SHT_NOBITS)
			total += e->sects[i].size;
	return total <= e->v.len;
}

/* Strings from everything but code: the sections that are not executable,
 * and whatever follows the last section (an appended payload). Code yields
 * only noise and is half of a binary; without section headers, or when they
 * claim more than the file, the whole file is read. */
static bool elf_strings(const struct pst_elf *e, struct pst_strings *s)
{
	uint64_t total = 0, end = 0;
	size_t i;
	bool whole = e->nsects == 0;
	for (i = 0; i < e->nsects && !whole; i++) {
		const struct pst_elf_sect *x = &e->sects[i];
		if (x->type == PST_SHT_NOBITS || x->size == 0)
			continue;
		if (x->off + x->size > end && x->off < e->v.len)
			end = x->off + x->size;
		if (x->flags & PST_SHF_EXECINSTR)
			continue;
		total += x->size;
		if (total > e->v.len)
			whole = true;
	}
	if (!pst_strings_init(s))
		return false;
	if (whole)
		return pst_strings_add(s, e->v, 4, PST_CAP_BIN_STRINGS);
	for (i = 0; i < e->nsects; i++) {
		const struct pst_elf_sect *x = &e->sects[i];
		if (x->type == PST_SHT_NOBITS || (x->flags & PST_SHF_EXECINSTR))
			continue;
		if (!pst_strings_add(s, pst_view_sub(e->v, x->off, x->size), 4,
				     PST_CAP_BIN_STRINGS))
			return false;
	}
	if (end < e->v.len)
		return pst_strings_add(s, pst_view_sub(e->v, end, e->v.len - end), 4,
				       PST_CAP_BIN_STRINGS);
	return true;
}

/* ---- hardening, as checksec(1) defines each property ---- */

struct hardening {
	const char *relro, *pie;
	bool nx, canary, fortify, rpath, runpath, symbols;
};

static void harden(const struct pst_elf *e, struct hardening *h)
{
	size_t i;
	memset(h, 0, sizeof(*h));
	h->relro = !e->has_relro ? "no" :
		   (e->bind_now || (e->dt_flags_1 & PST_DF_1_NOW)) ? "full" : "partial";
	h->nx = e->has_gnu_stack && !e->stack_exec;
	h->pie = e->type == PST_ET_EXEC ? "no" :
		 e->type == PST_ET_DYN ? (e->has_debug ? "yes" : "dso") :
		 e->type == PST_ET_REL ? "rel" : "no";
	for (i = 0; i < e->nsyms; i++) {
		const char *n = e->syms[i].name;
		size_t l = strlen(n);
		if (strstr(n, "__stack_chk_fail") || strstr(n, "__stack_chk_guard") ||
		    strstr(n, "__intel_security_cookie"))
			h->canary = true;
		if (e->syms[i].dynamic && l > 4 && strcmp(n + l - 4, "_chk") == 0)
			h->fortify = true;
	}
	h->rpath = e->rpath != NULL;
	h->runpath = e->runpath != NULL;
	h->symbols = e->has_symtab;
}

static void facts_hardening(const struct pst_file *f, const struct hardening *h)
{
	struct pst_scan *s = f->scan;
	const struct pst_node *n = f->node;
	pst_fact_add(s, n, "bin.hardening.relro", h->relro);
	pst_fact_add(s, n, "bin.hardening.pie", h->pie);
	pst_fact_add(s, n, "bin.hardening.nx", h->nx ? "yes" : "no");
	pst_fact_add(s, n, "bin.hardening.canary", h->canary ? "yes" : "no");
	pst_fact_add(s, n, "bin.hardening.fortify", h->fortify ? "yes" : "no");
	pst_fact_add(s, n, "bin.hardening.rpath", h->rpath ? "yes" : "no");
	pst_fact_add(s, n, "bin.hardening.runpath", h->runpath ? "yes" : "no");
	pst_fact_add(s, n, "bin.hardening.symbols", h->symbols ? "yes" : "no");
}

static void facts_elf(const struct pst_file *f, const struct pst_elf *e,
		      const struct pst_binfeat *ft)
{
	struct pst_scan *s = f->scan;
	const struct pst_node *n = f->node;
	char buf[64];
	size_t i;
	snprintf(buf, sizeof(buf), "%s/%u%s", pst_elf_machine_str(e->machine), e->is64 ? 64u : 32u,
		 e->big ? "be" : "le");
	pst_fact_add(s, n, "bin.arch", buf);
	for (i = 0; i < e->nneeded; i++)
		pst_fact_add(s, n, "bin.needed[]", e->needed[i]);
	if (e->soname)
		pst_fact_add(s, n, "bin.soname", e->soname);
	if (e->rpath)
		pst_fact_add(s, n, "bin.rpath", e->rpath);
	if (e->runpath)
		pst_fact_add(s, n, "bin.runpath", e->runpath);
	if (e->build_id[0])
		pst_fact_add(s, n, "bin.build_id", e->build_id);
	{
		size_t imp = 0, exp = 0;
		for (i = 0; i < e->nsyms; i++) {
			const struct pst_elf_sym *y = &e->syms[i];
			if (!y->dynamic)
				continue;
			if (y->shndx == 0)
				imp++;
			else if (y->bind != 0) /* not STB_LOCAL */
				exp++;
		}
		snprintf(buf, sizeof(buf), "%zu", imp);
		pst_fact_add(s, n, "bin.symbols.imported", buf);
		snprintf(buf, sizeof(buf), "%zu", exp);
		pst_fact_add(s, n, "bin.symbols.exported", buf);
	}
	if (e->mod_vermagic)
		pst_fact_add(s, n, "bin.module.vermagic", e->mod_vermagic);
	if (e->mod_license)
		pst_fact_add(s, n, "bin.module.license", e->mod_license);
	if (e->mod_name)
		pst_fact_add(s, n, "bin.module.name", e->mod_name);
	for (i = 0; i < ft->sys.n; i++)
		pst_fact_add(s, n, "bin.syscalls[]", ft->sys.names[i]);
	if (ft->sys.abi) {
		snprintf(buf, sizeof(buf), "%zu/%zu", ft->sys.resolved, ft->sys.sites);
		pst_fact_add(s, n, "bin.syscall_sites", buf);
	}
	for (i = 0; i < ft->nsocks; i++) {
		char sk[48];
		pst_sockcall_str(&ft->socks[i], sk, sizeof(sk));
		pst_fact_add(s, n, "bin.sockets[]", sk);
	}
	for (i = 0; i < ft->net.nports; i++) {
		snprintf(buf, sizeof(buf), "%u", (unsigned)ft->net.ports[i]);
		pst_fact_add(s, n, "bin.listen_ports[]", buf);
	}
	for (i = 0; i < ft->net.nmagics; i++) {
		pst_magic_str(ft->net.magics[i], buf, sizeof(buf));
		pst_fact_add(s, n, "bin.magics[]", buf);
	}
	for (i = 0; i < ft->neps; i++) {
		static const char *const kinds[] = { "url", "domain", "ipv4", "email" };
		char *v = NULL;
		size_t l = strlen(ft->eps[i].text) + 16;
		v = pst_malloc(l);
		if (!v)
			continue;
		snprintf(v, l, "%s:%s", kinds[ft->eps[i].kind], ft->eps[i].text);
		pst_fact_add(s, n, "bin.endpoints[]", v);
		free(v);
	}
}

/* ---- crypto ---- */

/* The capability rules the code below tests for, by index; bin_init checks
 * that each is defined (pst_caprules_check_ids), so a misspelt or renamed id
 * fails the load instead of silently never matching. */
enum cap_ref { CAP_NET_CLIENT, CAP_NET_SERVER, CAP_NET_DAEMON };
const char *const pst_binary_cap_refs[] = {
	[CAP_NET_CLIENT] = "capability.network-client",
	[CAP_NET_SERVER] = "capability.network-server",
	[CAP_NET_DAEMON] = "capability.network-daemon",
	NULL,
};

static bool has_cap(const struct pst_capmatch *m, size_t n, enum cap_ref ref)
{
	const char *id = pst_binary_cap_refs[ref];
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(m[i].id, id) == 0)
			return true;
	return false;
}

/* A symbol that names RC4 (OpenSSL's RC4_set_key, arcfour_*, rc4_init ...):
 * the implementation is declared, not hidden. */
static bool rc4_named(const struct pst_elf *e)
{
	size_t i;
	for (i = 0; i < e->nsyms; i++) {
		const char *n = e->syms[i].name;
		if (e->syms[i].type == 3 || e->syms[i].type == 4) /* STT_SECTION, STT_FILE */
			continue;
		if (strstr(n, "RC4") || strstr(n, "rc4") || strstr(n, "arcfour") ||
		    strstr(n, "ARCFOUR") || strstr(n, "Rc4"))
			return true;
	}
	return false;
}

/* A string names Dual_EC: one of the spellings as a word of its own, not
 * inside another ("neural_residual_echo", "RESIDUAL_ECHO"). It starts the
 * string or follows a non-alphanumeric character, and the next character is
 * not a letter unless "DRBG" follows ("DualECDRBG"). */
static bool dual_ec_named(const struct pst_strings *s)
{
	static const char *const mark[] = { "Dual_EC", "DUAL_EC", "dual_ec", "DualEC" };
	size_t i;
	if (!s->len)
		return false;
	for (i = 0; i < sizeof(mark) / sizeof(mark[0]); i++) {
		size_t n = strlen(mark[i]), off = 0;
		const char *hit;
		while (off < s->len && (hit = memmem(s->buf + off, s->len - off, mark[i], n))) {
			size_t at = (size_t)(hit - s->buf);
			size_t rest = s->len - at - n;
			unsigned char before = at ? (unsigned char)s->buf[at - 1] : 0;
			unsigned char after = rest ? (unsigned char)hit[n] : 0;
			off = at + 1;
			if (isalnum(before))
				continue;
			if (!isalpha(after) || (rest >= 4 && strncasecmp(hit + n, "DRBG", 4) == 0))
				return true;
		}
	}
	return false;
}

/* Functions whose RC4-shaped loop is known to be no cipher, and where
 * they come from. A match is still reported, at low. */
static const struct {
	const char *name, *what;
} rc4_benign[] = {
	/* src/redis-cli.c: --intrinsic-latency runs an RC4 keystream loop and
	 * sums the bytes, as busy work (Debian's redis-tools exports it) */
	{ "compute_something_fast", "redis-cli's latency-test busy loop" },
};

/* What the function holding the RC4 loop at is known to be, or NULL. */
static const char *rc4_benign_use(const struct pst_elf *e, uint64_t at)
{
	size_t i, k;
	for (i = 0; i < e->nsyms; i++) {
		const struct pst_elf_sym *y = &e->syms[i];
		if (!y->shndx || y->type != 2 /* STT_FUNC */ || !y->name || at < y->value ||
		    at - y->value >= y->size)
			continue;
		for (k = 0; k < sizeof(rc4_benign) / sizeof(rc4_benign[0]); k++)
			if (strcmp(y->name, rc4_benign[k].name) == 0)
				return rc4_benign[k].what;
	}
	return NULL;
}

/* The standard protocol that explains every weak cipher present (DES, RC4)
 * as one negotiable option beside strong ones, or NULL. */
static const char *weak_explained(const struct pst_binfeat *ft, bool des, bool rc4, bool aes)
{
	const char *sd = des ? pst_crypto_standard_use(ft, "DES", aes) : "";
	const char *sr = rc4 ? pst_crypto_standard_use(ft, "RC4", aes) : "";
	if (!(des || rc4) || !sd || !sr)
		return NULL;
	return des ? sd : sr;
}

/* RC4 that no symbol names, in a program: inlined or renamed. Next to
 * network code it is how implants obscure their traffic; alone it is only
 * weak crypto. Never high: a cipher is not a back door. */
static void rc4_hidden(const struct pst_file *f, const struct pst_binfeat *ft,
		       const struct pst_capmatch *m, size_t nm, bool aes, uint64_t rc4_at,
		       const char *rc4_benign_what)
{
	bool net = has_cap(m, nm, CAP_NET_CLIENT) ||
		   has_cap(m, nm, CAP_NET_SERVER);
	const char *sr = pst_crypto_standard_use(ft, "RC4", aes);
	char ev[64];
	snprintf(ev, sizeof(ev), "RC4 swap loop at 0x%llx", (unsigned long long)rc4_at);
	if (rc4_benign_what)
		pst_finding_add(f->scan, f->node, "crypto.rc4-hidden", PST_SEV_LOW, "crypto", 0, ev,
				"RC4 keystream loop in a function known to use it as no cipher (%s)",
				rc4_benign_what);
	else if (sr)
		pst_finding_add(f->scan, f->node, "crypto.rc4-hidden", PST_SEV_LOW, "crypto", 0, ev,
				"RC4 implemented in the code under no symbol that names it, in a program that implements %s and also carries strong ciphers: the protocol's own RC4, not a hidden channel",
				sr);
	else
		pst_finding_add(f->scan, f->node, "crypto.rc4-hidden",
				net ? PST_SEV_MEDIUM : PST_SEV_LOW, "crypto", 0, ev,
				"RC4 implemented in the code under no symbol that names it%s",
				net ? ", in a program that talks on the network" : "");
}

/* OpenSSL 1.1.0 removed the export-grade suites: a program linked to
 * libssl 1.1 or 3 that names them (OpenVPN's table of OpenSSL and IANA
 * cipher names) cannot negotiate them. The library's name, or NULL. */
static const char *ssl_without_export(const struct pst_binfeat *ft)
{
	size_t i;
	for (i = 0; ft->elf && i < ft->elf->nneeded; i++)
		if (strcmp(ft->elf->needed[i], "libssl.so.3") == 0 ||
		    strcmp(ft->elf->needed[i], "libssl.so.1.1") == 0)
			return ft->elf->needed[i];
	return NULL;
}

static void crypto_findings(const struct pst_file *f, const struct pst_binfeat *ft,
			    const uint8_t *hits, const struct bin_state *st,
			    const struct pst_capmatch *m, size_t nm, bool rc4_code,
			    uint64_t rc4_at, const char *rc4_benign_what)
{
	struct pst_crypto_hit c[PST_CAP_CRYPTO_CONSTS];
	size_t n = pst_crypto_collect(hits, st->crypto_base, c, PST_CAP_CRYPTO_CONSTS), i;
	bool dual_q = false, weak = false, aes = false, des = false, rc4 = rc4_code, exp;
	bool dual_marker = dual_ec_named(&ft->strs);
	const char *weak_name = NULL, *std = NULL;
	for (i = 0; i < n; i++) {
		if (strcmp(c[i].name, "dual-ec-q-p256") == 0)
			dual_q = true;
		aes = aes || strcmp(c[i].algo, "AES") == 0;
		des = des || strcmp(c[i].algo, "DES") == 0;
		if (c[i].weak && !weak) {
			weak = true;
			weak_name = c[i].algo;
		}
		if (i == 0 || strcmp(c[i].algo, c[i - 1].algo) != 0)
			pst_fact_add(f->scan, f->node, "bin.crypto[]", c[i].algo);
	}
	exp = pst_strings_has(&ft->strs, "EXP-RC4-MD5") || pst_strings_has(&ft->strs, "EXP-DES-CBC");
	des = des || pst_binfeat_import(ft, "DES_set_key") || pst_binfeat_import(ft, "DES_ecb_encrypt");
	rc4 = rc4 || pst_binfeat_import(ft, "RC4_set_key");
	if (exp) {
		weak = true;
		weak_name = "export-grade ciphers";
	} else if (!weak && (pst_binfeat_import(ft, "RC4_set_key") ||
			     pst_binfeat_import(ft, "DES_set_key") ||
			     pst_binfeat_import(ft, "DES_ecb_encrypt"))) {
		weak = true;
		weak_name = pst_binfeat_import(ft, "RC4_set_key") ? "RC4" : "DES";
	}
	if (rc4_code) {
		pst_fact_add(f->scan, f->node, "bin.crypto[]", "RC4");
		if (!weak) {
			weak = true;
			weak_name = "RC4";
		}
	}
	/* Every weak cipher here is one a standard protocol the program
	 * implements negotiates beside strong ones: that, not a hidden channel.
	 * Export-grade suites are never explained. */
	if (weak && !exp)
		std = weak_explained(ft, des, rc4, aes);
	if (dual_marker && !dual_q)
		pst_finding_add(f->scan, f->node, "crypto.dual-ec-nonstandard", PST_SEV_HIGH, "crypto",
				0, "Dual_EC_DRBG without the standard P-256 Q",
				"Dual_EC_DRBG is present but its published Q point is not: the "
				"random generator may use a point whose discrete log someone knows");
	else if (dual_q || dual_marker)
		pst_finding_add(f->scan, f->node, "crypto.dual-ec-drbg", PST_SEV_MEDIUM, "crypto", 0,
				"NIST SP 800-90A Dual_EC_DRBG Q point",
				"Dual_EC_DRBG, a random generator with a suspected back door, is "
				"compiled in");
	if (weak && exp && ssl_without_export(ft) && has_cap(m, nm, CAP_NET_DAEMON))
		pst_finding_add(f->scan, f->node, "crypto.weak-cipher-network", PST_SEV_LOW,
				"crypto", 0, weak_name,
				"a network service names export-grade cipher suites, but its TLS library (%s) has had none since OpenSSL 1.1.0: names in a table, not suites it can offer",
				ssl_without_export(ft));
	else if (weak && has_cap(m, nm, CAP_NET_DAEMON) && std)
		pst_finding_add(f->scan, f->node, "crypto.weak-cipher-network", PST_SEV_LOW,
				"crypto", 0, weak_name,
				"a network service carries a weak cipher (%s) as one negotiable option of %s, beside strong ones: it is used only where both ends allow it (legacy-crypto hygiene, not a hidden channel)",
				weak_name, std);
	else if (weak && has_cap(m, nm, CAP_NET_DAEMON))
		pst_finding_add(f->scan, f->node, "crypto.weak-cipher-network", PST_SEV_MEDIUM,
				"crypto", 0, weak_name,
				"a network service carries a weak cipher (%s)", weak_name);
	else if (rc4_code)
		rc4_hidden(f, ft, m, nm, aes, rc4_at, rc4_benign_what);
}

/* ---- hidden commands (compares.c) ---- */

/* Network-facing: accepts or receives from a socket, or is a CGI program
 * (reads the request from its environment). Only there can a compared
 * constant be someone else's secret word; elsewhere the analysis costs
 * time and says nothing. */
static bool network_facing(const struct pst_binfeat *ft)
{
	static const char *const l[] = { "accept", "accept4", "recv", "recvfrom", "recvmsg", "listen", NULL };
	size_t i;
	for (i = 0; l[i]; i++)
		if (pst_binfeat_import(ft, l[i]) || pst_binfeat_syscall(ft, l[i]))
			return true;
	return pst_strings_has_word(&ft->strs, "QUERY_STRING");
}

/* socket()'s calls the finder left unread for its caps (binfeat.h): the
 * rules that read the sockets (raw-socket triggers, has:local-sockets)
 * would judge on part of them. */
static void sockets_cut_report(const struct pst_file *f, unsigned cut)
{
	if (cut & PST_SOCK_CUT_CODE)
		pst_cap_hit(f->scan, f->node, "PST_CAP_SOCK_CODE",
			    "code past the first %u MiB was not searched for calls to socket()",
			    (unsigned)(PST_CAP_SOCK_CODE >> 20));
	if (cut & PST_SOCK_CUT_TABLE)
		pst_cap_hit(f->scan, f->node, "PST_CAP_SOCK_ENTRIES",
			    "more than %u socket() wrappers or %u GOT slots: the calls through "
			    "the others were not read", PST_CAP_SOCK_ENTRIES, PST_CAP_SOCK_SLOTS);
}

/* The hidden-command search stopped at one of its bounds: a back door in
 * what it did not reach would pass unseen, so the program counts as
 * examined in part (coverage.partial) until a person accepts it. */
static void budget_finding(const struct pst_file *f, unsigned capped)
{
	char ev[640];
	pst_caps_str(capped, ev, sizeof(ev));
	pst_cov_add(f->scan, &f->scan->cov.partial, 1);
	pst_finding_add(f->scan, f->node, "analyze.budget", PST_SEV_INFO, "coverage", 0, ev,
			"the search for hidden commands stopped at its bounds before it had "
			"followed every comparison of input with a constant: what it did not "
			"reach was not examined");
}

/* A module a server loads with dlopen (lighttpd's mod_auth.so: a shared
 * object exporting an entry point a role's `modules:` names, rules/roles)
 * imports no socket call, yet handles the server's requests: it is examined
 * like the server, with the module's own shape of back door (an
 * authentication skip, compares.c handler_skip). */
static void trigger_findings(const struct pst_file *f, const struct pst_elf *e,
			     const struct pst_binfeat *ft, const struct pst_caprules *rules)
{
	struct pst_trigger t[8];
	size_t n, i;
	unsigned capped;
	bool module = pst_caprules_module_role(rules, e) != NULL;
	if (!module && (!network_facing(ft) || (e->type == PST_ET_DYN && !e->interp)))
		return;
	n = pst_triggers_find_ex(e, &ft->net, module ? PST_TRIG_MODULE : 0, t,
				 sizeof(t) / sizeof(t[0]), &capped);
	if (capped)
		budget_finding(f, capped);
	for (i = 0; i < n; i++) {
		bool crit = (t[i].unlocks & (PST_UNLOCK_SHELL | PST_UNLOCK_LISTEN)) != 0;
		uint64_t off = pst_elf_vaddr_off(e, t[i].cmp_at);
		char ev[240];
		snprintf(ev, sizeof(ev), "'%.47s' (%.16s at 0x%llx) unlocks %.95s at 0x%llx", t[i].constant,
			 t[i].via, (unsigned long long)t[i].cmp_at, t[i].what,
			 (unsigned long long)t[i].unlock_at);
		pst_finding_add(f->scan, f->node, "backdoor.magic-trigger",
				crit ? PST_SEV_CRITICAL : PST_SEV_HIGH, "backdoor",
				off == UINT64_MAX ? 0 : off, ev,
				"%s compared with a constant of the program unlocks %s that a "
				"mismatch does not reach: a hidden command", pst_input_str(t[i].input),
				t[i].what);
	}
}

/* ---- the analyzer ---- */

/* A stripped static program is judged by the system calls recovered from
 * its code; on a machine postern cannot disassemble (SuperH, SPARC,
 * m68k...) only its strings, sections and size were examined. Any other
 * program for such a machine loses what is read from its code (socket
 * arguments, bound ports, compared magics, cipher loops) and keeps its
 * imports. Say so rather than pass it silently (counted in
 * coverage.partial). Firmware for another processor (/lib/firmware/: a
 * DSP's or a Wi-Fi chip's ELF) is not the host's code and is not counted. */
static void partial_finding(const struct pst_file *f, const struct pst_elf *e,
			    const struct pst_sysres *sys, bool stripped_static)
{
	char ev[64];
	int ca, mode;
	const char *p = f->node->path;
	if (stripped_static ? sys->abi != NULL : pst_elf_capstone(e, &ca, &mode))
		return;
	if (p && strncmp(p, "/lib/firmware/", 14) == 0)
		return;
	snprintf(ev, sizeof(ev), "e_machine %u", (unsigned)e->machine);
	pst_cov_add(f->scan, &f->scan->cov.partial, 1);
	if (stripped_static)
		pst_finding_add(f->scan, f->node, "analyze.partial", PST_SEV_LOW, "coverage", 0, ev,
				"system calls of this stripped static program not recovered (no "
				"support for its machine): only its strings, sections and size were "
				"examined");
	else
		pst_finding_add(f->scan, f->node, "analyze.partial", PST_SEV_LOW, "coverage", 0, ev,
				"code not disassembled (no support for its machine): its imports, "
				"strings, sections and size were examined, not the arguments, ports "
				"and constants its code uses");
}

static enum pst_err bin_analyze(const void *state, const struct pst_file *f)
{
	const struct bin_state *st = state;
	struct pst_elf e;
	struct pst_binfeat ft;
	struct pst_capmatch m[PST_CAP_CAP_MATCHES];
	struct hardening h;
	struct bpf_scan bpf = { { NULL, 0 }, 0, false, false, false, NULL, 0, 0, NULL };
	uint8_t *hits = NULL, *str_hits = NULL;
	size_t nm = 0, i;
	enum pst_err rc = PST_OK;
	bool is_static, rc4_code = false, rc4_cut = false;
	uint64_t rc4_at = 0;
	unsigned sock_cut;

	memset(&ft, 0, sizeof(ft));
	if (!pst_elf_parse(f->data, &e))
		return PST_EFORMAT;
	ft.elf = &e;
	is_static = !e.has_dynamic && !e.interp;
	if (!collect_imports(&e, &ft))
		goto nomem;
	if (is_static && !e.has_symtab && e.type != PST_ET_REL) {
		if (!pst_syscalls_recover(&e, &ft.sys))
			goto nomem;
		if (ft.sys.code_cut)
			pst_cap_hit(f->scan, f->node, "PST_CAP_SYS_CODE",
				    "code past the first %u MiB was not searched for system calls",
				    (unsigned)(PST_CAP_SYS_CODE >> 20));
		partial_finding(f, &e, &ft.sys, true);
	} else {
		partial_finding(f, &e, &ft.sys, false);
	}
	ft.nsocks = pst_sockets_find(&e, &ft.sys, ft.socks, sizeof(ft.socks) / sizeof(ft.socks[0]),
				      &ft.nsocks_unread, &sock_cut);
	sockets_cut_report(f, sock_cut);
	pst_netconst_find(&e, &ft.sys, &ft.net);
	/* only static programs: static libc's system() brings dup2 (the rules
	 * that read this are about it), and the extra pass costs a sweep */
	if (is_static)
		ft.stdio_dup = pst_stdio_dup_find(&e, &ft.sys, &ft.ndups);
	if (!elf_strings(&e, &ft.strs))
		goto nomem;
	if (ft.strs.full)
		pst_cap_hit(f->scan, f->node, "PST_CAP_BIN_STRINGS",
			    "strings past the first %zu MiB were not matched by the "
			    "capability rules",
			    PST_CAP_BIN_STRINGS >> 20);
	hits = pst_calloc(st->nids ? st->nids : 1, 1);
	if (!hits)
		goto nomem;
	bpf.id = st->bpf_id;
	bpf.big = e.big;
	bpf.const_base = st->const_base;
	if (e.machine == PST_EM_ARM || e.machine == PST_EM_AARCH64 || e.machine == PST_EM_MIPS ||
	    e.machine == PST_EM_MIPS_RS3_LE || e.machine == PST_EM_PPC || e.machine == PST_EM_PPC64) {
		bpf.const_ok = pst_calloc(st->nids ? st->nids : 1, 1);
		if (!bpf.const_ok)
			goto nomem;
		bpf.fixed = &e;
	}
	if (!mips_data_only(&e)) {
		bpf.v = f->data;
		pst_needles_find(st->ns, f->data, hits, st->nids, bpf_hit, &bpf);
	} else {
		/* MIPS code never holds a 32-bit constant in one piece (lui/ori
		 * build it), so for constants only data sections matter. */
		for (i = 0; i < e.nsects; i++) {
			const struct pst_elf_sect *x = &e.sects[i];
			if (x->type == PST_SHT_NOBITS || (x->flags & PST_SHF_EXECINSTR))
				continue;
			bpf.v = pst_view_sub(f->data, x->off, x->size);
			bpf.base = x->off;
			pst_needles_find(st->ns, bpf.v, hits, st->nids, bpf_hit, &bpf);
		}
	}
	for (i = st->const_base; bpf.fixed && i < st->nids; i++)
		hits[i] = bpf.const_ok[i];
	ft.const_hits = hits;
	ft.bpf_filter = bpf.found;
	ft.bpf_magic = bpf.magic;
	str_hits = pst_caprules_strings(st->rules, &ft.strs);
	if (!str_hits)
		goto nomem;
	ft.str_hits = str_hits;
	ft.neps = pst_endpoints_find(&ft.strs, ft.eps, sizeof(ft.eps) / sizeof(ft.eps[0]));
	trigger_findings(f, &e, &ft, st->rules);
	for (i = 0; i < ft.neps; i++) {
		if (!ft.eps[i].public_)
			continue;
		ft.public_endpoint = true;
		/* has:public-ip is a hard-coded peer someone chose: a public
		 * resolver (a DDNS client's or a connectivity check's 1.1.1.1)
		 * is everyone's */
		if (ft.eps[i].kind == PST_EP_IPV4 && !pst_ipv4_text_resolver(ft.eps[i].text))
			ft.public_ip = true;
	}

	nm = pst_caprules_eval(st->rules, &ft, m, PST_CAP_CAP_MATCHES);
	if (nm > PST_CAP_CAP_MATCHES) {
		pst_cap_hit(f->scan, f->node, "PST_CAP_CAP_MATCHES",
			    "%zu capability rules fired, only the first %u were kept", nm,
			    PST_CAP_CAP_MATCHES);
		nm = PST_CAP_CAP_MATCHES;
	}
	for (i = 0; i < nm; i++) {
		pst_fact_add(f->scan, f->node, "bin.capabilities[]", m[i].id);
		if (m[i].report)
			pst_finding_add(f->scan, f->node, m[i].id, m[i].severity, m[i].category, 0,
					m[i].evidence[0] ? m[i].evidence : NULL, "%s", m[i].message);
	}
	/* RC4 by its code in programs only: a library's or kernel module's RC4
	 * (libgcrypt, OpenSSL's legacy provider, arc4.ko) is legitimate and
	 * would get no finding, and modules are most of a rootfs's code. */
	if (!rc4_named(&e) && (e.type == PST_ET_EXEC || (e.type == PST_ET_DYN && e.interp)))
		rc4_code = pst_rc4_search(&e, &rc4_at, &rc4_cut);
	if (rc4_cut)
		pst_cap_hit(f->scan, f->node, "PST_CAP_RC4_SCAN",
			    "the search for RC4 code stopped at its bounds (%u MiB decoded, %u MiB "
			    "of code) before the end of the code",
			    (unsigned)(PST_CAP_RC4_SCAN >> 20), (unsigned)(PST_CAP_RC4_CODE >> 20));
	crypto_findings(f, &ft, hits, st, m, nm, rc4_code, rc4_at,
			rc4_code ? rc4_benign_use(&e, rc4_at) : NULL);
	harden(&e, &h);
	facts_hardening(f, &h);
	facts_elf(f, &e, &ft);
	if (e.damaged)
		pst_fact_add(f->scan, f->node, "bin.damaged", "yes");
	if (e.capped)
		pst_cap_hit(f->scan, f->node, "PST_CAP_ELF_TABLE",
			    "an ELF table (segments, sections or symbols) of more than %u entries "
			    "was read to there", PST_CAP_ELF_TABLE);
	goto out;
nomem:
	rc = PST_ENOMEM;
out:
	free(hits);
	free(bpf.const_ok);
	free(str_hits);
	free((void *)ft.imports);
	pst_sysres_free(&ft.sys);
	pst_strings_free(&ft.strs);
	pst_elf_free(&e);
	return rc;
}

/* ---- tree-wide: one hardening summary per image ---- */

struct hsum {
	const struct pst_node *image;
	unsigned elf, nx, pie, dso, full, partial, canary, fortify, rpath, runpath, stripped;
};

static const struct pst_node *image_of(const struct pst_node *n)
{
	const struct pst_node *p = n->parent;
	while (p && p->parent && !(p->flags & PST_NODE_CONTAINER))
		p = p->parent;
	return p ? p : n;
}

static void hsum_emit(const struct pst_tree *t, const struct hsum *h)
{
	if (!h->image || !h->elf)
		return;
	pst_finding_add(t->scan, h->image, "binary.hardening-summary", PST_SEV_INFO, "hardening", 0,
			NULL,
			"%u ELF files: NX %u, PIE %u (+%u DSO), RELRO full %u partial %u, canary %u, "
			"FORTIFY %u, RPATH %u, RUNPATH %u, stripped %u",
			h->elf, h->nx, h->pie, h->dso, h->full, h->partial, h->canary, h->fortify,
			h->rpath, h->runpath, h->stripped);
}

static int cmp_hsum(const void *a, const void *b)
{
	const struct hsum *x = a, *y = b;
	return strcmp(x->image->location, y->image->location);
}

static enum pst_err bin_finish(const void *state, const struct pst_tree *t)
{
	struct hsum *v = NULL;
	size_t n = 0, cap = 0, i, j;
	(void)state;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *fa = &t->facts[i];
		const struct pst_node *img;
		struct hsum *h = NULL;
		bool yes = strcmp(fa->value, "yes") == 0;
		if (strncmp(fa->key, "bin.hardening.", 14) != 0 || !fa->node)
			continue;
		img = image_of(fa->node);
		for (j = 0; j < n; j++)
			if (v[j].image == img)
				h = &v[j];
		if (!h) {
			if (n == cap) {
				struct hsum *nv = pst_realloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*nv));
				if (!nv) {
					free(v);
					return PST_ENOMEM;
				}
				v = nv;
			}
			h = &v[n++];
			memset(h, 0, sizeof(*h));
			h->image = img;
		}
		if (strcmp(fa->key + 14, "relro") == 0) {
			h->elf++;
			h->full += strcmp(fa->value, "full") == 0;
			h->partial += strcmp(fa->value, "partial") == 0;
		} else if (strcmp(fa->key + 14, "pie") == 0) {
			h->pie += yes;
			h->dso += strcmp(fa->value, "dso") == 0;
		} else if (strcmp(fa->key + 14, "nx") == 0) {
			h->nx += yes;
		} else if (strcmp(fa->key + 14, "canary") == 0) {
			h->canary += yes;
		} else if (strcmp(fa->key + 14, "fortify") == 0) {
			h->fortify += yes;
		} else if (strcmp(fa->key + 14, "rpath") == 0) {
			h->rpath += yes;
		} else if (strcmp(fa->key + 14, "runpath") == 0) {
			h->runpath += yes;
		} else if (strcmp(fa->key + 14, "symbols") == 0) {
			h->stripped += !yes;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_hsum);
	for (i = 0; i < n; i++)
		hsum_emit(t, &v[i]);
	free(v);
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_binary = {
	.name = "binary",
	.init = bin_init,
	.fini = bin_fini,
	.wants = bin_wants,
	.analyze = bin_analyze,
	.finish = bin_finish,
};
