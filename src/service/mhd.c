/*
 * mhd.c - libmicrohttpd, opened when `postern serve` starts (http.h lists
 * the functions): a scan, a worker or a client command never maps it, nor
 * the TLS and Kerberos libraries it pulls in.
 */
#include <stdio.h>
#include "http.h"

struct svc_mhd svc_mhd;

#define SVC_MHD_SYM(f) PST_DYNLIB_SYM(struct svc_mhd, f)
static const struct pst_dynsym mhd_syms[] = { SVC_MHD_FUNCS(SVC_MHD_SYM) };
static struct pst_dynlib mhd_lib = PST_DYNLIB(PST_LIBMICROHTTPD_SONAME, mhd_syms, svc_mhd);

int svc_mhd_load(void)
{
	if (pst_dynlib_load(&mhd_lib))
		return 0;
	fprintf(stderr, "postern: serve: %s\n", pst_dynlib_error(&mhd_lib));
	return -1;
}
