/*
 * vercmp.c - version orderings (vercmp.h). Each follows its ecosystem's
 * published rules: dpkg's deb-version(7), rpm's rpmvercmp, semver.org 2.0,
 * Python's PEP 440.
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

/* ---- PEP 440 (Python packages) ---- */

/* [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with PEP 440's accepted
 * spellings (alpha, beta, c, pre, preview; rev, r and "-N" for post; "v"
 * before; - _ . as separators; a missing number is 0). Numbers are kept as
 * digit runs without leading zeros, compared by length. */
#define PEP_MAX_REL 16

struct pep_num {
	const char *p;
	size_t n;
};

struct pep440 {
	struct pep_num epoch, rel[PEP_MAX_REL], pre, post, dev;
	size_t nrel;
	int pre_kind; /* 0 none, 1 a, 2 b, 3 rc */
	bool has_post, has_dev;
	const char *local; /* after '+', or NULL */
};

static struct pep_num pep_digits(const char **s)
{
	struct pep_num x;
	while (**s == '0' && isdigit((unsigned char)(*s)[1]))
		(*s)++;
	if (**s == '0')
		(*s)++;
	x.p = *s;
	while (isdigit((unsigned char)**s))
		(*s)++;
	x.n = (size_t)(*s - x.p);
	return x;
}

static int pep_num_cmp(struct pep_num a, struct pep_num b)
{
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return a.n ? memcmp(a.p, b.p, a.n) : 0;
}

static bool pep_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

/* One of words (longest first) after an optional separator, then an optional
 * separator and number; the index of the word, or -1 (s unmoved). */
static int pep_word(const char **s, const char *const *words, size_t nw, struct pep_num *num)
{
	const char *t = *s + pep_sep(**s);
	for (size_t i = 0; i < nw; i++) {
		size_t l = strlen(words[i]);
		if (strncasecmp(t, words[i], l) != 0 || isalpha((unsigned char)t[l]))
			continue;
		t += l;
		if (pep_sep(*t) && isdigit((unsigned char)t[1]))
			t++;
		*num = pep_digits(&t);
		*s = t;
		return (int)i;
	}
	return -1;
}

static void pep_suffixes(const char **s, struct pep440 *v)
{
	static const char *const pre[] = { "preview", "alpha", "beta", "pre", "rc", "a", "b", "c" };
	static const int pre_kind[] = { 3, 1, 2, 3, 3, 1, 2, 3 };
	static const char *const post[] = { "post", "rev", "r" };
	static const char *const dev[] = { "dev" };
	int w = pep_word(s, pre, sizeof(pre) / sizeof(pre[0]), &v->pre);
	if (w >= 0)
		v->pre_kind = pre_kind[w];
	if (**s == '-' && isdigit((unsigned char)(*s)[1])) {
		(*s)++;
		v->post = pep_digits(s);
		v->has_post = true;
	} else if (pep_word(s, post, 3, &v->post) >= 0) {
		v->has_post = true;
	}
	v->has_dev = pep_word(s, dev, 1, &v->dev) >= 0;
}

/* Whether s is a PEP 440 version; v filled. */
static bool pep_parse(const char *s, struct pep440 *v)
{
	const char *t;
	memset(v, 0, sizeof(*v));
	if (*s == 'v' || *s == 'V')
		s++;
	for (t = s; isdigit((unsigned char)*t); t++)
		;
	if (*t == '!' && t > s) {
		v->epoch = pep_digits(&s);
		s++;
	}
	if (!isdigit((unsigned char)*s))
		return false;
	do {
		if (v->nrel == PEP_MAX_REL)
			return false;
		s += *s == '.';
		v->rel[v->nrel++] = pep_digits(&s);
	} while (*s == '.' && isdigit((unsigned char)s[1]));
	pep_suffixes(&s, v);
	if (*s == '+' && isalnum((unsigned char)s[1])) {
		v->local = ++s;
		while (isalnum((unsigned char)*s) || (pep_sep(*s) && isalnum((unsigned char)s[1])))
			s++;
	}
	return *s == 0;
}

/* One local segment: [s, *e) alphanumeric; whether all digits. */
static bool pep_segment(const char *s, const char **e)
{
	bool digits = true;
	for (*e = s; isalnum((unsigned char)**e); (*e)++)
		digits = digits && isdigit((unsigned char)**e);
	return digits;
}

/* The local label: segments split at - _ .; all-digit segments sort after
 * the others and compare as numbers, the others case-insensitively as
 * text; a label that is a prefix of the other sorts first. */
static int pep_local_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		const char *ea, *eb;
		bool na = pep_segment(a, &ea), nb = pep_segment(b, &eb);
		size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
		int c;
		if (na != nb)
			return na ? 1 : -1;
		if (na) {
			c = num_cmp(&a, &b);
		} else {
			c = strncasecmp(a, b, la < lb ? la : lb);
			if (!c && la != lb)
				c = la < lb ? -1 : 1;
		}
		if (c)
			return c;
		a = ea + pep_sep(*ea);
		b = eb + pep_sep(*eb);
	}
	return (*a != 0) - (*b != 0);
}

/* Where the pre-release part sorts: a bare .devN before every pre-release,
 * no pre-release after all of them. */
static int pep_pre_rank(const struct pep440 *v)
{
	if (v->pre_kind)
		return v->pre_kind;
	return v->has_dev && !v->has_post ? 0 : 4;
}

static int pep_tail_cmp(const struct pep440 *a, const struct pep440 *b)
{
	int c = pep_pre_rank(a) - pep_pre_rank(b);
	if (!c && a->pre_kind)
		c = pep_num_cmp(a->pre, b->pre);
	if (!c)
		c = (int)a->has_post - (int)b->has_post;
	if (!c && a->has_post)
		c = pep_num_cmp(a->post, b->post);
	if (!c)
		c = (int)b->has_dev - (int)a->has_dev; /* a dev release before the release */
	if (!c && a->has_dev)
		c = pep_num_cmp(a->dev, b->dev);
	if (!c && (a->local || b->local))
		c = !a->local ? -1 : !b->local ? 1 : pep_local_cmp(a->local, b->local);
	return c;
}

static int pep440_cmp(const char *sa, const char *sb)
{
	struct pep440 a, b;
	static const struct pep_num zero = { "", 0 };
	int c;
	if (!pep_parse(sa, &a) || !pep_parse(sb, &b))
		return generic_cmp(sa, sb); /* not PEP 440: the generic ordering */
	c = pep_num_cmp(a.epoch, b.epoch);
	for (size_t i = 0; !c && (i < a.nrel || i < b.nrel); i++) /* 1.0 == 1.0.0 */
		c = pep_num_cmp(i < a.nrel ? a.rel[i] : zero, i < b.nrel ? b.rel[i] : zero);
	return c ? c : pep_tail_cmp(&a, &b);
}

int pst_ver_cmp(enum pst_ver_scheme s, const char *a, const char *b)
{
	int c;
	switch (s) {
	case PST_VER_DPKG: c = evr_cmp(a, b, dpkg_part, false); break;
	case PST_VER_RPM: c = evr_cmp(a, b, rpm_part, true); break;
	case PST_VER_SEMVER: c = semver_cmp(a, b); break;
	case PST_VER_PEP440: c = pep440_cmp(a, b); break;
	default: c = generic_cmp(a, b); break;
	}
	return c < 0 ? -1 : c > 0;
}
