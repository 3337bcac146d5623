/*
 * netconst.h - the constant tracker of netconst.c, which sockets.c steps
 * through the instructions before a call to bind() (the port stored in a
 * sockaddr) and after a receive (a magic the received bytes are compared
 * with).
 */
#ifndef PST_NETCONST_H
#define PST_NETCONST_H

#include <capstone/capstone.h>
#include "binfeat.h"

#define PST_CST_REGS 24
#define PST_CST_BYTES 64

struct pst_cst_reg {
	char name[8];
	uint64_t v;
};

struct pst_cst_byte {
	char base[8];   /* the base register's key ("sp", "$sp", "bp", "x19") */
	long off;
	uint8_t b;
};

struct pst_cst {
	const struct pst_elf *e;
	enum pst_isa arch;
	bool big;
	struct pst_cst_reg r[PST_CST_REGS];
	size_t nr;
	struct pst_cst_byte m[PST_CST_BYTES];
	size_t nm;
	bool addrs;        /* also track addresses: x86-64 `lea r, [rip + X]`,
			      ARM `add r, pc, r`, MIPS `lw r, X(base)` from a
			      known base (compares.c; off for the others) */
	long spd;          /* i386 with addrs: bytes pushed (or subtracted from
			      esp) since the start; esp-based bytes are kept
			      under the base "@sp" at offsets from that start,
			      so cdecl arguments are found whichever way they
			      were put (push, or mov [esp + X]) */
	bool have_magic;   /* the first magic compare stepped through */
	uint32_t magic;
	uint64_t magic_at;
};

void pst_cst_init(struct pst_cst *c, const struct pst_elf *e);
/* Forgets registers and stored bytes (a new decoding start). */
void pst_cst_reset(struct pst_cst *c);
/* Forgets registers only (a call: the caller's stack bytes stay). */
void pst_cst_forget_regs(struct pst_cst *c);
/* Forgets stored bytes but spilled addresses of the file (a receive). */
void pst_cst_forget_data(struct pst_cst *c);
void pst_cst_step(struct pst_cst *c, const cs_insn *in, bool thumb);
/* Sets register name (as keyed: "$gp", "r4", "di") to v. */
void pst_cst_set(struct pst_cst *c, const char *name, uint64_t v);
/* The constant register name holds ("r0", "$a1", "di"), if known. */
bool pst_cst_reg(const struct pst_cst *c, const char *name, uint64_t *v);
/* i386 cdecl: the 4-byte stack argument i of a call about to be made. */
bool pst_cst_stack_arg(const struct pst_cst *c, int i, uint64_t *v);
/* The byte stored at base + off (base as keyed: "sp", "$sp", "@sp"), if
 * known. */
bool pst_cst_byte_at(const struct pst_cst *c, const char *base, long off, uint8_t *b);
/* Four bytes that read as a magic: four letters or digits, or four
 * distinct bytes none 0 or 0xff; not a length, a flag mask, a small number
 * or a sockaddr's family and port. */
bool pst_magic_word(const uint8_t b[4]);

/* Whether cc is an ARM condition code ("eq", "ne", "hs"...), exactly. */
bool pst_arm_cond(const char *cc);
/* The port of a sockaddr among the stored bytes. */
bool pst_cst_port(const struct pst_cst *c, uint16_t *port);

/* The key of the register named by s[0..len) on arch, as the tracker keeps
 * it (out gets at most 7 characters): x86's rax/eax/ax are "ax" and
 * r8d/r8 are "r8"; AArch64's w5/x5 are "x5", fp and lr "x29" and "x30";
 * other names as written. */
void pst_cst_key(enum pst_isa arch, const char *s, size_t len, char out[8]);
/* The register (as keyed) that passes argument i (0-3) of a call on x86-64,
 * ARM, AArch64 or MIPS o32; "" elsewhere (i386 passes them on the stack:
 * pst_cst_stack_arg). */
const char *pst_cst_arg_reg(enum pst_isa arch, int i);
/* The register (as keyed) a function returns its value in; "" when not
 * known for arch. */
const char *pst_cst_ret_reg(enum pst_isa arch);

/* Whether register k (as the tracker keys it) survives a call on arch. */
bool pst_cst_callee_saved(enum pst_isa arch, const char *k);

#endif
