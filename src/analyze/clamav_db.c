/*
 * clamav_db.c - reads a ClamAV database directory (--clamav-db) and splits
 * it between postern and libclamav, so that libclamav's matchers, which are
 * about ten times slower per byte than libyara here (bench/README.md), run
 * only for what postern cannot answer exactly.
 *
 * Formats (ClamAV's "Creating signatures for ClamAV", the signatures pages):
 *   .hdb  MD5:Size:Name[:MinFL]           whole-file MD5
 *   .hsb  Hash:Size:Name[:MinFL]          MD5, SHA-1 or SHA-256 by length
 *   .ndb  Name:Target:Offset:HexSig[:MinFL[:MaxFL]]
 *   .ldb  Name;TargetDescription;Logic;Subsig0;Subsig1...
 * Hash signatures with a numeric size become table entries. Body and
 * logical signatures become YARA rules when every part has an exact YARA
 * form: bytes, ?? and nibble wildcards, *, {n}, {-n}, {n-}, {n-m},
 * (aa|bbcc) alternatives of whole bytes; target 0 (any) or 6 (ELF: ClamAV
 * recognises it by its magic, even with its ELF parser off); offsets *, n,
 * n,m, EOF-n, EOF-n,m; logic of & | and parentheses over plain subsignatures
 * with Engine, Target and FileSize only. Everything else (PE targets and
 * entry-point offsets, negated alternatives, anchors, modifiers, counts,
 * PCRE, ...) is left to libclamav as it was. Signed containers (.cvd/.cld,
 * and sigtool's unsigned .cud: a 512-byte header, then a tar, gzipped or
 * not) are opened: their hash parts are answered from postern's digests
 * like loose ones, the rest goes to libclamav as loose files (loaded as
 * official when the container was verified). A loose ignore or
 * false-positive list (.ign, .ign2, .fp, .sfp) changes what libclamav
 * reports for any signature, so with one the whole directory goes to
 * libclamav.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include "clamav_db.h"

/* Strings of one grouped YARA rule (libyara's limit is 10,000). */
#define GROUP_STRINGS 5000u
/* A translated signature needs a run of this many fixed bytes: libyara
 * picks its atoms from fixed bytes, and a pattern without a good one is
 * checked at nearly every byte of every file. */
#define MIN_FIXED_RUN 3
/* Bounds of a jump or an offset that is translated (libclamav's own are
 * larger; past these it keeps the signature). */
#define MAX_JUMP 1000000ul
/* Bytes of one signature file read. */
#define MAX_DB_FILE (512ul << 20)
/* A container's header. */
#define CONTAINER_HEADER 512u
/* Parts of one container read (main.cvd has about a dozen). */
#define MAX_PARTS 64u
/* Bytes of translated YARA source. */
#define MAX_YARA_SRC (1024ul << 20)

enum { LEFT_HDB, LEFT_HSB, LEFT_NDB, LEFT_LDB };
static const char *const left_ext[4] = { "hdb", "hsb", "ndb", "ldb" };

/* Grouped rules collect translated body signatures without an offset: one
 * AC pass, and one condition per group instead of one per signature. */
struct groups {
	struct pst_str any, elf;
	unsigned nany, nelf, nrules;
};

static const char *ext_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? dot + 1 : "";
}

/* Room for one more element of size elem in *v (n used of *cap). */
static bool grow(void **v, size_t n, size_t *cap, size_t elem)
{
	size_t ncap;
	void *nv;
	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	nv = pst_realloc(*v, ncap * elem);
	if (!nv)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

static bool add_name_as(struct pst_clamdb_names *nl, const char *name, bool official,
			uint32_t *idx)
{
	char *s;
	size_t len = strlen(name);
	if (!grow((void **)&nl->v, nl->n, &nl->cap, sizeof(*nl->v)))
		return false;
	/* libclamav marks every detection from a database that is not a signed
	 * official one */
	const char *suffix = official ? "" : ".UNOFFICIAL";
	size_t sl = strlen(suffix);
	s = pst_malloc(len + sl + 1);
	if (!s)
		return false;
	memcpy(s, name, len);
	memcpy(s + len, suffix, sl + 1);
	*idx = (uint32_t)nl->n;
	nl->v[nl->n++] = s;
	return true;
}

static bool add_name(struct pst_clamdb_names *nl, const char *name, uint32_t *idx)
{
	return add_name_as(nl, name, false, idx);
}

static bool parse_uint(const char *s, size_t n, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;
	if (n == 0 || n > 10)
		return false;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return true;
}

static bool parse_digest(const char *s, size_t n, uint8_t d[32], uint8_t *dlen)
{
	size_t i;
	if (n != 32 && n != 40 && n != 64)
		return false;
	for (i = 0; i < n; i += 2) {
		char b[3] = { s[i], s[i + 1], 0 };
		if (!isxdigit((unsigned char)b[0]) || !isxdigit((unsigned char)b[1]))
			return false;
		d[i / 2] = (uint8_t)strtoul(b, NULL, 16);
	}
	*dlen = (uint8_t)(n / 2);
	return true;
}

/* Splits line at sep into at most max fields (pointers into line). */
static size_t split(char *line, char sep, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (n < max) {
		char *e = strchr(p, sep);
		f[n++] = p;
		if (!e)
			break;
		*e = 0;
		p = e + 1;
	}
	return n;
}

static bool flevel_ok(const char *minfl, const char *maxfl, unsigned flevel)
{
	unsigned long lo = 0, hi = ULONG_MAX;
	if (minfl && *minfl && !parse_uint(minfl, strlen(minfl), &lo))
		return false;
	if (maxfl && *maxfl && !parse_uint(maxfl, strlen(maxfl), &hi))
		return false;
	return flevel >= lo && flevel <= hi;
}

/* ---- hash signatures ---- */
static bool hash_line(struct pst_clamdb *db, char *line, bool md5_only, unsigned flevel,
		      bool official)
{
	char *f[5];
	size_t n = split(line, ':', f, 5);
	struct pst_clamdb_hash h;
	unsigned long size;
	memset(&h, 0, sizeof(h));
	if (n < 3 || n > 4 || !parse_digest(f[0], strlen(f[0]), h.d, &h.dlen) ||
	    !parse_uint(f[1], strlen(f[1]), &size) || !*f[2] ||
	    !flevel_ok(n > 3 ? f[3] : NULL, NULL, flevel) || (md5_only && h.dlen != 16))
		return false;
	if (!grow((void **)&db->hashes, db->nhashes, &db->caphashes, sizeof(*db->hashes)))
		return false;
	h.size = size;
	if (!add_name_as(&db->hnames, f[2], official, &h.sig))
		return false;
	db->hashes[db->nhashes++] = h;
	return true;
}

static int hash_cmp(const void *pa, const void *pb)
{
	const struct pst_clamdb_hash *a = pa, *b = pb;
	int c;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if (a->dlen != b->dlen)
		return a->dlen < b->dlen ? -1 : 1;
	c = memcmp(a->d, b->d, a->dlen);
	if (c)
		return c;
	return a->sig < b->sig ? -1 : a->sig > b->sig;
}

/* First entry not below (size, dlen, d); d NULL compares below every digest. */
static size_t lower(const struct pst_clamdb *db, uint64_t size, unsigned dlen, const uint8_t *d)
{
	size_t lo = 0, hi = db->nhashes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pst_clamdb_hash *h = &db->hashes[mid];
		int c = h->size != size ? (h->size < size ? -1 : 1) :
			h->dlen != dlen ? (h->dlen < dlen ? -1 : 1) :
			d ? memcmp(h->d, d, dlen) : 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool pst_clamdb_hash_wants(const struct pst_clamdb *db, uint64_t size, unsigned dlen)
{
	size_t i = lower(db, size, dlen, NULL);
	return i < db->nhashes && db->hashes[i].size == size && db->hashes[i].dlen == dlen;
}

long pst_clamdb_hash_find(const struct pst_clamdb *db, uint64_t size, unsigned dlen,
			  const uint8_t *d)
{
	size_t i = lower(db, size, dlen, d);
	if (i < db->nhashes && db->hashes[i].size == size && db->hashes[i].dlen == dlen &&
	    memcmp(db->hashes[i].d, d, dlen) == 0)
		return (long)db->hashes[i].sig;
	return -1;
}

/* ---- hex signatures ---- */
static bool hexc(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* (aa|bbcc): alternatives of whole bytes, none empty. */
static bool put_alt(const char **pp, struct pst_str *o)
{
	const char *p = *pp;
	size_t nb = 0;
	pst_str_puts(o, "( ");
	for (;;) {
		if (hexc(p[0]) && hexc(p[1])) {
			pst_str_add(o, p, 2);
			pst_str_putc(o, ' ');
			p += 2;
			nb++;
		} else if ((*p == '|' || *p == ')') && nb) {
			nb = 0;
			if (*p++ == ')')
				break;
			pst_str_puts(o, "| ");
		} else {
			return false;
		}
	}
	pst_str_puts(o, ") ");
	*pp = p;
	return true;
}

/* {n} {-n} {n-} {n-m} after the '{'. */
static bool put_jump(const char **pp, struct pst_str *o)
{
	const char *p = *pp, *end = strchr(p, '}'), *dash;
	unsigned long lo = 0, hi = 0;
	bool open = false;
	if (!end)
		return false;
	dash = memchr(p, '-', (size_t)(end - p));
	if (!dash) {
		if (!parse_uint(p, (size_t)(end - p), &lo))
			return false;
		hi = lo;
	} else {
		if (dash > p && !parse_uint(p, (size_t)(dash - p), &lo))
			return false;
		if (dash + 1 == end)
			open = true;
		else if (!parse_uint(dash + 1, (size_t)(end - dash - 1), &hi))
			return false;
		if (dash == p && open)
			return false;
	}
	if (lo > MAX_JUMP || (!open && (hi > MAX_JUMP || hi < lo)))
		return false;
	if (open)
		pst_str_printf(o, "[%lu-] ", lo);
	else
		pst_str_printf(o, "[%lu-%lu] ", lo, hi);
	*pp = end + 1;
	return true;
}

bool pst_clamdb_hex_to_yara(const char *sig, struct pst_str *out)
{
	const char *p = sig;
	size_t run = 0, best = 0;
	bool jump = true; /* no jump first, none twice in a row */

	while (*p) {
		bool was_jump = false;
		if (hexc(p[0]) && hexc(p[1])) {
			pst_str_add(out, p, 2);
			run++;
			p += 2;
		} else if ((p[0] == '?' && (p[1] == '?' || hexc(p[1]))) ||
			   (hexc(p[0]) && p[1] == '?')) {
			pst_str_add(out, p, 2);
			run = 0;
			p += 2;
		} else if (*p == '*' || *p == '{') {
			if (jump)
				return false;
			if (*p++ == '*')
				pst_str_puts(out, "[-] ");
			else if (!put_jump(&p, out))
				return false;
			run = 0;
			was_jump = true;
		} else if (*p == '(') {
			p++;
			if (!put_alt(&p, out))
				return false;
			run = 0;
		} else {
			return false;
		}
		if (!was_jump && out->len && out->p[out->len - 1] != ' ')
			pst_str_putc(out, ' ');
		jump = was_jump;
		if (run > best)
			best = run;
	}
	return !jump && best >= MIN_FIXED_RUN && !out->err;
}

/* The condition an offset puts on string var: "" for any offset. */
static bool offset_cond(const char *off, const char *var, struct pst_str *c)
{
	const char *comma = strchr(off, ',');
	size_t n = comma ? (size_t)(comma - off) : strlen(off);
	unsigned long at = 0, shift = 0;
	bool eof = strncmp(off, "EOF-", 4) == 0;
	const char *base = eof ? "filesize-" : "";

	if (strcmp(off, "*") == 0)
		return true;
	if (eof) {
		off += 4;
		n -= 4;
	}
	if (!parse_uint(off, n, &at) || at > MAX_JUMP)
		return false;
	if (comma && (!parse_uint(comma + 1, strlen(comma + 1), &shift) || shift > MAX_JUMP))
		return false;
	if (comma)
		pst_str_printf(c, "%s in (%s%lu..%s%lu+%lu)", var, base, at, base, at, shift);
	else
		pst_str_printf(c, "%s at %s%lu", var, base, at);
	return true;
}

/* The condition a target type puts on the file: "" for any file. */
static bool target_cond(const char *t, const char **cond)
{
	if (strcmp(t, "0") == 0)
		*cond = "";
	else if (strcmp(t, "6") == 0)
		*cond = "uint32(0) == 0x464c457f";
	else
		return false;
	return true;
}

static void group_add(struct pst_clamdb *db, struct groups *g, bool elf, uint32_t sig,
		      const struct pst_str *hex)
{
	struct pst_str *s = elf ? &g->elf : &g->any;
	unsigned *n = elf ? &g->nelf : &g->nany;
	if (*n == GROUP_STRINGS) {
		pst_str_printf(&db->yara, "rule g%u {\n strings:\n%s condition:\n %s\n}\n",
			       g->nrules++, s->p, elf ? "uint32(0) == 0x464c457f and any of them" :
			       "any of them");
		s->len = 0;
		s->p[0] = 0;
		*n = 0;
	}
	pst_str_printf(s, "  $s%u = { %s}\n", sig, hex->p);
	(*n)++;
}

static void groups_flush(struct pst_clamdb *db, struct groups *g)
{
	if (g->nany)
		pst_str_printf(&db->yara, "rule g%u {\n strings:\n%s condition:\n any of them\n}\n",
			       g->nrules++, g->any.p);
	if (g->nelf)
		pst_str_printf(&db->yara,
			       "rule g%u {\n strings:\n%s condition:\n"
			       " uint32(0) == 0x464c457f and any of them\n}\n",
			       g->nrules++, g->elf.p);
	g->nany = g->nelf = 0;
}

/* Name:Target:Offset:HexSig[:MinFL[:MaxFL]] */
static bool ndb_line(struct pst_clamdb *db, struct groups *g, char *line, unsigned flevel)
{
	char *f[7];
	size_t n = split(line, ':', f, 7);
	struct pst_str hex, cond;
	const char *tcond;
	uint32_t sig;
	bool ok = false;

	if (n < 4 || n > 6 || !*f[0] || !target_cond(f[1], &tcond) ||
	    !flevel_ok(n > 4 ? f[4] : NULL, n > 5 ? f[5] : NULL, flevel))
		return false;
	pst_str_init(&hex, 1 << 20);
	pst_str_init(&cond, 4096);
	if (!pst_clamdb_hex_to_yara(f[3], &hex) || !offset_cond(f[2], "$s", &cond) || cond.err)
		goto out;
	if (!add_name(&db->ynames, f[0], &sig))
		goto out;
	if (!cond.len) {
		/* a plain one needs no compile (clamav_body.c); the rest is YARA */
		if (!pst_cbodies_add(&db->bodies, f[3], *tcond != 0, sig))
			group_add(db, g, *tcond != 0, sig, &hex);
	} else {
		pst_str_printf(&db->yara,
			       "rule r%u {\n strings:\n  $s = { %s}\n condition:\n %s%s%s\n}\n",
			       sig, hex.p, tcond, *tcond ? " and " : "", cond.p);
	}
	ok = true;
out:
	pst_str_free(&hex);
	pst_str_free(&cond);
	return ok;
}

/* Engine:a-b, Target:n, FileSize:a-b; anything else is left to libclamav. */
static bool tdb_cond(char *tdb, unsigned flevel, struct pst_str *c)
{
	char *f[16];
	size_t n = split(tdb, ',', f, 16), i;
	for (i = 0; i < n; i++) {
		char *colon = strchr(f[i], ':'), *dash;
		unsigned long lo, hi;
		const char *tcond;
		if (!colon)
			return false;
		*colon++ = 0;
		if (strcmp(f[i], "Target") == 0) {
			if (!target_cond(colon, &tcond))
				return false;
			if (*tcond)
				pst_str_printf(c, "%s and ", tcond);
			continue;
		}
		dash = strchr(colon, '-');
		if (!dash || !parse_uint(colon, (size_t)(dash - colon), &lo) ||
		    !parse_uint(dash + 1, strlen(dash + 1), &hi))
			return false;
		if (strcmp(f[i], "Engine") == 0) {
			if (flevel < lo || flevel > hi)
				return false;
		} else if (strcmp(f[i], "FileSize") == 0) {
			pst_str_printf(c, "filesize >= %lu and filesize <= %lu and ", lo, hi);
		} else {
			return false;
		}
	}
	return true;
}

/* Logic of subsignature numbers, & | and parentheses; & and | mixed at one
 * level are left to libclamav rather than guessing its precedence. */
static bool logic_cond(const char *logic, const struct pst_str *subs, size_t nsubs,
		       struct pst_str *c)
{
	char op[64] = { 0 };
	unsigned depth = 0;
	bool used[64] = { false };
	const char *p = logic;
	size_t i;

	while (*p) {
		if (isdigit((unsigned char)*p)) {
			unsigned long k = 0;
			const char *s = p;
			while (isdigit((unsigned char)*p))
				p++;
			if (!parse_uint(s, (size_t)(p - s), &k) || k >= nsubs)
				return false;
			used[k] = true;
			pst_str_printf(c, "(%s)", subs[k].p);
			continue;
		}
		if (*p == '(') {
			if (++depth >= sizeof(op))
				return false;
			op[depth] = 0;
			pst_str_putc(c, '(');
		} else if (*p == ')') {
			if (depth == 0)
				return false;
			depth--;
			pst_str_putc(c, ')');
		} else if (*p == '&' || *p == '|') {
			if (op[depth] && op[depth] != *p)
				return false;
			op[depth] = *p;
			pst_str_puts(c, *p == '&' ? " and " : " or ");
		} else {
			return false;
		}
		p++;
	}
	for (i = 0; i < nsubs; i++)
		if (!used[i])
			return false;
	return depth == 0;
}

/* Name;TDB;Logic;Sub0;Sub1... with plain subsignatures ([Offset:]HexSig). */
static bool ldb_line(struct pst_clamdb *db, char *line, unsigned flevel)
{
	char *f[67];
	size_t n = split(line, ';', f, 67), i, nsubs;
	struct pst_str subs[64], strs, cond;
	uint32_t sig;
	bool ok = false;

	if (n < 4 || n > 66 || !*f[0])
		return false;
	nsubs = n - 3;
	for (i = 0; i < nsubs; i++)
		pst_str_init(&subs[i], 4096);
	pst_str_init(&strs, 1 << 20);
	pst_str_init(&cond, 1 << 20);
	if (!tdb_cond(f[1], flevel, &cond))
		goto out;
	for (i = 0; i < nsubs; i++) {
		char *s = f[3 + i], *colon = strchr(s, ':'), var[16];
		const char *off = "*";
		if (strstr(s, "::"))
			goto out;
		if (colon) {
			*colon = 0;
			off = s;
			s = colon + 1;
		}
		snprintf(var, sizeof(var), "$s%zu", i);
		pst_str_printf(&strs, "  %s = { ", var);
		if (!pst_clamdb_hex_to_yara(s, &strs) || !offset_cond(off, var, &subs[i]))
			goto out;
		if (!subs[i].len)
			pst_str_puts(&subs[i], var);
		pst_str_puts(&strs, "}\n");
		if (subs[i].err)
			goto out;
	}
	if (!logic_cond(f[2], subs, nsubs, &cond) || strs.err || cond.err ||
	    !add_name(&db->ynames, f[0], &sig))
		goto out;
	pst_str_printf(&db->yara, "rule r%u {\n strings:\n%s condition:\n %s\n}\n", sig, strs.p,
		       cond.p);
	ok = true;
out:
	for (i = 0; i < nsubs; i++)
		pst_str_free(&subs[i]);
	pst_str_free(&strs);
	pst_str_free(&cond);
	return ok;
}

static bool read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	bool ok = false;
	if (!f) {
		pst_oom_errno();
		return false;
	}
	for (;;) {
		size_t got;
		if (n + 65536 + 1 > cap) {
			char *nb;
			cap = cap ? cap * 2 : 131072;
			if (cap > MAX_DB_FILE + 65536 + 1 || !(nb = pst_realloc(buf, cap)))
				goto out;
			buf = nb;
		}
		got = fread(buf + n, 1, 65536, f);
		n += got;
		if (got < 65536)
			break;
	}
	ok = !ferror(f);
out:
	fclose(f);
	if (!ok) {
		free(buf);
		return false;
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return true;
}

/* One text signature file: each line translated, or kept for libclamav. */
static bool read_text(struct pst_clamdb *db, struct groups *g, const char *path, int kind,
		      unsigned flevel)
{
	char *buf, *line, *save = NULL;
	size_t len;
	if (!read_all(path, &buf, &len))
		return false;
	for (line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *copy = pst_strdup(line);
		bool mine;
		if (!copy) {
			free(buf);
			return false;
		}
		if (kind == LEFT_HDB || kind == LEFT_HSB)
			mine = hash_line(db, copy, kind == LEFT_HDB, flevel, false);
		else if (kind == LEFT_NDB)
			mine = ndb_line(db, g, copy, flevel);
		else
			mine = ldb_line(db, copy, flevel);
		free(copy);
		if (mine && kind >= LEFT_NDB)
			db->nyara++;
		if (!mine) {
			pst_str_puts(&db->left[kind], line);
			pst_str_putc(&db->left[kind], '\n');
			db->nleft++;
		}
	}
	free(buf);
	return !db->yara.err && !db->left[kind].err;
}

static bool add_other(struct pst_clamdb *db, const char *path)
{
	if (!grow((void **)&db->others, db->nothers, &db->capothers, sizeof(*db->others)))
		return false;
	db->others[db->nothers] = pst_strdup(path);
	return db->others[db->nothers++] != NULL;
}

/* An ignore or false-positive list: changes what any signature reports. */
static bool is_list_ext(const char *e)
{
	return strcasecmp(e, "ign") == 0 || strcasecmp(e, "ign2") == 0 ||
	       strcasecmp(e, "fp") == 0 || strcasecmp(e, "sfp") == 0;
}

static int kind_of(const char *name)
{
	const char *e = ext_of(name);
	int i;
	for (i = 0; i < 4; i++)
		if (strcasecmp(e, left_ext[i]) == 0)
			return i;
	if (is_list_ext(e))
		return -2;
	if (strcasecmp(e, "cvd") == 0 || strcasecmp(e, "cld") == 0 || strcasecmp(e, "cud") == 0)
		return -3;
	return -1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's file names, sorted: the same database gives the same
 * signature numbers, and so the same cached rules. */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	if (!d) {
		pst_oom_errno();
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (!grow((void **)&v, *n, &cap, sizeof(*v)) || !(v[*n] = pst_strdup(e->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (v)
		qsort(v, *n, sizeof(*v), name_cmp);
	else
		v = pst_calloc(1, sizeof(*v));
	return v;
}

static void free_list(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- signed containers (.cvd, .cld, .cud) ---- */

struct cpart {
	char name[256];
	char *data;
	size_t len;
};

static void cparts_free(struct cpart *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].data);
}

/* The regular files of the tar after the header (gzipped or not), at most
 * MAX_PARTS of at most MAX_DB_FILE bytes each; false when it is no such
 * container. */
static bool container_parts(const char *buf, size_t len, struct cpart *v, size_t *n)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	bool ok = a && archive_read_support_filter_gzip(a) == ARCHIVE_OK &&
		  archive_read_support_format_tar(a) == ARCHIVE_OK &&
		  archive_read_open_memory(a, buf + CONTAINER_HEADER, len - CONTAINER_HEADER) ==
			  ARCHIVE_OK;
	int r = ARCHIVE_OK;
	*n = 0;
	while (ok && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		la_int64_t size = archive_entry_size(e);
		const char *name = archive_entry_pathname(e);
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (*n == MAX_PARTS || !name || strchr(name, '/') || size < 0 ||
		    (uint64_t)size > MAX_DB_FILE || strlen(name) >= sizeof(v[0].name)) {
			ok = false;
			break;
		}
		snprintf(v[*n].name, sizeof(v[0].name), "%s", name);
		v[*n].len = (size_t)size;
		v[*n].data = pst_malloc(v[*n].len + 1);
		ok = v[*n].data && archive_read_data(a, v[*n].data, v[*n].len) == (la_ssize_t)size;
		if (v[*n].data)
			v[*n].data[v[*n].len] = 0;
		(*n)++;
	}
	ok = ok && r == ARCHIVE_EOF;
	archive_read_free(a);
	return ok;
}

static bool add_part(struct pst_clamdb *db, const char *name, bool official, struct pst_str *t)
{
	struct pst_clamdb_part *p;
	if (!grow((void **)&db->parts, db->nparts, &db->capparts, sizeof(*db->parts)))
		return false;
	p = &db->parts[db->nparts];
	p->name = pst_strdup(name);
	if (!p->name)
		return false;
	p->text = *t;
	p->official = official;
	db->nparts++;
	pst_str_init(t, MAX_DB_FILE);
	return true;
}

/* A hash part: every line postern can answer goes into the table, the rest
 * stays in the part for libclamav. */
static bool split_hash_part(struct pst_clamdb *db, struct cpart *cp, bool md5_only,
			    unsigned flevel, bool official, struct pst_str *rest)
{
	char *line, *save = NULL;
	for (line = strtok_r(cp->data, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *copy = pst_strdup(line);
		bool mine;
		if (!copy)
			return false;
		mine = hash_line(db, copy, md5_only, flevel, official);
		free(copy);
		if (!mine) {
			pst_str_puts(rest, line);
			pst_str_putc(rest, '\n');
		}
	}
	return !rest->err;
}

/* The parts of one container after its header was checked: the hash parts
 * split, the others kept whole. The .info part, which lists the parts as
 * they were signed, is not given to libclamav with loose parts. */
static bool split_container(struct pst_clamdb *db, struct cpart *v, size_t n, unsigned flevel,
			    bool official)
{
	struct pst_str t;
	bool ok = true;
	pst_str_init(&t, MAX_DB_FILE);
	for (size_t i = 0; ok && i < n; i++) {
		const char *e = ext_of(v[i].name);
		t.len = 0;
		if (strcasecmp(e, "info") == 0)
			continue;
		if (strcasecmp(e, "hdb") == 0 || strcasecmp(e, "hsb") == 0)
			ok = split_hash_part(db, &v[i], strcasecmp(e, "hdb") == 0, flevel, official,
					     &t);
		else
			pst_str_add(&t, v[i].data, v[i].len);
		if (ok && t.len && !t.err)
			ok = add_part(db, v[i].name, official, &t);
		ok = ok && !t.err;
	}
	pst_str_free(&t);
	return ok;
}

/* Whether the container's .info part carries a signature line: one without
 * cannot be verified (and asking libclamav to costs a load for nothing). */
static bool has_dsig(const struct cpart *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(ext_of(v[i].name), "info") == 0 &&
		    (strncmp(v[i].data, "DSIG:", 5) == 0 || strstr(v[i].data, "\nDSIG:")))
			return true;
	return false;
}

/* A container: split when it is sound and holds no list; else whole to
 * libclamav. false on an unreadable file or no memory. */
static bool read_container(struct pst_clamdb *db, const char *path, unsigned flevel,
			   pst_clamdb_verify verify)
{
	struct cpart *v = pst_calloc(MAX_PARTS, sizeof(*v));
	bool official = strcasecmp(ext_of(path), "cud") != 0, split = false, ok = true;
	size_t len = 0, n = 0;
	char *buf = NULL;
	if (!v || !read_all(path, &buf, &len)) {
		free(v);
		return false;
	}
	if (verify && len > CONTAINER_HEADER && strncmp(buf, "ClamAV-VDB:", 11) == 0 &&
	    container_parts(buf, len, v, &n)) {
		split = true;
		for (size_t i = 0; i < n; i++)
			split = split && !is_list_ext(ext_of(v[i].name));
		split = split && (!official || (has_dsig(v, n) && verify(path, buf, len)));
	}
	if (split) {
		ok = split_container(db, v, n, flevel, official);
		db->ncontainers++;
	} else {
		ok = add_other(db, path);
	}
	cparts_free(v, n);
	free(v);
	free(buf);
	return ok;
}

enum pst_err pst_clamdb_read(const char *dir, unsigned flevel, struct pst_clamdb *db)
{
	return pst_clamdb_read_ex(dir, flevel, NULL, db);
}

enum pst_err pst_clamdb_read_ex(const char *dir, unsigned flevel, pst_clamdb_verify verify,
				struct pst_clamdb *db)
{
	struct groups g;
	size_t n, i;
	char **names;
	enum pst_err e = PST_OK;
	int k;

	memset(db, 0, sizeof(*db));
	memset(&g, 0, sizeof(g));
	pst_str_init(&db->yara, MAX_YARA_SRC);
	for (k = 0; k < 4; k++)
		pst_str_init(&db->left[k], MAX_DB_FILE);
	pst_str_init(&g.any, 64u << 20);
	pst_str_init(&g.elf, 64u << 20);
	names = list_dir(dir, &n);
	if (!names)
		return PST_ENOMEM;
	for (i = 0; i < n && e == PST_OK; i++)
		if (kind_of(names[i]) == -2)
			db->whole = true;
	for (i = 0; i < n && e == PST_OK && !db->whole; i++) {
		char path[PATH_MAX];
		struct stat sb;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path) ||
		    stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		k = kind_of(names[i]);
		if (k == -3 ? !read_container(db, path, flevel, verify) :
		    k < 0   ? !add_other(db, path) :
			      !read_text(db, &g, path, k, flevel)) {
			snprintf(db->unreadable, sizeof(db->unreadable), "%s", names[i]);
			e = errno == ENOMEM ? PST_ENOMEM : PST_EUSAGE;
		}
	}
	groups_flush(db, &g);
	if (db->bodies.n && !pst_cbodies_seal(&db->bodies))
		e = PST_ENOMEM;
	if (db->nhashes)
		qsort(db->hashes, db->nhashes, sizeof(*db->hashes), hash_cmp);
	if (e == PST_OK && (db->yara.err || g.any.err || g.elf.err))
		e = PST_ENOMEM;
	pst_str_free(&g.any);
	pst_str_free(&g.elf);
	free_list(names, n);
	return e;
}

void pst_clamdb_free(struct pst_clamdb *db)
{
	int k;
	if (!db)
		return;
	free_list(db->hnames.v, db->hnames.n);
	free_list(db->ynames.v, db->ynames.n);
	free(db->hashes);
	pst_str_free(&db->yara);
	pst_cbodies_free(&db->bodies);
	for (k = 0; k < 4; k++)
		pst_str_free(&db->left[k]);
	free_list(db->others, db->nothers);
	for (size_t i = 0; i < db->nparts; i++) {
		free(db->parts[i].name);
		pst_str_free(&db->parts[i].text);
	}
	free(db->parts);
	memset(db, 0, sizeof(*db));
}

bool pst_clamdb_write_left(const struct pst_clamdb *db, const char *dir)
{
	char path[PATH_MAX];
	size_t i;
	int k;
	for (k = 0; k < 4; k++) {
		FILE *f;
		bool ok;
		if (!db->left[k].len)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/left.%s", dir, left_ext[k]) >=
			    sizeof(path) ||
		    !(f = fopen(path, "wx")))
			return false;
		ok = fwrite(db->left[k].p, 1, db->left[k].len, f) == db->left[k].len;
		if (fclose(f) != 0 || !ok)
			return false;
	}
	for (i = 0; i < db->nothers; i++) {
		const char *base = strrchr(db->others[i], '/');
		base = base ? base + 1 : db->others[i];
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, base) >= sizeof(path) ||
		    symlink(db->others[i], path) != 0)
			return false;
	}
	return true;
}

bool pst_clamdb_write_parts(const struct pst_clamdb *db, const char *dir, bool official)
{
	char path[PATH_MAX];
	for (size_t i = 0; i < db->nparts; i++) {
		const struct pst_clamdb_part *p = &db->parts[i];
		FILE *f;
		bool ok;
		if (p->official != official)
			continue;
		/* two containers may hold parts of one name (main.cvd, main.cld) */
		if ((size_t)snprintf(path, sizeof(path), "%s/c%zu-%s", dir, i, p->name) >=
			    sizeof(path) ||
		    !(f = fopen(path, "wx")))
			return false;
		ok = fwrite(p->text.p, 1, p->text.len, f) == p->text.len;
		if (fclose(f) != 0 || !ok)
			return false;
	}
	return true;
}
