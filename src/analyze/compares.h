/*
 * compares.h - hidden commands: comparisons of outside input with constant
 * data of the binary (strcmp-family calls with a .rodata string, inlined
 * compares of a received word with a magic) and what the branch taken on a
 * match reaches that the branch taken otherwise does not (compares.c).
 *
 * The internal API other analyses use ("this binary has a constant-vs-input
 * comparison at X that unlocks Y"): pst_triggers_find() fills one
 * pst_trigger per comparison that unlocks something; binary.c turns them
 * into backdoor.magic-trigger findings, a role analysis may weigh them
 * against what the program's role allows.
 */
#ifndef PST_COMPARES_H
#define PST_COMPARES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "binfeat.h"

/* What a match unlocks (bits of pst_trigger.unlocks). */
#define PST_UNLOCK_SHELL 0x01u    /* system/popen of a computed command, exec of a shell,
				     a fixed command that starts a shell or telnetd */
#define PST_UNLOCK_LISTEN 0x02u   /* listen(): a new listening socket */
#define PST_UNLOCK_SETUID 0x04u   /* setuid/setgid/setresuid(0) */
#define PST_UNLOCK_CONFIG 0x08u   /* nvram_set/unset/commit, a dump of all NVRAM */
#define PST_UNLOCK_AUTH 0x10u     /* the code a password check guards, without the check */

/* Where the compared input comes from (what the data-flow saw). */
enum pst_input { PST_IN_UNKNOWN, PST_IN_RECEIVED, PST_IN_ENV, PST_IN_NVRAM,
		 PST_IN_HEADER /* a value a call fetched by an HTTP header's name */ };

struct pst_trigger {
	char constant[48];   /* the constant, printable (escaped), cut at 47 */
	const char *via;     /* "strcmp", "memcmp", ..., "inline compare" */
	uint64_t cmp_at;     /* the call or compare instruction */
	enum pst_input input;
	unsigned unlocks;    /* PST_UNLOCK_* */
	uint64_t unlock_at;  /* the first unlocked call of the most severe kind */
	char what[96];       /* e.g. "system(<computed>)", "execl(\"/bin/sh\") + listen()" */
};

/* Why a search ended before it had looked at everything it would have
 * (bits of pst_triggers_find's *capped): its silence is then no proof. */
#define PST_CAP_BUDGET 0x01u  /* the instructions explored per binary */
#define PST_CAP_SITES 0x02u   /* the comparisons followed per binary */
#define PST_CAP_HITS 0x04u    /* triggers beyond max, or calls of interest beyond
				 what one exploration keeps */
#define PST_CAP_WINDOWS 0x08u /* the stretches of code decoded per binary */
#define PST_CAP_TARGETS 0x10u /* the call targets of the functions of interest */
#define PST_CAP_CODE 0x20u    /* the bytes of code swept per binary */
#define PST_CAP_WRAPS 0x40u   /* the comparison wrappers followed */
#define PST_CAP_WRAP_SITES 0x80u /* the calls kept to find the wrappers among */
/* a stripped static program's library functions (libfuncs.h's PST_LF_CUT_*
 * bits, but PST_LF_CUT_MAX, shifted by PST_CAP_LIB_SHIFT) */
#define PST_CAP_LIB_SHIFT 8

/* The comparisons of e that unlock something, at most max into out, in
 * address order; returns how many. net (may be NULL) is netconst's result:
 * its magics are followed as inlined compares. Bounded work (see
 * compares.c); *capped gets the PST_CAP_* bounds that cut the search short
 * (0: none). Only x86-64, i386, ARM (ARM and Thumb), AArch64 and MIPS32
 * are read; others give 0. */
size_t pst_triggers_find(const struct pst_elf *e, const struct pst_netconst *net,
			 struct pst_trigger *out, size_t max, unsigned *capped);

/* How pst_triggers_find_ex reads a program (bits of flags). */
#define PST_TRIG_MODULE 0x01u /* a server's module (pst_caprules_module_role):
				 every comparison is followed, not only those that can
				 reach a shell, and a header compare whose match returns
				 past the call through a function pointer (the handler's
				 check) is an authentication skip */

/* pst_triggers_find with flags (PST_TRIG_*). */
size_t pst_triggers_find_ex(const struct pst_elf *e, const struct pst_netconst *net,
			    unsigned flags, struct pst_trigger *out, size_t max, unsigned *capped);

/* The bounds in capped, as text ("the instruction budget (400000)..."). */
void pst_caps_str(unsigned capped, char *buf, size_t len);

/* A short text of where input came from: "received data", "environment",
 * "NVRAM", "input". */
const char *pst_input_str(enum pst_input in);

#endif
