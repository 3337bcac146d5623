/*
 * netconst.c - constants a network server is built around, read from its
 * code: the port a socket is bound to and the 4-byte magic received data is
 * compared with. sockets.c finds the calls to bind() and to the receiving
 * functions; this file follows the instructions around them (capstone's
 * text, x86-64, i386, ARM/Thumb, AArch64, MIPS of either byte order,
 * 32-bit PowerPC) with a small constant tracker:
 *   - registers that hold a known constant: immediates (mov, movw/movt,
 *     mvn, lui/ori/addiu, li, PowerPC lis/ori/addi, AArch64 movz/movn/movk
 *     and orr/add/sub/and/eor with a shifted or zero-extended operand,
 *     lsl/lsr/asr, bfi/ubfiz/ubfx), loads from read-only data at a known
 *     address (x86-64 `[rip + X]`, i386 `[X]`, ARM literal pools, AArch64
 *     adrp+add or adrp+ldr and literals), copies; AArch64's w and x views
 *     of a register are one register, and its SIMD registers are followed
 *     as two 64-bit halves (movi, fmov from and to general registers,
 *     whole-register moves, ldr q/d/s);
 *   - bytes stored at a known offset from a base register
 *     (`mov word ptr [rsp + 0x12], 0xfc7f`, `sh $v0, 0x1a($sp)`,
 *     `str r3, [sp, #0x18]`, `stw r8, 8(r1)`, `stur xzr, [sp, #0x44]`,
 *     `stp w1, w2, [x19]`, `stur q0, [x29, #-16]`, `stp q0, q0, [sp]`), in
 *     the machine's byte order.
 * Before bind(): a stored sockaddr is two bytes of family (AF_INET 2,
 * AF_INET6 10, host order) followed by the port in network order, whatever
 * the compiler made of htons(): folded into an immediate, into one word with
 * the family, or kept in .rodata.
 * After a receive: an equality compare (x86 cmp, ARM cmp, MIPS beq/bne)
 * (PowerPC cmpw/cmplw, whose constant lis/ori built, or `xoris r9, r10, HI;
 * cmpwi r9, LO`; AArch64 cmp)
 * between a value and a 32-bit constant that looks like a magic (four
 * printable characters, or four distinct non-zero bytes) - how a protocol
 * like Sercomm's 'ScMM' header is checked once it is compiled.
 * 64-bit PowerPC: the 32-bit steps (values kept as 32 bits; a std store
 * forgets its 8 bytes), for static programs and, through the PLT call
 * stubs sockets.c resolves, dynamic ones.
 * Not done: values computed through memory or across
 * calls; htons() called as a function; AArch64 signed extensions and
 * rotations of an operand, and SIMD arithmetic (a vector changed by
 * anything but a move is unknown).
 */
#include <capstone/capstone.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "netconst.h"

/* A register name as a key: x86's rax/eax/ax are one register. */
static void reg_key(enum pst_isa arch, const char *s, size_t len, char out[8])
{
	size_t i;
	if (len >= 8)
		len = 7;
	memcpy(out, s, len);
	out[len] = 0;
	if (arch != PST_ISA_X64 && arch != PST_ISA_X86)
		return;
	if (out[0] == 'r' && isdigit((unsigned char)out[1])) {
		/* r8d, r8w -> r8 */
		for (i = 1; out[i] && isdigit((unsigned char)out[i]); i++)
			;
		out[i] = 0;
	} else if (len == 3 && (out[0] == 'r' || out[0] == 'e')) {
		memmove(out, out + 1, 3);
	}
}

/* The first operand, up to its comma: a register name or a memory operand. */
static size_t first_len(const char *o)
{
	const char *c = strchr(o, ',');
	return c ? (size_t)(c - o) : strlen(o);
}

static const char *second(const char *o)
{
	const char *c = strchr(o, ',');
	return c ? c + 2 : NULL;
}

static bool mem_load_any(const struct pst_cst *c, const char *base, long off, unsigned width,
			 uint64_t *v);

void pst_cst_reset(struct pst_cst *c)
{
	c->nr = 0;
	c->nm = 0;
	c->spd = 0;
	c->have_magic = false;
}

void pst_cst_forget_regs(struct pst_cst *c)
{
	c->nr = 0;
}

/* Forgets the stored bytes but whole aligned words that hold an address
 * of the file: a receive may overwrite any slot of the frame (a buffer
 * reusing the slot of a sockaddr built before), while a pointer to
 * constant data the compiler spilled before a loop is its own. */
void pst_cst_forget_data(struct pst_cst *c)
{
	uint8_t keep[PST_CST_BYTES] = { 0 };
	unsigned w = c->arch == PST_ISA_X64 || c->arch == PST_ISA_A64 ? 8 : 4;
	size_t i, j, n = 0;
	for (i = 0; i < c->nm; i++) {
		uint64_t v;
		if (c->m[i].off % (long)w != 0 ||
		    !mem_load_any(c, c->m[i].base, c->m[i].off, w, &v) ||
		    pst_elf_vaddr_off(c->e, v) == UINT64_MAX)
			continue;
		for (j = 0; j < c->nm; j++)
			if (strcmp(c->m[j].base, c->m[i].base) == 0 && c->m[j].off >= c->m[i].off &&
			    c->m[j].off < c->m[i].off + (long)w)
				keep[j] = 1;
	}
	for (i = 0; i < c->nm; i++)
		if (keep[i])
			c->m[n++] = c->m[i];
	c->nm = n;
}

/* Registers a call preserves (the ABI's callee-saved ones, as keyed). */
bool pst_cst_callee_saved(enum pst_isa arch, const char *k)
{
	static const char *const x64[] = { "bx", "bp", "sp", "r12", "r13", "r14", "r15", NULL };
	static const char *const x86[] = { "bx", "bp", "sp", "si", "di", NULL };
	static const char *const arm[] = { "r4", "r5", "r6", "r7", "r8", "r9", "sb", "r10", "sl",
					   "r11", "fp", "sp", NULL };
	const char *const *l = arch == PST_ISA_X64 ? x64 : arch == PST_ISA_X86 ? x86 :
			       arch == PST_ISA_ARM ? arm : NULL;
	size_t i;
	if (arch == PST_ISA_MIPS)
		return (k[0] == '$' && k[1] == 's') || strcmp(k, "$fp") == 0 ||
		       strcmp(k, "$gp") == 0;
	if (arch == PST_ISA_A64) /* AAPCS64: x19-x28, the frame pointer, sp */
		return strcmp(k, "sp") == 0 ||
		       (k[0] == 'x' && atoi(k + 1) >= 19 && atoi(k + 1) <= 29);
	if (arch == PST_ISA_PPC) /* SysV ABI: r1 (stack), r2 (TLS), r14-r31 */
		return strcmp(k, "r1") == 0 || strcmp(k, "r2") == 0 ||
		       (k[0] == 'r' && (atoi(k + 1) >= 14 && atoi(k + 1) <= 31));
	for (i = 0; l && l[i]; i++)
		if (strcmp(l[i], k) == 0)
			return true;
	return false;
}

/* A call: the caller-saved registers hold the callee's values. */
static void forget_call(struct pst_cst *c)
{
	size_t i = 0;
	while (i < c->nr) {
		if (pst_cst_callee_saved(c->arch, c->r[i].name))
			i++;
		else
			c->r[i] = c->r[--c->nr];
	}
}

/* Calls and unconditional jumps, per machine (mnemonics without a ".w"). */
static const char *const calls_x86[] = { "call", NULL }, *const jumps_x86[] = { "jmp", "ret",
										NULL };
static const char *const calls_arm[] = { "bl", "blx", NULL }, *const jumps_arm[] = { "b", "bx",
										     NULL };
static const char *const calls_mips[] = { "jalr", "jal", "bal", NULL },
		  *const jumps_mips[] = { "j", "jr", "b", NULL };
static const char *const calls_ppc[] = { "bl", "bctrl", "blrl", NULL },
		  *const jumps_ppc[] = { "b", "blr", "bctr", NULL };
static const char *const calls_a64[] = { "bl", "blr", NULL },
		  *const jumps_a64[] = { "b", "br", "ret", NULL };

static bool in_list(const char *const *l, const char *m)
{
	for (; *l; l++)
		if (strcmp(*l, m) == 0)
			return true;
	return false;
}

/* A call forgets the caller-saved registers; an unconditional jump all of
 * them (what follows is another path). True when m was either. */
static bool control(struct pst_cst *c, const char *m, const char *const *calls,
		    const char *const *jumps)
{
	if (in_list(calls, m))
		forget_call(c);
	else if (in_list(jumps, m))
		pst_cst_forget_regs(c);
	else
		return false;
	return true;
}

static struct pst_cst_reg *reg_find(struct pst_cst *c, const char *key)
{
	size_t i;
	for (i = 0; i < c->nr; i++)
		if (strcmp(c->r[i].name, key) == 0)
			return &c->r[i];
	return NULL;
}

static void reg_set(struct pst_cst *c, const char *key, bool known, uint64_t v)
{
	struct pst_cst_reg *r = reg_find(c, key);
	if (!known) {
		if (r)
			*r = c->r[--c->nr];
		return;
	}
	if (!r && c->nr == PST_CST_REGS)
		return;
	if (!r) {
		r = &c->r[c->nr++];
		memcpy(r->name, key, sizeof(r->name));
	}
	r->v = v;
}

/* The value of operand s (a register or an immediate), if known. */
static bool value_of(struct pst_cst *c, const char *s, size_t len, uint64_t *v)
{
	char key[8];
	long imm;
	struct pst_cst_reg *r;
	if ((c->arch == PST_ISA_MIPS && len == 5 && strncmp(s, "$zero", 5) == 0) ||
	    ((c->arch == PST_ISA_ARM) && len == 2 && strncmp(s, "#0", 2) == 0)) {
		*v = 0;
		return true;
	}
	if (pst_asm_imm(s, &imm) && (s[0] == '#' || s[0] == '-' || isdigit((unsigned char)s[0]))) {
		*v = (uint64_t)imm;
		return true;
	}
	reg_key(c->arch, s, len, key);
	r = reg_find(c, key);
	if (r)
		*v = r->v;
	return r != NULL;
}

static void compared(struct pst_cst *c, uint64_t v, uint64_t at);

/* ---- memory: bytes at base + off ---- */

static void mem_put(struct pst_cst *c, const char *base, long off, bool known, uint8_t b)
{
	size_t i;
	for (i = 0; i < c->nm; i++)
		if (c->m[i].off == off && strcmp(c->m[i].base, base) == 0)
			break;
	if (i == c->nm) {
		if (!known || c->nm == PST_CST_BYTES)
			return;
		c->nm++;
		memcpy(c->m[i].base, base, sizeof(c->m[i].base));
		c->m[i].off = off;
	} else if (!known) {
		c->m[i] = c->m[--c->nm];
		return;
	}
	c->m[i].b = b;
}

bool pst_cst_byte_at(const struct pst_cst *c, const char *base, long off, uint8_t *b)
{
	size_t i;
	for (i = 0; i < c->nm; i++)
		if (c->m[i].off == off && strcmp(c->m[i].base, base) == 0) {
			*b = c->m[i].b;
			return true;
		}
	return false;
}

/* The width bytes stored at base + off, read in the machine's order. */
static bool mem_load_any(const struct pst_cst *c, const char *base, long off, unsigned width,
			 uint64_t *v)
{
	unsigned i;
	uint8_t b;
	*v = 0;
	for (i = 0; i < width; i++) {
		unsigned sh = c->big ? 8 * (width - 1 - i) : 8 * i;
		if (!pst_cst_byte_at(c, base, off + (long)i, &b))
			return false;
		*v |= (uint64_t)b << sh;
	}
	return true;
}

/* ... with address tracking only: a constant spilled to the stack and
 * reloaded. */
static bool mem_load(const struct pst_cst *c, const char *base, long off, unsigned width,
		     uint64_t *v)
{
	return c->addrs && mem_load_any(c, base, off, width, v);
}

static void store(struct pst_cst *c, const char *base, long off, unsigned width, bool known,
		  uint64_t v)
{
	unsigned i;
	for (i = 0; i < width; i++) {
		unsigned sh = c->big ? 8 * (width - 1 - i) : 8 * i;
		mem_put(c, base, off + (long)i, known, (uint8_t)(v >> sh));
	}
}

/* Stores what operand src (a register or an immediate) holds, known or not. */
static void store_from(struct pst_cst *c, const char *base, long off, unsigned width,
		       const char *src, size_t len)
{
	uint64_t v = 0;
	bool k = value_of(c, src, len, &v);
	store(c, base, off, width, k, v);
}

/* An equality compare of operands a and b: either may be the constant. */
static void compare_ops(struct pst_cst *c, const char *a, size_t al, const char *b, size_t bl,
			uint64_t at)
{
	uint64_t v;
	if (value_of(c, b, bl, &v) || value_of(c, a, al, &v))
		compared(c, v, at);
}

/* Reads width bytes at virtual address addr of the file. */
static bool load_const(const struct pst_cst *c, uint64_t addr, unsigned width, uint64_t *v)
{
	uint64_t off = pst_elf_vaddr_off(c->e, addr);
	const uint8_t *p;
	unsigned i;
	if (off == UINT64_MAX || width > 8)
		return false;
	p = pst_view_at(c->e->v, off, width);
	if (!p)
		return false;
	*v = 0;
	for (i = 0; i < width; i++)
		*v |= (uint64_t)p[c->big ? i : width - 1 - i] << (8 * (width - 1 - i));
	return true;
}

/* ---- what a compare against a constant says ---- */

bool pst_arm_cond(const char *cc)
{
	static const char *const l[] = { "eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs",
					  "vc", "hi", "ls", "ge", "lt", "gt", "le", NULL };
	size_t i;
	for (i = 0; l[i]; i++)
		if (strcmp(cc, l[i]) == 0)
			return true;
	return false;
}

bool pst_magic_word(const uint8_t b[4])
{
	int i, printable = 0, distinct = 0, j;
	for (i = 0; i < 4; i++) {
		printable += isalnum(b[i]) != 0;
		for (j = 0; j < i && b[j] != b[i]; j++)
			;
		distinct += j == i && b[i] != 0 && b[i] != 0xff;
	}
	return printable == 4 || distinct == 4;
}

/* An ELF header's magic in either byte order: a static libc's loader
 * (open_verify) reads a file and checks it; no protocol's trigger. */
static bool is_magic(uint64_t v)
{
	uint8_t b[4];
	int i;
	if (v > 0xffffffffu || v == 0x464c457fu || v == 0x7f454c46u)
		return false;
	for (i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (24 - 8 * i));
	return pst_magic_word(b);
}

static void compared(struct pst_cst *c, uint64_t v, uint64_t at)
{
	v &= 0xffffffffu;
	if (!is_magic(v) || c->have_magic)
		return;
	c->have_magic = true;
	c->magic = (uint32_t)v;
	c->magic_at = at;
}

/* ---- x86 ---- */

/* i386's esp-based bytes, keyed from the start (a whole key: mem_put
 * copies all eight bytes of a base's name). */
static const char sp_key[8] = "@sp";

static unsigned ptr_width(const char *o)
{
	return pst_prefix(o, "byte ptr") ? 1 : pst_prefix(o, "word ptr") ? 2 :
	       pst_prefix(o, "dword ptr") ? 4 : pst_prefix(o, "qword ptr") ? 8 : 0;
}

/* "[rsp + 0x12]", "[ebp - 0x28]", "[rsp]" -> base key and offset; false for
 * an index register or a form not understood. */
static bool x86_mem(struct pst_cst *c, const char *o, char base[8], long *off)
{
	const char *b = strchr(o, '['), *e;
	size_t bl;
	long d = 0;
	if (!b)
		return false;
	b++;
	e = strchr(b, ']');
	bl = strcspn(b, " ]");
	if (!e || bl == 0 || bl > 5)
		return false;
	if (b[bl] == ' ') {
		if ((b[bl + 1] != '+' && b[bl + 1] != '-') || !pst_asm_imm(b + bl + 3, &d) ||
		    strchr(b + bl + 3, '*'))
			return false;
		if (b[bl + 1] == '-')
			d = -d;
	}
	reg_key(c->arch, b, bl, base);
	*off = d;
	if (c->arch == PST_ISA_X86 && c->addrs && strcmp(base, "sp") == 0) {
		/* esp moves with every push: keyed from the start instead */
		memcpy(base, "@sp", 4);
		*off = d - c->spd;
	}
	return true;
}

/* Forgets the bytes below esp, which are no longer the frame's: pushed
 * arguments of a call made, that would otherwise fill the tracker. */
static void x86_popped(struct pst_cst *c)
{
	size_t i = 0;
	while (i < c->nm) {
		if (c->m[i].off < -c->spd && strcmp(c->m[i].base, "@sp") == 0)
			c->m[i] = c->m[--c->nm];
		else
			i++;
	}
}

/* i386 with address tracking: esp's moves (push, pop, sub/add esp, imm)
 * and what a push stores; true when in was one of them. */
static bool x86_stack(struct pst_cst *c, const char *m, const char *o)
{
	char base[8], key[8];
	uint64_t v = 0;
	long off, imm;
	bool k;
	if (c->arch != PST_ISA_X86 || !c->addrs)
		return false;
	if (strcmp(m, "push") == 0) {
		if (ptr_width(o))
			k = x86_mem(c, o, base, &off) && mem_load_any(c, base, off, 4, &v);
		else
			k = value_of(c, o, strlen(o), &v);
		c->spd += 4;
		store(c, sp_key, -c->spd, 4, k, v);
		return true;
	}
	if (strcmp(m, "pop") == 0) {
		reg_key(c->arch, o, strlen(o), key);
		reg_set(c, key, false, 0);
		c->spd -= 4;
		x86_popped(c);
		return true;
	}
	if ((strcmp(m, "sub") == 0 || strcmp(m, "add") == 0) && pst_prefix(o, "esp, ") &&
	    pst_asm_imm(o + 5, &imm)) {
		c->spd += m[0] == 's' ? imm : -imm;
		x86_popped(c);
		return true;
	}
	return false;
}

/* Address tracking: `lea r, [base + X]` from a known base (i386's
 * @GOTOFF strings off the GOT register) and `add/sub r, imm` of a known
 * register (the GOT register after __x86.get_pc_thunk). */
static bool x86_arith(struct pst_cst *c, const char *m, const char *o, const char *s,
		      const char *key)
{
	char base[8];
	uint64_t v, x;
	long off;
	if (!c->addrs)
		return false;
	if (strcmp(m, "lea") == 0 && !strchr(s, '*') && x86_mem(c, s, base, &off) &&
	    base[0] != '@' && value_of(c, base, strlen(base), &x)) {
		v = x + (uint64_t)off;
		reg_set(c, key, true, c->arch == PST_ISA_X86 ? v & 0xffffffffu : v);
		return true;
	}
	if ((strcmp(m, "add") == 0 || strcmp(m, "sub") == 0) && pst_asm_imm(s, &off) &&
	    (isdigit((unsigned char)s[0]) || s[0] == '-') && value_of(c, o, first_len(o), &x)) {
		v = m[0] == 'a' ? x + (uint64_t)off : x - (uint64_t)off;
		reg_set(c, key, true, c->arch == PST_ISA_X86 ? v & 0xffffffffu : v);
		return true;
	}
	return false;
}

static void step_x86(struct pst_cst *c, const cs_insn *in)
{
	const char *m = in->mnemonic, *o = in->op_str, *s = second(o);
	size_t fl = first_len(o);
	char key[8], base[8];
	unsigned w = ptr_width(o);
	uint64_t v = 0;
	long off, abs;
	if (control(c, m, calls_x86, jumps_x86) || x86_stack(c, m, o))
		return;
	if (strcmp(m, "cmp") == 0 && s) {
		if (w == 0 || w == 4) /* a word or a register: a byte is no magic */
			compare_ops(c, o, fl, s, strlen(s), in->address);
		return;
	}
	if (!s)
		return;
	if (w) {
		/* a store: mov SIZE ptr [base + off], value */
		if (strcmp(m, "mov") == 0 && x86_mem(c, o, base, &off))
			store_from(c, base, off, w, s, strlen(s));
		return;
	}
	reg_key(c->arch, o, fl, key);
	if ((strcmp(m, "mov") == 0 || strcmp(m, "movabs") == 0) && ptr_width(s)) {
		const char *br = strchr(s, '[');
		bool k = false;
		if (br && pst_prefix(br, "[rip + ") && pst_asm_imm(br + 7, &off))
			k = load_const(c, in->address + in->size + (uint64_t)off, ptr_width(s), &v);
		else if (c->addrs && x86_mem(c, s, base, &off))
			k = mem_load(c, base, off, ptr_width(s), &v);
		else if (br && c->arch == PST_ISA_X86 && pst_asm_imm(br + 1, &abs))
			k = load_const(c, (uint64_t)abs & 0xffffffffu, ptr_width(s), &v);
		reg_set(c, key, k, v);
	} else if (strcmp(m, "mov") == 0 || strcmp(m, "movabs") == 0) {
		bool k = value_of(c, s, strlen(s), &v);
		reg_set(c, key, k, v);
	} else if (strcmp(m, "xor") == 0 && strlen(s) == fl && strncmp(s, o, fl) == 0) {
		reg_set(c, key, true, 0);
	} else if (c->addrs && strcmp(m, "lea") == 0 && pst_prefix(s, "[rip + ") &&
		   pst_asm_imm(s + 7, &off)) {
		reg_set(c, key, true, in->address + in->size + (uint64_t)off);
	} else if (x86_arith(c, m, o, s, key)) {
		/* done */
	} else if (strcmp(m, "test") != 0 && strcmp(m, "push") != 0) {
		reg_set(c, key, false, 0);
	}
}

/* ---- ARM and Thumb ---- */

/* "[sp, #0x18]", "[r4]" -> base and offset; no writeback or index. */
static bool arm_mem(struct pst_cst *c, const char *s, char base[8], long *off)
{
	size_t bl;
	*off = 0;
	if (s[0] != '[' || strchr(s, '!'))
		return false;
	bl = strcspn(s + 1, ",]");
	if (s[1 + bl] == ',' && (s[3 + bl] != '#' || !pst_asm_imm(s + 3 + bl, off)))
		return false;
	if (s[1 + bl] != ',' && s[1 + bl] != ']')
		return false;
	reg_key(c->arch, s + 1, bl, base);
	return true;
}

static void step_arm(struct pst_cst *c, const cs_insn *in, bool thumb)
{
	char m[16], key[8], base[8];
	const char *o = in->op_str, *s = second(o);
	size_t fl = first_len(o), ml = strcspn(in->mnemonic, ".");
	uint64_t v = 0, a;
	long off;
	bool k;
	if (ml >= sizeof(m))
		return;
	memcpy(m, in->mnemonic, ml);
	m[ml] = 0;
	if (control(c, m, calls_arm, jumps_arm))
		return;
	if (!s)
		return;
	reg_key(c->arch, o, fl, key);
	if (strcmp(m, "cmp") == 0) {
		compare_ops(c, o, fl, s, strlen(s), in->address);
		return;
	}
	if (strcmp(m, "str") == 0 || strcmp(m, "strh") == 0 || strcmp(m, "strb") == 0) {
		unsigned w = m[3] == 'h' ? 2 : m[3] == 'b' ? 1 : 4;
		if (arm_mem(c, s, base, &off))
			store_from(c, base, off, w, o, fl);
		return;
	}
	if (strcmp(m, "strd") == 0) {
		/* "strd r2, r3, [sp]": a sockaddr's first word from a literal pool */
		const char *t = second(s);
		if (t && arm_mem(c, t, base, &off)) {
			store_from(c, base, off, 4, o, fl);
			store_from(c, base, off + 4, 4, s, first_len(s));
		}
		return;
	}
	if (strcmp(m, "ldr") == 0 && pst_prefix(s, "[pc")) {
		off = 0;
		if (s[3] == ',' && !pst_asm_imm(s + 5, &off))
			off = LONG_MIN;
		a = (thumb ? ((in->address + 4) & ~(uint64_t)3) : in->address + 8) + (uint64_t)off;
		k = off != LONG_MIN && load_const(c, a, 4, &v);
		reg_set(c, key, k, v);
		return;
	}
	if (c->addrs && strcmp(m, "ldr") == 0 && arm_mem(c, s, base, &off)) {
		k = mem_load(c, base, off, 4, &v);
		reg_set(c, key, k, v);
		return;
	}
	if (strcmp(m, "mov") == 0 || strcmp(m, "movs") == 0 || strcmp(m, "movw") == 0) {
		k = value_of(c, s, strlen(s), &v);
		reg_set(c, key, k, v & 0xffffffffu);
	} else if (strcmp(m, "mvn") == 0) {
		k = s[0] == '#' && value_of(c, s, strlen(s), &v);
		reg_set(c, key, k, ~v & 0xffffffffu);
	} else if (strcmp(m, "movt") == 0) {
		struct pst_cst_reg *r = reg_find(c, key);
		k = r && value_of(c, s, strlen(s), &v);
		reg_set(c, key, k, k ? ((r->v & 0xffff) | (v & 0xffff) << 16) : 0);
	} else if ((strcmp(m, "orr") == 0 || strcmp(m, "add") == 0) && strchr(s, ',')) {
		uint64_t x, y, pc = in->address + (thumb ? 4 : 8);
		const char *t = second(s);
		k = value_of(c, s, first_len(s), &x) && value_of(c, t, strlen(t), &y);
		if (c->addrs && m[0] == 'a' && pst_prefix(s, "pc, "))
			k = value_of(c, t, strlen(t), &y) && (x = pc, true);
		reg_set(c, key, k, (m[0] == 'o' ? x | y : x + y) & 0xffffffffu);
	} else if (!pst_prefix(m, "tst") && !pst_prefix(m, "cmn") && !pst_prefix(m, "st") &&
		   m[0] != 'b' && !pst_prefix(m, "push")) {
		reg_set(c, key, false, 0);
	}
}

/* ---- MIPS ---- */

/* "0x1a($sp)" (MIPS), "8(r1)" (PowerPC) -> base and offset */
static bool paren_mem(struct pst_cst *c, const char *s, char base[8], long *off)
{
	const char *p = strchr(s, '(');
	char *end;
	size_t bl;
	if (!p)
		return false;
	*off = p == s ? 0 : strtol(s, &end, 0);
	if (p != s && end != p)
		return false;
	bl = strcspn(p + 1, ")");
	reg_key(c->arch, p + 1, bl, base);
	return true;
}

static void step_mips(struct pst_cst *c, const cs_insn *in)
{
	const char *m = in->mnemonic, *o = in->op_str, *s = second(o), *t;
	size_t fl = first_len(o);
	char key[8], base[8];
	uint64_t v = 0, x;
	long off;
	bool k;
	if (control(c, m, calls_mips, jumps_mips))
		return;
	if (!s)
		return;
	if (strcmp(m, "beq") == 0 || strcmp(m, "bne") == 0) {
		compare_ops(c, o, fl, s, first_len(s), in->address);
		return;
	}
	if (strcmp(m, "sb") == 0 || strcmp(m, "sh") == 0 || strcmp(m, "sw") == 0) {
		unsigned w = m[1] == 'b' ? 1 : m[1] == 'h' ? 2 : 4;
		if (paren_mem(c, s, base, &off))
			store_from(c, base, off, w, o, fl);
		return;
	}
	if ((m[0] == 's' && strchr(s, '(')) || m[0] == 'b' || m[0] == 'j' || strcmp(m, "teq") == 0)
		return; /* other stores and branches write no register */
	reg_key(c->arch, o, fl, key);
	t = strchr(s, ',') ? second(s) : NULL;
	if (strcmp(m, "lui") == 0) {
		k = value_of(c, s, strlen(s), &v);
		reg_set(c, key, k, (v & 0xffff) << 16);
	} else if (strcmp(m, "li") == 0 || strcmp(m, "move") == 0) {
		k = value_of(c, s, strlen(s), &v);
		reg_set(c, key, k, v & 0xffffffffu);
	} else if (c->addrs && strcmp(m, "lw") == 0 && paren_mem(c, s, base, &off)) {
		k = mem_load(c, base, off, 4, &v) ||
		    (value_of(c, base, strlen(base), &x) &&
		     load_const(c, (x + (uint64_t)off) & 0xffffffffu, 4, &v));
		reg_set(c, key, k, v);
	} else if ((strcmp(m, "addiu") == 0 || strcmp(m, "ori") == 0 || strcmp(m, "addu") == 0 ||
		    strcmp(m, "or") == 0) && t) {
		k = value_of(c, s, first_len(s), &x) && value_of(c, t, strlen(t), &v);
		if (m[0] == 'o')
			v = x | (strcmp(m, "ori") == 0 ? v & 0xffff : v);
		else
			v = x + v;
		reg_set(c, key, k, v & 0xffffffffu);
	} else {
		reg_set(c, key, false, 0);
	}
}

/* ---- PowerPC (32-bit, and 64-bit through the same steps) ---- */

/* The key under which a register's pending xor is kept ("r9^"): GCC tests
 * x == 0x53634d4d as `xoris r9, r10, 0x5363; cmpwi r9, 0x4d4d`. */
static void ppc_xor_key(const char *key, char out[8])
{
	snprintf(out, 8, "%.6s^", key);
}

/* A compare (cmpw, cmplw, cmpwi, cmplwi, and the doubleword forms; the
 * condition field first or left out): an equality test of a register with
 * a constant, or of a register xored with a constant (above) with an
 * immediate: then the magic is the two constants xored. */
static void ppc_compare(struct pst_cst *c, const char *m, const char *o, uint64_t at)
{
	const char *a = o, *b;
	char key[8], xk[8];
	const struct pst_cst_reg *x;
	long imm;
	if (a[0] == 'c' && a[1] == 'r') /* "cr7, r10, r9" */
		a = second(a);
	b = a ? second(a) : NULL;
	if (!b)
		return;
	reg_key(c->arch, a, first_len(a), key);
	ppc_xor_key(key, xk);
	x = reg_find(c, xk);
	if (x && pst_asm_imm(b, &imm)) {
		/* cmpwi sign-extends its immediate, cmplwi does not */
		uint64_t v = strchr(m + 3, 'l') ? (uint64_t)(imm & 0xffff) : (uint64_t)imm;
		compared(c, (x->v ^ v) & 0xffffffffu, at);
		return;
	}
	compare_ops(c, a, first_len(a), b, first_len(b), at);
}

/* Register writes a constant can flow through: li/lis, mr, ori/oris,
 * addi/addis, or/add. x and v: the source operands' values. */
static bool ppc_value(const char *m, uint64_t x, uint64_t v, uint64_t *out)
{
	if (strcmp(m, "ori") == 0)
		*out = x | (v & 0xffff);
	else if (strcmp(m, "oris") == 0)
		*out = x | (v & 0xffff) << 16;
	else if (strcmp(m, "addi") == 0 || strcmp(m, "add") == 0)
		*out = x + v;
	else if (strcmp(m, "addis") == 0)
		*out = x + (v << 16);
	else if (strcmp(m, "or") == 0)
		*out = x | v;
	else if (strcmp(m, "xori") == 0)
		*out = x ^ (v & 0xffff);
	else if (strcmp(m, "xoris") == 0)
		*out = x ^ (v & 0xffff) << 16;
	else if (strcmp(m, "xor") == 0)
		*out = x ^ v;
	else
		return false;
	*out &= 0xffffffffu;
	return true;
}

static void step_ppc(struct pst_cst *c, const cs_insn *in)
{
	const char *o = in->op_str, *s = second(o), *t;
	size_t fl = first_len(o), ml = strcspn(in->mnemonic, ".");
	char m[16], key[8], xk[8], base[8];
	uint64_t v = 0, x = 0;
	long off;
	bool k;
	/* "mr." and "ori." also set cr0: the same write */
	snprintf(m, sizeof(m), "%.*s", (int)ml, in->mnemonic);
	if (control(c, m, calls_ppc, jumps_ppc))
		return;
	if (!s)
		return;
	if (strncmp(m, "cmp", 3) == 0) {
		ppc_compare(c, m, o, in->address);
		return;
	}
	if (strcmp(m, "stb") == 0 || strcmp(m, "sth") == 0 || strcmp(m, "stw") == 0) {
		unsigned w = m[2] == 'b' ? 1 : m[2] == 'h' ? 2 : 4;
		if (paren_mem(c, s, base, &off))
			store_from(c, base, off, w, o, fl);
		return;
	}
	if (strcmp(m, "std") == 0) { /* 64-bit PowerPC: values are kept as 32 bits */
		if (paren_mem(c, s, base, &off))
			store(c, base, off, 8, false, 0);
		return;
	}
	if ((m[0] == 's' && m[1] == 't') || m[0] == 'b' || m[0] == 't')
		return; /* other stores (stwu moves r1: not tracked), branches, traps */
	reg_key(c->arch, o, fl, key);
	t = strchr(s, ',') ? second(s) : NULL;
	ppc_xor_key(key, xk);
	reg_set(c, xk, false, 0); /* any write ends a pending xor */
	if ((strcmp(m, "xoris") == 0 || strcmp(m, "xori") == 0) && t &&
	    !value_of(c, s, first_len(s), &x) && value_of(c, t, strlen(t), &v)) {
		reg_set(c, key, false, 0);
		reg_set(c, xk, true, m[4] == 's' ? (v & 0xffff) << 16 : v & 0xffff);
		return;
	}
	if (strcmp(m, "li") == 0 || strcmp(m, "mr") == 0) {
		k = value_of(c, s, strlen(s), &v);
		reg_set(c, key, k, v & 0xffffffffu);
	} else if (strcmp(m, "lis") == 0) {
		k = value_of(c, s, strlen(s), &v);
		reg_set(c, key, k, (v & 0xffff) << 16);
	} else if (t) {
		k = value_of(c, s, first_len(s), &x) && value_of(c, t, strlen(t), &v) &&
		    ppc_value(m, x, v, &v);
		reg_set(c, key, k, v);
	} else {
		reg_set(c, key, false, 0);
	}
}

/* ---- AArch64 ---- */

/* Register keys: w5 and x5 are one register (key "x5"), the frame and link
 * registers by number; a 32-bit write clears the upper half. */
static void a64_key(const char *s, size_t len, char out[8], bool *w32)
{
	*w32 = len >= 2 && s[0] == 'w';
	if (len >= 2 && len <= 3 && (s[0] == 'w' || s[0] == 'x') && isdigit((unsigned char)s[1])) {
		out[0] = 'x';
		memcpy(out + 1, s + 1, len - 1);
		out[len] = 0;
	} else if (len == 3 && strncmp(s, "wsp", 3) == 0) {
		memcpy(out, "sp", 3);
	} else if (len == 2 && strncmp(s, "fp", 2) == 0) {
		memcpy(out, "x29", 4);
	} else if (len == 2 && strncmp(s, "lr", 2) == 0) {
		memcpy(out, "x30", 4);
	} else {
		reg_key(PST_ISA_A64, s, len, out);
	}
}

/* "#0xfc7f, lsl #16", "#2", "#-1" -> the shifted immediate */
static bool a64_imm(const char *s, uint64_t *v)
{
	char *end;
	long long x;
	long sh = 0;
	if (*s != '#')
		return false;
	x = strtoll(s + 1, &end, 0);
	if (end == s + 1)
		return false;
	if (pst_prefix(end, ", lsl #")) {
		sh = strtol(end + 7, NULL, 0);
		if (sh < 0 || sh > 48)
			return false;
	} else if (*end) {
		return false;
	}
	*v = (uint64_t)x << sh;
	return true;
}

/* ---- AArch64 SIMD registers: a constant copied through q/d/s ----
 * A vector register is kept as two 64-bit halves (keys "v5" and "v5h");
 * a scalar write (d5, s5, h5, b5) zeroes what is above it, as the machine
 * does. Clang copies a constant sockaddr from .rodata with `ldr q0, [x8]` /
 * `stur q0, [x29, #-16]`; memsets are `movi v0.2d, #0` and `stp q0, q0`. */

/* "q5", "d5", "s5", "h5", "b5" (width 16..1) or "v5.4s", "v5.d[1]" (16):
 * the halves' keys; false for anything else. */
static bool a64_simd(const char *s, size_t len, char lo[8], char hi[8], unsigned *width)
{
	size_t n = 1;
	static const char kinds[] = "bhsdqv";
	const char *k = len ? memchr(kinds, s[0], sizeof(kinds) - 1) : NULL;
	static const unsigned widths[] = { 1, 2, 4, 8, 16, 16 };
	while (n < len && n < 3 && isdigit((unsigned char)s[n]))
		n++;
	if (!k || n == 1 || n > 3 || (n < len && s[n] != '.') || (s[0] == 'v' && n == len) ||
	    atoi(s + 1) > 31)
		return false;
	snprintf(lo, 8, "v%.*s", (int)(n - 1), s + 1);
	snprintf(hi, 8, "v%.*sh", (int)(n - 1), s + 1);
	*width = widths[k - kinds];
	return true;
}

/* Both halves of a SIMD register, if known. */
static bool a64_simd_get(struct pst_cst *c, const char *lo, const char *hi, uint64_t *vl,
			 uint64_t *vh)
{
	const struct pst_cst_reg *a = reg_find(c, lo), *b = reg_find(c, hi);
	if (!a || !b)
		return false;
	*vl = a->v;
	*vh = b->v;
	return true;
}

static void a64_simd_set(struct pst_cst *c, const char *lo, const char *hi, bool known,
			 uint64_t vl, uint64_t vh)
{
	reg_set(c, lo, known, vl);
	reg_set(c, hi, known, vh);
}

/* The value of an immediate replicated over an arrangement ("v0.4s, #0x7f,
 * lsl #8"; "v0.2d, #0xff00"; "d0, #0"): both halves of the register. */
static bool a64_movi(const char *o, uint64_t *vl, uint64_t *vh)
{
	const char *dot = strchr(o, '.'), *imm = second(o);
	unsigned lanes = 1, bits = 64, i;
	uint64_t x, lane;
	if (!imm || !a64_imm(imm, &x))
		return false;
	if (dot && dot < imm) {
		char t;
		lanes = (unsigned)strtoul(dot + 1, NULL, 10);
		t = dot[1 + strspn(dot + 1, "0123456789")];
		bits = t == 'b' ? 8 : t == 'h' ? 16 : t == 's' ? 32 : t == 'd' ? 64 : 0;
		if (!bits || lanes * bits > 128 || lanes * bits < 64)
			return false;
	}
	lane = bits == 64 ? x : x & (((uint64_t)1 << bits) - 1);
	*vl = 0;
	for (i = 0; i < 64 / bits; i++)
		*vl |= lane << (i * bits);
	*vh = lanes * bits == 128 ? *vl : 0;
	return true;
}

/* The value of operand s (up to its comma): a register, wzr/xzr or an
 * immediate; 32-bit registers read their lower half. */
static bool a64_value(struct pst_cst *c, const char *s, size_t len, uint64_t *v)
{
	char key[8], hi[8], buf[24];
	unsigned w;
	struct pst_cst_reg *r;
	bool w32;
	if (s[0] == '#') {
		snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
		return a64_imm(buf, v);
	}
	if ((len == 3 && strncmp(s, "wzr", 3) == 0) || (len == 3 && strncmp(s, "xzr", 3) == 0)) {
		*v = 0;
		return true;
	}
	if (a64_simd(s, len, key, hi, &w)) {
		r = w <= 8 ? reg_find(c, key) : NULL;
		if (r)
			*v = w < 8 ? r->v & (((uint64_t)1 << (8 * w)) - 1) : r->v;
		return r != NULL;
	}
	a64_key(s, len, key, &w32);
	r = reg_find(c, key);
	if (r)
		*v = w32 ? r->v & 0xffffffffu : r->v;
	return r != NULL;
}

/* Forgets the bytes stored through base, whose value changed. */
static void mem_forget_base(struct pst_cst *c, const char *base)
{
	size_t i = 0;
	while (i < c->nm) {
		if (strcmp(c->m[i].base, base) == 0)
			c->m[i] = c->m[--c->nm];
		else
			i++;
	}
}

/* A writeback moved base: its value and what was stored through it go. */
static void a64_moved(struct pst_cst *c, const char *base)
{
	mem_forget_base(c, base);
	reg_set(c, base, false, 0);
}

/* Writes register operand d (its text, len bytes): a w register keeps the
 * lower half; a new value of a base register drops what was stored
 * through it. */
static void a64_write(struct pst_cst *c, const char *d, size_t len, bool known, uint64_t v)
{
	char key[8];
	bool w32;
	char hi[8];
	unsigned w;
	if (len == 3 && (strncmp(d, "wzr", 3) == 0 || strncmp(d, "xzr", 3) == 0))
		return;
	if (a64_simd(d, len, key, hi, &w)) {
		reg_set(c, key, known, w < 8 ? v & (((uint64_t)1 << (8 * w)) - 1) : v);
		reg_set(c, hi, known && w < 16, 0);
		return;
	}
	a64_key(d, len, key, &w32);
	mem_forget_base(c, key);
	reg_set(c, key, known, w32 ? v & 0xffffffffu : v);
}

/* SIMD moves of constants: movi, fmov between general and SIMD registers,
 * whole-register copies (mov/orr vD.16b, vN.16b), lane moves to a general
 * register (umov/mov xD, vN.d[i]; wD, vN.s[i]). True when handled. */
static bool a64_simd_move(struct pst_cst *c, const char *m, const char *o)
{
	const char *s = second(o), *t = s ? second(s) : NULL;
	char dl[8], dh[8], sl[8], sh[8];
	unsigned dw, sw;
	uint64_t vl = 0, vh = 0, x;
	bool dv = a64_simd(o, first_len(o), dl, dh, &dw), k;
	bool sv = s && a64_simd(s, first_len(s), sl, sh, &sw);
	if (strcmp(m, "movi") == 0 && dv) {
		k = a64_movi(o, &vl, &vh);
		a64_simd_set(c, dl, dh, k, vl, dw == 16 ? vh : 0);
	} else if ((strcmp(m, "fmov") == 0 || strcmp(m, "mov") == 0 || strcmp(m, "orr") == 0) &&
		   dv && sv && (!t || strncmp(t, s, first_len(s)) == 0) && !strchr(o, '[')) {
		k = a64_simd_get(c, sl, sh, &vl, &vh);
		a64_simd_set(c, dl, dh, k, dw < 8 ? vl & (((uint64_t)1 << (8 * dw)) - 1) : vl,
			     dw == 16 ? vh : 0);
	} else if (strcmp(m, "fmov") == 0 && dv && s && (s[0] == 'x' || s[0] == 'w')) {
		k = a64_value(c, s, strlen(s), &x);
		a64_simd_set(c, dl, dh, k, s[0] == 'w' ? x & 0xffffffffu : x, 0);
	} else if ((strcmp(m, "fmov") == 0 || strcmp(m, "umov") == 0 || strcmp(m, "mov") == 0) &&
		   !dv && sv && (o[0] == 'x' || o[0] == 'w')) {
		const char *lane = strchr(s, '[');
		unsigned i = lane ? (unsigned)atoi(lane + 1) : 0;
		bool d = !lane || strstr(s, ".d[");
		k = a64_simd_get(c, sl, sh, &vl, &vh) && (d ? i < 2 : strstr(s, ".s[") && i < 4);
		x = d ? (i ? vh : vl) : ((i < 2 ? vl : vh) >> (32 * (i % 2))) & 0xffffffffu;
		a64_write(c, o, first_len(o), k, x);
	} else if (dv) {
		a64_simd_set(c, dl, dh, false, 0, 0); /* any other write: unknown */
	} else {
		return false;
	}
	return true;
}

/* "[sp, #0x40]", "[x1]", "[x1], #1" (post-index: stores at x1, then moves
 * it) -> base key and offset; writeback is told apart. */
static bool a64_mem(const char *s, char base[8], long *off, bool *wb)
{
	size_t bl;
	bool w32;
	long long d = 0;
	char *end;
	*wb = strchr(s, '!') != NULL || strstr(s, "], ") != NULL;
	if (s[0] != '[')
		return false;
	bl = strcspn(s + 1, ",]");
	if (s[1 + bl] == ',') {
		if (s[2 + bl] != ' ' || s[3 + bl] != '#')
			return false; /* a register index */
		d = strtoll(s + 4 + bl, &end, 0);
		if (*end != ']')
			return false;
	}
	a64_key(s + 1, bl, base, &w32);
	*off = (long)d;
	return true;
}

/* The width of a load or store: its mnemonic's size letter, else the
 * register's (w 4, x 8, q 16, d 8, s 4, h 2, b 1). */
static unsigned a64_width(const char *m, const char *r)
{
	size_t ml = strlen(m);
	if (m[ml - 1] == 'b')
		return 1;
	if (m[ml - 1] == 'h')
		return 2;
	if (strcmp(m, "ldrsw") == 0 || strcmp(m, "ldursw") == 0)
		return 4;
	switch (r[0]) {
	case 'w': case 's': return 4;
	case 'x': case 'd': return 8;
	case 'q': return 16;
	case 'h': return 2;
	case 'b': return 1;
	default: return 0;
	}
}

/* str/stur/strh/strb/stp: the stored registers' bytes at base + off. */
static void a64_store(struct pst_cst *c, const char *m, const char *o)
{
	const char *s = second(o), *mem = s;
	size_t fl = first_len(o), n = 1, i;
	char base[8];
	long off;
	bool wb;
	unsigned w = a64_width(m, o);
	if (m[2] == 'p' || m[3] == 'p') { /* stp, stnp: two registers */
		n = 2;
		mem = s ? second(s) : NULL;
	}
	if (!mem || !a64_mem(mem, base, &off, &wb) || w == 0)
		return;
	for (i = 0; i < n; i++) {
		const char *r = i == 0 ? o : s;
		size_t rl = i == 0 ? fl : first_len(s);
		uint64_t v = 0, vh = 0;
		char lo[8], hi[8];
		unsigned sw;
		bool k = w <= 8 && a64_value(c, r, rl, &v);
		if (w > 8) { /* a q register: its two halves, known or not */
			k = a64_simd(r, rl, lo, hi, &sw) && a64_simd_get(c, lo, hi, &v, &vh);
			store(c, base, off, 8, k, v);
			store(c, base, off + 8, 8, k, vh);
		} else {
			store(c, base, off, w, k, v);
		}
		off += (long)w;
	}
	if (wb) /* the base moved */
		a64_moved(c, base);
}

/* ldr q: 16 bytes from read-only data at a known address (a literal, an
 * adrp+add base) or from a spilled copy, into both halves. */
static void a64_load_q(struct pst_cst *c, const char *o, size_t fl, const char *s)
{
	char base[8], lo[8], hi[8];
	long off = 0;
	bool wb = false, k = false;
	uint64_t a = 0, vl = 0, vh = 0;
	unsigned w;
	if (s && s[0] == '#' && a64_imm(s, &a))
		k = load_const(c, a, 8, &vl) && load_const(c, a + 8, 8, &vh);
	else if (s && a64_mem(s, base, &off, &wb) && !wb)
		k = (a64_value(c, base, strlen(base), &a) &&
		     load_const(c, a + (uint64_t)off, 8, &vl) &&
		     load_const(c, a + (uint64_t)off + 8, 8, &vh)) ||
		    (mem_load(c, base, off, 8, &vl) && mem_load(c, base, off + 8, 8, &vh));
	else if (wb)
		a64_moved(c, base);
	if (a64_simd(o, fl, lo, hi, &w))
		a64_simd_set(c, lo, hi, k, vl, vh);
}

/* ldr/ldur/ldp...: from read-only data at a known address (an adrp+add
 * base, a literal), else from a spilled constant (address tracking). */
static void a64_load(struct pst_cst *c, const cs_insn *in, const char *m)
{
	const char *o = in->op_str, *s = second(o);
	size_t fl = first_len(o);
	char base[8];
	long off;
	bool wb, k = false;
	uint64_t v = 0, a;
	unsigned w = a64_width(m, o);
	if (m[2] == 'p' || m[3] == 'p') { /* ldp: two registers, not read */
		a64_write(c, o, fl, false, 0);
		if (s)
			a64_write(c, s, first_len(s), false, 0);
		if (s && second(s) && a64_mem(second(s), base, &off, &wb) && wb)
			a64_moved(c, base);
		return;
	}
	if (w == 16) {
		a64_load_q(c, o, fl, s);
		return;
	}
	if (s && s[0] == '#' && a64_imm(s, &a) && w <= 8 && w > 0)
		k = load_const(c, a, w, &v); /* ldr x0, #literal */
	else if (s && w <= 8 && a64_mem(s, base, &off, &wb) && wb)
		a64_moved(c, base);
	else if (s && w <= 8 && a64_mem(s, base, &off, &wb))
		k = (a64_value(c, base, strlen(base), &a) &&
		     load_const(c, a + (uint64_t)off, w, &v)) ||
		    mem_load(c, base, off, w, &v);
	a64_write(c, o, fl, k, v);
}

/* x shifted as an AArch64 shift names it (lsl, lsr, asr by n); asr of a
 * 32-bit register keeps its sign bit. */
static bool a64_shift(const char *how, uint64_t x, uint64_t n, bool w32, uint64_t *v)
{
	if (strcmp(how, "lsl") == 0) {
		*v = x << n;
	} else if (strcmp(how, "lsr") == 0) {
		*v = x >> n;
	} else if (strcmp(how, "asr") == 0) {
		int64_t sx = w32 ? (int64_t)(int32_t)(uint32_t)x : (int64_t)x;
		*v = (uint64_t)(sx >> n);
	} else {
		return false;
	}
	if (w32)
		*v &= 0xffffffffu;
	return true;
}

/* The last operand of an ALU instruction: a register or an immediate,
 * optionally shifted ("w2, lsl #8", "x3, lsr #4", "#0x7f, lsl #12") or
 * zero-extended ("w2, uxtb", "w2, uxth #1"; signed extensions and ror are
 * not followed). */
static bool a64_operand(struct pst_cst *c, const char *t, bool w32, uint64_t *v)
{
	const char *op = second(t), *n;
	size_t fl = first_len(t);
	uint64_t x, sh = 0;
	char how[8];
	if (t[0] == '#' || !op)
		return a64_value(c, t, t[0] == '#' ? strlen(t) : fl, v);
	if (!a64_value(c, t, fl, &x) || sscanf(op, "%7[a-z]", how) != 1)
		return false;
	n = strchr(op, '#');
	if (n)
		sh = strtoull(n + 1, NULL, 0);
	if (sh > 63)
		return false;
	if (pst_prefix(how, "uxt") && strlen(how) == 4) { /* uxtb/h/w/x, then lsl #n */
		unsigned bits = how[3] == 'b' ? 8 : how[3] == 'h' ? 16 : how[3] == 'w' ? 32 : 64;
		x = bits == 64 ? x : x & (((uint64_t)1 << bits) - 1);
		return a64_shift("lsl", x, sh, w32, v);
	}
	return a64_shift(how, x, sh, w32, v);
}

/* bfi (insert width bits of n at lsb), ubfiz (the same into zero), ubfx
 * (extract): how a compiler may put a port beside a family. */
static bool a64_bitfield(struct pst_cst *c, const char *m, const char *o, uint64_t *v)
{
	const char *s = second(o), *t = s ? second(s) : NULL, *u = t ? second(t) : NULL;
	uint64_t d = 0, n, lsb, width, mask;
	if (!u || t[0] != '#' || u[0] != '#' || !a64_value(c, s, first_len(s), &n))
		return false;
	lsb = strtoull(t + 1, NULL, 0);
	width = strtoull(u + 1, NULL, 0);
	if (width == 0 || width > 64 || lsb > 63)
		return false;
	mask = width == 64 ? ~(uint64_t)0 : ((uint64_t)1 << width) - 1;
	if (strcmp(m, "ubfx") == 0) {
		*v = (n >> lsb) & mask;
		return true;
	}
	if (strcmp(m, "bfi") == 0 && !a64_value(c, o, first_len(o), &d))
		return false;
	*v = (d & ~(mask << lsb)) | ((n & mask) << lsb);
	return true;
}

/* Register writes a constant flows through: movz/mov/movn/movk, orr, add,
 * sub, and, eor (the last operand shifted or not), lsl/lsr/asr, bfi, ubfiz,
 * ubfx, adrp (the page's address), adr. */
static bool a64_alu(struct pst_cst *c, const char *m, const char *o, uint64_t *v)
{
	const char *s = second(o), *t = s ? second(s) : NULL;
	uint64_t x = 0, y = 0;
	bool w32 = o[0] == 'w';
	if (!s)
		return false;
	if (strcmp(m, "movz") == 0 || strcmp(m, "mov") == 0 || strcmp(m, "adrp") == 0 ||
	    strcmp(m, "adr") == 0)
		return a64_value(c, s, strlen(s), v);
	if (strcmp(m, "movn") == 0) {
		if (!a64_imm(s, &x))
			return false;
		*v = w32 ? ~x & 0xffffffffu : ~x;
		return true;
	}
	if (strcmp(m, "movk") == 0) {
		unsigned sh = 0;
		const char *l = strstr(s, "lsl #");
		if (!a64_value(c, o, first_len(o), &x) || !a64_imm(s, &y))
			return false;
		if (l)
			sh = (unsigned)strtoul(l + 5, NULL, 0) & 63;
		*v = (x & ~((uint64_t)0xffff << sh)) | y;
		return true;
	}
	if (strcmp(m, "bfi") == 0 || strcmp(m, "ubfiz") == 0 || strcmp(m, "ubfx") == 0)
		return a64_bitfield(c, m, o, v);
	if (!t || !a64_value(c, s, first_len(s), &x) || !a64_operand(c, t, w32, &y))
		return false;
	if (strcmp(m, "lsl") == 0 || strcmp(m, "lsr") == 0 || strcmp(m, "asr") == 0)
		return a64_shift(m, x, y & (w32 ? 31 : 63), w32, v);
	if (strcmp(m, "orr") == 0)
		*v = x | y;
	else if (strcmp(m, "add") == 0)
		*v = x + y;
	else if (strcmp(m, "sub") == 0)
		*v = x - y;
	else if (strcmp(m, "eor") == 0)
		*v = x ^ y;
	else if (strcmp(m, "and") == 0)
		*v = x & y;
	else
		return false;
	return true;
}

/* Instructions that write no general register: compares, stores, branches
 * (their control flow handled before), barriers, hints. */
static bool a64_no_write(const char *m)
{
	static const char *const l[] = { "cmp", "cmn", "tst", "ccmp", "ccmn", "fcmp", "prfm",
					 "nop", "dmb", "dsb", "isb", "msr", "hint", "brk",
					 "cbz", "cbnz", "tbz", "tbnz", "paciasp", "autiasp",
					 "bti", NULL };
	return in_list(l, m) || pst_prefix(m, "b.");
}

static void step_a64(struct pst_cst *c, const cs_insn *in)
{
	const char *m = in->mnemonic, *o = in->op_str, *s = second(o);
	uint64_t v = 0;
	bool k;
	if (control(c, m, calls_a64, jumps_a64))
		return;
	if (strcmp(m, "svc") == 0) {
		a64_write(c, "x0", 2, false, 0); /* the system call's result */
		return;
	}
	if (strcmp(m, "cmp") == 0 && s) {
		if (a64_value(c, s, strlen(s), &v) || a64_value(c, o, first_len(o), &v))
			compared(c, v, in->address);
		return;
	}
	if (pst_prefix(m, "st")) {
		if (!pst_prefix(m, "stx") && !pst_prefix(m, "stlx"))
			a64_store(c, m, o);
		else if (s) /* stxr ws, rt, [xn]: ws is a status */
			a64_write(c, o, first_len(o), false, 0);
		return;
	}
	if (a64_no_write(m) || !s)
		return;
	if (pst_prefix(m, "ld")) {
		a64_load(c, in, m);
		return;
	}
	if (a64_simd_move(c, m, o))
		return;
	k = a64_alu(c, m, o, &v);
	a64_write(c, o, first_len(o), k, v);
}

void pst_cst_init(struct pst_cst *c, const struct pst_elf *e)
{
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->arch = pst_elf_isa(e);
	c->big = e->big;
}

void pst_cst_step(struct pst_cst *c, const cs_insn *in, bool thumb)
{
	switch (c->arch) {
	case PST_ISA_X64:
	case PST_ISA_X86:
		step_x86(c, in);
		break;
	case PST_ISA_ARM:
		step_arm(c, in, thumb);
		break;
	case PST_ISA_A64:
		step_a64(c, in);
		break;
	case PST_ISA_MIPS:
		step_mips(c, in);
		break;
	case PST_ISA_PPC:
		step_ppc(c, in);
		break;
	default:
		break;
	}
}

void pst_cst_key(enum pst_isa arch, const char *s, size_t len, char out[8])
{
	bool w32;
	if (arch == PST_ISA_A64)
		a64_key(s, len, out, &w32);
	else
		reg_key(arch, s, len, out);
}

const char *pst_cst_arg_reg(enum pst_isa arch, int i)
{
	static const char *const x64[4] = { "di", "si", "dx", "cx" };
	static const char *const arm[4] = { "r0", "r1", "r2", "r3" };
	static const char *const mips[4] = { "$a0", "$a1", "$a2", "$a3" };
	static const char *const a64[4] = { "x0", "x1", "x2", "x3" };
	if (i < 0 || i > 3)
		return "";
	switch (arch) {
	case PST_ISA_X64: return x64[i];
	case PST_ISA_ARM: return arm[i];
	case PST_ISA_MIPS: return mips[i];
	case PST_ISA_A64: return a64[i];
	default: return "";
	}
}

const char *pst_cst_ret_reg(enum pst_isa arch)
{
	switch (arch) {
	case PST_ISA_X64:
	case PST_ISA_X86: return "ax";
	case PST_ISA_ARM: return "r0";
	case PST_ISA_MIPS: return "$v0";
	case PST_ISA_A64: return "x0";
	default: return "";
	}
}

void pst_cst_set(struct pst_cst *c, const char *name, uint64_t v)
{
	char key[8];
	reg_key(c->arch, name, strlen(name), key);
	reg_set(c, key, true, v);
}

bool pst_cst_reg(const struct pst_cst *c, const char *name, uint64_t *v)
{
	size_t i;
	for (i = 0; i < c->nr; i++)
		if (strcmp(c->r[i].name, name) == 0) {
			*v = c->r[i].v;
			return true;
		}
	return false;
}

bool pst_cst_stack_arg(const struct pst_cst *c, int i, uint64_t *v)
{
	return mem_load_any(c, sp_key, -c->spd + 4 * (long)i, 4, v);
}

/* A sockaddr_in/in6 among the stored bytes: family 2 or 10 in host order,
 * then a non-zero port in network order. */
bool pst_cst_port(const struct pst_cst *c, uint16_t *port)
{
	size_t i;
	for (i = 0; i < c->nm; i++) {
		uint8_t b[4];
		unsigned fam;
		int k;
		bool all = true;
		for (k = 0; k < 4 && all; k++)
			all = pst_cst_byte_at(c, c->m[i].base, c->m[i].off + k, &b[k]);
		if (!all)
			continue;
		fam = c->big ? (unsigned)b[0] << 8 | b[1] : (unsigned)b[1] << 8 | b[0];
		if ((fam != 2 && fam != 10) || (b[2] == 0 && b[3] == 0))
			continue;
		*port = (uint16_t)(b[2] << 8 | b[3]);
		return true;
	}
	return false;
}

void pst_magic_str(uint32_t v, char *buf, size_t len)
{
	char a[5];
	int i;
	bool pr = true;
	for (i = 0; i < 4; i++) {
		a[i] = (char)(v >> (24 - 8 * i));
		pr = pr && isprint((unsigned char)a[i]);
	}
	a[4] = 0;
	if (pr)
		snprintf(buf, len, "0x%08x '%s'", v, a);
	else
		snprintf(buf, len, "0x%08x", v);
}
