/*
 * vercmp.c - version orderings (vercmp.h). Each follows its ecosystem's
 * published rules: dpkg's deb-version(7), rpm's rpmvercmp, semver.org 2.0.
 * The generic ordering is for versions read out of binaries and matched by
 * CPE, where no ecosystem says: digit runs compare as numbers, letter runs as
 * text, and a run of pre-release words (alpha, beta, rc, pre, dev) sorts
 * before the release while other letters (OpenSSL's 1.1.1k, OpenSSH's 9.2p1)
 * sort after it. Inputs are NUL-terminated strings from hostile data: every
 * loop stops at the NUL, numbers are compared by length, never converted.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include "vercmp.h"

/* Compares two runs of digits as numbers of any length. */
static int num_cmp(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb, *ea, *eb;
	size_t la, lb;
	while (*a == '0')
		a++;
	while (*b == '0')
		b++;
	for (ea = a; isdigit((unsigned char)*ea); ea++)
		;
	for (eb = b; isdigit((unsigned char)*eb); eb++)
		;
	for (; isdigit((unsigned char)**pa); (*pa)++)
		;
	for (; isdigit((unsigned char)**pb); (*pb)++)
		;
	la = (size_t)(ea - a);
	lb = (size_t)(eb - b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return memcmp(a, b, la);
}

/* ---- dpkg ---- */

/* deb-version(7): ~ before everything (even the end), then the end, then
 * letters, then everything else. */
static int dpkg_order(char c)
{
	if (c == '~')
		return -1;
	if (!c || isdigit((unsigned char)c))
		return 0;
	if (isalpha((unsigned char)c))
		return (unsigned char)c;
	return (unsigned char)c + 256;
}

/* Compares two ranges [a, ea) and [b, eb) (upstream part or revision). */
static int dpkg_part(const char *a, const char *ea, const char *b, const char *eb)
{
	while (a < ea || b < eb) {
		while ((a < ea && !isdigit((unsigned char)*a)) ||
		       (b < eb && !isdigit((unsigned char)*b))) {
			int ca = dpkg_order(a < ea ? *a : 0), cb = dpkg_order(b < eb ? *b : 0);
			if (ca != cb)
				return ca - cb;
			a++;
			b++;
		}
		while (a < ea && *a == '0')
			a++;
		while (b < eb && *b == '0')
			b++;
		int diff = 0;
		while (a < ea && isdigit((unsigned char)*a) && b < eb &&
		       isdigit((unsigned char)*b)) {
			if (!diff)
				diff = *a - *b;
			a++;
			b++;
		}
		if (a < ea && isdigit((unsigned char)*a))
			return 1;
		if (b < eb && isdigit((unsigned char)*b))
			return -1;
		if (diff)
			return diff;
	}
	return 0;
}

struct evr { const char *e, *ee, *v, *ve, *r, *re; };

/* Splits epoch:version-release (the last '-' starts the release). */
static void evr_split(const char *s, struct evr *x)
{
	const char *colon = strchr(s, ':'), *end = s + strlen(s), *dash;
	x->e = s;
	x->ee = s;
	if (colon) {
		x->ee = colon;
		s = colon + 1;
	}
	dash = strrchr(s, '-');
	x->v = s;
	x->ve = dash ? dash : end;
	x->r = dash ? dash + 1 : end;
	x->re = end;
}

/* Epochs compare as numbers; a missing one is 0. */
static int epoch_cmp(const struct evr *a, const struct evr *b)
{
	const char *pa = a->e, *pb = b->e;
	const char *za = "0", *zb = "0";
	if (a->ee == a->e || !isdigit((unsigned char)*pa))
		pa = za;
	if (b->ee == b->e || !isdigit((unsigned char)*pb))
		pb = zb;
	return num_cmp(&pa, &pb);
}

typedef int (*part_cmp)(const char *a, const char *ea, const char *b, const char *eb);

/* epoch:version-release under one ordering of parts. rpm compares the
 * releases only when both sides have one (rpm's own rule); dpkg takes a
 * missing revision as empty. */
static int evr_cmp(const char *a, const char *b, part_cmp part, bool release_needs_both)
{
	struct evr x, y;
	int c;
	evr_split(a, &x);
	evr_split(b, &y);
	c = epoch_cmp(&x, &y);
	if (!c)
		c = part(x.v, x.ve, y.v, y.ve);
	if (!c && (!release_needs_both || (x.r < x.re && y.r < y.re)))
		c = part(x.r, x.re, y.r, y.re);
	return c;
}

/* ---- rpm ---- */

static bool rpm_sep(char c)
{
	return c && !isalnum((unsigned char)c) && c != '~' && c != '^';
}

/* rpmvercmp over [a, ea) and [b, eb). */
static int rpm_part(const char *a, const char *ea, const char *b, const char *eb)
{
	for (;;) {
		while (a < ea && rpm_sep(*a))
			a++;
		while (b < eb && rpm_sep(*b))
			b++;
		bool ta = a < ea && *a == '~', tb = b < eb && *b == '~';
		if (ta || tb) {
			if (!ta)
				return 1;
			if (!tb)
				return -1;
			a++, b++;
			continue;
		}
		bool ca = a < ea && *a == '^', cb = b < eb && *b == '^';
		if (ca || cb) {
			if (a >= ea)
				return -1;
			if (b >= eb)
				return 1;
			if (!ca)
				return 1;
			if (!cb)
				return -1;
			a++, b++;
			continue;
		}
		if (a >= ea || b >= eb)
			return (a < ea) - (b < eb);
		const char *sa = a, *sb = b;
		bool digits = isdigit((unsigned char)*a);
		int (*cls)(int) = digits ? isdigit : isalpha;
		while (a < ea && cls((unsigned char)*a))
			a++;
		while (b < eb && cls((unsigned char)*b))
			b++;
		if (b == sb) /* b's segment is of the other kind: numeric is newer */
			return digits ? 1 : -1;
		int c;
		if (digits) {
			while (sa < a && *sa == '0')
				sa++;
			while (sb < b && *sb == '0')
				sb++;
			if (a - sa != b - sb)
				return a - sa < b - sb ? -1 : 1;
			c = memcmp(sa, sb, (size_t)(a - sa));
		} else {
			size_t la = (size_t)(a - sa), lb = (size_t)(b - sb);
			c = memcmp(sa, sb, la < lb ? la : lb);
			if (!c && la != lb)
				c = la < lb ? -1 : 1;
		}
		if (c)
			return c < 0 ? -1 : 1;
	}
}

/* ---- semver ---- */

/* One dot-separated identifier of a prerelease, up to '.', '+' or NUL. */
static int semver_ident(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb, *ea = a, *eb = b;
	bool na = true, nb = true;
	for (; *ea && *ea != '.' && *ea != '+'; ea++)
		na = na && isdigit((unsigned char)*ea);
	for (; *eb && *eb != '.' && *eb != '+'; eb++)
		nb = nb && isdigit((unsigned char)*eb);
	na = na && ea > a;
	nb = nb && eb > b;
	*pa = ea;
	*pb = eb;
	if (na && nb)
		return num_cmp(&a, &b);
	if (na != nb)
		return na ? -1 : 1; /* numeric identifiers sort first */
	size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
	int c = memcmp(a, b, la < lb ? la : lb);
	return c ? c : (la < lb ? -1 : la > lb);
}

static int semver_pre(const char *a, const char *b)
{
	bool ha = *a == '-', hb = *b == '-';
	if (!ha || !hb)
		return ha == hb ? 0 : (ha ? -1 : 1); /* a prerelease sorts before its release */
	a++, b++;
	for (;;) {
		bool ea = !*a || *a == '+', eb = !*b || *b == '+';
		if (ea || eb)
			return ea == eb ? 0 : (ea ? -1 : 1);
		int c = semver_ident(&a, &b);
		if (c)
			return c;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
}

static int semver_cmp(const char *a, const char *b)
{
	if (*a == 'v' || *a == 'V')
		a++;
	if (*b == 'v' || *b == 'V')
		b++;
	for (int i = 0; i < 3; i++) {
		/* a missing minor or patch number is 0 (lenient: "1.2" is 1.2.0) */
		bool ha = isdigit((unsigned char)*a), hb = isdigit((unsigned char)*b);
		const char *xa = ha ? a : "0", *xb = hb ? b : "0";
		int c = num_cmp(&xa, &xb);
		if (ha)
			a = xa;
		if (hb)
			b = xb;
		if (c)
			return c;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return semver_pre(a, b);
}

/* ---- generic ---- */

static bool pre_word(const char *s, size_t n)
{
	static const char *const words[] = { "alpha", "beta", "rc", "pre", "dev", "a", "b" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
			return true;
	return false;
}

/* Where a letter run at s stands against the end of the other version: a
 * pre-release word sorts before the end, other letters after it. */
static int letters_vs_end(const char *s)
{
	size_t n = 0;
	while (isalpha((unsigned char)s[n]))
		n++;
	return pre_word(s, n) ? -1 : 1;
}

static bool gen_sep(char c)
{
	return c && !isalnum((unsigned char)c);
}

static int generic_cmp(const char *a, const char *b)
{
	for (;;) {
		while (gen_sep(*a))
			a++;
		while (gen_sep(*b))
			b++;
		if (!*a || !*b) {
			if (!*a && !*b)
				return 0;
			if (!*a)
				return isalpha((unsigned char)*b) ? -letters_vs_end(b) : -1;
			return isalpha((unsigned char)*a) ? letters_vs_end(a) : 1;
		}
		bool da = isdigit((unsigned char)*a), db = isdigit((unsigned char)*b);
		if (da && db) {
			int c = num_cmp(&a, &b);
			if (c)
				return c;
			continue;
		}
		if (da != db) /* 1.0.1 against 1.0rc1: the number is the newer */
			return da ? (letters_vs_end(b) < 0 ? 1 : -1) :
				    (letters_vs_end(a) < 0 ? -1 : 1);
		const char *sa = a, *sb = b;
		while (isalpha((unsigned char)*a))
			a++;
		while (isalpha((unsigned char)*b))
			b++;
		bool pa = pre_word(sa, (size_t)(a - sa)), pb = pre_word(sb, (size_t)(b - sb));
		if (pa != pb)
			return pa ? -1 : 1;
		size_t la = (size_t)(a - sa), lb = (size_t)(b - sb);
		int c = strncasecmp(sa, sb, la < lb ? la : lb);
		if (c || la != lb)
			return c ? c : (la < lb ? -1 : 1);
	}
}

int pst_ver_cmp(enum pst_ver_scheme s, const char *a, const char *b)
{
	int c;
	switch (s) {
	case PST_VER_DPKG: c = evr_cmp(a, b, dpkg_part, false); break;
	case PST_VER_RPM: c = evr_cmp(a, b, rpm_part, true); break;
	case PST_VER_SEMVER: c = semver_cmp(a, b); break;
	default: c = generic_cmp(a, b); break;
	}
	return c < 0 ? -1 : c > 0;
}
