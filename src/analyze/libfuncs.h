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

#include <stdbool.h>
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

/* The recognised functions of e (a stripped static program of a machine
 * capstone reads), at most max into out, sorted by entry; returns how many.
 * One linear decoding of its code (at most PST_CAP_CMP_CODE bytes). *cut
 * says whether a cap (PST_CAP_CMP_LIB_* in caps.h, or max) left something
 * out, so that functions may have gone unrecognised. */
size_t pst_libfuncs_find(const struct pst_elf *e, struct pst_libfunc *out, size_t max,
			 bool *cut);

#endif
