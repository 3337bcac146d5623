/*
 * dynlib.h - a library opened by its SONAME the first time it is needed,
 * and its functions resolved into a struct of typed pointers.
 *
 * libclamav, libpq and libmicrohttpd (and the thirty libraries they pull
 * in) serve one option or one command each: linked directly, every process
 * would map and relocate them at start, a scan inside the sandbox included.
 * A user lists the functions it calls once, as an X-macro, and gets a
 * struct whose members keep the prototypes of the library's own header:
 *
 *	#define PQ_FUNCS(X) X(PQexec) X(PQclear)
 *	struct pq_fns { PQ_FUNCS(PST_DYNLIB_FN) };
 *	#define PQ_SYM(f) PST_DYNLIB_SYM(struct pq_fns, f)
 *	static const struct pst_dynsym pq_syms[] = { PQ_FUNCS(PQ_SYM) };
 *	static struct pq_fns pq;
 *	static struct pst_dynlib pq_lib = PST_DYNLIB(PST_LIBPQ_SONAME, pq_syms, pq);
 *
 * then calls pq.PQexec(...) once pst_dynlib_load(&pq_lib) said true. The
 * SONAMEs come from the libraries CMake found (CMakeLists.txt), never from
 * a guess. A library is never closed once loaded: its pointers stay valid
 * for the life of the process.
 */
#ifndef PST_DYNLIB_H
#define PST_DYNLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* One function: its name and where its pointer goes in the struct. */
struct pst_dynsym {
	const char *name;
	size_t off;
};

struct pst_dynlib {
	const char *soname;
	const struct pst_dynsym *syms;
	size_t nsyms;
	void *fns;		/* the struct of pointers, filled all or not at all */
	size_t fns_len;
	pthread_mutex_t lock;
	int state;		/* 0 not tried, 1 loaded, -1 failed (err says why) */
	char err[320];
};

/* A member of the struct of pointers: the type of &f from f's own header. */
#define PST_DYNLIB_FN(f) __typeof__(&f) f;
/* An entry of the symbol list. */
#define PST_DYNLIB_SYM(type, f) { #f, offsetof(type, f) },
#define PST_DYNLIB(soname, syms, fns)                                                  \
	{ (soname), (syms), sizeof(syms) / sizeof((syms)[0]), &(fns), sizeof(fns),     \
	  PTHREAD_MUTEX_INITIALIZER, 0, "" }

/* Opens the library and resolves every symbol, the first time only (any
 * thread; later calls return the first answer). false: pst_dynlib_error
 * names the library, or the symbol, and what dlerror() said. */
bool pst_dynlib_load(struct pst_dynlib *lib);
/* Why the last pst_dynlib_load failed; "" before it or when it succeeded. */
const char *pst_dynlib_error(struct pst_dynlib *lib);

#endif
