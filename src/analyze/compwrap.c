/*
 * compwrap.c - comparison wrappers: a program's own functions that compare
 * their arguments with memcmp/strcmp/... and return the result, recognised
 * by what their code does (stripped programs have no names). lighttpd
 * compares every request field through buffer_eq_slen(b, "...", len) (its
 * length, then memcmp of b->ptr): the constant is an argument of the
 * wrapper, and the hidden-command search (compares.c) must read a call to
 * the wrapper as a call to memcmp.
 *
 * A function is a wrapper when
 *  - it starts at the target of a direct call and calls (or tail-jumps to)
 *    a comparison function within PST_CAP_CMP_WRAP_SPAN bytes, with no other call
 *    before that one;
 *  - the comparison's first two arguments both derive from the function's
 *    own arguments, from different ones (a register copied or loaded
 *    through: b->ptr derives from b); a constant compared inside (`return
 *    strcmp(x, "foo") == 0`) makes no wrapper: its callers pass no constant;
 *  - after the comparison it returns at once, with the result untouched
 *    (or a tail jump), or with whether it was zero: x86 `sete`, ARM `clz`
 *    then `lsr #5`, MIPS `sltiu v0, v0, 1` (inverted), or whether it was
 *    not zero (x86 `setne`, MIPS `sltu v0, zero, v0`). Anything else done
 *    to the result (a sign, an offset) is not understood: no wrapper.
 * The instructions are read as capstone's text, as compares.c does.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compwrap.h"
#include "callreach.h"
#include "netconst.h"
#include "syscalls.h"


struct wsite {
	uint64_t at;
	int id;
	bool tail;
};

struct pst_wrapscan {
	uint64_t *t;           /* call targets */
	size_t nt, ct;
	struct wsite *s;       /* comparison calls */
	size_t ns, cs;
	unsigned cut;          /* PST_WRAPSCAN_CUT_*: what a cap left out (caps.h) */
};

struct pst_wrapscan *pst_wrapscan_new(void)
{
	return pst_calloc(1, sizeof(struct pst_wrapscan));
}

void pst_wrapscan_free(struct pst_wrapscan *w)
{
	if (!w)
		return;
	free(w->t);
	free(w->s);
	free(w);
}

/* Room for one more of size sz in *v (n used, *cap allocated), at most
 * max: past it, or out of memory, w is cut. */
static bool grow(struct pst_wrapscan *w, void **v, size_t n, size_t *cap, size_t sz,
		 size_t max)
{
	if (n < max && pst_array_grow(v, cap, n, sz, 256))
		return true;
	w->cut |= PST_WRAPSCAN_CUT_SITES;
	return false;
}

/* A program calls the same functions from many places (libjvm.so: 200,000
 * direct calls, 15,000 targets): the cap counts distinct targets, the list
 * sorted and its repeats dropped each time it holds twice the cap. */
void pst_wrapscan_target(struct pst_wrapscan *w, uint64_t t)
{
	if (!w)
		return;
	if (w->nt == 2 * (size_t)PST_CAP_CMP_WRAP_SITES)
		w->nt = pst_u64_uniq(w->t, w->nt);
	if (w->nt > PST_CAP_CMP_WRAP_SITES)
		w->cut |= PST_WRAPSCAN_CUT_SITES;
	else if (grow(w, (void **)&w->t, w->nt, &w->ct, sizeof(*w->t),
		      2 * (size_t)PST_CAP_CMP_WRAP_SITES))
		w->t[w->nt++] = t;
}

void pst_wrapscan_cmp(struct pst_wrapscan *w, uint64_t at, int id, bool tail)
{
	if (w && grow(w, (void **)&w->s, w->ns, &w->cs, sizeof(*w->s), PST_CAP_CMP_WRAP_SITES))
		w->s[w->ns++] = (struct wsite){ at, id, tail };
}

unsigned pst_wrapscan_cut(const struct pst_wrapscan *w)
{
	return w ? w->cut : 0;
}

/* ---- registers as text (keyed as netconst.c keys them) ---- */

struct taint {
	char name[16][8];
	unsigned mask[16];
	size_t n;
};

static unsigned taint_of(const struct taint *t, const char *k)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->name[i], k) == 0)
			return t->mask[i];
	return 0;
}

static void taint_set(struct taint *t, const char *k, unsigned m)
{
	size_t i;
	for (i = 0; i < t->n && strcmp(t->name[i], k) != 0; i++)
		;
	if (i == t->n) {
		if (t->n == 16 || !m)
			return;
		t->n++;
	}
	snprintf(t->name[i], sizeof(t->name[i]), "%s", k);
	t->mask[i] = m;
}

/* The registers named in s: the union of their taints. */
static unsigned taint_text(const struct taint *t, enum pst_isa arch, const char *s)
{
	unsigned m = 0;
	char k[8];
	while (*s) {
		const char *b = s;
		if (*s == '$' || isalpha((unsigned char)*s)) {
			s++;
			while (isalnum((unsigned char)*s))
				s++;
			pst_cst_key(arch, b, (size_t)(s - b), k);
			m |= taint_of(t, k);
		} else {
			s++;
		}
	}
	return m;
}

/* Instructions whose first operand is read, not written. */
static bool no_dest(const char *m)
{
	/* prefixes (ARM's strb, stmdb, x86's cmpxchg is rare in a wrapper),
	 * then MIPS's stores by their whole names (x86's shr is no store) */
	static const char *const pre[] = { "cmp", "test", "tst", "teq", "cmn", "push", "str",
					    "stm", NULL };
	static const char *const whole[] = { "sw", "sh", "sb", "sd", "swl", "swr", "nop", NULL };
	size_t i;
	for (i = 0; pre[i]; i++)
		if (strncmp(m, pre[i], strlen(pre[i])) == 0)
			return true;
	for (i = 0; whole[i]; i++)
		if (strcmp(m, whole[i]) == 0)
			return true;
	return m[0] == 'b' || m[0] == 'j';
}

/* Steps the taint through one instruction: its destination register (the
 * first operand) gets the taints of every register the rest names; x86's
 * two-operand arithmetic keeps the destination's own. */
static void taint_step(struct taint *t, enum pst_isa arch, const cs_insn *in)
{
	const char *o = in->op_str, *comma = strchr(o, ',');
	char k[8];
	unsigned m;
	/* a memory destination: x86's "qword ptr [...]", MIPS's "8($sp)" */
	if (!comma || no_dest(in->mnemonic) || strcspn(o, " [(") < (size_t)(comma - o))
		return;
	pst_cst_key(arch, o, (size_t)(comma - o), k);
	m = taint_text(t, arch, comma + 1);
	if (arch == PST_ISA_X64 && strncmp(in->mnemonic, "mov", 3) != 0 &&
	    strcmp(in->mnemonic, "lea") != 0)
		m |= taint_of(t, k);
	taint_set(t, k, m);
}

/* ---- reading a candidate ---- */

struct dec {
	const struct pst_elf *e;
	csh h;
	enum pst_isa arch;
	cs_insn *in;
};

static bool decode(struct dec *d, uint64_t a)
{
	const uint8_t *p;
	size_t len;
	uint64_t base;
	if (!pst_elf_code_at(d->e, a, &p, &len, &base) || a < base || a - base >= len)
		return false;
	p += a - base;
	len -= (size_t)(a - base);
	return cs_disasm_iter(d->h, &p, &len, &a, d->in);
}

static bool is_call(const struct dec *d, const cs_insn *in)
{
	const char *m = in->mnemonic;
	if (d->arch == PST_ISA_X64)
		return strcmp(m, "call") == 0;
	if (d->arch == PST_ISA_ARM)
		return strncmp(m, "bl", 2) == 0 && strncmp(m, "blt", 3) != 0 &&
		       strncmp(m, "ble", 3) != 0 && strncmp(m, "bls", 3) != 0 &&
		       strncmp(m, "blo", 3) != 0;
	return strcmp(m, "jal") == 0 || strcmp(m, "jalr") == 0 || strcmp(m, "bal") == 0;
}

static bool is_return(const struct dec *d, const cs_insn *in)
{
	const char *m = in->mnemonic, *o = in->op_str;
	if (d->arch == PST_ISA_X64)
		return strcmp(m, "ret") == 0;
	if (d->arch == PST_ISA_ARM)
		return (strcmp(m, "bx") == 0 && strcmp(o, "lr") == 0) ||
		       ((strncmp(m, "pop", 3) == 0 || strncmp(m, "ldm", 3) == 0) &&
			strstr(o, "pc"));
	return strcmp(m, "jr") == 0 && strcmp(o, "$ra") == 0;
}

/* An unconditional jump (not a return): a wrapper's code runs straight to
 * its comparison, with early returns at most; a PLT stub jumps. */
static bool is_jump(const struct dec *d, const cs_insn *in)
{
	const char *m = in->mnemonic;
	if (d->arch == PST_ISA_X64)
		return strcmp(m, "jmp") == 0;
	if (d->arch == PST_ISA_ARM)
		return strcmp(m, "b") == 0 || (strcmp(m, "bx") == 0 && strcmp(in->op_str, "lr")) ||
		       (strcmp(m, "ldr") == 0 && strncmp(in->op_str, "pc,", 3) == 0);
	return strcmp(m, "j") == 0 || strcmp(m, "b") == 0 ||
	       (strcmp(m, "jr") == 0 && strcmp(in->op_str, "$ra") != 0);
}

/* Whether addr is in a PLT (.plt, .plt.sec, .plt.got, MIPS's stubs):
 * the stubs there jump to imports, they wrap nothing. */
static bool in_stubs(const struct pst_elf *e, uint64_t addr)
{
	size_t i;
	for (i = 0; i < e->nsects; i++) {
		const struct pst_elf_sect *s = &e->sects[i];
		if (addr >= s->addr && addr - s->addr < s->size &&
		    (strncmp(s->name, ".plt", 4) == 0 || strcmp(s->name, ".MIPS.stubs") == 0))
			return true;
	}
	return false;
}

/* The arguments at the comparison: both derive from the function's own,
 * from different ones. From start to the call at at (its delay slot
 * stepped on MIPS), no other call between. */
static bool args_flow(struct dec *d, uint64_t start, uint64_t at)
{
	const char *ar[4];
	struct taint t;
	uint64_t a = start;
	unsigned n, m0, m1, i;
	memset(&t, 0, sizeof(t));
	for (n = 0; n < 4; n++) {
		ar[n] = pst_cst_arg_reg(d->arch, (int)n);
		taint_set(&t, ar[n], 1u << n);
	}
	for (n = 0; n < PST_CAP_CMP_WRAP_INSNS && a < at; n++) {
		if (!decode(d, a) || is_call(d, d->in) || is_jump(d, d->in))
			return false;
		taint_step(&t, d->arch, d->in);
		a = d->in->address + d->in->size;
		/* after an early return, the next code is another path from a
		 * branch near the start (buffer_eq_slen's length check): read
		 * it with the arguments as they came */
		if (is_return(d, d->in))
			for (i = 0; i < 4; i++)
				taint_set(&t, ar[i], 1u << i);
	}
	if (a != at)
		return false;
	if (d->arch == PST_ISA_MIPS && decode(d, at + 4))
		taint_step(&t, d->arch, d->in);
	m0 = taint_of(&t, ar[0]);
	m1 = taint_of(&t, ar[1]);
	return m0 && m1 && m0 != m1;
}

enum pol { POL_NONE, POL_RAW, POL_INVERTED };

/* What is done to the result register ret by one instruction, for
 * polarity: POL_RAW/POL_INVERTED for a recognised test of it, -1 for an
 * unknown write to it, 0 for nothing. */
static int result_op(const struct dec *d, const cs_insn *in, const char *ret)
{
	const char *m = in->mnemonic, *o = in->op_str;
	char k[8];
	const char *comma = strchr(o, ',');
	if (d->arch == PST_ISA_X64) {
		if (strcmp(m, "sete") == 0 || strcmp(m, "setz") == 0)
			return POL_INVERTED;
		if (strcmp(m, "setne") == 0 || strcmp(m, "setnz") == 0)
			return POL_RAW;
		if (strcmp(m, "test") == 0 || strncmp(m, "movz", 4) == 0)
			return 0; /* the test, and widening the set byte */
	}
	if (d->arch == PST_ISA_ARM && (strcmp(m, "clz") == 0 || strcmp(m, "lsr") == 0))
		return strcmp(m, "clz") == 0 ? POL_INVERTED : 0;
	if (d->arch == PST_ISA_MIPS && strcmp(m, "sltiu") == 0 && strstr(o, ", 1") &&
	    strlen(strstr(o, ", 1")) == 3)
		return POL_INVERTED;
	if (d->arch == PST_ISA_MIPS && strcmp(m, "sltu") == 0 && strstr(o, "$zero, "))
		return POL_RAW;
	if (!comma || no_dest(m))
		return 0;
	pst_cst_key(d->arch, o, (size_t)(comma - o), k);
	return strcmp(k, ret) == 0 ? -1 : 0;
}

/* How the function returns the comparison's result at at: the return
 * within PST_CAP_CMP_WRAP_TAIL instructions, nothing but a recognised test of it. */
static enum pol polarity(struct dec *d, uint64_t at)
{
	const char *r = pst_cst_ret_reg(d->arch);
	uint64_t a;
	unsigned n;
	enum pol p = POL_RAW;
	if (!decode(d, at))
		return POL_NONE;
	a = d->in->address + d->in->size + (d->arch == PST_ISA_MIPS ? 4 : 0);
	for (n = 0; n < PST_CAP_CMP_WRAP_TAIL && decode(d, a); n++) {
		int op;
		if (is_return(d, d->in)) {
			/* MIPS: the delay slot after jr runs too */
			if (d->arch == PST_ISA_MIPS && decode(d, a + 4) &&
			    result_op(d, d->in, r) != 0)
				return POL_NONE;
			return p;
		}
		if (d->in->mnemonic[0] == 'j' || d->in->mnemonic[0] == 'b' || is_call(d, d->in))
			return POL_NONE;
		op = result_op(d, d->in, r);
		if (op < 0 || (op > 0 && p == POL_INVERTED))
			return POL_NONE;
		if (op > 0)
			p = (enum pol)op;
		a = d->in->address + d->in->size;
	}
	return POL_NONE;
}

/* The largest call target at or before at, no more than PST_CAP_CMP_WRAP_SPAN away. */
static bool start_of(const struct pst_wrapscan *w, uint64_t at, uint64_t *start)
{
	size_t i = pst_u64_floor(w->t, w->nt, at);
	if (i == SIZE_MAX || at - w->t[i] > PST_CAP_CMP_WRAP_SPAN)
		return false;
	*start = w->t[i];
	return true;
}

static size_t add_wrap(struct pst_wrapscan *ws, struct pst_compwrap *out, size_t n,
		       size_t max, const struct pst_compwrap *w)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (out[i].addr == w->addr)
			return n;
	if (n < max)
		out[n++] = *w;
	else
		ws->cut |= PST_WRAPSCAN_CUT_WRAPS;
	return n;
}

static int by_addr(const void *a, const void *b)
{
	const struct pst_compwrap *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

size_t pst_wrapscan_find(struct pst_wrapscan *w, const struct pst_elf *e, csh h,
			 enum pst_isa arch, struct pst_compwrap *out, size_t max)
{
	struct dec d = { e, h, arch, NULL };
	size_t i, n = 0;
	if (!w)
		return 0;
	/* what is_call, is_return and polarity know (and i386 passes its
	 * arguments on the stack, which the taint does not follow); without a
	 * call target or a comparison call there is no wrapper, so none was
	 * left out either */
	if ((arch != PST_ISA_X64 && arch != PST_ISA_ARM && arch != PST_ISA_MIPS) || !w->nt ||
	    !w->ns || !(d.in = cs_malloc(h))) {
		w->cut = 0;
		return 0;
	}
	w->nt = pst_u64_uniq(w->t, w->nt);
	for (i = 0; i < w->ns; i++) {
		struct pst_compwrap c;
		uint64_t start;
		enum pol p;
		if (!start_of(w, w->s[i].at, &start) || in_stubs(e, start) ||
		    !args_flow(&d, start, w->s[i].at))
			continue;
		p = w->s[i].tail ? POL_RAW : polarity(&d, w->s[i].at);
		if (p == POL_NONE)
			continue;
		c.addr = start;
		c.id = w->s[i].id;
		c.inverted = p == POL_INVERTED;
		n = add_wrap(w, out, n, max, &c);
	}
	cs_free(d.in, 1);
	qsort(out, n, sizeof(*out), by_addr);
	return n;
}

const struct pst_compwrap *pst_compwrap_at(const struct pst_compwrap *w, size_t n,
					   uint64_t addr)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (w[i].addr == addr)
			return &w[i];
	return NULL;
}

const char *pst_compwrap_via(const char *name)
{
	static const char *const l[][2] = {
		{ "strcmp", "strcmp wrapper" },       { "strncmp", "strncmp wrapper" },
		{ "strcasecmp", "strcasecmp wrapper" }, { "strncasecmp", "strncasecmp wrapper" },
		{ "memcmp", "memcmp wrapper" },       { "strstr", "strstr wrapper" },
		{ "strcasestr", "strcasestr wrapper" },
	};
	size_t i;
	for (i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		if (strcmp(l[i][0], name) == 0)
			return l[i][1];
	return "comparison wrapper";
}

bool pst_http_header_name(const char *s)
{
	static const char *const one[] = { "Host", "Cookie", "Referer", "Authorization", "From",
					    NULL };
	size_t i, n = strlen(s), dash = 0;
	for (i = 0; one[i]; i++)
		if (strcmp(s, one[i]) == 0)
			return true;
	if (n < 4 || n > 40 || !isupper((unsigned char)s[0]))
		return false;
	/* Words of letters joined by '-', each starting upper case:
	 * User-Agent, X-Forwarded-For */
	for (i = 1; i < n; i++) {
		if (s[i] == '-') {
			if (i + 1 == n || !isupper((unsigned char)s[i + 1]))
				return false;
			dash++;
		} else if (!isalpha((unsigned char)s[i])) {
			return false;
		}
	}
	return dash > 0;
}
