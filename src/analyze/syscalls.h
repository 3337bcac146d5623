/*
 * syscalls.h - system calls a stripped static binary makes, recovered by
 * disassembling its executable sections with capstone: find the syscall
 * instruction and the constant loaded into the ABI's number register just
 * before it, then name it from the ABI's table (syscall_tables.c, generated
 * from the kernel's UAPI headers by scripts/gen-syscalls).
 */
#ifndef PST_SYSCALLS_H
#define PST_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>
#include "elf.h"

struct pst_sysname {
	int nr;
	const char *name;
};

extern const struct pst_sysname pst_sys_x86_64[], pst_sys_i386[], pst_sys_arm_eabi[],
	pst_sys_aarch64[], pst_sys_mips_o32[], pst_sys_mips_n64[], pst_sys_mips_n32[],
	pst_sys_ppc32[], pst_sys_ppc64[];
/* i386 socketcall(2) sub-calls (SYS_SOCKET = 1 ... from linux/net.h) */
extern const struct pst_sysname pst_socketcall[];

struct pst_sysres {
	const char **names;   /* distinct names (static strings), sorted */
	size_t n;
	size_t sites;         /* syscall instructions seen */
	size_t resolved;      /* of which the number was recovered */
	const char *abi;      /* "x86_64", "mips_o32", "mips_n32", "ppc32", "ppc64",
				 ... or NULL: not supported */
	uint64_t sock_sites[16]; /* addresses of syscall instructions that are socket() */
	size_t nsock;
	uint64_t net_sites[16];  /* ... that are bind() (net_recv 0) or a receive:
				    recvfrom, recv, read (net_recv 1) */
	uint8_t net_recv[16];
	size_t nnet;
	uint64_t dup_sites[16];  /* ... that are dup2() or dup3() */
	size_t ndup;
	bool thumb;           /* ARM: the sites were found decoding Thumb code */
	bool code_cut;        /* code past PST_CAP_SYS_CODE was not swept */
};

/* Parses an assembler immediate as capstone prints it ("#0x10", "-4"). */
bool pst_asm_imm(const char *s, long *out);

/* Recovers the system calls of e. Returns false on out of memory; an
 * unsupported machine gives an empty result with abi NULL. */
bool pst_syscalls_recover(const struct pst_elf *e, struct pst_sysres *r);
void pst_sysres_free(struct pst_sysres *r);

/* The capstone arch and mode (cs_arch, cs_mode) for e's machine; false
 * when capstone is not used for it. */
/* The instruction set family of e's machine; the syscall recovery and the
 * socket-argument reader step registers by it. */
enum pst_isa { PST_ISA_X64, PST_ISA_X86, PST_ISA_ARM, PST_ISA_A64, PST_ISA_MIPS, PST_ISA_PPC };
enum pst_isa pst_elf_isa(const struct pst_elf *e);
bool pst_elf_capstone(const struct pst_elf *e, int *arch, int *mode);

/* Calls cb for each executable section of e (or executable PT_LOAD segment
 * when there are no section headers), at most budget bytes in all. False
 * when the budget ran out before the code did. */
typedef void (*pst_code_cb)(void *ctx, const uint8_t *p, size_t len, uint64_t addr);
bool pst_elf_code(const struct pst_elf *e, uint64_t budget, pst_code_cb cb, void *ctx);

/* The name of nr in table t, or NULL. */
const char *pst_sysname_of(const struct pst_sysname *t, long nr);

#endif
