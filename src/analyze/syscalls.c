/*
 * syscalls.c - syscall recovery for syscalls.h.
 *
 * Syscall instructions are found by their encoding; capstone decodes only
 * the instructions just before each (detail mode off, about five times
 * faster): we read the mnemonic and the operand text, which for the few instruction
 * forms that load the number register is unambiguous. The ABIs:
 *   x86-64  syscall, number in eax/rax
 *   i386    int 0x80 or call gs:[0x10], number in eax; socketcall (102)
 *           with the sub-call in ebx, named like the direct calls
 *   ARM     EABI svc #0 with r7; OABI svc #0x900000+N
 *   AArch64 svc #0, number in x8/w8
 *   MIPS    syscall, number in v0 (o32: 4000+N, n64: 5000+N, n32: 6000+N,
 *           told apart by the ELF header's EF_MIPS_ABI2 flag)
 *   PowerPC sc (or scv 0), number in r0 (li, lis/ori), 32 and 64-bit,
 *           either byte order
 * The constant must be loaded within WINDOW instructions of the syscall
 * without an unconditional branch in between; anything else that writes the
 * register forgets it.
 */
#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "syscalls.h"

#define WINDOW 16
#define I386_SOCKETCALL 102

struct sweep {
	enum pst_isa arch;
	const struct pst_elf *e;
	long reg;            /* known register value, or -1 */
	size_t reg_at;       /* instruction index of the load */
	long ebx;            /* i386: known ebx (socketcall's sub-call), or -1 */
	size_t ebx_at;
	size_t idx;
	uint8_t *seen;       /* PST_CAP_SYS_NR flags */
	uint8_t sub[PST_CAP_SYS_SUB]; /* i386 socketcall sub-calls seen */
	size_t sites, resolved;
	long base;           /* MIPS: o32 4000, n64 5000 */
	bool thumb;          /* ARM: decoding Thumb code */
	bool at_site;        /* the instruction stepped is the one searched for */
	uint64_t addr;       /* of the instruction stepped */
	long sock_nr;        /* socket's number in the table */
	long bind_nr;        /* bind's, or -1 */
	long recv_nr[3];     /* recvfrom's, recv's and read's, or -1 */
	long dup_nr[2];      /* dup2's and dup3's, or -1 */
	struct pst_sysres *r;
};

const char *pst_sysname_of(const struct pst_sysname *t, long nr)
{
	size_t lo = 0, hi = 0, mid;
	while (t[hi].name)
		hi++;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (t[mid].nr == nr)
			return t[mid].name;
		if (t[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool pst_asm_imm(const char *s, long *out)
{
	char *end;
	long v;
	while (*s == ' ' || *s == '#')
		s++;
	v = strtol(s, &end, 0);
	if (end == s || (*end && *end != ' ' && *end != ']'))
		return false;
	*out = v;
	return true;
}

static void site(struct sweep *w)
{
	if (!w->at_site)
		return; /* an earlier syscall inside the window: counted on its own */
	w->sites++;
	if (w->reg >= 0 && w->idx - w->reg_at <= WINDOW && w->reg < PST_CAP_SYS_NR) {
		bool sock = w->reg == w->sock_nr, bind = w->reg == w->bind_nr;
		bool recv = w->reg == w->recv_nr[0] || w->reg == w->recv_nr[1] ||
			    w->reg == w->recv_nr[2];
		w->seen[w->reg] = 1;
		w->resolved++;
		if (w->arch == PST_ISA_X86 && w->reg == I386_SOCKETCALL && w->ebx > 0 &&
		    w->ebx < PST_CAP_SYS_SUB && w->idx - w->ebx_at <= 2 * WINDOW) {
			w->sub[w->ebx] = 1;
			sock = w->ebx == 1; /* SYS_SOCKET */
			bind = w->ebx == 2; /* SYS_BIND */
			recv = w->ebx == 10 || w->ebx == 12; /* SYS_RECV, SYS_RECVFROM */
		}
		if (sock && w->r->nsock < sizeof(w->r->sock_sites) / sizeof(w->r->sock_sites[0]))
			w->r->sock_sites[w->r->nsock++] = w->addr;
		if ((w->reg == w->dup_nr[0] || w->reg == w->dup_nr[1]) &&
		    w->r->ndup < sizeof(w->r->dup_sites) / sizeof(w->r->dup_sites[0]))
			w->r->dup_sites[w->r->ndup++] = w->addr;
		if ((bind || recv) && w->r->nnet < sizeof(w->r->net_sites) / sizeof(w->r->net_sites[0])) {
			w->r->net_recv[w->r->nnet] = recv;
			w->r->net_sites[w->r->nnet++] = w->addr;
		}
	}
}

static void set_reg(struct sweep *w, long v)
{
	w->reg = v;
	w->reg_at = w->idx;
}

/* ARM: ldr rX, [pc, #imm] loads the word at addr + 8 + imm; in Thumb at
 * ((addr + 4) & ~3) + imm. */
static bool arm_literal(const struct sweep *w, uint64_t addr, const char *ops, long *out)
{
	const char *p = strstr(ops, "[pc, #");
	long disp;
	uint64_t off;
	uint32_t val;
	if (!p)
		p = strstr(ops, "[pc]");
	if (!p)
		return false;
	disp = 0;
	if (p[3] == ',' && !pst_asm_imm(p + 5, &disp))
		return false;
	off = pst_elf_vaddr_off(w->e, (w->thumb ? ((addr + 4) & ~(uint64_t)3) : addr + 8) +
					      (uint64_t)disp);
	if (off == UINT64_MAX || !pst_view_u32e(w->e->v, off, w->e->big, &val))
		return false;
	*out = (long)val;
	return true;
}

static void step(struct sweep *w, const cs_insn *in)
{
	const char *m = in->mnemonic, *o = in->op_str;
	long v;

	switch (w->arch) {
	case PST_ISA_X64:
	case PST_ISA_X86:
		if (strcmp(m, "syscall") == 0 || (strcmp(m, "int") == 0 && strcmp(o, "0x80") == 0) ||
		    (strcmp(m, "call") == 0 && strstr(o, "gs:[0x10]"))) {
			site(w);
			w->reg = -1;
		} else if (w->arch == PST_ISA_X86 && pst_prefix(o, "ebx, ")) {
			/* glibc's socket wrappers: mov ebx, SYS_SOCKET ... mov eax, 102 */
			if (strcmp(m, "mov") == 0 && pst_asm_imm(o + 5, &v)) {
				w->ebx = v;
				w->ebx_at = w->idx;
			} else if (strcmp(m, "cmp") != 0 && strcmp(m, "test") != 0) {
				w->ebx = -1;
			}
		} else if (pst_prefix(o, "eax, ") || pst_prefix(o, "rax, ")) {
			if (strcmp(m, "mov") == 0 && pst_asm_imm(o + 5, &v))
				set_reg(w, v);
			else if (strcmp(m, "xor") == 0 && (strcmp(o + 5, "eax") == 0 ||
							   strcmp(o + 5, "rax") == 0))
				set_reg(w, 0);
			else if (strcmp(m, "cmp") != 0 && strcmp(m, "test") != 0)
				w->reg = -1;
		} else if (strcmp(m, "jmp") == 0 || strcmp(m, "call") == 0 || strcmp(m, "ret") == 0) {
			w->reg = -1;
		}
		break;
	case PST_ISA_ARM:
		if (strcmp(m, "svc") == 0 || strcmp(m, "swi") == 0) {
			if (pst_asm_imm(o, &v) && v >= 0x900000 && v < 0x900000 + PST_CAP_SYS_NR)
				set_reg(w, v - 0x900000); /* OABI: the number is the operand */
			site(w);
			w->reg = -1;
		} else if (pst_prefix(o, "r7, ")) {
			if ((strcmp(m, "mov") == 0 || strcmp(m, "movs") == 0 ||
			     strcmp(m, "mov.w") == 0 || strcmp(m, "movw") == 0) && pst_asm_imm(o + 4, &v))
				set_reg(w, v);
			else if ((strcmp(m, "ldr") == 0 || strcmp(m, "ldr.w") == 0) && arm_literal(w, in->address, o, &v))
				set_reg(w, v);
			else if (strcmp(m, "add") == 0 && pst_prefix(o, "r7, r7, ") &&
				 pst_asm_imm(o + 8, &v) && w->reg >= 0)
				set_reg(w, w->reg + v);
			else if (strcmp(m, "cmp") != 0 && strcmp(m, "tst") != 0 && strcmp(m, "str") != 0)
				w->reg = -1;
		} else if (strcmp(m, "b") == 0 || strcmp(m, "bl") == 0 || strcmp(m, "bx") == 0 ||
			   strcmp(m, "blx") == 0 || (pst_prefix(m, "pop") && strstr(o, "r7"))) {
			w->reg = -1;
		}
		break;
	case PST_ISA_A64:
		if (strcmp(m, "svc") == 0) {
			site(w);
			w->reg = -1;
		} else if (pst_prefix(o, "x8, ") || pst_prefix(o, "w8, ")) {
			if ((strcmp(m, "mov") == 0 || strcmp(m, "movz") == 0) && pst_asm_imm(o + 4, &v))
				set_reg(w, v);
			else if (strcmp(m, "cmp") != 0 && strcmp(m, "str") != 0)
				w->reg = -1;
		} else if (strcmp(m, "b") == 0 || strcmp(m, "bl") == 0 || strcmp(m, "ret") == 0 ||
			   strcmp(m, "br") == 0 || strcmp(m, "blr") == 0) {
			w->reg = -1;
		}
		break;
	case PST_ISA_MIPS:
		if (strcmp(m, "syscall") == 0) {
			site(w);
			w->reg = -1;
		} else if (pst_prefix(o, "$v0, ")) {
			const char *rest = o + 5;
			if (pst_prefix(rest, "$zero, "))
				rest += 7;
			else if (strcmp(m, "li") != 0)
				rest = NULL;
			if (rest && (strcmp(m, "addiu") == 0 || strcmp(m, "daddiu") == 0 ||
				     strcmp(m, "ori") == 0 || strcmp(m, "li") == 0) &&
			    pst_asm_imm(rest, &v))
				set_reg(w, v >= w->base ? v - w->base : -1);
			else if (strcmp(m, "sw") != 0 && strcmp(m, "sd") != 0 && strcmp(m, "beqz") != 0 &&
				 strcmp(m, "bnez") != 0)
				w->reg = -1;
		} else if (strcmp(m, "jr") == 0 || strcmp(m, "jalr") == 0 || strcmp(m, "jal") == 0 ||
			   strcmp(m, "b") == 0 || strcmp(m, "j") == 0) {
			/* The delay slot still runs: forget only after it. A load into
			 * v0 in a delay slot before a syscall is rare enough. */
			w->reg = -1;
		}
		break;
	case PST_ISA_PPC:
		if (strcmp(m, "sc") == 0 || strcmp(m, "scv") == 0) {
			site(w);
			w->reg = -1;
		} else if (pst_prefix(o, "r0, ")) {
			if (strcmp(m, "li") == 0 && pst_asm_imm(o + 4, &v))
				set_reg(w, v);
			else if (strcmp(m, "lis") == 0 && pst_asm_imm(o + 4, &v))
				set_reg(w, (long)((unsigned long)v << 16));
			else if ((strcmp(m, "ori") == 0 || strcmp(m, "addi") == 0) &&
				 pst_prefix(o + 4, "r0, ") && pst_asm_imm(o + 8, &v) && w->reg >= 0)
				set_reg(w, strcmp(m, "ori") == 0 ? (w->reg | v) : w->reg + v);
			else if (strcmp(m, "cmpwi") != 0 && strcmp(m, "cmpw") != 0 &&
				 strcmp(m, "stw") != 0 && strcmp(m, "std") != 0)
				w->reg = -1;
		} else if (strcmp(m, "b") == 0 || strcmp(m, "bl") == 0 || strcmp(m, "blr") == 0 ||
			   strcmp(m, "bctr") == 0 || strcmp(m, "bctrl") == 0) {
			w->reg = -1;
		}
		break;
	}
}

static void site_ppc_scv(struct sweep *w)
{
	site(w);
	w->reg = -1;
}

/* Decodes [from, site] and feeds step(); true when decoding landed exactly
 * on the syscall instruction at site. */
static bool decode_window(csh h, cs_insn *in, struct sweep *w, const uint8_t *code, size_t len,
			  uint64_t addr, size_t from, size_t site)
{
	const uint8_t *p = code + from;
	size_t left = len - from;
	uint64_t a = addr + from;
	size_t before = w->sites;
	w->reg = -1;
	w->ebx = -1;
	while (left > 0 && a <= addr + site) {
		if (!cs_disasm_iter(h, &p, &left, &a, in)) {
			if (w->arch == PST_ISA_X64 || w->arch == PST_ISA_X86 || w->thumb || left < 4)
				return false;
			if (a != addr + site) {
				/* a data word between functions (PowerPC traceback
				 * tables, literal pools): step over it */
				p += 4;
				left -= 4;
				a += 4;
				w->reg = -1;
				continue;
			}
			if (w->arch != PST_ISA_PPC)
				return false;
			/* capstone 4 predates PowerPC's scv: the site itself */
			w->at_site = true;
			w->addr = a;
			site_ppc_scv(w);
			w->at_site = false;
			return w->sites > before;
		}
		w->addr = in->address;
		if (in->address == addr + site) {
			w->at_site = true;
			step(w, in);
			w->at_site = false;
			w->idx++;
			return w->sites > before;
		}
		step(w, in);
		w->idx++;
	}
	return false;
}

/* Is there a syscall instruction at off? Fixed encodings per ABI. */
static bool is_site(const struct sweep *w, const uint8_t *p, size_t left, bool thumb)
{
	uint32_t x;
	switch (w->arch) {
	case PST_ISA_X64:
		return left >= 2 && p[0] == 0x0f && p[1] == 0x05;
	case PST_ISA_X86:
		return (left >= 2 && p[0] == 0xcd && p[1] == 0x80) ||
		       (left >= 7 && memcmp(p, "\x65\xff\x15\x10\x00\x00\x00", 7) == 0);
	case PST_ISA_ARM:
		if (thumb)
			return left >= 2 && (w->e->big ? p[0] == 0xdf : p[1] == 0xdf);
		if (left < 4)
			return false;
		x = w->e->big ? pst_be32(p) : pst_le32(p);
		return (x & 0xff000000u) == 0xef000000u; /* svc, condition "always" */
	case PST_ISA_A64:
		if (left < 4)
			return false;
		x = pst_le32(p);
		return (x & 0xffe0001fu) == 0xd4000001u;
	case PST_ISA_MIPS:
		if (left < 4)
			return false;
		x = w->e->big ? pst_be32(p) : pst_le32(p);
		return (x & 0xfc00003fu) == 0x0000000cu;
	case PST_ISA_PPC:
		if (left < 4)
			return false;
		x = w->e->big ? pst_be32(p) : pst_le32(p);
		return x == 0x44000002u || x == 0x44000001u; /* sc, scv 0 */
	}
	return false;
}

/* MIPS o32 passes the number of a system call with more than four
 * arguments to a helper (glibc's __mips_syscall5..7) on the stack:
 * li v0, N; ... sw v0, X(sp); ... bal helper. Matched on the encodings. */
static void mips_stack_calls(struct sweep *w, const uint8_t *code, size_t len)
{
	size_t off, k;
	for (off = 0; off + 4 <= len; off += 4) {
		uint32_t x = w->e->big ? pst_be32(code + off) : pst_le32(code + off);
		bool stored = false, called = false;
		uint32_t nr = x & 0xffff;
		if ((x & 0xffff0000u) != 0x24020000u || nr < 4000 || nr >= 4000 + 512)
			continue;
		for (k = 1; k <= 6 && off + 4 * k + 4 <= len; k++) {
			uint32_t y = w->e->big ? pst_be32(code + off + 4 * k) :
						 pst_le32(code + off + 4 * k);
			if ((y & 0xffff0000u) == 0xafa20000u)
				stored = true;
			else if ((y & 0xffff0000u) == 0x04110000u || (y & 0xfc000000u) == 0x0c000000u)
				called = true;
			else if (!stored && (y >> 16 & 0x1f) == 2 && (y >> 26) != 0x2b &&
				 (y >> 26) != 0)
				break; /* v0 overwritten before it was stored */
		}
		if (stored && called) {
			w->seen[nr] = 1;
			w->sites++;
			w->resolved++;
		}
	}
}

/* Whether MIPS instruction x (not li a0) writes a0 ($4): an R-type's rd,
 * an I-type's rt other than a store's or a branch's. */
static bool mips_writes_a0(uint32_t x)
{
	uint32_t op = x >> 26;
	if (op == 0)
		return (x >> 11 & 0x1f) == 4;
	if (op == 1 || (op >= 4 && op <= 7) || (op >= 0x28 && op <= 0x2e))
		return false;
	return (x >> 16 & 0x1f) == 4;
}

/* The number a MIPS call at off loads into a0 (li a0,N: addiu or ori from
 * zero) in its delay slot or the instructions before it (compilers
 * schedule the load early), or -1. */
static long mips_a0_before(const struct sweep *w, const uint8_t *code, size_t len, size_t off)
{
	size_t k;
	for (k = 0; k <= 12 && k * 4 <= off; k++) {
		/* the delay slot first, then backwards from the call */
		size_t at = k == 0 ? off + 4 : off - 4 * k;
		uint32_t x;
		if (at + 4 > len)
			continue;
		x = w->e->big ? pst_be32(code + at) : pst_le32(code + at);
		if ((x & 0xffff0000u) == 0x24040000u || (x & 0xffff0000u) == 0x34040000u)
			return (long)(x & 0xffff);
		if (k > 0 && ((x >> 26) == 3 || (x & 0xffff0000u) == 0x04110000u))
			return -1; /* another call: its a0 is not this one's */
		if (mips_writes_a0(x))
			return -1;
	}
	return -1;
}

/* A generic syscall(2)-style wrapper (a libc-free program's, uClibc's
 * syscall()): `move v0,a0` shortly before the syscall instruction, so the
 * number is its first argument. Each `jal` to it is a site, named by the
 * a0 its caller loads. entry: the lowest address the wrapper may start at,
 * site: the syscall's offset. */
static void mips_wrapper_calls(struct sweep *w, const uint8_t *code, size_t len, uint64_t addr,
			       size_t entry, size_t site)
{
	size_t off;
	for (off = 0; off + 4 <= len; off += 4) {
		uint32_t x = w->e->big ? pst_be32(code + off) : pst_le32(code + off);
		uint64_t to = ((addr + off + 4) & 0xf0000000u) | (uint64_t)(x & 0x03ffffffu) << 2;
		long nr;
		if ((x >> 26) != 3 || to < addr + entry || to > addr + site)
			continue;
		nr = mips_a0_before(w, code, len, off);
		w->sites++;
		/* o32 numbers from 4000, n64 from 5000, n32 from 6000 */
		if (nr >= 4000 && nr < 6512) {
			w->seen[nr] = 1;
			w->resolved++;
		}
	}
}

/* Syscall instructions whose number is the wrapper's first argument. */
static void mips_generic_wrappers(struct sweep *w, const uint8_t *code, size_t len, uint64_t addr)
{
	size_t off, k, found = 0;
	for (off = 16; off + 4 <= len && found < 4; off += 4) {
		uint32_t x = w->e->big ? pst_be32(code + off) : pst_le32(code + off);
		if ((x & 0xfc00003fu) != 0x0000000cu)
			continue;
		for (k = 1; k <= 4; k++) {
			uint32_t y = w->e->big ? pst_be32(code + off - 4 * k) :
						 pst_le32(code + off - 4 * k);
			if (y == 0x00801025u || y == 0x00801021u) { /* or/addu v0,a0,zero */
				size_t move = off - 4 * k;
				mips_wrapper_calls(w, code, len, addr, move > 12 ? move - 12 : 0, off);
				found++;
				break;
			}
		}
	}
}

/* PowerPC glibc (64-bit) tries scv first and keeps `sc` as a fallback
 * reached only by a conditional branch from before the scv: the number is
 * the one in r0 at that branch. */
static void ppc_branched(csh h, cs_insn *in, struct sweep *w, const uint8_t *code, size_t len,
			 uint64_t addr, size_t off)
{
	size_t k;
	for (k = 1; k <= 2 * WINDOW && k * 4 <= off; k++) {
		size_t b = off - 4 * k;
		uint32_t x = w->e->big ? pst_be32(code + b) : pst_le32(code + b);
		int32_t disp = (int32_t)(int16_t)(x & 0xfffc);
		if ((x >> 26) != 16 || (x & 2) || (int64_t)b + disp != (int64_t)off)
			continue;
		decode_window(h, in, w, code, len, addr, b > WINDOW * 4 ? b - WINDOW * 4 : 0, b);
		if (w->reg >= 0 && w->idx - w->reg_at <= WINDOW && w->reg < PST_CAP_SYS_NR) {
			w->seen[w->reg] = 1;
			w->resolved++;
		}
		return;
	}
}

/* Finds syscall instructions by their encoding and decodes only the few
 * instructions before each: a full sweep of a static binary costs a
 * hundred times more. Variable-length x86 (and Thumb) is decoded from a few
 * starting points until one lands on the instruction. */
static void sweep_region(csh h, struct sweep *w, const uint8_t *code, size_t len, uint64_t addr,
			 size_t align, bool thumb)
{
	cs_insn *in = cs_malloc(h);
	/* i386: glibc's socketcall wrappers load ebx up to 80 bytes before */
	size_t off, back = w->arch == PST_ISA_X86 ? WINDOW * 6 : WINDOW * 4;
	if (!in)
		return;
	for (off = 0; off < len; off += align) {
		size_t from, tries;
		if (!is_site(w, code + off, len - off, thumb))
			continue;
		from = off > back ? off - back : 0;
		if (align == 4 && !thumb) {
			size_t before = w->resolved;
			if (!decode_window(h, in, w, code, len, addr, from, off))
				w->sites++; /* undecodable: counted, not resolved */
			else if (w->arch == PST_ISA_PPC && w->resolved == before)
				ppc_branched(h, in, w, code, len, addr, off);
			continue;
		}
		for (tries = 0; tries < 8 && from + tries <= off; tries++)
			if (decode_window(h, in, w, code, len, addr, from + tries, off))
				break;
		if (tries == 8 || from + tries > off)
			w->sites++;
	}
	cs_free(in, 1);
	if (w->arch == PST_ISA_MIPS) {
		mips_stack_calls(w, code, len);
		mips_generic_wrappers(w, code, len, addr);
	}
}

bool pst_elf_code(const struct pst_elf *e, uint64_t budget, pst_code_cb cb, void *ctx)
{
	size_t i;
	bool any = false, whole = true;
	for (i = 0; i < e->nsects; i++) {
		const struct pst_elf_sect *s = &e->sects[i];
		struct pst_view code;
		if (s->type != PST_SHT_PROGBITS || !(s->flags & PST_SHF_EXECINSTR))
			continue;
		any = true;
		if (s->size > budget)
			whole = false;
		if (!budget)
			break;
		code = pst_view_sub(e->v, s->off, s->size < budget ? s->size : budget);
		budget -= code.len;
		cb(ctx, code.p, code.len, s->addr);
	}
	for (i = 0; !any && i < e->nsegs; i++) {
		const struct pst_elf_seg *s = &e->segs[i];
		struct pst_view code;
		if (s->type != PST_PT_LOAD || !(s->flags & PST_PF_X))
			continue;
		if (s->filesz > budget)
			whole = false;
		if (!budget)
			break;
		code = pst_view_sub(e->v, s->off, s->filesz < budget ? s->filesz : budget);
		budget -= code.len;
		cb(ctx, code.p, code.len, s->vaddr);
	}
	return whole;
}

struct sweep_ctx {
	csh h;
	struct sweep *w;
	size_t align;
	bool thumb;
};

static void sweep_cb(void *ctx, const uint8_t *p, size_t len, uint64_t addr)
{
	struct sweep_ctx *c = ctx;
	sweep_region(c->h, c->w, p, len, addr, c->align, c->thumb);
}

/* False when code past PST_CAP_SYS_CODE was left unswept. */
static bool sweep_all(csh h, struct sweep *w, size_t align, bool thumb)
{
	struct sweep_ctx c = { h, w, align, thumb };
	return pst_elf_code(w->e, PST_CAP_SYS_CODE, sweep_cb, &c);
}

enum pst_isa pst_elf_isa(const struct pst_elf *e)
{
	switch (e->machine) {
	case PST_EM_X86_64: return PST_ISA_X64;
	case PST_EM_386: return PST_ISA_X86;
	case PST_EM_ARM: return PST_ISA_ARM;
	case PST_EM_AARCH64: return PST_ISA_A64;
	case PST_EM_MIPS:
	case PST_EM_MIPS_RS3_LE: return PST_ISA_MIPS;
	default: return PST_ISA_PPC;
	}
}

bool pst_elf_capstone(const struct pst_elf *e, int *arch, int *mode)
{
	cs_mode m;
	switch (e->machine) {
	case PST_EM_X86_64:
		*arch = CS_ARCH_X86; m = CS_MODE_64;
		break;
	case PST_EM_386:
		*arch = CS_ARCH_X86; m = CS_MODE_32;
		break;
	case PST_EM_ARM:
		*arch = CS_ARCH_ARM; m = CS_MODE_ARM;
		break;
	case PST_EM_AARCH64:
		*arch = CS_ARCH_ARM64; m = CS_MODE_ARM;
		break;
	case PST_EM_MIPS:
	case PST_EM_MIPS_RS3_LE:
		/* n32 (EF_MIPS_ABI2) is 64-bit code in a 32-bit file */
		*arch = CS_ARCH_MIPS;
		m = e->is64 || (e->eflags & 0x20) ? CS_MODE_MIPS64 : CS_MODE_MIPS32;
		break;
	case PST_EM_PPC:
	case PST_EM_PPC64:
		*arch = CS_ARCH_PPC;
		m = e->machine == PST_EM_PPC64 ? CS_MODE_64 : CS_MODE_32;
		break;
	default:
		return false;
	}
	if (e->big)
		m = (cs_mode)(m | CS_MODE_BIG_ENDIAN);
	*mode = (int)m;
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool pst_syscalls_recover(const struct pst_elf *e, struct pst_sysres *r)
{
	const struct pst_sysname *table = NULL;
	struct sweep w;
	int ca, mode;
	csh h;
	size_t align = 4, i, k;
	bool ok = true;

	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	w.e = e;
	if (!pst_elf_capstone(e, &ca, &mode))
		return true;
	w.arch = pst_elf_isa(e);
	switch (w.arch) {
	case PST_ISA_X64:
		align = 1;
		table = pst_sys_x86_64; r->abi = "x86_64";
		break;
	case PST_ISA_X86:
		align = 1;
		table = pst_sys_i386; r->abi = "i386";
		break;
	case PST_ISA_ARM:
		table = pst_sys_arm_eabi; r->abi = "arm_eabi";
		break;
	case PST_ISA_A64:
		table = pst_sys_aarch64; r->abi = "aarch64";
		break;
	case PST_ISA_MIPS:
		if (e->is64) {
			table = pst_sys_mips_n64; r->abi = "mips_n64";
		} else if (e->eflags & 0x20) { /* EF_MIPS_ABI2: n32 */
			table = pst_sys_mips_n32; r->abi = "mips_n32";
		} else {
			table = pst_sys_mips_o32; r->abi = "mips_o32";
		}
		break;
	case PST_ISA_PPC:
		table = e->machine == PST_EM_PPC64 ? pst_sys_ppc64 : pst_sys_ppc32;
		r->abi = e->machine == PST_EM_PPC64 ? "ppc64" : "ppc32";
		break;
	}
	w.r = r;
	w.sock_nr = w.bind_nr = w.recv_nr[0] = w.recv_nr[1] = w.recv_nr[2] = -1;
	w.dup_nr[0] = w.dup_nr[1] = -1;
	for (i = 0; table[i].name; i++) {
		static const char *const recvs[] = { "recvfrom", "recv", "read" };
		size_t j;
		if (strcmp(table[i].name, "socket") == 0)
			w.sock_nr = table[i].nr;
		if (strcmp(table[i].name, "bind") == 0)
			w.bind_nr = table[i].nr;
		if (strcmp(table[i].name, "dup2") == 0)
			w.dup_nr[0] = table[i].nr;
		if (strcmp(table[i].name, "dup3") == 0)
			w.dup_nr[1] = table[i].nr;
		for (j = 0; j < 3; j++)
			if (strcmp(table[i].name, recvs[j]) == 0)
				w.recv_nr[j] = table[i].nr;
	}
	if (cs_open((cs_arch)ca, (cs_mode)mode, &h) != CS_ERR_OK) {
		r->abi = NULL;
		return true;
	}
	w.seen = pst_calloc(PST_CAP_SYS_NR, 1);
	if (!w.seen) {
		cs_close(&h);
		return false;
	}
	/* MIPS numbers are stored with their base: keep them as the table has them. */
	if (w.arch == PST_ISA_MIPS)
		w.base = 0;
	r->code_cut = !sweep_all(h, &w, align, false);
	/* ARM code in Thumb (armhf builds): if ARM mode found nothing, retry. */
	if (w.arch == PST_ISA_ARM && w.resolved == 0 &&
	    cs_option(h, CS_OPT_MODE, (size_t)(CS_MODE_THUMB | (e->big ? CS_MODE_BIG_ENDIAN : 0))) ==
		    CS_ERR_OK) {
		w.sites = 0;
		w.thumb = true;
		sweep_all(h, &w, 2, true);
	}
	cs_close(&h);
	r->thumb = w.thumb;
	r->sites = w.sites;
	r->resolved = w.resolved;
	r->names = pst_calloc(PST_CAP_SYS_NR + PST_CAP_SYS_SUB, sizeof(*r->names));
	if (!r->names) {
		ok = false;
		goto out;
	}
	/* socketcall's sub-calls count as the direct calls they stand for */
	for (i = 1; i < PST_CAP_SYS_SUB; i++) {
		const char *nm = w.sub[i] ? pst_sysname_of(pst_socketcall, (long)i) : NULL;
		if (nm)
			r->names[r->n++] = nm;
	}
	for (i = 0; i < PST_CAP_SYS_NR; i++) {
		const char *nm;
		if (!w.seen[i])
			continue;
		nm = pst_sysname_of(table, (long)i);
		if (nm)
			r->names[r->n++] = nm;
	}
	qsort(r->names, r->n, sizeof(*r->names), cmp_name);
	for (i = 0, k = 0; i < r->n; i++) /* a name seen both ways once */
		if (k == 0 || strcmp(r->names[k - 1], r->names[i]) != 0)
			r->names[k++] = r->names[i];
	r->n = k;
out:
	free(w.seen);
	return ok;
}

void pst_sysres_free(struct pst_sysres *r)
{
	free((void *)r->names);
	memset(r, 0, sizeof(*r));
}
