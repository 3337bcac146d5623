/*
 * caprules.c - capability rules: data in rules/capabilities/<name>.yaml
 * (compiled in by scripts/embed.c; users add directories with --rules),
 * loaded with libyaml, evaluated on a binary's features.
 *
 * A rule is a list of feature groups that must all match (`all`), features
 * any of which suppresses it (`none`: e.g. authentication in a daemon that
 * also accepts connections and runs a shell), and features any of which
 * raise its severity (`escalate`, to `escalate_to` or by one step), and
 * features any of which lower it to `soften_to` (`soften`, applied last). A group is a single feature,
 * a list (any one of them) or {min: N, of: [...]} (at least N of them).
 * Features:
 *   import:NAME   an imported function (or a defined one in an unstripped
 *                 static binary)
 *   syscall:NAME  a system call recovered from a stripped static binary
 *   call:NAME     either of the two
 *   string:TEXT   a substring of one of the binary's strings
 *   word:TEXT     a whole string
 *   const:0xHEX   a 32-bit constant stored anywhere (either byte order; in
 *                 ARM, AArch64, MIPS and PowerPC code only 4-byte aligned,
 *                 as literal pools hold them)
 *   lib:NAME      a needed library whose name contains NAME
 *   export:GLOB   a function the binary defines and exports, by a glob
 *                 pattern of its name (export:mod_*_plugin_init)
 *   socket:D/T/P  a call to socket() with these constant arguments (sockets.c):
 *                 domain (unix, inet, inet6, netlink, packet or a number),
 *                 type (stream, dgram, raw, seqpacket, packet) and protocol
 *                 (icmp, tcp, udp, icmpv6, raw; all, ip for packet
 *                 sockets), each a number, * for any, or ? for one the code
 *                 does not pass as a constant
 *   has:NAME      a computed feature: bpf-filter (a classic BPF program),
 *                 bpf-magic (one that compares a magic value), public-ip
 *                 (a public IPv4 literal other than a well-known DNS resolver),
 *                 public-endpoint, static, stripped, module, library,
 *                 large (150+ dynamic imports or 100+ recovered syscalls),
 *                 tiny (the whole ELF file is at most 8 KiB: no libc),
 *                 listen-port (bind() to a constant port), unusual-port (one
 *                 not in the usual-ports lists of the rule files, 05-ports.yaml),
 *                 magic-compare (received bytes
 *                 compared with a 4-byte magic); these three carry values
 *                 (the ports, the magic) that the evidence names (netconst.c);
 *                 local-sockets (every socket() whose arguments were read
 *                 is a Unix, netlink or raw one: no Internet port),
 *                 host-only-sockets (every socket() call found has a
 *                 constant Unix or netlink domain: none can reach another
 *                 machine),
 *                 no-stdio-dup (a static program's dup2/dup3 calls were
 *                 found and read, and none has a constant new descriptor
 *                 0, 1 or 2),
 *                 no-socket-evidence (no socket() arguments, bind() port or
 *                 compared magic could be read at all)
 *   capability:ID another rule (earlier in load order) fired; ID with or
 *                 without the "capability." prefix
 * Documentation keys, not read here: description, references,
 * severity_note, notes, why, fix (scripts/gen-findings-docs writes the
 * catalog, docs/findings/capabilities.md, from them).
 * Role profiles (rules/roles/<name>.yaml, loaded after the capabilities)
 * use the same syntax: `role: NAME` instead of an id makes the unreported
 * rule capability.role.NAME, `recognise:` is its all:, and `expected:`
 * lists what the role's job explains. The out-of-role rules beside them
 * are ordinary rules that name the roles they judge as capability:role.NAME
 * and say with `behaviour:` which behaviour they are about: such a rule does
 * not fire on a program whose primary role (the first profile in load
 * order that it has, whether the rule names it or not) lists every feature
 * of its behaviour in `expected:` - a role explains its own job (hostapd's
 * WPS role its action scripts, an SSH server's its shell); a secondary
 * role explains nothing (see role_explains).
 * A role's `modules:` lists export: features that name the entry points of
 * the modules a server of that role loads with dlopen (lighttpd's
 * mod_NAME_plugin_init): a shared object that has one is the server's code
 * (pst_caprules_module_role; the hidden-command search examines it).
 * Rules with `report: false` only feed other rules. `soften_note` says why a
 * softened finding is lower (default "in a large program"). `evidence` lists
 * features that carry a value (has:listen-port, has:magic-compare...) to
 * name in the finding's evidence when they match; they do not decide
 * whether the rule fires.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "binfeat.h"
#include "yamlkey.h"
#include "policy/embedded.h"

enum atom_kind { AT_IMPORT, AT_SYSCALL, AT_CALL, AT_STRING, AT_WORD, AT_CONST, AT_LIB, AT_HAS,
		 AT_CAP, AT_SOCKET, AT_EXPORT };

#define SOCK_ANY (-2)

struct atom {
	enum atom_kind kind;
	char *arg;
	unsigned cid;       /* AT_CONST: needle id in the file's bytes; AT_STRING and
			       AT_WORD: needle id in the strings buffer (UINT_MAX:
			       too short, searched with memmem); AT_CAP: rule index */
	int sock[3];        /* AT_SOCKET: domain, type, protocol or SOCK_ANY */
};

struct group {
	struct atom *atoms;
	size_t n;
	unsigned min;       /* matches needed (1 for any-of) */
};

struct rule {
	char *id, *category, *message;
	enum pst_severity severity;
	bool report;
	bool role;          /* a role profile (role: NAME) */
	struct group *all;
	size_t nall;
	struct group none, escalate, soften, evidence, expected, behaviour;
	struct group modules; /* a role's: the entry points of the modules it loads */
	enum pst_severity escalate_to, soften_to;
	char *soften_note;
};

struct pst_caprules {
	struct rule *r;
	size_t n, cap;
	uint16_t *ports; /* usual-ports: what has:unusual-port leaves out */
	size_t nports, ports_cap;
	unsigned nconst, const_base, nstr;
	struct pst_needles *ns, *str_ns;
};

static const struct {
	const char *prefix;
	enum atom_kind kind;
} prefixes[] = {
	{ "import:", AT_IMPORT }, { "syscall:", AT_SYSCALL }, { "call:", AT_CALL },
	{ "string:", AT_STRING }, { "word:", AT_WORD },       { "const:", AT_CONST },
	{ "lib:", AT_LIB },       { "has:", AT_HAS },         { "capability:", AT_CAP },
	{ "socket:", AT_SOCKET }, { "export:", AT_EXPORT },
};

/* socket: field names, in the generic (x86, ARM) numbering */
static const struct {
	int field;
	const char *name;
	int v;
} sock_names[] = {
	{ 0, "unix", 1 },    { 0, "inet", 2 },   { 0, "inet6", 10 },  { 0, "netlink", 16 },
	{ 0, "packet", 17 }, { 1, "stream", 1 }, { 1, "dgram", 2 },   { 1, "raw", 3 },
	{ 1, "seqpacket", 5 }, { 1, "packet", 10 }, { 2, "icmp", 1 }, { 2, "tcp", 6 },
	{ 2, "udp", 17 },    { 2, "icmpv6", 58 }, { 2, "raw", 255 },  { 2, "all", 0x0300 },
	{ 2, "ip", 0x0008 },
};

/* One field of socket:D/T/P ending at '/' or the end; false if unknown. */
static bool sock_field(const char *s, size_t len, int field, int *out)
{
	size_t i;
	char *end;
	long v;
	if (len == 1 && s[0] == '*') {
		*out = SOCK_ANY;
		return true;
	}
	if (len == 1 && s[0] == '?') {
		*out = -1; /* not a constant in the code */
		return true;
	}
	for (i = 0; i < sizeof(sock_names) / sizeof(sock_names[0]); i++)
		if (sock_names[i].field == field && strlen(sock_names[i].name) == len &&
		    strncmp(sock_names[i].name, s, len) == 0) {
			*out = sock_names[i].v;
			return true;
		}
	v = strtol(s, &end, 0);
	if (end != s + len || v < 0 || v > 0xffff)
		return false;
	*out = (int)v;
	return true;
}

static bool sock_parse(const char *s, int out[3])
{
	int k;
	for (k = 0; k < 3; k++) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		if ((k < 2) != (slash != NULL) || !sock_field(s, len, k, &out[k]))
			return false;
		s += len + 1;
	}
	return true;
}

/* A recorded call matches: a packet socket's protocol is htons(ETH_P_*),
 * either byte order depending on the machine. */
static bool sock_match(const int want[3], const struct pst_sockcall *c)
{
	int p = c->proto;
	if (want[0] != SOCK_ANY && want[0] != c->domain)
		return false;
	if (want[1] != SOCK_ANY && want[1] != c->type)
		return false;
	if (want[2] == SOCK_ANY || want[2] == p)
		return true;
	return c->domain == 17 && p >= 0 && ((p >> 8) | (p & 0xff) << 8) == want[2];
}

static void free_group(struct group *g)
{
	size_t i;
	for (i = 0; i < g->n; i++)
		free(g->atoms[i].arg);
	free(g->atoms);
}

void pst_caprules_free(struct pst_caprules *r)
{
	size_t i, j;
	if (!r)
		return;
	free(r->ports);
	for (i = 0; i < r->n; i++) {
		struct rule *x = &r->r[i];
		free(x->id);
		free(x->category);
		free(x->message);
		free(x->soften_note);
		for (j = 0; j < x->nall; j++)
			free_group(&x->all[j]);
		free(x->all);
		free_group(&x->none);
		free_group(&x->escalate);
		free_group(&x->soften);
		free_group(&x->evidence);
		free_group(&x->expected);
		free_group(&x->behaviour);
		free_group(&x->modules);
	}
	free(r->r);
	pst_needles_free(r->str_ns);
	free(r);
}

uint8_t *pst_caprules_strings(const struct pst_caprules *r, const struct pst_strings *s)
{
	uint8_t *hits = pst_calloc(r && r->nstr ? r->nstr : 1, 1);
	if (hits && r && r->nstr)
		pst_needles_find(r->str_ns, pst_view_make(s->buf, s->len), hits, r->nstr, NULL, NULL);
	return hits;
}

unsigned pst_caprules_nconst(const struct pst_caprules *r)
{
	return r ? r->nconst : 0;
}

size_t pst_caprules_count(const struct pst_caprules *r)
{
	return r ? r->n : 0;
}

bool pst_caprules_check_ids(const struct pst_caprules *r, const char *const *ids, char *err,
			    size_t errlen)
{
	size_t i, j;
	for (i = 0; ids[i]; i++) {
		for (j = 0; j < r->n && strcmp(r->r[j].id, ids[i]) != 0; j++)
			;
		if (j == r->n) {
			snprintf(err, errlen, "the code names rule %s, which no rule file defines",
				 ids[i]);
			return false;
		}
	}
	return true;
}

/* ---- loading ---- */

struct loader {
	struct pst_caprules *rs;
	struct pst_yaml_at at;
};

static bool fail(struct loader *l, const yaml_node_t *n, const char *what)
{
	return pst_yaml_fail(&l->at, n, what);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool parse_atom(struct loader *l, const yaml_node_t *n, struct atom *a)
{
	const char *s = scalar(n);
	size_t i;
	if (!s)
		return fail(l, n, "a feature must be a string like import:NAME");
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t pl = strlen(prefixes[i].prefix);
		if (strncmp(s, prefixes[i].prefix, pl) != 0)
			continue;
		a->kind = prefixes[i].kind;
		a->arg = pst_strdup(s + pl);
		if (!a->arg)
			return fail(l, n, "out of memory");
		if (!a->arg[0])
			return fail(l, n, "empty feature");
		if (a->kind == AT_CONST) {
			char *end;
			unsigned long v = strtoul(a->arg, &end, 0);
			uint8_t le[4], be[4];
			if (*end || v > 0xffffffffUL)
				return fail(l, n, "const: needs a 32-bit number");
			le[0] = be[3] = (uint8_t)v;
			le[1] = be[2] = (uint8_t)(v >> 8);
			le[2] = be[1] = (uint8_t)(v >> 16);
			le[3] = be[0] = (uint8_t)(v >> 24);
			a->cid = l->rs->const_base + l->rs->nconst++;
			if (!pst_needles_add(l->rs->ns, le, 4, a->cid) ||
			    !pst_needles_add(l->rs->ns, be, 4, a->cid))
				return fail(l, n, "out of memory");
		} else if (a->kind == AT_STRING || a->kind == AT_WORD) {
			/* Every string feature is found in one pass over the
			 * strings buffer; a word is a whole NUL-delimited string. */
			size_t al = strlen(a->arg);
			char *pat = pst_malloc(al + 2);
			bool ok;
			if (!pat)
				return fail(l, n, "out of memory");
			if (a->kind == AT_WORD) {
				pat[0] = 0;
				memcpy(pat + 1, a->arg, al);
				pat[al + 1] = 0;
				al += 2;
			} else {
				memcpy(pat, a->arg, al);
			}
			a->cid = UINT_MAX;
			ok = true;
			if (al >= 4) {
				a->cid = l->rs->nstr++;
				ok = pst_needles_add(l->rs->str_ns, pat, al, a->cid);
			}
			free(pat);
			if (!ok)
				return fail(l, n, "out of memory");
		} else if (a->kind == AT_CAP) {
			size_t k;
			/* Rules before the one being parsed (the last): all
			 * have ids starting "capability.". */
			for (k = 0; k + 1 < l->rs->n; k++)
				if (strcmp(l->rs->r[k].id, a->arg) == 0 ||
				    strcmp(l->rs->r[k].id + 11, a->arg) == 0)
					break;
			if (k + 1 >= l->rs->n)
				return fail(l, n, "capability: must name a rule defined before");
			a->cid = (unsigned)k;
		} else if (a->kind == AT_SOCKET) {
			if (!sock_parse(a->arg, a->sock))
				return fail(l, n, "socket: needs DOMAIN/TYPE/PROTO (names, numbers or *)");
		} else if (a->kind == AT_HAS) {
			static const char *const known[] = { "bpf-filter", "public-ip",
							     "public-endpoint", "static",
							     "stripped", "module", "library",
							     "bpf-magic", "large", "listen-port",
							     "unusual-port", "magic-compare",
							     "local-sockets", "host-only-sockets",
							     "no-stdio-dup",
							     "tiny",
							     "no-socket-evidence", NULL };
			size_t k;
			for (k = 0; known[k]; k++)
				if (strcmp(known[k], a->arg) == 0)
					break;
			if (!known[k])
				return fail(l, n, "unknown has: feature");
		}
		return true;
	}
	return fail(l, n, "unknown feature kind");
}

static bool parse_list(struct loader *l, const yaml_node_t *n, struct group *g)
{
	yaml_node_item_t *it;
	size_t cnt;
	if (n->type == YAML_SCALAR_NODE) {
		g->atoms = pst_calloc(1, sizeof(*g->atoms));
		if (!g->atoms)
			return fail(l, n, "out of memory");
		g->n = 1;
		return parse_atom(l, n, &g->atoms[0]);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(l, n, "expected a feature or a list of features");
	cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	g->atoms = pst_calloc(cnt ? cnt : 1, sizeof(*g->atoms));
	if (!g->atoms)
		return fail(l, n, "out of memory");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		g->n++; /* counted first: free_group releases a half-parsed atom */
		if (!parse_atom(l, yaml_document_get_node(l->at.doc, *it), &g->atoms[g->n - 1]))
			return false;
	}
	return true;
}

static bool parse_group(struct loader *l, const yaml_node_t *n, struct group *g)
{
	yaml_node_pair_t *p;
	const yaml_node_t *of = NULL;
	long min = 1;
	g->min = 1;
	if (n->type != YAML_MAPPING_NODE)
		return parse_list(l, n, g);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = scalar(yaml_document_get_node(l->at.doc, p->key));
		const yaml_node_t *v = yaml_document_get_node(l->at.doc, p->value);
		if (k && strcmp(k, "min") == 0 && scalar(v))
			min = strtol(scalar(v), NULL, 10);
		else if (k && strcmp(k, "of") == 0)
			of = v;
		else
			return fail(l, n, "a counted group has only min: and of:");
	}
	if (!of || min < 1)
		return fail(l, n, "a counted group needs min: >= 1 and of:");
	g->min = (unsigned)min;
	return parse_list(l, of, g);
}

/* A role profile (rules/roles/): `role: NAME` is the rule
 * capability.role.NAME, never reported, which out-of-role rules name as
 * capability:role.NAME. */
static bool role_id(struct loader *l, const yaml_node_t *v, const char *name,
		    struct rule *r)
{
	size_t len = strlen(name) + sizeof("capability.role.");
	if (r->id)
		return fail(l, v, "a rule has either id: or role:");
	r->id = pst_malloc(len);
	if (!r->id)
		return fail(l, v, "out of memory");
	snprintf(r->id, len, "capability.role.%s", name);
	r->report = false;
	r->role = true;
	return true;
}

/* A rule's documentation, which the matcher does not read. */
static bool is_doc_key(const char *k)
{
	static const char *const keys[] = { "description", "references", "severity_note",
					    "notes", "why", "fix", NULL };
	size_t i;
	for (i = 0; keys[i]; i++)
		if (strcmp(k, keys[i]) == 0)
			return true;
	return false;
}

static bool parse_rule(struct loader *l, const yaml_node_t *n)
{
	struct pst_caprules *rs = l->rs;
	struct rule *r;
	yaml_node_pair_t *p;
	if (n->type != YAML_MAPPING_NODE)
		return fail(l, n, "a rule is a mapping");
	if (rs->n == rs->cap) {
		size_t nc = rs->cap ? rs->cap * 2 : 32;
		struct rule *nr = pst_realloc(rs->r, nc * sizeof(*nr));
		if (!nr)
			return fail(l, n, "out of memory");
		rs->r = nr;
		rs->cap = nc;
	}
	r = &rs->r[rs->n++]; /* counted now so pst_caprules_free releases it on error */
	memset(r, 0, sizeof(*r));
	r->report = true;
	r->severity = PST_SEV_INFO;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = scalar(yaml_document_get_node(l->at.doc, p->key));
		const yaml_node_t *v = yaml_document_get_node(l->at.doc, p->value);
		const char *sv = scalar(v);
		if (!k)
			return fail(l, n, "keys are strings");
		/* A repeated all: appended its groups past the array the second
		 * one allocated (fuzz_rules, ASan); none: and the strings leaked. */
		if (pst_yaml_key_repeated(l->at.doc, n->data.mapping.pairs.start, p))
			return fail(l, yaml_document_get_node(l->at.doc, p->key),
				    "a key is given twice in a rule");
		if (strcmp(k, "id") == 0 && sv) {
			if (r->id)
				return fail(l, v, "a rule has either id: or role:");
			if (!(r->id = pst_strdup(sv)))
				return fail(l, v, "out of memory");
		} else if (strcmp(k, "role") == 0 && sv) {
			if (!role_id(l, v, sv, r))
				return false;
		} else if (strcmp(k, "expected") == 0) {
			/* what the role's job explains (see role_explains) */
			if (!parse_list(l, v, &r->expected))
				return false;
		} else if (strcmp(k, "modules") == 0) {
			/* export: features naming the entry points of the
			 * modules a server of the role loads (see
			 * pst_caprules_module_role) */
			if (!parse_list(l, v, &r->modules))
				return false;
		} else if (strcmp(k, "behaviour") == 0) {
			if (!parse_list(l, v, &r->behaviour))
				return false;
		} else if (strcmp(k, "severity") == 0 && sv) {
			int sev = pst_severity_parse(sv);
			if (sev < 0)
				return fail(l, v, "unknown severity");
			r->severity = (enum pst_severity)sev;
		} else if (strcmp(k, "category") == 0 && sv) {
			if (!(r->category = pst_strdup(sv)))
				return fail(l, v, "out of memory");
		} else if (strcmp(k, "message") == 0 && sv) {
			if (!(r->message = pst_strdup(sv)))
				return fail(l, v, "out of memory");
		} else if (strcmp(k, "report") == 0 && sv) {
			r->report = strcmp(sv, "false") != 0 && strcmp(sv, "no") != 0;
		} else if (is_doc_key(k)) {
			/* documentation: scripts/gen-findings-docs makes the
			 * catalog (docs/findings/capabilities.md) from it */
		} else if ((strcmp(k, "all") == 0 || strcmp(k, "recognise") == 0) &&
			   v->type == YAML_SEQUENCE_NODE && !r->all) {
			yaml_node_item_t *it;
			size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
			r->all = pst_calloc(cnt ? cnt : 1, sizeof(*r->all));
			if (!r->all)
				return fail(l, v, "out of memory");
			for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				r->nall++;
				if (!parse_group(l, yaml_document_get_node(l->at.doc, *it),
						 &r->all[r->nall - 1]))
					return false;
			}
		} else if (strcmp(k, "none") == 0) {
			if (!parse_list(l, v, &r->none))
				return false;
		} else if (strcmp(k, "escalate_to") == 0 && sv) {
			int sev = pst_severity_parse(sv);
			if (sev < 0)
				return fail(l, v, "unknown severity");
			r->escalate_to = (enum pst_severity)sev;
		} else if (strcmp(k, "soften_to") == 0 && sv) {
			int sev = pst_severity_parse(sv);
			if (sev < 0)
				return fail(l, v, "unknown severity");
			r->soften_to = (enum pst_severity)sev;
		} else if (strcmp(k, "soften_note") == 0 && sv) {
			if (!(r->soften_note = pst_strdup(sv)))
				return fail(l, v, "out of memory");
		} else if (strcmp(k, "evidence") == 0) {
			if (!parse_list(l, v, &r->evidence))
				return false;
		} else if (strcmp(k, "soften") == 0) {
			if (!parse_list(l, v, &r->soften))
				return false;
		} else if (strcmp(k, "escalate") == 0) {
			if (!parse_list(l, v, &r->escalate))
				return false;
		} else {
			return fail(l, p ? yaml_document_get_node(l->at.doc, p->key) : n,
				    "unknown key in a rule");
		}
	}
	if (!r->id || strncmp(r->id, "capability.", 11) != 0)
		return fail(l, n, "a rule needs an id starting with capability.");
	if (!r->nall)
		return fail(l, n, "a rule needs all: groups");
	if (!r->category)
		r->category = pst_strdup("capability");
	if (!r->message)
		r->message = pst_strdup(r->id);
	if (!r->category || !r->message)
		return fail(l, n, "out of memory");
	return true;
}

/* Parses one rule file from f (a file) or from text/len (embedded). */
/* "- usual-ports: [22, 80, ...]": ports of the services a router, camera or
 * server is expected to offer, kept as data (rules/capabilities/05-ports.yaml);
 * a rule directory may add its own. */
static bool parse_ports(struct loader *l, const yaml_node_t *v)
{
	struct pst_caprules *rs = l->rs;
	yaml_node_item_t *it;
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(l, v, "usual-ports is a list of port numbers");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *x = yaml_document_get_node(l->at.doc, *it);
		const char *sv = scalar(x);
		char *end = NULL;
		unsigned long pt = sv ? strtoul(sv, &end, 10) : 0;
		if (!sv || !*sv || *end || pt == 0 || pt > 65535)
			return fail(l, x, "a port is a number from 1 to 65535");
		if (rs->nports == rs->ports_cap) {
			size_t nc = rs->ports_cap ? rs->ports_cap * 2 : 64;
			uint16_t *np = pst_realloc(rs->ports, nc * sizeof(*np));
			if (!np)
				return fail(l, x, "out of memory");
			rs->ports = np;
			rs->ports_cap = nc;
		}
		rs->ports[rs->nports++] = (uint16_t)pt;
	}
	return true;
}

/* The value of a list item that is "usual-ports: ...", else NULL (a rule). */
static const yaml_node_t *ports_item(struct loader *l, const yaml_node_t *n)
{
	const yaml_node_pair_t *p;
	if (!n || n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
		return NULL;
	p = n->data.mapping.pairs.start;
	if (!scalar(yaml_document_get_node(l->at.doc, p->key)) ||
	    strcmp(scalar(yaml_document_get_node(l->at.doc, p->key)), "usual-ports") != 0)
		return NULL;
	return yaml_document_get_node(l->at.doc, p->value);
}

static bool load_yaml(struct loader *l, const char *name, FILE *f, const char *text, size_t len)
{
	yaml_document_t doc;
	yaml_node_t *root;
	bool ok = false;
	l->at.file = name;
	if (!pst_yaml_load(&doc, name, f, text, len, l->at.err, l->at.errlen))
		return false;
	l->at.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ok = true; /* empty file */
	} else if (root->type != YAML_SEQUENCE_NODE) {
		fail(l, root, "a rule file is a list of rules");
	} else {
		yaml_node_item_t *it;
		ok = true;
		for (it = root->data.sequence.items.start; ok && it < root->data.sequence.items.top;
		     it++) {
			const yaml_node_t *item = yaml_document_get_node(&doc, *it);
			const yaml_node_t *pv = ports_item(l, item);
			ok = pv ? parse_ports(l, pv) : parse_rule(l, item);
		}
	}
	yaml_document_delete(&doc);
	return ok;
}

static bool load_file(struct loader *l, const char *path)
{
	FILE *f = fopen(path, "rb");
	bool ok;
	l->at.file = path;
	if (!f) {
		pst_oom_errno();
		return fail(l, NULL, "cannot open");
	}
	ok = load_yaml(l, path, f, NULL, 0);
	fclose(f);
	return ok;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads dir's *.yaml in name order; a missing directory is not an error. */
static bool load_dir(struct loader *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	bool ok = true;
	if (!d) {
		pst_oom_errno();
		return true;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		if (n == cap) {
			char **nn = pst_realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*nn));
			if (!nn) {
				ok = false;
				break;
			}
			names = nn;
		}
		names[n] = pst_strdup(de->d_name);
		if (!names[n]) {
			ok = false;
			break;
		}
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		char path[4096];
		int pl = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (ok && (pl < 0 || (size_t)pl >= sizeof(path))) {
			snprintf(l->at.err, l->at.errlen, "%s: path too long", dir);
			ok = false;
		}
		if (ok && !load_file(l, path))
			ok = false;
		free(names[i]);
	}
	free(names);
	if (!ok && !l->at.err[0])
		snprintf(l->at.err, l->at.errlen, "%s: out of memory", dir);
	return ok;
}

struct pst_caprules *pst_caprules_load(const char *const *dirs, struct pst_needles *ns,
				       unsigned const_base, char *err, size_t errlen)
{
	struct pst_caprules *rs = pst_calloc(1, sizeof(*rs));
	const struct pst_embedded *e;
	static const char *const rule_subdirs[2] = { "capabilities", "roles" };
	struct loader l;
	size_t i, k;
	if (rs)
		rs->str_ns = pst_needles_new();
	if (!rs || !rs->str_ns) {
		free(rs);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rs->ns = ns;
	rs->const_base = const_base;
	memset(&l, 0, sizeof(l));
	l.rs = rs;
	l.at.err = err;
	l.at.errlen = errlen;
	err[0] = 0;
	/* The built-in rules, compiled in (scripts/embed.c), in name order;
	 * then each directory's. Role profiles come after the capabilities
	 * of the same source: they combine them. */
	for (k = 0; k < 2; k++)
		for (e = pst_embedded_files; e->name; e++) {
			size_t pl = strlen(rule_subdirs[k]);
			if (strncmp(e->name, "rules/", 6) != 0 ||
			    strncmp(e->name + 6, rule_subdirs[k], pl) != 0 || e->name[6 + pl] != '/')
				continue;
			if (!load_yaml(&l, e->name, NULL, e->text, e->len)) {
				pst_caprules_free(rs);
				return NULL;
			}
		}
	for (i = 0; dirs && dirs[i]; i++)
		for (k = 0; k < 2; k++) {
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/%s", dirs[i], rule_subdirs[k]);
			if (!load_dir(&l, sub)) {
				pst_caprules_free(rs);
				return NULL;
			}
		}
	pst_needles_seal(rs->str_ns);
	return rs;
}

/* ---- evaluation ---- */

/* The index of the first recovered port no known service uses, or -1. */
static int unusual_port(const struct pst_caprules *rs, const struct pst_binfeat *f)
{
	size_t i, k;
	for (i = 0; i < f->net.nports; i++) {
		for (k = 0; k < rs->nports; k++)
			if (rs->ports[k] == f->net.ports[i])
				break;
		if (k == rs->nports)
			return (int)i;
	}
	return -1;
}

/* Sockets were read and none is an Internet stream or datagram socket
 * (haveged's Unix command socket, rdnssd's ICMPv6 and netlink sockets). */
static bool local_sockets(const struct pst_binfeat *f)
{
	size_t i;
	for (i = 0; i < f->nsocks; i++) {
		const struct pst_sockcall *c = &f->socks[i];
		if ((c->domain == 2 || c->domain == 10) && c->type != 3)
			return false;
	}
	return f->nsocks > 0;
}

/* Every socket() call found was read, and each is a Unix or netlink socket:
 * nothing the program opens reaches another machine (brltty's BrlAPI and
 * console sockets). Stricter than local_sockets: a raw Internet socket can
 * carry data off the device, and a call whose domain is not a constant
 * (getaddrinfo's ai_family) may be an Internet one. */
static bool host_only_sockets(const struct pst_binfeat *f)
{
	size_t i;
	for (i = 0; i < f->nsocks; i++)
		if (f->socks[i].domain != 1 && f->socks[i].domain != 16)
			return false;
	return f->nsocks > 0 && f->nsocks_unread == 0;
}

/* A computed feature that carries a value names it ("port 32764"). */
static bool has_value(const struct pst_caprules *rs, const struct atom *a, const struct pst_binfeat *f,
		      char *buf, size_t len)
{
	int u;
	if (a->kind != AT_HAS)
		return false;
	if (strcmp(a->arg, "magic-compare") == 0 && f->net.nmagics) {
		char m[32];
		pst_magic_str(f->net.magics[0], m, sizeof(m));
		snprintf(buf, len, "magic %s compared with received data at 0x%llx", m,
			 (unsigned long long)f->net.magic_at[0]);
		return true;
	}
	if (strcmp(a->arg, "listen-port") == 0 && f->net.nports) {
		size_t i, l;
		snprintf(buf, len, "%s", f->net.nports > 1 ? "ports " : "port ");
		for (i = 0; i < f->net.nports && (l = strlen(buf)) + 8 < len; i++)
			snprintf(buf + l, len - l, "%s%u", i ? ", " : "", (unsigned)f->net.ports[i]);
		return true;
	}
	u = strcmp(a->arg, "unusual-port") == 0 ? unusual_port(rs, f) : -1;
	if (u < 0)
		return false;
	snprintf(buf, len, "unusual port %u", (unsigned)f->net.ports[u]);
	return true;
}

/* Whether e defines and exports a function whose name matches the glob
 * pattern pat (export:mod_*_plugin_init). */
static bool exports(const struct pst_elf *e, const char *pat)
{
	size_t i;
	for (i = 0; i < e->nsyms; i++) {
		const struct pst_elf_sym *s = &e->syms[i];
		if (s->dynamic && s->shndx != 0 && s->type == 2 /* STT_FUNC */ && s->name &&
		    fnmatch(pat, s->name, 0) == 0)
			return true;
	}
	return false;
}

static bool atom_true(const struct pst_caprules *rs, const struct atom *a,
		      const struct pst_binfeat *f, const uint8_t *fired)
{
	size_t i;
	switch (a->kind) {
	case AT_IMPORT: return pst_binfeat_import(f, a->arg);
	case AT_SYSCALL: return pst_binfeat_syscall(f, a->arg);
	case AT_CALL: return pst_binfeat_import(f, a->arg) || pst_binfeat_syscall(f, a->arg);
	case AT_STRING:
		if (a->cid != UINT_MAX)
			return f->str_hits && f->str_hits[a->cid];
		return pst_strings_has(&f->strs, a->arg);
	case AT_WORD:
		if (a->cid != UINT_MAX)
			return f->str_hits && f->str_hits[a->cid];
		return pst_strings_has_word(&f->strs, a->arg);
	case AT_CONST: return f->const_hits && f->const_hits[a->cid];
	case AT_EXPORT: return exports(f->elf, a->arg);
	case AT_LIB:
		for (i = 0; i < f->elf->nneeded; i++)
			if (strstr(f->elf->needed[i], a->arg))
				return true;
		return false;
	case AT_HAS:
		if (strcmp(a->arg, "listen-port") == 0)
			return f->net.nports > 0;
		if (strcmp(a->arg, "unusual-port") == 0)
			return unusual_port(rs, f) >= 0;
		if (strcmp(a->arg, "magic-compare") == 0)
			return f->net.nmagics > 0;
		if (strcmp(a->arg, "local-sockets") == 0)
			return local_sockets(f);
		if (strcmp(a->arg, "host-only-sockets") == 0)
			return host_only_sockets(f);
		/* dup2/dup3 calls were read and none makes a descriptor 0, 1
		 * or 2 with a constant (static programs only) */
		if (strcmp(a->arg, "no-stdio-dup") == 0)
			return f->ndups > 0 && !f->stdio_dup;
		if (strcmp(a->arg, "bpf-filter") == 0)
			return f->bpf_filter;
		if (strcmp(a->arg, "public-ip") == 0)
			return f->public_ip;
		if (strcmp(a->arg, "public-endpoint") == 0)
			return f->public_endpoint;
		if (strcmp(a->arg, "static") == 0)
			return !f->elf->has_dynamic && !f->elf->interp;
		if (strcmp(a->arg, "stripped") == 0)
			return !f->elf->has_symtab;
		if (strcmp(a->arg, "module") == 0)
			return f->elf->is_module;
		if (strcmp(a->arg, "library") == 0)
			return f->elf->type == PST_ET_DYN && !f->elf->interp;
		if (strcmp(a->arg, "bpf-magic") == 0)
			return f->bpf_magic;
		if (strcmp(a->arg, "large") == 0)
			return f->nundef >= 150 || f->sys.n >= 100;
		/* a whole program in a few kilobytes: written without libc
		 * (the smallest static libc program is tens of kilobytes) */
		if (strcmp(a->arg, "tiny") == 0)
			return f->elf->v.len <= PST_TINY_ELF;
		/* no socket()'s arguments, bind() port or compared magic could
		 * be read (haveged on AArch64 and i386): nothing shows the server
		 * on an Internet socket rather than a Unix one */
		if (strcmp(a->arg, "no-socket-evidence") == 0)
			return !f->nsocks && !f->net.nports && !f->net.nmagics;
		return false;
	case AT_CAP: return a->cid < rs->n && fired[a->cid];
	case AT_SOCKET:
		for (i = 0; i < f->nsocks; i++)
			if (sock_match(a->sock, &f->socks[i]))
				return true;
		return false;
	}
	return false;
}

static void ev_add(const struct pst_caprules *rs, char *ev, size_t cap, const struct atom *a,
		   const struct pst_binfeat *f)
{
	size_t l = strlen(ev);
	const char *kind = a->kind == AT_STRING || a->kind == AT_WORD ? "\"" : "";
	char val[96];
	const char *arg = has_value(rs, a, f, val, sizeof(val)) ? val : a->arg;
	if (l + strlen(arg) + 6 >= cap)
		return;
	snprintf(ev + l, cap - l, "%s%s%s%s", l ? ", " : "", kind, arg, kind);
}

/* Adds every atom of g that carries a value and matches (an escalation's
 * port and magic belong in the evidence). */
static void ev_values(const struct pst_caprules *rs, const struct group *g,
		      const struct pst_binfeat *f, const uint8_t *fired, char *ev, size_t cap)
{
	size_t i;
	char val[96];
	for (i = 0; i < g->n; i++)
		if (has_value(rs, &g->atoms[i], f, val, sizeof(val)) &&
		    atom_true(rs, &g->atoms[i], f, fired))
			ev_add(rs, ev, cap, &g->atoms[i], f);
}

/* Matches in g; the first matching atom is added to ev. */
static unsigned group_count(const struct pst_caprules *rs, const struct group *g,
			    const struct pst_binfeat *f, const uint8_t *fired, char *ev, size_t cap)
{
	unsigned k = 0;
	size_t i;
	for (i = 0; i < g->n; i++) {
		if (!atom_true(rs, &g->atoms[i], f, fired))
			continue;
		if (ev && k == 0)
			ev_add(rs, ev, cap, &g->atoms[i], f);
		if (++k >= g->min && g->min == 1)
			break;
	}
	return k;
}


const char *pst_caprules_module_role(const struct pst_caprules *r, const struct pst_elf *e)
{
	size_t i, j;
	if (!r || e->type != PST_ET_DYN || e->interp)
		return NULL;
	for (i = 0; i < r->n; i++)
		for (j = 0; j < r->r[i].modules.n; j++)
			if (r->r[i].modules.atoms[j].kind == AT_EXPORT &&
			    exports(e, r->r[i].modules.atoms[j].arg))
				return r->r[i].id;
	return NULL;
}

static bool atom_same(const struct atom *a, const struct atom *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == AT_CAP)
		return a->cid == b->cid;
	if (a->kind == AT_SOCKET)
		return memcmp(a->sock, b->sock, sizeof(a->sock)) == 0;
	return strcmp(a->arg, b->arg) == 0;
}

static bool in_group(const struct group *g, const struct atom *a)
{
	size_t i;
	for (i = 0; i < g->n; i++)
		if (atom_same(&g->atoms[i], a))
			return true;
	return false;
}

/* Whether the program's primary role - the first role profile in load
 * order that it has - lists every feature of r's behaviour in its
 * expected: what its job explains is not out of role. A later role the
 * program also has licenses nothing: it is a mode or a part of the program
 * (vsftpd's http_enable serves files over HTTP; that does not make it a
 * CGI web server whose scripts would explain a shell), and a secondary
 * role that excused the primary's behaviour would let any back door hide
 * behind a few protocol strings of another server. The profiles are
 * therefore listed from the most specific recognition to the most
 * generic (rules/roles/10-servers.yaml). */
static bool role_explains(const struct pst_caprules *rs, size_t r, const uint8_t *fired)
{
	const struct group *b = &rs->r[r].behaviour;
	size_t i, k;
	if (!b->n)
		return false;
	for (i = 0; i < r && !(fired[i] && rs->r[i].role); i++)
		;
	if (i == r)
		return false;
	for (k = 0; k < b->n && in_group(&rs->r[i].expected, &b->atoms[k]); k++)
		;
	return k == b->n;
}

size_t pst_caprules_eval(const struct pst_caprules *rs, const struct pst_binfeat *f,
			 struct pst_capmatch *out, size_t max)
{
	uint8_t *fired;
	size_t i, j, k = 0;
	if (!rs || !rs->n)
		return 0;
	fired = pst_calloc(rs->n, 1);
	if (!fired)
		return 0;
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];
		char ev[200] = "";
		bool ok = true;
		for (j = 0; ok && j < r->nall; j++)
			ok = group_count(rs, &r->all[j], f, fired, ev, sizeof(ev)) >= r->all[j].min;
		if (!ok || (r->none.n && group_count(rs, &r->none, f, fired, NULL, 0) > 0) ||
		    role_explains(rs, i, fired))
			continue;
		fired[i] = 1;
		if (k++ >= max)
			continue;
		out[k - 1].id = r->id;
		out[k - 1].category = r->category;
		out[k - 1].message = r->message;
		out[k - 1].report = r->report;
		out[k - 1].severity = r->severity;
		ev_values(rs, &r->evidence, f, fired, ev, sizeof(ev));
		if (r->escalate.n && group_count(rs, &r->escalate, f, fired, NULL, 0) > 0)
			out[k - 1].severity = r->escalate_to > r->severity ? r->escalate_to :
					  r->severity < PST_SEV_CRITICAL ?
						  (enum pst_severity)(r->severity + 1) : r->severity;
		if (r->soften.n && group_count(rs, &r->soften, f, fired, NULL, 0) > 0) {
			size_t l = strlen(ev);
			out[k - 1].severity = r->soften_to;
			snprintf(ev + l, sizeof(ev) - l, "; %s",
				 r->soften_note ? r->soften_note : "in a large program");
		}
		memcpy(out[k - 1].evidence, ev, sizeof(ev));
	}
	free(fired);
	return k;
}
