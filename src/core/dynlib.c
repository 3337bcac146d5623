/*
 * dynlib.c - opening a library by its SONAME once, and resolving its
 * functions (dynlib.h says why and how a user lists them).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include "dynlib.h"

/* dlsym hands out a function as a void *: POSIX requires the two to have
 * one representation, which is what storing it by memcpy relies on. */
_Static_assert(sizeof(void (*)(void)) == sizeof(void *), "function pointers fit a void *");

/* Every symbol, or none: a failure leaves the struct zeroed, so no pointer
 * into a library that was closed again survives. */
static bool resolve(struct pst_dynlib *lib, void *h)
{
	size_t i;
	for (i = 0; i < lib->nsyms; i++) {
		const char *name = lib->syms[i].name, *why;
		void *p;
		dlerror();
		p = dlsym(h, name);
		if (!p) {
			why = dlerror();
			snprintf(lib->err, sizeof(lib->err), "%s has no function %s (%s)",
				 lib->soname, name, why ? why : "its address is NULL");
			memset(lib->fns, 0, lib->fns_len);
			return false;
		}
		memcpy((char *)lib->fns + lib->syms[i].off, &p, sizeof(p));
	}
	return true;
}

/* RTLD_NOW: every relocation of the library is done here, before a caller
 * enters the sandbox, not at a first call inside it. */
static void load_locked(struct pst_dynlib *lib)
{
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	const char *why;

	lib->state = -1;
	if (!h) {
		why = dlerror();
		snprintf(lib->err, sizeof(lib->err), "cannot load %s (%s)", lib->soname,
			 why ? why : "no reason given");
		return;
	}
	if (!resolve(lib, h)) {
		dlclose(h);
		return;
	}
	lib->state = 1;
}

bool pst_dynlib_load(struct pst_dynlib *lib)
{
	bool ok;
	pthread_mutex_lock(&lib->lock);
	if (lib->state == 0)
		load_locked(lib);
	ok = lib->state == 1;
	pthread_mutex_unlock(&lib->lock);
	return ok;
}

const char *pst_dynlib_error(struct pst_dynlib *lib)
{
	const char *e;
	pthread_mutex_lock(&lib->lock);
	e = lib->state < 0 ? lib->err : "";
	pthread_mutex_unlock(&lib->lock);
	return e;
}
