/*
 * libfuncs.c - names for the unnamed library functions of a stripped
 * static program, from what their code does (libfuncs.h). One linear
 * decoding of the program's code (capstone's text, netconst.c's constant
 * tracker with address tracking) collects:
 *  - function starts: the targets of direct calls (x86 call, ARM bl, MIPS
 *    jal/bal, AArch64 bl), on MIPS the code addresses in the GOT (static
 *    PIC code calls through it), on x86-64 the implementations an IFUNC
 *    resolver picks from (`lea rax, [rip + X]`: glibc's strcmp, memcmp...
 *    are IFUNCs called through PLT stubs even in a static program);
 *  - system calls with a known number (syscall_tables.c): the function
 *    around one is that call's wrapper (x86-64 `mov eax, 59; syscall` is
 *    execve, MIPS `li v0, 4011; syscall` or the number stored for a
 *    helper, ARM `mov r7, #11; svc 0`);
 *  - loads of the addresses of "/bin/sh" and of "-c": a function that
 *    loads both builds a shell command line (system, popen, glibc's
 *    do_system and spawn_process, uClibc's vfork + execl);
 *  - the difference of two bytes loaded through two different pointers
 *    (`movzx eax, byte [rdi]; movzx edx, byte [rsi]; sub eax, edx`, ARM
 *    ldrb/ldrb/sub, MIPS lbu/lbu/subu): what strcmp, strncmp and memcmp
 *    return. strstr and strcasecmp (a table lookup between the load and
 *    the difference) are not recognised.
 * A site belongs to the nearest function start before it (at most
 * PST_CAP_CMP_LIB_SPAN bytes away). Not done: ARM Thumb code, i386 IFUNCs, OABI system
 * calls.
 */
#include <capstone/capstone.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "libfuncs.h"
#include "binfeat.h"
#include "callreach.h"
#include "netconst.h"

enum { K_SH = 100, K_DASHC, K_DIFF };

struct lf_site {
	uint64_t at;
	int kind;            /* enum pst_lf, or K_* */
};

struct lf_ifunc {
	uint64_t slot, impl[PST_CAP_CMP_LIB_IMPLS];
	size_t n;
};

struct lf {
	const struct pst_elf *e;
	enum pst_isa isa;
	csh h;
	cs_insn *in;
	struct pst_cst k;
	const struct pst_sysname *table;
	const char *nrreg;   /* the system call number's register, as keyed */
	uint64_t sh[PST_CAP_CMP_LIB_REFS], dc[PST_CAP_CMP_LIB_REFS];
	size_t nsh, ndc;
	uint64_t *starts;
	size_t nstarts;
	struct lf_site *sites;
	size_t nsites;
	struct lf_ifunc *ifn;
	size_t nifn;
	char bl[4][2][8];    /* registers last written by a byte load: name, base */
	size_t nbl;
	uint64_t swept;
	uint64_t gp;         /* MIPS: .got + 0x7ff0, what $gp holds in PIC code */
	uint64_t spilled;    /* MIPS: a system call number just stored to the stack */
	unsigned spilled_age;
	unsigned cut;        /* PST_LF_CUT_*: what a cap left out (caps.h) */
};

static const struct {
	const char *name;
	enum pst_lf kind;
} sys_kinds[] = {
	{ "execve", PST_LF_EXECVE }, { "setuid", PST_LF_SETUID }, { "setuid32", PST_LF_SETUID },
	{ "setgid", PST_LF_SETGID }, { "setgid32", PST_LF_SETGID },
	{ "setresuid", PST_LF_SETRESUID }, { "setresuid32", PST_LF_SETRESUID },
	{ "listen", PST_LF_LISTEN }, { "read", PST_LF_READ }, { "recv", PST_LF_RECV },
	{ "recvfrom", PST_LF_RECVFROM }, { "recvmsg", PST_LF_RECVMSG },
};

/* Every call adds its target: the list is sorted and its repeats dropped
 * when full, so the cap counts distinct starts. */
static void add_start(struct lf *l, uint64_t a)
{
	if (l->nstarts == PST_CAP_CMP_LIB_STARTS)
		l->nstarts = pst_u64_uniq(l->starts, l->nstarts);
	if (l->nstarts < PST_CAP_CMP_LIB_STARTS)
		l->starts[l->nstarts++] = a;
	else
		l->cut |= PST_LF_CUT_STARTS;
}

static void add_site(struct lf *l, uint64_t at, int kind)
{
	if (l->nsites < PST_CAP_CMP_LIB_SITES)
		l->sites[l->nsites++] = (struct lf_site){ at, kind };
	else
		l->cut |= PST_LF_CUT_SITES;
}

/* ---- the byte difference ---- */

/* A byte load (movzx r, byte ptr [b...], ldrb r, [b...], lbu r, X(b)):
 * *dst and *base get the registers' keys. */
static bool byte_load(const struct lf *l, const char *m, const char *o, char dst[8], char base[8])
{
	const char *c = strchr(o, ','), *b;
	size_t bl;
	if (!c)
		return false;
	if (strcmp(m, "movzx") == 0 && strstr(c, "byte ptr ["))
		b = strchr(c, '[') + 1;
	else if (strcmp(m, "ldrb") == 0 && strchr(c, '['))
		b = strchr(c, '[') + 1;
	else if (strcmp(m, "lbu") == 0 && strchr(c, '('))
		b = strchr(c, '(') + 1;
	else
		return false;
	bl = strcspn(b, " ,])");
	pst_cst_key(l->isa, o, (size_t)(c - o), dst);
	pst_cst_key(l->isa, b, bl, base);
	return true;
}

static int bl_find(const struct lf *l, const char *k)
{
	size_t i;
	for (i = 0; i < l->nbl; i++)
		if (strcmp(l->bl[i][0], k) == 0)
			return (int)i;
	return -1;
}

static void bl_drop(struct lf *l, const char *k)
{
	int i = bl_find(l, k);
	if (i >= 0)
		memcpy(l->bl[i], l->bl[--l->nbl], sizeof(l->bl[0]));
}

/* `sub a, b` (x86) or `sub d, a, b` of two registers a byte load wrote,
 * through different pointers. */
static bool byte_diff(struct lf *l, const char *m, const char *o)
{
	const char *c = strchr(o, ','), *a, *b;
	char ka[8], kb[8];
	int ia, ib;
	bool x86 = l->isa == PST_ISA_X64 || l->isa == PST_ISA_X86;
	if (!c || (strcmp(m, "sub") != 0 && strcmp(m, "subs") != 0 && strcmp(m, "subu") != 0))
		return false;
	a = x86 ? o : c + 2;
	b = strchr(a, ',');
	if (!b || b[1] != ' ' || strchr(b + 1, ',') || strchr(b, '#') || strchr(b, '['))
		return false;
	pst_cst_key(l->isa, a, (size_t)(b - a), ka);
	pst_cst_key(l->isa, b + 2, strlen(b + 2), kb);
	ia = bl_find(l, ka);
	ib = bl_find(l, kb);
	return ia >= 0 && ib >= 0 && strcmp(l->bl[ia][1], l->bl[ib][1]) != 0;
}

/* Keeps the table of byte loads: a load enters it, any other write of its
 * first operand leaves it. */
static void byte_step(struct lf *l, const cs_insn *in)
{
	const char *m = in->mnemonic, *o = in->op_str, *c = strchr(o, ',');
	char d[8], b[8];
	if (byte_diff(l, m, o))
		add_site(l, in->address, K_DIFF);
	if (byte_load(l, m, o, d, b)) {
		bl_drop(l, d);
		if (l->nbl == 4)
			memcpy(l->bl[0], l->bl[--l->nbl], sizeof(l->bl[0]));
		memcpy(l->bl[l->nbl][0], d, 8);
		memcpy(l->bl[l->nbl++][1], b, 8);
		return;
	}
	if (!c || pst_prefix(m, "st") || pst_prefix(m, "cmp") || strcmp(m, "test") == 0 ||
	    strcmp(m, "tst") == 0 || strcmp(m, "sw") == 0 || strcmp(m, "sb") == 0 ||
	    strcmp(m, "sh") == 0 || m[0] == 'b')
		return;
	pst_cst_key(l->isa, o, (size_t)(c - o), d);
	bl_drop(l, d);
}

/* ---- one instruction ---- */

static bool is_syscall(const struct lf *l, const cs_insn *in)
{
	const char *m = in->mnemonic;
	switch (l->isa) {
	case PST_ISA_X64: return strcmp(m, "syscall") == 0;
	case PST_ISA_X86: return strcmp(m, "int") == 0 && strcmp(in->op_str, "0x80") == 0;
	case PST_ISA_MIPS: return strcmp(m, "syscall") == 0;
	default: return (strcmp(m, "svc") == 0 || strcmp(m, "swi") == 0) &&
			(strcmp(in->op_str, "#0") == 0 || strcmp(in->op_str, "#0x0") == 0);
	}
}

static bool is_call(const struct lf *l, const char *m)
{
	switch (l->isa) {
	case PST_ISA_X64:
	case PST_ISA_X86: return strcmp(m, "call") == 0;
	case PST_ISA_MIPS: return strcmp(m, "jal") == 0 || strcmp(m, "bal") == 0;
	default: return strcmp(m, "bl") == 0;
	}
}

/* MIPS o32 passes the number of a system call with more than four
 * arguments to a helper on the stack (glibc's cancellable wrappers: `li
 * v0, N; sw v0, X(sp); bal helper`, syscalls.c reads the same): the number
 * stored, then a call within six instructions. */
static bool mips_spilled(struct lf *l, const cs_insn *in, uint64_t *nr)
{
	uint64_t v;
	if (l->isa != PST_ISA_MIPS)
		return false;
	if (strcmp(in->mnemonic, "sw") == 0 && pst_prefix(in->op_str, "$v0, ") &&
	    strstr(in->op_str, "($sp)") && pst_cst_reg(&l->k, "$v0", &v) && v >= 4000 &&
	    v < 4512) {
		l->spilled = v;
		l->spilled_age = 0;
		return false;
	}
	if (!l->spilled || ++l->spilled_age > 6)
		return false;
	if (!is_call(l, in->mnemonic) && strcmp(in->mnemonic, "jalr") != 0)
		return false;
	*nr = l->spilled;
	l->spilled = 0;
	return true;
}

static void syscall_site(struct lf *l, const cs_insn *in, bool spilled, uint64_t nr)
{
	const char *name;
	size_t i;
	if (!spilled && (!pst_cst_reg(&l->k, l->nrreg, &nr) || nr > 0xffff))
		return;
	name = pst_sysname_of(l->table, (long)nr);
	for (i = 0; name && i < sizeof(sys_kinds) / sizeof(sys_kinds[0]); i++)
		if (strcmp(sys_kinds[i].name, name) == 0)
			add_site(l, in->address, (int)sys_kinds[i].kind);
}

/* The instruction's first operand now holds the address of "/bin/sh" or
 * of "-c". */
static void refs(struct lf *l, const cs_insn *in)
{
	const char *o = in->op_str;
	char k[8];
	uint64_t v;
	size_t j;
	pst_cst_key(l->isa, o, strcspn(o, ","), k);
	if (!pst_cst_reg(&l->k, k, &v))
		return;
	for (j = 0; j < l->nsh; j++)
		if (v == l->sh[j])
			add_site(l, in->address, K_SH);
	for (j = 0; j < l->ndc; j++)
		if (v == l->dc[j])
			add_site(l, in->address, K_DASHC);
}

static void step(struct lf *l, const cs_insn *in)
{
	uint64_t t, nr = 0;
	long v;
	const char *s = strrchr(in->op_str, ' ');
	s = s ? s + 1 : in->op_str;
	if (is_call(l, in->mnemonic) && !strchr(in->op_str, '[') && pst_asm_imm(s, &v)) {
		t = (uint64_t)v;
		add_start(l, t);
	}
	if (is_syscall(l, in))
		syscall_site(l, in, false, 0);
	else if (mips_spilled(l, in, &nr))
		syscall_site(l, in, true, nr);
	byte_step(l, in);
	pst_cst_step(&l->k, in, false);
	if (l->gp)
		pst_cst_set(&l->k, "$gp", l->gp);
	if (l->nsh || l->ndc)
		refs(l, in);
}

/* Decodes one stretch of code from start to end. */
static void sweep_cb(void *ctx, const uint8_t *p, size_t len, uint64_t addr)
{
	struct lf *l = ctx;
	size_t unit = l->isa == PST_ISA_X64 || l->isa == PST_ISA_X86 ? 1 : 4;
	if (l->swept + len > PST_CAP_CMP_CODE)
		len = (size_t)(PST_CAP_CMP_CODE - l->swept);
	l->swept += len;
	pst_cst_reset(&l->k);
	while (len >= unit) {
		if (cs_disasm_iter(l->h, &p, &len, &addr, l->in)) {
			step(l, l->in);
			continue;
		}
		p += unit;
		len -= unit;
		addr += unit;
		pst_cst_reset(&l->k);
	}
}

/* ---- the strings, the GOT, the IFUNCs ---- */

/* Where the string s (with its NUL) sits in the file's read-only data. */
static size_t find_text(struct lf *l, const char *s, uint64_t *out)
{
	const struct pst_elf_sect *r = pst_elf_section(l->e, ".rodata");
	struct pst_view v;
	size_t n = 0, sl = strlen(s) + 1;
	int64_t at = 0;
	if (!r)
		return 0;
	v = pst_view_sub(l->e->v, r->off, r->size);
	while ((at = pst_view_find(v, (uint64_t)at, s, sl)) >= 0) {
		/* the whole string, not the tail of a longer one */
		if (at == 0 || v.p[at - 1] == 0) {
			if (n == PST_CAP_CMP_LIB_REFS) {
				l->cut |= PST_LF_CUT_REFS;
				break;
			}
			out[n++] = r->addr + (uint64_t)at;
		}
		at++;
	}
	return n;
}

static bool in_code(const struct pst_elf *e, uint64_t a)
{
	const uint8_t *p;
	size_t len;
	uint64_t base;
	return pst_elf_code_at(e, a, &p, &len, &base);
}

/* MIPS static PIC code calls through the GOT: its code addresses start
 * functions. */
static void got_starts(struct lf *l)
{
	const struct pst_elf_sect *g = pst_elf_section(l->e, ".got");
	uint64_t k;
	uint32_t w;
	for (k = 0; g && k + 4 <= g->size; k += 4) {
		if (k == PST_CAP_CMP_LIB_GOT) {
			l->cut |= PST_LF_CUT_GOT;
			break;
		}
		if (pst_view_u32e(l->e->v, g->off + k, l->e->big, &w) && in_code(l->e, w))
			add_start(l, w);
	}
}

/* x86-64: a resolver's `lea r, [rip + X]` targets, the implementations it
 * chooses from. */
static void resolver(struct lf *l, struct lf_ifunc *f, uint64_t a)
{
	const uint8_t *p;
	size_t len, n;
	uint64_t base;
	long off;
	if (!pst_elf_code_at(l->e, a, &p, &len, &base))
		return;
	p += a - base;
	len -= (size_t)(a - base);
	for (n = 0; n < PST_CAP_CMP_LIB_RESOLVER && cs_disasm_iter(l->h, &p, &len, &a, l->in);
	     n++) {
		const char *r = strstr(l->in->op_str, "[rip + ");
		if (strcmp(l->in->mnemonic, "lea") != 0 || !r || !pst_asm_imm(r + 7, &off))
			continue;
		if (f->n == PST_CAP_CMP_LIB_IMPLS) {
			l->cut |= PST_LF_CUT_IMPLS;
			break;
		}
		f->impl[f->n] = l->in->address + l->in->size + (uint64_t)off;
		add_start(l, f->impl[f->n++]);
	}
}

/* x86-64: the IRELATIVE relocations (R_X86_64_IRELATIVE, 37) of .rela.plt
 * or .rela.iplt: a slot and its resolver. */
static void ifuncs(struct lf *l)
{
	const struct pst_elf_sect *r = pst_elf_section(l->e, ".rela.plt");
	uint64_t k, slot, info, add;
	if (!r)
		r = pst_elf_section(l->e, ".rela.iplt");
	if (l->isa != PST_ISA_X64 || !r)
		return;
	for (k = 0; k + 24 <= r->size; k += 24) {
		if (!pst_view_le64(l->e->v, r->off + k, &slot) ||
		    !pst_view_le64(l->e->v, r->off + k + 8, &info) ||
		    !pst_view_le64(l->e->v, r->off + k + 16, &add) || (info & 0xffffffffu) != 37)
			continue;
		if (l->nifn == PST_CAP_CMP_LIB_IFUNCS) {
			l->cut |= PST_LF_CUT_IFUNCS;
			break;
		}
		l->ifn[l->nifn].slot = slot;
		l->ifn[l->nifn].n = 0;
		resolver(l, &l->ifn[l->nifn++], add);
	}
}

/* ---- sites to functions ---- */

static int by_entry(const void *a, const void *b)
{
	const struct pst_libfunc *x = a, *y = b;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* The function start at or before a (0: none near enough). */
static uint64_t entry_of(const struct lf *l, uint64_t a)
{
	size_t i = pst_u64_floor(l->starts, l->nstarts, a);
	return i != SIZE_MAX && a - l->starts[i] < PST_CAP_CMP_LIB_SPAN ? l->starts[i] : 0;
}

/* Past max (the caller's PST_CAP_CMP_TARGETS), l is cut (PST_LF_CUT_MAX). */
static size_t put(struct lf *l, struct pst_libfunc *out, size_t n, size_t max, uint64_t entry,
		  enum pst_lf kind)
{
	size_t i;
	if (!entry)
		return n;
	for (i = 0; i < n; i++)
		if (out[i].entry == entry && out[i].kind == kind)
			return n;
	if (n < max)
		out[n++] = (struct pst_libfunc){ entry, kind };
	else
		l->cut |= PST_LF_CUT_MAX;
	return n;
}

/* A function with a site of each kind a and b. */
static bool has_both(const struct lf *l, uint64_t entry, int a, int b)
{
	size_t i;
	bool x = false, y = false;
	for (i = 0; i < l->nsites; i++) {
		if (entry_of(l, l->sites[i].at) != entry)
			continue;
		x = x || l->sites[i].kind == a;
		y = y || l->sites[i].kind == b;
	}
	return x && y;
}

/* x86-64: the PLT stubs (`jmp [rip + X]`) of the IFUNCs one of whose
 * implementations is strcmp-like. */
static size_t ifunc_stubs(struct lf *l, struct pst_libfunc *out, size_t n, size_t max)
{
	const struct pst_elf_sect *s = pst_elf_section(l->e, ".plt");
	struct pst_view v;
	size_t off, i, j, k;
	if (!s || !l->nifn)
		return n;
	v = pst_view_sub(l->e->v, s->off, s->size);
	for (off = 0; off + 6 <= v.len; off++) {
		uint64_t slot;
		if (v.p[off] != 0xff || v.p[off + 1] != 0x25)
			continue;
		slot = s->addr + off + 6 + (uint64_t)(int64_t)(int32_t)pst_le32(v.p + off + 2);
		for (i = 0; i < l->nifn; i++)
			for (j = 0; l->ifn[i].slot == slot && j < l->ifn[i].n; j++)
				for (k = 0; k < n; k++)
					if (out[k].kind == PST_LF_STRCMP &&
					    out[k].entry == l->ifn[i].impl[j])
						n = put(l, out, n, max, s->addr + off,
							PST_LF_STRCMP);
	}
	return n;
}

/* Whether the function at f goes on to s within its first twelve instructions
 * (glibc's system(): `test rdi, rdi; je ...; jmp do_system`; on MIPS after
 * its PIC prologue). */
static bool thin_wrapper(const struct lf *l, uint64_t f, uint64_t s)
{
	const uint8_t *p;
	size_t len, n;
	uint64_t base, a = f;
	long t;
	if (!pst_elf_code_at(l->e, f, &p, &len, &base))
		return false;
	p += f - base;
	len -= (size_t)(f - base);
	for (n = 0; n < PST_CAP_CMP_LIB_THIN && cs_disasm_iter(l->h, &p, &len, &a, l->in); n++) {
		const char *m = l->in->mnemonic;
		if ((strcmp(m, "jmp") == 0 || strcmp(m, "b") == 0 || strcmp(m, "j") == 0 ||
		     is_call(l, m)) &&
		    pst_asm_imm(l->in->op_str, &t))
			return (uint64_t)t == s;
	}
	return false;
}

/* The callers' entry into a function is often a thin wrapper around it
 * (glibc's system() around do_system, MIPS's recvmsg alias around
 * __libc_recvmsg): calls from anywhere meet inside the wrapper, where a
 * match and a mismatch would reach the same instruction, and a call to the
 * wrapper would not be seen. The wrappers count as what they wrap. */
static size_t wrappers(struct lf *l, struct pst_libfunc *out, size_t n, size_t max)
{
	size_t i, j, n0 = n;
	for (i = 0; i < n0; i++)
		for (j = 0; j < l->nstarts; j++)
			if (l->starts[j] != out[i].entry &&
			    l->starts[j] + PST_CAP_CMP_LIB_SPAN > out[i].entry &&
			    l->starts[j] < out[i].entry + PST_CAP_CMP_LIB_SPAN &&
			    thin_wrapper(l, l->starts[j], out[i].entry))
				n = put(l, out, n, max, l->starts[j], out[i].kind);
	return n;
}

static size_t collect(struct lf *l, struct pst_libfunc *out, size_t max)
{
	size_t i, n = 0;
	for (i = 0; i < l->nsites; i++) {
		const struct lf_site *s = &l->sites[i];
		uint64_t en = entry_of(l, s->at);
		if (s->kind < K_SH)
			n = put(l, out, n, max, en, (enum pst_lf)s->kind);
		else if (s->kind == K_DIFF)
			n = put(l, out, n, max, en, PST_LF_STRCMP);
		else if (s->kind == K_SH && has_both(l, en, K_SH, K_DASHC))
			n = put(l, out, n, max, en, PST_LF_SHELL);
	}
	n = wrappers(l, out, n, max);
	return ifunc_stubs(l, out, n, max);
}

static const struct pst_sysname *table_of(const struct pst_elf *e, enum pst_isa isa,
					  const char **reg)
{
	switch (isa) {
	case PST_ISA_X64: *reg = "ax"; return pst_sys_x86_64;
	case PST_ISA_X86: *reg = "ax"; return pst_sys_i386;
	case PST_ISA_ARM: *reg = "r7"; return pst_sys_arm_eabi;
	case PST_ISA_A64: *reg = "x8"; return pst_sys_aarch64;
	case PST_ISA_MIPS:
		*reg = "$v0";
		return e->is64 || (e->eflags & 0x20) ? NULL : pst_sys_mips_o32;
	default: return NULL;
	}
}

size_t pst_libfuncs_find(const struct pst_elf *e, struct pst_libfunc *out, size_t max,
			 unsigned *cut)
{
	struct lf *l = pst_calloc(1, sizeof(*l));
	int ca, mode;
	size_t n = 0;
	*cut = 0;
	if (!l)
		return 0;
	l->e = e;
	l->isa = pst_elf_isa(e);
	l->table = table_of(e, l->isa, &l->nrreg);
	l->starts = pst_calloc(PST_CAP_CMP_LIB_STARTS, sizeof(*l->starts));
	l->sites = pst_calloc(PST_CAP_CMP_LIB_SITES, sizeof(*l->sites));
	l->ifn = pst_calloc(PST_CAP_CMP_LIB_IFUNCS, sizeof(*l->ifn));
	if (!l->table || !l->starts || !l->sites || !l->ifn || !pst_elf_capstone(e, &ca, &mode) ||
	    cs_open((cs_arch)ca, (cs_mode)mode, &l->h) != CS_ERR_OK)
		goto out;
	l->in = cs_malloc(l->h);
	if (l->in) {
		pst_cst_init(&l->k, e);
		l->k.addrs = true;
		l->nsh = find_text(l, "/bin/sh", l->sh);
		l->ndc = find_text(l, "-c", l->dc);
		if (l->isa == PST_ISA_MIPS)
			got_starts(l);
		if (l->isa == PST_ISA_MIPS && pst_elf_section(e, ".got"))
			l->gp = pst_elf_section(e, ".got")->addr + 0x7ff0;
		ifuncs(l);
		pst_elf_code(e, PST_CAP_CMP_CODE, sweep_cb, l);
		l->nstarts = pst_u64_uniq(l->starts, l->nstarts);
		n = collect(l, out, max);
		qsort(out, n, sizeof(*out), by_entry);
	}
	cs_free(l->in, 1);
	cs_close(&l->h);
out:
	free(l->starts);
	free(l->sites);
	free(l->ifn);
	*cut = l->cut;
	free(l);
	return n;
}
