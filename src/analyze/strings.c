/*
 * strings.c - printable strings of a binary (ASCII and UTF-16LE) in one pass,
 * and the network endpoints among them (URLs, domains, IPv4 literals,
 * e-mail addresses).
 *
 * The strings go into one NUL-separated buffer so a rule's substring test is
 * a single memmem over it: patterns never contain NUL, so a match cannot
 * straddle two strings.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "binfeat.h"

/* Printable ASCII and tab, as a table: this loop sees every byte. */
static const uint8_t printable_tab[256] = {
	['\t'] = 1,
	[0x20] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x30] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x40] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x50] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x60] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x70] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
};

static inline bool printable(uint8_t c)
{
	return printable_tab[c] != 0;
}

static bool put(struct pst_strings *s, size_t max, const char *p, size_t n)
{
	if (s->len + n + 1 > max) {
		s->full = true; /* stop growing, keep what we have: the caller reports it */
		return true;
	}
	if (s->len + n + 1 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 4096;
		char *nb;
		while (nc < s->len + n + 1)
			nc *= 2;
		nb = pst_realloc(s->buf, nc);
		if (!nb)
			return false;
		s->buf = nb;
		s->cap = nc;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len++] = 0;
	s->n++;
	return true;
}

bool pst_strings_init(struct pst_strings *s)
{
	memset(s, 0, sizeof(*s));
	s->cap = 4096;
	s->buf = pst_malloc(s->cap);
	if (!s->buf)
		return false;
	s->buf[s->len++] = 0;
	return true;
}

bool pst_strings_add(struct pst_strings *s, struct pst_view v, size_t min, size_t max)
{
	size_t i = 0, run;
	char tmp[512];
	while (i < v.len) {
		if (!printable(v.p[i])) {
			i++;
			while (i < v.len && !printable(v.p[i]))
				i++;
			continue;
		}
		/* UTF-16LE: printable, zero, printable, zero... */
		if (i + 1 < v.len && v.p[i + 1] == 0) {
			size_t j = i, k = 0;
			while (j + 1 < v.len && printable(v.p[j]) && v.p[j + 1] == 0) {
				if (k < sizeof(tmp))
					tmp[k++] = (char)v.p[j];
				j += 2;
			}
			if (k >= min && !put(s, max, tmp, k))
				return false;
			i = j > i + 1 ? j : i + 1;
			continue;
		}
		run = i;
		while (run < v.len && printable(v.p[run]))
			run++;
		if (run - i >= min &&
		    !put(s, max, (const char *)v.p + i, run - i < 4096 ? run - i : 4096))
			return false;
		i = run;
	}
	return true;
}

bool pst_strings_extract(struct pst_view v, size_t min, size_t max, struct pst_strings *s)
{
	if (!pst_strings_init(s))
		return false;
	if (!pst_strings_add(s, v, min, max)) {
		pst_strings_free(s);
		return false;
	}
	return true;
}

void pst_strings_free(struct pst_strings *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

bool pst_strings_has(const struct pst_strings *s, const char *sub)
{
	size_t n = strlen(sub);
	return n && s->len && memmem(s->buf, s->len, sub, n) != NULL;
}

bool pst_strings_has_word(const struct pst_strings *s, const char *w)
{
	char buf[258];
	size_t n = strlen(w);
	if (n == 0 || n > 256)
		return false;
	buf[0] = 0;
	memcpy(buf + 1, w, n);
	buf[n + 1] = 0;
	return s->len && memmem(s->buf, s->len, buf, n + 2) != NULL;
}

/* ---- endpoints ---- */

bool pst_ipv4_public(const uint8_t ip[4])
{
	uint8_t a = ip[0], b = ip[1], c = ip[2];
	if (a == 0 || a == 10 || a == 127 || a >= 224)
		return false;
	if (a == 169 && b == 254)
		return false;
	if (a == 172 && b >= 16 && b < 32)
		return false;
	if (a == 192 && b == 168)
		return false;
	if (a == 100 && b >= 64 && b < 128)
		return false;
	if ((a == 192 && b == 0 && (c == 0 || c == 2)) || (a == 198 && b == 51 && c == 100) ||
	    (a == 203 && b == 0 && c == 113) || (a == 198 && (b == 18 || b == 19)))
		return false;
	return true;
}

/* Well-known public DNS resolvers (Google, Cloudflare and its filtering
 * variants, Quad9, OpenDNS, Level 3): anyone's lookups go there. */
static bool resolver(const uint8_t ip[4])
{
	static const uint8_t resolvers[][4] = {
		{ 8, 8, 8, 8 }, { 8, 8, 4, 4 }, { 1, 1, 1, 1 }, { 1, 0, 0, 1 }, { 1, 1, 1, 2 },
		{ 1, 0, 0, 2 }, { 1, 1, 1, 3 }, { 1, 0, 0, 3 }, { 9, 9, 9, 9 }, { 149, 112, 112, 112 },
		{ 208, 67, 222, 222 }, { 208, 67, 220, 220 }, { 4, 2, 2, 1 }, { 4, 2, 2, 2 },
	};
	size_t i;
	for (i = 0; i < sizeof(resolvers) / sizeof(resolvers[0]); i++)
		if (memcmp(ip, resolvers[i], 4) == 0)
			return true;
	return false;
}

static bool parse_ipv4(const char *p, size_t n, uint8_t ip[4]);

bool pst_ipv4_text_resolver(const char *text)
{
	uint8_t ip[4];
	return parse_ipv4(text, strlen(text), ip) && resolver(ip);
}

/* Public addresses that are no one's command server: the DNS root servers
 * (root hints compiled into resolvers, IANA root-servers.net, current and
 * retired), addresses used as examples in usage texts, and dotted version
 * numbers ("1.7.4.4": a first part below 10, the others at most 20) and
 * X.500 object identifiers (2.5.x.x), except the well-known public
 * resolvers. */
bool pst_ipv4_notable(const uint8_t ip[4])
{
	static const uint8_t known[][4] = {
		{ 198, 41, 0, 4 }, { 170, 247, 170, 2 }, { 199, 9, 14, 201 }, { 192, 228, 79, 201 },
		{ 128, 9, 0, 107 }, { 192, 33, 4, 12 }, { 199, 7, 91, 13 }, { 192, 203, 230, 10 },
		{ 192, 5, 5, 241 }, { 192, 112, 36, 4 }, { 198, 97, 190, 53 }, { 128, 63, 2, 53 },
		{ 192, 36, 148, 17 }, { 192, 58, 128, 30 }, { 193, 0, 14, 129 }, { 199, 7, 83, 42 },
		{ 202, 12, 27, 33 },
		{ 1, 2, 3, 4 }, { 4, 3, 2, 1 }, { 123, 45, 67, 89 }, { 12, 34, 56, 78 },
		{ 11, 22, 33, 44 }, { 1, 3, 5, 7 },
	};
	size_t i;
	if (!pst_ipv4_public(ip))
		return false;
	/* public resolvers look like versions but are what implants query */
	if (resolver(ip))
		return true;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (memcmp(ip, known[i], 4) == 0)
			return false;
	if (ip[0] == 2 && ip[1] == 5)
		return false; /* X.500 object identifiers: 2.5.4.x attributes, 2.5.29.x extensions */
	{
		/* a contiguous netmask (ones, then zeros) is a route's mask, not a
		 * host: OpenVPN's redirect-gateway def1 routes 0.0.0.0/1 and
		 * 128.0.0.0/1, and writes 128.0.0.0 as the mask */
		uint32_t v = (uint32_t)ip[0] << 24 | (uint32_t)ip[1] << 16 | (uint32_t)ip[2] << 8 | ip[3];
		if ((~v & (~v + 1u)) == 0)
			return false;
	}
	return !(ip[0] < 10 && ip[1] <= 20 && ip[2] <= 20 && ip[3] <= 20);
}

/* Dotted quad at p (exactly four parts, no leading zeros). */
static bool parse_ipv4(const char *p, size_t n, uint8_t ip[4])
{
	size_t i = 0;
	int part;
	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		while (i < n && isdigit((unsigned char)p[i]) && digits < 4) {
			v = v * 10 + (unsigned)(p[i] - '0');
			digits++;
			i++;
		}
		if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && p[i - digits] == '0'))
			return false;
		ip[part] = (uint8_t)v;
		if (part < 3) {
			if (i >= n || p[i] != '.')
				return false;
			i++;
		}
	}
	return i == n;
}

static const char *const tlds[] = {
	"com", "net", "org", "info", "biz", "io", "ru", "cn", "top", "xyz", "su", "de", "uk",
	"jp", "kr", "br", "fr", "nl", "ir", "tk", "us", "eu",
	"tv", "ws", "online", "site", "club", "tw", "hk", "vn", "ua", "kp", "gov", "edu", NULL,
};

static bool host_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.';
}

/* A host name with at least two labels and a known top-level domain. */
static bool domain_like(const char *p, size_t n)
{
	size_t i, dot = (size_t)-1, labels = 1;
	const char *tld;
	if (n < 4 || n > 120 || p[0] == '.' || p[0] == '-' || p[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		if (!host_char(p[i]))
			return false;
		if (p[i] == '.') {
			if (i > 0 && p[i - 1] == '.')
				return false;
			dot = i;
			labels++;
		}
	}
	if (dot == (size_t)-1 || labels < 2)
		return false;
	tld = p + dot + 1;
	for (i = 0; tlds[i]; i++)
		if (strlen(tlds[i]) == n - dot - 1 && strncasecmp(tld, tlds[i], n - dot - 1) == 0)
			return true;
	return false;
}

static bool reserved_host(const char *h, size_t n)
{
	static const char *const names[] = { "example.com", "example.net", "example.org",
					     "localhost", "localdomain", "invalid", "test", NULL };
	size_t i;
	for (i = 0; names[i]; i++) {
		size_t l = strlen(names[i]);
		if (n >= l && strncasecmp(h + n - l, names[i], l) == 0 &&
		    (n == l || h[n - l - 1] == '.'))
			return true;
	}
	return false;
}

static void add_ep(struct pst_endpoint *out, size_t *k, size_t max, enum pst_ep_kind kind,
		   const char *p, size_t n, bool pub)
{
	size_t i;
	if (*k >= max || n == 0)
		return;
	if (n >= sizeof(out[0].text))
		n = sizeof(out[0].text) - 1;
	for (i = 0; i < *k; i++)
		if (out[i].kind == kind && strlen(out[i].text) == n && memcmp(out[i].text, p, n) == 0)
			return;
	out[*k].kind = kind;
	memcpy(out[*k].text, p, n);
	out[*k].text[n] = 0;
	out[*k].public_ = pub;
	(*k)++;
}

/* Judges the host part of a URL or e-mail: public when an IP literal is
 * public or a name is not reserved. Format strings ("%s") are not hosts. */
static bool host_public(const char *h, size_t n, bool *is_ip)
{
	uint8_t ip[4];
	*is_ip = parse_ipv4(h, n, ip);
	if (*is_ip)
		return pst_ipv4_notable(ip);
	if (memchr(h, '%', n) || !memchr(h, '.', n))
		return false;
	return !reserved_host(h, n);
}

static void scan_url(const char *s, struct pst_endpoint *out, size_t *k, size_t max)
{
	static const char *const schemes[] = { "http://", "https://", "ftp://", "tftp://", "ws://",
					       "wss://", NULL };
	size_t i;
	for (i = 0; schemes[i]; i++) {
		const char *u = strstr(s, schemes[i]);
		const char *h, *e;
		bool ip;
		if (!u)
			continue;
		h = u + strlen(schemes[i]);
		e = h;
		while (host_char(*e))
			e++;
		if (e == h)
			continue;
		{
			const char *end = e;
			bool pub = host_public(h, (size_t)(e - h), &ip);
			while (*end && *end != ' ' && *end != '"' && *end != '\'' && *end != '>')
				end++;
			if (memchr(h, '%', (size_t)(end - h)) && e == h)
				continue;
			add_ep(out, k, max, PST_EP_URL, u, (size_t)(end - u), pub);
			if (ip)
				add_ep(out, k, max, PST_EP_IPV4, h, (size_t)(e - h), pub);
		}
	}
}

/* Whether the token at t (in s) follows a word that numbers a part of a
 * document ("RFC 4880, Section 5.2.3.10", "chapter 3.1.2.4", "(sec. 4.2.1.1)",
 * "version 2.6.32.1"): a section or version number, not an address. */
static bool after_doc_word(const char *s, const char *t)
{
	static const char *const words[] = { "section", "sections", "sec.", "chapter", "clause",
					     "appendix", "paragraph", "version", NULL };
	const char *e = t, *b;
	size_t i;
	while (e > s && e[-1] == ' ')
		e--;
	b = e;
	while (b > s && b[-1] != ' ' && b[-1] != '(')
		b--;
	for (i = 0; words[i]; i++) {
		size_t l = strlen(words[i]);
		if ((size_t)(e - b) == l && strncasecmp(b, words[i], l) == 0)
			return true;
	}
	return false;
}

static void scan_tokens(const char *s, struct pst_endpoint *out, size_t *k, size_t max)
{
	const char *p = s;
	while (*p) {
		const char *t;
		size_t n;
		uint8_t ip[4];
		while (*p && !host_char(*p) && *p != '@' && *p != '_' && *p != '+')
			p++;
		t = p;
		while (*p && (host_char(*p) || *p == '@' || *p == '_' || *p == '+'))
			p++;
		n = (size_t)(p - t);
		if (n == 0)
			continue;
		/* A dotted quad not glued to a word ("v1.2.3.4") or an OID, nor
		 * numbering a document's section. */
		if (parse_ipv4(t, n, ip) && (t == s || !isalpha((unsigned char)t[-1]))) {
			if (pst_ipv4_notable(ip) && !after_doc_word(s, t))
				add_ep(out, k, max, PST_EP_IPV4, t, n, true);
			continue;
		}
		{
			const char *at = memchr(t, '@', n);
			if (at && at > t && domain_like(at + 1, (size_t)(t + n - at - 1))) {
				add_ep(out, k, max, PST_EP_EMAIL, t, n,
				       !reserved_host(at + 1, (size_t)(t + n - at - 1)));
				continue;
			}
		}
		if (t > s && (t[-1] == '/' || t[-1] == ':'))
			continue; /* part of a URL or a path, handled elsewhere */
		if (domain_like(t, n) && !(p[0] == '/' && t > s && t[-1] == '/'))
			add_ep(out, k, max, PST_EP_DOMAIN, t, n, !reserved_host(t, n));
	}
}

size_t pst_endpoints_find(const struct pst_strings *s, struct pst_endpoint *out, size_t max)
{
	size_t k = 0, at = 1;
	while (at < s->len) {
		const char *str = s->buf + at;
		size_t l = strlen(str);
		/* Every endpoint has a dot in it (a public one does). */
		if (l >= 7 && memchr(str, '.', l)) {
			if (memchr(str, ':', l) && strstr(str, "://"))
				scan_url(str, out, &k, max);
			else
				scan_tokens(str, out, &k, max);
		}
		at += l + 1;
	}
	return k;
}
