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
enum pst_input { PST_IN_UNKNOWN, PST_IN_RECEIVED, PST_IN_ENV, PST_IN_NVRAM };

struct pst_trigger {
	char constant[48];   /* the constant, printable (escaped), cut at 47 */
	const char *via;     /* "strcmp", "memcmp", ..., "inline compare" */
	uint64_t cmp_at;     /* the call or compare instruction */
	enum pst_input input;
	unsigned unlocks;    /* PST_UNLOCK_* */
	uint64_t unlock_at;  /* the first unlocked call of the most severe kind */
	char what[96];       /* e.g. "system(<computed>)", "execl(\"/bin/sh\") + listen()" */
};

/* The comparisons of e that unlock something, at most max into out, in
 * address order; returns how many. net (may be NULL) is netconst's result:
 * its magics are followed as inlined compares. Bounded work (see
 * compares.c). Only x86-64, ARM (ARM mode) and MIPS32 are read; others
 * give 0. */
size_t pst_triggers_find(const struct pst_elf *e, const struct pst_netconst *net,
			 struct pst_trigger *out, size_t max);

/* A short text of where input came from: "received data", "environment",
 * "NVRAM", "input". */
const char *pst_input_str(enum pst_input in);

#endif
