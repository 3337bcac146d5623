/*
 * compares.c - hidden commands: where a program compares outside input
 * with constant data of its own and, on a match, reaches something the
 * mismatch does not - a shell, a new listener, root privileges, a write of
 * its configuration. The shape of most real back doors in real servers
 * (a secret URL, user agent, user name or packet header), after Stringer
 * (ESORICS 2017: comparisons against static data steer hidden
 * functionality), judged here by what the match unlocks rather than
 * ranked.
 *
 * How (capstone's text, x86-64, i386, ARM and Thumb, AArch64, MIPS32 of
 * either byte order):
 *  1. Call targets of the comparison functions (strcmp, strncmp,
 *     strcasecmp, strncasecmp, memcmp, strstr, strcasestr), of the input
 *     sources and of the "unlocked" functions come from the dynamic
 *     imports' PLT stubs and GOT slots, or an unstripped static binary's
 *     symbols (sockets.c, pst_import_targets). A stripped static binary's
 *     library functions have no names: libfuncs.c recognises some by what
 *     they do (system-call wrappers, a shell function, strcmp-like ones).
 *  2. The code around the calls to the comparison and input functions
 *     (found by their encodings) is decoded in windows, stepping
 *     netconst.c's constant tracker with address tracking on (x86-64
 *     `lea r, [rip + X]`, ARM literal pools and `add r, pc, r`, MIPS
 *     `lui`/`addiu` and `lw r, X($gp)` through the GOT, constants spilled to
 *     the stack). At each comparison call, exactly one argument must be the
 *     address of a printable string in the file.
 *  3. The data-flow is deliberately small and bounded: the other argument
 *     is "input" when it is not a constant string; its source is named
 *     when a receive (recv, recvfrom, recvmsg, read, fread, fgets,
 *     getline), getenv or nvram_get call comes at most INPUT_WINDOW instructions before the
 *     comparison with no other call between. Nothing follows values through
 *     memory (beyond the stack spills) or across functions.
 *  4. The branch on the comparison's result is found within RESULT_WINDOW
 *     instructions (x86 test/cmp + je/jne, ARM cmp/subs + beq/bne, MIPS
 *     beqz/bnez/beq/bne against $zero, following register copies); the
 *     match side is the zero result (strstr: non-NULL).
 *  5. Both sides are explored breadth-first (basic blocks, direct calls to
 *     CALL_DEPTH, EQ_BLOCKS/NE_BLOCKS blocks, the comparison itself not
 *     crossed again, the tracker's state carried into each block, an
 *     instruction budget per binary). A call on the match side that the
 *     mismatch side does not reach is "unlocked".
 * Inlined compares: right after a receive, a compare of a register or word
 * with a 4-byte magic (netconst.c's test, also its own list of magics) or,
 * on x86-64, of a quadword with 8 bytes of text is followed the same way
 * from its branch.
 *
 * What counts (and why the rest does not):
 *  - shell: system/popen of a computed command (a request-derived one) or
 *    of a fixed command that starts a shell, telnetd or a netcat listener;
 *    exec* of a shell. A fixed command ("reboot") after matching a form
 *    action is a router web server's job; exec of a non-shell path after
 *    "/cgi-bin/" is CGI.
 *  - listen(): only together with a shell - an FTP server opens a data
 *    listener after "PASV", that is its protocol.
 *  - setuid/setgid/setresuid(0).
 *  - configuration writes (nvram_set/unset/commit, dumping all NVRAM): only
 *    when the compared bytes were just received - a web interface writes
 *    NVRAM after matching its own form field names, a packet that starts
 *    with a word and rewrites NVRAM is Sercomm's back door.
 *  - skipping authentication: the mismatch side checks a password (a
 *    comparison of two non-constant values where a call names a password),
 *    and the match side reaches that check's success path without it.
 *  - never a gate: a match side that goes on to compare the input with
 *    constants the mismatch side never does is a check before dispatch.
 */
#include <capstone/capstone.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compares.h"
#include "binfeat.h"
#include "callreach.h"
#include "compwrap.h"
#include "insncache.h"
#include "libfuncs.h"
#include "netconst.h"

#define INPUT_WINDOW 96     /* instructions from an input call to the compare it feeds */
#define RESULT_WINDOW 8     /* instructions from a call to the branch on its result */
#define EQ_BLOCKS 64        /* blocks explored on the match side */
#define NE_BLOCKS 256       /* ... on the mismatch side: more, so that shared code is seen */
#define BLOCK_INSNS 200
#define CALL_DEPTH 2
#define GATE_CMPS 2         /* compares only the match side makes: a gate */
#define SIDE_TRIPS 8        /* branches followed after one receive (side_trip) */
#define SIDE_INSNS 24       /* instructions read at a branch's target */
#define PST_STR_(x) #x
#define PST_STR(x) PST_STR_(x)

/* clang-format off */
enum {
	F_STRCMP, F_STRNCMP, F_STRCASECMP, F_STRNCASECMP, F_MEMCMP, F_STRSTR, F_STRCASESTR,
	N_CMP,
	F_SYSTEM = N_CMP, F_POPEN, F_EXECL, F_EXECLP, F_EXECLE, F_EXECV, F_EXECVP, F_EXECVE,
	F_SETUID, F_SETGID, F_SETRESUID, F_LISTEN,
	F_NVRAM_SET, F_NVRAM_UNSET, F_NVRAM_COMMIT, F_NVRAM_GETALL, F_NVRAM_GET_ALL,
	N_SINK,
	F_RECV = N_SINK, F_RECVFROM, F_RECVMSG, F_READ, F_FREAD, F_FGETS, F_GETLINE, F_GETENV,
	F_NVRAM_GET,
	N_FN
};
/* clang-format on */

static const char *const fn_names[N_FN] = {
	"strcmp", "strncmp", "strcasecmp", "strncasecmp", "memcmp", "strstr", "strcasestr",
	"system", "popen", "execl", "execlp", "execle", "execv", "execvp", "execve",
	"setuid", "setgid", "setresuid", "listen",
	"nvram_set", "nvram_unset", "nvram_commit", "nvram_getall", "nvram_get_all",
	"recv", "recvfrom", "recvmsg", "read", "fread", "fgets", "getline", "getenv", "nvram_get",
};

enum ik { I_OTHER, I_CALL, I_CJUMP, I_JUMP, I_END };

struct hit {
	uint64_t at;
	int id;
	bool zero;           /* arg0 is the constant 0 */
	char s[48];          /* the string arg0 points to, "" when not a constant string */
};

struct reach {
	uint64_t q[NE_BLOCKS];      /* blocks queued, in order */
	struct pst_cst in[NE_BLOCKS]; /* what is known on entry (from the predecessor) */
	uint64_t t9[NE_BLOCKS];     /* MIPS: the GOT slot in $t9 on entry (0: none) */
	uint8_t depth[NE_BLOCKS];
	uint64_t hi[NE_BLOCKS];     /* end of each block explored */
	size_t nq, done, max;
	struct hit h[PST_CAP_CMP_HITS];
	size_t nh;
	uint64_t stop;              /* the compare itself: a loop's next round is
				       not "what the mismatch reaches" */
	uint64_t cmps[PST_CAP_CMP_HITS];    /* compare-function calls reached */
	bool pw[PST_CAP_CMP_HITS];          /* ... of two values neither a constant string */
	size_t ncmps;
	bool authish;               /* a call was passed a string naming a password */
	bool calls, ret;            /* in the function itself: a call made, a return reached */
	uint64_t fnptr;             /* ... a call or tail jump through a function pointer */
};

struct cmp {
	const struct pst_elf *e;
	enum pst_isa arch;
	csh h;                      /* the handle of the current mode (ha or ht) */
	csh ha, ht;                 /* ARM: ARM mode and Thumb (0 when not open) */
	bool thumb;                 /* decoding Thumb code now */
	cs_insn *in, *ds;           /* ds: a delay slot or a look-ahead */
	cs_insn *side;              /* side_trip's instruction */
	unsigned trips;             /* side trips since the last receive */
	struct pst_imptarget t[PST_CAP_CMP_TARGETS];
	size_t nt;
	uint64_t gp;
	uint64_t got;               /* i386: _GLOBAL_OFFSET_TABLE_, ebx in PIC code */
	bool unnamed;               /* the comparison functions are libfuncs.c's guesses */
	struct pst_cst cst;
	uint64_t t9slot;            /* MIPS: the GOT slot last loaded into $t9 */
	unsigned budget;
	size_t idx, input_idx, nsites;
	enum pst_input input;
	struct reach eq, ne;
	struct pst_trigger *out;
	size_t n, max;
	unsigned capped;            /* PST_CAP_*: what cut the search short */
	unsigned flags;             /* PST_TRIG_* */
	struct pst_compwrap wraps[PST_CAP_CMP_WRAPS]; /* the program's comparison wrappers */
	size_t nwraps;
	struct pst_insncache *ic;   /* what was decoded, shared by the sweep and the
				       explorations (NULL: decode every time) */
};

const char *pst_input_str(enum pst_input in)
{
	switch (in) {
	case PST_IN_RECEIVED: return "received data";
	case PST_IN_ENV: return "the environment";
	case PST_IN_NVRAM: return "NVRAM";
	case PST_IN_HEADER: return "a request header";
	default: return "input";
	}
}

/* ---- decoding ---- */

/* The code holding addr: its section, or without section headers (OpenWrt's
 * sstrip) its executable segment. */
static bool code_bytes(const struct cmp *c, uint64_t addr, const uint8_t **p, size_t *len,
		       uint64_t *base)
{
	size_t i;
	if (pst_elf_code_at(c->e, addr, p, len, base))
		return true;
	for (i = 0; !c->e->nsects && i < c->e->nsegs; i++) {
		const struct pst_elf_seg *s = &c->e->segs[i];
		struct pst_view v;
		if (s->type != PST_PT_LOAD || !(s->flags & PST_PF_X) || addr < s->vaddr ||
		    addr - s->vaddr >= s->filesz)
			continue;
		v = pst_view_sub(c->e->v, s->off, s->filesz);
		*p = v.p;
		*len = v.len;
		*base = s->vaddr;
		return v.len > addr - s->vaddr;
	}
	return false;
}

/* The cache key of the instruction at a, its bytes at p (left of them):
 * the encoding of a MIPS instruction that names no address (the register
 * and immediate operations, SPECIAL2 and 3, the loads and stores), else
 * the address: branches and jumps print their targets. */
static uint64_t insn_key(const struct cmp *c, const uint8_t *p, size_t left, uint64_t a)
{
	uint32_t x;
	if (c->arch != PST_ISA_MIPS || left < 4)
		return a;
	x = pst_u32e(p, c->e->big);
	return pst_insncache_mips_anywhere(x) ? PST_INSNCACHE_ENC | x : a;
}

/* Decodes the instruction at a, its bytes at *p (*left of them), into in,
 * through the cache; *p, *left and *a step past it. */
static bool decode_next(struct cmp *c, const uint8_t **p, size_t *left, uint64_t *a, cs_insn *in)
{
	uint64_t key = insn_key(c, *p, *left, *a);
	if (!c->thumb && pst_insncache_get(c->ic, key, *a, in) && in->size <= *left) {
		*p += in->size;
		*left -= in->size;
		*a += in->size;
		return true;
	}
	if (!cs_disasm_iter(c->h, p, left, a, in))
		return false;
	if (!c->thumb)
		pst_insncache_put(c->ic, key, in);
	return true;
}

/* Decodes the instruction at addr into in (in->detail is left alone). */
static bool decode_at(struct cmp *c, uint64_t addr, cs_insn *in)
{
	const uint8_t *p = NULL;
	size_t len = 0;
	uint64_t base = 0, a = addr;
	if (!code_bytes(c, addr, &p, &len, &base))
		return false;
	p += addr - base;
	len -= (size_t)(addr - base);
	return decode_next(c, &p, &len, &a, in);
}

/* The last operand as an address ("0x4005d0", "#0x10400", "$a0, $zero, 0x4c"). */
static bool last_imm(const char *o, uint64_t *t)
{
	const char *s = strrchr(o, ' ');
	long v;
	s = s ? s + 1 : o;
	if (!pst_asm_imm(s, &v) || (s[0] != '#' && s[0] != '0'))
		return false;
	*t = (uint64_t)v;
	return true;
}

static enum ik classify_x86(const cs_insn *in, uint64_t *t, bool *direct)
{
	const char *m = in->mnemonic;
	*direct = last_imm(in->op_str, t) && strchr(in->op_str, '[') == NULL;
	if (strcmp(m, "call") == 0)
		return I_CALL;
	if (strcmp(m, "jmp") == 0)
		return *direct ? I_JUMP : I_END;
	if (strcmp(m, "ret") == 0 || strcmp(m, "hlt") == 0 || strcmp(m, "ud2") == 0)
		return I_END;
	if (m[0] == 'j' && *direct)
		return I_CJUMP;
	return I_OTHER;
}

/* A Thumb mnemonic without its width suffix ("beq.w", "b.n"). */
static void arm_mnemonic(const char *m, char *buf, size_t len)
{
	size_t l = strlen(m);
	if (l > 2 && m[l - 2] == '.' && (m[l - 1] == 'w' || m[l - 1] == 'n'))
		l -= 2;
	if (pst_prefix(m, "b.")) /* AArch64's b.eq: ARM's beq */
		snprintf(buf, len, "b%s", m + 2);
	else
		snprintf(buf, len, "%.*s", (int)l, m);
}

static enum ik classify_arm(const cs_insn *in, uint64_t *t, bool *direct)
{
	const char *o = in->op_str;
	char m[16];
	arm_mnemonic(in->mnemonic, m, sizeof(m));
	*direct = o[0] == '#' && last_imm(o, t);
	if (strcmp(m, "bl") == 0 || strcmp(m, "blx") == 0 ||
	    (pst_prefix(m, "bl") && pst_arm_cond(m + 2)))
		return I_CALL;
	if (strcmp(m, "b") == 0)
		return *direct ? I_JUMP : I_END;
	if (m[0] == 'b' && pst_arm_cond(m + 1))
		return *direct ? I_CJUMP : I_OTHER;
	/* Thumb's compare and branch on (non)zero: cbz r0, #target */
	if (strcmp(m, "cbz") == 0 || strcmp(m, "cbnz") == 0)
		return last_imm(o, t) ? I_CJUMP : I_OTHER;
	if (pst_prefix(m, "bx") ||
	    ((pst_prefix(m, "pop") || pst_prefix(m, "ldm")) && strstr(o, "pc")) ||
	    ((strcmp(m, "mov") == 0 || strcmp(m, "ldr") == 0) && pst_prefix(o, "pc,")))
		return I_END;
	return I_OTHER;
}

static enum ik classify_mips(const cs_insn *in, uint64_t *t, bool *direct)
{
	const char *m = in->mnemonic;
	*direct = last_imm(in->op_str, t);
	if (strcmp(m, "jal") == 0 || strcmp(m, "bal") == 0 || strcmp(m, "jalr") == 0)
		return I_CALL;
	if (strcmp(m, "j") == 0 || strcmp(m, "b") == 0)
		return I_JUMP;
	if (strcmp(m, "jr") == 0)
		return I_END;
	if (m[0] == 'b' && *direct && strcmp(m, "break") != 0)
		return I_CJUMP;
	return I_OTHER;
}

/* AArch64: bl/blr calls, b.cond/cbz/cbnz/tbz/tbnz to an immediate. */
static enum ik classify_a64(const cs_insn *in, uint64_t *t, bool *direct)
{
	const char *m = in->mnemonic;
	*direct = last_imm(in->op_str, t);
	if (strcmp(m, "bl") == 0 || strcmp(m, "blr") == 0)
		return I_CALL;
	if (strcmp(m, "b") == 0)
		return *direct ? I_JUMP : I_END;
	if (strcmp(m, "ret") == 0 || strcmp(m, "br") == 0 || strcmp(m, "brk") == 0)
		return I_END;
	if ((pst_prefix(m, "b.") || pst_prefix(m, "cb") || pst_prefix(m, "tb")) && *direct)
		return I_CJUMP;
	return I_OTHER;
}

static enum ik classify(const struct cmp *c, const cs_insn *in, uint64_t *t, bool *direct)
{
	*t = 0;
	switch (c->arch) {
	case PST_ISA_X64:
	case PST_ISA_X86: return classify_x86(in, t, direct);
	case PST_ISA_ARM: return classify_arm(in, t, direct);
	case PST_ISA_A64: return classify_a64(in, t, direct);
	default: return classify_mips(in, t, direct);
	}
}

static bool is_x86(const struct cmp *c)
{
	return c->arch == PST_ISA_X64 || c->arch == PST_ISA_X86;
}

/* Instructions after a branch or call before its successor: MIPS's delay slot. */
static uint64_t after(const struct cmp *c, const cs_insn *in)
{
	return in->address + in->size + (c->arch == PST_ISA_MIPS ? 4 : 0);
}

/* ---- registers ---- */

/* Argument i of the call k is at: a register, or on i386 (cdecl) the
 * stack's words from esp up. */
static bool arg_value(const struct cmp *c, const struct pst_cst *k, int i, uint64_t *v)
{
	if (c->arch == PST_ISA_X86)
		return pst_cst_stack_arg(k, i, v);
	return pst_cst_reg(k, pst_cst_arg_reg(c->arch, i), v);
}

/* $gp stays .got + 0x7ff0 whatever a PIC prologue does to it. i386 PIC
 * code holds the GOT in ebx wherever it calls through the PLT (the ABI
 * wants it there): assumed when nothing else is known of ebx, so that a
 * window opened after the prologue still reads @GOTOFF strings. */
static void seed(struct cmp *c, struct pst_cst *k)
{
	uint64_t v;
	if (c->gp)
		pst_cst_set(k, "$gp", c->gp);
	if (c->got && !pst_cst_reg(k, "bx", &v))
		pst_cst_set(k, "bx", c->got);
}

/* i386 PIC: a call to __x86.get_pc_thunk.REG (`mov REG, dword ptr [esp];
 * ret`) leaves its return address in REG; *reg gets REG's key. */
static bool pc_thunk(const struct cmp *c, uint64_t t, char reg[8])
{
	const uint8_t *p = NULL;
	size_t len = 0;
	uint64_t base = 0, a = t;
	const char *o;
	if (!code_bytes(c, t, &p, &len, &base))
		return false;
	p += t - base;
	len -= (size_t)(t - base);
	if (!cs_disasm_iter(c->h, &p, &len, &a, c->ds) || strcmp(c->ds->mnemonic, "mov") != 0)
		return false;
	o = c->ds->op_str;
	if (strlen(o) != 20 || o[0] != 'e' || strcmp(o + 3, ", dword ptr [esp]") != 0)
		return false;
	snprintf(reg, 8, "%.2s", o + 1);
	return cs_disasm_iter(c->h, &p, &len, &a, c->ds) && strcmp(c->ds->mnemonic, "ret") == 0;
}

static void track_t9(struct cmp *c, const cs_insn *in, uint64_t *slot)
{
	const char *o = in->op_str, *p;
	char *end;
	long v;
	if (c->arch != PST_ISA_MIPS || !pst_prefix(o, "$t9"))
		return;
	*slot = 0;
	p = strstr(o, "($gp)");
	if (strcmp(in->mnemonic, "lw") != 0 || !p || !c->gp || !pst_prefix(o, "$t9, "))
		return;
	v = strtol(o + 5, &end, 0);
	if (end == p)
		*slot = c->gp + (uint64_t)v;
}

/* Steps the tracker k through in, in the current mode. Thumb's PIC
 * address `add rX, pc` (two operands: rX += the instruction's address + 4)
 * is read here; netconst.c's tracker reads the three-operand ARM form. */
static void cst_step(const struct cmp *c, struct pst_cst *k, const cs_insn *in)
{
	uint64_t v = 0;
	char r[8];
	const char *o = in->op_str;
	bool pcrel = c->thumb && k->addrs && strcmp(in->mnemonic, "add") == 0 &&
		     strlen(o) < 12 && strstr(o, ", pc") && strlen(strstr(o, ", pc")) == 4;
	if (pcrel) {
		snprintf(r, sizeof(r), "%.*s", (int)(strstr(o, ", pc") - o), o);
		pcrel = pst_cst_reg(k, r, &v);
	}
	pst_cst_step(k, in, c->thumb);
	if (pcrel)
		pst_cst_set(k, r, (v + in->address + 4) & 0xffffffffu);
	if (c->arch == PST_ISA_X86 && strcmp(in->mnemonic, "call") == 0 &&
	    last_imm(in->op_str, &v) && pc_thunk(c, v, r))
		pst_cst_set(k, r, in->address + in->size);
}

/* i386 `call dword ptr [ebx + X]` (-fno-plt) or `[X]`: the GOT slot. */
static bool i386_slot(const char *o, const struct pst_cst *k, uint64_t *slot)
{
	const char *b = strchr(o, '[');
	uint64_t v = 0;
	long off = 0;
	char reg[4];
	if (!pst_prefix(o, "dword ptr [") || strchr(o, '*'))
		return false;
	b++;
	if (isalpha((unsigned char)b[0])) {
		snprintf(reg, sizeof(reg), "%.2s", b + 1);
		if (b[3] == ' ' && !pst_asm_imm(b + 6, &off))
			return false;
		if ((b[3] != ' ' && b[3] != ']') || !pst_cst_reg(k, reg, &v))
			return false;
		if (b[3] == ' ' && b[4] == '-')
			off = -off;
	} else if (!pst_asm_imm(b, &off)) {
		return false;
	}
	*slot = (v + (uint64_t)off) & 0xffffffffu;
	return true;
}

/* A static MIPS program's GOT slot: the address of the function it holds
 * (no dynamic linker changes it). */
static bool static_got_call(const struct cmp *c, uint64_t slot, uint64_t *v)
{
	uint64_t off = pst_elf_vaddr_off(c->e, slot);
	uint32_t w;
	if (c->e->has_dynamic || c->e->interp || off == UINT64_MAX ||
	    !pst_view_u32e(c->e->v, off, c->e->big, &w))
		return false;
	*v = w;
	return true;
}

/* The function id a call goes to, or -1; *local gets a direct target that
 * is no import (0 if none). */
static int call_id(const struct cmp *c, const cs_insn *in, const struct pst_cst *k,
		   uint64_t t9slot, uint64_t *local)
{
	uint64_t t = 0, v;
	bool direct, slot = false;
	long off;
	size_t i;
	const char *br;
	*local = 0;
	classify(c, in, &t, &direct);
	if (c->arch == PST_ISA_X64 && !direct) {
		br = strstr(in->op_str, "[rip + ");
		if (!br || !pst_asm_imm(br + 7, &off))
			return -1;
		t = in->address + in->size + (uint64_t)off;
		slot = true;
	} else if (c->arch == PST_ISA_MIPS && strcmp(in->mnemonic, "jalr") == 0) {
		if (t9slot) {
			t = t9slot;
			slot = true;
		} else if (pst_cst_reg(k, "$t9", &v)) {
			t = v;
		} else {
			return -1;
		}
	} else if (c->arch == PST_ISA_X86 && !direct) {
		if (!i386_slot(in->op_str, k, &t))
			return -1;
		slot = true;
	} else if (!direct) {
		return -1;
	}
	for (i = 0; i < c->nt; i++)
		if (c->t[i].addr == t && c->t[i].slot == slot)
			return c->t[i].id;
	if (!slot && c->arch == PST_ISA_MIPS && t9slot == 0) {
		/* a static PIC binary: $t9 holds the function itself */
		for (i = 0; i < c->nt; i++)
			if (c->t[i].addr == t)
				return c->t[i].id;
	}
	if (slot && c->arch == PST_ISA_MIPS && static_got_call(c, t, &v)) {
		/* ... or was loaded from a GOT slot that holds it */
		for (i = 0; i < c->nt; i++)
			if (c->t[i].addr == v && !c->t[i].slot)
				return c->t[i].id;
	}
	/* ARM's blx #imm changes mode (Thumb code called from ARM, or ARM
	 * from Thumb): its target is not decoded in the caller's mode */
	if (!slot && !(c->arch == PST_ISA_ARM && pst_prefix(in->mnemonic, "blx")))
		*local = t;
	return -1;
}

/* The tracker's state at a call, MIPS's delay slot included. */
static void at_call(struct cmp *c, const cs_insn *in, const struct pst_cst *k, struct pst_cst *out)
{
	*out = *k;
	if (c->arch == PST_ISA_MIPS && decode_at(c, in->address + 4, c->ds)) {
		cst_step(c, out, c->ds);
		seed(c, out);
	}
}

/* The printable string at address v (at most len bytes when len > 0),
 * escaped into buf; false when v points at no text of at least 2 bytes. */
static bool const_str(const struct cmp *c, uint64_t v, size_t len, char *buf, size_t blen)
{
	uint64_t off = pst_elf_vaddr_off(c->e, v);
	const uint8_t *p;
	size_t i, n = 0, max = len ? len : 256;
	if (off == UINT64_MAX)
		return false;
	for (i = 0; i < max; i++) {
		p = pst_view_at(c->e->v, off + i, 1);
		if (!p || (*p == 0 && !len))
			break;
		if (!isprint(*p) && *p != '\t' && *p != '\r' && *p != '\n')
			return false;
		if (n + 1 < blen)
			buf[n++] = (char)*p;
	}
	buf[n] = 0;
	return i >= 2 && (len || (p && *p == 0));
}

/* ---- exploring one side of a branch ---- */

static const struct pst_compwrap *wrap_of(const struct cmp *c, const cs_insn *in,
					  const struct pst_cst *k);

/* Queues the block at a with the registers k knows there (NULL: none). */
static void enqueue(struct reach *r, uint64_t a, uint8_t depth, const struct pst_cst *k,
		    uint64_t t9)
{
	size_t i;
	for (i = 0; i < r->nq; i++)
		if (r->q[i] == a)
			return;
	/* EQ_BLOCKS and NE_BLOCKS are the distance a match is followed (the
	 * issue's "a bounded distance"), not a budget: no analyze.budget */
	if (r->nq == r->max)
		return;
	r->depth[r->nq] = depth;
	r->t9[r->nq] = t9;
	if (k)
		r->in[r->nq] = *k;
	else
		pst_cst_reset(&r->in[r->nq]);
	r->q[r->nq++] = a;
}

static bool covered(const struct reach *r, uint64_t a)
{
	size_t i;
	for (i = 0; i < r->done; i++)
		if (a >= r->q[i] && a < r->hi[i])
			return true;
	return false;
}

static void record_hit(struct cmp *c, struct reach *r, const cs_insn *in, int id,
		       const struct pst_cst *k)
{
	struct pst_cst s;
	struct hit *h;
	uint64_t v = 0;
	if (r->nh == PST_CAP_CMP_HITS) {
		c->capped |= PST_CAP_HITS;
		return;
	}
	h = &r->h[r->nh++];
	at_call(c, in, k, &s);
	h->at = in->address;
	h->id = id;
	h->s[0] = 0;
	h->zero = false;
	if (!arg_value(c, &s, 0, &v))
		return;
	h->zero = v == 0;
	/* an address of writable data is no constant command: a buffer */
	if (!const_str(c, v, 0, h->s, sizeof(h->s)))
		h->s[0] = 0;
}

/* A comparison of two values neither of which is a constant string (a
 * password with the stored one): strcmp-family calls only. */
static bool two_values(struct cmp *c, const cs_insn *in, int id, const struct pst_cst *k)
{
	struct pst_cst s;
	char b[8];
	uint64_t v;
	int i;
	if (id == F_STRSTR || id == F_STRCASESTR)
		return false;
	at_call(c, in, k, &s);
	for (i = 0; i < 2; i++)
		if (arg_value(c, &s, i, &v) && const_str(c, v, 0, b, sizeof(b)))
			return false;
	return true;
}

/* A call passed a string that names a password or an authentication
 * ("http_passwd", "Authorization:", "Basic ", "login"). */
static bool names_password(struct cmp *c, const cs_insn *in, const struct pst_cst *k)
{
	static const char *const words[] = { "passw", "passwd", "pwd", "authoriz", "basic ",
					      "login", NULL };
	struct pst_cst s;
	char b[48];
	uint64_t v;
	size_t w, j;
	int i;
	at_call(c, in, k, &s);
	for (i = 0; i < 2; i++) {
		if (!arg_value(c, &s, i, &v) || !const_str(c, v, 0, b, sizeof(b)))
			continue;
		for (j = 0; b[j]; j++)
			b[j] = (char)tolower((unsigned char)b[j]);
		for (w = 0; words[w]; w++)
			if (strstr(b, words[w]))
				return true;
	}
	return false;
}

/* MIPS: steps k (and the GOT slot in $t9) through the delay slot of the
 * branch at a, which runs before the branch's target. c->ds is used. */
static void delay_slot(struct cmp *c, uint64_t a, struct pst_cst *k, uint64_t *t9)
{
	if (c->arch != PST_ISA_MIPS || !decode_at(c, a + 4, c->ds))
		return;
	track_t9(c, c->ds, t9);
	cst_step(c, k, c->ds);
	seed(c, k);
}

/* What the function itself does on one side (depth 0): a call made, a
 * return reached, a call or tail jump through a function pointer (for
 * handler_skip). */
static void side_notes(const struct cmp *c, struct reach *r, const cs_insn *in, enum ik kind,
		       uint64_t slot, const struct pst_cst *k)
{
	const char *m = in->mnemonic, *o = in->op_str;
	uint64_t v;
	bool ptr;
	r->calls = r->calls || kind == I_CALL;
	if (kind != I_CALL && kind != I_END)
		return;
	if (is_x86(c)) {
		r->ret = r->ret || strcmp(m, "ret") == 0;
		/* call rax, jmp qword ptr [rax + 8]; not ud2 or hlt (no operand) */
		ptr = strcmp(m, "ret") != 0 && o[0] && !strstr(o, "rip") &&
		      !isdigit((unsigned char)o[0]);
	} else if (c->arch == PST_ISA_ARM) {
		bool ret = (pst_prefix(m, "bx") && strcmp(o, "lr") == 0) ||
			   ((pst_prefix(m, "pop") || pst_prefix(m, "ldm")) && strstr(o, "pc"));
		r->ret = r->ret || ret;
		ptr = !ret && (pst_prefix(m, "blx") || pst_prefix(m, "bx")) && o[0] != '#';
	} else if (c->arch == PST_ISA_A64) {
		r->ret = r->ret || strcmp(m, "ret") == 0;
		ptr = strcmp(m, "blr") == 0 || strcmp(m, "br") == 0;
	} else {
		bool ret = strcmp(m, "jr") == 0 && strcmp(o, "$ra") == 0;
		r->ret = r->ret || ret;
		ptr = !ret && (strcmp(m, "jalr") == 0 || strcmp(m, "jr") == 0) && !slot &&
		      !pst_cst_reg(k, "$t9", &v);
	}
	if (ptr && !r->fnptr)
		r->fnptr = in->address;
}

/* One basic block from a; calls to local functions are queued one level
 * deeper, calls to the functions of interest recorded. */
static void block(struct cmp *c, struct reach *r, size_t bi)
{
	uint64_t a = r->q[bi], t, local = 0, slot = r->t9[bi];
	struct pst_cst k;
	unsigned n;
	bool direct;
	int id;
	pst_cst_init(&k, c->e);
	k.addrs = true;
	k.nr = r->in[bi].nr;
	k.nm = r->in[bi].nm;
	k.spd = r->in[bi].spd;
	memcpy(k.r, r->in[bi].r, k.nr * sizeof(k.r[0]));
	memcpy(k.m, r->in[bi].m, k.nm * sizeof(k.m[0]));
	seed(c, &k);
	r->hi[bi] = a;
	for (n = 0; n < BLOCK_INSNS && c->budget; n++, c->budget--) {
		enum ik kind;
		if (covered(r, a) && n > 0)
			break;
		if (a == r->stop || !decode_at(c, a, c->in))
			break;
		r->hi[bi] = a = c->in->address + c->in->size;
		kind = classify(c, c->in, &t, &direct);
		if (r->depth[bi] == 0)
			side_notes(c, r, c->in, kind, slot, &k);
		if (kind == I_CALL || kind == I_JUMP) {
			id = call_id(c, c->in, &k, slot, &local);
			if (id >= N_CMP && id < N_SINK)
				record_hit(c, r, c->in, id, &k);
			else if (id >= 0 && id < N_CMP && r->ncmps < PST_CAP_CMP_HITS) {
				/* auth_skip reads a zero result as a match: not
				 * so through a wrapper that returns == 0 */
				const struct pst_compwrap *w = wrap_of(c, c->in, &k);
				r->pw[r->ncmps] =
					two_values(c, c->in, id, &k) && !(w && w->inverted);
				r->cmps[r->ncmps++] = c->in->address;
			}
			if (kind == I_CALL && !r->authish)
				r->authish = names_password(c, c->in, &k);
			/* not an else: a local call is followed whatever the
			 * password test said (it once was only after one) */
			if (local && kind == I_CALL && r->depth[bi] < CALL_DEPTH)
				enqueue(r, local, (uint8_t)(r->depth[bi] + 1), &k, 0);
		}
		track_t9(c, c->in, &slot);
		cst_step(c, &k, c->in);
		seed(c, &k);
		if (kind == I_CJUMP || kind == I_JUMP)
			delay_slot(c, c->in->address, &k, &slot);
		if (kind == I_CJUMP) {
			enqueue(r, t, r->depth[bi], &k, slot);
			enqueue(r, after(c, c->in), r->depth[bi], &k, slot);
		} else if (kind == I_JUMP && local) {
			enqueue(r, local, r->depth[bi], &k, slot);
		}
		if (kind == I_CJUMP || kind == I_JUMP || kind == I_END) {
			if (c->arch == PST_ISA_MIPS)
				r->hi[bi] += 4;
			break;
		}
	}
}

static void explore(struct cmp *c, struct reach *r, uint64_t from, size_t max,
		    const struct pst_cst *k, uint64_t t9)
{
	r->nq = r->done = r->nh = r->ncmps = 0;
	r->authish = r->calls = r->ret = false;
	r->fnptr = 0;
	r->max = max;
	enqueue(r, from, 0, k, t9);
	while (r->done < r->nq && c->budget) {
		block(c, r, r->done);
		r->done++;
	}
}

/* ---- what a match unlocks ---- */

static bool shell_text(const char *s)
{
	static const char *const l[] = { "/bin/sh", "/bin/ash", "/bin/bash", "sh -i", "telnetd",
					  "nc -l", "netcat", "utelnetd", "dropbear -", NULL };
	size_t i, n = strlen(s);
	for (i = 0; l[i]; i++)
		if (strstr(s, l[i]))
			return true;
	return n >= 2 && (strcmp(s, "sh") == 0 || strcmp(s + n - 3, "/sh") == 0);
}

/* The kind a hit unlocks, 0 for none; what gets its description. */
static unsigned judge(const struct hit *h, enum pst_input in, char *what, size_t wlen)
{
	const char *fn = fn_names[h->id];
	switch (h->id) {
	case F_SYSTEM:
	case F_POPEN:
		if (!h->s[0]) {
			snprintf(what, wlen, "%s(<computed command>)", fn);
			return PST_UNLOCK_SHELL;
		}
		if (!shell_text(h->s))
			return 0;
		snprintf(what, wlen, "%s(\"%.40s\")", fn, h->s);
		return PST_UNLOCK_SHELL;
	case F_EXECL: case F_EXECLP: case F_EXECLE: case F_EXECV: case F_EXECVP: case F_EXECVE:
		if (!h->s[0] || !shell_text(h->s))
			return 0;
		snprintf(what, wlen, "%s(\"%.40s\")", fn, h->s);
		return PST_UNLOCK_SHELL;
	case F_SETUID: case F_SETGID: case F_SETRESUID:
		/* only after input we know came from outside: a daemon's
		 * configuration parser (mosquitto's "user" option) compares
		 * its keywords and then changes its identity */
		if (!h->zero || in == PST_IN_UNKNOWN)
			return 0;
		snprintf(what, wlen, "%s(0)", fn);
		return PST_UNLOCK_SETUID;
	case F_LISTEN:
		snprintf(what, wlen, "listen()");
		return PST_UNLOCK_LISTEN;
	default:
		if (in != PST_IN_RECEIVED)
			return 0;
		snprintf(what, wlen, "%s()", fn);
		return PST_UNLOCK_CONFIG;
	}
}

static bool branch_on(struct cmp *c, uint64_t a, const char *reg, uint64_t *zero,
		      uint64_t *nonzero);

static unsigned rank(unsigned kind)
{
	return kind == PST_UNLOCK_SHELL ? 4 : kind == PST_UNLOCK_SETUID ? 3 :
	       kind == PST_UNLOCK_CONFIG ? 2 : kind == PST_UNLOCK_LISTEN ? 1 : 0;
}

/* A gate, not a trigger: the match side goes on to compare the input with
 * more constants that the mismatch side never compares it with - the
 * request method checked before the request is dispatched (`if
 * (strcmp(method, "GET") && strcmp(method, "POST")) return 501;`). A hidden
 * command is a small branch off the normal path, which the mismatch side
 * continues. */
static bool gate(const struct cmp *c)
{
	size_t i, own = 0;
	for (i = 0; i < c->eq.ncmps; i++)
		own += !covered(&c->ne, c->eq.cmps[i]);
	return own >= GATE_CMPS;
}

/* The authentication skip: the mismatch side checks a password (compares
 * two values neither of which is a constant, where a call is passed a
 * string naming a password: nvram_get("http_passwd"), "Authorization:"),
 * the match side does not make that check but reaches the code its success
 * leads to. */
static bool auth_skip(struct cmp *c, uint64_t match, char *what, size_t wlen, uint64_t *at)
{
	uint64_t zero, nonzero;
	size_t i;
	if (!c->ne.authish)
		return false;
	for (i = 0; i < c->ne.ncmps; i++) {
		uint64_t p = c->ne.cmps[i];
		if (!c->ne.pw[i] || covered(&c->eq, p) || !decode_at(c, p, c->in) ||
		    !branch_on(c, after(c, c->in), pst_cst_ret_reg(c->arch), &zero, &nonzero))
			continue;
		if (zero != match && !covered(&c->eq, zero))
			continue;
		snprintf(what, wlen, "the success path of the password check at 0x%llx",
			 (unsigned long long)p);
		*at = zero;
		return true;
	}
	return false;
}

/* A server module's authentication skip (lighttpd's mod_auth with a secret
 * User-Agent): a request header compared with a constant, the match
 * returns at once (no call made), the mismatch goes on to a call or tail
 * jump through a function pointer - the check the handler hands to the
 * configured scheme - that the match never reaches. */
static bool handler_skip(struct cmp *c, uint64_t mismatch, struct pst_trigger *tr,
			 const struct pst_cst *k, uint64_t t9)
{
	if (!(c->flags & PST_TRIG_MODULE) || tr->input != PST_IN_HEADER || c->eq.calls ||
	    !c->eq.ret)
		return false;
	explore(c, &c->ne, mismatch, NE_BLOCKS, k, t9);
	if (!c->ne.fnptr || covered(&c->eq, c->ne.fnptr))
		return false;
	tr->unlocks = PST_UNLOCK_AUTH;
	tr->unlock_at = c->ne.fnptr;
	snprintf(tr->what, sizeof(tr->what),
		 "a return past the handler's check (a call through a function pointer)");
	return true;
}

/* Explores both sides; true (with tr's unlocks, unlock_at and what set)
 * when the match side reaches calls that count and the mismatch side does
 * not reach them. */
static bool unlocks(struct cmp *c, uint64_t match, uint64_t mismatch, struct pst_trigger *tr,
		    const struct pst_cst *k, uint64_t t9)
{
	char what[96], best[96] = "";
	unsigned u = 0, kind, bestr = 0;
	size_t i;
	bool any = false;
	c->eq.stop = c->ne.stop = tr->cmp_at;
	explore(c, &c->eq, match, EQ_BLOCKS, k, t9);
	for (i = 0; i < c->eq.nh && !any; i++)
		any = judge(&c->eq.h[i], tr->input, what, sizeof(what)) != 0;
	if (!any && !c->eq.nh) /* nothing to unlock, and no call a password would guard */
		return handler_skip(c, mismatch, tr, k, t9);
	explore(c, &c->ne, mismatch, NE_BLOCKS, k, t9);
	if (gate(c))
		return false;
	for (i = 0; i < c->eq.nh; i++) {
		const struct hit *h = &c->eq.h[i];
		if (covered(&c->ne, h->at))
			continue;
		kind = judge(h, tr->input, what, sizeof(what));
		if (kind && rank(kind) > bestr) {
			bestr = rank(kind);
			tr->unlock_at = h->at;
			memcpy(best, what, sizeof(best));
		}
		u |= kind;
	}
	/* a listener alone is an FTP server's passive mode: only with a shell */
	if (!(u & PST_UNLOCK_SHELL))
		u &= ~PST_UNLOCK_LISTEN;
	if (!u && auth_skip(c, match, best, sizeof(best), &tr->unlock_at))
		u = PST_UNLOCK_AUTH;
	if (!u)
		return false;
	tr->unlocks = u;
	snprintf(tr->what, sizeof(tr->what), "%s%s", best,
		 (u & PST_UNLOCK_LISTEN) && (u & PST_UNLOCK_SHELL) ? " + listen()" : "");
	return true;
}

static void add_trigger(struct cmp *c, const struct pst_trigger *tr)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->out[i].constant, tr->constant) == 0 &&
		    strcmp(c->out[i].what, tr->what) == 0)
			return;
	if (c->n < c->max)
		c->out[c->n++] = *tr;
	else
		c->capped |= PST_CAP_HITS;
}

/* ---- the branch on a result ---- */

static bool in_regs(char regs[][8], size_t nr, const char *k)
{
	size_t i;
	for (i = 0; i < nr; i++)
		if (strcmp(regs[i], k) == 0)
			return true;
	return false;
}

/* From the instruction after a call (or at a compare), finds the branch on
 * the value: *zero and *nonzero get where each outcome goes. reg is the
 * register holding the value ("ax", "r0", "$v0"), or NULL when a compare
 * was just made (x86/ARM flags) and the next conditional branch decides. */
static bool branch_on(struct cmp *c, uint64_t a, const char *reg, uint64_t *zero, uint64_t *nonzero)
{
	char regs[4][8];
	size_t nr = 0, n;
	bool flags = reg == NULL, first, second;
	uint64_t t;
	bool direct;
	if (reg) {
		snprintf(regs[0], sizeof(regs[0]), "%s", reg);
		nr = 1;
	}
	for (n = 0; n < RESULT_WINDOW && decode_at(c, a, c->ds); n++) {
		const char *o = c->ds->op_str, *s = strchr(o, ',');
		char k0[8] = "", k1[8] = "", m[16];
		enum ik kind = classify(c, c->ds, &t, &direct);
		size_t l0 = s ? (size_t)(s - o) : strlen(o);
		arm_mnemonic(c->ds->mnemonic, m, sizeof(m));
		a = c->ds->address + c->ds->size;
		if (l0 < 8)
			pst_cst_key(c->arch, o, l0, k0);
		if (s && strlen(s + 2) < 8)
			pst_cst_key(c->arch, s + 2, strlen(s + 2), k1);
		first = in_regs(regs, nr, k0);
		second = in_regs(regs, nr, k1);
		if (kind == I_CJUMP && c->arch == PST_ISA_MIPS) {
			bool z = strcmp(m, "beqz") == 0 || strcmp(m, "beq") == 0;
			bool nz = strcmp(m, "bnez") == 0 || strcmp(m, "bne") == 0;
			bool vs0 = strcmp(m, "beqz") == 0 || strcmp(m, "bnez") == 0 ||
				   strstr(o, "$zero") != NULL;
			if (!first || !vs0 || (!z && !nz))
				return false;
			*zero = z ? t : a + 4;
			*nonzero = z ? a + 4 : t;
			return true;
		}
		if (kind == I_CJUMP && (strcmp(m, "cbz") == 0 || strcmp(m, "cbnz") == 0)) {
			/* Thumb: the branch tests the register itself */
			if (!first)
				return false;
			*zero = m[2] == 'z' ? t : a;
			*nonzero = m[2] == 'z' ? a : t;
			return true;
		}
		if (kind == I_CJUMP) {
			bool z = strcmp(m, "je") == 0 || strcmp(m, "beq") == 0;
			bool nz = strcmp(m, "jne") == 0 || strcmp(m, "bne") == 0;
			if (!flags || (!z && !nz))
				return false;
			*zero = z ? t : a;
			*nonzero = z ? a : t;
			return true;
		}
		if (kind != I_OTHER)
			return false;
		if ((strcmp(m, "test") == 0 && first && second) ||
		    (strcmp(m, "cmp") == 0 && first &&
		     (strcmp(k1, "0") == 0 || strcmp(k1, "#0") == 0)))
			flags = true;
		else if (c->arch == PST_ISA_ARM && strcmp(m, "cmp") == 0 && first && k1[0] &&
			 k1[0] != '#')
			flags = true; /* against a register the compiler knows is 0 */
		else if (c->arch == PST_ISA_ARM && strcmp(m, "subs") == 0 && s &&
			 pst_prefix(s + 2, regs[0]) && strstr(s + 2, ", #0") && nr < 4) {
			flags = true; /* subs rX, r0, #0: a copy that sets the flags */
			snprintf(regs[nr++], sizeof(regs[0]), "%s", k0);
		} else if ((strcmp(m, "mov") == 0 || strcmp(m, "move") == 0) && second && !first &&
			   nr < 4) {
			snprintf(regs[nr++], sizeof(regs[0]), "%s", k0);
		} else if (c->arch == PST_ISA_ARM && strcmp(m, "movs") == 0 && second && !first &&
			   nr < 4) {
			flags = true; /* Thumb's flag-setting copy */
			snprintf(regs[nr++], sizeof(regs[0]), "%s", k0);
		}
		else if (strcmp(m, "mov") != 0 && strcmp(m, "lea") != 0 && strcmp(m, "nop") != 0 &&
			 c->arch != PST_ISA_MIPS && reg)
			flags = false; /* anything else may set the flags */
	}
	return false;
}

/* ---- the sweep ---- */

/* The comparison wrapper a call goes to (compwrap.c), or NULL: a direct
 * call, or MIPS's jalr through $t9 (its value, or the GOT slot it was
 * loaded from). */
static const struct pst_compwrap *wrap_of(const struct cmp *c, const cs_insn *in,
					  const struct pst_cst *k)
{
	uint64_t t = 0, off;
	uint32_t w;
	bool direct;
	if (!c->nwraps)
		return NULL;
	classify(c, in, &t, &direct);
	if (!direct && c->arch == PST_ISA_MIPS && !pst_cst_reg(k, "$t9", &t)) {
		off = c->t9slot ? pst_elf_vaddr_off(c->e, c->t9slot) : UINT64_MAX;
		if (off == UINT64_MAX || !pst_view_u32e(c->e->v, off, c->e->big, &w))
			return NULL;
		t = w;
	} else if (!direct && c->arch != PST_ISA_MIPS) {
		return NULL;
	}
	return pst_compwrap_at(c->wraps, c->nwraps, t);
}

/* A call that fetches a request header by its name (lighttpd's
 * http_header_request_get(r, id, "User-Agent", 10)): what it returns is
 * request data. */
static bool header_fetch(struct cmp *c, const cs_insn *in)
{
	struct pst_cst s;
	char b[48];
	uint64_t v;
	int i;
	at_call(c, in, &c->cst, &s);
	for (i = 0; i < 3; i++)
		if (arg_value(c, &s, i, &v) && const_str(c, v, 0, b, sizeof(b)) &&
		    pst_http_header_name(b))
			return true;
	return false;
}

static void compare_site(struct cmp *c, const cs_insn *in, int id)
{
	struct pst_trigger tr;
	struct pst_cst s;
	uint64_t v[3] = { 0, 0, 0 }, zero, nonzero;
	bool k[3], s0, s1;
	char b0[48], b1[48];
	size_t len;
	int i;
	const struct pst_compwrap *w;
	at_call(c, in, &c->cst, &s);
	w = wrap_of(c, in, &s);
	for (i = 0; i < 3; i++)
		k[i] = arg_value(c, &s, i, &v[i]);
	len = (id == F_MEMCMP || id == F_STRNCMP || id == F_STRNCASECMP) && k[2] && v[2] < 48 ?
	      (size_t)v[2] : 0;
	s0 = k[0] && const_str(c, v[0], len, b0, sizeof(b0));
	s1 = k[1] && const_str(c, v[1], len, b1, sizeof(b1));
	if (s0 == s1)
		return; /* two strings, or none: not input against a secret */
	memset(&tr, 0, sizeof(tr));
	memcpy(tr.constant, s0 ? b0 : b1, sizeof(tr.constant));
	tr.via = w                            ? pst_compwrap_via(fn_names[id]) :
		 c->unnamed && id == F_STRCMP ? "strcmp-like" :
						fn_names[id];
	tr.cmp_at = in->address;
	tr.input = c->idx - c->input_idx <= INPUT_WINDOW ? c->input : PST_IN_UNKNOWN;
	if (!branch_on(c, after(c, in), pst_cst_ret_reg(c->arch), &zero, &nonzero))
		return;
	c->nsites++;
	cst_step(c, &s, in); /* the call: what survives it */
	if (w && w->inverted) { /* the wrapper returns nonzero when equal */
		uint64_t eq = zero;
		zero = nonzero;
		nonzero = eq;
	}
	if (id == F_STRSTR || id == F_STRCASESTR ? unlocks(c, nonzero, zero, &tr, &s, 0) :
						   unlocks(c, zero, nonzero, &tr, &s, 0))
		add_trigger(c, &tr);
}

/* A receive: the stack bytes are forgotten (pst_cst_forget_data), except
 * whole words that hold a magic. A magic spilled to the frame before the
 * loop (gcc on mipsel when registers run short: dhcp6c's shape) is read
 * back for the compare after the receive; a receive buffer is rarely
 * where one was kept (pst_magic_word: netconst.c's test of a compared
 * value). */
static void forget_received(struct cmp *c)
{
	struct pst_cst_byte keep[PST_CST_BYTES];
	size_t i, nk = 0;
	long j;
	for (i = 0; i < c->cst.nm; i++) {
		const struct pst_cst_byte *m = &c->cst.m[i];
		uint8_t b[4];
		if (m->off % 4 != 0)
			continue;
		for (j = 0; j < 4 && pst_cst_byte_at(&c->cst, m->base, m->off + j, &b[j]); j++)
			;
		if (j < 4 || !pst_magic_word(b))
			continue;
		for (j = 0; j < 4; j++) {
			keep[nk] = *m;
			keep[nk].off = m->off + j;
			keep[nk++].b = b[j];
		}
	}
	pst_cst_forget_data(&c->cst);
	for (i = 0; i < nk && c->cst.nm < PST_CST_BYTES; i++)
		if (!pst_cst_byte_at(&c->cst, keep[i].base, keep[i].off, &keep[i].b))
			c->cst.m[c->cst.nm++] = keep[i];
}

static void sweep_call(struct cmp *c, const cs_insn *in)
{
	uint64_t local;
	int id = call_id(c, in, &c->cst, c->t9slot, &local);
	if (id >= F_RECV && id <= F_GETLINE) {
		c->input = PST_IN_RECEIVED;
		c->input_idx = c->idx;
		c->trips = 0;
		/* the received bytes land in the caller's frame, often in a
		 * slot that held a constant before (a sockaddr built for
		 * bind()): what was stored there is no longer known, but the
		 * addresses of constant data spilled before the loop are, and
		 * so are the magics (forget_received) */
		forget_received(c);
	} else if (id == F_GETENV || id == F_NVRAM_GET) {
		c->input = id == F_GETENV ? PST_IN_ENV : PST_IN_NVRAM;
		c->input_idx = c->idx;
	} else if (id >= 0 && id < N_CMP) {
		if (c->nsites < PST_CAP_CMP_SITES && c->budget)
			compare_site(c, in, id);
		else if (c->budget)
			c->capped |= PST_CAP_SITES;
	} else {
		/* another call between: the compared bytes were parsed, not
		 * just received; or a request header was fetched by name */
		c->input = (c->flags & PST_TRIG_MODULE) && header_fetch(c, in) ? PST_IN_HEADER :
										  PST_IN_UNKNOWN;
		c->input_idx = c->idx;
	}
}

static void inline_site(struct cmp *c, uint64_t v, unsigned width, uint64_t at);
static void wide_compare(struct cmp *c, const cs_insn *in);

/* Received bytes are what the sweep compares just now. */
static bool received(const struct cmp *c)
{
	return c->input == PST_IN_RECEIVED && c->idx - c->input_idx <= INPUT_WINDOW;
}

/* Steps the tracker. A callee-saved register keeps its value across
 * jumps, returns and restores from the stack: a MIPS PIC function loads its
 * GOT page into $s3 once, before its loop, and the epilogue that restores
 * the caller's $s3 often sits in the middle of the function's code. Only a
 * real redefinition changes it. */
static void step_keep(struct cmp *c, const cs_insn *in, enum ik kind)
{
	struct pst_cst_reg keep[PST_CST_REGS];
	size_t nk = 0, i;
	uint64_t v;
	bool restore = kind != I_OTHER || strstr(in->op_str, "sp") ||
		       pst_prefix(in->mnemonic, "pop") || pst_prefix(in->mnemonic, "ldm");
	if (restore)
		for (i = 0; i < c->cst.nr; i++)
			if (pst_cst_callee_saved(c->arch, c->cst.r[i].name))
				keep[nk++] = c->cst.r[i];
	cst_step(c, &c->cst, in);
	for (i = 0; i < nk; i++)
		if (!pst_cst_reg(&c->cst, keep[i].name, &v))
			pst_cst_set(&c->cst, keep[i].name, keep[i].v);
	if (kind != I_OTHER || pst_prefix(in->op_str, "$gp"))
		seed(c, &c->cst);
}

/* The inlined compares of one instruction just stepped. */
static void magic_check(struct cmp *c)
{
	if (c->cst.have_magic && received(c))
		inline_site(c, c->cst.magic, 4, c->cst.magic_at);
	c->cst.have_magic = false;
}

/* A conditional branch after a receive: its target's first instructions
 * are read with the state the branch leaves, for an inlined compare of the
 * received bytes. The compare often sits in a block of its own, out of the
 * linear order: dhcp6c's `if (len > 8 && ...) { if (magic == X) ... }`
 * puts it after the function's body on armel and mipsel, where the window
 * after the receive never reaches it. The sweep's state is put back after. */
static void side_trip(struct cmp *c, uint64_t br, uint64_t t)
{
	struct pst_cst keep = c->cst;
	uint64_t slot = c->t9slot, tt;
	size_t idx = c->idx;
	unsigned n;
	bool direct;
	if (!c->side || c->trips++ >= SIDE_TRIPS)
		return;
	delay_slot(c, br, &c->cst, &c->t9slot);
	for (n = 0; n < SIDE_INSNS && c->budget && decode_at(c, t, c->side); n++, c->budget--) {
		enum ik kind = classify(c, c->side, &tt, &direct);
		if (kind == I_CALL)
			break;
		if (kind == I_OTHER)
			wide_compare(c, c->side);
		track_t9(c, c->side, &c->t9slot);
		step_keep(c, c->side, kind);
		magic_check(c);
		if (kind != I_OTHER)
			break;
		t = c->side->address + c->side->size;
	}
	c->cst = keep;
	c->t9slot = slot;
	c->idx = idx;
}

/* One instruction of a window: calls to the functions of interest, the
 * inlined compares after a receive (here, and at the targets of the
 * branches that follow it), the tracker. */
static void sweep_step(struct cmp *c, const cs_insn *cur)
{
	uint64_t t;
	bool direct;
	/* a copy: following a compare decodes into c->in, which cur may be */
	cs_insn in = *cur;
	enum ik kind = classify(c, &in, &t, &direct);
	c->idx++;
	if (kind == I_CALL)
		sweep_call(c, &in);
	if (kind == I_OTHER && received(c))
		wide_compare(c, &in);
	track_t9(c, &in, &c->t9slot);
	step_keep(c, &in, kind);
	magic_check(c);
	if (kind == I_CJUMP && received(c) && t > in.address)
		side_trip(c, in.address, t);
}

/* ---- windows around the calls that matter ---- */

/* The sweep decodes only windows around the calls to the comparison and
 * input functions (found from their encodings, no decoding): WIN_BACK bytes
 * before each (the arguments, a GOT page a MIPS function loaded earlier),
 * and after an input call WIN_INPUT bytes (the inlined compares of what it
 * received). Overlapping windows merge. Most of a program's code is never
 * decoded: the cost stays a few percent of a scan. */
#define WIN_BACK 384
#define WIN_INPUT (INPUT_WINDOW * 4)
#define WIN_CALL 16

struct window {
	uint64_t from, to, first; /* first: the first call site inside */
	bool thumb;               /* ARM: decoded as Thumb */
};

struct wins {
	struct cmp *c;
	struct window w[PST_CAP_CMP_WINDOWS];
	size_t n;
	struct pst_callreach *g; /* which code can reach a call that counts */
	bool thumb;              /* ARM: the sites now found are Thumb calls */
	uint64_t swept;          /* bytes of code seen, up to PST_CAP_CMP_CODE */
	/* MIPS, per stretch of code: branches (target, the GOT slot their
	 * delay slot loads into $t9 or 0), and the jalr $t9 reached only by a
	 * branch (at, the first address of its path) */
	struct dsload { uint64_t target, slot; } *ds;
	struct dsload *pend;     /* .target: the jalr, .slot: its path's start */
	size_t nds, cds, npend, cpend;
	struct pst_wrapscan *wscan; /* the first pass: where wrappers may be */
};

/* The id of the function at a direct target or through a GOT slot. */
static int target_id(const struct cmp *c, uint64_t t, bool slot)
{
	size_t i;
	for (i = 0; i < c->nt; i++)
		if (c->t[i].addr == t && c->t[i].slot == slot)
			return c->t[i].id;
	return -1;
}

static void add_site(struct wins *ws, uint64_t at, int id, uint64_t base, uint64_t end)
{
	struct window *w;
	uint64_t from = at > base + WIN_BACK ? at - WIN_BACK : base;
	uint64_t to = at + (id >= F_RECV ? WIN_INPUT : WIN_CALL);
	if (id < 0 || (id >= N_CMP && id < N_SINK))
		return;
	if (to > end)
		to = end;
	w = ws->n ? &ws->w[ws->n - 1] : NULL;
	if (w && from <= w->to && w->from >= base && w->thumb == ws->thumb && from >= w->from) {
		if (to > w->to)
			w->to = to;
		return;
	}
	if (ws->n == PST_CAP_CMP_WINDOWS) {
		ws->c->capped |= PST_CAP_WINDOWS;
		return;
	}
	ws->w[ws->n++] = (struct window){ from, to, at, ws->thumb };
}

static int64_t sext16(uint32_t v)
{
	return (int64_t)(int16_t)(v & 0xffff);
}

static bool is_sink(int id)
{
	return id >= N_CMP && id < N_SINK;
}

/* A direct call or jump at a to t, for the windows and the call graph: a
 * call that counts marks its region, a call or jump elsewhere is an edge. */
static void direct(struct wins *ws, uint64_t a, uint64_t t, bool call, uint64_t base, uint64_t end)
{
	int id = target_id(ws->c, t, false);
	/* wrappers are looked for in ARM-mode code only (compwrap.c) */
	if (!ws->thumb && id < 0 && call)
		pst_wrapscan_target(ws->wscan, t);
	else if (!ws->thumb && id >= 0 && id < N_CMP)
		pst_wrapscan_cmp(ws->wscan, a, id, !call);
	if (call)
		add_site(ws, a, id, base, end);
	if (is_sink(id))
		pst_callreach_mark(ws->g, a);
	else if (id < 0 && call)
		pst_callreach_call(ws->g, a, t);
	else if (id < 0)
		pst_callreach_jump(ws->g, a, t);
}

/* A call or jump through the GOT slot at slot. */
static void through_slot(struct wins *ws, uint64_t a, int id, bool call, uint64_t base,
			 uint64_t end)
{
	if (id >= 0 && id < N_CMP)
		pst_wrapscan_cmp(ws->wscan, a, id, !call);
	if (call)
		add_site(ws, a, id, base, end);
	if (is_sink(id))
		pst_callreach_mark(ws->g, a);
}

static int64_t rel32(const uint8_t *p)
{
	return (int64_t)(int32_t)pst_le32(p);
}

/* call/jmp through a GOT slot: x86-64 [rip + X]; i386 [X], and
 * [ebx + X] of -fno-plt PIC code (ebx the GOT). */
static void x86_indirect(struct wins *ws, const uint8_t *p, uint64_t a, uint64_t base,
			 uint64_t end)
{
	const struct cmp *c = ws->c;
	uint64_t slot;
	if (c->arch == PST_ISA_X64 && (p[1] == 0x15 || p[1] == 0x25))
		slot = a + 6 + (uint64_t)rel32(p + 2);
	else if (c->arch == PST_ISA_X86 && (p[1] == 0x15 || p[1] == 0x25))
		slot = pst_le32(p + 2);
	else if (c->arch == PST_ISA_X86 && c->got && (p[1] == 0x93 || p[1] == 0xa3))
		slot = (c->got + (uint64_t)rel32(p + 2)) & 0xffffffffu;
	else
		return;
	through_slot(ws, a, target_id(c, slot, true), p[1] == 0x15 || p[1] == 0x93, base, end);
}

/* AArch64: bl and b (imm26), b.cond, cbz/cbnz (imm19), tbz/tbnz (imm14). */
static void a64_site(struct wins *ws, uint32_t x, uint64_t a, uint64_t base, uint64_t end)
{
	if ((x & 0x7c000000u) == 0x14000000u)
		direct(ws, a, a + (uint64_t)(((int64_t)(int32_t)(x << 6) >> 6) * 4),
		       (x & 0x80000000u) != 0, base, end);
	else if ((x & 0xff000010u) == 0x54000000u || (x & 0x7e000000u) == 0x34000000u)
		pst_callreach_jump(ws->g, a,
				   a + (uint64_t)(((int64_t)(int32_t)(x << 8) >> 13) * 4));
	else if ((x & 0x7e000000u) == 0x36000000u)
		pst_callreach_jump(ws->g, a,
				   a + (uint64_t)(((int64_t)(int32_t)(x << 13) >> 18) * 4));
}

/* x86-64, at every byte: call/jmp rel32, jcc rel32, call/jmp [rip + X]. */
static void x86_sites(struct wins *ws, const uint8_t *code, size_t len, uint64_t base)
{
	uint64_t end = base + len;
	size_t off;
	for (off = 0; off + 6 <= len; off++) {
		uint64_t a = base + off;
		if (code[off] == 0xe8 || code[off] == 0xe9)
			direct(ws, a, a + 5 + (uint64_t)rel32(code + off + 1), code[off] == 0xe8,
			       base, end);
		else if (code[off] == 0x0f && (code[off + 1] & 0xf0) == 0x80)
			pst_callreach_jump(ws->g, a, a + 6 + (uint64_t)rel32(code + off + 2));
		else if (code[off] == 0xff)
			x86_indirect(ws, code + off, a, base, end);
	}
}

/* Whether the MIPS instruction x writes register r (rd of a register op,
 * rt of an immediate op or a load). */
static bool writes_reg(uint32_t x, uint32_t r)
{
	uint32_t op = x >> 26;
	if (op == 0)
		return ((x >> 11) & 0x1f) == r && (x & 0x3f) != 0x08 && (x & 0x3f) != 0x09;
	return ((op >= 8 && op <= 15) || (op >= 32 && op <= 38)) && ((x >> 16) & 0x1f) == r;
}

/* `move r, rs` (addu or or with $zero): rs, else 0. */
static uint32_t move_from(uint32_t x, uint32_t r)
{
	uint32_t f = x & 0x7ff;
	if ((x >> 26) != 0 || ((x >> 11) & 0x1f) != r || ((x >> 16) & 0x1f) != 0 ||
	    (f != 0x21 && f != 0x25))
		return 0;
	return (x >> 21) & 0x1f;
}

/* An unconditional MIPS jump (b, j, jr): what comes before it is another
 * path. */
static bool mips_goes_away(uint32_t y)
{
	return (y & 0xffff0000u) == 0x10000000u || (y >> 26) == 2 || (y & 0xfc1ff83fu) == 0x8u;
}

enum got_call { GC_FOUND, GC_POINTER, GC_UNKNOWN };

/* The function a MIPS `jalr $t9` at off calls through the GOT: `lw $t9,
 * X($gp)`, or a copy of a callee-saved register loaded so before a loop
 * (`lw $s0, X($gp)` ... `move $t9, $s0`), with nothing else writing the
 * register between, up to 256 instructions back; `addiu $t9, $t9, lo`
 * after it adds a local function's offset to its GOT page. *slot gets the
 * GOT slot, *lo the offset. GC_POINTER: $t9 came from elsewhere (a
 * function pointer, no direct call); GC_UNKNOWN: the search ran into
 * another path (the jalr is a branch target, $t9 loaded in the delay slot
 * of a branch to it) or found nothing. */
static enum got_call mips_got_call(const struct cmp *c, const uint8_t *code, size_t off,
				   uint64_t *slot, bool *add, int64_t *lo, size_t *path)
{
	uint32_t r = 25, from;
	size_t k;
	*add = false;
	*lo = 0;
	*path = SIZE_MAX;
	if (!c->gp || (pst_u32e(code + off, c->e->big) >> 21) != 25)
		return GC_POINTER;
	for (k = 1; k <= 256 && k * 4 <= off; k++) {
		uint32_t y = pst_u32e(code + off - 4 * k, c->e->big);
		if (k > 1 && mips_goes_away(y)) {
			if (r == 25 && !*add)
				*path = off - 4 * k + 8; /* after its delay slot */
			return GC_UNKNOWN;
		}
		if (r == 25 && (y & 0xffff0000u) == 0x27390000u && !*add) {
			*add = true; /* addiu $t9, $t9, lo */
			*lo = sext16(y);
		} else if ((y & 0xffe00000u) == 0x8f800000u && ((y >> 16) & 0x1f) == r) {
			*slot = c->gp + (uint64_t)sext16(y); /* lw r, X($gp) */
			return GC_FOUND;
		} else if ((from = move_from(y, r)) != 0) {
			r = from;
		} else if (writes_reg(y, r)) {
			return GC_POINTER;
		} else if (r == 25 && k > 64) {
			return GC_UNKNOWN;
		}
	}
	return GC_UNKNOWN;
}

/* Appends (x, y) to *v; false when out of room. */
static bool add_load(struct wins *ws, struct dsload **v, size_t *n, size_t *cap, uint64_t x,
		     uint64_t y)
{
	(void)ws;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct dsload *p =
			nc <= ((size_t)1 << 20) ? pst_realloc(*v, nc * sizeof(**v)) : NULL;
		if (!p)
			return false;
		*v = p;
		*cap = nc;
	}
	(*v)[(*n)++] = (struct dsload){ x, y };
	return true;
}

static int by_target(const void *a, const void *b)
{
	const struct dsload *x = a, *y = b;
	return x->target < y->target ? -1 : x->target > y->target;
}

/* The function of a GOT slot: a call that counts marks its region. */
/* The function id of a MIPS GOT slot: an import's slot, else what the
 * slot holds (a stub, a static PIC program's function); *val gets that
 * word (false: unreadable). */
static int got_id(const struct cmp *c, uint64_t slot, uint32_t *val, bool *have)
{
	uint64_t fo = pst_elf_vaddr_off(c->e, slot);
	int id = target_id(c, slot, true);
	*have = fo != UINT64_MAX && pst_view_u32e(c->e->v, fo, c->e->big, val);
	return id >= 0 || !*have ? id : target_id(c, *val, false);
}

static bool slot_counts(const struct cmp *c, uint64_t slot)
{
	uint32_t val;
	bool have;
	return is_sink(got_id(c, slot, &val, &have));
}

/* The end of a stretch: each jalr $t9 reached only by branches gets the
 * functions the branches' delay slots load (any of them that counts marks
 * it). One whose $t9 came from before such a branch (its delay slot loads
 * nothing: slot 0) is not resolved, like a function pointer: the graph
 * follows what the encodings tell, and marking every such call kept most
 * of a MIPS program live (docs/findings/hidden.md). */
static void resolve_pending(struct wins *ws)
{
	size_t i, j, lo, hi;
	if (ws->nds) /* ds is NULL while empty */
		qsort(ws->ds, ws->nds, sizeof(*ws->ds), by_target);
	for (i = 0; i < ws->npend; i++) {
		uint64_t at = ws->pend[i].target, from = ws->pend[i].slot;
		bool counts = false;
		for (lo = 0, hi = ws->nds; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2;
			if (ws->ds[mid].target < from)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (j = lo; j < ws->nds && ws->ds[j].target <= at; j++)
			counts = counts || (ws->ds[j].slot && slot_counts(ws->c, ws->ds[j].slot));
		if (counts)
			pst_callreach_mark(ws->g, at);
	}
	ws->nds = ws->npend = 0;
}

/* A MIPS `jalr $t9` at off: through a GOT slot (an import, or a local
 * function: its page plus an offset). Calls through function pointers are
 * no direct calls: neither a site nor an edge. One reached only by
 * branches is resolved from their delay slots at the stretch's end. */
static void mips_jalr(struct wins *ws, const uint8_t *code, size_t off, uint64_t base, uint64_t end)
{
	struct cmp *c = ws->c;
	uint64_t a = base + off, slot = 0;
	uint32_t val = 0;
	int64_t lo;
	bool add, have;
	int id;
	size_t path;
	enum got_call gc = mips_got_call(c, code, off, &slot, &add, &lo, &path);
	if (gc == GC_UNKNOWN && path != SIZE_MAX &&
	    !add_load(ws, &ws->pend, &ws->npend, &ws->cpend, a, base + path))
		pst_callreach_mark(ws->g, a); /* out of room */
	if (gc != GC_FOUND)
		return;
	id = got_id(c, slot, &val, &have);
	if (id < 0 && have)
		pst_wrapscan_target(ws->wscan, add ? (uint64_t)val + (uint64_t)lo : val);
	if (add && have && target_id(c, slot, true) < 0)
		direct(ws, a, (uint64_t)val + (uint64_t)lo, true, base, end);
	else
		through_slot(ws, a, id, true, base, end);
}

/* MIPS: jal, j, bal, the conditional branches, jalr. */
static void mips_site(struct wins *ws, const uint8_t *code, size_t off, uint64_t base, uint64_t end)
{
	uint64_t a = base + off;
	uint32_t x = pst_u32e(code + off, ws->c->e->big), op = x >> 26, rt = (x >> 16) & 0x1f;
	uint64_t near = a + 4 + (uint64_t)(sext16(x) * 4);
	if (op == 2 || op == 3)
		direct(ws, a, ((a + 4) & 0xf0000000u) | (uint64_t)(x & 0x3ffffff) << 2, op == 3,
		       base, end);
	else if (op == 1 && rt == 0x11 && ((x >> 21) & 0x1f) == 0)
		direct(ws, a, near, true, base, end); /* bal */
	else if (op == 1 || (op >= 4 && op <= 7) || (op >= 20 && op <= 23))
		pst_callreach_jump(ws->g, a, near);
	if ((op == 1 || op == 2 || (op >= 4 && op <= 7) || (op >= 20 && op <= 23)) &&
	    off + 8 <= end - base && ws->c->gp) {
		uint32_t d = pst_u32e(code + off + 4, ws->c->e->big);
		uint64_t t =
			op == 2 ? ((a + 4) & 0xf0000000u) | (uint64_t)(x & 0x3ffffff) << 2 : near;
		uint64_t slot =
			(d & 0xffff0000u) == 0x8f990000u ? ws->c->gp + (uint64_t)sext16(d) : 0;
		if (!add_load(ws, &ws->ds, &ws->nds, &ws->cds, t, slot))
			pst_callreach_mark(ws->g,
					   t); /* out of room: the target may call anything */
	}
	else if (op == 0 && (x & 0x1f07ffu) == 0x9u)
		mips_jalr(ws, code, off, base, end);
}

/* Thumb-2 calls (-mthumb programs, armhf): BLX to a PLT stub or a wrapper
 * of interest opens a Thumb window. Random halfword pairs in ARM code or
 * data also look like BL, so the call graph takes Thumb edges only from a
 * stretch that has at least one such call to a function of interest. */
static void thumb_sites(struct wins *ws, const uint8_t *code, size_t len, uint64_t base)
{
	uint64_t end = base + len, t;
	size_t off, hits = 0;
	bool blx;
	int id;
	ws->thumb = true;
	for (off = 0; off + 4 <= len; off += 2) {
		if (!pst_thumb_call(code + off, ws->c->e->big, base + off, &t, &blx))
			continue;
		id = target_id(ws->c, t, false);
		if (id < 0)
			continue;
		hits++;
		direct(ws, base + off, t, true, base, end);
	}
	for (off = 0; hits && off + 4 <= len; off += 2)
		if (pst_thumb_call(code + off, ws->c->e->big, base + off, &t, &blx) && !blx &&
		    target_id(ws->c, t, false) < 0 && t >= base && t < end)
			pst_callreach_call(ws->g, base + off, t);
	ws->thumb = false;
}

/* Calls by their encodings (x86-64 call rel32 and call [rip + X], ARM BL,
 * MIPS jal, bal and `lw $t9, X($gp); jalr $t9`) for the windows; with the
 * jumps and branches, for the call graph. */
static void find_sites(void *ctx, const uint8_t *code, size_t len, uint64_t base)
{
	struct wins *ws = ctx;
	struct cmp *c = ws->c;
	uint64_t end;
	size_t off;
	/* pst_elf_code was given one byte more than PST_CAP_CMP_CODE: reaching it
	 * means there was more code than the sweep reads */
	if (ws->swept + len > PST_CAP_CMP_CODE) {
		c->capped |= PST_CAP_CODE;
		len = (size_t)(PST_CAP_CMP_CODE - ws->swept);
	}
	ws->swept += len;
	end = base + len;
	pst_callreach_code(ws->g, base, end);
	if (is_x86(c)) {
		x86_sites(ws, code, len, base);
		return;
	}
	for (off = 0; off + 4 <= len; off += 4) {
		uint64_t a = base + off;
		uint32_t x = pst_u32e(code + off, c->e->big);
		if (c->arch == PST_ISA_A64)
			a64_site(ws, x, a, base, end);
		else if (c->arch == PST_ISA_MIPS)
			mips_site(ws, code, off, base, end);
		else if ((x & 0x0e000000u) == 0x0a000000u && (x >> 28) != 0xf)
			direct(ws, a, a + 8 + (uint64_t)((int64_t)((int32_t)(x << 8) >> 8) * 4),
			       (x & 0x01000000u) != 0, base, end);
	}
	if (c->arch == PST_ISA_ARM && c->ht)
		thumb_sites(ws, code, len, base);
	resolve_pending(ws);
}

/* ARM: decode Thumb (thumb) or ARM code from now on. */
static void set_mode(struct cmp *c, bool thumb)
{
	c->thumb = thumb && c->ht;
	c->h = c->thumb ? c->ht : c->ha;
}

/* The next instruction before to into c->in. ARM and Thumb code keep
 * their literal pools beside the code, and capstone refuses some of their
 * words: stepped over a halfword (Thumb) or word at a time. x86 is left to
 * the caller's restarts. */
static bool next_insn(struct cmp *c, const uint8_t **p, size_t *left, uint64_t *a, uint64_t to)
{
	size_t unit = c->thumb ? 2 : 4;
	while (*a < to) {
		if (decode_next(c, p, left, a, c->in))
			return true;
		if (is_x86(c) || *left < unit)
			return false;
		*p += unit;
		*left -= unit;
		*a += unit;
	}
	return false;
}

/* Decodes one window with the sweep's steps. x86: from the first start
 * (of up to 8) whose decoding lands on the window's first call. */
static void sweep_window(struct cmp *c, const struct window *w)
{
	const uint8_t *code, *p;
	size_t len, left, tries;
	uint64_t base, a;
	if (!code_bytes(c, w->first, &code, &len, &base))
		return;
	set_mode(c, w->thumb);
	/* x86: up to 8 starts; Thumb: 2 (a 32-bit instruction may straddle) */
	for (tries = 0; tries < (is_x86(c) ? 8u : w->thumb ? 4u : 1u);
	     tries += w->thumb ? 2u : 1u) {
		uint64_t from = w->from + tries;
		if (from > w->first)
			return;
		p = code + (from - base);
		left = len - (size_t)(from - base);
		a = from;
		while (a < w->first && next_insn(c, &p, &left, &a, w->first))
			;
		if (a == w->first)
			break;
	}
	p = code + (w->from + tries - base);
	left = len - (size_t)(w->from + tries - base);
	a = w->from + tries;
	pst_cst_reset(&c->cst);
	seed(c, &c->cst);
	c->input = PST_IN_UNKNOWN;
	c->t9slot = 0;
	while (next_insn(c, &p, &left, &a, w->to))
		sweep_step(c, c->in);
}

/* MIPS: the GOT slots that hold a wrapper's address are calls to it (the
 * GOT's section, else its first 64 KiB, as far as $gp reaches). */
static void wrap_slots(struct cmp *c, const struct pst_compwrap *w)
{
	const struct pst_elf_sect *got = pst_elf_section(c->e, ".got");
	uint64_t a, off, n = got && got->size < 0x10000 ? got->size / 4 : 16384;
	uint32_t v;
	if (c->arch != PST_ISA_MIPS || !c->gp)
		return;
	for (a = c->gp - 0x7ff0; n; a += 4, n--) {
		off = pst_elf_vaddr_off(c->e, a);
		if (off == UINT64_MAX || !pst_view_u32e(c->e->v, off, c->e->big, &v))
			break;
		if (v != w->addr)
			continue;
		if (c->nt == PST_CAP_CMP_TARGETS) {
			c->capped |= PST_CAP_TARGETS;
			break;
		}
		c->t[c->nt++] = (struct pst_imptarget){ a, w->id, true };
	}
}

/* The program's comparison wrappers (compwrap.c) from what the first pass
 * saw: calls to them are comparisons from now on. True when there are. */
static bool add_wraps(struct cmp *c, struct pst_wrapscan *scan)
{
	size_t i;
	c->nwraps = pst_wrapscan_find(scan, c->e, c->ha, c->arch, c->wraps, PST_CAP_CMP_WRAPS);
	if (pst_wrapscan_cut(scan) & PST_WRAPSCAN_CUT_SITES)
		c->capped |= PST_CAP_WRAP_SITES;
	if (pst_wrapscan_cut(scan) & PST_WRAPSCAN_CUT_WRAPS)
		c->capped |= PST_CAP_WRAPS;
	for (i = 0; i < c->nwraps && c->nt < PST_CAP_CMP_TARGETS; i++) {
		c->t[c->nt++] = (struct pst_imptarget){ c->wraps[i].addr, c->wraps[i].id, false };
		wrap_slots(c, &c->wraps[i]);
	}
	if (i < c->nwraps)
		c->capped |= PST_CAP_TARGETS;
	return c->nwraps > 0;
}

/* The windows and the call graph from the program's code: a first pass,
 * and with wrappers found a second one that sees their calls. */
static bool find_all(struct cmp *c, struct wins *ws)
{
	ws->wscan = pst_wrapscan_new();
	ws->g = pst_callreach_new();
	if (!ws->g)
		return false;
	pst_elf_code(c->e, PST_CAP_CMP_CODE + 1, find_sites, ws);
	if (add_wraps(c, ws->wscan)) {
		pst_wrapscan_free(ws->wscan);
		ws->wscan = NULL;
		pst_callreach_free(ws->g);
		ws->n = ws->nds = ws->npend = 0;
		ws->swept = 0;
		ws->g = pst_callreach_new();
		if (!ws->g)
			return false;
		pst_elf_code(c->e, PST_CAP_CMP_CODE + 1, find_sites, ws);
	}
	return true;
}

static void sweep(struct cmp *c)
{
	struct wins *ws = pst_calloc(1, sizeof(*ws));
	size_t i;
	if (!ws)
		return;
	ws->c = c;
	if (!find_all(c, ws))
		goto out;
	pst_callreach_solve(ws->g, CALL_DEPTH);
	/* a server module's comparisons are all followed: its handler's
	 * authentication skip unlocks no call (handler_skip) */
	for (i = 0; i < ws->n && c->budget; i++)
		if ((c->flags & PST_TRIG_MODULE) ||
		    pst_callreach_live(ws->g, ws->w[i].first, ws->w[i].to))
			sweep_window(c, &ws->w[i]);
out:
	pst_wrapscan_free(ws->wscan);
	pst_callreach_free(ws->g);
	free(ws->ds);
	free(ws->pend);
	free(ws);
}

/* ---- inlined compares ---- */

/* A constant of width bytes compared with input, as its bytes sit in
 * memory (and in the packet): a little-endian machine compares 'ScMM' as
 * 0x4d4d6353. Printable bytes are quoted, the rest in hex. */
static void inline_text(const struct cmp *c, uint64_t v, unsigned width, char *buf, size_t len)
{
	char b[9];
	unsigned i;
	bool pr = true;
	for (i = 0; i < width; i++) {
		unsigned sh = c->e->big ? 8 * (width - 1 - i) : 8 * i;
		b[i] = (char)(v >> sh);
		pr = pr && isprint((unsigned char)b[i]);
	}
	b[width] = 0;
	if (pr)
		snprintf(buf, len, "%s", b);
	else
		snprintf(buf, len, "0x%0*llx", (int)(2 * width), (unsigned long long)v);
}

/* An inlined compare at at of received bytes with the constant v: the
 * branch is the next conditional one (x86, ARM: on the flags), or on MIPS
 * the beq/bne at at itself. */
static void inline_site(struct cmp *c, uint64_t v, unsigned width, uint64_t at)
{
	struct pst_trigger tr;
	struct pst_cst k = c->cst;
	uint64_t zero, nonzero, t, slot = c->t9slot;
	bool direct, ok;
	if (!c->budget || !decode_at(c, at, c->ds))
		return;
	if (c->arch == PST_ISA_MIPS) {
		/* equal is beq's target, bne's fall-through (after the delay slot) */
		bool beq = strcmp(c->ds->mnemonic, "beq") == 0;
		ok = classify(c, c->ds, &t, &direct) == I_CJUMP &&
		     (beq || strcmp(c->ds->mnemonic, "bne") == 0);
		zero = beq ? t : at + 8;
		nonzero = beq ? at + 8 : t;
		/* both sides run the delay slot: often the load of the next
		 * call's $t9 */
		if (ok)
			delay_slot(c, at, &k, &slot);
	} else {
		ok = branch_on(c, at + c->ds->size, NULL, &zero, &nonzero);
	}
	if (!ok)
		return;
	memset(&tr, 0, sizeof(tr));
	inline_text(c, v, width, tr.constant, sizeof(tr.constant));
	tr.via = "inline compare";
	tr.cmp_at = at;
	tr.input = PST_IN_RECEIVED;
	c->nsites++;
	if (unlocks(c, zero, nonzero, &tr, &k, slot))
		add_trigger(c, &tr);
}

/* x86-64: an 8-byte constant (movabs) compared with a quadword of memory:
 * how gcc inlines strncmp(buf, "w302r_mfg", 9). Its bytes must be text. */
static void wide_compare(struct cmp *c, const cs_insn *in)
{
	const char *o = in->op_str, *s = strchr(o, ','), *reg;
	char k[8], b[48];
	size_t l;
	uint64_t v;
	if (c->arch != PST_ISA_X64 || strcmp(in->mnemonic, "cmp") != 0 || !s)
		return;
	if (pst_prefix(o, "qword ptr")) {
		reg = s + 2;
		l = strlen(reg);
	} else if (pst_prefix(s + 2, "qword ptr")) {
		reg = o;
		l = (size_t)(s - o);
	} else {
		return;
	}
	if (l < 2 || l > 3 || reg[0] != 'r')
		return;
	/* rax is keyed "ax", r13 "r13" (netconst.c's keys) */
	if (isdigit((unsigned char)reg[1]))
		snprintf(k, sizeof(k), "%.*s", (int)l, reg);
	else
		snprintf(k, sizeof(k), "%.*s", (int)(l - 1), reg + 1);
	if (!pst_cst_reg(&c->cst, k, &v))
		return;
	inline_text(c, v, 8, b, sizeof(b));
	if (b[0] != '0' || b[1] != 'x')
		inline_site(c, v, 8, in->address);
}

static int by_addr(const void *a, const void *b)
{
	const struct pst_trigger *x = a, *y = b;
	return x->cmp_at < y->cmp_at ? -1 : x->cmp_at > y->cmp_at;
}

void pst_caps_str(unsigned capped, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *text;
	} caps[] = {
		{ PST_CAP_BUDGET, "the instructions explored per program ("
				  PST_STR(PST_CAP_CMP_BUDGET) ")" },
		{ PST_CAP_SITES, "the comparisons followed (" PST_STR(PST_CAP_CMP_SITES) ")" },
		{ PST_CAP_HITS, "the calls or triggers kept (" PST_STR(PST_CAP_CMP_HITS) ")" },
		{ PST_CAP_WINDOWS, "the stretches of code decoded ("
				   PST_STR(PST_CAP_CMP_WINDOWS) ")" },
		{ PST_CAP_TARGETS, "the call targets of the functions of interest" },
		{ PST_CAP_CODE, "the bytes of code swept (32 MiB)" },
		{ PST_CAP_WRAPS, "the comparison wrappers followed (PST_CAP_CMP_WRAPS)" },
		{ PST_CAP_WRAP_SITES, "the calls kept to find comparison wrappers "
				      "(PST_CAP_CMP_WRAP_SITES)" },
		{ PST_LF_CUT_SITES << PST_CAP_LIB_SHIFT,
		  "the library-function sites kept (PST_CAP_CMP_LIB_SITES)" },
		{ PST_LF_CUT_STARTS << PST_CAP_LIB_SHIFT,
		  "the function starts kept (PST_CAP_CMP_LIB_STARTS)" },
		{ PST_LF_CUT_REFS << PST_CAP_LIB_SHIFT,
		  "the copies of /bin/sh and -c looked for (PST_CAP_CMP_LIB_REFS)" },
		{ PST_LF_CUT_GOT << PST_CAP_LIB_SHIFT, "the GOT read (PST_CAP_CMP_LIB_GOT)" },
		{ PST_LF_CUT_IFUNCS << PST_CAP_LIB_SHIFT,
		  "the IFUNCs read (PST_CAP_CMP_LIB_IFUNCS)" },
		{ PST_LF_CUT_IMPLS << PST_CAP_LIB_SHIFT,
		  "the implementations read per IFUNC (PST_CAP_CMP_LIB_IMPLS)" },
	};
	size_t i, at = 0;
	if (len)
		buf[0] = 0;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		int w;
		if (!(capped & caps[i].bit) || at >= len)
			continue;
		w = snprintf(buf + at, len - at, "%s%s", at ? " " : "", caps[i].text);
		at = w < 0 ? len : at + (size_t)w;
	}
}

/* A stripped static program's library functions have no names: those
 * libfuncs.c recognises by what they do join the call targets. */
static void add_libfuncs(struct cmp *c)
{
	static const int id[] = { [PST_LF_EXECVE] = F_EXECVE, [PST_LF_SHELL] = F_SYSTEM,
				  [PST_LF_STRCMP] = F_STRCMP, [PST_LF_SETUID] = F_SETUID,
				  [PST_LF_SETGID] = F_SETGID, [PST_LF_SETRESUID] = F_SETRESUID,
				  [PST_LF_LISTEN] = F_LISTEN, [PST_LF_READ] = F_READ,
				  [PST_LF_RECV] = F_RECV, [PST_LF_RECVFROM] = F_RECVFROM,
				  [PST_LF_RECVMSG] = F_RECVMSG };
	struct pst_libfunc lf[PST_CAP_CMP_TARGETS];
	size_t n, i;
	unsigned cut;
	if (c->e->has_dynamic || c->e->interp || c->e->has_symtab)
		return;
	n = pst_libfuncs_find(c->e, lf, PST_CAP_CMP_TARGETS, &cut);
	c->capped |= (cut & ~PST_LF_CUT_MAX) << PST_CAP_LIB_SHIFT;
	if (cut & PST_LF_CUT_MAX)
		c->capped |= PST_CAP_TARGETS;
	c->unnamed = true;
	for (i = 0; i < n && c->nt < PST_CAP_CMP_TARGETS; i++)
		c->t[c->nt++] = (struct pst_imptarget){ lf[i].entry, id[lf[i].kind], false };
	if (i < n)
		c->capped |= PST_CAP_TARGETS;
}

/* i386's _GLOBAL_OFFSET_TABLE_: .got.plt, or .got when linked with -z now
 * (sockets.c reads the PLT the same way). */
static uint64_t i386_got(const struct pst_elf *e)
{
	const struct pst_elf_sect *g = pst_elf_section(e, ".got.plt");
	if (!g)
		g = pst_elf_section(e, ".got");
	return g ? g->addr : 0;
}

size_t pst_triggers_find(const struct pst_elf *e, const struct pst_netconst *net,
			 struct pst_trigger *out, size_t max, unsigned *capped)
{
	return pst_triggers_find_ex(e, net, 0, out, max, capped);
}

size_t pst_triggers_find_ex(const struct pst_elf *e, const struct pst_netconst *net,
			    unsigned flags, struct pst_trigger *out, size_t max, unsigned *capped)
{
	static const struct pst_netconst none;
	struct cmp *c;
	int ca, mode;
	size_t n = 0, i;
	bool any = false, sinks = false, inputs = false, full = false;
	enum pst_isa isa = pst_elf_isa(e);
	*capped = 0;
	if ((isa != PST_ISA_X64 && isa != PST_ISA_X86 && isa != PST_ISA_ARM &&
	     isa != PST_ISA_A64 && isa != PST_ISA_MIPS) ||
	    (isa == PST_ISA_MIPS && (e->is64 || (e->eflags & 0x20))) ||
	    !pst_elf_capstone(e, &ca, &mode))
		return 0;
	c = pst_calloc(1, sizeof(*c));
	if (!c)
		return 0;
	c->e = e;
	c->arch = isa;
	c->flags = flags;
	c->nt = pst_import_targets(e, fn_names, N_FN, c->t, PST_CAP_CMP_TARGETS, &c->gp, &full);
	if (isa == PST_ISA_X86)
		c->got = i386_got(e);
	if (full)
		c->capped |= PST_CAP_TARGETS; /* calls to those left out go unseen */
	add_libfuncs(c);
	if (!net)
		net = &none;
	for (i = 0; i < c->nt; i++) {
		any = any || c->t[i].id < N_CMP;
		/* listen() alone never counts (see judge) */
		sinks = sinks ||
			(c->t[i].id >= N_CMP && c->t[i].id < N_SINK && c->t[i].id != F_LISTEN);
		inputs = inputs || (c->t[i].id >= F_RECV && c->t[i].id <= F_GETLINE);
	}
	/* nothing to unlock, or no compare to unlock it: nothing decoded */
	if ((!sinks && !(flags & PST_TRIG_MODULE)) || (!any && !inputs && !net->nmagics) ||
	    cs_open((cs_arch)ca, (cs_mode)mode, &c->ha) != CS_ERR_OK)
		goto out;
	c->h = c->ha;
	/* ARM programs may be Thumb code in part or whole (-mthumb) */
	if (isa == PST_ISA_ARM &&
	    cs_open(CS_ARCH_ARM, (cs_mode)(CS_MODE_THUMB | (e->big ? CS_MODE_BIG_ENDIAN : 0)),
		    &c->ht) != CS_ERR_OK)
		c->ht = 0;
	c->in = cs_malloc(c->h);
	c->ds = cs_malloc(c->h);
	c->side = cs_malloc(c->h);
	c->ic = pst_insncache_new();
	if (c->in && c->ds) {
		pst_cst_init(&c->cst, e);
		c->cst.addrs = true;
		c->budget = PST_CAP_CMP_BUDGET;
		c->out = out;
		c->max = max;
		c->input_idx = 0;
		c->idx = INPUT_WINDOW + 1;
		if (any || inputs)
			sweep(c);
		for (i = 0; i < net->nmagics; i++) {
			size_t before = c->n;
			/* netconst's magic sites do not say their mode: ARM, then Thumb */
			set_mode(c, false);
			inline_site(c, net->magics[i], 4, net->magic_at[i]);
			set_mode(c, c->n == before);
			if (c->thumb)
				inline_site(c, net->magics[i], 4, net->magic_at[i]);
		}
		n = c->n;
		*capped = c->capped | (c->budget ? 0 : PST_CAP_BUDGET);
		qsort(out, n, sizeof(*out), by_addr);
	}
	cs_free(c->in, 1);
	cs_free(c->ds, 1);
	cs_free(c->side, 1);
	cs_close(&c->ha);
	if (c->ht)
		cs_close(&c->ht);
out:
	*capped |= c->capped;
	pst_insncache_free(c->ic);
	free(c);
	return n;
}
