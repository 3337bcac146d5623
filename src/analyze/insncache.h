/*
 * insncache.h - one program's decoded instructions kept by address
 * (insncache.c), so that compares.c decodes each instruction once: its
 * sweep reads the windows around the calls of interest, and the
 * explorations of both sides of every comparison read much of the same
 * code again (on the router image, about 40 % of its decodes repeated an
 * earlier one). A decode costs thousands of host instructions in capstone
 * 4's MIPS printer; a copy out of the cache, a few dozen.
 *
 * Only what the decoding fixes is kept: the same bytes at the same address
 * decode the same in ARM, MIPS, AArch64 and x86 code, and a MIPS
 * instruction that names no address (no branch or jump) decodes the same at
 * any address - a program repeats its loads from the GOT, its register
 * copies and its nops many times. Not for Thumb, where capstone carries an
 * IT block's state from one instruction to the next.
 * A full cache keeps no more, and a miss decodes again: its bound costs
 * time, never what is examined.
 */
#ifndef PST_INSNCACHE_H
#define PST_INSNCACHE_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdint.h>

struct pst_insncache;

/* An empty cache; NULL when out of memory (the caller decodes every time). */
struct pst_insncache *pst_insncache_new(void);
void pst_insncache_free(struct pst_insncache *ic);

/* The key of an instruction that decodes the same wherever it sits: its
 * encoding with the top bit set. Addresses are the other keys; code
 * addresses never have the top bit set. */
#define PST_INSNCACHE_ENC ((uint64_t)1 << 63)

/* Whether the MIPS32 instruction x decodes to the same text at every
 * address: its major opcode is SPECIAL (register jumps print no address),
 * an immediate operation (addi .. lui), SPECIAL2, SPECIAL3, or a load or
 * store; never a branch, a jump or a coprocessor branch. */
bool pst_insncache_mips_anywhere(uint32_t x);

/* Fills in with the instruction kept under key, as decoded at addr
 * (in->detail untouched); false when none is (ic may be NULL). */
bool pst_insncache_get(const struct pst_insncache *ic, uint64_t key, uint64_t addr,
		       cs_insn *in);

/* Keeps a copy of in under key; not when the cache is full or in's text is
 * longer than an entry holds. */
void pst_insncache_put(struct pst_insncache *ic, uint64_t key, const cs_insn *in);

#endif
