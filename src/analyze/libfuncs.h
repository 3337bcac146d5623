/*
 * libfuncs.h - the library functions of a stripped static program, which
 * have no names, recognised by what they do (libfuncs.c): the system-call
 * wrappers (execve, setuid, listen, read, recv...), a system()/popen()-like
 * function (it loads both "/bin/sh" and "-c") and strcmp/memcmp-like ones
 * (they return the difference of two bytes loaded through two different
 * pointers). compares.c follows calls to them as it follows named imports.
 */
#ifndef PST_LIBFUNCS_H
#define PST_LIBFUNCS_H

#include <stddef.h>
#include <stdint.h>
#include "elf.h"

enum pst_lf {
	PST_LF_EXECVE, PST_LF_SHELL, PST_LF_STRCMP, PST_LF_SETUID, PST_LF_SETGID,
	PST_LF_SETRESUID, PST_LF_LISTEN, PST_LF_READ, PST_LF_RECV, PST_LF_RECVFROM,
	PST_LF_RECVMSG
};

struct pst_libfunc {
	uint64_t entry;   /* where calls go: the function, or an IFUNC's PLT stub */
	enum pst_lf kind;
};

/* What a cap left out (pst_libfuncs_find's *cut), so that functions may
 * have gone unrecognised: PST_CAP_CMP_LIB_SITES, _STARTS, _REFS, _GOT,
 * _IFUNCS, _IMPLS (caps.h), or max. */
#define PST_LF_CUT_SITES 0x01u
#define PST_LF_CUT_STARTS 0x02u
#define PST_LF_CUT_REFS 0x04u
#define PST_LF_CUT_GOT 0x08u
#define PST_LF_CUT_IFUNCS 0x10u
#define PST_LF_CUT_IMPLS 0x20u
#define PST_LF_CUT_MAX 0x40u

/* The recognised functions of e (a stripped static program of a machine
 * capstone reads), at most max into out, sorted by entry; returns how many.
 * One linear decoding of its code (at most PST_CAP_CMP_CODE bytes). *cut
 * gets the PST_LF_CUT_* bits of the caps that left something out. */
size_t pst_libfuncs_find(const struct pst_elf *e, struct pst_libfunc *out, size_t max,
			 unsigned *cut);

#endif
