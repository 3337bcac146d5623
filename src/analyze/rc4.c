/*
 * rc4.c - RC4 recognised by the shape of its code, not by names or
 * constants (its key schedule has none): a stripped static implant that
 * inlines a renamed RC4 to hide its traffic is found all the same.
 *
 * What every RC4 (and only a few relatives: Spritz, VMPC) does, in both its
 * key schedule and its keystream loop: in a loop, read S[i], compute j from
 * that byte (j += S[i] ...), read S[j], and swap the two bytes:
 *     a = S[i]; b = S[j(a)]; S[i] = b; S[j] = a;
 * Swapping two bytes is common (reversing a string), but the second index
 * being computed from the first byte read is what a permutation-driven
 * stream cipher does. The test: byte loads and stores inside a loop body
 * where the value of one load is stored at the address of another and vice
 * versa, and the address of one of them depends (through arithmetic) on the
 * value of the other. Addresses compare as base/index registers plus a
 * displacement, registers unchanged except by constant increments (pointer
 * walking) in between; a body is walked twice so rotated loops (the next
 * S[i] read at the end of the previous iteration) are seen whole.
 *
 * Cost: a byte pass over the code finds windows dense in byte loads and
 * stores; capstone (detail mode) decodes only those windows, at most
 * PST_CAP_RC4_SCAN bytes per binary. Architectures: x86, x86-64, ARM (ARM mode, and
 * Thumb-2 in a second pass when ARM mode found nothing: armhf builds and
 * -mthumb code), AArch64, MIPS and PowerPC.
 */
#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>
#include "binfeat.h"

#define PAD 160          /* bytes decoded around a dense window */
#define WIN 128          /* bytes of the density window */

enum kind { K_OTHER, K_LOAD, K_STORE };

struct mem {
	int base, index, scale;
	int64_t disp;
};

struct ins {
	uint64_t addr, target; /* target: a direct branch's, else 0 */
	enum kind kind;
	bool branch, move, loadop;
	int dst[4], src[8];
	int ndst, nsrc;
	int val;               /* load: register loaded; store: register stored */
	struct mem m;
	int wb;                /* base register written back (-1: none) */
	int64_t wb_imm;
	int add_reg;           /* add_reg += add_imm, else -1 */
	int64_t add_imm;
};

struct regs {
	char name[PST_CAP_RC4_REGS][8];
	int n;
};

struct finder {
	csh h;
	int arch;
	bool big;
	struct regs r;
	struct ins *ins;
	size_t nins;
	uint64_t budget;
	bool found;
	uint64_t where;
	int align;
	bool thumb;            /* ARM: the Thumb pass */
};

/* ---- registers: one id per architectural register (al, eax, rax: one) ---- */

static void canon(int arch, const char *n, char out[8])
{
	size_t l = strlen(n);
	if (l >= 8)
		l = 7;
	memcpy(out, n, l);
	out[l] = 0;
	if (arch == CS_ARCH_X86) {
		if (n[0] == 'r' && n[1] >= '0' && n[1] <= '9') {
			if (l > 2 && (out[l - 1] == 'd' || out[l - 1] == 'w' || out[l - 1] == 'b'))
				out[l - 1] = 0;
		} else if (l == 3 && n[0] == 'e') {
			out[0] = 'r';
		} else if (l == 2 && (n[1] == 'l' || n[1] == 'h' || n[1] == 'x')) {
			out[0] = 'r';
			out[1] = n[0];
			out[2] = 'x';
			out[3] = 0;
		} else if (l == 2) {
			out[0] = 'r';
			out[1] = n[0];
			out[2] = n[1];
			out[3] = 0;
		} else if (l == 3 && n[2] == 'l') {
			out[0] = 'r';
			out[1] = n[0];
			out[2] = n[1];
			out[3] = 0;
		}
	} else if (arch == CS_ARCH_ARM64 && n[0] == 'w') {
		out[0] = 'x';
	}
}

static int reg_id(struct finder *f, unsigned reg)
{
	const char *n;
	char c[8];
	int i;
	if (reg == 0)
		return -1;
	n = cs_reg_name(f->h, reg);
	if (!n)
		return -1;
	canon(f->arch, n, c);
	for (i = 0; i < f->r.n; i++)
		if (strcmp(f->r.name[i], c) == 0)
			return i;
	if (f->r.n >= PST_CAP_RC4_REGS)
		return -1;
	memcpy(f->r.name[f->r.n], c, sizeof(c));
	return f->r.n++;
}

static void add_dst(struct ins *x, int r)
{
	if (r >= 0 && x->ndst < 4)
		x->dst[x->ndst++] = r;
}

static void add_src(struct ins *x, int r)
{
	if (r >= 0 && x->nsrc < 8)
		x->src[x->nsrc++] = r;
}

/* ---- one instruction into the small form the loop walk needs ---- */

static void implicit_regs(struct finder *f, const cs_insn *in, struct ins *x)
{
	const cs_detail *d = in->detail;
	uint8_t i;
	for (i = 0; i < d->regs_read_count; i++)
		add_src(x, reg_id(f, d->regs_read[i]));
	for (i = 0; i < d->regs_write_count; i++) {
		const char *n = cs_reg_name(f->h, d->regs_write[i]);
		if (n && strcmp(n, "eflags") != 0 && strcmp(n, "nzcv") != 0 && strcmp(n, "cpsr") != 0)
			add_dst(x, reg_id(f, d->regs_write[i]));
	}
}

static void lift_x86(struct finder *f, const cs_insn *in, struct ins *x)
{
	const cs_x86 *d = &in->detail->x86;
	const char *m = in->mnemonic;
	int mi = -1;
	uint8_t i;
	for (i = 0; i < d->op_count; i++) {
		const cs_x86_op *o = &d->operands[i];
		if (o->type == X86_OP_REG) {
			if (o->access & CS_AC_WRITE)
				add_dst(x, reg_id(f, o->reg));
			if (o->access & CS_AC_READ)
				add_src(x, reg_id(f, o->reg));
		} else if (o->type == X86_OP_MEM) {
			add_src(x, reg_id(f, o->mem.base));
			add_src(x, reg_id(f, o->mem.index));
			if (mi < 0)
				mi = i;
		}
	}
	if (d->op_count == 2 && d->operands[0].type == X86_OP_REG &&
	    d->operands[1].type == X86_OP_REG) {
		if ((strcmp(m, "xor") == 0 || strcmp(m, "sub") == 0) &&
		    reg_id(f, d->operands[0].reg) == reg_id(f, d->operands[1].reg))
			x->nsrc = 0; /* zeroing idiom */
		else if (pst_prefix(m, "mov"))
			x->move = true;
	}
	if (d->op_count >= 1 && d->operands[0].type == X86_OP_REG) {
		int r0 = reg_id(f, d->operands[0].reg);
		if ((strcmp(m, "add") == 0 || strcmp(m, "sub") == 0) && d->op_count == 2 &&
		    d->operands[1].type == X86_OP_IMM) {
			x->add_reg = r0;
			x->add_imm = strcmp(m, "add") == 0 ? d->operands[1].imm : -d->operands[1].imm;
		} else if ((strcmp(m, "inc") == 0 || strcmp(m, "dec") == 0) && d->op_count == 1) {
			x->add_reg = r0;
			x->add_imm = m[0] == 'i' ? 1 : -1;
		} else if (strcmp(m, "lea") == 0 && d->op_count == 2 &&
			   d->operands[1].mem.index == X86_REG_INVALID &&
			   reg_id(f, d->operands[1].mem.base) == r0) {
			x->add_reg = r0;
			x->add_imm = d->operands[1].mem.disp;
			mi = -1; /* lea reads no memory */
		}
	}
	if (strcmp(m, "lea") == 0 || strcmp(m, "nop") == 0)
		mi = -1;
	if (mi >= 0 && d->operands[mi].size == 1) {
		const cs_x86_op *o = &d->operands[mi];
		x->m.base = reg_id(f, o->mem.base);
		x->m.index = reg_id(f, o->mem.index);
		x->m.scale = o->mem.scale;
		x->m.disp = o->mem.disp;
		if (mi == 0 && strcmp(m, "mov") == 0) {
			x->kind = K_STORE;
			x->val = d->op_count == 2 && d->operands[1].type == X86_OP_REG ?
					 reg_id(f, d->operands[1].reg) : -1;
		} else if (mi == 1 && d->operands[0].type == X86_OP_REG) {
			x->kind = K_LOAD;
			x->val = reg_id(f, d->operands[0].reg);
			x->loadop = !pst_prefix(m, "mov");
		}
	}
}

/* ARM and AArch64: capstone fills in operand access. */
static void lift_arm(struct finder *f, const cs_insn *in, struct ins *x)
{
	const char *m = in->mnemonic;
	bool a64 = f->arch == CS_ARCH_ARM64;
	uint8_t i, n = a64 ? in->detail->arm64.op_count : in->detail->arm.op_count;
	bool wb = a64 ? in->detail->arm64.writeback : in->detail->arm.writeback;
	int mi = -1;
	for (i = 0; i < n; i++) {
		unsigned type = a64 ? (unsigned)in->detail->arm64.operands[i].type :
				      (unsigned)in->detail->arm.operands[i].type;
		uint8_t acc = a64 ? in->detail->arm64.operands[i].access :
				    in->detail->arm.operands[i].access;
		if (type == (a64 ? (unsigned)ARM64_OP_REG : (unsigned)ARM_OP_REG)) {
			int r = reg_id(f, a64 ? in->detail->arm64.operands[i].reg :
						(unsigned)in->detail->arm.operands[i].reg);
			if (!acc) /* not filled in: the first operand is the result */
				acc = i == 0 && !pst_prefix(m, "str") && !pst_prefix(m, "cmp") &&
						      !pst_prefix(m, "cmn") && !pst_prefix(m, "tst") &&
						      !pst_prefix(m, "cb") && !pst_prefix(m, "tb") ?
					      CS_AC_WRITE : CS_AC_READ;
			if (acc & CS_AC_WRITE)
				add_dst(x, r);
			if (acc & CS_AC_READ)
				add_src(x, r);
		} else if (type == (a64 ? (unsigned)ARM64_OP_MEM : (unsigned)ARM_OP_MEM)) {
			mi = i;
			if (a64) {
				x->m.base = reg_id(f, in->detail->arm64.operands[i].mem.base);
				x->m.index = reg_id(f, in->detail->arm64.operands[i].mem.index);
				x->m.disp = in->detail->arm64.operands[i].mem.disp;
			} else {
				x->m.base = reg_id(f, in->detail->arm.operands[i].mem.base);
				x->m.index = reg_id(f, in->detail->arm.operands[i].mem.index);
				x->m.disp = in->detail->arm.operands[i].mem.disp;
			}
			x->m.scale = 1;
			add_src(x, x->m.base);
			add_src(x, x->m.index);
		}
	}
	if (mi == 1 && (pst_prefix(m, "ldrb") || pst_prefix(m, "ldrsb") || pst_prefix(m, "strb"))) {
		x->kind = m[0] == 'l' ? K_LOAD : K_STORE;
		x->val = x->nsrc || x->ndst ? (x->kind == K_LOAD ? x->dst[0] : x->src[0]) : -1;
		if (wb) {
			int64_t post = 0;
			bool has_post = false;
			if (n == 3) {
				if (a64 && in->detail->arm64.operands[2].type == ARM64_OP_IMM) {
					post = in->detail->arm64.operands[2].imm;
					has_post = true;
				} else if (!a64 && in->detail->arm.operands[2].type == ARM_OP_IMM) {
					post = in->detail->arm.operands[2].imm;
					if (in->detail->arm.operands[2].subtracted)
						post = -post;
					has_post = true;
				}
			}
			x->wb = x->m.base;
			x->wb_imm = has_post ? post : x->m.disp;
		}
	}
	if (n == 2 && x->ndst == 1 && x->nsrc == 1 &&
	    (strcmp(m, "mov") == 0 || strcmp(m, "uxtb") == 0))
		x->move = true;
	if (n == 3 && (strcmp(m, "add") == 0 || strcmp(m, "sub") == 0) && x->ndst == 1 &&
	    x->nsrc == 1 && x->dst[0] == x->src[0]) {
		int64_t imm = a64 ? in->detail->arm64.operands[2].imm : in->detail->arm.operands[2].imm;
		unsigned t = a64 ? (unsigned)in->detail->arm64.operands[2].type :
				   (unsigned)in->detail->arm.operands[2].type;
		if (t == (a64 ? (unsigned)ARM64_OP_IMM : (unsigned)ARM_OP_IMM)) {
			x->add_reg = x->dst[0];
			x->add_imm = m[0] == 'a' ? imm : -imm;
		}
	}
	if (n == 3 && strcmp(m, "and") == 0 && x->ndst == 1 && x->nsrc == 1) {
		unsigned t = a64 ? (unsigned)in->detail->arm64.operands[2].type :
				   (unsigned)in->detail->arm.operands[2].type;
		int64_t imm = a64 ? in->detail->arm64.operands[2].imm : in->detail->arm.operands[2].imm;
		x->move = t == (a64 ? (unsigned)ARM64_OP_IMM : (unsigned)ARM_OP_IMM) && imm == 0xff;
	}
}

/* MIPS and PowerPC: no access information; the first register is the
 * result except in stores, compares and branches. */
static void lift_risc(struct finder *f, const cs_insn *in, struct ins *x)
{
	const char *m = in->mnemonic;
	bool mips = f->arch == CS_ARCH_MIPS;
	uint8_t i, n = mips ? in->detail->mips.op_count : in->detail->ppc.op_count;
	bool store = false, mem = false, noresult;
	for (i = 0; i < n; i++)
		mem = mem || (mips ? in->detail->mips.operands[i].type == MIPS_OP_MEM :
				     in->detail->ppc.operands[i].type == PPC_OP_MEM);
	if (mips)
		store = mem && m[0] == 's';
	else
		store = pst_prefix(m, "st");
	noresult = store || x->branch || pst_prefix(m, "cmp") || pst_prefix(m, "teq") || pst_prefix(m, "tne") ||
		   (mips && (pst_prefix(m, "mult") || pst_prefix(m, "div")));
	for (i = 0; i < n; i++) {
		unsigned reg = 0;
		if (mips && in->detail->mips.operands[i].type == MIPS_OP_REG)
			reg = in->detail->mips.operands[i].reg;
		else if (!mips && in->detail->ppc.operands[i].type == PPC_OP_REG)
			reg = in->detail->ppc.operands[i].reg;
		if (reg) {
			if (i == 0 && !noresult)
				add_dst(x, reg_id(f, reg));
			else
				add_src(x, reg_id(f, reg));
		} else if (mips && in->detail->mips.operands[i].type == MIPS_OP_MEM) {
			x->m.base = reg_id(f, in->detail->mips.operands[i].mem.base);
			x->m.disp = in->detail->mips.operands[i].mem.disp;
			add_src(x, x->m.base);
		} else if (!mips && in->detail->ppc.operands[i].type == PPC_OP_MEM) {
			x->m.base = reg_id(f, in->detail->ppc.operands[i].mem.base);
			x->m.disp = in->detail->ppc.operands[i].mem.disp;
			add_src(x, x->m.base);
		}
	}
	x->m.scale = 1;
	if (mips ? (strcmp(m, "lbu") == 0 || strcmp(m, "lb") == 0 || strcmp(m, "sb") == 0) :
		   (pst_prefix(m, "lbz") || pst_prefix(m, "stb"))) {
		x->kind = store ? K_STORE : K_LOAD;
		x->val = store ? (x->nsrc ? x->src[0] : -1) : (x->ndst ? x->dst[0] : -1);
		if (!mips && n == 3 && !mem) { /* lbzx rD, rA, rB */
			x->m.base = x->src[store ? 1 : 0];
			x->m.index = x->nsrc > (store ? 2 : 1) ? x->src[store ? 2 : 1] : -1;
			x->m.disp = 0;
		}
		if (!mips && (strcmp(m, "lbzu") == 0 || strcmp(m, "stbu") == 0)) {
			x->wb = x->m.base;
			x->wb_imm = x->m.disp;
		}
	}
	if (x->ndst == 1 && x->nsrc == 1 &&
	    (strcmp(m, "move") == 0 || strcmp(m, "mr") == 0 ||
	     ((strcmp(m, "andi") == 0 || strcmp(m, "clrlwi") == 0) && n == 3 &&
	      (mips ? in->detail->mips.operands[2].imm == 0xff :
		      in->detail->ppc.operands[2].imm == 24))))
		x->move = true;
	if (n == 3 && x->ndst == 1 && x->nsrc == 1 && x->dst[0] == x->src[0] &&
	    (strcmp(m, "addiu") == 0 || strcmp(m, "daddiu") == 0 || strcmp(m, "addi") == 0)) {
		x->add_reg = x->dst[0];
		x->add_imm = mips ? in->detail->mips.operands[2].imm : in->detail->ppc.operands[2].imm;
	}
}

static void lift(struct finder *f, const cs_insn *in, struct ins *x)
{
	uint8_t i;
	memset(x, 0, sizeof(*x));
	x->addr = in->address;
	x->val = x->wb = x->add_reg = -1;
	x->m.base = x->m.index = -1;
	x->branch = cs_insn_group(f->h, in, CS_GRP_JUMP);
	if (x->branch) {
		/* the target: the last immediate operand */
		const cs_detail *d = in->detail;
		switch (f->arch) {
		case CS_ARCH_X86:
			for (i = 0; i < d->x86.op_count; i++)
				if (d->x86.operands[i].type == X86_OP_IMM)
					x->target = (uint64_t)d->x86.operands[i].imm;
			break;
		case CS_ARCH_ARM:
			for (i = 0; i < d->arm.op_count; i++)
				if (d->arm.operands[i].type == ARM_OP_IMM)
					x->target = (uint64_t)(uint32_t)d->arm.operands[i].imm;
			break;
		case CS_ARCH_ARM64:
			for (i = 0; i < d->arm64.op_count; i++)
				if (d->arm64.operands[i].type == ARM64_OP_IMM)
					x->target = (uint64_t)d->arm64.operands[i].imm;
			break;
		case CS_ARCH_MIPS:
			for (i = 0; i < d->mips.op_count; i++)
				if (d->mips.operands[i].type == MIPS_OP_IMM)
					x->target = (uint64_t)d->mips.operands[i].imm;
			break;
		default:
			for (i = 0; i < d->ppc.op_count; i++)
				if (d->ppc.operands[i].type == PPC_OP_IMM)
					x->target = (uint64_t)d->ppc.operands[i].imm;
			break;
		}
	}
	switch (f->arch) {
	case CS_ARCH_X86:
		lift_x86(f, in, x);
		break;
	case CS_ARCH_ARM:
	case CS_ARCH_ARM64:
		lift_arm(f, in, x);
		break;
	default:
		lift_risc(f, in, x);
		break;
	}
	implicit_regs(f, in, x);
}

/* ---- the loop walk ---- */

struct load {
	struct mem m;
	int64_t norm;       /* disp plus the constant increments of base and index */
	uint32_t vb, vi;    /* versions of base and index */
	uint32_t addr_taint;
};

struct walk {
	int exact[PST_CAP_RC4_REGS];      /* the register holds load #n's value unchanged */
	uint32_t taint[PST_CAP_RC4_REGS]; /* loads whose values the register depends on */
	uint32_t ver[PST_CAP_RC4_REGS];
	int64_t delta[PST_CAP_RC4_REGS];
	struct load ld[PST_CAP_RC4_LOADS];
	/* moved[x] bit y: load x's value stored where load y read */
	uint32_t moved[PST_CAP_RC4_LOADS];
	int n;
};

static uint32_t ver_of(const struct walk *w, int r)
{
	return r >= 0 ? w->ver[r] : 0;
}

static int64_t norm_of(const struct walk *w, const struct mem *m)
{
	return m->disp + (m->base >= 0 ? w->delta[m->base] : 0) +
	       (m->index >= 0 ? w->delta[m->index] * (m->scale ? m->scale : 1) : 0);
}

static void write_reg(struct walk *w, int r, uint32_t taint, int exact)
{
	w->ver[r]++;
	w->delta[r] = 0;
	w->taint[r] = taint;
	w->exact[r] = exact;
}

/* One instruction; true when it completes a dependent swap. */
static bool walk_one(struct walk *w, const struct ins *x)
{
	uint32_t t = 0;
	int i;
	bool hit = false;
	if (x->kind == K_LOAD && w->n < PST_CAP_RC4_LOADS && x->val >= 0) {
		struct load *l = &w->ld[w->n];
		l->m = x->m;
		l->norm = norm_of(w, &x->m);
		l->vb = ver_of(w, x->m.base);
		l->vi = ver_of(w, x->m.index);
		l->addr_taint = (x->m.base >= 0 ? w->taint[x->m.base] : 0) |
				(x->m.index >= 0 ? w->taint[x->m.index] : 0);
		w->moved[w->n] = 0;
		if (x->wb >= 0)
			w->delta[x->wb] += x->wb_imm;
		if (x->loadop)
			write_reg(w, x->val, w->taint[x->val] | 1u << w->n, -1);
		else
			write_reg(w, x->val, 1u << w->n, w->n);
		w->n++;
		return false;
	}
	if (x->kind == K_STORE) {
		int v = x->val >= 0 ? w->exact[x->val] : -1;
		int64_t norm = norm_of(w, &x->m);
		for (i = 0; v >= 0 && i < w->n; i++) {
			const struct load *l = &w->ld[i];
			if (i == v || l->m.base != x->m.base || l->m.index != x->m.index ||
			    l->norm != norm || l->vb != ver_of(w, x->m.base) ||
			    l->vi != ver_of(w, x->m.index))
				continue;
			w->moved[v] |= 1u << i;
			if ((w->moved[i] & 1u << v) &&
			    ((w->ld[i].addr_taint & 1u << v) || (w->ld[v].addr_taint & 1u << i)))
				hit = true;
		}
		if (x->wb >= 0)
			w->delta[x->wb] += x->wb_imm;
		return hit;
	}
	for (i = 0; i < x->nsrc; i++)
		t |= w->taint[x->src[i]];
	for (i = 0; i < x->ndst; i++) {
		int d = x->dst[i];
		if (d == x->add_reg) {
			w->delta[d] += x->add_imm;
			w->exact[d] = -1;
		} else {
			write_reg(w, d, t, x->move && x->nsrc ? w->exact[x->src[0]] : -1);
		}
	}
	return false;
}

static bool loop_swaps(const struct finder *f, size_t from, size_t to)
{
	struct walk w;
	size_t pass, k;
	memset(&w, 0, sizeof(w));
	memset(w.exact, 0xff, sizeof(w.exact));
	for (pass = 0; pass < 2; pass++)
		for (k = from; k <= to && k < f->nins; k++)
			if (walk_one(&w, &f->ins[k]))
				return true;
	return false;
}

/* Every backward branch in the decoded region closes a loop. */
static void find_loops(struct finder *f)
{
	size_t b, k;
	for (b = 0; b < f->nins && !f->found; b++) {
		const struct ins *x = &f->ins[b];
		if (!x->branch || !x->target || x->target > x->addr)
			continue;
		for (k = b; k > 0 && b - k < PST_CAP_RC4_BODY && f->ins[k].addr > x->target; k--)
			;
		if (f->ins[k].addr != x->target)
			continue;
		/* MIPS: the delay slot belongs to the body */
		if (loop_swaps(f, k, f->arch == CS_ARCH_MIPS ? b + 1 : b)) {
			f->found = true;
			f->where = x->target;
		}
	}
}

static void decode_region(struct finder *f, const uint8_t *code, size_t len, uint64_t addr)
{
	cs_insn *in = cs_malloc(f->h);
	const uint8_t *p = code;
	size_t left = len;
	uint64_t a = addr;
	if (!in)
		return;
	f->nins = 0;
	memset(&f->r, 0, sizeof(f->r));
	while (left > 0 && f->nins < PST_CAP_RC4_REGION) {
		if (!cs_disasm_iter(f->h, &p, &left, &a, in)) {
			size_t skip = (size_t)f->align < left ? (size_t)f->align : left;
			p += skip;
			left -= skip;
			a += skip;
			continue;
		}
		lift(f, in, &f->ins[f->nins++]);
	}
	cs_free(in, 1);
	find_loops(f);
}

/* ---- the byte prefilter: windows with several byte loads and stores ---- */

/* -1 byte store, 1 byte load, 0 neither (at p, for fixed-width code) */
static int byte_access(const struct finder *f, const uint8_t *p, size_t left)
{
	uint32_t x;
	if (f->arch == CS_ARCH_X86) {
		if (left >= 2 && p[0] == 0x88 && (p[1] >> 6) != 3)
			return -1;
		if (left >= 3 && p[0] == 0x0f && p[1] == 0xb6 && (p[2] >> 6) != 3)
			return 1;
		if (left >= 2 && p[0] == 0x8a && (p[1] >> 6) != 3)
			return 1;
		return 0;
	}
	if (f->thumb) {
		/* 16-bit LDRB/LDRSB/STRB (immediate, register); 32-bit .W forms
		 * by their first halfword (imm12, imm8/register) */
		uint16_t h;
		if (left < 2)
			return 0;
		h = f->big ? pst_be16(p) : pst_le16(p);
		if ((h & 0xf800u) == 0x7800u || (h & 0xfe00u) == 0x5c00u || (h & 0xfe00u) == 0x5600u)
			return 1;
		if ((h & 0xf800u) == 0x7000u || (h & 0xfe00u) == 0x5400u)
			return -1;
		h &= 0xfff0u;
		if (left >= 4 && (h == 0xf890u || h == 0xf810u || h == 0xf990u || h == 0xf910u))
			return 1;
		if (left >= 4 && (h == 0xf880u || h == 0xf800u))
			return -1;
		return 0;
	}
	if (left < 4)
		return 0;
	x = f->arch == CS_ARCH_ARM64 ? pst_le32(p) : pst_u32e(p, f->big);
	switch (f->arch) {
	case CS_ARCH_ARM:
		if ((x >> 28) == 0xf)
			return 0;
		if ((x & 0x0c500000u) == 0x04500000u)
			return 1;
		if ((x & 0x0c500000u) == 0x04400000u)
			return -1;
		return 0;
	case CS_ARCH_ARM64:
		if ((x & 0xffc00000u) == 0x39400000u || (x & 0xffe00400u) == 0x38400400u ||
		    (x & 0xffe00c00u) == 0x38600800u)
			return 1;
		if ((x & 0xffc00000u) == 0x39000000u || (x & 0xffe00400u) == 0x38000400u ||
		    (x & 0xffe00c00u) == 0x38200800u)
			return -1;
		return 0;
	case CS_ARCH_MIPS:
		if ((x >> 26) == 0x24 || (x >> 26) == 0x20)
			return 1;
		return (x >> 26) == 0x28 ? -1 : 0;
	default: /* PowerPC: lbz, lbzu, lbzx; stb, stbu, stbx */
		if ((x >> 26) == 34 || (x >> 26) == 35 || ((x >> 26) == 31 && ((x >> 1) & 0x3ff) == 87))
			return 1;
		if ((x >> 26) == 38 || (x >> 26) == 39 || ((x >> 26) == 31 && ((x >> 1) & 0x3ff) == 215))
			return -1;
		return 0;
	}
}

static void scan_cb(void *ctx, const uint8_t *p, size_t len, uint64_t addr)
{
	struct finder *f = ctx;
	size_t off, step = (size_t)f->align, start = 0, end = 0;
	/* positions of the last loads and stores, as a ring */
	size_t lds[3] = { 0 }, sts[2] = { 0 }, nl = 0, ns = 0;
	bool open = false;
	for (off = 0; off < len && !f->found && f->budget; off += step) {
		int k = byte_access(f, p + off, len - off);
		bool dense;
		if (k == 0)
			continue;
		if (k > 0)
			lds[nl++ % 3] = off;
		else
			sts[ns++ % 2] = off;
		dense = nl >= 3 && ns >= 2 && off - lds[nl % 3] <= WIN && off - sts[ns % 2] <= WIN;
		if (!dense)
			continue;
		if (open && off <= end + PAD) {
			end = off;
			continue;
		}
		if (open) {
			size_t a = start > PAD ? start - PAD : 0, b = end + PAD < len ? end + PAD : len;
			uint64_t n = b - a < f->budget ? b - a : f->budget;
			f->budget -= n;
			decode_region(f, p + a, (size_t)n, addr + a);
		}
		open = true;
		start = off > WIN ? off - WIN : 0;
		end = off;
	}
	if (open && !f->found && f->budget) {
		size_t a = start > PAD ? start - PAD : 0, b = end + PAD < len ? end + PAD : len;
		uint64_t n = b - a < f->budget ? b - a : f->budget;
		f->budget -= n;
		decode_region(f, p + a, (size_t)n, addr + a);
	}
}

bool pst_rc4_find(const struct pst_elf *e, uint64_t *where)
{
	bool cut;
	return pst_rc4_search(e, where, &cut);
}

bool pst_rc4_search(const struct pst_elf *e, uint64_t *where, bool *cut)
{
	struct finder f;
	int arch, mode;
	bool found = false, whole = true;
	*cut = false;
	if (!pst_elf_capstone(e, &arch, &mode))
		return false;
	memset(&f, 0, sizeof(f));
	f.arch = arch;
	f.big = e->big;
	f.budget = PST_CAP_RC4_SCAN;
	f.align = arch == CS_ARCH_X86 ? 1 : 4;
	if (cs_open((cs_arch)arch, (cs_mode)mode, &f.h) != CS_ERR_OK)
		return false;
	cs_option(f.h, CS_OPT_DETAIL, CS_OPT_ON);
	f.ins = pst_malloc(PST_CAP_RC4_REGION * sizeof(*f.ins));
	if (f.ins) {
		whole = pst_elf_code(e, PST_CAP_RC4_CODE, scan_cb, &f) && f.budget;
		if (!f.found && arch == CS_ARCH_ARM &&
		    cs_option(f.h, CS_OPT_MODE,
			      (size_t)(CS_MODE_THUMB | (e->big ? CS_MODE_BIG_ENDIAN : 0))) == CS_ERR_OK) {
			f.thumb = true;
			f.align = 2;
			f.budget = PST_CAP_RC4_SCAN;
			whole = pst_elf_code(e, PST_CAP_RC4_CODE, scan_cb, &f) && f.budget && whole;
		}
		found = f.found;
		*cut = !found && !whole;
		if (found && where)
			*where = f.where;
	}
	free(f.ins);
	cs_close(&f.h);
	return found;
}
