/*
 * vercmp.h - version orderings of the ecosystems vulnerability data speaks
 * (src/core/vercmp.c): Debian's dpkg, rpm, Semantic Versioning 2.0, PEP 440 and a
 * generic ordering for versions read from binaries (CPE-matched).
 */
#ifndef PST_VERCMP_H
#define PST_VERCMP_H

enum pst_ver_scheme {
	PST_VER_GENERIC =
		0,      /* 1.2.3, 1.1.1k, 9.2p1, 2.0rc1 (rc/alpha/beta/pre before the release) */
	PST_VER_DPKG,   /* deb-version(7): epoch:upstream-revision, ~ before anything */
	PST_VER_RPM,    /* rpmvercmp: epoch:version-release, ~ before, ^ after the end */
	PST_VER_SEMVER, /* semver.org 2.0: prerelease before the release, build ignored */
	PST_VER_PEP440, /* Python: epoch!release, .devN < aN < bN < rcN < release < .postN */
};

/* <0, 0 or >0 as a is older than, the same as or newer than b under s.
 * Total on any strings (garbage compares, it never fails). */
int pst_ver_cmp(enum pst_ver_scheme s, const char *a, const char *b);

#endif
