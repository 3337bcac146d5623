/*
 * sockets.c - what a binary asks socket() for: the constants in the
 * argument registers just before each call, so that a raw ICMP socket
 * (AF_INET, SOCK_RAW, IPPROTO_ICMP), a raw IP socket or a link-layer packet
 * socket is told apart from an ordinary TCP connection.
 *
 * Where socket() is:
 *   - inline: a socket system call instruction (syscalls.c records them);
 *     the arguments are in the syscall's registers right there;
 *   - a static binary's wrapper: the function that contains such a site;
 *     its entry is the nearest direct-call target at most PST_CAP_SOCK_ENTRY bytes
 *     before the site, and its callers are the direct calls to it (MIPS:
 *     also `lw t9, off(gp); jalr t9` through the GOT, n64 `ld t9`);
 *   - a dynamic binary's import: the PLT stub that jumps through socket's
 *     GOT slot (x86-64 `jmp [rip+X]`, also `call [rip+X]` without PLT; i386
 *     `jmp [ebx+X]` (ebx: .got.plt, or .got linked -z now) or `jmp [X]`;
 *     ARM `add ip, pc ...; ldr pc, [ip, #X]!`;
 *     AArch64 `adrp x16, P; ldr x17, [x16, #X]`, MIPS non-PIC
 *     `lui t7, %hi(X); lw t9, %lo(X)(t7)`), or on MIPS the GOT slot of the
 *     global symbol loaded into t9. Without section headers (OpenWrt's
 *     sstrip) the symbols, relocations and stubs come from the dynamic
 *     segment and all the code.
 * The same machinery finds the calls to bind() and to recv/recvfrom/read
 * for netconst.c, which reads the port stored before a bind and the magic
 * compared after a receive (pst_netconst_find), and the calls to dup2/dup3
 * whose new descriptor is a constant 0, 1 or 2 (pst_stdio_dup_find: a
 * socket made a shell's stdin, unlike static libc's posix_spawn).
 * Arguments per ABI: x86-64 edi/esi/edx, i386 the three words pushed (or
 * stored at [esp]), ARM r0-r2, AArch64 w0-w2, MIPS a0-a2 (including the
 * call's delay slot), PowerPC r3-r5. Constants only: mov/li/movz of an
 * immediate or a zeroing idiom within WINDOW instructions. MIPS numbers
 * SOCK_DGRAM 1 and SOCK_STREAM 2 the other way round: types are reported in
 * the generic numbering.
 * ARM code may be Thumb (armhf builds, -mthumb), and the two mix: calls are
 * also looked for as Thumb BL/BLX at every halfword, and the window before a
 * Thumb call (or a system call found decoding Thumb) is decoded in Thumb
 * mode.
 * Arguments the three registers do not hold as constants are taken from
 * netconst.c's general tracker (a copy of a callee-saved register, ARM
 * movw+movt). PowerPC's imports: the secure-PLT call stubs in .text (PIC
 * through r30, found from the bcl/mflr/addis/addi that computes it, and
 * non-PIC lis/lwz); 32-bit PowerPC's and AArch64's bind() ports and
 * received magics too.
 * 64-bit PowerPC: static programs (their system call wrappers) are read with
 * netconst.c's PowerPC steps; dynamic ones' imports through the PLT call
 * stubs the linker puts in .text, which load the slot relative to the TOC
 * pointer r2 (ppc64_stubs: ELFv1 and ELFv2).
 * Not done: arguments computed or loaded from memory.
 */
#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>
#include "netconst.h"

#define WINDOW 32
#define FORWARD 32          /* instructions read after a receive for a compare */

/* What a call target is: socket() (its arguments are read), bind() (the
 * sockaddr stored before it) or a receive (the compares after it). */
enum { K_SOCKET, K_BIND, K_RECV, K_DUP };


struct track {
	long arg[3];
	bool known[3];
	long push[8];           /* i386: words pushed, last at push[npush - 1] */
	bool push_known[8];
	size_t npush;
	long t9;                /* MIPS: t9's value, -1 unknown */
};

struct finder {
	const struct pst_elf *e;
	enum pst_isa arch;
	csh h;
	csh ht;                    /* ARM: a second handle in Thumb mode, or 0 */
	cs_insn *in, *int_;        /* int_: the Thumb handle's instruction */
	bool thumb_calls;          /* ARM: also look for Thumb-2 calls (ht is open) */
	uint64_t entries[PST_CAP_SOCK_ENTRIES];
	int entry_kind[PST_CAP_SOCK_ENTRIES];
	size_t nentries;
	uint64_t slots[PST_CAP_SOCK_SLOTS]; /* the targets' GOT slots (dynamic) */
	int slot_kind[PST_CAP_SOCK_SLOTS];
	size_t nslots;
	int kind;                  /* of the slots being added */
	struct pst_cst *cst;       /* netconst: stepped with the arguments */
	struct pst_netconst *net;
	uint64_t gp;               /* MIPS: .got + 0x7ff0, 0 when unknown */
	bool is_static;
	bool full;                 /* an entry or slot was left out: no room */
	bool code_cut;             /* code past PST_CAP_SOCK_CODE was not swept */
	const struct pst_sysres *sys;
	struct pst_sockcall *out;
	size_t n, max;
	size_t unread;             /* socket() calls whose domain is unknown, or not kept */
	size_t ndup;               /* dup2/dup3 calls read */
	bool stdio_dup;            /* one of them with a constant target 0, 1 or 2 */
	int pass;                  /* 0: find wrapper entries, 1: read calls */
	const uint64_t *sites;     /* system call sites whose wrappers are wanted */
	int site_kind[16];
	size_t nsites;
	uint64_t cand[16];         /* pass 0: per site, best entry */
};

/* ---- the argument registers ---- */

static void reset(struct track *t)
{
	memset(t, 0, sizeof(*t));
	t->t9 = -1;
}

static int arg_of(const struct finder *f, const char *o)
{
	static const char *const x64[3][4] = { { "edi, ", "rdi, ", "dil, ", "di, " },
					       { "esi, ", "rsi, ", "sil, ", "si, " },
					       { "edx, ", "rdx, ", "dl, ", "dx, " } };
	static const char *const risc[][3] = {
		{ "r0, ", "r1, ", "r2, " },     /* ARM */
		{ "w0, ", "w1, ", "w2, " },     /* AArch64 */
		{ "$a0, ", "$a1, ", "$a2, " },  /* MIPS */
		{ "r3, ", "r4, ", "r5, " },     /* PowerPC */
	};
	int i, k;
	if (f->arch == PST_ISA_X64) {
		for (i = 0; i < 3; i++)
			for (k = 0; k < 4; k++)
				if (pst_prefix(o, x64[i][k]))
					return i;
		return -1;
	}
	if (f->arch == PST_ISA_X86)
		return -1;
	k = f->arch == PST_ISA_ARM ? 0 : f->arch == PST_ISA_A64 ? 1 : f->arch == PST_ISA_MIPS ? 2 : 3;
	for (i = 0; i < 3; i++)
		if (pst_prefix(o, risc[k][i]) ||
		    (f->arch == PST_ISA_A64 && o[0] == 'x' && o[1] == (char)('0' + i) && o[2] == ','))
			return i;
	return -1;
}

/* The argument register s names exactly ("r1", "$a1", "esi"), or -1. */
static int arg_is(const struct finder *f, const char *s)
{
	char buf[16];
	size_t l = strlen(s);
	if (l == 0 || l > 8)
		return -1;
	memcpy(buf, s, l);
	memcpy(buf + l, ", ", 3);
	return arg_of(f, buf);
}

static void set_arg(struct track *t, int i, bool known, long v)
{
	t->known[i] = known;
	t->arg[i] = v;
}

/* A read-only use of the first operand (compare, store, test). */
static bool no_write(const struct finder *f, const char *m, const char *o)
{
	if (pst_prefix(m, "cmp") || pst_prefix(m, "tst") || pst_prefix(m, "test") || pst_prefix(m, "cmn"))
		return true;
	switch (f->arch) {
	case PST_ISA_ARM:
	case PST_ISA_A64:
		return pst_prefix(m, "str") || pst_prefix(m, "stp") || pst_prefix(m, "cb") || pst_prefix(m, "tb");
	case PST_ISA_MIPS:
		return (m[0] == 's' && strchr(o, '(')) || m[0] == 'b' || pst_prefix(m, "teq");
	case PST_ISA_PPC:
		return pst_prefix(m, "st");
	default:
		return false;
	}
}

static bool is_jump(const struct finder *f, const char *m)
{
	switch (f->arch) {
	case PST_ISA_X64:
	case PST_ISA_X86:
		return strcmp(m, "call") == 0 || strcmp(m, "jmp") == 0 || strcmp(m, "ret") == 0;
	case PST_ISA_ARM:
		return strcmp(m, "b") == 0 || strcmp(m, "bl") == 0 || strcmp(m, "bx") == 0 ||
		       strcmp(m, "blx") == 0;
	case PST_ISA_A64:
		return strcmp(m, "b") == 0 || strcmp(m, "bl") == 0 || strcmp(m, "br") == 0 ||
		       strcmp(m, "blr") == 0 || strcmp(m, "ret") == 0;
	case PST_ISA_MIPS:
		return strcmp(m, "jr") == 0 || strcmp(m, "jalr") == 0 || strcmp(m, "jal") == 0 ||
		       strcmp(m, "b") == 0 || strcmp(m, "j") == 0 || strcmp(m, "bal") == 0;
	case PST_ISA_PPC:
		return strcmp(m, "b") == 0 || strcmp(m, "bl") == 0 || strcmp(m, "blr") == 0 ||
		       strcmp(m, "bctr") == 0 || strcmp(m, "bctrl") == 0;
	}
	return false;
}

static void step_x86(struct track *t, const char *m, const char *o)
{
	long v;
	if (strcmp(m, "push") == 0) {
		bool k = pst_asm_imm(o, &v);
		if (t->npush == 8) {
			memmove(t->push, t->push + 1, 7 * sizeof(t->push[0]));
			memmove(t->push_known, t->push_known + 1, 7);
			t->npush = 7;
		}
		t->push[t->npush] = k ? v : 0;
		t->push_known[t->npush++] = k;
	} else if (strcmp(m, "mov") == 0 && pst_prefix(o, "dword ptr [esp")) {
		const char *c = strstr(o, "], ");
		long slot = 0;
		if (!c)
			return;
		if (o[14] == ' ' && o[15] == '+' && !pst_asm_imm(o + 16, &slot))
			return;
		if (slot >= 0 && slot <= 8 && slot % 4 == 0)
			set_arg(t, (int)(slot / 4), pst_asm_imm(c + 3, &v), v);
	} else if ((strcmp(m, "add") == 0 || strcmp(m, "sub") == 0) && pst_prefix(o, "esp, ")) {
		t->npush = 0;
	}
}

static void step(const struct finder *f, struct track *t, const cs_insn *in)
{
	const char *m = in->mnemonic, *o = in->op_str;
	int a;
	long v;
	if (f->arch == PST_ISA_X86) {
		step_x86(t, m, o);
		if (strcmp(m, "call") == 0 || strcmp(m, "jmp") == 0 || strcmp(m, "ret") == 0)
			reset(t);
		return;
	}
	/* n64 loads the 8-byte slot with ld */
	if (f->arch == PST_ISA_MIPS && (strcmp(m, "lw") == 0 || strcmp(m, "ld") == 0) &&
	    pst_prefix(o, "$t9, ") && f->gp) {
		const char *p = strstr(o, "($gp)");
		uint64_t off, val64;
		uint32_t val;
		char *end;
		v = strtol(o + 5, &end, 0);
		if (p && end == p) {
			uint64_t slot = f->gp + (uint64_t)v;
			t->t9 = (long)slot; /* the slot; resolved against entries later */
			off = pst_elf_vaddr_off(f->e, slot);
			if (f->is_static && off != UINT64_MAX && m[1] == 'w' &&
			    pst_view_u32e(f->e->v, off, f->e->big, &val))
				t->t9 = (long)val;
			else if (f->is_static && off != UINT64_MAX && m[1] == 'd' &&
				 pst_view_u64e(f->e->v, off, f->e->big, &val64))
				t->t9 = (long)val64;
			return;
		}
	}
	if (is_jump(f, m)) {
		reset(t);
		return;
	}
	a = arg_of(f, o);
	if (a < 0 || no_write(f, m, o))
		return;
	o = strchr(o, ',') + 2;
	if ((strcmp(m, "mov") == 0 || strcmp(m, "movs") == 0 || strcmp(m, "movw") == 0 ||
	     strcmp(m, "mov.w") == 0 || strcmp(m, "movz") == 0 || strcmp(m, "li") == 0) &&
	    pst_asm_imm(o, &v))
		set_arg(t, a, true, v);
	else if (strcmp(m, "mvn") == 0 && pst_asm_imm(o, &v))
		set_arg(t, a, true, ~v);
	else if ((strcmp(m, "mov") == 0 || strcmp(m, "move") == 0 || strcmp(m, "mr") == 0) &&
		 arg_is(f, o) >= 0 && t->known[arg_is(f, o)])
		set_arg(t, a, true, t->arg[arg_is(f, o)]); /* copied from another argument */
	else if (f->arch == PST_ISA_X64 && strcmp(m, "xor") == 0 &&
		 strlen(o) == (size_t)(strchr(in->op_str, ',') - in->op_str) &&
		 strncmp(o, in->op_str, strlen(o)) == 0)
		set_arg(t, a, true, 0);
	else if (f->arch == PST_ISA_MIPS &&
		 (strcmp(m, "addiu") == 0 || strcmp(m, "daddiu") == 0 || strcmp(m, "ori") == 0) &&
		 pst_prefix(o, "$zero, ") && pst_asm_imm(o + 7, &v))
		set_arg(t, a, true, v);
	else if ((f->arch == PST_ISA_MIPS && strcmp(m, "move") == 0 && strcmp(o, "$zero") == 0) ||
		 (f->arch == PST_ISA_A64 && strcmp(m, "mov") == 0 && (strcmp(o, "wzr") == 0 ||
								 strcmp(o, "xzr") == 0)))
		set_arg(t, a, true, 0);
	else
		set_arg(t, a, false, 0);
}

/* ---- recording ---- */

/* Argument i at the call: from the argument tracker, else from the
 * general constant tracker (a value copied from another register,
 * `movw`+`movt`); -1 when unknown. */
static long arg_value(const struct finder *f, const struct track *t, int i)
{
	static const char *const regs[][3] = {
		{ "di", "si", "dx" },          /* x86-64, as netconst.c keys them */
		{ "r0", "r1", "r2" },          /* ARM */
		{ "$a0", "$a1", "$a2" },       /* MIPS */
		{ "r3", "r4", "r5" },          /* PowerPC */
		{ "x0", "x1", "x2" },          /* AArch64 (w0 and x0 are one key) */
	};
	int k = f->arch == PST_ISA_X64 ? 0 : f->arch == PST_ISA_ARM ? 1 :
		f->arch == PST_ISA_MIPS ? 2 : f->arch == PST_ISA_PPC ? 3 :
		f->arch == PST_ISA_A64 ? 4 : -1;
	uint64_t v;
	if (t->known[i])
		return t->arg[i];
	if (k < 0 || !f->cst || !pst_cst_reg(f->cst, regs[k][i], &v) || v > 0xffffffffu)
		return -1;
	return (long)v;
}

static void record(struct finder *f, const struct track *t)
{
	struct pst_sockcall c;
	size_t i;
	long d = -1, ty = -1, p = -1;
	if (f->arch == PST_ISA_X86 && t->npush >= 1) {
		d = t->push_known[t->npush - 1] ? t->push[t->npush - 1] : -1;
		if (t->npush >= 2 && t->push_known[t->npush - 2])
			ty = t->push[t->npush - 2];
		if (t->npush >= 3 && t->push_known[t->npush - 3])
			p = t->push[t->npush - 3];
	} else {
		d = arg_value(f, t, 0);
		ty = arg_value(f, t, 1);
		p = arg_value(f, t, 2);
	}
	if (d < 0 || d > 64) {
		f->unread++; /* the domain decides everything: unknown, nothing to say */
		return;
	}
	if (ty >= 0) {
		ty &= 0xf; /* SOCK_NONBLOCK, SOCK_CLOEXEC */
		if (f->arch == PST_ISA_MIPS && (ty == 1 || ty == 2))
			ty = 3 - ty; /* MIPS: DGRAM 1, STREAM 2 */
	}
	c.domain = (int)d;
	c.type = (int)ty;
	c.proto = p >= 0 && p <= 0xffff ? (int)p : -1;
	for (i = 0; i < f->n; i++)
		if (f->out[i].domain == c.domain && f->out[i].type == c.type &&
		    f->out[i].proto == c.proto)
			return;
	if (f->n < f->max)
		f->out[f->n++] = c;
	else
		f->unread++;
}

/* ---- decoding the window before an instruction ---- */

/* The code section holding addr: its bytes and start address. */
bool pst_elf_code_at(const struct pst_elf *e, uint64_t addr, const uint8_t **p, size_t *len,
		     uint64_t *base)
{
	size_t i;
	for (i = 0; i < e->nsects; i++) {
		const struct pst_elf_sect *s = &e->sects[i];
		struct pst_view v;
		if (s->type != PST_SHT_PROGBITS || !(s->flags & PST_SHF_EXECINSTR) ||
		    addr < s->addr || addr - s->addr >= s->size)
			continue;
		v = pst_view_sub(e->v, s->off, s->size);
		*p = v.p;
		*len = v.len;
		*base = s->addr;
		return v.len > addr - s->addr;
	}
	return false;
}

/* Steps through the instructions before the one at site (and, on MIPS, the
 * delay slot after it); false when decoding never lands on site. */
static bool window(struct finder *f, const uint8_t *code, size_t len, uint64_t base, size_t site,
		   bool thumb, struct track *t)
{
	size_t back = f->arch == PST_ISA_X86 ? WINDOW * 6 : WINDOW * 4, from, tries;
	/* variable length: decoding must find its way onto site from some
	 * start (x86: any byte; Thumb: any halfword) */
	bool var = f->arch == PST_ISA_X64 || f->arch == PST_ISA_X86 || thumb;
	size_t unit = thumb ? 2 : 1;
	csh h = thumb ? f->ht : f->h;
	cs_insn *in = thumb ? f->int_ : f->in;
	if (!in)
		return false; /* no Thumb handle */
	from = site > back ? site - back : 0;
	from -= from % unit;
	for (tries = 0; tries < (var ? 8u : 1u) && from + tries * unit <= site; tries++) {
		const uint8_t *p = code + from + tries * unit;
		size_t left = len - from - tries * unit;
		uint64_t a = base + from + tries * unit;
		reset(t);
		if (f->cst)
			pst_cst_reset(f->cst);
		while (left > 0 && a < base + site) {
			if (!cs_disasm_iter(h, &p, &left, &a, in)) {
				/* undecodable: x86 gives up on this start; fixed
				 * width (and Thumb, whose window may begin in ARM
				 * code or data) steps over one unit */
				size_t skip = thumb ? 2 : 4;
				if ((var && !thumb) || left < skip)
					break;
				p += skip;
				left -= skip;
				a += skip;
				reset(t);
				if (f->cst)
					pst_cst_reset(f->cst);
				continue;
			}
			step(f, t, in);
			if (f->cst)
				pst_cst_step(f->cst, in, thumb);
		}
		if (a != base + site)
			continue;
		if (f->arch == PST_ISA_MIPS && site + 8 <= len) {
			/* the call itself, then its delay slot */
			if (cs_disasm_iter(f->h, &p, &left, &a, f->in) &&
			    cs_disasm_iter(f->h, &p, &left, &a, f->in) && !is_jump(f, f->in->mnemonic)) {
				long t9 = t->t9;
				step(f, t, f->in);
				t->t9 = t9;
				if (f->cst)
					pst_cst_step(f->cst, f->in, false);
			}
		}
		return true;
	}
	return false;
}

/* ---- call sites ---- */

/* The kind of the function entered at target, or -1. */
static int entry_kind(const struct finder *f, uint64_t target)
{
	size_t i;
	for (i = 0; i < f->nentries; i++)
		if (f->entries[i] == target)
			return f->entry_kind[i];
	return -1;
}

static bool is_entry(const struct finder *f, uint64_t target)
{
	return entry_kind(f, target) >= 0;
}

static void add_entry(struct finder *f, uint64_t target, int kind)
{
	if (f->nentries >= PST_CAP_SOCK_ENTRIES) {
		f->full = true;
		return;
	}
	f->entry_kind[f->nentries] = kind;
	f->entries[f->nentries++] = target;
}

static void hit(struct finder *f, int kind, const uint8_t *code, size_t len, uint64_t base,
		size_t off, bool thumb);

/* A call to target at code[off]: pass 0 notes wrapper entries, pass 1 reads
 * the arguments of calls to them. */
static void call_site(struct finder *f, const uint8_t *code, size_t len, uint64_t base,
		      size_t off, uint64_t target, bool thumb)
{
	size_t i;
	if (f->pass == 0) {
		for (i = 0; i < f->nsites && i < 16; i++) {
			uint64_t s = f->sites[i];
			if (target <= s && s - target <= PST_CAP_SOCK_ENTRY && target > f->cand[i])
				f->cand[i] = target;
		}
		return;
	}
	if (is_entry(f, target))
		hit(f, entry_kind(f, target), code, len, base, off, thumb);
}

static int64_t sext(uint64_t v, unsigned bits)
{
	uint64_t m = (uint64_t)1 << (bits - 1);
	return (int64_t)((v ^ m) - m);
}

/* MIPS: is one of the 16 words before a jalr t9 a `lw t9, X(gp)` (n64: ld) that
 * loads socket's GOT slot (or, static, a wrapper's address)? Checked on the
 * encodings before anything is decoded. */
static bool mips_t9_wanted(const struct finder *f, const uint8_t *code, size_t off)
{
	size_t k;
	if (!f->gp)
		return false;
	for (k = 1; k <= WINDOW && k * 4 <= off; k++) {
		uint32_t x = pst_u32e(code + off - 4 * k, f->e->big);
		uint64_t slot, fo;
		uint32_t val;
		size_t i;
		if ((x & 0xffff0000u) != 0x8f990000u && (x & 0xffff0000u) != 0xdf990000u)
			continue; /* lw, or n64's ld */
		slot = f->gp + (uint64_t)sext(x & 0xffff, 16);
		for (i = 0; i < f->nslots; i++)
			if (f->slots[i] == slot)
				return true;
		fo = pst_elf_vaddr_off(f->e, slot);
		return f->is_static && fo != UINT64_MAX &&
		       pst_view_u32e(f->e->v, fo, f->e->big, &val) && is_entry(f, val);
	}
	return false;
}

/* ARM's "beq", "bgt.w"...: b, a condition, maybe a width; "cbz", "cbnz". */
static bool arm_cond_branch(const char *m)
{
	char cc[3];
	if (pst_prefix(m, "cb"))
		return true;
	if (m[0] != 'b' || strlen(m) < 3 || (m[3] != 0 && m[3] != '.'))
		return false;
	cc[0] = m[1];
	cc[1] = m[2];
	cc[2] = 0;
	return pst_arm_cond(cc);
}

/* A conditional branch's target, read from its last operand ("jg 0x401700",
 * "beqz $v1, 0x400838", "bgt #0x10648", "b.gt 0x4006a0"); 0 when m is no
 * conditional branch or the target is not a plain address. PowerPC's are
 * not read. */
static uint64_t cond_target(const struct finder *f, const char *m, const char *o)
{
	const char *t = strrchr(o, ' ');
	bool cond;
	switch (f->arch) {
	case PST_ISA_X64:
	case PST_ISA_X86:
		cond = m[0] == 'j' && strcmp(m, "jmp") != 0;
		break;
	case PST_ISA_MIPS:
		cond = m[0] == 'b' && !is_jump(f, m) && strcmp(m, "break") != 0;
		break;
	case PST_ISA_ARM:
		cond = arm_cond_branch(m);
		break;
	case PST_ISA_A64:
		cond = pst_prefix(m, "b.") || pst_prefix(m, "cb") || pst_prefix(m, "tb");
		break;
	default:
		cond = false;
	}
	t = t ? t + 1 : o;
	if (*t == '#')
		t++;
	return cond && pst_prefix(t, "0x") ? strtoull(t, NULL, 16) : 0;
}

/* The first conditional branch forward after a receive (the check that
 * enough bytes came, whose other side returns early) and the tracker as it
 * was there; on MIPS as it was after the branch's delay slot. */
struct fwd_branch {
	uint64_t to;
	bool taken;         /* to is set: a branch was seen */
	bool snap_next;     /* MIPS: snapshot after the next instruction */
	struct pst_cst cst;
};

/* Steps from code[off] up to FORWARD instructions, up to the next call or
 * jump (not counting the first instruction after a call: MIPS's delay
 * slot), until a magic is compared; remembers the first forward conditional
 * branch into code[0..len) in br. */
static void walk(struct finder *f, const uint8_t *code, size_t len, uint64_t base, size_t off,
		 bool thumb, bool after_call, struct fwd_branch *br)
{
	csh h = thumb ? f->ht : f->h;
	cs_insn *in = thumb ? f->int_ : f->in;
	const uint8_t *p = code + off;
	size_t left = len - off, n;
	uint64_t a = base + off, to;
	for (n = 0; n < FORWARD && cs_disasm_iter(h, &p, &left, &a, in); n++) {
		if ((n > 0 || !after_call) && is_jump(f, in->mnemonic))
			break; /* n == 0: MIPS's delay slot, or a call already stepped */
		pst_cst_step(f->cst, in, thumb);
		if (f->cst->have_magic)
			break;
		if (br->snap_next) {
			br->cst = *f->cst;
			br->snap_next = false;
		}
		to = br->taken ? 0 : cond_target(f, in->mnemonic, in->op_str);
		if (to > in->address && to >= base && to - base < len) {
			br->taken = true;
			br->to = to;
			br->snap_next = f->arch == PST_ISA_MIPS;
			if (!br->snap_next)
				br->cst = *f->cst;
		}
	}
}

/* Steps the instructions after the call at code[off] (falling through
 * conditional branches, up to the next call or jump) looking for a compare
 * of received bytes with a magic; when none comes, again from the first
 * conditional branch's target: gcc lays out `if (n < sizeof(hdr)) return;`
 * with the return on the fall-through path and the compare after it. */
static void forward(struct finder *f, const uint8_t *code, size_t len, uint64_t base, size_t off,
		    bool thumb)
{
	cs_insn *in = thumb ? f->int_ : f->in;
	const uint8_t *p = code + off;
	size_t left = len - off;
	uint64_t a = base + off;
	struct fwd_branch br;
	if (!in || !cs_disasm_iter(thumb ? f->ht : f->h, &p, &left, &a, in))
		return; /* the call itself */
	memset(&br, 0, sizeof(br));
	pst_cst_reset(f->cst);
	walk(f, code, len, base, (size_t)(p - code), thumb, true, &br);
	if (!f->cst->have_magic && br.taken && !br.snap_next) {
		*f->cst = br.cst;
		walk(f, code, len, base, (size_t)(br.to - base), thumb, false, &br);
	}
	if (f->cst->have_magic && f->net->nmagics < PST_CAP_NET_CONSTS) {
		size_t i;
		for (i = 0; i < f->net->nmagics; i++)
			if (f->net->magics[i] == f->cst->magic)
				return;
		f->net->magic_at[f->net->nmagics] = f->cst->magic_at;
		f->net->magics[f->net->nmagics++] = f->cst->magic;
	}
}

/* A call to a function of the given kind at code[off]. */
static void hit(struct finder *f, int kind, const uint8_t *code, size_t len, uint64_t base,
		size_t off, bool thumb)
{
	struct track t;
	uint16_t port;
	size_t i;
	if (kind == K_SOCKET) {
		if (window(f, code, len, base, off, thumb, &t))
			record(f, &t);
		return;
	}
	if (kind == K_DUP) {
		long fd;
		if (!window(f, code, len, base, off, thumb, &t))
			return;
		f->ndup++;
		fd = f->arch == PST_ISA_X86 ? (t.npush >= 2 && t.push_known[t.npush - 2] ?
					       t.push[t.npush - 2] : -1) : arg_value(f, &t, 1);
		f->stdio_dup = f->stdio_dup || (fd >= 0 && fd <= 2);
		return;
	}
	if (!f->cst || !code)
		return;
	if (kind == K_RECV) {
		forward(f, code, len, base, off, thumb);
		return;
	}
	if (!window(f, code, len, base, off, thumb, &t) || !pst_cst_port(f->cst, &port))
		return;
	for (i = 0; i < f->net->nports; i++)
		if (f->net->ports[i] == port)
			return;
	if (f->net->nports < PST_CAP_NET_CONSTS)
		f->net->ports[f->net->nports++] = port;
}

/* Thumb-2 BL and BLX (32-bit, two halfwords) at every halfword: BL stays
 * in Thumb at PC + imm, BLX goes to ARM code (a PLT stub) at the word-aligned
 * PC + imm; PC is the call's address + 4. */
bool pst_thumb_call(const uint8_t *p, bool big, uint64_t a, uint64_t *target, bool *blx)
{
	uint16_t h1 = big ? pst_be16(p) : pst_le16(p), h2 = big ? pst_be16(p + 2) : pst_le16(p + 2);
	uint64_t pc = a + 4;
	uint32_t sbit, i1, i2;
	int64_t imm;
	if ((h1 & 0xf800u) != 0xf000u || (h2 & 0xc000u) != 0xc000u || (!(h2 & 0x1000u) && (h2 & 1)))
		return false;
	sbit = h1 >> 10 & 1;
	i1 = ~((uint32_t)(h2 >> 13 & 1) ^ sbit) & 1;
	i2 = ~((uint32_t)(h2 >> 11 & 1) ^ sbit) & 1;
	imm = sext((uint64_t)(sbit << 24 | i1 << 23 | i2 << 22 | (uint32_t)(h1 & 0x3ff) << 12 |
			      (uint32_t)(h2 & 0x7ff) << 1), 25);
	*blx = !(h2 & 0x1000u);
	*target = (*blx ? pc & ~(uint64_t)3 : pc) + (uint64_t)imm;
	return true;
}

static void thumb_calls(struct finder *f, const uint8_t *code, size_t len, uint64_t base)
{
	size_t off;
	uint64_t t;
	bool blx;
	for (off = 0; off + 4 <= len; off += 2)
		if (pst_thumb_call(code + off, f->e->big, base + off, &t, &blx))
			call_site(f, code, len, base, off, t, true);
}

static void scan_calls(void *ctx, const uint8_t *code, size_t len, uint64_t base)
{
	struct finder *f = ctx;
	size_t off;
	if (f->arch == PST_ISA_X64 || f->arch == PST_ISA_X86) {
		for (off = 0; off + 6 <= len; off++) {
			uint64_t a = base + off;
			if (code[off] == 0xe8) {
				int32_t rel = (int32_t)pst_le32(code + off + 1);
				call_site(f, code, len, base, off, a + 5 + (uint64_t)(int64_t)rel, false);
			} else if (f->pass == 1 && f->arch == PST_ISA_X64 && code[off] == 0xff &&
				   code[off + 1] == 0x15) {
				/* call [rip + X] (no PLT): X is socket's GOT slot */
				int32_t rel = (int32_t)pst_le32(code + off + 2);
				uint64_t slot = a + 6 + (uint64_t)(int64_t)rel;
				size_t k;
				for (k = 0; k < f->nslots; k++)
					if (f->slots[k] == slot)
						hit(f, f->slot_kind[k], code, len, base, off, false);
			}
		}
		return;
	}
	if (f->arch == PST_ISA_ARM && f->thumb_calls)
		thumb_calls(f, code, len, base);
	for (off = 0; off + 4 <= len; off += 4) {
		uint64_t a = base + off;
		uint32_t x = f->arch == PST_ISA_A64 ? pst_le32(code + off) : pst_u32e(code + off, f->e->big);
		switch (f->arch) {
		case PST_ISA_ARM:
			if ((x & 0x0f000000u) == 0x0b000000u && (x >> 28) != 0xf)
				call_site(f, code, len, base, off,
					  a + 8 + (uint64_t)(sext(x & 0xffffff, 24) * 4), false);
			break;
		case PST_ISA_A64:
			if ((x & 0xfc000000u) == 0x94000000u)
				call_site(f, code, len, base, off,
					  a + (uint64_t)(sext(x & 0x3ffffff, 26) * 4), false);
			break;
		case PST_ISA_PPC:
			if ((x & 0xfc000003u) == 0x48000001u)
				call_site(f, code, len, base, off,
					  a + (uint64_t)sext(x & 0x03fffffc, 26), false);
			break;
		case PST_ISA_MIPS:
			if ((x >> 26) == 3)
				call_site(f, code, len, base, off,
					  ((a + 4) & 0xf0000000u) | (uint64_t)(x & 0x3ffffff) << 2, false);
			else if ((x & 0xffff0000u) == 0x04110000u)
				call_site(f, code, len, base, off,
					  a + 4 + (uint64_t)(sext(x & 0xffff, 16) * 4), false);
			else if (x == 0x0320f809u && f->pass == 1 && mips_t9_wanted(f, code, off)) {
				/* jalr t9 after lw t9, X(gp) with X socket's slot */
				struct track t;
				size_t k;
				if (!window(f, code, len, base, off, false, &t) || t.t9 < 0)
					break;
				for (k = 0; k < f->nslots; k++)
					if ((uint64_t)t.t9 == f->slots[k])
						hit(f, f->slot_kind[k], code, len, base, off, false);
				if (is_entry(f, (uint64_t)t.t9))
					hit(f, entry_kind(f, (uint64_t)t.t9), code, len, base, off, false);
			}
			break;
		default:
			break;
		}
	}
}

/* ---- dynamic imports: socket's GOT slots and PLT stubs ---- */

static const struct pst_elf_sect *dynsym_section(const struct pst_elf *e)
{
	size_t i;
	for (i = 0; i < e->nsects; i++)
		if (e->sects[i].type == PST_SHT_DYNSYM && e->sects[i].link < e->nsects)
			return &e->sects[i];
	return NULL;
}

static uint64_t rd(const struct pst_elf *e, uint64_t off, bool wide, bool *ok);

/* The value of the dynamic section's entry tag (from PT_DYNAMIC, so that
 * binaries whose section headers were stripped away - OpenWrt's sstrip -
 * are read too). */
static bool dyn_get(const struct pst_elf *e, uint64_t tag, uint64_t *val)
{
	size_t i;
	uint64_t k, ent = e->is64 ? 16 : 8;
	for (i = 0; i < e->nsegs; i++) {
		const struct pst_elf_seg *s = &e->segs[i];
		if (s->type != PST_PT_DYNAMIC)
			continue;
		for (k = 0; k < s->filesz / ent && k < 4096; k++) {
			bool ok = true;
			uint64_t t = rd(e, s->off + k * ent, e->is64, &ok);
			uint64_t v = rd(e, s->off + k * ent + ent / 2, e->is64, &ok);
			if (!ok || t == 0)
				break;
			if (t == tag) {
				*val = v;
				return true;
			}
		}
	}
	return false;
}

/* A table the dynamic section points to (DT_SYMTAB, DT_JMPREL...): its
 * file offset; 0 when absent or outside the file. */
static uint64_t dyn_table(const struct pst_elf *e, uint64_t tag)
{
	uint64_t a, off;
	if (!dyn_get(e, tag, &a))
		return 0;
	off = pst_elf_vaddr_off(e, a);
	return off == UINT64_MAX ? 0 : off;
}

/* Index of the undefined dynamic symbol name, or 0: the symbol table is
 * .dynsym, or without section headers DT_SYMTAB (its size from MIPS's
 * DT_MIPS_SYMTABNO, else up to DT_STRTAB, which follows it). */
static uint64_t symidx_of(const struct pst_elf *e, const char *want)
{
	const struct pst_elf_sect *ds = dynsym_section(e);
	uint64_t ent = e->is64 ? 24 : 16, i, off, n, stroff, strsz = 0;
	struct pst_view strs;
	if (ds) {
		off = ds->off;
		n = ds->size / ent;
		strs = pst_view_sub(e->v, e->sects[ds->link].off, e->sects[ds->link].size);
	} else {
		off = dyn_table(e, 6);     /* DT_SYMTAB */
		stroff = dyn_table(e, 5);  /* DT_STRTAB */
		if (!off || !stroff)
			return 0;
		if (!dyn_get(e, 0x70000011, &n)) /* DT_MIPS_SYMTABNO */
			n = stroff > off ? (stroff - off) / ent : 0;
		dyn_get(e, 10, &strsz);    /* DT_STRSZ */
		strs = pst_view_sub(e->v, stroff, strsz ? strsz : e->v.len);
	}
	for (i = 1; i < n && i < 65536; i++) {
		uint32_t name;
		const char *nm;
		if (!pst_view_u32e(e->v, off + i * ent, e->big, &name))
			break;
		nm = pst_view_strz(strs, name);
		if (nm && strcmp(nm, want) == 0)
			return i;
	}
	return 0;
}

static uint64_t rd(const struct pst_elf *e, uint64_t off, bool wide, bool *ok)
{
	uint32_t a;
	uint64_t b;
	if (wide) {
		*ok = *ok && pst_view_u64e(e->v, off, e->big, &b);
		return *ok ? b : 0;
	}
	*ok = *ok && pst_view_u32e(e->v, off, e->big, &a);
	return *ok ? a : 0;
}

static void add_slot(struct finder *f, uint64_t slot)
{
	if (f->nslots >= PST_CAP_SOCK_SLOTS) {
		f->full = true;
		return;
	}
	f->slot_kind[f->nslots] = f->kind;
	f->slots[f->nslots++] = slot;
}

/* The relocations of table off (size bytes, RELA or REL) against symidx
 * name the slots the symbol's address is written to. */
static void relocs_table(struct finder *f, uint64_t off, uint64_t size, bool rela,
			 uint64_t symidx)
{
	const struct pst_elf *e = f->e;
	uint64_t ent = (e->is64 ? 16 : 8) + (rela ? (e->is64 ? 8 : 4) : 0), k;
	for (k = 0; k < size / ent && k < 1u << 20; k++) {
		bool ok = true;
		uint64_t at = off + k * ent;
		uint64_t where = rd(e, at, e->is64, &ok);
		uint64_t info = rd(e, at + (e->is64 ? 8 : 4), e->is64, &ok);
		uint64_t sym = e->is64 ? info >> 32 : info >> 8;
		if (!ok)
			break;
		if (sym == symidx)
			add_slot(f, where);
	}
}

static void slots_from_relocs(struct finder *f, uint64_t symidx)
{
	const struct pst_elf *e = f->e;
	size_t i;
	uint64_t off, size, kind = 0;
	for (i = 0; i < e->nsects; i++) {
		const struct pst_elf_sect *s = &e->sects[i];
		if (s->type == 4 || s->type == 9) /* SHT_RELA, SHT_REL */
			relocs_table(f, s->off, s->size, s->type == 4, symidx);
	}
	if (e->nsects)
		return;
	/* no section headers: the dynamic section's tables */
	off = dyn_table(e, 23); /* DT_JMPREL, DT_PLTRELSZ, DT_PLTREL */
	if (off && dyn_get(e, 2, &size) && dyn_get(e, 20, &kind))
		relocs_table(f, off, size, kind == 7, symidx);
	off = dyn_table(e, 17); /* DT_REL, DT_RELSZ */
	if (off && dyn_get(e, 18, &size))
		relocs_table(f, off, size, false, symidx);
	off = dyn_table(e, 7);  /* DT_RELA, DT_RELASZ */
	if (off && dyn_get(e, 8, &size))
		relocs_table(f, off, size, true, symidx);
}

/* MIPS: a global symbol's GOT slot follows from the dynamic section's
 * DT_PLTGOT, DT_MIPS_LOCAL_GOTNO and DT_MIPS_GOTSYM. */
static void mips_slot(struct finder *f, uint64_t symidx)
{
	const struct pst_elf *e = f->e;
	uint64_t pltgot = 0, local = 0, gotsym = 0;
	if (!dyn_get(e, 3, &pltgot) || !dyn_get(e, 0x7000000a, &local) ||
	    !dyn_get(e, 0x70000013, &gotsym) || symidx < gotsym)
		return;
	add_slot(f, pltgot + (local + symidx - gotsym) * (e->is64 ? 8 : 4));
	f->gp = pltgot + 0x7ff0;
}

/* PowerPC's .got2 pointer r30 as the object's functions compute it:
 * `bcl 20,31,1f; 1: mflr r30; addis r30,r30,HI; addi r30,r30,LO` (the
 * first such sequence; a program's own code is one object). 0: none. */
static uint64_t ppc_r30(const uint8_t *code, size_t len, uint64_t base, bool big)
{
	size_t off, k;
	for (off = 0; off + 4 <= len; off += 4) {
		uint64_t lr = base + off + 4, hi = 0;
		int step = 0;
		if (pst_u32e(code + off, big) != 0x429f0005u)
			continue;
		for (k = off + 4; k + 4 <= len && k <= off + 48; k += 4) {
			uint32_t x = pst_u32e(code + k, big);
			if (step == 0 && x == 0x7fc802a6u) {
				step = 1;
			} else if (step == 1 && (x & 0xffff0000u) == 0x3fde0000u) {
				hi = (uint64_t)(sext(x & 0xffff, 16) * 65536);
				step = 2;
			} else if (step == 2 && (x & 0xffff0000u) == 0x3bde0000u) {
				return (uint32_t)(lr + hi + (uint64_t)sext(x & 0xffff, 16));
			}
		}
	}
	return 0;
}

/* PowerPC's secure-PLT call stubs: `lis r11,HI; lwz r11,LO(r11)` (non-PIC)
 * or `lwz r11,OFF(r30)` (PIC), then `mtctr r11; bctr`. */
static void ppc_stubs(struct finder *f, const uint8_t *code, size_t len, uint64_t base)
{
	bool big = f->e->big;
	uint64_t r30 = ppc_r30(code, len, base, big);
	size_t off, k;
	for (off = 0; off + 12 <= len; off += 4) {
		uint32_t a = pst_u32e(code + off, big), b = pst_u32e(code + off + 4, big),
			 c = pst_u32e(code + off + 8, big);
		uint64_t slot, entry = base + off;
		if (b == 0x7d6903a6u && c == 0x4e800420u && (a & 0xffff0000u) == 0x817e0000u && r30) {
			slot = (uint32_t)(r30 + (uint64_t)sext(a & 0xffff, 16));
		} else if (off + 16 <= len && (a & 0xffff0000u) == 0x3d600000u &&
			   (b & 0xffff0000u) == 0x816b0000u && c == 0x7d6903a6u &&
			   pst_u32e(code + off + 12, big) == 0x4e800420u) {
			slot = (uint32_t)(((a & 0xffff) << 16) + (uint64_t)sext(b & 0xffff, 16));
		} else {
			continue;
		}
		for (k = 0; k < f->nslots; k++)
			if (f->slots[k] == slot)
				add_entry(f, entry, f->slot_kind[k]);
	}
}

/* 64-bit PowerPC's PLT call stubs, placed by the linker in .text:
 * `std r2,24(r1)` (ELFv1: 40(r1)), then `addis rX,r2,HI; ld r12,LO(rX)`
 * (rX r12, ELFv1 r11) or `ld r12,LO(r2)`, then `mtctr r12`, and `bctr`
 * with at most two instructions between (ELFv1 loads the callee's r2 from
 * the function descriptor there). r2 is the TOC pointer, .got + 0x8000; the slot is in .plt. A
 * call is `bl stub` followed by the r2 reload. */
static void ppc64_stubs(struct finder *f, const uint8_t *code, size_t len, uint64_t base)
{
	const struct pst_elf_sect *got = pst_elf_section(f->e, ".got");
	bool big = f->e->big;
	size_t off, k, next;
	if (!got)
		return;
	for (off = 0; off + 12 <= len; off += 4) {
		uint32_t a = pst_u32e(code + off, big), b = pst_u32e(code + off + 4, big);
		uint64_t toc = got->addr + 0x8000, slot, entry = base + off;
		bool bctr = false;
		if (((a & 0xffff0000u) == 0x3d820000u && (b & 0xffff0003u) == 0xe98c0000u) ||
		    ((a & 0xffff0000u) == 0x3d620000u && (b & 0xffff0003u) == 0xe98b0000u)) {
			slot = toc + (uint64_t)(sext(a & 0xffff, 16) * 65536) +
			       (uint64_t)sext(b & 0xfffc, 16);
			next = off + 8;
		} else if ((a & 0xffff0003u) == 0xe9820000u) {
			slot = toc + (uint64_t)sext(a & 0xfffc, 16);
			next = off + 4;
		} else {
			continue;
		}
		if (next + 4 > len || pst_u32e(code + next, big) != 0x7d8903a6u)
			continue;
		for (k = next + 4; k + 4 <= len && k <= next + 12 && !bctr; k += 4)
			bctr = pst_u32e(code + k, big) == 0x4e800420u;
		if (!bctr)
			continue;
		if (off >= 4 && (pst_u32e(code + off - 4, big) == 0xf8410018u ||
				 pst_u32e(code + off - 4, big) == 0xf8410028u))
			entry -= 4; /* the r2 save the stub starts with */
		for (k = 0; k < f->nslots; k++)
			if (f->slots[k] == slot)
				add_entry(f, entry, f->slot_kind[k]);
	}
}

/* PLT stubs that jump through one of the slots become call targets. */
static void plt_stubs(void *ctx, const uint8_t *code, size_t len, uint64_t base)
{
	struct finder *f = ctx;
	size_t off, k;
	if (f->arch == PST_ISA_X64) {
		for (off = 0; off + 6 <= len; off++) {
			uint64_t slot;
			if (code[off] != 0xff || code[off + 1] != 0x25)
				continue;
			slot = base + off + 6 + (uint64_t)(int64_t)(int32_t)pst_le32(code + off + 2);
			for (k = 0; k < f->nslots; k++) {
				uint64_t entry = base + off;
				if (f->slots[k] != slot || f->nentries >= PST_CAP_SOCK_ENTRIES)
					continue;
				if (off >= 1 && code[off - 1] == 0xf2) /* bnd jmp */
					entry--;
				if (entry - base >= 4 && memcmp(code + (entry - base) - 4, "\xf3\x0f\x1e\xfa", 4) == 0)
					entry -= 4; /* endbr64 */
				add_entry(f, entry, f->slot_kind[k]);
			}
		}
	} else if (f->arch == PST_ISA_X86) {
		/* jmp [ebx + X] (PIC: ebx is .got.plt) or jmp [X]; linked with
		 * -z now (Debian's PIE builds) there is no .got.plt and ebx,
		 * _GLOBAL_OFFSET_TABLE_, is the start of .got */
		const struct pst_elf_sect *gp = pst_elf_section(f->e, ".got.plt");
		if (!gp)
			gp = pst_elf_section(f->e, ".got");
		for (off = 0; off + 6 <= len; off++) {
			uint64_t slot;
			if (code[off] != 0xff || (code[off + 1] != 0xa3 && code[off + 1] != 0x25))
				continue;
			if (code[off + 1] == 0xa3 && !gp)
				continue;
			slot = (uint32_t)((code[off + 1] == 0xa3 ? (uint32_t)gp->addr : 0) +
					  pst_le32(code + off + 2));
			for (k = 0; k < f->nslots; k++)
				if (f->slots[k] == slot)
					add_entry(f, base + off, f->slot_kind[k]);
		}
	} else if (f->arch == PST_ISA_A64) {
		/* adrp x16, PAGE; ldr x17, [x16, #X]; add x16, x16, #X; br x17 */
		for (off = 0; off + 8 <= len; off += 4) {
			uint32_t a = pst_le32(code + off), b = pst_le32(code + off + 4);
			uint64_t page, slot;
			if ((a & 0x9f00001fu) != 0x90000010u || (b & 0xffc003ffu) != 0xf9400211u)
				continue;
			page = ((base + off) & ~(uint64_t)0xfff) +
			       (uint64_t)(sext((a >> 5 & 0x7ffff) << 2 | (a >> 29 & 3), 21) * 4096);
			slot = page + (b >> 10 & 0xfff) * 8;
			for (k = 0; k < f->nslots; k++)
				if (f->slots[k] == slot)
					add_entry(f, base + off, f->slot_kind[k]);
		}
	} else if (f->arch == PST_ISA_MIPS) {
		/* non-PIC executables' PLT (binutils' mips_exec_plt_entry):
		 * lui t7, %hi(slot); lw t9, %lo(slot)(t7); addiu t8, ...; jr t9 */
		for (off = 0; off + 8 <= len; off += 4) {
			uint32_t a = pst_u32e(code + off, f->e->big), b = pst_u32e(code + off + 4, f->e->big);
			uint64_t slot;
			if ((a & 0xffff0000u) != 0x3c0f0000u || (b & 0xffff0000u) != 0x8df90000u)
				continue;
			slot = (uint32_t)(((a & 0xffff) << 16) + (uint32_t)sext(b & 0xffff, 16));
			for (k = 0; k < f->nslots; k++)
				if (f->slots[k] == slot)
					add_entry(f, base + off, f->slot_kind[k]);
		}
	} else if (f->arch == PST_ISA_PPC && f->e->machine == PST_EM_PPC64) {
		ppc64_stubs(f, code, len, base);
	} else if (f->arch == PST_ISA_PPC) {
		ppc_stubs(f, code, len, base);
	} else if (f->arch == PST_ISA_ARM) {
		for (off = 0; off + 12 <= len; off += 4) {
			uint32_t a = pst_u32e(code + off, f->e->big), b = pst_u32e(code + off + 4, f->e->big),
				 c = pst_u32e(code + off + 8, f->e->big);
			uint32_t ia, ib, got;
			if ((a & 0xfffff000u) != 0xe28fc000u || (b & 0xfffff000u) != 0xe28cc000u ||
			    (c & 0xfffff000u) != 0xe5bcf000u)
				continue;
			/* ARM modified immediates: 8 bits rotated right by 2 * rot */
			ia = a & 0xff;
			if ((a >> 8 & 0xf) != 0)
				ia = ia >> (2 * (a >> 8 & 0xf)) | ia << (32 - 2 * (a >> 8 & 0xf));
			ib = b & 0xff;
			if ((b >> 8 & 0xf) != 0)
				ib = ib >> (2 * (b >> 8 & 0xf)) | ib << (32 - 2 * (b >> 8 & 0xf));
			got = (uint32_t)(base + off + 8) + ia + ib + (c & 0xfff);
			for (k = 0; k < f->nslots; k++) {
				if (f->slots[k] != got || f->nentries >= PST_CAP_SOCK_ENTRIES)
					continue;
				add_entry(f, base + off, f->slot_kind[k]);
				/* Thumb callers that BL (not BLX) enter through a
				 * `bx pc; nop` stub just before */
				if (off >= 4 && f->nentries < PST_CAP_SOCK_ENTRIES &&
				    (f->e->big ? pst_be16(code + off - 4) : pst_le16(code + off - 4)) == 0x4778u)
					add_entry(f, base + off - 4, f->slot_kind[k]);
			}
		}
	}
}

static bool open_arch(struct finder *f)
{
	int ca, mode;
	f->arch = pst_elf_isa(f->e);
	if (!pst_elf_capstone(f->e, &ca, &mode) ||
	    cs_open((cs_arch)ca, (cs_mode)mode, &f->h) != CS_ERR_OK)
		return false;
	f->in = cs_malloc(f->h);
	if (!f->in) {
		cs_close(&f->h);
		return false;
	}
	if (f->arch == PST_ISA_ARM &&
	    cs_open(CS_ARCH_ARM, (cs_mode)(CS_MODE_THUMB | (f->e->big ? CS_MODE_BIG_ENDIAN : 0)),
		    &f->ht) == CS_ERR_OK) {
		f->int_ = cs_malloc(f->ht);
		if (!f->int_)
			cs_close(&f->ht);
	}
	return true;
}

static void close_arch(struct finder *f)
{
	cs_free(f->in, 1);
	cs_close(&f->h);
	if (f->int_) {
		cs_free(f->int_, 1);
		cs_close(&f->ht);
	}
}

/* Opens capstone for f's machine; *got gets .got (or NULL). ARM and Thumb
 * code mix (an armel libc in ARM mode called from -mthumb code, a PLT in
 * ARM mode called from armhf Thumb code): calls are looked for in both
 * encodings, and only those to the wanted wrappers or PLT stubs are read. */
static bool start(struct finder *f, const struct pst_elf_sect **got)
{
	if (!open_arch(f))
		return false;
	f->thumb_calls = f->int_ != NULL;
	*got = pst_elf_section(f->e, ".got");
	if (f->arch == PST_ISA_MIPS && *got)
		f->gp = (*got)->addr + 0x7ff0;
	return true;
}

/* A stripped static binary: the system call sites themselves (inline
 * calls), then the wrappers that contain them (the nearest direct-call
 * target before each site) become entries of the site's kind. */
static void syscall_sites(struct finder *f, const struct pst_elf_sect *got)
{
	const struct pst_elf *e = f->e;
	size_t i;
	for (i = 0; i < f->nsites; i++) {
		const uint8_t *p;
		size_t len;
		uint64_t base;
		if (pst_elf_code_at(e, f->sites[i], &p, &len, &base))
			hit(f, f->site_kind[i], p, len, base, (size_t)(f->sites[i] - base), f->sys->thumb);
	}
	if (!pst_elf_code(e, PST_CAP_SOCK_CODE, scan_calls, f))
		f->code_cut = true;
	if (f->arch == PST_ISA_MIPS && got && f->is_static) {
		/* static PIC code calls through the GOT: its words are the
		 * functions' addresses */
		uint64_t k;
		for (k = 0; k + 4 <= got->size && k < (1u << 20); k += 4) {
			uint32_t val;
			if (pst_view_u32e(e->v, got->off + k, e->big, &val))
				call_site(f, NULL, 0, 0, 0, val, false);
		}
	}
	for (i = 0; i < f->nsites && i < 16; i++)
		if (f->cand[i] && !is_entry(f, f->cand[i]))
			add_entry(f, f->cand[i], f->site_kind[i]);
}

/* An unstripped static binary's function of that name becomes an entry of
 * the given kind; true when there was one. */
static bool named_entry(struct finder *f, const char *name, int kind)
{
	size_t i;
	bool any = false;
	for (i = 0; i < f->e->nsyms; i++)
		if (f->e->syms[i].shndx != 0 && f->e->syms[i].type == 2 /* STT_FUNC */ &&
		    strcmp(f->e->syms[i].name, name) == 0) {
			add_entry(f, f->e->syms[i].value & ~(uint64_t)1, kind);
			any = true;
		}
	return any;
}

/* Pass 1: the calls to the entries and slots found, then the handles go. */
static void read_calls(struct finder *f)
{
	f->pass = 1;
	if ((f->nentries || f->nslots) && !pst_elf_code(f->e, PST_CAP_SOCK_CODE, scan_calls, f))
		f->code_cut = true;
	close_arch(f);
}

/* syscall_sites() for system call sites all of one kind. */
static void sites_of_kind(struct finder *f, const struct pst_elf_sect *got, const uint64_t *sites,
			  size_t n, int kind)
{
	size_t i;
	f->sites = sites;
	f->nsites = n;
	for (i = 0; i < n && i < 16; i++)
		f->site_kind[i] = kind;
	syscall_sites(f, got);
}

/* The GOT slots of the imported function name, of the given kind. */
static bool import_target(struct finder *f, const char *name, int kind)
{
	uint64_t idx = symidx_of(f->e, name);
	if (!idx)
		return false;
	f->kind = kind;
	slots_from_relocs(f, idx);
	if (f->arch == PST_ISA_MIPS)
		mips_slot(f, idx);
	return true;
}

/* PLT stubs that jump through the slots found become entries; without
 * section headers they are looked for in all the code. */
static void plt_entries(struct finder *f)
{
	size_t i;
	if (!f->e->nsects && f->nslots && !pst_elf_code(f->e, PST_CAP_SOCK_CODE, plt_stubs, f))
		f->code_cut = true;
	for (i = 0; i < f->e->nsects; i++) {
		const struct pst_elf_sect *s = &f->e->sects[i];
		struct pst_view v;
		/* PowerPC's secure-PLT call stubs sit in .text */
		if (!(s->flags & PST_SHF_EXECINSTR) ||
		    (!pst_prefix(s->name, ".plt") && f->arch != PST_ISA_PPC))
			continue;
		v = pst_view_sub(f->e->v, s->off, s->size);
		plt_stubs(f, v.p, v.len, s->addr);
	}
}

size_t pst_import_targets(const struct pst_elf *e, const char *const *names, size_t nnames,
			  struct pst_imptarget *out, size_t max, uint64_t *gp, bool *full)
{
	struct finder f;
	const struct pst_elf_sect *got;
	size_t i, k, n = 0;
	memset(&f, 0, sizeof(f));
	f.e = e;
	f.arch = pst_elf_isa(e);
	f.is_static = !e->has_dynamic && !e->interp;
	got = pst_elf_section(e, ".got");
	if (f.arch == PST_ISA_MIPS && got)
		f.gp = got->addr + 0x7ff0;
	for (k = 0; k < nnames; k++) {
		if (f.is_static) {
			for (i = 0; i < e->nsyms; i++)
				if (e->syms[i].shndx != 0 && e->syms[i].type == 2 /* STT_FUNC */ &&
				    strcmp(e->syms[i].name, names[k]) == 0)
					add_entry(&f, e->syms[i].value & ~(uint64_t)1, (int)k);
		} else {
			import_target(&f, names[k], (int)k);
		}
	}
	plt_entries(&f);
	for (i = 0; i < f.nentries && n < max; i++)
		out[n++] = (struct pst_imptarget){ f.entries[i], f.entry_kind[i], false };
	for (i = 0; i < f.nslots && n < max; i++)
		out[n++] = (struct pst_imptarget){ f.slots[i], f.slot_kind[i], true };
	*gp = f.gp;
	*full = f.full || n < f.nentries + f.nslots;
	return n;
}

size_t pst_sockets_find(const struct pst_elf *e, const struct pst_sysres *sys,
			struct pst_sockcall *out, size_t max, size_t *unread, unsigned *cut)
{
	struct finder f;
	struct pst_cst cst;
	const struct pst_elf_sect *got;
	uint64_t symidx = 0;
	*unread = 0;
	*cut = 0;
	memset(&f, 0, sizeof(f));
	f.e = e;
	f.sys = sys;
	f.out = out;
	f.max = max;
	pst_cst_init(&cst, e);
	f.cst = &cst;
	f.is_static = !e->has_dynamic && !e->interp;
	if (sys->nsock == 0 && f.is_static) {
		/* unstripped static: the wrapper is named */
		named_entry(&f, "socket", K_SOCKET);
		named_entry(&f, "__socket", K_SOCKET);
		if (!f.nentries)
			return 0;
	} else if (sys->nsock == 0) {
		symidx = symidx_of(e, "socket");
		if (!symidx)
			return 0; /* neither a socket syscall nor a socket import */
	}
	if (!start(&f, &got))
		return 0;
	if (sys->nsock) {
		sites_of_kind(&f, got, sys->sock_sites, sys->nsock, K_SOCKET);
	} else if (symidx) {
		import_target(&f, "socket", K_SOCKET);
		plt_entries(&f);
	}
	read_calls(&f);
	*unread = f.unread;
	*cut = (f.code_cut ? PST_SOCK_CUT_CODE : 0) | (f.full ? PST_SOCK_CUT_TABLE : 0);
	return f.n;
}

/* dup2/dup3 calls and their second argument: the wrappers and their callers
 * are found as socket()'s are. */
bool pst_stdio_dup_find(const struct pst_elf *e, const struct pst_sysres *sys, size_t *calls)
{
	static const char *const names[] = { "dup2", "__dup2", "dup3", "__dup3" };
	struct finder f;
	struct pst_cst cst;
	const struct pst_elf_sect *got;
	size_t k;
	*calls = 0;
	memset(&f, 0, sizeof(f));
	f.e = e;
	f.sys = sys;
	f.is_static = !e->has_dynamic && !e->interp;
	pst_cst_init(&cst, e);
	f.cst = &cst;
	if (!start(&f, &got))
		return false;
	if (sys->ndup) {
		sites_of_kind(&f, got, sys->dup_sites, sys->ndup, K_DUP);
	} else {
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (f.is_static)
				named_entry(&f, names[k], K_DUP);
			else
				import_target(&f, names[k], K_DUP);
		if (!f.is_static)
			plt_entries(&f);
	}
	read_calls(&f);
	*calls = f.ndup;
	/* calls the finder's caps left unread may be the redirect: "none puts
	 * a descriptor on 0-2" (has:no-stdio-dup) is then not vouched for */
	return f.stdio_dup || f.full || f.code_cut;
}

/* Does e call bind() at all (a system call site, a named static wrapper, an
 * import)? Checked before anything is decoded: most programs do not. */
static bool binds_at_all(const struct pst_elf *e, const struct pst_sysres *sys, bool is_static)
{
	size_t i;
	for (i = 0; i < sys->nnet; i++)
		if (!sys->net_recv[i])
			return true;
	if (!is_static)
		return symidx_of(e, "bind") || symidx_of(e, "__bind");
	for (i = 0; i < e->nsyms; i++)
		if (e->syms[i].shndx != 0 && (strcmp(e->syms[i].name, "bind") == 0 ||
					      strcmp(e->syms[i].name, "__bind") == 0))
			return true;
	return false;
}

/* What a server binds to and compares received data with: bind() and the
 * receiving functions are found like socket() (imports; an unstripped
 * static binary's named wrappers), and netconst.c reads around each call. */
void pst_netconst_find(const struct pst_elf *e, const struct pst_sysres *sys,
		       struct pst_netconst *out)
{
	static const struct {
		const char *name;
		int kind;
	} targets[] = {
		{ "bind", K_BIND },       { "__bind", K_BIND },       { "recv", K_RECV },
		{ "__libc_recv", K_RECV }, { "recvfrom", K_RECV },     { "__libc_recvfrom", K_RECV },
		{ "read", K_RECV },       { "__libc_read", K_RECV },
	};
	struct finder f;
	struct pst_cst cst;
	const struct pst_elf_sect *got;
	size_t i, k;
	bool binds = false;
	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.e = e;
	f.sys = sys;
	f.net = out;
	f.is_static = !e->has_dynamic && !e->interp;
	f.arch = pst_elf_isa(e);
	if (e->type == PST_ET_DYN && !e->interp)
		return; /* a library: the programs that call it bind */
	if (!binds_at_all(e, sys, f.is_static))
		return; /* only servers: a client's compares are its own business */
	pst_cst_init(&cst, e);
	f.cst = &cst;
	if (!start(&f, &got))
		return;
	if (sys->nnet) {
		f.sites = sys->net_sites;
		f.nsites = sys->nnet;
		for (i = 0; i < f.nsites && i < 16; i++) {
			f.site_kind[i] = sys->net_recv[i] ? K_RECV : K_BIND;
			binds = binds || !sys->net_recv[i];
		}
		if (binds)
			syscall_sites(&f, got);
	} else if (f.is_static) {
		for (k = 0; k < sizeof(targets) / sizeof(targets[0]); k++)
			if (named_entry(&f, targets[k].name, targets[k].kind))
				binds = binds || targets[k].kind == K_BIND;
	} else {
		for (k = 0; k < sizeof(targets) / sizeof(targets[0]); k++)
			if (import_target(&f, targets[k].name, targets[k].kind))
				binds = binds || targets[k].kind == K_BIND;
		plt_entries(&f);
	}
	/* only servers: a client's compares are its own business */
	if (binds)
		read_calls(&f);
	else
		close_arch(&f);
}

/* ---- names ---- */

static const char *domain_name(int d)
{
	switch (d) {
	case 1: return "unix";
	case 2: return "inet";
	case 10: return "inet6";
	case 16: return "netlink";
	case 17: return "packet";
	default: return NULL;
	}
}

static const char *type_name(int t)
{
	switch (t) {
	case 1: return "stream";
	case 2: return "dgram";
	case 3: return "raw";
	case 5: return "seqpacket";
	case 10: return "packet";
	default: return NULL;
	}
}

static const char *proto_name(int domain, int p)
{
	if (domain == 17) /* htons(ETH_P_ALL), htons(ETH_P_IP), either byte order */
		return p == 0x0300 || p == 3 ? "all" : p == 0x0008 || p == 0x0800 ? "ip" : NULL;
	switch (p) {
	case 0: return "0";
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmpv6";
	case 255: return "raw";
	default: return NULL;
	}
}

void pst_sockcall_str(const struct pst_sockcall *c, char *buf, size_t len)
{
	const char *d = domain_name(c->domain), *t = type_name(c->type),
		   *p = proto_name(c->domain, c->proto);
	char db[16], tb[16], pb[16];
	if (!d) {
		snprintf(db, sizeof(db), "%d", c->domain);
		d = db;
	}
	if (!t) {
		snprintf(tb, sizeof(tb), c->type < 0 ? "?" : "%d", c->type);
		t = tb;
	}
	if (!p) {
		snprintf(pb, sizeof(pb), c->proto < 0 ? "?" : "%d", c->proto);
		p = pb;
	}
	snprintf(buf, len, "%s/%s/%s", d, t, p);
}
